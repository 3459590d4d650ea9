package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * Elementwise {@code maximum(a, b)} and {@code minimum(a, b)} (broadcasting): the gradient goes to the
 * chosen operand; where the two are equal each gets half, as in PyTorch.
 */
final class Maximum extends Node {

    private final boolean max;

    private Maximum(String name, Tensor a, Tensor b, boolean max) {
        super(name, a, b);
        this.max = max;
        save(a, b);
    }

    static Tensor maximum(Tensor a, Tensor b) {
        return new Maximum("MaximumBackward", a, b, true).output(a.maximum(b));
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return new Maximum("MinimumBackward", a, b, false).output(a.minimum(b));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor half = a.eq(b).mul(0.5f);
        Tensor ga = needsGrad(0) ? g.mul((max ? a.gt(b) : a.lt(b)).add(half)) : null;
        Tensor gb = needsGrad(1) ? g.mul((max ? b.gt(a) : b.lt(a)).add(half)) : null;
        return grads(ga, gb);
    }
}
