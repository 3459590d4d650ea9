package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.GemmKernels.L;
import static dev.vectorgrad.backend.simd.GemmKernels.S;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * SGEMM without packing, for products too small to repay it, matrix-vector shapes (m == 1 or n == 1) and
 * products with only a few rows of A, where packing B would cost about what using it does. Operands are
 * read in place; two loop forms:
 * <ul>
 *   <li>row-axpy ({@code C[i, j..] += A(i,p) * B[p, j..]}, B rows contiguous): tiles of four C rows x two
 *       vectors stay in registers across the whole p loop, so each B load feeds four FMAs; leftover columns
 *       use masked vectors, leftover rows single-row tiles. A may be transposed (it is only broadcast).</li>
 *   <li>dot ({@code C[i,j] = A[i,:] . Bt[j,:]}, B transposed): four dot products share each load of the A
 *       row; used when A has few rows, since each element ends in a horizontal reduction.</li>
 * </ul>
 * B transposed with more rows goes through a k x n transposed copy (small, by {@link #applies}) into the
 * row-axpy form; the n == 1 cases become one-row or dot products.
 */
final class GemmDirect {
    private GemmDirect() {
    }

    /**
     * Whether {@code m x n x k} goes here rather than through the packed kernel: matrix-vector shapes, small
     * products (where the row-axpy tiles, streaming B from L1/L2, beat packing plus MR/NR edge padding), and
     * products with only a few rows of A (packing B for them would cost about what using it does).
     */
    static boolean applies(int m, int n, int k) {
        return m == 1 || n == 1 || m <= Thresholds.GEMM_DIRECT_ROWS || (long) m * n * k < Thresholds.GEMM_SMALL;
    }

    /** Same contract as {@link SimdGemm#gemm}, with m, n, k >= 1 and alpha != 0. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        long work = (long) m * n * k;
        // op(A)(i,p) = a[offA + i*ars + p*acs]
        int ars = transA ? 1 : lda;
        int acs = transA ? lda : 1;
        if (n == 1) {
            // C[:,0] = op(A) x with x[p] = op(B)(p,0).
            int incX = transB ? 1 : ldb;
            if (transA) {
                // The stored A has rows along i: y^T = x^T A is a one-row axpy product.
                float[] y = SimdGemm.scratch().temp(m);
                rowAxpy(1, m, k, 1f, b, offB, 0, incX, a, offA, lda, 0f, y, 0, m, work);
                scatterColumn(m, alpha, y, beta, c, offC, ldc);
            } else if (incX == 1) {
                dot(m, 1, k, alpha, a, offA, lda, b, offB, k, beta, c, offC, ldc, work);
            } else {
                float[] x = SimdGemm.scratch().temp(k);
                for (int p = 0; p < k; p++) {
                    x[p] = b[offB + p * incX];
                }
                dot(m, 1, k, alpha, a, offA, lda, x, 0, k, beta, c, offC, ldc, work);
            }
        } else if (!transB) {
            rowAxpy(m, n, k, alpha, a, offA, ars, acs, b, offB, ldb, beta, c, offC, ldc, work);
        } else if (m <= Thresholds.GEMM_DIRECT_ROWS) {
            // Few rows: dot products stream each row of the stored B once per row of A, no copy of B
            // (A is copied contiguous first when it is transposed; it is small).
            if (transA) {
                float[] at = SimdGemm.scratch().temp(m * k);
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        at[i * k + p] = a[offA + p * lda + i];
                    }
                }
                dot(m, n, k, alpha, at, 0, k, b, offB, ldb, beta, c, offC, ldc, work);
            } else {
                dot(m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc, work);
            }
        } else {
            // Dot products end in a horizontal reduction per element (slow for small k); a k x n copy of
            // op(B) lets the row-axpy tiles run instead. Only small products get here (m > GEMM_DIRECT_ROWS, so
            // k*n < GEMM_SMALL / GEMM_DIRECT_ROWS): the copy is small.
            float[] bt = SimdGemm.scratch().temp(k * n);
            for (int j = 0; j < n; j++) {
                int src = offB + j * ldb;
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[src + p];
                }
            }
            rowAxpy(m, n, k, alpha, a, offA, ars, acs, bt, 0, n, beta, c, offC, ldc, work);
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
     * Splits blocks of four rows across threads, or column chunks when there are too few row blocks.
     */
    static void rowAxpy(int m, int n, int k, float alpha, float[] a, int offA, int ars, int acs,
                        float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc, long work) {
        int rowBlocks = (m + 3) / 4;
        if (rowBlocks >= Parallel.threads()) {
            Parallel.forRange(rowBlocks, work, Thresholds.PARALLEL_GEMM_FLOPS, (r0, r1) ->
                    rowAxpyBlock(4 * r0, Math.min(m, 4 * r1), 0, n, k, alpha, a, offA, ars, acs, b, offB, ldb,
                            beta, c, offC, ldc));
        } else {
            int chunk = 2 * L;
            Parallel.forRange((n + chunk - 1) / chunk, work, Thresholds.PARALLEL_GEMM_FLOPS, (q0, q1) ->
                    rowAxpyBlock(0, m, q0 * chunk, Math.min(n, q1 * chunk), k, alpha, a, offA, ars, acs, b, offB,
                            ldb, beta, c, offC, ldc));
        }
    }

    /**
     * Rows [i0, i1), columns [j0, j1): tiles of four rows x two vectors, then two pairs of rows x one
     * masked vector for the leftover columns, then single rows. Each tile shape is its own small method: one big
     * method was too large for C1 ("out of virtual registers"), so it ran interpreted (Vector API code
     * there is ~1000x slower) until C2 caught up, seconds later on a busy machine.
     */
    private static void rowAxpyBlock(int i0, int i1, int j0, int j1, int k, float alpha, float[] a, int offA,
                                     int ars, int acs, float[] b, int offB, int ldb,
                                     float beta, float[] c, int offC, int ldc) {
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int ar = offA + i * ars;
            int cr = offC + i * ldc;
            int j = j0;
            for (; j + 2 * L <= j1; j += 2 * L) {
                quadTile(j, k, alpha, a, ar, ars, acs, b, offB, ldb, beta, c, cr, ldc);
            }
            for (; j < j1; j += L) {
                pairMasked(j, j1, k, alpha, a, ar, ars, acs, b, offB, ldb, beta, c, cr, ldc);
                pairMasked(j, j1, k, alpha, a, ar + 2 * ars, ars, acs, b, offB, ldb, beta, c, cr + 2 * ldc, ldc);
            }
        }
        for (; i < i1; i++) {
            int ar = offA + i * ars;
            int cr = offC + i * ldc;
            int j = j0;
            for (; j + 4 * L <= j1; j += 4 * L) {
                rowTile(j, k, alpha, a, ar, acs, b, offB, ldb, beta, c, cr);
            }
            for (; j < j1; j += L) {
                rowMasked(j, j1, k, alpha, a, ar, acs, b, offB, ldb, beta, c, cr);
            }
        }
    }

    /**
     * Four rows (from {@code a[ar]}, {@code c[cr]}) x two vectors from column j: 8 accumulators, so it fits
     * 16-register AVX2 too, and each B load feeds four FMAs.
     */
    private static void quadTile(int j, int k, float alpha, float[] a, int ar, int ars, int acs,
                                 float[] b, int offB, int ldb, float beta, float[] c, int cr, int ldc) {
        int a0 = ar;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bi = offB + p * ldb + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + p * acs]);
            s00 = v.fma(b0, s00);
            s01 = v.fma(b1, s01);
            v = FloatVector.broadcast(S, a[a1 + p * acs]);
            s10 = v.fma(b0, s10);
            s11 = v.fma(b1, s11);
            v = FloatVector.broadcast(S, a[a2 + p * acs]);
            s20 = v.fma(b0, s20);
            s21 = v.fma(b1, s21);
            v = FloatVector.broadcast(S, a[a3 + p * acs]);
            s30 = v.fma(b0, s30);
            s31 = v.fma(b1, s31);
        }
        int c0 = cr + j;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        if (beta == 0f) {
            s00.mul(alpha).intoArray(c, c0);
            s01.mul(alpha).intoArray(c, c0 + L);
            s10.mul(alpha).intoArray(c, c1);
            s11.mul(alpha).intoArray(c, c1 + L);
            s20.mul(alpha).intoArray(c, c2);
            s21.mul(alpha).intoArray(c, c2 + L);
            s30.mul(alpha).intoArray(c, c3);
            s31.mul(alpha).intoArray(c, c3 + L);
        } else {
            s00.mul(alpha).add(FloatVector.fromArray(S, c, c0).mul(beta)).intoArray(c, c0);
            s01.mul(alpha).add(FloatVector.fromArray(S, c, c0 + L).mul(beta)).intoArray(c, c0 + L);
            s10.mul(alpha).add(FloatVector.fromArray(S, c, c1).mul(beta)).intoArray(c, c1);
            s11.mul(alpha).add(FloatVector.fromArray(S, c, c1 + L).mul(beta)).intoArray(c, c1 + L);
            s20.mul(alpha).add(FloatVector.fromArray(S, c, c2).mul(beta)).intoArray(c, c2);
            s21.mul(alpha).add(FloatVector.fromArray(S, c, c2 + L).mul(beta)).intoArray(c, c2 + L);
            s30.mul(alpha).add(FloatVector.fromArray(S, c, c3).mul(beta)).intoArray(c, c3);
            s31.mul(alpha).add(FloatVector.fromArray(S, c, c3 + L).mul(beta)).intoArray(c, c3 + L);
        }
    }

    /**
     * Two rows x one vector at column j, lanes at or past j1 masked off. Two rows, not four: C1 inlines the
     * Vector API's Java fallbacks, and a four-row masked tile ran out of its virtual registers ("COMPILE
     * SKIPPED"), which left the method in tier-2 code with no profile to ever reach C2 (JitHealthTest).
     */
    private static void pairMasked(int j, int j1, int k, float alpha, float[] a, int ar, int ars, int acs,
                                   float[] b, int offB, int ldb, float beta, float[] c, int cr, int ldc) {
        VectorMask<Float> mask = S.indexInRange(j, j1);
        int a1 = ar + ars;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, offB + p * ldb + j, mask);
            s0 = FloatVector.broadcast(S, a[ar + p * acs]).fma(bv, s0);
            s1 = FloatVector.broadcast(S, a[a1 + p * acs]).fma(bv, s1);
        }
        int c0 = cr + j;
        int c1 = c0 + ldc;
        if (beta == 0f) {
            s0.mul(alpha).intoArray(c, c0, mask);
            s1.mul(alpha).intoArray(c, c1, mask);
        } else {
            s0.mul(alpha).add(FloatVector.fromArray(S, c, c0, mask).mul(beta)).intoArray(c, c0, mask);
            s1.mul(alpha).add(FloatVector.fromArray(S, c, c1, mask).mul(beta)).intoArray(c, c1, mask);
        }
    }

    /**
     * One row x four vectors at column j. A lone row (m == 1 is a vector-matrix product) still needs
     * independent accumulators to cover the FMA latency.
     */
    private static void rowTile(int j, int k, float alpha, float[] a, int ar, int acs,
                                float[] b, int offB, int ldb, float beta, float[] c, int cr) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector v = FloatVector.broadcast(S, a[ar + p * acs]);
            int bi = offB + p * ldb + j;
            s0 = v.fma(FloatVector.fromArray(S, b, bi), s0);
            s1 = v.fma(FloatVector.fromArray(S, b, bi + L), s1);
            s2 = v.fma(FloatVector.fromArray(S, b, bi + 2 * L), s2);
            s3 = v.fma(FloatVector.fromArray(S, b, bi + 3 * L), s3);
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

    /** One row x one vector at column j, lanes at or past j1 masked off. */
    private static void rowMasked(int j, int j1, int k, float alpha, float[] a, int ar, int acs,
                                  float[] b, int offB, int ldb, float beta, float[] c, int cr) {
        VectorMask<Float> mask = S.indexInRange(j, j1);
        FloatVector s0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            s0 = FloatVector.broadcast(S, a[ar + p * acs]).fma(FloatVector.fromArray(S, b, offB + p * ldb + j, mask), s0);
        }
        int ci = cr + j;
        if (beta == 0f) {
            s0.mul(alpha).intoArray(c, ci, mask);
        } else {
            s0.mul(alpha).add(FloatVector.fromArray(S, c, ci, mask).mul(beta)).intoArray(c, ci, mask);
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

    /**
     * Columns [j0, j1) of one C row: four dot products share each load of the A row. The tile shapes are
     * separate methods so that C1 can compile each (JitHealthTest).
     */
    static void dotRow(int j0, int j1, int k, float alpha, float[] a, int ar, float[] b, int offB, int ldb,
                               float beta, float[] c, int cr) {
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
            dotQuad(k, alpha, a, ar, b, offB + j * ldb, ldb, beta, c, cr + j);
        }
        for (; j < j1; j++) {
            dotOne(k, alpha, a, ar, b, offB + j * ldb, beta, c, cr + j);
        }
    }

    /** C[ci..ci+4) from the A row at ar and the four B rows from b0, ldb apart. */
    private static void dotQuad(int k, float alpha, float[] a, int ar, float[] b, int b0, int ldb,
                                float beta, float[] c, int ci) {
        int kv = k - k % L;
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
        float t0 = s0.reduceLanes(VectorOperators.ADD);
        float t1 = s1.reduceLanes(VectorOperators.ADD);
        float t2 = s2.reduceLanes(VectorOperators.ADD);
        float t3 = s3.reduceLanes(VectorOperators.ADD);
        // The k % L tail in scalar: at most L - 1 products per element, and no masked vectors for C1.
        for (int p = kv; p < k; p++) {
            float av = a[ar + p];
            t0 += av * b[b0 + p];
            t1 += av * b[b1 + p];
            t2 += av * b[b2 + p];
            t3 += av * b[b3 + p];
        }
        store(c, ci, alpha, t0, beta);
        store(c, ci + 1, alpha, t1, beta);
        store(c, ci + 2, alpha, t2, beta);
        store(c, ci + 3, alpha, t3, beta);
    }

    /** C[ci] from the A row at ar and the B row at b0. */
    private static void dotOne(int k, float alpha, float[] a, int ar, float[] b, int b0, float beta,
                               float[] c, int ci) {
        int kv = k - k % L;
        FloatVector s0 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += L) {
            s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, b0 + p), s0);
        }
        float t = s0.reduceLanes(VectorOperators.ADD);
        for (int p = kv; p < k; p++) {
            t += a[ar + p] * b[b0 + p];
        }
        store(c, ci, alpha, t, beta);
    }

    static void store(float[] c, int ci, float alpha, float sum, float beta) {
        c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
    }
}
