package dev.vectorgrad.backend;

import dev.vectorgrad.backend.RandomTensors.View;
import dev.vectorgrad.backend.scalar.ScalarBackend;
import dev.vectorgrad.backend.simd.SimdBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static dev.vectorgrad.backend.RandomTensors.GAUSSIAN;
import static dev.vectorgrad.backend.RandomTensors.L;
import static dev.vectorgrad.backend.RandomTensors.MIXED;
import static dev.vectorgrad.backend.RandomTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD elementwise and copy kernels against the scalar specification, on edge-case sizes and on
 * random strided, sliced, transposed and broadcast views; plus a few hand-computed values that pin
 * the scalar specification itself.
 */
class ElementwiseKernelsTest {

    private static final Backend SCALAR = new ScalarBackend();
    private static final Backend SIMD = new SimdBackend();

    /** Ops computed through a transcendental function get a few ulps; the rest must match to float rounding. */
    private static double rel(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIGMOID, TANH, POW -> 2e-6;
            default -> 1e-6;
        };
    }

    private static double abs(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIGMOID, TANH, POW -> 1e-7;
            default -> 0;
        };
    }

    /** Parameters worth trying per op: pow exponents with and without a special-cased form, etc. */
    private static float[][] params(UnaryOp op) {
        return switch (op) {
            case POW -> new float[][]{{2, 0}, {3, 0}, {0, 0}, {1, 0}, {-1, 0}, {0.5f, 0}, {1.7f, 0}, {-2, 0}};
            case LEAKY_RELU -> new float[][]{{0.01f, 0}, {0.2f, 0}};
            case CLAMP -> new float[][]{{-1, 2}, {0, 0.5f}};
            case ADD_SCALAR, MUL_SCALAR -> new float[][]{{2.5f, 0}, {-0.75f, 0}};
            case AFFINE -> new float[][]{{1.5f, -0.25f}, {-2, 3}};
            default -> new float[][]{{0, 0}};
        };
    }

    private static Storage store(Backend b, View v) {
        return b.fromArray(v.data().clone());
    }

    private static float[] unary(Backend b, UnaryOp op, float alpha, float beta, View v) {
        Storage out = b.allocate(v.layout().size());
        b.unary(op, alpha, beta, store(b, v), v.layout(), out);
        return HostStorage.of(out).clone();
    }

    private static float[] binary(Backend b, BinaryOp op, View x, View y) {
        Storage out = b.allocate(x.layout().size());
        b.binary(op, store(b, x), x.layout(), store(b, y), y.layout(), out);
        return HostStorage.of(out).clone();
    }

    private static float[] where(Backend b, View c, View x, View y) {
        Storage out = b.allocate(c.layout().size());
        b.where(store(b, c), c.layout(), store(b, x), x.layout(), store(b, y), y.layout(), out);
        return HostStorage.of(out).clone();
    }

    private static float[] copy(Backend b, View v) {
        Storage out = b.allocate(v.layout().size());
        b.copy(store(b, v), v.layout(), out);
        return HostStorage.of(out).clone();
    }

    private static void checkUnary(UnaryOp op, View v, String what) {
        for (float[] p : params(op)) {
            float[] expected = unary(SCALAR, op, p[0], p[1], v);
            float[] actual = unary(SIMD, op, p[0], p[1], v);
            assertClose(expected, actual, rel(op), abs(op),
                    () -> op + "(" + p[0] + ", " + p[1] + ") on " + what + " " + v);
        }
    }

    private static void checkBinary(BinaryOp op, View x, View y, String what) {
        float[] expected = binary(SCALAR, op, x, y);
        float[] actual = binary(SIMD, op, x, y);
        double rel = op == BinaryOp.POW ? 2e-6 : 1e-6;
        double abs = op == BinaryOp.POW ? 1e-7 : 0;
        assertClose(expected, actual, rel, abs, () -> op + " on " + what + ": " + x + " and " + y);
    }

    // ------------------------------------------------------------------------------------- unary

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryContiguousEdgeSizes(UnaryOp op) {
        Random r = new Random(op.ordinal());
        for (int n : RandomTensors.edgeSizes()) {
            checkUnary(op, RandomTensors.contiguous(r, new int[]{n}, 0, MIXED), "contiguous n=" + n);
            checkUnary(op, RandomTensors.contiguous(r, new int[]{n}, 3, MIXED), "offset n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryRandomViews(UnaryOp op) {
        Random r = new Random(100 + op.ordinal());
        for (int trial = 0; trial < 40; trial++) {
            int[] shape = RandomTensors.shape(r, 3000);
            checkUnary(op, RandomTensors.randomView(r, shape, MIXED), "trial " + trial);
        }
        // Strided views above the parallel thresholds: a transpose and a broadcast row.
        checkUnary(op, RandomTensors.transposed(r, 300, 257, MIXED), "large transpose");
        checkUnary(op, RandomTensors.broadcastTo(r, new int[]{1, 777}, new int[]{100, 777}, MIXED), "large broadcast");
    }

    // ------------------------------------------------------------------------------------- binary

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryContiguousEdgeSizes(BinaryOp op) {
        Random r = new Random(200 + op.ordinal());
        for (int n : RandomTensors.edgeSizes()) {
            int[] shape = {n};
            checkBinary(op, RandomTensors.contiguous(r, shape, 0, MIXED), RandomTensors.contiguous(r, shape, 0, MIXED),
                    "contiguous n=" + n);
            checkBinary(op, RandomTensors.contiguous(r, shape, 5, MIXED), RandomTensors.contiguous(r, shape, 2, MIXED),
                    "offsets n=" + n);
        }
        // Comparisons and max/min against exactly equal values, not just random ones.
        Random same = new Random(7);
        float[] shared = RandomTensors.values(same, 4 * L + 3, RandomTensors.SMALL_INTS);
        View x = new View(shared, Layout.contiguous(shared.length));
        View y = new View(RandomTensors.values(same, shared.length, RandomTensors.SMALL_INTS), x.layout());
        checkBinary(op, x, y, "small integers");
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastScalar(BinaryOp op) {
        Random r = new Random(300 + op.ordinal());
        for (int n : RandomTensors.edgeSizes()) {
            int[] shape = {n};
            View t = RandomTensors.contiguous(r, shape, 1, MIXED);
            for (float s : new float[]{2f, -0.5f, 0f, 3f, Float.NaN}) {
                View scalar = new View(new float[]{9, s}, new Layout(shape, new int[]{0}, 1));
                checkBinary(op, t, scalar, "tensor op scalar " + s + " n=" + n);
                checkBinary(op, scalar, t, "scalar " + s + " op tensor n=" + n);
            }
        }
        // A rank-0 scalar broadcast to a 3-D shape (all strides 0).
        int[] shape = {3, L + 1, 5};
        View scalar = new View(new float[]{1.25f}, new Layout(shape, new int[3], 0));
        checkBinary(op, RandomTensors.contiguous(r, shape, 0, MIXED), scalar, "3-D tensor op scalar");
        checkBinary(op, scalar, RandomTensors.contiguous(r, shape, 0, MIXED), "scalar op 3-D tensor");
        checkBinary(op, scalar, scalar, "scalar op scalar");
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryRowBroadcasts(BinaryOp op) {
        Random r = new Random(400 + op.ordinal());
        int[][][] cases = {
                // {full shape}, {broadcast operand's shape}
                {{7, 10}, {10}},                    // bias over a batch
                {{5, 4 * L + 3}, {4 * L + 3}},
                {{4, 3, 5, 6}, {1, 3, 1, 1}},       // per-channel over NCHW
                {{2, 2 * L + 1, 3, L + 1}, {2 * L + 1, 1, 1}},
                {{6, 1, 8}, {6, 1, 1}},             // per-row constant
                {{3, 4, 5}, {3, 1, 5}},             // broadcast in the middle
                {{600, 130}, {130}},                // above the parallel threshold
                {{9, 130, 8, 8}, {1, 130, 1, 1}},   // above the threshold, channel-wise
        };
        for (int[][] c : cases) {
            int[] shape = c[0];
            View full = RandomTensors.contiguous(r, shape, r.nextInt(3), MIXED);
            View small = RandomTensors.broadcastTo(r, c[1], shape, MIXED);
            String what = Arrays.toString(shape) + " with " + Arrays.toString(c[1]);
            checkBinary(op, full, small, what);
            checkBinary(op, small, full, what + " (swapped)");
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryRandomViews(BinaryOp op) {
        Random r = new Random(500 + op.ordinal());
        for (int trial = 0; trial < 60; trial++) {
            int[] shape = RandomTensors.shape(r, 3000);
            View x = RandomTensors.randomView(r, shape, MIXED);
            View y = RandomTensors.randomView(r, shape, MIXED);
            checkBinary(op, x, y, "trial " + trial);
        }
        checkBinary(op, RandomTensors.transposed(r, 300, 257, MIXED),
                RandomTensors.contiguous(r, new int[]{300, 257}, 0, MIXED), "large transpose with contiguous");
    }

    /** Positive bases (so the vectorised power path is taken), now and then 0, 1, infinity or NaN. */
    private static final RandomTensors.Values POSITIVE = rnd -> {
        int k = rnd.nextInt(200);
        if (k < 4) {
            return new float[]{0f, 1f, Float.POSITIVE_INFINITY, Float.NaN}[k];
        }
        return (float) (Math.abs(rnd.nextGaussian()) * 3 + 1e-3);
    };

    @Test
    void powOnPositiveBases() {
        Random r = new Random(800);
        for (int n : RandomTensors.edgeSizes()) {
            View x = RandomTensors.contiguous(r, new int[]{n}, 1, POSITIVE);
            View e = RandomTensors.contiguous(r, new int[]{n}, 0, GAUSSIAN);
            checkUnary(UnaryOp.POW, x, "positive bases n=" + n);
            checkBinary(BinaryOp.POW, x, e, "positive bases n=" + n);
            for (float base : new float[]{2f, 0.5f, (float) Math.E, 0f, -2f, Float.POSITIVE_INFINITY}) {
                View s = new View(new float[]{base}, new Layout(new int[]{n}, new int[]{0}, 0));
                checkBinary(BinaryOp.POW, s, e, "base " + base + " n=" + n);
            }
        }
    }

    // ------------------------------------------------------------------------------------- where

    /** Conditions with many zeros, some negative zeros and NaNs (which count as true). */
    private static final RandomTensors.Values CONDITION = rnd -> {
        int k = rnd.nextInt(10);
        return k < 4 ? 0f : k == 4 ? -0f : k == 5 ? Float.NaN : (float) rnd.nextGaussian();
    };

    @Test
    void whereEdgeSizesAndBroadcasts() {
        Random r = new Random(600);
        for (int n : RandomTensors.edgeSizes()) {
            int[] shape = {n};
            View c = RandomTensors.contiguous(r, shape, 1, CONDITION);
            View a = RandomTensors.contiguous(r, shape, 0, MIXED);
            View b = RandomTensors.contiguous(r, shape, 2, MIXED);
            View s = new View(new float[]{-4.5f}, new Layout(shape, new int[]{0}, 0));
            View t = new View(new float[]{0, 7f}, new Layout(shape, new int[]{0}, 1));
            for (View[] abc : new View[][]{{c, a, b}, {c, a, s}, {c, s, b}, {c, s, t}, {s, a, b}}) {
                float[] expected = where(SCALAR, abc[0], abc[1], abc[2]);
                float[] actual = where(SIMD, abc[0], abc[1], abc[2]);
                assertClose(expected, actual, 0, 0, () -> "where n=" + n + " " + Arrays.toString(abc));
            }
        }
    }

    @Test
    void whereRandomViews() {
        Random r = new Random(601);
        for (int trial = 0; trial < 150; trial++) {
            int[] shape = RandomTensors.shape(r, 3000);
            View c = RandomTensors.randomView(r, shape, CONDITION);
            View a = RandomTensors.randomView(r, shape, MIXED);
            View b = RandomTensors.randomView(r, shape, MIXED);
            int t = trial;
            assertClose(where(SCALAR, c, a, b), where(SIMD, c, a, b), 0, 0,
                    () -> "where trial " + t + ": " + c + ", " + a + ", " + b);
        }
    }

    // ------------------------------------------------------------------------------------- copy

    @Test
    void copyRandomViews() {
        Random r = new Random(700);
        for (int trial = 0; trial < 300; trial++) {
            int[] shape = RandomTensors.shape(r, 5000);
            View v = RandomTensors.randomView(r, shape, MIXED);
            int t = trial;
            assertClose(copy(SCALAR, v), copy(SIMD, v), 0, 0, () -> "copy trial " + t + ": " + v);
        }
    }

    @Test
    void copyTransposesAndLargeViews() {
        Random r = new Random(701);
        int[][] sizes = {{1, 1}, {L, L}, {31, 33}, {32, 32}, {33, 65}, {100, 7}, {7, 100}, {257, 300}};
        for (int[] s : sizes) {
            View v = RandomTensors.transposed(r, s[0], s[1], MIXED);
            assertClose(copy(SCALAR, v), copy(SIMD, v), 0, 0, () -> "transpose " + v);
        }
        // A batch of transposed matrices (permute (0, 2, 1)), with an offset.
        View batched = RandomTensors.view(r, new int[]{3, 40, 50}, new int[]{0, 2, 1}, new int[]{1, 1, 1},
                new int[3], new int[3], new boolean[3], 4, MIXED);
        assertClose(copy(SCALAR, batched), copy(SIMD, batched), 0, 0, () -> "batched transpose " + batched);
        // Above the parallel threshold: contiguous with an offset, a slice, a broadcast.
        View big = RandomTensors.contiguous(r, new int[]{Thresholds.PARALLEL_ELEMENTWISE + 9}, 11, MIXED);
        assertClose(copy(SCALAR, big), copy(SIMD, big), 0, 0, () -> "big contiguous");
        View slice = RandomTensors.view(r, new int[]{270, 260}, new int[]{0, 1}, new int[]{2, 1}, new int[]{1, 3},
                new int[]{1, 5}, new boolean[2], 0, MIXED);
        assertClose(copy(SCALAR, slice), copy(SIMD, slice), 0, 0, () -> "big slice " + slice);
        View bcast = RandomTensors.broadcastTo(r, new int[]{300, 1}, new int[]{300, 250}, MIXED);
        assertClose(copy(SCALAR, bcast), copy(SIMD, bcast), 0, 0, () -> "big broadcast " + bcast);
        // toArray goes through the same gather.
        assertArrayEquals(SCALAR.toArray(SCALAR.fromArray(slice.data()), slice.layout()),
                SIMD.toArray(SIMD.fromArray(slice.data()), slice.layout()));
    }

    // ------------------------------------------------------------------------------------- the oracle itself

    private static float scalarUnary(UnaryOp op, float alpha, float beta, float x) {
        return unary(SCALAR, op, alpha, beta, new View(new float[]{x}, Layout.contiguous(1)))[0];
    }

    private static float scalarBinary(BinaryOp op, float a, float b) {
        return binary(SCALAR, op, new View(new float[]{a}, Layout.contiguous(1)),
                new View(new float[]{b}, Layout.contiguous(1)))[0];
    }

    @Test
    void scalarSpecificationValues() {
        assertEquals(0f, scalarUnary(UnaryOp.STEP, 0, 0, 0f));
        assertEquals(0f, scalarUnary(UnaryOp.STEP, 0, 0, -2f));
        assertEquals(1f, scalarUnary(UnaryOp.STEP, 0, 0, 1e-30f));
        assertEquals(0f, scalarUnary(UnaryOp.STEP, 0, 0, Float.NaN));
        assertEquals(0f, scalarUnary(UnaryOp.RELU, 0, 0, -3f));
        assertEquals(2f, scalarUnary(UnaryOp.RELU, 0, 0, 2f));
        assertTrue(Float.isNaN(scalarUnary(UnaryOp.RELU, 0, 0, Float.NaN)));
        assertEquals(-0.3f, scalarUnary(UnaryOp.LEAKY_RELU, 0.1f, 0, -3f), 1e-7);
        assertEquals(0.5f, scalarUnary(UnaryOp.SIGMOID, 0, 0, 0f));
        assertEquals(1f, scalarUnary(UnaryOp.SIGMOID, 0, 0, 100f));
        assertEquals((float) Math.exp(-100), scalarUnary(UnaryOp.SIGMOID, 0, 0, -100f), 1e-50);
        assertEquals(0f, scalarUnary(UnaryOp.SIGMOID, 0, 0, Float.NEGATIVE_INFINITY));
        assertEquals(8f, scalarUnary(UnaryOp.POW, 3, 0, 2f));
        assertEquals(1f, scalarUnary(UnaryOp.POW, 0, 0, Float.NaN));
        assertTrue(Float.isNaN(scalarUnary(UnaryOp.POW, 0.5f, 0, -4f)));
        assertEquals(-1f, scalarUnary(UnaryOp.CLAMP, -1, 2, -5f));
        assertEquals(2f, scalarUnary(UnaryOp.CLAMP, -1, 2, 5f));
        assertEquals(0.5f, scalarUnary(UnaryOp.CLAMP, -1, 2, 0.5f));
        assertEquals(7f, scalarUnary(UnaryOp.AFFINE, 2, 1, 3f));
        assertEquals(-1f, scalarUnary(UnaryOp.SIGN, 0, 0, -3f));
        assertEquals(1f, scalarUnary(UnaryOp.SIGN, 0, 0, 0.1f));
        assertEquals(0f, scalarUnary(UnaryOp.SIGN, 0, 0, 0f));
        assertEquals(0.25f, scalarUnary(UnaryOp.RECIPROCAL, 0, 0, 4f));
        assertEquals(Float.POSITIVE_INFINITY, scalarUnary(UnaryOp.RECIPROCAL, 0, 0, 0f));
        assertEquals(0.7615942f, scalarUnary(UnaryOp.TANH, 0, 0, 1f), 1e-7);

        assertEquals(9f, scalarBinary(BinaryOp.POW, 3, 2));
        assertEquals(0.5f, scalarBinary(BinaryOp.POW, 4, -0.5f));
        assertTrue(Float.isNaN(scalarBinary(BinaryOp.MAXIMUM, Float.NaN, 1)));
        assertTrue(Float.isNaN(scalarBinary(BinaryOp.MINIMUM, 1, Float.NaN)));
        assertEquals(3f, scalarBinary(BinaryOp.MAXIMUM, 3, -1));
        assertEquals(1f, scalarBinary(BinaryOp.GT, 2, 1));
        assertEquals(0f, scalarBinary(BinaryOp.GT, 1, 1));
        assertEquals(1f, scalarBinary(BinaryOp.GE, 1, 1));
        assertEquals(1f, scalarBinary(BinaryOp.EQ, 0f, -0f));
        assertEquals(0f, scalarBinary(BinaryOp.EQ, Float.NaN, Float.NaN));
        assertEquals(1f, scalarBinary(BinaryOp.NE, Float.NaN, Float.NaN));
        assertEquals(0f, scalarBinary(BinaryOp.LT, Float.NaN, 1));

        // Broadcasting and strides as the oracle sees them: [[1, 2, 3], [4, 5, 6]] + [10, 20, 30].
        View m = new View(new float[]{1, 2, 3, 4, 5, 6}, Layout.contiguous(2, 3));
        View bias = new View(new float[]{10, 20, 30}, new Layout(new int[]{2, 3}, new int[]{0, 1}, 0));
        assertArrayEquals(new float[]{11, 22, 33, 14, 25, 36}, binary(SCALAR, BinaryOp.ADD, m, bias));
        // The transpose of that matrix, gathered.
        View t = new View(m.data(), new Layout(new int[]{3, 2}, new int[]{1, 3}, 0));
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, copy(SCALAR, t));
        // where with a NaN condition picks a.
        View c = new View(new float[]{0, Float.NaN, -0f, 2}, Layout.contiguous(4));
        View a = new View(new float[]{1, 1, 1, 1}, Layout.contiguous(4));
        View b = new View(new float[]{9, 9, 9, 9}, Layout.contiguous(4));
        assertArrayEquals(new float[]{9, 1, 9, 1}, where(SCALAR, c, a, b));
    }

    @Test
    void simdSigmoidStableForLargeInputs() {
        float[] x = new float[4 * L];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? -1 : 1) * (20f + 5f * i);
        }
        View v = new View(x, Layout.contiguous(x.length));
        float[] expected = unary(SCALAR, UnaryOp.SIGMOID, 0, 0, v);
        float[] actual = unary(SIMD, UnaryOp.SIGMOID, 0, 0, v);
        // Tiny results keep their relative precision (no 1 - (1 - tiny) cancellation).
        for (int i = 0; i < x.length; i++) {
            if (expected[i] > Float.MIN_NORMAL) {
                assertEquals(expected[i], actual[i], 2e-6 * expected[i], "sigmoid(" + x[i] + ")");
            } else {
                assertEquals(expected[i], actual[i], 1e-37, "sigmoid(" + x[i] + ")");
            }
        }
    }
}
