package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.GemmKernels.L;
import static dev.vectorgrad.backend.simd.GemmKernels.MR;
import static dev.vectorgrad.backend.simd.GemmKernels.NR;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;

/**
 * Vector API SGEMM, row-major: {@code C = alpha * op(A) * op(B) + beta * C}, op(A) m x k, op(B) k x n,
 * transposed operands read in place through their leading dimension; {@code beta == 0} overwrites C
 * (an old NaN does not leak in).
 *
 * <p>Large products use the classic blocked scheme (Goto / BLIS), as {@link #serial} runs it on one thread:
 * <pre>
 * for jc in n by NC:                       packed B block (KC x NC)
 *   for pc in k by KC:                     beta applies on the first pc only; later ones accumulate
 *     pack op(B)[pc, jc]
 *     for ic in m by MC:                   packed A block (MC x KC, stays in L2)
 *       for each B micro-panel (NR):       reused by every A micro-panel of the block
 *         for each A micro-panel (MR):     GemmKernels: MR x NR tile in registers over KC
 * </pre>
 * Above {@link Thresholds#PARALLEL_GEMM_FLOPS} multiply-adds the threads of {@link Parallel} share the work,
 * normally through {@link GemmParallel} (one hand-off to the pool, all of op(B) packed once and shared, units
 * of C claimed dynamically); products whose packed B would exceed {@link Thresholds#GEMM_PARALLEL_B} pack and
 * split it block by block instead ({@link #shared}). KC, MC, NC are {@link Thresholds#GEMM_KC},
 * {@link Thresholds#GEMM_MC}, {@link Thresholds#GEMM_NC}; the tile is per species ({@link GemmKernels}).
 * Products with B transposed, few rows and a deep k (a linear layer's forward pass, whatever its size) run as
 * dot products of rows ({@link GemmDot}); other small, thin and matrix-vector products skip packing too
 * ({@link GemmDirect}).
 *
 * <p>Pack buffers are per thread and reused, so a steady stream of GEMMs allocates nothing but the
 * small lambdas handed to {@link Parallel}.
 */
public final class SimdGemm {
    private SimdGemm() {
    }

