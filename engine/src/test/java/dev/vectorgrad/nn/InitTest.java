package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {

    /** Mean, standard deviation (population), min and max of a tensor, in double. */
    private record Stats(double mean, double std, double min, double max) {
        static Stats of(Tensor t) {
            float[] v = t.toArray();
            double s = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float x : v) {
                s += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double mean = s / v.length;
            double ss = 0;
            for (float x : v) {
                ss += (x - mean) * (x - mean);
            }
            return new Stats(mean, Math.sqrt(ss / v.length), min, max);
        }
    }

    private static final int N = 1000;

    /** Checks a uniform distribution on (-bound, bound): range, mean 0, std bound/sqrt(3). */
    private static void assertUniform(Parameter p, double bound) {
        Stats s = Stats.of(p.value());
        double slack = bound * 1e-6; // the bounds are rounded to float
        assertTrue(s.min() >= -bound - slack && s.max() <= bound + slack, s + " outside +-" + bound);
        assertTrue(s.min() < -0.99 * bound && s.max() > 0.99 * bound, s + " does not fill +-" + bound);
        double std = bound / Math.sqrt(3);
        assertEquals(0, s.mean(), 5 * std / Math.sqrt(p.numel()), s.toString());
        assertEquals(std, s.std(), 0.01 * std, s.toString());
    }

    private static void assertNormal(Parameter p, double mean, double std) {
        Stats s = Stats.of(p.value());
        assertEquals(mean, s.mean(), 5 * std / Math.sqrt(p.numel()), s.toString());
        assertEquals(std, s.std(), 0.01 * std, s.toString());
    }

    @Test
    void uniformAndNormal() {
        Rng rng = new Rng(3);
        Parameter u = Init.uniform(new Parameter(N, N), -2f, 3f, rng);
        Stats s = Stats.of(u.value());
        assertTrue(s.min() >= -2 && s.max() < 3);
        assertEquals(0.5, s.mean(), 0.01);
        assertEquals(5 / Math.sqrt(12), s.std(), 0.01);
        assertNormal(Init.normal(new Parameter(N, N), 2f, 3f, rng), 2, 3);
    }

    @Test
    void constants() {
        Parameter p = new Parameter(2, 3);
        NnChecks.assertClose(Init.constant(p, 1.5f).value(), 0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5);
        NnChecks.assertClose(Init.zeros(p).value(), 0, 0, 0, 0, 0, 0, 0);
        NnChecks.assertClose(Init.ones(p).value(), 0, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void fansAndGains() {
        assertEquals(new Init.Fans(150, 400), Init.fans(16, 6, 5, 5));
        assertEquals(new Init.Fans(400, 120), Init.fans(120, 400));
        assertThrows(IllegalArgumentException.class, () -> Init.fans(7));
        assertEquals(1.0, Init.gain(Init.Nonlinearity.LINEAR));
        assertEquals(1.0, Init.gain(Init.Nonlinearity.SIGMOID));
        assertEquals(5.0 / 3, Init.gain(Init.Nonlinearity.TANH));
        assertEquals(Math.sqrt(2), Init.gain(Init.Nonlinearity.RELU));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.gain(Init.Nonlinearity.LEAKY_RELU));
        assertEquals(Math.sqrt(1.0 / 3), Init.gain(Init.Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.gain(Init.Nonlinearity.SELU));
    }

    @Test
    void xavier() {
        Rng rng = new Rng(4);
        // fanIn 500, fanOut 2000
        assertUniform(Init.xavierUniform(new Parameter(2000, 500), 2.0, rng), 2.0 * Math.sqrt(6.0 / 2500));
        assertNormal(Init.xavierNormal(new Parameter(2000, 500), 1.0, rng), 0, Math.sqrt(2.0 / 2500));
    }

    @Test
    void kaiming() {
        Rng rng = new Rng(5);
        // (out, in, kH, kW) = (100, 40, 5, 5): fanIn 1000, fanOut 2500
        assertUniform(Init.kaimingUniform(new Parameter(100, 40, 5, 5), 0, Init.Mode.FAN_IN,
                Init.Nonlinearity.RELU, rng), Math.sqrt(6.0 / 1000));
        assertNormal(Init.kaimingNormal(new Parameter(100, 40, 5, 5), 0, Init.Mode.FAN_OUT,
                Init.Nonlinearity.RELU, rng), 0, Math.sqrt(2.0 / 2500));
        assertNormal(Init.kaimingNormal(new Parameter(100, 40, 5, 5), 0.2, Init.Mode.FAN_IN,
                Init.Nonlinearity.LEAKY_RELU, rng), 0, Math.sqrt(2.0 / 1.04) / Math.sqrt(1000));
    }

    @Test
    void layerDefaultsAreUniformOneOverSqrtFanIn() {
        Linear lin = new Linear(1000, 1000);
        assertUniform(lin.weight(), 1 / Math.sqrt(1000));
        Stats b = Stats.of(lin.bias().value());
        assertTrue(b.min() >= -1.000001 / Math.sqrt(1000) && b.max() <= 1.000001 / Math.sqrt(1000), b.toString());
        Conv2d conv = new Conv2d(40, 1000, 5);
        assertUniform(conv.weight(), 1 / Math.sqrt(1000));
        BatchNorm2d bn = new BatchNorm2d(3);
        NnChecks.assertClose(bn.weight().value(), 0, 1, 1, 1);
        NnChecks.assertClose(bn.bias().value(), 0, 0, 0, 0);
    }

    @Test
    void theSameSeedGivesTheSameWeightsWheneverTheyAreAllocated() {
        Rng.seed(123);
        Linear a = new Linear(5, 3);
        Linear b = new Linear(5, 3);
        Tensor aw = a.weight().value();
        Tensor bw = b.weight().value();
        Rng.seed(123);
        Linear c = new Linear(5, 3);
        Linear d = new Linear(5, 3);
        Tensor.randn(10); // other draws between construction and first use change nothing
        Tensor dw = d.weight().value(); // allocated in the other order
        Tensor cw = c.weight().value();
        assertEquals(aw, cw);
        assertEquals(bw, dw);
        assertEquals(a.bias().value(), c.bias().value());
        assertNotEquals(aw, bw);
    }

    @Test
    void resetParametersDrawsFromTheGivenGenerator() {
        Sequential m = NnChecks.lenet();
        m.resetParameters(new Rng(9));
        Tensor first = m.parameter("7.weight").value().clone();
        Tensor live = m.parameter("7.weight").value();
        m.resetParameters(new Rng(10));
        assertNotEquals(first, live);
        m.resetParameters(new Rng(9));
        assertEquals(first, live);
        assertSame(live, m.parameter("7.weight").value()); // reset writes in place
    }

    @Test
    void resetClearsBatchNormRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.forward(Tensor.of(new float[][] {{1, 2}, {3, 6}}));
        bn.resetParameters();
        NnChecks.assertClose(bn.runningMean(), 0, 0, 0);
        NnChecks.assertClose(bn.runningVar(), 0, 1, 1);
        assertEquals(0f, bn.numBatchesTracked().item());
    }

    @Test
    void initializersFillAllocatedParametersInPlace() {
        Parameter p = new Parameter(Tensor.zeros(20, 10));
        Tensor v = p.value();
        Init.kaimingUniform(p, 0, Init.Mode.FAN_IN, Init.Nonlinearity.RELU, new Rng(1));
        assertSame(v, p.value());
        assertTrue(Stats.of(v).max() > 0);
    }
}
