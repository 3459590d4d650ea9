package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Gradients of every layer and loss against central differences, and the lectures' numbers. */
@Disabled("needs autograd")
class GradientTest {

    private final Rng rng = new Rng(77);

    /** Values whose magnitudes lie in [0.2, 1.2] with random signs: away from the kinks at 0. */
    private Tensor awayFromZero(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextFloat() + 0.2f) * (rng.nextFloat() < 0.5f ? -1 : 1);
        }
        return Tensor.fromArray(v, shape).requiresGrad();
    }

    /** Distinct values 0.1 apart in random order: no near ties inside a pooling window. */
    private Tensor distinct(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] perm = rng.permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f * perm[i] - 0.05f * n;
        }
        return Tensor.fromArray(v, shape).requiresGrad();
    }

    /** Checks input and parameter gradients of {@code m} through a random projection of its output. */
    private void checkModule(Module m, Tensor x) {
        Tensor r = Tensor.randn(rng, m.forward(x).shape());
        List<Tensor> leaves = new ArrayList<>();
        leaves.add(x);
        for (Parameter p : m.parameters()) {
            leaves.add(p.value());
        }
        NumericGradients.check(m.toString(), () -> m.forward(x).mul(r).sum(), leaves);
    }

    @Test
    void linear() {
        Linear lin = new Linear(4, 3);
        checkModule(lin, Tensor.randn(rng, 5, 4).requiresGrad());
        checkModule(new Linear(3, 2, false), Tensor.randn(rng, 3).requiresGrad());
    }

    @Test
    void conv2d() {
        checkModule(new Conv2d(2, 3, 3, 1, 1), Tensor.randn(rng, 2, 2, 5, 5).requiresGrad());
        checkModule(new Conv2d(2, 2, 3, 2, 0, false), Tensor.randn(rng, 1, 2, 7, 6).requiresGrad());
    }

    @Test
    void pooling() {
        checkModule(new MaxPool2d(2), distinct(2, 2, 4, 4));
        checkModule(new MaxPool2d(3, 2, 1), distinct(1, 2, 5, 5));
        checkModule(new AvgPool2d(2), Tensor.randn(rng, 2, 2, 4, 4).requiresGrad());
        checkModule(new AvgPool2d(3, 2, 1), Tensor.randn(rng, 1, 2, 5, 5).requiresGrad());
        checkModule(new GlobalAvgPool2d(), Tensor.randn(rng, 2, 3, 3, 3).requiresGrad());
        checkModule(new Flatten(), Tensor.randn(rng, 2, 3, 2, 2).requiresGrad());
    }

    @Test
    void activations() {
        checkModule(new ReLU(), awayFromZero(3, 4));
        checkModule(new LeakyReLU(0.1f), awayFromZero(3, 4));
        checkModule(new Sigmoid(), Tensor.randn(rng, 3, 4).requiresGrad());
        checkModule(new Tanh(), Tensor.randn(rng, 3, 4).requiresGrad());
        checkModule(new Softmax(1), Tensor.randn(rng, 3, 4).requiresGrad());
        checkModule(new LogSoftmax(1), Tensor.randn(rng, 3, 4).requiresGrad());
        checkModule(new Softmax(0), Tensor.randn(rng, 3, 4).requiresGrad());
    }

    @Test
    void stepPassesNoGradient() {
        Tensor x = awayFromZero(2, 5);
        Tensor r = Tensor.randn(rng, 2, 5);
        Step step = new Step();
        // step(x) + x: the step must add nothing to the gradient, which is then r exactly
        NumericGradients.check("Step", () -> step.forward(x).add(x).mul(r).sum(), List.of(x));
        x.zeroGrad();
        step.forward(x).add(x).mul(r).sum().backward();
        NnChecks.assertClose(x.grad(), r, 0);
    }

    @Test
    void dropoutWithAFixedMask() {
        Rng maskRng = new Rng(3);
        Dropout d = new Dropout(0.4f, maskRng);
        Tensor x = Tensor.randn(rng, 4, 5).requiresGrad();
        Tensor r = Tensor.randn(rng, 4, 5);
        Supplier<Tensor> f = () -> {
            maskRng.setSeed(3);
            return d.forward(x).mul(r).sum();
        };
        NumericGradients.check("Dropout", f, List.of(x));
    }

    @Test
    void batchNormInTrainingAndEvaluation() {
        BatchNorm1d bn1 = new BatchNorm1d(3);
        bn1.weight().set(Tensor.of(1.5f, -0.5f, 2f));
        bn1.bias().set(Tensor.of(0.1f, 0.2f, 0.3f));
        checkModule(bn1, Tensor.randn(rng, 6, 3).requiresGrad());
        BatchNorm2d bn2 = new BatchNorm2d(2);
        checkModule(bn2, Tensor.randn(rng, 3, 2, 3, 3).requiresGrad());
        bn2.eval();
        checkModule(bn2, Tensor.randn(rng, 3, 2, 3, 3).requiresGrad());
    }

    @Test
    void aSmallConvNet() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1), new Tanh(), new AvgPool2d(2), new Flatten(),
                new Linear(8, 3), new Sigmoid());
        checkModule(net, Tensor.randn(rng, 2, 1, 4, 4).requiresGrad());
    }

    // ================================================================ losses

    private void checkLoss(String what, Loss loss, Tensor prediction, Tensor target) {
        NumericGradients.check(what, () -> loss.apply(prediction, target), List.of(prediction));
    }

    @Test
    void regressionAndBinaryLosses() {
        checkLoss("mse", Loss.mse(), Tensor.randn(rng, 3, 2).requiresGrad(), Tensor.randn(rng, 3, 2));
        checkLoss("mse sum", Loss.mse(Reduction.SUM), Tensor.randn(rng, 4).requiresGrad(), Tensor.randn(rng, 4));
        checkLoss("sse", Loss.sse(), Tensor.randn(rng, 4).requiresGrad(), Tensor.randn(rng, 4));
        checkLoss("bce", Loss.bce(), Tensor.uniform(rng, 0.1f, 0.9f, 5).requiresGrad(), Tensor.of(1, 0, 1, 0.3f, 0));
        checkLoss("bceWithLogits", Loss.bceWithLogits(), Tensor.randn(rng, 5).mul(3).requiresGrad(),
                Tensor.of(1, 0, 1, 0.3f, 0));
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
        checkLoss("crossEntropy", Loss.crossEntropy(), Tensor.randn(rng, 4, 3).requiresGrad(), labels);
        checkLoss("crossEntropy sum", Loss.crossEntropy(Reduction.SUM), Tensor.randn(rng, 4, 3).requiresGrad(), labels);
        Tensor probs = Tensor.rand(rng, 4, 3);
        checkLoss("crossEntropy soft", Loss.crossEntropy(), Tensor.randn(rng, 4, 3).requiresGrad(),
                probs.div(probs.sum(1, true)));
        Tensor logits = Tensor.randn(rng, 4, 3);
        Tensor logp = logits.logSoftmax(1).detach().requiresGrad();
        checkLoss("nll", Loss.nll(), logp, labels);
        // scores 0.5 apart: every margin stays on one side of the hinge under the perturbation
        Tensor scores = Tensor.of(new float[][] {{0.5f, 2.5f, -1f}, {3f, 0f, 1.5f}, {1f, 1.5f, 4f}, {0f, 0.5f, 2f}})
                .requiresGrad();
        checkLoss("hinge", Loss.hinge(1f), scores, labels);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        Tensor logits = Tensor.randn(rng, 6, 5).mul(2).requiresGrad();
        Tensor labels = Tensor.of(0, 4, 2, 2, 1, 3);
        Loss.crossEntropy().apply(logits, labels).backward();
        Tensor expected;
        try (var g = Grad.off()) {
            expected = logits.softmax(1).sub(F.oneHot(labels, 5)).div(6);
        }
        NnChecks.assertClose(logits.grad(), expected, 1e-6);
    }

    @Test
    void l2GradientIsTwoLambdaW() {
        Linear lin = new Linear(3, 2);
        Regularization.l2(lin, 0.25f).backward();
        Tensor expected;
        try (var g = Grad.off()) {
            expected = lin.weight().value().mul(0.5f);
        }
        NnChecks.assertClose(lin.weight().grad(), expected, 1e-6);
        Tensor biasGrad = lin.bias().grad();
        if (biasGrad != null) {
            NnChecks.assertClose(biasGrad, Tensor.zeros(2), 0);
        }
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
    }
}
