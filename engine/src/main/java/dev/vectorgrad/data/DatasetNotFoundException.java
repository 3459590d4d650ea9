package dev.vectorgrad.data;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset's files are not where they were looked for. The message says which files were looked for,
 * in which directory, why that directory, and how to get them.
 */
public class DatasetNotFoundException extends UncheckedIOException {

    private final transient Path directory;
    private final List<String> missing;

    public DatasetNotFoundException(String message, Path directory, List<String> missing) {
        super(message, new NoSuchFileException(directory.toString()));
        this.directory = directory;
        this.missing = List.copyOf(missing);
    }

    /** The directory that was searched. */
    public Path directory() {
        return directory;
    }

    /** The files that were not found there. */
    public List<String> missingFiles() {
        return missing;
    }
}
