package dev.vectorgrad.backend;

/** A backend was asked for but cannot run here; the message says why and how to fix it. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
