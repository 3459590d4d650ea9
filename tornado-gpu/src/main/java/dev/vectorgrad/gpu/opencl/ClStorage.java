package dev.vectorgrad.gpu.opencl;

import dev.vectorgrad.backend.Storage;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * Float32 storage in an OpenCL buffer of one {@link ClBackend} (its context and device). The buffer
 * goes back to the backend's buffer pool (which keeps it for reuse or releases it) when the storage
 * becomes unreachable (through a {@link Cleaner}) or at once with {@link #release()}. Storages of
 * size 0 hold no buffer.
 *
 * <p>The buffer may be larger than the storage (buffers come in size classes) and, when it was
 * reused, holds stale data. A storage from the backend's {@code allocate()} is zeros for everyone who
 * looks: it is marked <i>zero pending</i> and the zero fill is enqueued only when something reads it
 * or writes part of it; an operation that overwrites it whole just clears the mark, so a kernel
 * output costs no fill.
 *
 * <p>A single value made on the host ({@code fromArray} of one element, as {@code Tensor.scalar(2)} on
 * this backend) gets no buffer at first: operations that can take it as a kernel argument (binary
 * operations and {@code where}) do, reading it back costs no download, and the buffer is made and the
 * value uploaded only when a kernel needs it in device memory or something writes to it.
 */
public final class ClStorage implements Storage {

    private static final Cleaner CLEANER = Cleaner.create();

    private final ClBackend backend;
    private final int size;
    private volatile cl_mem mem;
    private volatile Cleaner.Cleanable cleanable;
    private volatile boolean released;
    private volatile boolean zeroPending;
    private volatile float[] hostValue;

    ClStorage(ClBackend backend, cl_mem mem, int size, long capacityBytes, ClBufferPool pool) {
        this.backend = backend;
        this.size = size;
        if (mem != null) {
            attach(mem, capacityBytes, pool);
        }
    }

    /** A one-element storage whose value stays on the host until a kernel needs it on the device. */
    ClStorage(ClBackend backend, float value) {
        this.backend = backend;
        this.size = 1;
        this.hostValue = new float[] {value};
    }

    /** Gives the storage its device buffer (once). */
    synchronized void attach(cl_mem buffer, long capacityBytes, ClBufferPool pool) {
        if (this.mem != null) {
            throw new IllegalStateException("gpu: storage already has a buffer");
        }
        pool.adopt(capacityBytes);
        this.cleanable = CLEANER.register(this, new Release(buffer, capacityBytes, pool));
        this.mem = buffer;
    }

    /** Gives the buffer back once, from the cleaner thread or from {@link #release()}. */
    private record Release(cl_mem mem, long capacityBytes, ClBufferPool pool) implements Runnable {
        @Override
        public void run() {
            pool.give(mem, capacityBytes);
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
     * Frees the device buffer now rather than when the garbage collector notices (it goes back to the
     * backend's pool); using the storage afterwards is an error. Kernels already enqueued on it still
     * complete before the buffer's next use.
     */
    public synchronized void release() {
        released = true;
        hostValue = null;
        Cleaner.Cleanable c = cleanable;
        if (c != null) {
            c.clean();
        }
    }

    public boolean isReleased() {
        return released;
    }

    /** True while the storage reads as zeros but its buffer has not been filled yet. */
    boolean zeroPending() {
        return zeroPending;
    }

    void setZeroPending(boolean pending) {
        this.zeroPending = pending;
    }

    /** The single value while it is held on the host only (see the class comment), else null. */
    float[] hostValue() {
        return hostValue;
    }

    void clearHostValue() {
        hostValue = null;
    }

    /** The buffer if it has one yet (null for size 0 and for a value still on the host). */
    cl_mem buffer() {
        return mem;
    }

    /** The buffer, for kernels of the owning backend; a value still on the host is uploaded now. */
    cl_mem mem() {
        if (released) {
            throw new IllegalStateException("gpu: this tensor's device buffer (" + size
                    + " floats on " + location() + ") was released; it can no longer be used");
        }
        cl_mem m = mem;
        if (m == null && hostValue != null) {
            m = backend.materialize(this);
        }
        return m;
    }

    @Override
    public String toString() {
        return "ClStorage(" + size + " floats on " + location() + (released ? ", released" : "") + ")";
    }
}
