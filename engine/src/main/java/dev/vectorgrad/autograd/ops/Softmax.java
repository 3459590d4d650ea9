package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code softmax} and {@code logSoftmax} along one dimension, differentiated from their outputs y:
 * softmax: dx = y (g - sum(g y)); logSoftmax: dx = g - e^y sum(g), the sums along the dimension.
 */
final class Softmax extends Node {

    private final int dim;
    private final boolean log;

    private Softmax(Tensor x, int dim, boolean log) {
        super(log ? "LogSoftmaxBackward" : "SoftmaxBackward", x);
        this.dim = dim;
        this.log = log;
    }

    static Tensor softmax(Tensor x, int dim) {
        Softmax node = new Softmax(x, dim, false);
        Tensor y = x.softmax(dim);
        node.save(y);
        return node.output(y);
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        Softmax node = new Softmax(x, dim, true);
        Tensor y = x.logSoftmax(dim);
        node.save(y);
        return node.output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor y = saved(0);
        if (log) {
            return grads(g.sub(y.exp().mul(g.sum(dim, true))));
        }
        return grads(y.mul(g.sub(g.mul(y).sum(dim, true))));
    }
}
