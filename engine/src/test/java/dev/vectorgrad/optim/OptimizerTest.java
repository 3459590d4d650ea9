package dev.vectorgrad.optim;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizers' contract, without PyTorch: hand-computed steps, the fused host loops against the
 * composed tensor path for every option, skipping, groups, validation, printing and schedules.
 */
class OptimizerTest {

    private static Parameter param(float... values) {
        return new Parameter(Tensor.of(values));
    }

    private static void setGrad(Parameter p, float... g) {
        p.value().setGrad(Tensor.of(g));
    }

    @Test
    void sgdStepIsWeightMinusLrTimesGradientInPlace() {
        Parameter p = param(1f, 2f);
        Tensor before = p.value();
        var opt = new SGD(List.of(p), 0.1);
        setGrad(p, 0.5f, -1f);
        opt.step();
        assertArrayEquals(new float[] {0.95f, 2.1f}, p.value().toArray(), 1e-7f);
        assertSame(before, p.value(), "the parameter's tensor stays the same object");
        assertTrue(p.value().isRequiresGrad());
    }

    @Test
    void momentumFollowsPyTorchsFormByHand() {
        // b1 = g1; w1 = w0 - lr b1; b2 = m b1 + g2; w2 = w1 - lr b2
        Parameter p = param(1f);
        var opt = new SGD(List.of(p), 0.1, 0.9);
        setGrad(p, 1f);
        opt.step();
        assertEquals(0.9f, p.value().item(), 1e-7f);
        setGrad(p, 1f);
        opt.step();
        assertEquals(0.9f - 0.1f * 1.9f, p.value().item(), 1e-6f);
    }

    @Test
    void adamFirstStepMovesEachWeightByAboutLr() {
        Parameter p = param(1f, -1f, 0.5f);
        var opt = new Adam(List.of(p), 0.01);
        setGrad(p, 3f, -0.001f, 100f);
        opt.step();
        // bias-corrected m / sqrt(v) is sign(g) on the first step
        assertArrayEquals(new float[] {0.99f, -0.99f, 0.49f}, p.value().toArray(), 2e-5f);
    }

    @Test
    void parametersWithoutGradientAreSkippedAndGetNoState() {
        Parameter used = param(1f, 1f);
        Parameter unused = param(5f);
        Parameter frozen = param(7f);
        frozen.setTrainable(false);
        var opt = new Adam(List.of(used, unused, frozen), 0.1);
        setGrad(used, 1f, 1f);
        opt.step();
        assertEquals(5f, unused.value().item());
        assertEquals(7f, frozen.value().item());
        assertNull(opt.stateOf(unused));
        assertNull(opt.stateOf(frozen));
        assertTrue(opt.stateOf(used) != null);
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Parameter a = param(1f);
        Parameter b = param(2f);
        var opt = new SGD(List.of(a, b), 0.1);
        setGrad(a, 1f);
        setGrad(b, 1f);
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
    }

    @Test
    void stepWorksWithAGraphAndInsideNoGrad() {
        Rng.seed(3);
        var lin = new Linear(3, 2);
        var opt = new SGD(lin.parameters(), 0.5);
        Tensor x = Tensor.randn(new Rng(1), 4, 3);
        Tensor loss = lin.forward(x).square().mean();
        float before = loss.item();
        loss.backward();
        opt.step();
        float after = lin.forward(x).square().mean().item();
        assertTrue(after < before, after + " < " + before);
        try (var g = Grad.off()) {
            opt.step(); // already no-grad: still fine
        }
    }

