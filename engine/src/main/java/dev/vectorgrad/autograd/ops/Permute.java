package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * Views that reorder dimensions: {@code transpose} (and {@code t}, {@code mT}) and {@code permute}.
 * Output dimension i is input dimension order[i]; the gradient is permuted back by the inverse order.
 */
final class Permute extends Node {

    private final int[] inverse;

    private Permute(String name, Tensor x, int[] order) {
        super(Ops.nodeName(name), x);
        inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i]] = i;
        }
    }

    static Tensor record(String name, Tensor x, int[] order, Tensor view) {
        return view == x ? x : new Permute(name, x, order.clone()).output(view);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(g.permute(inverse));
    }
}
