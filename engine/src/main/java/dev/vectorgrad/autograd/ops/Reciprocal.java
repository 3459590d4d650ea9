package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code 1/x}; the derivative is -1/x^2, that is -y^2 from the output. */
final class Reciprocal extends Node {

    private Reciprocal(Tensor x) {
        super("ReciprocalBackward", x);
    }

    static Tensor forward(Tensor x) {
        Reciprocal node = new Reciprocal(x);
        Tensor y = x.reciprocal();
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.mul(saved(0).square()).neg());
    }
}
