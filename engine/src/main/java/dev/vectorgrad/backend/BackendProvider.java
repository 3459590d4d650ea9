package dev.vectorgrad.backend;

/**
 * Plugs a backend in through {@link java.util.ServiceLoader}: a module (the GPU one, say) lists its
 * provider in {@code META-INF/services/dev.vectorgrad.backend.BackendProvider}.
 */
public interface BackendProvider {

    /** The name users select it by ("gpu"). */
    String name();

    /**
     * Creates the backend, or throws {@link BackendUnavailableException} with a message saying what
     * was looked for and what to install.
     */
    Backend create();

    /** What this provider found on this machine (devices, drivers), for {@link Backends#info()}. */
    default String probe() {
        return "";
    }
}
