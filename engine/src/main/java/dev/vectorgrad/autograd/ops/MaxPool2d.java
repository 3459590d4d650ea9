package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.ImageKernels;
import dev.vectorgrad.tensor.Tensor;

/** Max pooling: each window's gradient goes to its first maximum, found again from the saved input. */
final class MaxPool2d extends Node {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    private MaxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        super("MaxPool2dBackward", x);
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        save(x);
    }

    static Tensor forward(Tensor x, int[] kernel, int[] stride, int[] padding) {
        Tensor y = x.maxPool2d(kernel, stride, padding);
        return new MaxPool2d(x, kernel, stride, padding).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(ImageKernels.maxPool2dBackward(saved(0), g, kernel, stride, padding));
    }
}
