package dev.vectorgrad.backend;

/**
 * The memory behind a tensor, owned by the backend that allocated it.
 *
 * <p>A tensor never looks inside its storage: it hands it back to a {@link Backend} together with a
 * {@link Layout}. The CPU backends share {@link HostStorage} (a plain {@code float[]}), so switching
 * between "scalar" and "simd" costs nothing; a device backend keeps its own buffers and moves data
 * only when asked (or when an op needs it), which keeps weights resident on the device.
 */
public interface Storage {

    /** Number of float32 elements this storage holds. */
    int size();

    /** Where the data lives: {@code "host"} for plain arrays, a device name otherwise. */
    default String location() {
        return "host";
    }
}
