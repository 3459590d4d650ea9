package dev.vectorgrad.gpu.opencl;

import dev.vectorgrad.backend.Storage;
import org.jocl.CL;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Float32 storage in an OpenCL buffer of one {@link ClBackend} (its context and device). The buffer
 * is released when the storage becomes unreachable (through a {@link Cleaner}) or at once with
 * {@link #release()}. Storages of size 0 hold no buffer.
 */
public final class ClStorage implements Storage {

    private static final Cleaner CLEANER = Cleaner.create();

    private final ClBackend backend;
    private final cl_mem mem;
    private final int size;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean released;

    ClStorage(ClBackend backend, cl_mem mem, int size, AtomicLong liveBytes) {
        this.backend = backend;
        this.mem = mem;
        this.size = size;
        this.cleanable = mem == null ? null : CLEANER.register(this, new Release(mem, 4L * size, liveBytes));
    }

    /** Releases a buffer once, from the cleaner thread or from {@link #release()}. */
    private record Release(cl_mem mem, long bytes, AtomicLong liveBytes) implements Runnable {
        @Override
        public void run() {
            try {
                CL.clReleaseMemObject(mem);
            } finally {
                liveBytes.addAndGet(-bytes);
            }
        }
    }

    @Override
    public int size() {
        return size;
    }

    /** The device's name: where the data lives. */
    @Override
    public String location() {
        return backend.deviceName();
    }

    /** The backend (context and device) that owns the buffer. */
    public ClBackend backend() {
        return backend;
    }

    /**
     * Frees the device buffer now rather than when the garbage collector notices; using the storage
     * afterwards is an error. Kernels already enqueued on it still complete.
     */
    public void release() {
        released = true;
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    public boolean isReleased() {
        return released;
    }

    /** The buffer, for kernels of the owning backend. */
    cl_mem mem() {
        if (released) {
            throw new IllegalStateException("gpu: this tensor's device buffer (" + size
                    + " floats on " + location() + ") was released; it can no longer be used");
        }
        return mem;
    }

    @Override
    public String toString() {
        return "ClStorage(" + size + " floats on " + location() + (released ? ", released" : "") + ")";
    }
}
