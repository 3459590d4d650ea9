package dev.vectorgrad.io;

import dev.vectorgrad.nn.StateDictException;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint file that does not fit the model it is being loaded into: keys the model needs and the
 * file lacks, keys the file has and the model does not know, and shape mismatches, every one of them
 * listed. The message names the file and, when the file records the architecture it was saved from and
 * that differs from the model's, shows both. The model was not changed.
 *
 * <pre>
 * /tmp/lenet.safetensors does not fit this Sequential (2 problems); the model was not changed:
 *   shape mismatches (2):
 *     7.weight: checkpoint (120, 400) vs model (100, 400)
 *     ...
 * </pre>
 *
 * <p>The lists are those of the {@link StateDictException} that {@link #getCause()} returns.
 */
public final class CheckpointMismatchException extends IllegalArgumentException {

    private final transient Path file;
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;
    private final List<String> shapeMismatches;
    private final String savedArchitecture;
    private final String modelArchitecture;

    CheckpointMismatchException(String message, Path file, StateDictException cause, String savedArchitecture,
                                String modelArchitecture) {
        super(message, cause);
        this.file = file;
        this.missingKeys = cause.missingKeys();
        this.unexpectedKeys = cause.unexpectedKeys();
        this.shapeMismatches = cause.shapeMismatches();
        this.savedArchitecture = savedArchitecture;
        this.modelArchitecture = modelArchitecture;
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }

    /** Full names the model has and the file lacks (empty when loading was not strict). */
    public List<String> missingKeys() {
        return missingKeys;
    }

    /** Full names the file has and the model does not know (empty when loading was not strict). */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    /** One {@code name: checkpoint (a, b) vs model (c, d)} entry per tensor whose shape differs. */
    public List<String> shapeMismatches() {
        return shapeMismatches;
    }

    /** The architecture the file records ({@code model.toString()} when it was saved), or null if none. */
    public String savedArchitecture() {
        return savedArchitecture;
    }

    /** The architecture of the model being loaded into ({@code model.toString()}). */
    public String modelArchitecture() {
        return modelArchitecture;
    }
}
