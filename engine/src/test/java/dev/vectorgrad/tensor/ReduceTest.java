package dev.vectorgrad.tensor;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleBinaryOperator;

import static dev.vectorgrad.tensor.Checks.assertClose;
import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.assertValues;
import static dev.vectorgrad.tensor.Checks.iota;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReduceTest {

    /** Naive reduction of one dimension by index arithmetic, the test's own reference. */
    private static float[] reference(Tensor x, int dim, double init, DoubleBinaryOperator f) {
        int[] s = x.shape();
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < dim; i++) {
            outer *= s[i];
        }
        for (int i = dim + 1; i < s.length; i++) {
            inner *= s[i];
        }
        float[] v = x.toArray();
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = init;
                for (int p = 0; p < s[dim]; p++) {
                    acc = f.applyAsDouble(acc, v[(o * s[dim] + p) * inner + i]);
                }
                out[o * inner + i] = (float) acc;
            }
        }
        return out;
    }

    private static int[] keptShape(int[] s, int dim, boolean keep) {
        if (keep) {
            int[] k = s.clone();
            k[dim] = 1;
            return k;
        }
        int[] k = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != dim) {
                k[j++] = s[i];
            }
        }
        return k;
    }

    @Test
    void sumMeanMaxMinAlongEveryDimOfOneToFourD() {
        int[][] shapes = {{5}, {3, 4}, {2, 3, 4}, {2, 3, 2, 3}};
        Rng rng = new Rng(11);
        for (int[] s : shapes) {
            Tensor x = Tensor.randn(rng, s);
            for (int d = 0; d < s.length; d++) {
                for (boolean keep : new boolean[] {false, true}) {
                    int[] expectedShape = keptShape(s, d, keep);
                    Tensor sum = x.sum(d, keep);
                    assertShape(sum, expectedShape);
                    assertArrayEquals(reference(x, d, 0, Double::sum), sum.toArray(), 1e-5f);
                    Tensor mean = x.mean(d - s.length, keep); // negative dims too
                    assertShape(mean, expectedShape);
                    float[] m = reference(x, d, 0, Double::sum);
                    for (int i = 0; i < m.length; i++) {
                        m[i] /= s[d];
                    }
                    assertArrayEquals(m, mean.toArray(), 1e-5f);
                    assertArrayEquals(reference(x, d, Double.NEGATIVE_INFINITY, Math::max), x.max(d, keep).toArray());
                    assertArrayEquals(reference(x, d, Double.POSITIVE_INFINITY, Math::min), x.min(d, keep).toArray());
                    assertShape(x.argmax(d, keep), expectedShape);
                }
            }
        }
    }

    @Test
    void handComputedReductions() {
        Tensor m = Tensor.of(new float[][] {{1, 5, 2}, {7, 0, 3}});
        assertTensor(m.sum(), shape(), 18);
        assertTensor(m.sum(0), shape(3), 8, 5, 5);
        assertTensor(m.sum(1, true), shape(2, 1), 8, 10);
        assertTensor(m.mean(), shape(), 3);
        assertTensor(m.mean(1), shape(2), 8f / 3, 10f / 3);
        assertTensor(m.max(), shape(), 7);
        assertTensor(m.max(1), shape(2), 5, 7);
        assertTensor(m.min(0), shape(3), 1, 0, 2);
        assertTensor(m.argmax(), shape(), 3);
        assertTensor(m.argmax(1), shape(2), 1, 0);
        assertTensor(m.argmin(0, true), shape(1, 3), 0, 1, 0);
        assertTensor(m.argmin(), shape(), 4);
        // Reductions read strided views correctly.
        assertTensor(m.t().sum(1), shape(3), 8, 5, 5);
        assertTensor(m.t().argmax(0), shape(2), 1, 0);
    }

    @Test
    void argmaxReturnsTheFirstOfTies() {
        Tensor t = Tensor.of(new float[][] {{3, 1, 3}, {2, 2, 2}});
        assertValues(t.argmax(1), 0, 0);
        assertValues(t.argmin(1), 1, 0);
        assertValues(t.argmax(), 0);
    }

    @Test
    void severalDimsAtOnce() {
        Tensor x = iota(2, 3, 4);
        assertTensor(x.sum(new int[] {0, 2}, false), shape(3), 6 + 54, 22 + 70, 38 + 86);
        assertShape(x.sum(new int[] {2, 0}, true), 1, 3, 1);
        assertTensor(x.sum(new int[] {}, false), shape(), 276);
        assertTensor(x.max(new int[] {1, 2}, false), shape(2), 11, 23);
        assertTensor(x.mean(new int[] {0, 1}, false), shape(4), 10, 11, 12, 13);
        assertMessage(IllegalArgumentException.class, "sum: dim 0 appears more than once in [0, -3]",
                () -> x.sum(new int[] {0, -3}, false));
        assertMessage(IllegalArgumentException.class, "sum: dim 3 is out of range for a 3-D tensor (valid: -3..2)",
                () -> x.sum(3));
    }

    @Test
    void varianceAndStandardDeviation() {
        Tensor v = Tensor.of(1, 2, 3, 4);
        assertClose(v.var(), 1e-6f, 5f / 3);
        assertClose(v.var(0, false, false), 1e-6f, 1.25f);
        assertClose(v.std(), 1e-6f, (float) Math.sqrt(5.0 / 3));
        assertClose(v.std(0, false, true), 1e-6f, (float) Math.sqrt(1.25));
        assertShape(v.std(0, false, true), 1);
        Tensor m = Tensor.of(new float[][] {{1, 2, 3}, {2, 4, 6}});
        assertTensor(m.var(1), shape(2), 1, 4);
        assertTensor(m.var(0, true, true), shape(1, 3), 0.5f, 2, 4.5f);
        assertTensor(m.std(1), shape(2), 1, 2);
        assertClose(m.var(new int[] {0, 1}, false, false), 1e-6f, 16f / 6);
        // Large offset: the two-pass algorithm keeps float32 precision.
        assertClose(Tensor.of(1e4f + 1, 1e4f + 2, 1e4f + 3, 1e4f + 4).var(), 1e-4f, 5f / 3);
        // One sample: unbiased variance is undefined (NaN), like PyTorch.
        assertTrue(Float.isNaN(Tensor.of(3).var().item()));
        assertEquals(0f, Tensor.of(3).var(0, false, false).item());
    }

    @Test
    void softmaxRowsSumToOneAndAreStable() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {1000, 1001, 1002}, {-1000, 0, 1000}});
        Tensor p = x.softmax(1);
        assertClose(p.sum(1), 1e-6f, 1, 1, 1);
        float[] expected = {0.09003057f, 0.24472847f, 0.66524096f};
        assertArrayEquals(expected, p.select(0, 0).toArray(), 1e-6f);
        assertArrayEquals(expected, p.select(0, 1).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0, 0, 1}, p.select(0, 2).toArray(), 1e-6f);
        for (float f : p.toArray()) {
            assertFalse(Float.isNaN(f));
        }
        Tensor lp = x.logSoftmax(-1);
        assertArrayEquals(new float[] {-2.407606f, -1.4076059f, -0.40760595f}, lp.select(0, 1).toArray(), 1e-5f);
        assertArrayEquals(new float[] {-2000, -1000, 0}, lp.select(0, 2).toArray(), 1e-3f);
        // Along dim 0 (columns) of a transposed view.
        assertClose(x.t().softmax(0).sum(0), 1e-6f, 1, 1, 1);
        assertArrayEquals(expected, x.t().softmax(0).select(1, 0).toArray(), 1e-6f);
        assertTensor(Tensor.scalar(4).softmax(0), shape(), 1);
        assertShape(Tensor.zeros(0, 3).softmax(1), 0, 3);
    }

    @Test
    void emptyReductionsFollowPyTorch() {
        assertTensor(Tensor.zeros(0).sum(), shape(), 0);
        assertTrue(Float.isNaN(Tensor.zeros(0).mean().item()));
        assertTensor(Tensor.zeros(0, 3).sum(0), shape(3), 0, 0, 0);
        assertTrue(Float.isNaN(Tensor.zeros(0, 3).mean(0).get(1)));
        assertShape(Tensor.zeros(2, 0).max(0), 0);
        assertMessage(IllegalArgumentException.class,
                "max: cannot reduce an empty tensor of shape (0); the max of no elements is undefined",
                () -> Tensor.zeros(0).max());
        assertMessage(IllegalArgumentException.class,
                "argmax: cannot reduce dimension 0 of (0,3), which has size 0; the argmax of no elements is undefined",
                () -> Tensor.zeros(0, 3).argmax(0, false));
    }

    @Test
    void zeroDimensionalInputs() {
        Tensor s = Tensor.scalar(5);
        assertTensor(s.sum(0), shape(), 5);
        assertTensor(s.max(-1, true), shape(), 5);
        assertTensor(s.argmax(0, false), shape(), 0);
        assertTensor(s.mean(0), shape(), 5);
        assertMessage(IllegalArgumentException.class, "sum: dim 1 is out of range for a 0-D tensor (valid: -1..0)",
                () -> s.sum(1));
    }
}
