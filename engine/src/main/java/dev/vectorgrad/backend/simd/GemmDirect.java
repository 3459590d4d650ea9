package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.GemmKernels.L;
import static dev.vectorgrad.backend.simd.GemmKernels.S;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * SGEMM without packing, for products too small to repay it and for matrix-vector shapes (m == 1 or
 * n == 1), where every element is used once or twice and packing would only add a copy. Two loop forms,
 * both reading the operands in place:
 * <ul>
 *   <li>row-axpy (op(B) has contiguous rows, i.e. B not transposed): {@code C[i, j..] += A(i,p) * B[p, j..]},
 *       up to four vectors of one C row in registers across the whole p loop;</li>
 *   <li>dot (B transposed, A not): {@code C[i,j] = A[i,:] . Bt[j,:]}, four dot products of one A row at a
 *       time, vectorised along p.</li>
 * </ul>
 * The remaining cases are rewritten into one of these through a small transposed/contiguous copy.
 */
final class GemmDirect {
    private GemmDirect() {
    }

    /** Whether {@code m x n x k} goes here rather than through the packed kernel. */
    static boolean applies(int m, int n, int k) {
        return m == 1 || n == 1 || (long) m * n * k < Thresholds.GEMM_SMALL;
    }

    /** Same contract as {@link SimdGemm#gemm}, with m, n, k >= 1 and alpha != 0. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        long work = (long) m * n * k;
        if (!transB) {
            if (n == 1) {
                // op(B) is a strided column: C[:,0] = op(A) x.
                if (transA) {
                    // Rows of the stored A run along i: as y^T = x^T A it is a one-row axpy product.
                    float[] y = SimdGemm.scratch().temp(m);
                    rowAxpy(1, m, k, 1f, b, offB, 0, ldb, a, offA, lda, 0f, y, 0, m, work);
                    scatterColumn(m, alpha, y, beta, c, offC, ldc);
                } else {
                    float[] x = SimdGemm.scratch().temp(k);
                    for (int p = 0; p < k; p++) {
                        x[p] = b[offB + p * ldb];
                    }
                    dot(m, 1, k, alpha, a, offA, lda, x, 0, k, beta, c, offC, ldc, work);
                }
            } else {
                int ars = transA ? 1 : lda;
                int acs = transA ? lda : 1;
                rowAxpy(m, n, k, alpha, a, offA, ars, acs, b, offB, ldb, beta, c, offC, ldc, work);
            }
        } else if (!transA) {
            dot(m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc, work);
        } else if (n == 1) {
            // op(B) is the contiguous row b[offB .. offB+k): same one-row axpy product as above.
            float[] y = SimdGemm.scratch().temp(m);
            rowAxpy(1, m, k, 1f, b, offB, 0, 1, a, offA, lda, 0f, y, 0, m, work);
            scatterColumn(m, alpha, y, beta, c, offC, ldc);
        } else {
            // Both transposed: transpose the (small) A into a contiguous m x k copy, then dot form.
            float[] at = SimdGemm.scratch().temp(m * k);
            for (int p = 0; p < k; p++) {
                int src = offA + p * lda;
                for (int i = 0; i < m; i++) {
                    at[i * k + p] = a[src + i];
                }
            }
            dot(m, n, k, alpha, at, 0, k, b, offB, ldb, beta, c, offC, ldc, work);
        }
    }

    /** C[i*ldc] = alpha * y[i] + beta * C[i*ldc] (beta == 0 overwrites). */
    private static void scatterColumn(int m, float alpha, float[] y, float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = offC + i * ldc;
            c[ci] = beta == 0f ? alpha * y[i] : alpha * y[i] + beta * c[ci];
        }
    }

    /**
     * C = alpha * A * B + beta * C where A(i,p) = {@code a[offA + i*ars + p*acs]} and B has contiguous rows.
     * Splits rows across threads, or column chunks when there are fewer rows than threads.
     */
    static void rowAxpy(int m, int n, int k, float alpha, float[] a, int offA, int ars, int acs,
                        float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc, long work) {
        if (m >= Parallel.threads()) {
            Parallel.forRange(m, work, Thresholds.PARALLEL_GEMM_FLOPS, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    rowAxpyRow(0, n, k, alpha, a, offA + i * ars, acs, b, offB, ldb, beta, c, offC + i * ldc);
                }
            });
        } else {
            int chunk = 4 * L;
            int chunks = (n + chunk - 1) / chunk;
            Parallel.forRange(chunks, work, Thresholds.PARALLEL_GEMM_FLOPS, (q0, q1) -> {
                int j1 = Math.min(n, q1 * chunk);
                for (int i = 0; i < m; i++) {
                    rowAxpyRow(q0 * chunk, j1, k, alpha, a, offA + i * ars, acs, b, offB, ldb, beta, c,
                            offC + i * ldc);
                }
            });
        }
    }

    /** One C row, columns [j0, j1): four vectors at a time, then one, then a masked tail. */
    private static void rowAxpyRow(int j0, int j1, int k, float alpha, float[] a, int ar, int acs,
                                   float[] b, int offB, int ldb, float beta, float[] c, int cr) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector av = FloatVector.broadcast(S, a[ar + p * acs]);
                int bi = offB + p * ldb + j;
                s0 = av.fma(FloatVector.fromArray(S, b, bi), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, bi + L), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, bi + 2 * L), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, bi + 3 * L), s3);
            }
            int ci = cr + j;
            if (beta == 0f) {
                s0.mul(alpha).intoArray(c, ci);
                s1.mul(alpha).intoArray(c, ci + L);
                s2.mul(alpha).intoArray(c, ci + 2 * L);
                s3.mul(alpha).intoArray(c, ci + 3 * L);
            } else {
                s0.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
                s1.mul(alpha).add(FloatVector.fromArray(S, c, ci + L).mul(beta)).intoArray(c, ci + L);
                s2.mul(alpha).add(FloatVector.fromArray(S, c, ci + 2 * L).mul(beta)).intoArray(c, ci + 2 * L);
                s3.mul(alpha).add(FloatVector.fromArray(S, c, ci + 3 * L).mul(beta)).intoArray(c, ci + 3 * L);
            }
        }
        for (; j < j1; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, j1);
            FloatVector s = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                s = FloatVector.broadcast(S, a[ar + p * acs])
                        .fma(FloatVector.fromArray(S, b, offB + p * ldb + j, mask), s);
            }
            int ci = cr + j;
            if (beta == 0f) {
                s.mul(alpha).intoArray(c, ci, mask);
            } else {
                s.mul(alpha).add(FloatVector.fromArray(S, c, ci, mask).mul(beta)).intoArray(c, ci, mask);
            }
        }
    }

    /**
     * C[i,j] = alpha * dot(a[offA + i*lda ..+k], b[offB + j*ldb ..+k]) + beta * C[i,j]. Splits rows across
     * threads, or columns when there are fewer rows than threads.
     */
    static void dot(int m, int n, int k, float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                    float beta, float[] c, int offC, int ldc, long work) {
        if (m >= Parallel.threads()) {
            Parallel.forRange(m, work, Thresholds.PARALLEL_GEMM_FLOPS, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    dotRow(0, n, k, alpha, a, offA + i * lda, b, offB, ldb, beta, c, offC + i * ldc);
                }
            });
        } else {
            Parallel.forRange(n, work, Thresholds.PARALLEL_GEMM_FLOPS, (j0, j1) -> {
                for (int i = 0; i < m; i++) {
                    dotRow(j0, j1, k, alpha, a, offA + i * lda, b, offB, ldb, beta, c, offC + i * ldc);
                }
            });
        }
    }

    /** Columns [j0, j1) of one C row: four dot products share each load of the A row. */
    private static void dotRow(int j0, int j1, int k, float alpha, float[] a, int ar, float[] b, int offB, int ldb,
                               float beta, float[] c, int cr) {
        int kv = k - k % L;
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
            int b0 = offB + j * ldb;
            int b1 = b0 + ldb;
            int b2 = b1 + ldb;
            int b3 = b2 + ldb;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                FloatVector av = FloatVector.fromArray(S, a, ar + p);
                s0 = av.fma(FloatVector.fromArray(S, b, b0 + p), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, b1 + p), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, b2 + p), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, b3 + p), s3);
            }
            if (kv < k) {
                VectorMask<Float> mask = S.indexInRange(kv, k);
                FloatVector av = FloatVector.fromArray(S, a, ar + kv, mask);
                s0 = av.fma(FloatVector.fromArray(S, b, b0 + kv, mask), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, b1 + kv, mask), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, b2 + kv, mask), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, b3 + kv, mask), s3);
            }
            store(c, cr + j, alpha, s0.reduceLanes(VectorOperators.ADD), beta);
            store(c, cr + j + 1, alpha, s1.reduceLanes(VectorOperators.ADD), beta);
            store(c, cr + j + 2, alpha, s2.reduceLanes(VectorOperators.ADD), beta);
            store(c, cr + j + 3, alpha, s3.reduceLanes(VectorOperators.ADD), beta);
        }
        for (; j < j1; j++) {
            int b0 = offB + j * ldb;
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, b0 + p), s0);
            }
            if (kv < k) {
                VectorMask<Float> mask = S.indexInRange(kv, k);
                s0 = FloatVector.fromArray(S, a, ar + kv, mask).fma(FloatVector.fromArray(S, b, b0 + kv, mask), s0);
            }
            store(c, cr + j, alpha, s0.reduceLanes(VectorOperators.ADD), beta);
        }
    }

    private static void store(float[] c, int ci, float alpha, float sum, float beta) {
        c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
    }
}
