package dev.vectorgrad.backend;

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
import static dev.vectorgrad.backend.RandomTensors.SMALL_INTS;
import static dev.vectorgrad.backend.RandomTensors.assertClose;
import static dev.vectorgrad.backend.RandomTensors.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD reductions and softmax against the scalar specification over many {@code [outer, len,
 * inner]} blocks (inner 1 and wider, lane-count edges, column blocks, above the parallel thresholds,
 * empty ones), plus hand-computed values for the scalar specification itself.
 */
class ReduceKernelsTest {

    private static final Backend SCALAR = new ScalarBackend();
    private static final Backend SIMD = new SimdBackend();

    /** {outer, len, inner} blocks. */
    private static int[][] blocks() {
        return new int[][]{
                {1, 1, 1}, {0, 5, 3}, {3, 5, 0}, {0, 1, 0}, {4, 1, 7},
                {1, L - 1, 1}, {1, L, 1}, {1, L + 1, 1}, {2, 4 * L - 1, 1}, {3, 4 * L + 1, 1}, {5, 8 * L + 3, 1},
                {2, 9, L - 1}, {2, 9, L}, {2, 9, L + 3}, {3, 17, 4 * L + 1}, {2, 5, 4 * L}, {1, 3, 5 * L - 1},
                {3, 7, 300}, {1, 2, 1000}, {6, 33, 2},
                // Rows narrower than a vector (flat-chunk path) and short softmax rows (grouped path).
                {3, 500, 10}, {2, 41, 3}, {2, 1000, L - 1}, {37, 10, 1}, {500, 3, 1}, {1, 31, 1}, {1, 32, 1},
                // Above the parallel thresholds: one long row (split along its length), many rows,
                // one block of many columns, many outer blocks.
                {1, Thresholds.PARALLEL_REDUCE + 11, 1}, {3, 30_001, 1}, {1, 300, 300}, {2, 70, 600}, {700, 3, 50},
                {1, 30_001, 3}, {3000, 31, 1},
        };
    }

    private static float[] reduce(Backend b, ReduceOp op, float[] data, int offset, int[] blk) {
        Storage out = b.allocate(blk[0] * blk[2]);
        b.reduce(op, b.fromArray(data.clone()), offset, blk[0], blk[1], blk[2], out);
        return HostStorage.of(out).clone();
    }

    private static float[] softmax(Backend b, float[] data, int offset, int[] blk, boolean log) {
        Storage out = b.allocate(blk[0] * blk[1] * blk[2]);
        b.softmax(b.fromArray(data.clone()), offset, blk[0], blk[1], blk[2], log, out);
        return HostStorage.of(out).clone();
    }

    /** Sum of |x| along each reduced column: what a sum's rounding error is proportional to. */
    private static double[] absSums(float[] x, int offset, int[] blk) {
        int outer = blk[0];
        int len = blk[1];
        int inner = blk[2];
        double[] s = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < len; j++) {
                for (int i = 0; i < inner; i++) {
                    s[o * inner + i] += Math.abs(x[offset + (o * len + j) * inner + i]);
                }
            }
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceMatchesScalar(ReduceOp op) {
        Random r = new Random(op.ordinal());
        RandomTensors.Values[] flavours = {GAUSSIAN, SMALL_INTS, MIXED};
        String[] names = {"gaussian", "small ints", "mixed specials"};
        for (int[] blk : blocks()) {
            for (int f = 0; f < flavours.length; f++) {
                int offset = r.nextInt(4);
                int n = blk[0] * blk[1] * blk[2];
                float[] data = RandomTensors.values(r, offset + n, flavours[f]);
                float[] expected = reduce(SCALAR, op, data, offset, blk);
                float[] actual = reduce(SIMD, op, data, offset, blk);
                String what = op + " " + Arrays.toString(blk) + " " + names[f] + " offset " + offset;
                if (op != ReduceOp.SUM || flavours[f] == SMALL_INTS) {
                    // Extremes, their indices and sums of small integers are exact in any order.
                    assertClose(expected, actual, 0, 0, () -> what);
                    continue;
                }
                // A float sum's rounding error grows with the length (~sqrt(len) for random signs).
                double[] scale = absSums(data, offset, blk);
                double factor = 2.4e-7 * (1 + Math.sqrt(blk[1]));
                for (int k = 0; k < expected.length; k++) {
                    if (!close(expected[k], actual[k], factor * scale[k])) {
                        fail(what + ": output " + k + " is " + actual[k] + ", expected " + expected[k]);
                    }
                }
            }
        }
    }

