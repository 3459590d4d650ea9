package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.GemmKernels.L;
import static dev.vectorgrad.backend.simd.GemmKernels.S;
import static jdk.incubator.vector.VectorOperators.ADD;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * SGEMM for {@code C = alpha * A * B^T + beta * C} with A (m x k) and the stored B (n x k) both row-major, as
 * a linear layer's forward pass multiplies a batch by its {@code (out, in)} weight. Every element of C is then
 * the dot product of two contiguous rows, so nothing is packed: tiles of 4 rows of A x 4 rows of B keep 16
 * vector accumulators over the whole depth (8 loads feed 16 FMAs) and end in 16 horizontal sums. For the
 * lectures' MLP (64 x 128 x 784) that is ~130 us on one AVX-512 core against ~195 us packed, a quarter of which
 * went to transposing B into panels.
 *
 * <p>Taken only where it pays ({@link #applies}): the species has 32 registers (16 accumulators + 4 + 1 would
 * spill on 16), k is deep enough to amortize the horizontal sums ({@link Thresholds#GEMM_DOT_MIN_K}), A has
 * few enough rows that packing B would not be repaid ({@link Thresholds#GEMM_DOT_MAX_ROWS}), and B is small
 * enough to stay in L2 while every 4-row block of A streams it ({@link Thresholds#GEMM_DOT_MAX_B}). Threads
 * split the row blocks from {@link Thresholds#PARALLEL_GEMM_DOT_FLOPS}.
 */
final class GemmDot {
    private GemmDot() {
    }

    /** Rows of A and of B per tile. */
    private static final int T = 4;

    /** Whether op(A) op(B) runs here rather than through packing. */
    static boolean applies(boolean transA, boolean transB, int m, int n, int k) {
        return transB && !transA && GemmKernels.WIDE && m >= T && m <= Thresholds.GEMM_DOT_MAX_ROWS && n >= T
                && k >= Thresholds.GEMM_DOT_MIN_K && (long) n * k <= Thresholds.GEMM_DOT_MAX_B;
    }

    /** Same contract as {@link SimdGemm#gemm} for A not transposed and B transposed; m, n, k >= 1. */
    static void gemm(int m, int n, int k, float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        Parallel.forRange((m + T - 1) / T, (long) m * n * k, Thresholds.PARALLEL_GEMM_DOT_FLOPS, (q0, q1) ->
                rows(q0 * T, Math.min(m, q1 * T), n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc));
    }

    /** Rows [i0, i1) of C: whole tiles, then single-row dot products for the columns and rows left over. */
    static void rows(int i0, int i1, int n, int k, float alpha, float[] a, int offA, int lda, float[] b, int offB,
                     int ldb, float beta, float[] c, int offC, int ldc) {
        int nTiles = n - n % T;
        float[] tails = new float[T * T];   // the k % L products of a tile; written only when k has a tail
        int i = i0;
        for (; i + T <= i1; i += T) {
            for (int j = 0; j < nTiles; j += T) {
                tile(k, alpha, a, offA + i * lda, lda, b, offB + j * ldb, ldb, beta, c, offC + i * ldc + j, ldc,
                        tails);
            }
            for (int r = i; r < i + T && nTiles < n; r++) {
                GemmDirect.dotRow(nTiles, n, k, alpha, a, offA + r * lda, b, offB, ldb, beta, c, offC + r * ldc);
            }
        }
        for (; i < i1; i++) {
            GemmDirect.dotRow(0, n, k, alpha, a, offA + i * lda, b, offB, ldb, beta, c, offC + i * ldc);
        }
    }

    /** C[c0.., 4 x 4] from the A rows at a0 (lda apart) and the B rows at b0 (ldb apart). */
    static void tile(int k, float alpha, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                     float beta, float[] c, int c0, int ldc, float[] tails) {
        int kv = k - k % L;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
            FloatVector v0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector v1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector v2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector v3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector u = FloatVector.fromArray(S, a, a0 + p);
            s00 = u.fma(v0, s00); s01 = u.fma(v1, s01); s02 = u.fma(v2, s02); s03 = u.fma(v3, s03);
            u = FloatVector.fromArray(S, a, a1 + p);
            s10 = u.fma(v0, s10); s11 = u.fma(v1, s11); s12 = u.fma(v2, s12); s13 = u.fma(v3, s13);
            u = FloatVector.fromArray(S, a, a2 + p);
            s20 = u.fma(v0, s20); s21 = u.fma(v1, s21); s22 = u.fma(v2, s22); s23 = u.fma(v3, s23);
            u = FloatVector.fromArray(S, a, a3 + p);
            s30 = u.fma(v0, s30); s31 = u.fma(v1, s31); s32 = u.fma(v2, s32); s33 = u.fma(v3, s33);
        }
        // The k % L tail: one masked step for all 16 elements, in its own method (C1 runs out of registers
        // compiling one this size) that takes no vectors (passing one would box it where not inlined). With
        // no tail, tails stays as rows() made it: zeros.
        if (kv < k) {
            tailTile(k, kv, a, a0, lda, b, b0, ldb, tails);
        }
        GemmDirect.store(c, c0, alpha, s00.reduceLanes(ADD) + tails[0], beta);
        GemmDirect.store(c, c0 + 1, alpha, s01.reduceLanes(ADD) + tails[1], beta);
        GemmDirect.store(c, c0 + 2, alpha, s02.reduceLanes(ADD) + tails[2], beta);
        GemmDirect.store(c, c0 + 3, alpha, s03.reduceLanes(ADD) + tails[3], beta);
        int r = c0 + ldc;
        GemmDirect.store(c, r, alpha, s10.reduceLanes(ADD) + tails[4], beta);
        GemmDirect.store(c, r + 1, alpha, s11.reduceLanes(ADD) + tails[5], beta);
        GemmDirect.store(c, r + 2, alpha, s12.reduceLanes(ADD) + tails[6], beta);
        GemmDirect.store(c, r + 3, alpha, s13.reduceLanes(ADD) + tails[7], beta);
        r += ldc;
        GemmDirect.store(c, r, alpha, s20.reduceLanes(ADD) + tails[8], beta);
        GemmDirect.store(c, r + 1, alpha, s21.reduceLanes(ADD) + tails[9], beta);
        GemmDirect.store(c, r + 2, alpha, s22.reduceLanes(ADD) + tails[10], beta);
        GemmDirect.store(c, r + 3, alpha, s23.reduceLanes(ADD) + tails[11], beta);
        r += ldc;
        GemmDirect.store(c, r, alpha, s30.reduceLanes(ADD) + tails[12], beta);
        GemmDirect.store(c, r + 1, alpha, s31.reduceLanes(ADD) + tails[13], beta);
        GemmDirect.store(c, r + 2, alpha, s32.reduceLanes(ADD) + tails[14], beta);
        GemmDirect.store(c, r + 3, alpha, s33.reduceLanes(ADD) + tails[15], beta);
    }

    /** {@code tails[4r + c]}: row r of A times row c of B over [kv, k), between 1 and L - 1 products. */
    private static void tailTile(int k, int kv, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float[] tails) {
        VectorMask<Float> in = S.indexInRange(kv, k);
        for (int r = 0; r < T; r++) {
            FloatVector u = FloatVector.fromArray(S, a, a0 + r * lda + kv, in);
            for (int col = 0; col < T; col++) {
                tails[r * T + col] = u.mul(FloatVector.fromArray(S, b, b0 + col * ldb + kv, in)).reduceLanes(ADD);
            }
        }
    }
}
