package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code a / b} (broadcasting): d/da = 1/b, d/db = -a/b^2 = -(a/b)/b, from the output. */
final class Div extends Node {

    private Div(Tensor a, Tensor b) {
        super("DivBackward", a, b);
    }

    static Tensor forward(Tensor a, Tensor b) {
        Div node = new Div(a, b);
        Tensor y = a.div(b);
        node.save(b, y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor b = saved(0);
        Tensor y = saved(1);
        Tensor ga = g.div(b);
        return grads(needsGrad(0) ? ga : null, needsGrad(1) ? ga.mul(y).neg() : null);
    }
}