    @Test
    void reduceNanAndSignedZeroSemantics() {
        int n = 5 * L + 3;
        for (int nanAt : new int[]{0, 1, L, 4 * L + 1, n - 1}) {
            float[] x = RandomTensors.values(new Random(nanAt), n, GAUSSIAN);
            x[nanAt] = Float.NaN;
            x[n - 1 - (nanAt == n - 1 ? 1 : 0)] = Float.NaN;
            for (ReduceOp op : ReduceOp.values()) {
                float[] s = reduce(SCALAR, op, x, 0, new int[]{1, n, 1});
                float[] v = reduce(SIMD, op, x, 0, new int[]{1, n, 1});
                assertClose(s, v, 0, 0, () -> op + " with NaN at " + nanAt);
                // The same column-wise (inner > 1): the data seen as [n, 1] columns of a [n, 2] block.
                float[] wide = new float[2 * n];
                for (int j = 0; j < n; j++) {
                    wide[2 * j] = x[j];
                    wide[2 * j + 1] = -x[j];
                }
                float[] sw = reduce(SCALAR, op, wide, 0, new int[]{1, n, 2});
                float[] vw = reduce(SIMD, op, wide, 0, new int[]{1, n, 2});
                assertClose(sw, vw, 0, 0, () -> op + " column-wise with NaN at " + nanAt);
            }
            assertTrue(Float.isNaN(reduce(SCALAR, ReduceOp.MAX, x, 0, new int[]{1, n, 1})[0]));
            assertEquals(Math.min(nanAt, n - 1 - (nanAt == n - 1 ? 1 : 0)),
                    reduce(SCALAR, ReduceOp.ARGMAX, x, 0, new int[]{1, n, 1})[0]);
        }
        // Signed zeros tie: the first one is the argmax and the argmin.
        float[] z = {-0f, 0f, -0f, 0f};
        for (ReduceOp op : new ReduceOp[]{ReduceOp.ARGMAX, ReduceOp.ARGMIN}) {
            assertEquals(0f, reduce(SCALAR, op, z, 0, new int[]{1, 4, 1})[0]);
            assertEquals(0f, reduce(SIMD, op, z, 0, new int[]{1, 4, 1})[0]);
        }
    }

    @Test
    void softmaxMatchesScalar() {
        Random r = new Random(42);
        RandomTensors.Values large = rnd -> (float) (rnd.nextGaussian() * 1000 + 5000);
        RandomTensors.Values[] flavours = {GAUSSIAN, large, MIXED};
        String[] names = {"gaussian", "large magnitudes", "mixed specials"};
        for (int[] blk : blocks()) {
            for (int f = 0; f < flavours.length; f++) {
                for (boolean log : new boolean[]{false, true}) {
                    int offset = r.nextInt(4);
                    int n = blk[0] * blk[1] * blk[2];
                    float[] data = RandomTensors.values(r, offset + n, flavours[f]);
                    float[] expected = softmax(SCALAR, data, offset, blk, log);
                    float[] actual = softmax(SIMD, data, offset, blk, log);
                    String what = (log ? "log-softmax " : "softmax ") + Arrays.toString(blk) + " " + names[f];
                    double lengthError = 2.4e-7 * Math.sqrt(blk[1]);
                    if (log) {
                        assertClose(expected, actual, 1e-6, 2e-6 + lengthError, () -> what);
                    } else {
                        assertClose(expected, actual, 4e-6 + lengthError, 1e-30, () -> what);
                    }
                }
            }
        }
    }

