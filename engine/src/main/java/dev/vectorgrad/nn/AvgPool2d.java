package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/**
 * Average pooling over NCHW input; the stride defaults to the kernel size, padding to 0, and padded
 * cells count in the divisor unless {@code countIncludePad} is false (PyTorch's default: they count).
 */
public class AvgPool2d extends Module {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean countIncludePad;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride) {
        this(kernel, stride, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, true);
    }

    /** Kernel, stride and padding as (height, width) pairs. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        this.kernel = Pool.pair(typeName(), "kernel", kernel);
        this.stride = Pool.pair(typeName(), "stride", stride);
        this.padding = Pool.pair(typeName(), "padding", padding);
        this.countIncludePad = countIncludePad;
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

    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return F.avgPool2d(x, kernel, stride, padding, countIncludePad);
    }

    @Override
    public int[] outputShape(int[] in) {
        return Pool.outputShape(this, in, kernel, stride, padding);
    }

    @Override
    protected String extraRepr() {
        return Pool.repr(kernel, stride, padding) + (countIncludePad ? "" : ", count_include_pad=False");
    }
}
