package dev.vectorgrad.jupyter;

import java.util.List;

/**
 * A cell that failed: what Jupyter shows as an error. {@code name} is the error's kind (an exception
 * class name, {@code CompilationException}, {@code Interrupted}, ...), {@code value} its message and
 * {@code traceback} the lines shown to the user.
 */
public final class CellException extends Exception {

    private final String name;
    private final String value;
    private final List<String> traceback;

    public CellException(String name, String value, List<String> traceback) {
        super(name + (value == null || value.isEmpty() ? "" : ": " + value), null, false, false);
        this.name = name;
        this.value = value == null ? "" : value;
        this.traceback = List.copyOf(traceback);
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    public List<String> traceback() {
        return traceback;
    }

    /** The traceback as one text block. */
    public String text() {
        return String.join("\n", traceback);
    }

    /** A failure that is best explained by its message alone (a bad magic argument, a missing file). */
    public static CellException simple(String name, String message) {
        return new CellException(name, message, List.of(name + ": " + message));
    }
}
