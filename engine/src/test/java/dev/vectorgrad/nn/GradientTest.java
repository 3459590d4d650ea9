package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.autograd.GradCheck;
import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gradients of every layer and loss checked with {@link GradCheck} (layers with parameters through
 * their functional form, with the parameters as inputs), whole models end to end through their
 * {@link Parameter}s, and the lectures' numbers.
 */
class GradientTest {

    private final Rng rng = new Rng(77);

    /** Values whose magnitudes lie in [0.2, 1.2] with random signs: away from the kinks at 0. */
    private Tensor awayFromZero(int... shape) {
        float[] v = new float[numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rng.nextFloat() + 0.2f) * (rng.nextFloat() < 0.5f ? -1 : 1);
        }
        return Tensor.fromArray(v, shape);
    }

    /** Distinct values 0.1 apart in random order: no near ties inside a pooling window. */
    private Tensor distinct(int... shape) {
        int n = numel(shape);
        int[] perm = rng.permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f * perm[i] - 0.05f * n;
        }
        return Tensor.fromArray(v, shape);
    }

    private static int numel(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private Tensor randn(int... shape) {
        return Tensor.randn(rng, shape);
    }

    /** GradCheck of a module with respect to its input. */
    private static void checkInput(Module m, Tensor x) {
        GradCheck.check(t -> m.forward(t[0]), x).assertOk();
    }

    // ================================================================ layers

    @Test
    void linear() {
        GradCheck.check(t -> F.linear(t[0], t[1], t[2]), randn(5, 4), randn(3, 4), randn(3)).assertOk();
        GradCheck.check(t -> F.linear(t[0], t[1], null), randn(4), randn(2, 4)).assertOk();
        GradCheck.check(t -> F.linear(t[0], t[1], t[2]), randn(2, 3, 4), randn(3, 4), randn(3)).assertOk();
        checkInput(new Linear(4, 3), randn(5, 4));
    }

    @Test
    void conv2d() {
        GradCheck.check(t -> F.conv2d(t[0], t[1], t[2], new int[] {1, 1}, new int[] {1, 1}),
                randn(2, 2, 5, 5), randn(3, 2, 3, 3), randn(3)).assertOk();
        GradCheck.check(t -> F.conv2d(t[0], t[1], null, new int[] {2, 2}, new int[] {0, 0}),
                randn(1, 2, 7, 6), randn(2, 2, 3, 3)).assertOk();
        checkInput(new Conv2d(2, 3, 3, 1, 1), randn(2, 2, 5, 5));
    }

    @Test
    void pooling() {
        checkInput(new MaxPool2d(2), distinct(2, 2, 4, 4));
        checkInput(new MaxPool2d(3, 2, 1), distinct(1, 2, 5, 5));
        checkInput(new AvgPool2d(2), randn(2, 2, 4, 4));
        checkInput(new AvgPool2d(3, 2, 1), randn(1, 2, 5, 5));
        checkInput(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false), randn(1, 2, 5, 5));
        checkInput(new GlobalAvgPool2d(), randn(2, 3, 3, 3));
        checkInput(new Flatten(), randn(2, 3, 2, 2));
    }

    @Test
    void activations() {
        checkInput(new ReLU(), awayFromZero(3, 4));
        checkInput(new LeakyReLU(0.1f), awayFromZero(3, 4));
        checkInput(new Sigmoid(), randn(3, 4));
        checkInput(new Tanh(), randn(3, 4));
        checkInput(new Softmax(1), randn(3, 4));
        checkInput(new Softmax(0), randn(3, 4));
        checkInput(new LogSoftmax(1), randn(3, 4));
    }

    @Test
    void stepPassesNoGradient() {
        Step step = new Step();
        // step(x) + x: the step must add nothing, so the gradient is that of x alone
        GradCheck.check(t -> step.forward(t[0]).add(t[0]), awayFromZero(2, 5)).assertOk();
        Tensor x = awayFromZero(2, 5).requiresGrad();
        Tensor r = randn(2, 5);
        step.forward(x).add(x).mul(r).sum().backward();
        NnChecks.assertClose(x.grad(), r, 0);
    }

    @Test
    void dropoutWithAFixedMask() {
        Rng maskRng = new Rng(3);
        Dropout d = new Dropout(0.4f, maskRng);
        GradCheck.check(t -> {
            maskRng.setSeed(3);
            return d.forward(t[0]);
        }, randn(4, 5)).assertOk();
    }

    @Test
    void batchNorm() {
        // training: batch statistics, gradient through the mean and the variance
        GradCheck.check(t -> F.batchNorm(t[0], null, null, t[1], t[2], true, 0.1f, 1e-5f),
                randn(6, 3), randn(3), randn(3)).assertOk();
        GradCheck.check(t -> F.batchNorm(t[0], null, null, t[1], t[2], true, 0.1f, 1e-5f),
                randn(3, 2, 3, 3), randn(2), randn(2)).assertOk();
        // evaluation: running statistics are constants
        Tensor mean = randn(2);
        Tensor var = Tensor.rand(rng, 2).add(0.5f);
        GradCheck.check(t -> F.batchNorm(t[0], mean, var, t[1], t[2], false, 0.1f, 1e-5f),
                randn(3, 2, 3, 3), randn(2), randn(2)).assertOk();
        BatchNorm1d bn = new BatchNorm1d(3);
        checkInput(bn, randn(6, 3));
        bn.eval();
        checkInput(bn, randn(6, 3));
    }

    // ================================================================ whole models, through their parameters

    /** Backward through the model reaches every parameter with the gradient central differences give. */
    private void checkModel(Module m, Tensor x) {
        Tensor r = randn(m.forward(x).shape());
        List<Tensor> leaves = new ArrayList<>();
        leaves.add(x.requiresGrad());
        for (Parameter p : m.parameters()) {
            leaves.add(p.value());
        }
        NumericGradients.check(m.toString(), () -> m.forward(x).mul(r).sum(), leaves);
    }

    @Test
    void modelsDeliverGradientsToTheirParameters() {
        checkModel(new Sequential(new Conv2d(1, 2, 3, 1, 1), new Tanh(), new AvgPool2d(2), new Flatten(),
                new Linear(8, 3), new Sigmoid()), randn(2, 1, 4, 4));
        checkModel(new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Tanh(), new Linear(4, 2)), randn(5, 3));
    }

    // ================================================================ losses

    private static void checkLoss(Loss loss, Tensor prediction, Tensor target) {
        GradCheck.check(t -> loss.apply(t[0], target), prediction).assertOk();
    }

    @Test
    void regressionAndBinaryLosses() {
        checkLoss(Loss.mse(), randn(3, 2), randn(3, 2));
        checkLoss(Loss.mse(Reduction.SUM), randn(4), randn(4));
        checkLoss(Loss.mse(Reduction.NONE), randn(4), randn(4));
        checkLoss(Loss.sse(), randn(4), randn(4));
        checkLoss(Loss.bce(), Tensor.uniform(rng, 0.1f, 0.9f, 5), Tensor.of(1, 0, 1, 0.3f, 0));
        checkLoss(Loss.bceWithLogits(), randn(5).mul(3), Tensor.of(1, 0, 1, 0.3f, 0));
        checkLoss(Loss.bceWithLogits(Reduction.NONE), randn(5).mul(3), Tensor.of(1, 0, 1, 0.3f, 0));
    }

    @Test
    void bceWithLogitsGradientIsSigmoidMinusTargetEvenAtZero() {
        Tensor x = Tensor.of(0, 0, 2, -40, 40).requiresGrad();
        Tensor t = Tensor.of(1, 0, 0.5f, 1, 0);
        Loss.bceWithLogits(Reduction.SUM).apply(x, t).backward();
        NnChecks.assertClose(x.grad(), 1e-6, -0.5, 0.5, 1 / (1 + Math.exp(-2)) - 0.5, -1, 1);
    }

    @Test
    void classificationLosses() {
        Tensor labels = Tensor.of(2, 0, 1, 1);
        checkLoss(Loss.crossEntropy(), randn(4, 3), labels);
        checkLoss(Loss.crossEntropy(Reduction.SUM), randn(4, 3), labels);
        checkLoss(Loss.crossEntropy(Reduction.NONE), randn(4, 3), labels);
        Tensor probs = Tensor.rand(rng, 4, 3);
        checkLoss(Loss.crossEntropy(), randn(4, 3), probs.div(probs.sum(1, true)));
        checkLoss(Loss.nll(), randn(4, 3).logSoftmax(1), labels);
        // scores 0.5 apart: every margin stays on one side of the hinge under the perturbation
        Tensor scores = Tensor.of(new float[][] {{0.5f, 2.5f, -1f}, {3f, 0f, 1.5f}, {1f, 1.5f, 4f}, {0f, 0.5f, 2f}});
        checkLoss(Loss.hinge(1f), scores, labels);
        checkLoss(Loss.hinge(1f, Reduction.NONE), scores, labels);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        Tensor logits = randn(6, 5).mul(2).requiresGrad();
        Tensor labels = Tensor.of(0, 4, 2, 2, 1, 3);
        Loss.crossEntropy().apply(logits, labels).backward();
        Tensor expected;
        try (var g = Grad.off()) {
            expected = logits.softmax(1).sub(F.oneHot(labels, 5)).div(6);
        }
        NnChecks.assertClose(logits.grad(), expected, 1e-6);
    }

    @Test
    void l2RegularisationIsTwoLambdaWOnWeightsOnly() {
        Linear lin = new Linear(3, 2);
        Regularization.l2(lin, 0.25f).backward();
        Tensor expected;
        try (var g = Grad.off()) {
            expected = lin.weight().value().mul(0.5f);
        }
        NnChecks.assertClose(lin.weight().grad(), expected, 1e-6);
        assertEquals(null, lin.bias().grad());
    }

    // ================================================================ the backpropagation lecture

    @Test
    void mazurBackpropagationNumbers() {
        Sequential net = new Sequential(new Linear(2, 2), new Sigmoid(), new Linear(2, 2), new Sigmoid());
        net.loadStateDict(Map.of(
                "0.weight", Tensor.of(new float[][] {{0.15f, 0.20f}, {0.25f, 0.30f}}),
                "0.bias", Tensor.of(0.35f, 0.35f),
                "2.weight", Tensor.of(new float[][] {{0.40f, 0.45f}, {0.50f, 0.55f}}),
                "2.bias", Tensor.of(0.60f, 0.60f)));
        Tensor x = Tensor.of(0.05f, 0.10f);
        Tensor target = Tensor.of(0.01f, 0.99f);
        Loss.sse().apply(net.forward(x), target).backward();
        // dE/dw5 = 0.741 * 0.187 * 0.593 = 0.082; dE/dw1 = 0.00044
        assertEquals(0.082167041, net.parameter("2.weight").grad().get(0, 0), 1e-6);
        assertEquals(0.000438568, net.parameter("0.weight").grad().get(0, 0), 1e-7);

        // One gradient step on the weights with learning rate 0.5: E_total 0.298 -> 0.291
        try (var g = Grad.off()) {
            for (Parameter p : net.parameters()) {
                if (p.regularized()) {
                    p.set(p.value().sub(p.grad().mul(0.5f)));
                }
            }
        }
        NnChecks.assertClose(net.parameter("2.weight").value(), 1e-6, 0.35891648, 0.408666186, 0.511301270,
                0.561370121);
        assertEquals(0.291027924, Loss.sse().apply(net.forward(x), target).item(), 1e-6);
        net.zeroGrad();
        assertEquals(null, net.parameter("2.weight").grad());
    }
}
