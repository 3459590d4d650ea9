package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.GemmKernels.MR;
import static dev.vectorgrad.backend.simd.GemmKernels.NR;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The multithreaded packed GEMM: one hand-off to the pool per call, with the work claimed dynamically.
 *
 * <p>A hand-off to a parked worker costs tens of microseconds (to one still looking for work about one, see
 * {@link Parallel}), and the woken worker starts that much after the caller (more on a busy machine), so a
 * static split leaves the caller waiting at the end. Here every thread, the caller first, runs the same loop:
 * <ol>
 *   <li>claim B packing tasks (one micro-panel of one KC block each) from a shared counter until none are
 *       left; all of op(B) is packed once into one shared buffer;</li>
 *   <li>wait until every claimed task is done: only for panels a running thread is packing, so this
 *       cannot deadlock even when the worker never gets to start;</li>
 *   <li>claim units of C (a range of rows x a range of B panels, several per thread) until none are left;
 *       each unit runs every KC block for its tile of C, packing its own A blocks;</li>
 *   <li>wait, spinning, until every claimed unit is done, so that the pool's join finds the work finished
 *       instead of parking the caller.</li>
 * </ol>
 * Units own disjoint parts of C, so no two threads ever write the same element.
 */
final class GemmParallel {
    private GemmParallel() {
    }

    /**
     * Units of C per thread: enough that a late or preempted thread just takes fewer of them. Measured on
     * 2 threads: 8 ran 256^3 at ~170 GFLOP/s, 4 at ~165, 16 at ~150 (smaller A blocks).
     */
    private static final int UNITS_PER_THREAD = 8;

    static void dynamic(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        float[] a, int offA, int lda, float[] b, int offB, int ldb,
                        float beta, float[] c, int offC, int ldc, int threads) {
        int kc = Math.max(1, Thresholds.GEMM_KC);
        int mc = Math.max(MR, Thresholds.GEMM_MC / MR * MR);
        int nPanels = (n + NR - 1) / NR;
        int kBlocks = (k + kc - 1) / kc;
        // Block pc of the shared buffer starts at pc * nPanels * NR; its panel q kb * NR floats further per q.
        float[] bp = SimdGemm.scratch().packB(k * nPanels * NR);

        // Rows per unit: about m / (UNITS_PER_THREAD * threads), whole micro-panels, at most one A block.
        int wanted = UNITS_PER_THREAD * threads;
        int rowsPerUnit = Math.min(mc, Math.max(MR, ((m + wanted - 1) / wanted + MR - 1) / MR * MR));
        int rowUnits = (m + rowsPerUnit - 1) / rowsPerUnit;
        // Too few rows for that many units: split the columns too (each such unit repacks its rows of A).
        int colUnits = Math.max(1, Math.min(nPanels, (wanted + rowUnits - 1) / rowUnits));
        int units = rowUnits * colUnits;
        int packTasks = kBlocks * nPanels;

        AtomicInteger nextPack = new AtomicInteger();
        AtomicInteger packedCount = new AtomicInteger();
        AtomicInteger nextUnit = new AtomicInteger();
        AtomicInteger doneUnits = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Parallel.forRange(threads, 1, 0, (from, to) -> {
            // However many slots this chunk holds, one pass of the claiming loop does its share.
            try {
                SimdGemm.Scratch s = SimdGemm.scratch();
                for (int t; (t = nextPack.getAndIncrement()) < packTasks; ) {
                    int pc = t / nPanels * kc;
                    int q = t % nPanels;
                    GemmPack.packB(transB, b, offB, ldb, pc, Math.min(kc, k - pc), 0, n, q, q + 1, bp,
                            pc * nPanels * NR);
                    packedCount.incrementAndGet();
                }
                // The atomic count orders the other threads' packing writes before our reads of them.
                awaitCount(packedCount, packTasks, failed);
                for (int u; (u = nextUnit.getAndIncrement()) < units; ) {
                    int i0 = u / colUnits * rowsPerUnit;
                    int i1 = Math.min(m, i0 + rowsPerUnit);
                    int cu = u % colUnits;
                    int q0 = (int) ((long) cu * nPanels / colUnits);
                    int q1 = (int) ((long) (cu + 1) * nPanels / colUnits);
                    for (int pc = 0; pc < k; pc += kc) {
                        SimdGemm.rowBlocks(transA, a, offA, lda, i0, i1, pc, Math.min(kc, k - pc), bp,
                                pc * nPanels * NR, 0, n, q0, q1, alpha, pc == 0 ? beta : 1f, c, offC, ldc, s);
                    }
                    doneUnits.incrementAndGet();
                }
                // Spin until the units still running elsewhere finish: the pool's join would park the
                // caller, and waking it costs as much as the hand-off did.
                awaitCount(doneUnits, units, failed);
            } catch (RuntimeException | Error e) {
                // A bad argument surfaces as an exception in one thread; the others must stop waiting for
                // work it will never finish. Parallel rethrows it to the caller.
                failed.set(true);
                throw e;
            }
        });
    }

    /**
     * Waits for {@code count} to reach {@code target}; only ever for work a running thread has claimed, so it
     * ends unless that thread fails, which {@code failed} reports.
     */
    private static void awaitCount(AtomicInteger count, int target, AtomicBoolean failed) {
        for (int spins = 0; count.get() < target; spins++) {
            if (failed.get()) {
                throw new IllegalStateException("GEMM aborted: another thread failed");
            }
            if (spins < 1 << 14) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
