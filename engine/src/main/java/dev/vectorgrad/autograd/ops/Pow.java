package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code a ^ b} elementwise (broadcasting): d/da = b a^(b-1), d/db = a^b ln(a). As in PyTorch, the
 * first is 0 where b = 0 and the second is 0 where a = 0 and b >= 0 (limits, not NaN).
 */
final class Pow extends Node {

    private Pow(Tensor a, Tensor b) {
        super("PowBackward", a, b);
    }

    static Tensor forward(Tensor a, Tensor b) {
        Pow node = new Pow(a, b);
        Tensor y = a.pow(b);
        node.save(a, b, y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor ga = null;
        Tensor gb = null;
        if (needsGrad(0)) {
            Tensor d = b.mul(a.pow(b.sub(1f)));
            ga = g.mul(Tensor.where(b.eq(0f), Tensor.scalar(0f), d));
        }
        if (needsGrad(1)) {
            Tensor d = saved(2).mul(a.log());
            gb = g.mul(Tensor.where(a.eq(0f).mul(b.ge(0f)), Tensor.scalar(0f), d));
        }
        return grads(ga, gb);
    }
}
