package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.tensor.Tensor;

/**
 * Copies of the same values: {@code contiguous}, {@code clone}, and {@code to} another backend, whose
 * gradient goes back to the input's backend. The gradient passes unchanged.
 */
final class Copy extends Node {

    private final Backend source;

    private Copy(String name, Tensor x) {
        super(Ops.nodeName(name), x);
        this.source = x.backend();
    }

    static Tensor record(String name, Tensor x, Tensor copy) {
        return copy == x ? x : new Copy(name, x).output(copy);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.backend() == source ? g : g.to(source));
    }
}
