package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** Hyperbolic tangent; the derivative is 1 - y^2, from the output. */
final class Tanh extends Node {

    private Tanh(Tensor x) {
        super("TanhBackward", x);
    }

    static Tensor forward(Tensor x) {
        Tanh node = new Tanh(x);
        Tensor y = x.tanh();
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.mul(saved(0).square().neg().add(1f)));
    }
}