    /** Every optimizer and option: the host loops and the composed tensor ops give the same values. */
    @Test
    void fusedHostLoopsAgreeWithComposedTensorOps() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> new SGD(ps, 0.1),
                ps -> new SGD(ps, 0.05, 0.9, 0.2, 0.01, false),
                ps -> new SGD(ps, 0.05, 0.9, 0, 0.01, true),
                ps -> new Adagrad(ps, 0.1, 0.01, 0.02, 0.1, 1e-10),
                ps -> new Adadelta(ps, 1.0, 0.9, 1e-6, 0.01),
                ps -> new RMSprop(ps, 0.01, 0.99, 1e-8, 0.01, 0, false),
                ps -> new RMSprop(ps, 0.01, 0.9, 1e-8, 0, 0.9, true),
                ps -> new Adam(ps),
                ps -> new Adam(ps, 0.01, 0.8, 0.99, 1e-8, 0.01, true));
        for (var make : makers) {
            Rng rng = new Rng(11);
            Tensor w0 = Tensor.randn(rng, 5, 7);
            Tensor b0 = Tensor.randn(rng, 7);
            List<Parameter> fused = List.of(new Parameter(w0.clone()), new Parameter(b0.clone()));
            List<Parameter> composed = List.of(new Parameter(w0.clone()), new Parameter(b0.clone()));
            Optimizer f = make.apply(fused);
            Optimizer c = make.apply(composed);
            c.hostKernels = false;
            for (int step = 0; step < 8; step++) {
                Tensor gw = Tensor.randn(rng, 5, 7).mul(step % 3 == 0 ? 10f : 0.1f);
                Tensor gb = Tensor.randn(rng, 7);
                fused.get(0).value().setGrad(gw);
                fused.get(1).value().setGrad(gb);
                composed.get(0).value().setGrad(gw.clone());
                composed.get(1).value().setGrad(gb.clone());
                f.step();
                c.step();
                for (int i = 0; i < 2; i++) {
                    float[] a = fused.get(i).value().toArray();
                    float[] b = composed.get(i).value().toArray();
                    for (int k = 0; k < a.length; k++) {
                        assertEquals(b[k], a[k], 1e-6f * Math.max(1f, Math.abs(b[k])),
                                f.name() + " step " + step + " param " + i + "[" + k + "]\n" + f);
                    }
                }
            }
        }
    }

    @Test
    void nonContiguousGradientsTakeTheComposedPath() {
        Parameter p = new Parameter(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        var opt = new SGD(List.of(p), 1.0);
        Tensor g = Tensor.of(new float[][] {{1, 2}, {3, 4}}).t(); // a transposed view
        p.value().setGrad(g);
        opt.step();
        assertArrayEquals(new float[] {0, -1, 1, 0}, p.value().toArray());
    }

    @Test
    void paramGroupsHaveTheirOwnLearningRate() {
        Parameter a = param(1f);
        Parameter b = param(1f);
        var opt = new SGD(List.of(a), 0.1);
        ParamGroup head = opt.addParamGroup(List.of(b)).setLr(1.0);
        setGrad(a, 1f);
        setGrad(b, 1f);
        opt.step();
        assertEquals(0.9f, a.value().item(), 1e-7f);
        assertEquals(0f, b.value().item(), 1e-7f);
        assertEquals(0.1, opt.lr());
        assertEquals(1.0, head.lr());
        opt.setLr(0.5);
        assertEquals(0.5, head.lr());
        assertEquals(List.of(a, b), opt.parameters());
        var e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(List.of(a)));
        assertTrue(e.getMessage().contains("another parameter group"), e.getMessage());
    }

    @Test
    void weightDecayPerGroup() {
        Parameter a = param(2f);
        var opt = new SGD(List.of(a), 0.1);
        opt.paramGroups().get(0).setWeightDecay(0.5);
        setGrad(a, 0f);
        opt.step();
        assertEquals(2f - 0.1f * 0.5f * 2f, a.value().item(), 1e-7f);
    }

    @Test
    void invalidSettingsAreRefusedWithTheReason() {
        List<Parameter> ps = List.of(param(1f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -0.1)).getMessage()
                .contains("learning rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, 0, 0, true)).getMessage()
                .contains("Nesterov"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 1e-3, 1.0, 0.999, 1e-8, 0, false))
                .getMessage().contains("beta1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(new ArrayList<>())).getMessage()
                .contains("empty parameter list"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SGD.builder(ps).momentum(0.9).build()).getMessage()
                .contains("learning rate is required"));
        assertThrows(IllegalArgumentException.class, () -> new Adadelta(ps, 1.0, 1.5, 1e-6, 0));
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(ps, 0.01, -1, 1e-8, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(ps, 0.01, -1, 0, 0, 1e-10));
    }

    @Test
    void printsLikePyTorch() {
        var opt = new Adam(List.of(param(1f)));
        assertEquals("""
                Adam (
                Parameter Group 0
                    amsgrad: False
                    betas: (0.9, 0.999)
                    eps: 1e-08
                    lr: 0.001
                    weight_decay: 0
                )""", opt.toString());
        var sgd = SGD.builder(List.of(param(1f))).lr(0.1).momentum(0.9).nesterov(true).build();
        assertEquals("""
                SGD (
                Parameter Group 0
                    dampening: 0
                    lr: 0.1
                    momentum: 0.9
                    nesterov: True
                    weight_decay: 0
                )""", sgd.toString());
    }

    @Test
    void defaultsArePyTorchs() {
        List<Parameter> ps = List.of(param(1f));
        assertEquals(1e-3, new Adam(ps).lr());
        assertEquals(0.999, new Adam(ps).beta2());
        assertEquals(1e-2, new Adagrad(ps).lr());
        assertEquals(1e-10, new Adagrad(ps).eps());
        assertEquals(1.0, new Adadelta(ps).lr());
        assertEquals(0.9, new Adadelta(ps).rho());
        assertEquals(1e-6, new Adadelta(ps).eps());
        assertEquals(1e-2, new RMSprop(ps).lr());
        assertEquals(0.99, new RMSprop(ps).alpha());
        assertEquals(1e-8, new RMSprop(ps).eps());
    }

    @Test
    void stepLrDecaysEveryStepSizeEpochs() {
        var opt = new SGD(List.of(param(1f)), 0.1);
        var s = new StepLR(opt, 2, 0.5);
        List<Double> lrs = new ArrayList<>();
        for (int e = 0; e < 6; e++) {
            lrs.add(s.lr());
            s.step();
        }
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025, 0.025), lrs);
        assertEquals(6, s.lastEpoch());
        assertEquals(List.of(0.1), s.baseLrs());
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1));
    }

    @Test
    void exponentialAndLambdaSchedules() {
        var opt = new SGD(List.of(param(1f)), 1.0);
        var exp = new ExponentialLR(opt, 0.5);
        exp.step();
        exp.step();
        assertEquals(0.25, opt.lr());
        var opt2 = new SGD(List.of(param(1f)), 1.0);
        var warm = new LambdaLR(opt2, e -> Math.min(1.0, (e + 1) / 4.0));
        assertEquals(0.25, opt2.lr(), "LambdaLR sets epoch 0's rate when constructed");
        warm.step();
        assertEquals(0.5, opt2.lr());
        warm.step();
        warm.step();
        warm.step();
        assertEquals(1.0, opt2.lr());
    }

    @Test
    void schedulesScaleEveryGroup() {
        Parameter a = param(1f);
        Parameter b = param(1f);
        var opt = new SGD(List.of(a), 0.1);
        opt.addParamGroup(List.of(b)).setLr(1.0);
        var s = new StepLR(opt, 1, 0.1);
        s.step();
        assertEquals(0.01, s.lastLr().get(0), 1e-15);
        assertEquals(0.1, s.lastLr().get(1), 1e-15);
    }
}
