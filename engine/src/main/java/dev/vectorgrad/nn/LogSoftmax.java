package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/** Log of the softmax along {@code dim} (default -1), computed without forming the softmax; pair it with {@link Loss#nll()}. */
public class LogSoftmax extends Module {

    private final int dim;

    public LogSoftmax() {
        this(-1);
    }

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.logSoftmax(x, dim);
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
