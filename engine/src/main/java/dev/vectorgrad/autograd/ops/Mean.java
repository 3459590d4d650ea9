package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** Mean over dimensions (or of everything): each of the n averaged elements gets 1/n of the gradient. */
final class Mean extends Node {

    private final boolean[] reduced;

    private Mean(Tensor x, int[] dims) {
        super("MeanBackward", x);
        this.reduced = Dims.reduced(x.ndim(), dims);
    }

    static Tensor forward(Tensor x, int[] dims, boolean keepDim) {
        Tensor y = dims == null ? x.mean() : x.mean(dims, keepDim);
        return new Mean(x, dims).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int[] shape = inputShape(0);
        int n = Dims.groupSize(shape, reduced);
        return grads(Dims.spread(g.div((float) n), shape, reduced));
    }
}
