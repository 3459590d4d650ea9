package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** Sum over dimensions (or of everything): every summed element gets the output's gradient, broadcast back. */
final class Sum extends Node {

    private final boolean[] reduced;

    private Sum(Tensor x, int[] dims) {
        super("SumBackward", x);
        this.reduced = Dims.reduced(x.ndim(), dims);
    }

    /** {@code dims == null}: every element to 0-D; otherwise over {@code dims} (all when empty). */
    static Tensor forward(Tensor x, int[] dims, boolean keepDim) {
        Tensor y = dims == null ? x.sum() : x.sum(dims, keepDim);
        return new Sum(x, dims).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(Dims.spread(g, inputShape(0), reduced));
    }
}
