package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/** Max pooling over NCHW input; the stride defaults to the kernel size, padding to 0. */
public class MaxPool2d extends Module {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride) {
        this(kernel, stride, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** Kernel, stride and padding as (height, width) pairs. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
        this.kernel = Pool.pair(typeName(), "kernel", kernel);
        this.stride = Pool.pair(typeName(), "stride", stride);
        this.padding = Pool.pair(typeName(), "padding", padding);
        Pool.check(typeName(), this.kernel, this.stride, this.padding);
    }

    public int[] kernelSize() {
        return kernel.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return F.maxPool2d(x, kernel, stride, padding);
    }

    @Override
    public int[] outputShape(int[] in) {
        return Pool.outputShape(this, in, kernel, stride, padding);
    }

    @Override
    protected String extraRepr() {
        return Pool.repr(kernel, stride, padding);
    }
}
