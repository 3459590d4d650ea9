package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code sqrt(x)}; the derivative is 1 / (2 sqrt(x)), from the output. */
final class Sqrt extends Node {

    private Sqrt(Tensor x) {
        super("SqrtBackward", x);
    }

    static Tensor forward(Tensor x) {
        Sqrt node = new Sqrt(x);
        Tensor y = x.sqrt();
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.div(saved(0).mul(2f)));
    }
}
