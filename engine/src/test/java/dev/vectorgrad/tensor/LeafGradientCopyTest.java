package dev.vectorgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vectorgrad.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * The backward pass of a linear layer hands its weight and bias gradients to the leaves without copying
 * them (the copy was an allocation and a pass over every weight per training step), while a gradient the
 * caller supplied is still copied.
 */
class LeafGradientCopyTest {

    @Test
    void aLinearLayersGradientsReachItsLeavesWithoutACopy() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 8, 6);
        Tensor w = Tensor.randn(rng, 4, 6).requiresGrad();
        Tensor b = Tensor.randn(rng, 4).requiresGrad();
        CountingBackend counting = new CountingBackend(Backends.current());
        try (var scope = Backends.use(counting)) {
            Tensor xc = x.to(counting);
            Tensor wc = w.detach().to(counting).requiresGrad();
            Tensor bc = b.detach().to(counting).requiresGrad();
            Tensor loss = xc.matmul(wc.t()).add(bc).relu().sum();
            counting.copies = 0;
            loss.backward();
            assertEquals(0, counting.copies, "backward copied a gradient");

            Tensor leaf = Tensor.zeros(3).to(counting).requiresGrad();
            Tensor seed = Tensor.ones(3).to(counting);
            counting.copies = 0;
            leaf.mul(2f).backward(seed);
            assertEquals(0, counting.copies, "mul's gradient is fresh");
            Tensor root = Tensor.zeros(3).to(counting).requiresGrad();
            counting.copies = 0;
            root.backward(seed);               // a leaf as the root: its gradient would be the seed itself
            assertEquals(1, counting.copies, "the caller's gradient is copied");
        }
    }
}
