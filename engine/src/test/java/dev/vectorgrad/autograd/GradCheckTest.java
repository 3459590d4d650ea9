package dev.vectorgrad.autograd;

import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GradCheck itself: it must fail wrong gradients, report readably, and keep the inputs' layouts. */
class GradCheckTest {

    /** x^3 with a deliberately wrong derivative (2x^2 instead of 3x^2), written as users write nodes. */
    static final class WrongCube extends Node {
        private WrongCube(Tensor x) {
            super("WrongCubeBackward", x);
            save(x);
        }

        static Tensor apply(Tensor x) {
            return new WrongCube(x).output(x.pow(3f));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return grads(g.mul(saved(0).square().mul(2f)));
        }
    }

    /** The right one: a custom node called directly, with grad mode on. */
    static final class Cube extends Node {
        private Cube(Tensor x) {
            super("CubeBackward", x);
            save(x);
        }

        static Tensor apply(Tensor x) {
            return new Cube(x).output(x.pow(3f));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return grads(g.mul(saved(0).square().mul(3f)));
        }
    }

    @Test
    void acceptsCorrectGradientsAndACustomNode() {
        GradCheck.Result r = GradCheck.check(x -> Cube.apply(x[0]).mul(x[1]), Tensor.of(0.5f, -1.2f, 2f),
                Tensor.of(1.5f, 0.3f, -0.7f));
        assertTrue(r.passed(), r.toString());
        assertEquals(2, r.inputs().size());
        assertTrue(r.toString().startsWith("GradCheck passed: 2 inputs, output (3), eps 1e-02"), r.toString());
        assertTrue(r.toString().contains("\n  input 0 (3): max abs error "), r.toString());
        assertEquals("CubeBackward", Cube.apply(Tensor.of(1f).requiresGrad()).gradFn().name());
    }

    @Test
    void rejectsAWrongGradientAndSaysWhere() {
        GradCheck.Result r = GradCheck.check(x -> WrongCube.apply(x[0]), Tensor.of(new float[][] {{0.5f, 1f}, {-2f, 1.5f}}));
        assertFalse(r.passed());
        GradCheck.InputReport in = r.inputs().get(0);
        assertFalse(in.passed());
        assertTrue(in.maxAbsError() > 0.1, r.toString());
        assertTrue(r.toString().startsWith("GradCheck FAILED"), r.toString());
        assertTrue(r.toString().contains("FAILED at [1,0]"), r.toString());  // -2 has the largest error
        AssertionError e = assertThrows(AssertionError.class, r::assertOk);
        assertEquals(r.toString(), e.getMessage());
    }

    /** The identity whose backward scales the gradient by {@code factor}: right only for factor 1. */
    static final class ScaledIdentity extends Node {
        private final float factor;

        private ScaledIdentity(Tensor x, float factor) {
            super("ScaledIdentityBackward", x);
            this.factor = factor;
        }

        static Tensor apply(Tensor x, float factor) {
            return new ScaledIdentity(x, factor).output(Grad.off(x::clone));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return grads(g.mul(factor));
        }
    }

    @Test
    void catchesSmallRelativeErrors() {
        Tensor x = Tensor.of(new float[][] {{3f, -4f}, {2f, 5f}});
        assertTrue(GradCheck.check(t -> ScaledIdentity.apply(t[0], 1f).square(), x).passed());
        GradCheck.Result wrong = GradCheck.check(t -> ScaledIdentity.apply(t[0], 1.03f).square(), x);
        assertFalse(wrong.passed(), "a gradient 3% off is outside rtol = 1e-2: " + wrong);
    }

    @Test
    void stridedInputsReachTheFunctionStrided() {
        AtomicBoolean sawStrided = new AtomicBoolean();
        GradCheck.check(x -> {
            sawStrided.set(!x[0].isContiguous());
            return x[0].tanh();
        }, Tensor.randn(3, 2).t()).assertOk();
        assertTrue(sawStrided.get());

        AtomicBoolean sawExpanded = new AtomicBoolean(true);
        GradCheck.check(x -> {
            sawExpanded.set(x[0].stride(0) == 0);
            return x[0].sigmoid();
        }, Tensor.randn(3).expand(2, 3)).assertOk();
        assertFalse(sawExpanded.get(), "an input whose elements share storage is copied first");
    }

    @Test
    void optionsAreAdjustable() {
        GradCheck strict = GradCheck.defaults().eps(1e-3).atol(1e-4).rtol(1e-3);
        assertTrue(strict.run(x -> x[0].mul(x[0]), Tensor.of(1f, 2f)).passed());
        assertTrue(strict.run(x -> x[0].mul(x[0]), Tensor.of(1f, 2f)).toString().contains("eps 1e-03"));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.defaults().eps(0));
    }
}
