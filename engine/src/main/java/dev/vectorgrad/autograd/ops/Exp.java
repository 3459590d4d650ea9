package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code e^x}; its own derivative, so the output is what is kept. */
final class Exp extends Node {

    private Exp(Tensor x) {
        super("ExpBackward", x);
    }

    static Tensor forward(Tensor x) {
        Exp node = new Exp(x);
        Tensor y = x.exp();
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.mul(saved(0)));
    }
}