    /** Rows per A block: GEMM_MC rounded down to whole micro-panels. */
    private static final int MC = Math.max(MR, Thresholds.GEMM_MC / MR * MR);
    /** Columns per B block: GEMM_NC rounded down to whole micro-panels. */
    private static final int NC = Math.max(NR, Thresholds.GEMM_NC / NR * NR);
    private static final int KC = Math.max(1, Thresholds.GEMM_KC);

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int offA, int lda, float[] b, int offB, int ldb,
                            float beta, float[] c, int offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size " + m + "x" + n + "x" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, offC, ldc);
            return;
        }
        if (GemmDot.applies(transA, transB, m, n, k)) {
            GemmDot.gemm(m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return;
        }
        if (GemmDirect.applies(m, n, k)) {
            GemmDirect.gemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return;
        }
        packed(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** C = beta * C, or zeros when beta == 0. */
    private static void scale(int m, int n, float beta, float[] c, int offC, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = offC + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : beta * c[row + j];
            }
        }
    }

    /** The packed, blocked product; m, n, k >= 1 and alpha != 0 (package-private for the tests). */
    static void packed(boolean transA, boolean transB, int m, int n, int k, float alpha,
                       float[] a, int offA, int lda, float[] b, int offB, int ldb,
                       float beta, float[] c, int offC, int ldc) {
        int threads = (long) m * n * k >= Thresholds.PARALLEL_GEMM_FLOPS ? Parallel.threads() : 1;
        if (threads <= 1) {
            serial(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        } else if ((long) k * ((n + NR - 1) / NR) * NR <= Thresholds.GEMM_PARALLEL_B) {
            GemmParallel.dynamic(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc,
                    threads);
        } else {
            shared(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }
    }

    /** One thread: pack each B block, then every A block against it. */
    private static void serial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int offA, int lda, float[] b, int offB, int ldb,
                               float beta, float[] c, int offC, int ldc) {
        Scratch s = scratch();
        float[] bp = s.packB(Math.min(KC, k) * Math.min(NC, (n + NR - 1) / NR * NR));
        for (int jc = 0; jc < n; jc += NC) {
            int nb = Math.min(NC, n - jc);
            int nPanels = (nb + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                GemmPack.packB(transB, b, offB, ldb, pc, kb, jc, nb, 0, nPanels, bp, 0);
                rowBlocks(transA, a, offA, lda, 0, m, pc, kb, bp, 0, jc, nb, 0, nPanels,
                        alpha, pc == 0 ? beta : 1f, c, offC, ldc, s);
            }
        }
    }

    /**
     * All threads on each block, for products whose packed B is too big to hold whole: the B block is packed
     * once, split across the threads by micro-panel, then the threads split its rows. Two hand-offs to the
     * pool per KC x NC block, negligible at that size. Always splits (the tests call it on small shapes).
     */
    static void shared(boolean transA, boolean transB, int m, int n, int k, float alpha,
                       float[] a, int offA, int lda, float[] b, int offB, int ldb,
                       float beta, float[] c, int offC, int ldc) {
        int mPanels = (m + MR - 1) / MR;
        float[] bp = scratch().packB(Math.min(KC, k) * Math.min(NC, (n + NR - 1) / NR * NR));
        for (int jc = 0; jc < n; jc += NC) {
            int nb = Math.min(NC, n - jc);
            int nPanels = (nb + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                float betaNow = pc == 0 ? beta : 1f;
                int fjc = jc;
                int fpc = pc;
                Parallel.forRange(nPanels, 1, 0, (q0, q1) ->
                        GemmPack.packB(transB, b, offB, ldb, fpc, kb, fjc, nb, q0, q1, bp, 0));
                Parallel.forRange(mPanels, 1, 0, (r0, r1) ->
                        rowBlocks(transA, a, offA, lda, r0 * MR, Math.min(m, r1 * MR), fpc, kb, bp, 0, fjc, nb,
                                0, nPanels, alpha, betaNow, c, offC, ldc, scratch()));
            }
        }
    }

    /**
     * Rows [i0, i1) against B micro-panels [q0, q1) of the packed block at {@code bp[bBase]} (depth kb at pc,
     * columns from jc): packs A in MC blocks and runs the kernel over every tile.
     */
    static void rowBlocks(boolean transA, float[] a, int offA, int lda, int i0, int i1, int pc, int kb,
                          float[] bp, int bBase, int jc, int nb, int q0, int q1,
                          float alpha, float beta, float[] c, int offC, int ldc, Scratch s) {
        float[] ap = s.packA(MC * kb);
        float[] tile = s.tile;
        int jEnd = jc + nb;
        for (int ic = i0; ic < i1; ic += MC) {
            int mb = Math.min(MC, i1 - ic);
            GemmPack.packA(transA, a, offA, lda, ic, mb, pc, kb, ap);
            for (int q = q0; q < q1; q++) {
                int j = jc + q * NR;
                int cols = Math.min(NR, jEnd - j);
                int w = GemmPack.panelWidth(j, jEnd);
                int nv = w / L;
                int bo = bBase + q * NR * kb;
                for (int ip = 0; ip < mb; ip += MR) {
                    int rows = Math.min(MR, mb - ip);
                    int co = offC + (ic + ip) * ldc + j;
                    if (rows == MR && cols == w) {
                        GemmKernels.kernel(nv, kb, ap, ip * kb, bp, bo, c, co, ldc, alpha, beta);
                    } else {
                        // Ragged edge: compute the full tile aside, then merge the part inside C.
                        GemmKernels.kernel(nv, kb, ap, ip * kb, bp, bo, tile, 0, w, 1f, 0f);
                        for (int r = 0; r < rows; r++) {
                            int cr = co + r * ldc;
                            for (int x = 0; x < cols; x++) {
                                float v = alpha * tile[r * w + x];
                                c[cr + x] = beta == 0f ? v : v + beta * c[cr + x];
                            }
                        }
                    }
                }
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /** Per-thread buffers, grown on demand and kept for the next call. */
    static final class Scratch {
        private float[] packA = new float[0];
        private float[] packB = new float[0];
        private float[] temp = new float[0];
        final float[] tile = new float[MR * NR];

        float[] packA(int size) {
            if (packA.length < size) {
                packA = new float[size];
            }
            return packA;
        }

        float[] packB(int size) {
            if (packB.length < size) {
                packB = new float[size];
            }
            return packB;
        }

        float[] temp(int size) {
            if (temp.length < size) {
                temp = new float[size];
            }
            return temp;
        }
    }
}
