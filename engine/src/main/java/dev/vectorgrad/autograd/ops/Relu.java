package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code max(x, 0)}; the gradient passes where the output is positive (0 at x = 0, as in PyTorch). */
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
        return grads(Dims.masked(saved(0).gt(0f), g));
    }
}
