package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * Views that keep the elements in row-major order under a new shape: {@code reshape}, {@code view}
 * (and {@code flatten}, which reshapes), {@code squeeze}, {@code unsqueeze}. The gradient is reshaped
 * back to the input's shape.
 */
final class Reshape extends Node {

    private Reshape(String name, Tensor x) {
        super(Ops.nodeName(name), x);
    }

    /** The view was computed by the tensor package; a no-op view (the input itself) records nothing. */
    static Tensor record(String name, Tensor x, Tensor view) {
        return view == x ? x : new Reshape(name, x).output(view);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.reshape(inputShape(0)));
    }
}
