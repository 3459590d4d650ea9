package dev.vectorgrad.gpu.opencl;

/**
 * What a device's buffer pool ({@link ClBackend#poolStats()}) has done so far.
 *
 * @param reused     allocations served from the pool (no driver call)
 * @param created    buffers the driver created
 * @param returned   buffers that came back and were kept
 * @param dropped    buffers that came back and were released to the driver (pool full or off)
 * @param liveBytes  bytes held by storages now (capacity of their buffers)
 * @param pooledBytes bytes kept in the pool now
 * @param limitBytes most bytes the pool keeps ({@code -Dvectorgrad.gpu.poolBytes}; 0: pooling off)
 */
public record PoolStats(long reused, long created, long returned, long dropped, long liveBytes, long pooledBytes,
                        long limitBytes) {

    /** Allocations served from the pool as a fraction of all allocations (NaN before any). */
    public double reuseRate() {
        long all = reused + created;
        return all == 0 ? Double.NaN : reused / (double) all;
    }
}
