package dev.vectorgrad.autograd;

import dev.vectorgrad.tensor.GradFn;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semantics of the graph: leaves, accumulation, grad mode, detach, freeing, deep graphs, in-place updates. */
class AutogradTest {

    // ---------------------------------------------------------------- leaves and recording

    @Test
    void leavesAndComputedTensors() {
        Tensor x = Tensor.of(1, 2, 3);
        assertFalse(x.isRequiresGrad());
        assertTrue(x.isLeaf());
        assertNull(x.gradFn());
        assertSame(x, x.requiresGrad());
        assertTrue(x.isRequiresGrad());
        assertTrue(x.isLeaf());

        Tensor y = x.mul(2f);
        assertTrue(y.isRequiresGrad());
        assertFalse(y.isLeaf());
        assertEquals("MulBackward", y.gradFn().name());
        assertEquals("MulBackward", y.gradFn().toString());

        Tensor c = Tensor.of(4, 5, 6);
        Tensor z = c.mul(c);
        assertFalse(z.isRequiresGrad(), "no input requires grad: nothing is recorded");
        assertNull(z.gradFn());
    }

    @Test
    void gradFnNamesAndNextFunctions() {
        Tensor w = Tensor.of(1, 2).requiresGrad();
        Tensor c = Tensor.of(3, 4);
        Tensor y = w.mul(c).exp().sum();
        assertEquals("SumBackward", y.gradFn().name());
        GradFn exp = y.gradFn().nextFunctions().get(0);
        assertEquals("ExpBackward", exp.name());
        GradFn mul = exp.nextFunctions().get(0);
        assertEquals("MulBackward", mul.name());
        assertEquals(2, mul.nextFunctions().size());
        assertEquals("AccumulateGrad", mul.nextFunctions().get(0).name());
        assertSame(w, ((Node.AccumulateGrad) mul.nextFunctions().get(0)).variable());
        assertNull(mul.nextFunctions().get(1), "c requires no gradient");

        Tensor m = Tensor.randn(2, 3).requiresGrad();
        assertEquals("TransposeBackward", m.t().gradFn().name());
        assertEquals("ReshapeBackward", m.reshape(3, 2).gradFn().name());
        assertEquals("ViewBackward", m.view(6).gradFn().name());
        assertEquals("SelectBackward", m.select(0, 1).gradFn().name());
        assertEquals("MmBackward", m.mm(m.t()).gradFn().name());
        assertEquals("MatmulBackward", m.matmul(m.t()).gradFn().name());
        assertEquals("MeanBackward", m.mean().gradFn().name());
        assertEquals("SoftmaxBackward", m.softmax(1).gradFn().name());
        assertEquals("StackBackward", Tensor.stack(m, m).gradFn().name());
    }

    @Test
    void computedTensorsCannotChangeTheirFlag() {
        Tensor y = Tensor.of(1, 2).requiresGrad().add(1f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("only leaf tensors"), e.getMessage());
        assertTrue(e.getMessage().contains("detach()"), e.getMessage());
    }

    @Test
    void comparisonsAndArgmaxAreNotDifferentiable() {
        Tensor x = Tensor.of(1, -2, 3).requiresGrad();
        assertFalse(x.gt(0f).isRequiresGrad());
        assertFalse(x.eq(x).isRequiresGrad());
        assertFalse(x.argmax().isRequiresGrad());
        assertFalse(x.argmin(0).isRequiresGrad());
    }

    @Test
    void gradientsOnlyForInputsThatRequireThem() {
        Tensor a = Tensor.of(1, 2).requiresGrad();
        Tensor b = Tensor.of(3, 4);
        a.mul(b).sum().backward();
        assertArrayEquals(new float[] {3, 4}, a.grad().toArray());
        assertNull(b.grad());
    }

    @Test
    void printingShowsWhetherGradientsFlow() {
        Tensor x = Tensor.of(1, 2).requiresGrad();
        assertEquals("tensor([1., 2.], requires_grad=True)", x.toString());
        assertEquals("tensor([2., 4.], grad_fn=<MulBackward>)", x.mul(2f).toString());
        assertTrue(x.mul(2f).describe().endsWith(", gradFn=MulBackward)"), x.mul(2f).describe());
        assertTrue(x.describe().endsWith(", requiresGrad)"), x.describe());
        assertEquals("tensor([1., 2.])", x.detach().toString());
    }

