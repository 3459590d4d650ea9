package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** The logistic function {@code 1 / (1 + e^-x)}; the derivative is y (1 - y), from the output. */
final class Sigmoid extends Node {

    private Sigmoid(Tensor x) {
        super("SigmoidBackward", x);
    }

    static Tensor forward(Tensor x) {
        Sigmoid node = new Sigmoid(x);
        Tensor y = x.sigmoid();
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor y = saved(0);
        return grads(g.mul(y.sub(y.square())));
    }
}
