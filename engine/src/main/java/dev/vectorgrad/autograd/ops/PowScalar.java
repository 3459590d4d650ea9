package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code x^p} for a constant p; the derivative is p x^(p-1) (and 0 for p = 0, even at x = 0). */
final class PowScalar extends Node {

    private final float p;

    private PowScalar(Tensor x, float p) {
        super("PowBackward", x);
        this.p = p;
        save(x);
    }

    static Tensor forward(Tensor x, float p) {
        return new PowScalar(x, p).output(x.pow(p));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (p == 0f) {
            return grads(Tensor.zeros(inputShape(0)));
        }
        Tensor x = saved(0);
        Tensor d = p == 2f ? x.mul(2f) : p == 1f ? null : x.pow(p - 1f).mul(p);
        return grads(d == null ? g : g.mul(d));
    }
}
