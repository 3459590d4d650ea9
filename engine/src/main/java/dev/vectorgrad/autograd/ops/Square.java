package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code x*x}; the derivative is 2x. */
final class Square extends Node {

    private Square(Tensor x) {
        super("SquareBackward", x);
        save(x);
    }

    static Tensor forward(Tensor x) {
        return new Square(x).output(x.square());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.mul(saved(0).mul(2f)));
    }
}
