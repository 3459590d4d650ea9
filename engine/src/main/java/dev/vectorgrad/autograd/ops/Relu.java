package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code max(x, 0)}; the gradient passes where the output is non-zero: positive outputs and, as in
 * PyTorch's {@code threshold_backward} ({@code y <= 0 ? 0 : g}), NaN ones; 0 at x = 0.
 */
final class Relu extends Node {

    private Relu(Tensor x) {
        super("ReluBackward", x);
    }

    static Tensor forward(Tensor x) {
        Relu node = new Relu(x);
        Tensor y = x.relu();
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // The output itself is the condition (it is >= 0 or NaN): one pass, no mask tensor.
        return grads(Tensor.where(saved(0), g, Tensor.scalar(0f)));
    }
}
