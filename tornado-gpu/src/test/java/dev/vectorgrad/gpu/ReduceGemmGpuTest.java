package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.gpu.opencl.ClBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static dev.vectorgrad.gpu.Gpu.SCALAR;

/**
 * Reductions (both launch shapes: a work-item per output for short axes, a work-group per output for
 * long ones), softmax and SGEMM on the device against the scalar reference.
 */
class ReduceGemmGpuTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    /** [outer, len, inner] blocks: short axes (one work-item each), long axes (a work-group each), tails. */
    private static final int[][] BLOCKS = {
            {1, 1, 1}, {1, 7, 1}, {3, 5, 4}, {2, 1, 9}, {5, 63, 1}, {1, 64, 1}, {2, 65, 3}, {1, 300, 1},
            {3, 130, 2}, {1, 1000, 1}, {4, 3, 65}
    };

    private static float[] reduce(Backend b, ReduceOp op, float[] data, int offset, int[] blk) {
        Storage out = b.allocate(blk[0] * blk[2]);
        b.reduce(op, b.fromArray(data.clone()), offset, blk[0], blk[1], blk[2], out);
        return Gpu.read(b, out);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reductionsMatchTheReference(ReduceOp op) {
        Random r = new Random(op.ordinal() + 100);
        for (int[] blk : BLOCKS) {
            for (Views.Values values : new Views.Values[] {Gpu::random, Gpu::ties, Gpu::mixed}) {
                int offset = r.nextInt(4);
                float[] data = values.make(r, offset + blk[0] * blk[1] * blk[2] + r.nextInt(3));
                float[] expected = reduce(SCALAR, op, data, offset, blk);
                float[] actual = reduce(gpu, op, data, offset, blk);
                if (op == ReduceOp.SUM) {
                    Gpu.assertClose(expected, actual, 1e-6, 1e-6, () -> op + " " + Arrays.toString(blk));
                } else {
                    Gpu.assertSame(expected, actual, () -> op + " " + Arrays.toString(blk) + " of "
                            + Arrays.toString(Arrays.copyOfRange(data, offset, Math.min(data.length, offset + 40))));
                }
            }
        }
    }

    @Test
    void argReductionsKeepTheFirstIndexAndTheFirstNaNOnBothLaunchShapes() {
        for (int len : new int[] {5, 200}) {
            float[] x = new float[len];
            Arrays.fill(x, 1f);
            x[len - 2] = 3f;
            x[len / 2] = 3f;   // tie: the earlier index wins
            x[len - 1] = -0f;
            float[] argmax = reduce(gpu, ReduceOp.ARGMAX, x, 0, new int[] {1, len, 1});
            Gpu.assertSame(new float[] {len / 2}, argmax, () -> "argmax tie, len " + len);
            x[len - 3] = Float.NaN;
            x[len - 1] = Float.NaN;
            Gpu.assertSame(new float[] {len - 3}, reduce(gpu, ReduceOp.ARGMAX, x, 0, new int[] {1, len, 1}),
                    () -> "argmax NaN, len " + len);
            Gpu.assertSame(new float[] {len - 3}, reduce(gpu, ReduceOp.ARGMIN, x, 0, new int[] {1, len, 1}),
                    () -> "argmin NaN, len " + len);
            Gpu.assertSame(new float[] {Float.NaN}, reduce(gpu, ReduceOp.MAX, x, 0, new int[] {1, len, 1}),
                    () -> "max NaN, len " + len);
            float[] zeros = new float[len];
            zeros[0] = -0f;
            Gpu.assertSame(new float[] {0f}, reduce(gpu, ReduceOp.MAX, zeros, 0, new int[] {1, len, 1}),
                    () -> "max of -0 and +0, len " + len);
            Gpu.assertSame(new float[] {-0f}, reduce(gpu, ReduceOp.MIN, zeros, 0, new int[] {1, len, 1}),
                    () -> "min of -0 and +0, len " + len);
        }
    }

    @Test
    void softmaxAndLogSoftmaxMatchTheReference() {
        Random r = new Random(42);
        for (int[] blk : BLOCKS) {
            for (boolean log : new boolean[] {false, true}) {
                int offset = r.nextInt(3);
                float[] data = Gpu.random(r, offset + blk[0] * blk[1] * blk[2]);
                if (blk[1] > 3) {
                    data[offset] = 80f;     // large values: the max shift keeps exp finite
                    data[offset + 1] = -1e4f;
                }
                float[] expected = softmax(SCALAR, data, offset, blk, log);
                float[] actual = softmax(gpu, data, offset, blk, log);
                Gpu.assertClose(expected, actual, 2e-6, 1e-7, () -> (log ? "logSoftmax " : "softmax ") + Arrays.toString(blk));
            }
        }
        float[] nan = {1f, Float.NaN, 2f};
        Gpu.assertSame(softmax(SCALAR, nan, 0, new int[] {1, 3, 1}, false), softmax(gpu, nan, 0, new int[] {1, 3, 1}, false),
                () -> "softmax with NaN");
    }

    private static float[] softmax(Backend b, float[] data, int offset, int[] blk, boolean log) {
        Storage out = b.allocate(blk[0] * blk[1] * blk[2]);
        b.softmax(b.fromArray(data.clone()), offset, blk[0], blk[1], blk[2], log, out);
        return Gpu.read(b, out);
    }

    // ---------------------------------------------------------------- GEMM

    private static float[] gemm(Backend be, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a,
                                int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        Storage sc = be.fromArray(c.clone());
        be.gemm(ta, tb, m, n, k, alpha, be.fromArray(a.clone()), offA, lda, be.fromArray(b.clone()), offB, ldb,
                beta, sc, offC, ldc);
        return Gpu.read(be, sc);
    }

    @Test
    void gemmMatchesTheReferenceWithTransposesOffsetsLeadingDimensionsAlphaAndBeta() {
        Random r = new Random(3);
        int[][] sizes = {{1, 1, 1}, {5, 7, 3}, {17, 9, 33}, {2, 65, 4}, {8, 1, 16}, {1, 12, 70}};
        for (int[] s : sizes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0;
                boolean tb = (variant & 2) != 0;
                int lda = (ta ? m : k) + r.nextInt(3);
                int ldb = (tb ? k : n) + r.nextInt(3);
                int ldc = n + r.nextInt(3);
                int offA = r.nextInt(4);
                int offB = r.nextInt(4);
                int offC = r.nextInt(4);
                float[] a = Gpu.random(r, offA + (ta ? k : m) * lda);
                float[] b = Gpu.random(r, offB + (tb ? n : k) * ldb);
                float[] c = Gpu.random(r, offC + m * ldc);
                float alpha = variant == 3 ? -0.5f : 1f;
                float beta = variant == 1 ? 0.75f : variant == 2 ? 1f : 0f;
                float[] expected = gemm(SCALAR, ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
                float[] actual = gemm(gpu, ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
                Gpu.assertClose(expected, actual, 1e-5, 2e-6 * k, () -> "gemm " + (ta ? "T" : "N") + (tb ? "T" : "N")
                        + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta);
            }
        }
    }

    @Test
    void gemmWithBetaZeroIgnoresNaNInCAndHandlesEmptyInnerDimension() {
        float[] a = {1, 2, 3, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, 7f};
        Gpu.assertSame(new float[] {1, 2, 3, 4, 7f}, gemm(gpu, false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2),
                () -> "beta 0 over NaN");
        float[] c2 = {1, 2, 3, 4};
        Gpu.assertSame(new float[] {0.5f, 1, 1.5f, 2}, gemm(gpu, false, false, 2, 2, 0, 1f, new float[1], 0, 1,
                new float[1], 0, 2, 0.5f, c2, 0, 2), () -> "k = 0 scales C by beta");
        Gpu.assertSame(new float[] {0, 0, 0, 0}, gemm(gpu, false, false, 2, 2, 0, 1f, new float[1], 0, 1,
                new float[1], 0, 2, 0f, new float[] {Float.NaN, 1, 2, 3}, 0, 2), () -> "k = 0, beta 0");
        Gpu.assertSame(c2, gemm(gpu, false, false, 0, 2, 3, 1f, new float[1], 0, 3, new float[6], 0, 2, 0f, c2, 0, 2),
                () -> "m = 0 leaves C alone");
    }
}
