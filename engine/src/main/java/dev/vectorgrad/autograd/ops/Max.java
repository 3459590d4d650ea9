package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code max} and {@code min} over dimensions (or of everything). Each group's gradient goes to one
 * element, its first maximum (minimum) in row-major order, which is the element {@code argmax}
 * reports: PyTorch's rule for {@code max(dim)}, and the one used for the full {@code max()} too.
 */
final class Max extends Node {

    private final boolean max;
    private final boolean[] reduced;

    private Max(ReduceOp op, Tensor x, int[] dims) {
        super(op == ReduceOp.MAX ? "MaxBackward" : "MinBackward", x);
        this.max = op == ReduceOp.MAX;
        this.reduced = Dims.reduced(x.ndim(), dims);
        save(x);
    }

    static Tensor forward(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        boolean max = op == ReduceOp.MAX;
        Tensor y = dims == null ? (max ? x.max() : x.min())
                : max ? x.max(dims, keepDim) : x.min(dims, keepDim);
        return new Max(op, x, dims).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        int[] shape = x.shape();
        int rank = shape.length;
        if (rank == 0) {
            return grads(g);
        }
        // Kept dimensions first, reduced ones last and merged: each group is then one row.
        int[] order = new int[rank];
        int[] grouped = new int[rank];  // the permuted shape
        int k = 0;
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) {
                order[k++] = d;
            }
        }
        int keptCount = k;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                order[k++] = d;
            }
        }
        int[] rows = new int[keptCount + 1];
        for (int i = 0; i < rank; i++) {
            grouped[i] = shape[order[i]];
            if (i < keptCount) {
                rows[i] = grouped[i];
            }
        }
        int group = Dims.groupSize(shape, reduced);
        rows[keptCount] = group;
        Tensor x2 = x.permute(order).reshape(rows);
        Tensor index = max ? x2.argmax(-1, true) : x2.argmin(-1, true);
        Tensor oneHot = Tensor.arange(group).eq(index);          // (kept..., group)
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[order[i]] = i;
        }
        Tensor mask = oneHot.reshape(grouped).permute(inverse);  // x's shape
        return grads(mask.mul(g.reshape(Dims.kept(shape, reduced))));
    }
}
