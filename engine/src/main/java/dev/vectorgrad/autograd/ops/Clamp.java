package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code min(max(x, min), max)}; the gradient passes where {@code min <= x <= max}, as in PyTorch. */
final class Clamp extends Node {

    private final float min;
    private final float max;

    private Clamp(Tensor x, float min, float max) {
        super("ClampBackward", x);
        this.min = min;
        this.max = max;
        save(x);
    }

    static Tensor forward(Tensor x, float min, float max) {
        return new Clamp(x, min, max).output(x.clamp(min, max));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        return grads(Dims.masked(x.ge(min).mul(x.le(max)), g));
    }
}
