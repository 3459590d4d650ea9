package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.tensor.ImageKernels;
import dev.vectorgrad.tensor.Tensor;

/**
 * Max pooling: each window's gradient goes to its first maximum. Where the backend records which cell
 * won (as PyTorch keeps {@code indices}), the node keeps those indices too and the backward pass only
 * scatters the gradient; otherwise (or if the backward pass runs on a backend that does not) it finds the
 * winners again from the saved input.
 */
final class MaxPool2d extends Node {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean indexed;

    private MaxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, Tensor indices) {
        super("MaxPool2dBackward", x);
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.indexed = indices != null;
        if (indexed) {
            save(x, indices);
        } else {
            save(x);
        }
    }

    static Tensor forward(Tensor x, int[] kernel, int[] stride, int[] padding) {
        ImageKernels.PoolWithIndices r = ImageKernels.maxPool2dWithIndices(x, kernel, stride, padding);
        if (r != null) {
            return new MaxPool2d(x, kernel, stride, padding, r.indices()).output(r.output());
        }
        Tensor y = x.maxPool2d(kernel, stride, padding);
        return new MaxPool2d(x, kernel, stride, padding, null).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (indexed && Backends.current().recordsPoolIndices()) {
            return grads(ImageKernels.maxPool2dBackwardIndices(saved(1), g, inputShape(0), kernel, stride, padding));
        }
        return grads(ImageKernels.maxPool2dBackward(saved(0), g, kernel, stride, padding));
    }
}