    @Test
    void softmaxDoesNotOverflow() {
        // exp(1000) overflows float and double alike; the shifted form must not.
        float[] x = new float[3 * L + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1000f + i;
        }
        int[] blk = {1, x.length, 1};
        for (Backend b : new Backend[]{SCALAR, SIMD}) {
            float[] p = softmax(b, x, 0, blk, false);
            float[] lp = softmax(b, x, 0, blk, true);
            double total = 0;
            for (int i = 0; i < x.length; i++) {
                assertTrue(Float.isFinite(p[i]) && Float.isFinite(lp[i]), b.name() + " element " + i);
                total += p[i];
            }
            assertEquals(1.0, total, 1e-5, b.name());
        }
    }

    // ------------------------------------------------------------------------------------- the oracle itself

    @Test
    void scalarSpecificationValues() {
        float[] x = {1, 2, 3};
        int[] row = {1, 3, 1};
        assertArrayEquals(new float[]{0.09003057f, 0.24472847f, 0.66524096f}, softmax(SCALAR, x, 0, row, false), 1e-7f);
        assertArrayEquals(new float[]{-2.4076059f, -1.4076059f, -0.40760596f}, softmax(SCALAR, x, 0, row, true), 1e-6f);
        // Shifting by a constant changes nothing, even far beyond exp's range.
        assertArrayEquals(softmax(SCALAR, x, 0, row, false),
                softmax(SCALAR, new float[]{1001, 1002, 1003}, 0, row, false), 1e-7f);
        // Along the middle axis with inner > 1: columns of [[1, 2], [3, 4]] are independent rows.
        assertArrayEquals(new float[]{0.11920292f, 0.11920292f, 0.8807971f, 0.8807971f},
                softmax(SCALAR, new float[]{1, 2, 3, 4}, 0, new int[]{1, 2, 2}, false), 1e-7f);

        assertArrayEquals(new float[]{10}, reduce(SCALAR, ReduceOp.SUM, new float[]{99, 1, 2, 3, 4}, 1, new int[]{1, 4, 1}));
        // [[1, 2], [3, 4], [5, 6]] reduced over its rows, and [[1, 2, 3], [4, 5, 6]] over its columns.
        float[] m = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[]{9, 12}, reduce(SCALAR, ReduceOp.SUM, m, 0, new int[]{1, 3, 2}));
        assertArrayEquals(new float[]{5, 6}, reduce(SCALAR, ReduceOp.MAX, m, 0, new int[]{1, 3, 2}));
        assertArrayEquals(new float[]{1, 4}, reduce(SCALAR, ReduceOp.MIN, m, 0, new int[]{2, 3, 1}));
        assertArrayEquals(new float[]{2, 2}, reduce(SCALAR, ReduceOp.ARGMAX, m, 0, new int[]{1, 3, 2}));
        // Ties go to the first index.
        assertArrayEquals(new float[]{1}, reduce(SCALAR, ReduceOp.ARGMAX, new float[]{1, 3, 3, 2}, 0, new int[]{1, 4, 1}));
        assertArrayEquals(new float[]{1}, reduce(SCALAR, ReduceOp.ARGMIN, new float[]{2, 0, 1, 0}, 0, new int[]{1, 4, 1}));
        // NaN propagates through max / min and wins argmax / argmin.
        float[] withNan = {1, Float.NaN, 5, Float.NaN};
        assertTrue(Float.isNaN(reduce(SCALAR, ReduceOp.MAX, withNan, 0, new int[]{1, 4, 1})[0]));
        assertTrue(Float.isNaN(reduce(SCALAR, ReduceOp.MIN, withNan, 0, new int[]{1, 4, 1})[0]));
        assertArrayEquals(new float[]{1}, reduce(SCALAR, ReduceOp.ARGMAX, withNan, 0, new int[]{1, 4, 1}));
        assertArrayEquals(new float[]{1}, reduce(SCALAR, ReduceOp.ARGMIN, withNan, 0, new int[]{1, 4, 1}));
    }
}
