package dev.vectorgrad.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file exists and could be read, but its content is not what its format requires: a truncated
 * download, a file of another kind, a header that contradicts itself. The message names the file
 * and says, in words, what is wrong with it; {@link #problem()} is the same without the file name.
 */
public class FileFormatException extends IOException {

    private final transient Path file;
    private final String problem;

    public FileFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public FileFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file that was being read. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String problem() {
        return problem;
    }
}
