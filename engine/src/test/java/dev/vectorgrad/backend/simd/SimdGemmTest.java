package dev.vectorgrad.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import dev.vectorgrad.backend.scalar.ScalarGemm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SimdGemm against the scalar reference: every transpose combination, alpha/beta variants, offsets and
 * padded leading dimensions, sizes around the lane count, the tile and the blocking constants, through
 * the public entry point and through the packed and direct paths forced, on one thread and on all.
 */
class SimdGemmTest {

    private static final int L = GemmKernels.L;
    private static final int MR = GemmKernels.MR;
    private static final int NR = GemmKernels.NR;
    private static final int KC = Thresholds.GEMM_KC;
    private static final int MC = Thresholds.GEMM_MC / MR * MR;

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Which implementation a case runs through (DOT only takes A as stored and B transposed). */
    private enum Path { PUBLIC, PACKED, DIRECT, DYNAMIC, SHARED, DOT }

    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        int offA, int offB, int offC, int padA, int padB, int padC, long seed) {
        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " alpha=" + alpha + " beta=" + beta + " off=" + offA + "/" + offB + "/" + offC
                    + " pad=" + padA + "/" + padB + "/" + padC + " seed=" + seed;
        }
    }

    private static void check(Case t, Path path) {
        SplittableRandom rnd = new SplittableRandom(t.seed);
        int rowsA = t.transA ? t.k : t.m;
        int colsA = t.transA ? t.m : t.k;
        int rowsB = t.transB ? t.n : t.k;
        int colsB = t.transB ? t.k : t.n;
        int lda = colsA + t.padA;
        int ldb = colsB + t.padB;
        int ldc = t.n + t.padC;
        float[] a = new float[t.offA + rowsA * lda + 3];
        float[] b = new float[t.offB + rowsB * ldb + 3];
        float[] c = new float[t.offC + t.m * ldc + 3];
        float maxA = fill(a, rnd);
        float maxB = fill(b, rnd);
        fill(c, rnd);
        if (t.beta == 0f) {
            // beta == 0 must overwrite: poison the window so a read of old C shows up as NaN.
            for (int i = 0; i < t.m; i++) {
                for (int j = 0; j < t.n; j++) {
                    c[t.offC + i * ldc + j] = Float.NaN;
                }
            }
        }
        float[] expected = c.clone();
        float[] actual = c.clone();
        ScalarGemm.gemm(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.offA, lda, b, t.offB, ldb,
                t.beta, expected, t.offC, ldc);
        float[] a0 = a.clone();
        float[] b0 = b.clone();
        switch (path) {
            case PUBLIC -> SimdGemm.gemm(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.offA, lda, b, t.offB, ldb,
                    t.beta, actual, t.offC, ldc);
            case PACKED -> SimdGemm.packed(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.offA, lda, b, t.offB,
                    ldb, t.beta, actual, t.offC, ldc);
            case DIRECT -> GemmDirect.gemm(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.offA, lda, b, t.offB,
                    ldb, t.beta, actual, t.offC, ldc);
            case DYNAMIC -> GemmParallel.dynamic(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.offA, lda, b,
                    t.offB, ldb, t.beta, actual, t.offC, ldc, Parallel.threads());
            case SHARED -> SimdGemm.shared(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.offA, lda, b, t.offB,
                    ldb, t.beta, actual, t.offC, ldc);
            case DOT -> GemmDot.gemm(t.m, t.n, t.k, t.alpha, a, t.offA, lda, b, t.offB, ldb, t.beta, actual, t.offC,
                    ldc);
        }
        float tol = 1e-5f * Math.max(1, t.k) * maxA * maxB * Math.max(1f, Math.abs(t.alpha))
                + 1e-6f * (1f + Math.abs(t.beta));
        for (int x = 0; x < c.length; x++) {
            int rel = x - t.offC;
            boolean inside = rel >= 0 && rel / ldc < t.m && rel % ldc < t.n;
            if (!inside) {
                if (Float.floatToRawIntBits(actual[x]) != Float.floatToRawIntBits(c[x])) {
                    fail(path + " " + t + ": wrote outside C at index " + x);
                }
                continue;
            }
            float e = expected[x];
            float g = actual[x];
            if (!(Math.abs(e - g) <= tol)) {
                fail(path + " " + t + ": C[" + rel / ldc + "," + rel % ldc + "] expected " + e + " got " + g
                        + " (tol " + tol + ")");
            }
        }
        assertEquals(0, java.util.Arrays.compare(a, a0), "A modified");
        assertEquals(0, java.util.Arrays.compare(b, b0), "B modified");
    }

    /** Fills with uniform values in [-1, 1); returns the largest magnitude (for the tolerance). */
    private static float fill(float[] x, SplittableRandom rnd) {
        float max = 0f;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
            max = Math.max(max, Math.abs(x[i]));
        }
        return max;
    }

    private static Case random(SplittableRandom rnd, int m, int n, int k, long seed) {
        float[] alphas = {1f, -0.5f, 2f};
        float[] betas = {0f, 1f, 0.75f, -1f};
        return new Case(rnd.nextBoolean(), rnd.nextBoolean(), m, n, k,
                alphas[rnd.nextInt(alphas.length)], betas[rnd.nextInt(betas.length)],
                rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1, 20), rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1, 20),
                rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1, 20),
                rnd.nextInt(2) == 0 ? 0 : rnd.nextInt(1, 9), rnd.nextInt(2) == 0 ? 0 : rnd.nextInt(1, 9),
                rnd.nextInt(2) == 0 ? 0 : rnd.nextInt(1, 9), seed);
    }

    /** Sizes that sit on, just below and just above every boundary the code has. */
    private static int[] edgeSizes() {
        List<Integer> s = new ArrayList<>(List.of(1, 2, 3, 5, 7));
        for (int base : new int[]{L, 2 * L, MR, 2 * MR, NR, 2 * NR}) {
            s.add(base - 1);
            s.add(base);
            s.add(base + 1);
        }
        return s.stream().mapToInt(Integer::intValue).filter(v -> v >= 1).distinct().sorted().toArray();
    }

    @Test
    void allTransposesAlphaBeta() {
        for (int threads : new int[]{1, Parallel.maxThreads()}) {
            Parallel.setThreads(threads);
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    for (float beta : new float[]{0f, 1f, 0.5f}) {
                        for (float alpha : new float[]{1f, -1.5f}) {
                            for (Path path : Path.values()) {
                                if (path != Path.DOT || (!ta && tb)) {
                                    check(new Case(ta, tb, 37, 53, 29, alpha, beta, 3, 5, 7, 2, 3, 4, 11), path);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void edgeSizesThroughEveryPath() {
        int[] sizes = edgeSizes();
        SplittableRandom rnd = new SplittableRandom(42);
        for (int it = 0; it < 400; it++) {
            int m = sizes[rnd.nextInt(sizes.length)];
            int n = sizes[rnd.nextInt(sizes.length)];
            int k = sizes[rnd.nextInt(sizes.length)];
            Case t = random(rnd, m, n, k, it);
            for (Path path : Path.values()) {
                if (path != Path.DOT || (!t.transA && t.transB)) {
                    check(t, path);
                }
            }
        }
    }

    @Test
    void zeroAndUnitSizes() {
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                for (float beta : new float[]{0f, 1f, -2f}) {
                    int[][] shapes = {{0, 5, 3}, {4, 0, 3}, {4, 5, 0}, {0, 0, 0}, {1, 1, 1}, {1, 9, 17}, {9, 1, 17},
                            {1, 1, 300}, {300, 1, 1}, {1, 300, 1}, {1, 700, 400}, {700, 1, 400}, {5, 6, 1}};
                    for (int[] s : shapes) {
                        check(new Case(ta, tb, s[0], s[1], s[2], 1.25f, beta, 1, 2, 3, 1, 0, 2, 7), Path.PUBLIC);
                    }
                }
                // alpha == 0: C = beta * C without touching A and B.
                check(new Case(ta, tb, 6, 7, 8, 0f, 0.5f, 0, 0, 0, 0, 0, 0, 3), Path.PUBLIC);
                check(new Case(ta, tb, 6, 7, 8, 0f, 0f, 0, 0, 0, 0, 0, 0, 3), Path.PUBLIC);
            }
        }
    }

    @Test
    void dotProductsOfRows() {
        // A x B^T as dot products: whole 4 x 4 tiles and leftover rows and columns, k a multiple of the lane
        // count and not (the masked step), offsets and padded rows; then the shapes the public entry point
        // sends there (a linear layer's forward pass), one big enough to split, and the neighbours past each
        // threshold.
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{4, 4, L}, {4, 4, 1}, {5, 7, L + 3}, {8, 9, 2 * L - 1}, {3, 6, 3 * L + 1}, {13, 4, 40},
                {64, 128, 784}, {64, 120, 400}, {61, 10, 259}, {16, 64, 784}, {8, 16, 300},   // small: dot before direct
                {Thresholds.GEMM_DOT_MAX_ROWS, 128, (int) (Thresholds.GEMM_DOT_MAX_B / 128)}};   // split over threads
        for (int threads : new int[]{1, Parallel.maxThreads()}) {
            Parallel.setThreads(threads);
            for (int[] sh : shapes) {
                Case r = random(rnd, sh[0], sh[1], sh[2], rnd.nextLong());
                Case t = new Case(false, true, sh[0], sh[1], sh[2], r.alpha(), r.beta(), r.offA(), r.offB(), r.offC(),
                        r.padA(), r.padB(), r.padC(), r.seed());
                check(t, Path.DOT);
                check(t, Path.PUBLIC);
            }
        }
        int dotK = Thresholds.GEMM_DOT_MIN_K;
        int dotRows = Thresholds.GEMM_DOT_MAX_ROWS;
        assertEquals(GemmKernels.WIDE, GemmDot.applies(false, true, 64, 128, 784), "a linear layer's forward pass");
        org.junit.jupiter.api.Assertions.assertFalse(GemmDot.applies(false, true, 64, 128, dotK - 1), "k too short");
        org.junit.jupiter.api.Assertions.assertFalse(GemmDot.applies(false, true, dotRows + 1, 16, dotK), "too many rows");
        org.junit.jupiter.api.Assertions.assertFalse(GemmDot.applies(false, true, 64,
                (int) (Thresholds.GEMM_DOT_MAX_B / dotK) + 1, dotK), "B too big for L2");
        org.junit.jupiter.api.Assertions.assertFalse(GemmDot.applies(true, true, 64, 128, 784), "A transposed");
        org.junit.jupiter.api.Assertions.assertFalse(GemmDot.applies(false, false, 64, 128, 784), "B as stored");
    }

    @Test
    void blockBoundaries() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] shapes = {{MC - 1, NR + 1, KC - 1}, {MC + 1, 2 * NR - 1, KC + 1}, {MC, NR, KC},
                {2 * MC + MR + 1, 3 * NR + 2, 2 * KC + 3}, {MR + 1, 5 * NR + L + 1, KC + 5}};
        for (int threads : new int[]{1, Parallel.maxThreads()}) {
            Parallel.setThreads(threads);
            for (int[] s : shapes) {
                check(random(rnd, s[0], s[1], s[2], rnd.nextLong()), Path.PACKED);
            }
        }
    }

    @Test
    void parallelSchedules() {
        // Both schedules split across all pool threads whatever the size, so small shapes exercise the
        // partitioning: ragged units, a single panel, few rows (column units), several KC blocks.
        Parallel.setThreads(Parallel.maxThreads());
        SplittableRandom rnd = new SplittableRandom(99);
        int[][] shapes = {{MR + 1, NR + 3, 7}, {3 * MR + 2, 2 * NR + L + 1, KC + 9}, {1, 1, 1}, {MR, NR, 2 * KC + 1},
                {5 * MR - 1, 3, 40}, {2, 5 * NR + 1, 33}};
        for (Path path : new Path[]{Path.DYNAMIC, Path.SHARED}) {
            for (int[] sh : shapes) {
                check(random(rnd, sh[0], sh[1], sh[2], rnd.nextLong()), path);
            }
        }
    }

    @Test
    void badArgumentsThrowInsteadOfHanging() {
        // B one element short: a worker thread fails mid-way; the others must not wait for it forever.
        Parallel.setThreads(Parallel.maxThreads());
        int m = 200;
        int n = 300;
        int k = 150;
        float[] a = new float[m * k];
        float[] b = new float[k * n - 1];
        float[] c = new float[m * n];
        for (Path path : new Path[]{Path.DYNAMIC, Path.SHARED, Path.PUBLIC}) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
                    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> {
                        switch (path) {
                            case DYNAMIC -> GemmParallel.dynamic(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n,
                                    Parallel.threads());
                            case SHARED -> SimdGemm.shared(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                            default -> SimdGemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                        }
                    }), path.toString());
        }
    }

    @Test
    void largeCrossingBlocks() {
        // Crosses MC and NR many times over; the transpose combinations alternate between one thread and
        // all of them (every combination on both would double the slowest test for little extra coverage).
        int combo = 0;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                int threads = combo % 2 == 0 ? 1 : Parallel.maxThreads();
                Parallel.setThreads(threads);
                check(new Case(ta, tb, 300, 517, 290, 0.5f, combo < 2 ? 0f : 1.5f, 4, 1, 9, 3, 0, 5, combo),
                        Path.PUBLIC);
                combo++;
            }
        }
        for (int threads : new int[]{1, Parallel.maxThreads()}) {
            Parallel.setThreads(threads);
            // Few rows, many columns: the packed path's threads split the columns.
            check(new Case(false, false, MR, 2000, pastParallel(MR * 2000), 1f, 0f, 0, 0, 0, 0, 0, 0, 5), Path.PACKED);
            check(new Case(true, true, 2 * MR - 1, 1500, pastParallel((2 * MR - 1) * 1500), 1f, 1f, 2, 0, 1, 1, 2, 3, 6),
                    Path.PACKED);
            // ... and the same kind of shapes through the public entry (the direct path for thin A).
            check(new Case(false, true, 5, 2000, 300, 1f, 0f, 0, 0, 0, 0, 0, 0, 7), Path.PUBLIC);
            check(new Case(true, false, 9, 1500, 70, 1f, 1f, 2, 0, 1, 1, 2, 3, 8), Path.PUBLIC);
        }
    }

    @Test
    void directPathThinShapesParallel() {
        for (int threads : new int[]{1, Parallel.maxThreads()}) {
            Parallel.setThreads(threads);
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    // Past PARALLEL_GEMM_FLOPS, so the direct path's splits (by rows, by columns) run.
                    check(new Case(ta, tb, 1, 3000, pastParallel(3000), 1f, 0.5f, 1, 2, 3, 0, 3, 0, 1), Path.PUBLIC);
                    check(new Case(ta, tb, 3000, 1, pastParallel(3000), 1f, 0f, 1, 2, 3, 2, 0, 1, 2), Path.PUBLIC);
                    check(new Case(ta, tb, 3, 3000, pastParallel(9000), 1f, 0f, 0, 1, 0, 1, 0, 2, 3), Path.PUBLIC);
                    check(new Case(ta, tb, 8, 2000, pastParallel(16000), 1f, 1f, 0, 1, 0, 1, 0, 2, 4), Path.PUBLIC);
                    check(new Case(ta, tb, 40, 50, 60, 1f, 0f, 1, 2, 3, 2, 0, 1, 2), Path.DIRECT);
                }
            }
        }
    }

    /** A depth k that takes an m x n product (mn = m*n) just past the parallel threshold. */
    private static int pastParallel(int mn) {
        return (int) (dev.vectorgrad.backend.Thresholds.PARALLEL_GEMM_FLOPS / mn + 7);
    }
}
