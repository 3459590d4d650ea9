package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/** Softmax along {@code dim} (default -1, the last): {@code exp(x_j) / sum_k exp(x_k)}, computed stably. */
public class Softmax extends Module {

    private final int dim;

    public Softmax() {
        this(-1);
    }

    public Softmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.softmax(x, dim);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (dim >= in.length || dim < -in.length) {
            throw new ShapeException(this + ": dimension " + dim + " is out of range for input " + Shapes.format(in));
        }
        return in.clone();
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
