package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code a + b} (broadcasting); both derivatives are 1. The engine sums a broadcast gradient back to each shape. */
final class Add extends Node {

    private Add(Tensor a, Tensor b) {
        super("AddBackward", a, b);
    }

    static Tensor forward(Tensor a, Tensor b) {
        return new Add(a, b).output(a.add(b));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g, g);
    }
}