    // ---------------------------------------------------------------- backward

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(1, 2, 3).requiresGrad();
        assertNull(x.grad(), "no gradient before a backward pass");
        x.square().sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toArray());
        x.square().sum().backward();
        assertArrayEquals(new float[] {4, 8, 12}, x.grad().toArray(), "grad = grad + g");
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3}, x.grad().toArray());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.of(1, 2).requiresGrad();
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        float[] g = x.grad().toArray();
        assertEquals(2 * Math.exp(1), g[0], 1e-5);
        assertEquals(2 * Math.exp(2), g[1], 1e-5);
    }

    @Test
    void aSecondBackwardThroughAFreedGraphFailsClearly() {
        Tensor x = Tensor.of(1, 2).requiresGrad();
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        assertEquals("ExpBackward", y.gradFn().nextFunctions().get(0).name(), "the graph can still be inspected");
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Tensor y = Tensor.ones(2, 3).requiresGrad().mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertEquals("backward() needs a scalar output (got shape (2,3)); pass a gradient of the same shape:"
                + " backward(gradient)", e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.ones(3)));
        assertEquals("backward: the gradient has shape (3) but the tensor has shape (2,3); they must be the same",
                shape.getMessage());
    }

    @Test
    void backwardWithAGradientIsAVectorJacobianProduct() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad();
        Tensor y = x.square();
        y.backward(Tensor.of(new float[][] {{1, 0, 1}, {0, 2, 0}}));
        assertArrayEquals(new float[] {2, 0, 6, 0, 20, 0}, x.grad().toArray());
    }

    @Test
    void backwardOfOneElementTensorsAndOfLeaves() {
        Tensor x = Tensor.of(3).requiresGrad();
        x.mul(x).backward();  // shape (1) counts as a scalar
        assertArrayEquals(new float[] {6}, x.grad().toArray());

        Tensor leaf = Tensor.of(1, 2).requiresGrad();
        Tensor seed = Tensor.of(5, 6);
        leaf.backward(seed);
        assertArrayEquals(new float[] {5, 6}, leaf.grad().toArray());
        assertNotSame(seed, leaf.grad(), "a stored gradient is a copy");
    }

    @Test
    void backwardWithoutAGraphFails() {
        Tensor y = Tensor.of(1, 2).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void interiorTensorsKeepNoGradientUnlessRetained() {
        Tensor x = Tensor.of(1, 2).requiresGrad();
        Tensor h = x.mul(3f);
        Tensor k = x.mul(2f).retainGrad();
        assertFalse(h.retainsGrad());
        assertTrue(k.retainsGrad());
        assertTrue(x.retainsGrad());
        h.add(k).square().sum().backward();
        assertNull(h.grad());
        // d/dk (h + k)^2 = 2 (h + k) = 2 * 5x
        assertArrayEquals(new float[] {10, 20}, k.grad().toArray());
        assertArrayEquals(new float[] {50, 100}, x.grad().toArray());
    }

    @Test
    void sharedSubexpressionsSumTheirGradientsFirst() {
        Tensor x = Tensor.of(2).requiresGrad();
        Tensor y = x.mul(x);           // x^2
        Tensor z = y.mul(y).add(y);    // x^4 + x^2
        z.sum().backward();
        assertEquals(4 * 8 + 2 * 2, x.grad().item(), 1e-5);  // 4x^3 + 2x at 2
    }

    @Test
    void aVeryLongChainNeedsNoStack() throws InterruptedException {
        // On a thread with a small stack (256 KiB): a recursive walk of 100k nodes would overflow it.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<float[]> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = Tensor.of(0.5f).requiresGrad();
                Tensor y = x;
                for (int i = 0; i < 100_000; i++) {
                    y = (i & 1) == 0 ? y.add(1f) : y.mul(1f);
                }
                y.backward();
                result.set(new float[] {y.item(), x.grad().item()});
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        assertNull(failure.get(), () -> "failed: " + failure.get());
        assertArrayEquals(new float[] {50_000.5f, 1f}, result.get());
    }

    // ---------------------------------------------------------------- grad mode

    @Test
    void noGradScopeRecordsNothingAndRestores() {
        Tensor x = Tensor.of(1, 2).requiresGrad();
        assertTrue(Grad.isEnabled());
        Tensor y;
        try (var g = Grad.off()) {
            assertFalse(Grad.isEnabled());
            y = x.mul(2f).exp().sum();
            try (var inner = Grad.off()) {
                assertFalse(Grad.isEnabled());
            }
            assertFalse(Grad.isEnabled(), "closing an inner scope restores what it found");
            try (var on = Grad.on()) {
                assertTrue(x.mul(2f).isRequiresGrad());
            }
        }
        assertTrue(Grad.isEnabled());
        assertFalse(y.isRequiresGrad());
        assertNull(y.gradFn());
        assertFalse(Grad.off(() -> x.square()).isRequiresGrad());
        assertTrue(x.square().isRequiresGrad());
    }

    @Test
    void gradModeIsPerThread() throws InterruptedException {
        AtomicBoolean otherThreadRecorded = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Tensor x = Tensor.of(1, 2).requiresGrad();
        try (var g = Grad.off()) {
            Thread t = new Thread(() -> {
                try {
                    otherThreadRecorded.set(Grad.isEnabled() && x.mul(2f).isRequiresGrad());
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            t.join();
            assertFalse(x.mul(2f).isRequiresGrad());
        }
        assertNull(failure.get());
        assertTrue(otherThreadRecorded.get(), "another thread keeps recording while this one is in Grad.off()");
    }

    @Test
    void detachSharesDataButStopsTheGraph() {
        Tensor x = Tensor.of(1, 2, 3).requiresGrad();
        Tensor d = x.detach();
        assertFalse(d.isRequiresGrad());
        assertTrue(d.isLeaf());
        assertSame(x.storage(), d.storage());
        x.mul(d).sum().backward();  // d is a constant: d/dx (x * c) = c
        assertArrayEquals(new float[] {1, 2, 3}, x.grad().toArray());
        d.fill(7f);                  // allowed: d requires no grad
        assertArrayEquals(new float[] {7, 7, 7}, x.toArray(), "same storage");
    }

    @Test
    void backwardRunsInsideANoGradScopeToo() {
        Tensor x = Tensor.of(1, 2).requiresGrad();
        Tensor y = x.square().sum();
        try (var g = Grad.off()) {
            y.backward();
        }
        assertArrayEquals(new float[] {2, 4}, x.grad().toArray());
        assertFalse(x.grad().isRequiresGrad(), "gradients are plain tensors");
    }

    // ---------------------------------------------------------------- helpers on Tensor

    @Test
    void setGradChecksTheShape() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad();
        x.setGrad(Tensor.ones(2, 3));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, x.grad().toArray());
        assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.ones(3)));
        x.setGrad(null);
        assertNull(x.grad());
    }

    @Test
    void sumToSizeUndoesBroadcasting() {
        Tensor g = Tensor.arange(24).reshape(2, 3, 4);
        assertArrayEquals(new int[] {3, 1}, g.sumToSize(3, 1).shape());
        assertArrayEquals(g.sum(new int[] {0, 2}, false).toArray(), g.sumToSize(3, 1).toArray());
        assertArrayEquals(new float[] {276}, g.sumToSize().toArray());
        assertSame(g, g.sumToSize(2, 3, 4));
        assertArrayEquals(g.sum(0).toArray(), g.sumToSize(1, 3, 4).toArray());
        assertThrows(IllegalArgumentException.class, () -> g.sumToSize(2, 4));
    }

    // ---------------------------------------------------------------- in-place updates

    @Test
    void inPlaceUpdatesNeedNoGradModeOnTensorsThatRequireGrad() {
        Tensor w = Tensor.of(1, 2).requiresGrad();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.of(1, 1), 1f));
        assertEquals("addInPlace: cannot modify a tensor that requires grad while grad mode is on; the change would"
                + " not be recorded. Update parameters inside try (var g = Grad.off()) { ... }", e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.fill(0f));
        assertThrows(IllegalStateException.class, () -> w.mulInPlace(2f));
        assertThrows(IllegalStateException.class, () -> w.copyFrom(Tensor.of(0, 0)));
    }

    @Test
    void inPlaceUpdatesWriteTheSameStorage() {
        Tensor w = Tensor.of(new float[][] {{1, 2}, {3, 4}}).requiresGrad();
        Tensor view = w.detach().reshape(4);
        var storage = w.storage();
        try (var g = Grad.off()) {
            assertSame(w, w.addInPlace(Tensor.of(10, 20), -0.5f));  // broadcast over rows
            assertArrayEquals(new float[] {-4, -8, -2, -6}, w.toArray());
            w.mulInPlace(-1f);
            assertArrayEquals(new float[] {4, 8, 2, 6}, w.toArray());
            w.copyFrom(Tensor.of(7, 9));
            assertArrayEquals(new float[] {7, 9, 7, 9}, w.toArray());
            w.copyFrom(w.t());         // reads what it writes: must use a copy
            assertArrayEquals(new float[] {7, 7, 9, 9}, w.toArray());
            w.fill(0.5f);
        }
        assertSame(storage, w.storage());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, view.toArray(), "views see in-place updates");
        assertTrue(w.isRequiresGrad() && w.isLeaf(), "still a parameter");
        assertNull(w.gradFn());
    }

    @Test
    void inPlaceUpdatesRefuseViewsTheyCannotWrite() {
        Tensor m = Tensor.zeros(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.t().fill(1f));
        assertTrue(e.getMessage().startsWith("fill: in-place updates need a contiguous tensor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.select(0, 1).mulInPlace(2f));
        m.narrow(0, 0, 2).fill(1f);  // contiguous from the start of the storage: fine
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, m.toArray());
    }

    @Test
    void sgdStepsReduceALoss() {
        Tensor x = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});
        Tensor y = Tensor.of(new float[][] {{1}, {2}, {3}});  // y = x (1, 2)^T
        Tensor w = Tensor.zeros(2, 1).requiresGrad();
        float first = 0;
        float last = 0;
        for (int step = 0; step < 100; step++) {
            Tensor loss = x.matmul(w).sub(y).square().mean();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
            loss.backward();
            try (var g = Grad.off()) {
                w.addInPlace(w.grad(), -0.3f);
            }
            w.zeroGrad();
        }
        assertTrue(last < first * 1e-6, first + " -> " + last);
        assertArrayEquals(new float[] {1, 2}, w.toArray(), 1e-3f);
    }
}
