package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

import java.util.List;

/**
 * {@code cat} (and {@code stack}, which concatenates unsqueezed inputs): each input's gradient is its
 * block of the output's gradient along the concatenated dimension.
 */
final class Cat extends Node {

    private final int dim;

    private Cat(String name, List<Tensor> tensors, int dim) {
        super(Ops.nodeName(name), tensors);
        this.dim = dim;
    }

    static Tensor forward(String name, List<Tensor> tensors, int dim) {
        Tensor y = Tensor.cat(tensors, dim); // stack's inputs arrive unsqueezed: a concatenation is left
        int d = dim < 0 ? dim + y.ndim() : dim;
        return new Cat(name, tensors, d).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] out = new Tensor[inputCount()];
        int offset = 0;
        for (int i = 0; i < out.length; i++) {
            int size = inputShape(i)[dim];
            if (needsGrad(i)) {
                out[i] = g.narrow(dim, offset, size);
            }
            offset += size;
        }
        return out;
    }
}
