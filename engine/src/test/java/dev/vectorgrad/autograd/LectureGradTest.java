package dev.vectorgrad.autograd;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The lectures' worked examples (seeds 001, 002, 004) reproduced by autograd on every CPU backend.
 * Values the slides print are asserted to the digits printed; the back-propagation example also to
 * the nine digits of its well-known source, within float32 tolerance (1e-6 relative).
 */
class LectureGradTest {

    static List<String> backends() {
        return GradOpsTest.backends();
    }

    private static void assertRel(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, Math.abs(expected) * rel, what);
    }

    /** Seed 002, chain rule: y = x^3, z = x^2, f = y z, so df/dx = z 3x^2 + y 2x = 5x^4. */
    @ParameterizedTest
    @MethodSource("backends")
    void chainRuleGivesFiveXToTheFourth(String backend) {
        try (var s = Backends.use(backend)) {
            float[] xs = {-2f, -0.5f, 0.5f, 1f, 1.5f, 3f};
            Tensor x = Tensor.of(xs).requiresGrad();
            Tensor y = x.pow(3f);
            Tensor z = x.pow(2f);
            Tensor f = y.mul(z);
            f.sum().backward();
            float[] g = x.grad().toArray();
            for (int i = 0; i < xs.length; i++) {
                assertRel(5 * Math.pow(xs[i], 4), g[i], 1e-6, "df/dx at x = " + xs[i]);
            }
        }
    }

    /** Seed 004, "express a function as a graph": f = (x + y) z at x = -2, y = 5, z = -4. */
    @ParameterizedTest
    @MethodSource("backends")
    void sumTimesProductGraph(String backend) {
        try (var s = Backends.use(backend)) {
            Tensor x = Tensor.scalar(-2f).requiresGrad();
            Tensor y = Tensor.scalar(5f).requiresGrad();
            Tensor z = Tensor.scalar(-4f).requiresGrad();
            Tensor q = x.add(y);
            Tensor f = q.mul(z);
            assertEquals(-12f, f.item());
            f.backward();
            assertEquals(-4f, x.grad().item(), "df/dx = dq/dx * df/dq = 1 * z");
            assertEquals(-4f, y.grad().item(), "df/dy = 1 * z");
            assertEquals(3f, z.grad().item(), "df/dz = q");
            assertEquals("MulBackward", f.gradFn().name());
            assertEquals("AddBackward", f.gradFn().nextFunctions().get(0).name());
        }
    }

    /**
     * Seed 001, the perceptron example: y = g(theta0 + x^T theta) with theta0 = 1, theta = (3, -2) at
     * x = (-1, 2): g(-6) ~ 0.002 with the sigmoid; its gradient is g'(z) (1, x). With the hard
     * threshold the output is 0 and every gradient is exactly 0.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void perceptronExample(String backend) {
        try (var s = Backends.use(backend)) {
            Tensor x = Tensor.of(-1f, 2f);
            Tensor theta0 = Tensor.scalar(1f).requiresGrad();
            Tensor theta = Tensor.of(3f, -2f).requiresGrad();
            Tensor z = theta0.add(x.dot(theta));
            assertEquals(-6f, z.item());
            Tensor yHat = z.sigmoid();
            assertEquals(0.002, yHat.item(), 0.0005, "the slide's g(-6) ~ 0.002");
            assertRel(1 / (1 + Math.exp(6)), yHat.item(), 1e-6, "sigmoid(-6)");
            yHat.backward();
            double gp = yHat.item() * (1 - yHat.item());
            assertRel(gp, theta0.grad().item(), 1e-5, "d yHat / d theta0");
            assertArrayEquals(new float[] {(float) -gp, (float) (2 * gp)}, theta.grad().toArray(), 1e-8f);

            theta0.zeroGrad();
            theta.zeroGrad();
            Tensor step = theta0.add(x.dot(theta)).step();
            assertEquals(0f, step.item());
            step.backward();
            assertEquals(0f, theta0.grad().item(), "a step has zero gradient");
            assertArrayEquals(new float[] {0f, 0f}, theta.grad().toArray());
        }
    }

    /**
     * Seed 001, back-propagation worked example: inputs 0.05, 0.10; w1..w8 = 0.15, 0.20, 0.25, 0.30,
     * 0.40, 0.45, 0.50, 0.55; biases 0.35, 0.60 held fixed; targets 0.01, 0.99; sigmoid units;
     * E = sum 1/2 (t - o)^2; one SGD step with eta = 0.5.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void backpropagationWorkedExample(String backend) {
        try (var s = Backends.use(backend)) {
            Tensor in = Tensor.of(0.05f, 0.10f);
            Tensor target = Tensor.of(0.01f, 0.99f);
            Tensor w1 = Tensor.of(new float[][] {{0.15f, 0.20f}, {0.25f, 0.30f}}).requiresGrad(); // rows: h1, h2
            Tensor w2 = Tensor.of(new float[][] {{0.40f, 0.45f}, {0.50f, 0.55f}}).requiresGrad(); // rows: o1, o2

            Tensor h = w1.matmul(in).add(0.35f).sigmoid();
            Tensor o = w2.matmul(h).add(0.60f).sigmoid();
            Tensor e = target.sub(o).square().mul(0.5f).sum();

            // Forward pass, as printed on the slides.
            assertEquals(0.3775, w1.matmul(in).add(0.35f).get(0), 5e-7, "net_h1");
            assertEquals(0.593, h.get(0), 5e-4, "out_h1");
            assertEquals(0.597, h.get(1), 5e-4, "out_h2");
            assertEquals(1.106, w2.matmul(h).add(0.60f).get(0), 5e-4, "net_o1");
            assertEquals(0.751, o.get(0), 5e-4, "out_o1");
            assertEquals(0.773, o.get(1), 5e-4, "out_o2");
            assertEquals(0.275, target.sub(o).square().mul(0.5f).get(0), 5e-4, "E_o1");
            assertEquals(0.024, target.sub(o).square().mul(0.5f).get(1), 5e-4, "E_o2");
            assertEquals(0.298, e.item(), 5e-4, "E_total (slide)");
            assertRel(0.298371109, e.item(), 1e-6, "E_total");

            e.backward();
            float[] g2 = w2.grad().toArray();
            float[] g1 = w1.grad().toArray();
            assertEquals(0.082, g2[0], 5e-4, "dE/dw5 (slide)");
            assertRel(0.082167041, g2[0], 1e-6, "dE/dw5");
            assertEquals(0.00044, g1[0], 5e-6, "dE/dw1 (slide)");

            try (var g = Grad.off()) {
                w1.addInPlace(w1.grad(), -0.5f);
                w2.addInPlace(w2.grad(), -0.5f);
            }
            float[] n1 = w1.toArray();
            float[] n2 = w2.toArray();
            assertEquals(0.359, n2[0], 5e-4, "w5+ (slide)");
            assertRel(0.35891648, n2[0], 1e-6, "w5+");
            assertEquals(0.409, n2[1], 5e-4, "w6+");
            assertEquals(0.511, n2[2], 5e-4, "w7+");
            assertEquals(0.561, n2[3], 5e-4, "w8+");
            assertEquals(0.1497, n1[0], 1e-4, "w1+ (the slide prints 0.1497, truncating 0.149781)");
            assertRel(0.149780716, n1[0], 1e-6, "w1+");
            assertEquals(0.1996, n1[1], 5e-5, "w2+");
            assertEquals(0.2498, n1[2], 5e-5, "w3+");
            assertEquals(0.2995, n1[3], 5e-5, "w4+");

            Tensor after;
            try (var g = Grad.off()) {
                Tensor h2 = w1.matmul(in).add(0.35f).sigmoid();
                Tensor o2 = w2.matmul(h2).add(0.60f).sigmoid();
                after = target.sub(o2).square().mul(0.5f).sum();
            }
            assertEquals(0.291, after.item(), 5e-4, "E_total after one update (slide)");
            assertRel(0.291027924, after.item(), 1e-6, "E_total after one update");
        }
    }
}
