package dev.vectorgrad.backend;

/** Storage in a plain Java {@code float[]}: what the scalar and SIMD backends read and write. */
public final class HostStorage implements Storage {

    private final float[] data;

    public HostStorage(float[] data) {
        this.data = data;
    }

    public static HostStorage allocate(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("storage size must be >= 0, got " + size);
        }
        return new HostStorage(new float[size]);
    }

    /** The backing array itself (not a copy). */
    public float[] array() {
        return data;
    }

    @Override
    public int size() {
        return data.length;
    }

    /**
     * The array behind a host storage; a clear error if a device storage reaches a CPU kernel, which
     * means a backend forgot to bring its data back to the host first.
     */
    public static float[] of(Storage s) {
        if (s instanceof HostStorage h) {
            return h.data;
        }
        throw new IllegalStateException("expected host memory but the tensor lives on '" + s.location()
                + "'; call toHost() (or use that device's backend) before running a CPU kernel on it");
    }
}
