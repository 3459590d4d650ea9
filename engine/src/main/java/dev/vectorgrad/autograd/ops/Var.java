package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * Variance over dimensions, dividing by n-1 (unbiased) or n: d var / d x_i = 2 (x_i - mean) / divisor
 * (the mean's own dependence on x_i cancels, because the deviations sum to zero).
 */
final class Var extends Node {

    private final boolean[] reduced;
    private final boolean unbiased;

    private Var(Tensor x, int[] dims, boolean unbiased) {
        super("VarBackward", x);
        this.reduced = Dims.reduced(x.ndim(), dims);
        this.unbiased = unbiased;
        save(x);
    }

    static Tensor forward(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
        return new Var(x, dims, unbiased).output(x.var(dims, unbiased, keepDim));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        int[] shape = x.shape();
        int n = Dims.groupSize(shape, reduced);
        int divisor = Math.max(unbiased ? n - 1 : n, 0);
        Tensor mean = x.sum(reducedDims(), true).div((float) n);
        Tensor gk = g.reshape(Dims.kept(shape, reduced));
        return grads(x.sub(mean).mul(gk).mul(2f / divisor));
    }

    private int[] reducedDims() {
        int[] dims = new int[reduced.length];
        int n = 0;
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d]) {
                dims[n++] = d;
            }
        }
        return java.util.Arrays.copyOf(dims, n);
    }
}
