package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code a * b} (broadcasting): d/da = b, d/db = a. */
final class Mul extends Node {

    private Mul(Tensor a, Tensor b) {
        super("MulBackward", a, b);
        save(a, b);
    }

    static Tensor forward(Tensor a, Tensor b) {
        return new Mul(a, b).output(a.mul(b));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        return grads(needsGrad(0) ? g.mul(b) : null, needsGrad(1) ? g.mul(a) : null);
    }
}
