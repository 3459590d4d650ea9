package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {

    private static final Tensor LOGITS = Tensor.of(new float[][] {{1, 2, 3}, {1, 1, 1}});
    // sample 0: logsumexp(1,2,3) - 3; sample 1: log 3
    private static final double CE0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    private static final double CE1 = Math.log(3);

    @Test
    void crossEntropyOfKnownLogits() {
        Tensor labels = Tensor.of(2, 0);
        assertEquals(0.407605964, CE0, 1e-9);
        assertEquals((CE0 + CE1) / 2, Loss.crossEntropy().apply(LOGITS, labels).item(), 1e-6);
        assertEquals(CE0 + CE1, Loss.crossEntropy(Reduction.SUM).apply(LOGITS, labels).item(), 1e-6);
        NnChecks.assertClose(Loss.crossEntropy(Reduction.NONE).apply(LOGITS, labels), 1e-6, CE0, CE1);
        Tensor oneHot = Tensor.of(new float[][] {{0, 0, 1}, {1, 0, 0}});
        assertEquals((CE0 + CE1) / 2, Loss.crossEntropy().apply(LOGITS, oneHot).item(), 1e-6);
        // probabilities as targets: -sum t log softmax
        Tensor soft = Tensor.of(new float[][] {{0, 0.5f, 0.5f}, {1, 0, 0}});
        double lse = CE0 + 3;
        double soft0 = -(0.5 * (2 - lse) + 0.5 * (3 - lse));
        assertEquals((soft0 + CE1) / 2, Loss.crossEntropy().apply(LOGITS, soft).item(), 1e-6);
    }

    @Test
    void crossEntropyIsStableForLargeLogits() {
        Tensor big = Tensor.of(new float[][] {{1000, 0}, {-1000, 1000}});
        NnChecks.assertClose(Loss.crossEntropy(Reduction.NONE).apply(big, Tensor.of(0, 0)), 1e-3, 0, 2000);
    }

    @Test
    void nllOfLogSoftmaxIsCrossEntropy() {
        Tensor labels = Tensor.of(2, 0);
        Tensor logp = new LogSoftmax(1).forward(LOGITS);
        assertEquals((CE0 + CE1) / 2, Loss.nll().apply(logp, labels).item(), 1e-6);
        NnChecks.assertClose(Loss.nll(Reduction.NONE).apply(logp, labels), 1e-6, CE0, CE1);
    }

    @Test
    void classTargetsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.crossEntropy().apply(LOGITS, Tensor.of(3, 0)));
        assertEquals("crossEntropy: target 3.0 of sample 0 is not a class index in [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy().apply(LOGITS, Tensor.of(0.5f, 0)));
        assertTrue(e.getMessage().contains("not a class index"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Loss.crossEntropy().apply(LOGITS, Tensor.zeros(2, 1)));
        assertEquals("crossEntropy: scores (2,3) need a target of shape (2) (class indices) or (2,3)"
                + " (one-hot or probabilities), got (2,1)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Loss.crossEntropy().apply(Tensor.of(1, 2), Tensor.of(0)));
        assertTrue(e.getMessage().endsWith("add a batch dimension with unsqueeze(0)"), e.getMessage());
    }

    @Test
    void multiclassSvmLoss() {
        // Three samples, classes 0..2: per-sample losses 2.9, 0 and 12.9 with margin 1.
        Tensor scores = Tensor.of(new float[][] {{3.2f, 5.1f, -1.7f}, {1.3f, 4.9f, 2.0f}, {2.2f, 2.5f, -3.1f}});
        Tensor labels = Tensor.of(0, 1, 2);
        NnChecks.assertClose(Loss.hinge(1f, Reduction.NONE).apply(scores, labels), 1e-5, 2.9, 0, 12.9);
        assertEquals((2.9 + 12.9) / 3, Loss.hinge(1f).apply(scores, labels).item(), 1e-5);
        assertEquals(15.8, Loss.hinge(1f, Reduction.SUM).apply(scores, labels).item(), 1e-5);
        assertEquals(Loss.hinge().apply(scores, labels).item(),
                Loss.hinge(1f).apply(scores, F_oneHot(labels, 3)).item(), 0);
        // a larger margin: sample 1 now pays for class 2 too (2.0 - 4.9 + 5 = 2.1)
        NnChecks.assertClose(Loss.hinge(5f, Reduction.NONE).apply(scores, labels), 1e-5,
                (5.1 - 3.2 + 5) + (-1.7 - 3.2 + 5), 2.1 + (1.3 - 4.9 + 5), (2.2 + 3.1 + 5) + (2.5 + 3.1 + 5));
        assertThrows(IllegalArgumentException.class,
                () -> Loss.hinge().apply(scores, Tensor.full(1 / 3f, 3, 3)));
    }

    private static Tensor F_oneHot(Tensor labels, int classes) {
        return dev.vectorgrad.nn.functional.F.oneHot(labels, classes);
    }

    @Test
    void svmLossOfTheRob102Scores() {
        // The slide's scores cat 188.97, dog 211.97, bird -84.12 for an image of a cat (class 0):
        // max(0, 211.97 - 188.97 + 1) + max(0, -84.12 - 188.97 + 1) = 24.
        Tensor scores = Tensor.of(new float[][] {{188.97f, 211.97f, -84.12f}});
        assertEquals(24.0, Loss.hinge(1f).apply(scores, Tensor.of(0)).item(), 1e-4);
        assertEquals(0.0, Loss.hinge(1f).apply(scores, Tensor.of(1)).item(), 0);
    }

    @Test
    void squaredErrors() {
        Tensor o = Tensor.of(1, 2, 3);
        Tensor t = Tensor.of(1, 1, 1);
        assertEquals(5 / 3.0, Loss.mse().apply(o, t).item(), 1e-6);
        assertEquals(5, Loss.mse(Reduction.SUM).apply(o, t).item(), 1e-6);
        NnChecks.assertClose(Loss.mse(Reduction.NONE).apply(o, t), 0, 0, 1, 4);
        // E_total of the backpropagation lecture: 1/2 (0.01 - 0.751)^2 + 1/2 (0.99 - 0.773)^2 = 0.298
        assertEquals(0.298371109, Loss.sse().apply(Tensor.of(0.75136507f, 0.772928465f), Tensor.of(0.01f, 0.99f))
                .item(), 1e-6);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Loss.mse().apply(Tensor.zeros(4, 1), Tensor.zeros(4)));
        assertEquals("mse: prediction (4,1) and target (4) must have the same shape; reshape one of them"
                + " (a (N,1) vs (N) mix-up would broadcast to (N,N))", e.getMessage());
    }

    @Test
    void binaryCrossEntropyClampsTheLogAtMinus100() {
        Tensor p = Tensor.of(0.9f, 0.2f, 0f, 1f);
        Tensor t = Tensor.of(1, 0, 1, 0);
        NnChecks.assertClose(Loss.bce(Reduction.NONE).apply(p, t), 1e-5, -Math.log(0.9), -Math.log(0.8), 100, 100);
        assertEquals((-Math.log(0.9) - Math.log(0.8) + 200) / 4, Loss.bce().apply(p, t).item(), 1e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.bce().apply(Tensor.of(1.5f), Tensor.of(1)));
        assertTrue(e.getMessage().contains("bceWithLogits"), e.getMessage());
    }

    @Test
    void binaryCrossEntropyHasPyTorchsFiniteGradientAtZeroAndOne() {
        // d/dp = (p - t) / max(p (1 - p), 1e-12), as PyTorch; differentiating the clamped logs gave NaN
        Tensor p = Tensor.of(0f, 1f, 0f, 1f, 0.5f).requiresGrad();
        Tensor t = Tensor.of(0, 1, 1, 0, 1).requiresGrad();
        Loss.bce(Reduction.SUM).apply(p, t).backward();
        float[] g = p.grad().toArray();
        assertEquals(0, g[0]);
        assertEquals(0, g[1]);
        assertEquals(-1e12, g[2], 1e6);
        assertEquals(1e12, g[3], 1e6);
        assertEquals(-2, g[4], 1e-6);
        // d/dt = log(1 - p) - log p with the logs clamped at -100
        NnChecks.assertClose(t.grad(), 1e-5, 100, -100, 100, -100, 0);

        // a sigmoid saturated to exactly 1 or 0 passes a zero gradient on, not NaN
        Tensor z = Tensor.of(20, -120, 100).requiresGrad();
        Loss.bce().apply(z.sigmoid(), Tensor.of(1, 1, 0)).backward();
        NnChecks.assertClose(z.grad(), 0, 0, 0, 0);
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStable() {
        Tensor x = Tensor.of(0, 2, -3, 100, -100, 100);
        Tensor t = Tensor.of(1, 0, 1, 1, 0, 0);
        double[] expected = {Math.log(2), Math.log1p(Math.exp(2)), Math.log1p(Math.exp(-3)) + 3, 0, 0, 100};
        NnChecks.assertClose(Loss.bceWithLogits(Reduction.NONE).apply(x, t), 1e-5, expected);
        Tensor moderate = Tensor.of(-2, -0.5f, 0.5f, 3);
        Tensor target = Tensor.of(0, 1, 0.3f, 1);
        assertEquals(Loss.bce().apply(moderate.sigmoid(), target).item(),
                Loss.bceWithLogits().apply(moderate, target).item(), 1e-6);
    }

    @Test
    void l2CountsWeightsButNotBiases() {
        Sequential model = new Sequential(new Linear(2, 2), new BatchNorm1d(2), new Linear(2, 1));
        model.loadStateDict(Map.of(
                "0.weight", Tensor.of(new float[][] {{1, 2}, {3, 4}}), "0.bias", Tensor.of(100, 100),
                "1.weight", Tensor.of(50, 50), "1.bias", Tensor.of(60, 60),
                "1.running_mean", Tensor.zeros(2), "1.running_var", Tensor.ones(2),
                "1.num_batches_tracked", Tensor.scalar(0),
                "2.weight", Tensor.of(new float[][] {{-1, 1}}), "2.bias", Tensor.of(100)));
        // 0.5 * (1 + 4 + 9 + 16 + 1 + 1)
        assertEquals(16, Regularization.l2(model, 0.5f).item(), 1e-6);
        Tensor scores = Tensor.of(new float[][] {{1, 0}});
        Loss svm = Loss.hinge(1f).withL2(model, 0.5f);
        assertEquals(16 + 0, svm.apply(scores, Tensor.of(0)).item(), 1e-6);
        assertEquals(16 + 2, svm.apply(scores, Tensor.of(1)).item(), 1e-6);
        assertEquals(0, Regularization.l2(new Sequential(new ReLU()), 1f).item());
    }

    @Test
    void lossesPrintTheirSettings() {
        assertEquals("CrossEntropyLoss(reduction=mean)", Loss.crossEntropy().toString());
        assertEquals("MSELoss(reduction=sum)", Loss.mse(Reduction.SUM).toString());
        assertEquals("MultiClassHingeLoss(delta=1.0, reduction=mean)", Loss.hinge().toString());
        assertEquals("BCEWithLogitsLoss(reduction=none)", Loss.bceWithLogits(Reduction.NONE).toString());
    }
}
