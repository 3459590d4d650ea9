package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/**
 * The perceptron's Heaviside step: 1 where {@code x > 0}, else 0.
 *
 * <p>Its derivative is 0 wherever it exists (and undefined at 0); vectorgrad defines the gradient
 * as zero everywhere. Nothing flows back through a step, so a network of step units cannot be
 * trained by backpropagation: that is why the lectures replace it with the sigmoid.
 */
public class Step extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return F.step(x);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }
}
