package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code |x|}; the derivative is sign(x), taken as 0 at 0. */
final class Abs extends Node {

    private Abs(Tensor x) {
        super("AbsBackward", x);
        save(x);
    }

    static Tensor forward(Tensor x) {
        return new Abs(x).output(x.abs());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.mul(saved(0).sign()));
    }
}
