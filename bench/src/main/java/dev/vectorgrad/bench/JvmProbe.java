package dev.vectorgrad.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM's own counters that TrainBench reads around each epoch: process and training-thread CPU time,
 * bytes allocated, garbage collections, and the heap pools' peaks.
 */
final class JvmProbe {

    /** Counters at one instant; {@link #minus} turns two of them into what an interval used. */
    record Snapshot(long cpuNanos, long mainCpuNanos, long allocatedBytes, long gcCount, long gcMillis) {

        static Snapshot take() {
            long n = 0;
            long ms = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                n += Math.max(0, b.getCollectionCount());
                ms += Math.max(0, b.getCollectionTime());
            }
            return new Snapshot(processCpuNanos(), JvmProbe.mainCpuNanos(), JvmProbe.allocatedBytes(), n, ms);
        }

        /** This snapshot less an earlier one; allocation stays -1 when unknown. */
        Snapshot minus(Snapshot before) {
            long alloc = allocatedBytes < 0 || before.allocatedBytes < 0 ? -1 : allocatedBytes - before.allocatedBytes;
            return new Snapshot(cpuNanos - before.cpuNanos, mainCpuNanos - before.mainCpuNanos, alloc,
                    gcCount - before.gcCount, gcMillis - before.gcMillis);
        }
    }

    private JvmProbe() {
    }

    static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum over the heap pools of each pool's peak since the last reset: an upper bound of the peak heap. */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** CPU time of the whole process (all threads, JIT and GC included), or 0 if unknown. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    /**
     * CPU time of the calling (training) thread: with one kernel thread, the step's own work without the
     * JIT compiler and GC threads, and without the time the machine gave to other processes.
     */
    private static long mainCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Bytes allocated so far by all threads (the kernels' pool threads included), or -1 if unknown. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t.getTotalThreadAllocatedBytes();
        }
        return -1;
    }
}
