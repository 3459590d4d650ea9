package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** Natural logarithm; the derivative is 1/x. */
final class Log extends Node {

    private Log(Tensor x) {
        super("LogBackward", x);
        save(x);
    }

    static Tensor forward(Tensor x) {
        return new Log(x).output(x.log());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.div(saved(0)));
    }
}
