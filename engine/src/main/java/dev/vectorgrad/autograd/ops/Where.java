package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code where(cond, a, b)}: the gradient goes to a where cond holds and to b elsewhere; cond gets none. */
final class Where extends Node {

    private Where(Tensor cond, Tensor a, Tensor b) {
        super("WhereBackward", a, b);
        save(cond);
    }

    static Tensor forward(Tensor cond, Tensor a, Tensor b) {
        return new Where(cond, a, b).output(Tensor.where(cond, a, b));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor cond = saved(0);
        Tensor zero = Tensor.scalar(0f);
        return grads(needsGrad(0) ? Tensor.where(cond, g, zero) : null,
                needsGrad(1) ? Tensor.where(cond, zero, g) : null);
    }
}
