package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Views of a sub-range of one dimension: {@code narrow}, {@code slice} (with a step) and
 * {@code select} (one entry, whose dimension disappears). The gradient is the output's gradient put
 * back at the positions it came from, zero elsewhere.
 */
final class Slice extends Node {

    private final int dim;
    private final int start;
    private final int step;
    private final boolean dropDim;

    private Slice(String name, Tensor x, int dim, int start, int step, boolean dropDim) {
        super(Ops.nodeName(name), x);
        this.dim = dim;
        this.start = start;
        this.step = step;
        this.dropDim = dropDim;
    }

    static Tensor record(String name, Tensor x, int dim, int start, int step, boolean dropDim, Tensor view) {
        return new Slice(name, x, dim, start, step, dropDim).output(view);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(embed(dropDim ? g.unsqueeze(dim) : g, inputShape(0), dim, start, step));
    }

    /**
     * A zero tensor of {@code shape} holding {@code g} at entries {@code start, start+step, ...} of
     * dimension {@code dim}, built from concatenations: zero slices interleaved for a step, zero blocks
     * before and after.
     */
    static Tensor embed(Tensor g, int[] shape, int dim, int start, int step) {
        int len = g.size(dim);
        if (g.numel() == 0) {
            return Tensor.zeros(shape);
        }
        Tensor spread = g;
        if (step > 1 && len > 1) {
            int[] gaps = insert(g.shape(), dim + 1, step - 1);
            Tensor interleaved = Tensor.cat(List.of(g.unsqueeze(dim + 1), Tensor.zeros(gaps)), dim + 1);
            int[] merged = g.shape();
            merged[dim] = len * step;
            spread = interleaved.reshape(merged).narrow(dim, 0, (len - 1) * step + 1);
        }
        int after = shape[dim] - start - spread.size(dim);
        List<Tensor> parts = new ArrayList<>(3);
        if (start > 0) {
            parts.add(Tensor.zeros(withDim(shape, dim, start)));
        }
        parts.add(spread);
        if (after > 0) {
            parts.add(Tensor.zeros(withDim(shape, dim, after)));
        }
        return parts.size() == 1 ? spread : Tensor.cat(parts, dim);
    }

    private static int[] withDim(int[] shape, int dim, int size) {
        int[] s = shape.clone();
        s[dim] = size;
        return s;
    }

    private static int[] insert(int[] shape, int at, int size) {
        int[] s = new int[shape.length + 1];
        System.arraycopy(shape, 0, s, 0, at);
        s[at] = size;
        System.arraycopy(shape, at, s, at + 1, shape.length - at);
        return s;
    }
}
