package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code a - b} (broadcasting); the derivatives are 1 and -1. */
final class Sub extends Node {

    private Sub(Tensor a, Tensor b) {
        super("SubBackward", a, b);
    }

    static Tensor forward(Tensor a, Tensor b) {
        return new Sub(a, b).output(a.sub(b));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g, needsGrad(1) ? g.neg() : null);
    }
}
