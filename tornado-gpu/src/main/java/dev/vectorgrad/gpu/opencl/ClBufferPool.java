package dev.vectorgrad.gpu.opencl;

import org.jocl.CL;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Device buffers of one {@link ClBackend} that their storages gave back, kept for reuse by size class.
 *
 * <p>Every buffer is created with the capacity of its size class ({@link #capacityFloats}: powers of
 * two and three quarter-steps between them, so at most a quarter is unused) and, when its storage is
 * released ({@link ClStorage#release()} or the storage's cleaner once it is unreachable), it comes
 * back here instead of to the driver, up to {@link #limitBytes()} of pooled buffers; what does not
 * fit is released to the driver. A later allocation of the same class takes a pooled buffer without
 * asking the driver: training loops allocate the same activation and gradient sizes at every step.
 *
 * <p>Reuse is safe because the backend has one in-order command queue: commands that still read a
 * buffer when it comes back were enqueued before any command of its next owner, so they run first.
 * A pooled buffer holds stale data; the backend's {@code allocate()} still gives zeros (see
 * {@link ClStorage}).
 */
final class ClBufferPool {

    /** System property: bytes of free buffers kept for reuse per device; 0 turns pooling off. */
    static final String LIMIT_PROPERTY = "vectorgrad.gpu.poolBytes";

    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private final long limitBytes;
    private final AtomicLong liveBytes = new AtomicLong();
    private long pooledBytes;
    private final LongAdder reused = new LongAdder();
    private final LongAdder created = new LongAdder();
    private final LongAdder returned = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    ClBufferPool(long limitBytes) {
        this.limitBytes = Math.max(0, limitBytes);
    }

    /** The pool limit for a device: {@value #LIMIT_PROPERTY} if set, else an eighth of its memory, at most 1 GiB. */
    static long defaultLimit(long globalMemBytes) {
        Long configured = Long.getLong(LIMIT_PROPERTY);
        if (configured != null) {
            return Math.max(0, configured);
        }
        return Math.min(globalMemBytes / 8, 1L << 30);
    }

    /**
     * The capacity, in floats, of the size class holding {@code size} floats: small sizes round up to
     * 64 floats, others to the next of p, 1.25p, 1.5p, 1.75p, 2p for the power of two p below them.
     */
    static long capacityFloats(long size) {
        if (size <= 64) {
            return 64;
        }
        long p = Long.highestOneBit(size);
        if (p == size) {
            return size;
        }
        long step = p / 4;
        return (size + step - 1) / step * step;
    }

    long limitBytes() {
        return limitBytes;
    }

    boolean enabled() {
        return limitBytes > 0;
    }

    /** A pooled buffer of exactly {@code capacityBytes}, or null when there is none. */
    cl_mem take(long capacityBytes) {
        if (!enabled()) {
            return null;
        }
        synchronized (this) {
            ArrayDeque<cl_mem> q = free.get(capacityBytes);
            cl_mem m = q == null ? null : q.pollLast();
            if (m == null) {
                return null;
            }
            pooledBytes -= capacityBytes;
            reused.increment();
            return m;
        }
    }

    /** Counts a buffer the driver just created for a storage. */
    void created(long capacityBytes) {
        created.increment();
    }

    /** Counts {@code capacityBytes} as held by a live storage. */
    void adopt(long capacityBytes) {
        liveBytes.addAndGet(capacityBytes);
    }

    /** A storage's buffer comes back: kept for reuse if it fits under the limit, else released. */
    void give(cl_mem mem, long capacityBytes) {
        liveBytes.addAndGet(-capacityBytes);
        if (enabled()) {
            synchronized (this) {
                if (pooledBytes + capacityBytes <= limitBytes) {
                    free.computeIfAbsent(capacityBytes, k -> new ArrayDeque<>()).addLast(mem);
                    pooledBytes += capacityBytes;
                    returned.increment();
                    return;
                }
            }
        }
        dropped.increment();
        CL.clReleaseMemObject(mem);
    }

    /** Releases every pooled buffer to the driver; returns the bytes freed. */
    long trim() {
        List<cl_mem> all = new ArrayList<>();
        long bytes;
        synchronized (this) {
            for (ArrayDeque<cl_mem> q : free.values()) {
                all.addAll(q);
            }
            free.clear();
            bytes = pooledBytes;
            pooledBytes = 0;
        }
        for (cl_mem m : all) {
            CL.clReleaseMemObject(m);
        }
        return bytes;
    }

    long liveBytes() {
        return liveBytes.get();
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    PoolStats stats() {
        return new PoolStats(reused.sum(), created.sum(), returned.sum(), dropped.sum(), liveBytes(), pooledBytes(),
                limitBytes);
    }
}
