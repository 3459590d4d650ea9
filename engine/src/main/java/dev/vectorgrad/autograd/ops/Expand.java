package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code expand} and {@code broadcastTo}: one input element is read at many output positions, so its
 * gradient is the sum over them ({@link Tensor#sumToSize}).
 */
final class Expand extends Node {

    private Expand(String name, Tensor x) {
        super(Ops.nodeName(name), x);
    }

    static Tensor record(String name, Tensor x, Tensor view) {
        return view == x ? x : new Expand(name, x).output(view);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.sumToSize(inputShape(0)));
    }
}
