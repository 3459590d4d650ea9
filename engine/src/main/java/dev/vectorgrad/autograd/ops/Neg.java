package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code -x}; the derivative is -1. */
final class Neg extends Node {

    private Neg(Tensor x) {
        super("NegBackward", x);
    }

    static Tensor forward(Tensor x) {
        return new Neg(x).output(x.neg());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.neg());
    }
}
