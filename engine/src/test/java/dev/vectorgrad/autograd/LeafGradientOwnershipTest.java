package dev.vectorgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A leaf's first gradient is kept without a copy only when nothing but the backward pass held it: whatever
 * the graph, no gradient may share memory with another leaf's gradient, the caller's seed, or a tensor a
 * user-defined node handed back. Each case writes into one tensor and checks the others did not change.
 */
class LeafGradientOwnershipTest {

    /** Returns a tensor it keeps as the gradient, ignoring g: what a careless custom node may do. */
    static final class ConstantGradient extends Node {
        final Tensor kept;

        private ConstantGradient(Tensor x, Tensor kept) {
            super("ConstantGradientBackward", x);
            this.kept = kept;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return grads(kept);
        }
    }

    @Test
    void anAddGivesEachOperandItsOwnGradient() {
        Tensor a = Tensor.zeros(2, 3).requiresGrad();
        Tensor b = Tensor.zeros(2, 3).requiresGrad();
        // The add's backward hands the one fresh gradient of the product (2 * seed) to both operands.
        a.add(b).mul(2f).backward(Tensor.ones(2, 3));
        assertNotSame(a.grad().storage(), b.grad().storage());
        a.grad().mulInPlace(5f);
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, b.grad().toArray());
    }

    @Test
    void theCallersGradientIsNeverAdopted() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad();
        Tensor seed = Tensor.ones(6);
        x.reshape(6).backward(seed);           // the reshape's backward hands back a view of the seed
        assertNotSame(seed.storage(), x.grad().storage());
        x.grad().mulInPlace(3f);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, seed.toArray());

        Tensor leaf = Tensor.zeros(4).requiresGrad();
        Tensor direct = Tensor.ones(4);
        leaf.backward(direct);                 // a leaf as the root: the seed itself would be the gradient
        assertNotSame(direct.storage(), leaf.grad().storage());
    }

    @Test
    void aCustomNodesGradientIsCopied() {
        Tensor x = Tensor.zeros(3).requiresGrad();
        Tensor kept = Tensor.of(1, 2, 3);
        new ConstantGradient(x, kept).output(x.mul(1f)).sum().backward();
        assertNotSame(kept.storage(), x.grad().storage());
        x.grad().mulInPlace(0f);
        assertArrayEquals(new float[] {1, 2, 3}, kept.toArray());
    }

    @Test
    void linearLayerGradientsAreRightAndUnshared() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 5, 4);
        Tensor w = Tensor.randn(rng, 3, 4).requiresGrad();
        Tensor b = Tensor.randn(rng, 3).requiresGrad();
        Tensor y = x.matmul(w.t()).add(b);
        y.backward(Tensor.ones(5, 3));
        // dW = dy^T x (dy all ones: each row is the column sums of x), db = column sums of dy.
        float[] colSums = x.sum(0).toArray();
        float[] expected = new float[12];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(colSums, 0, expected, 4 * i, 4);
        }
        assertArrayEquals(expected, w.grad().toArray(), 1e-5f);
        assertArrayEquals(new float[] {5, 5, 5}, b.grad().toArray(), 1e-6f);
        // A second pass adds to the kept gradients.
        x.matmul(w.t()).add(b).backward(Tensor.ones(5, 3));
        assertArrayEquals(new float[] {10, 10, 10}, b.grad().toArray(), 1e-6f);
        for (int i = 0; i < 12; i++) {
            expected[i] *= 2;
        }
        assertArrayEquals(expected, w.grad().toArray(), 1e-5f);
    }
}
