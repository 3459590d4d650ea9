package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.ImageKernels;
import dev.vectorgrad.tensor.Tensor;

/** Average pooling: each window's gradient is shared equally by the cells its divisor counted. */
final class AvgPool2d extends Node {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean countIncludePad;

    private AvgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        super("AvgPool2dBackward", x);
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.countIncludePad = countIncludePad;
    }

    static Tensor forward(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        Tensor y = x.avgPool2d(kernel, stride, padding, countIncludePad);
        return new AvgPool2d(x, kernel, stride, padding, countIncludePad).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(ImageKernels.avgPool2dBackward(g, inputShape(0), kernel, stride, padding, countIncludePad));
    }
}
