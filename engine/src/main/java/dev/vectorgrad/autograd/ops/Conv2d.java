package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.ImageKernels;
import dev.vectorgrad.tensor.Tensor;

/**
 * 2-D cross-correlation {@code y = conv2d(x, w) + bias}. Its gradients are the backend's convolution
 * gradient kernels: dx is the "transposed convolution" of dy with w, dw correlates x with dy, and the
 * bias gradient sums dy over batch and positions.
 */
final class Conv2d extends Node {

    private final int[] stride;
    private final int[] padding;

    private Conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        super("Conv2dBackward", x, weight, bias);
        this.stride = stride.clone();
        this.padding = padding.clone();
        save(x, weight);
    }

    static Tensor forward(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        Tensor y = x.conv2d(weight, bias, stride, padding); // validates the arguments first
        return new Conv2d(x, weight, bias, stride, padding).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor w = saved(1);
        Tensor gx = needsGrad(0) ? ImageKernels.conv2dBackwardInput(w, g, x.shape(), stride, padding) : null;
        Tensor gw = null;
        Tensor gb = null;
        if (needsGrad(1) || needsGrad(2)) {
            ImageKernels.ConvGrads cg = ImageKernels.conv2dBackwardWeight(x, g, w.shape(), stride, padding, needsGrad(2));
            gw = needsGrad(1) ? cg.weight() : null;
            gb = cg.bias();
        }
        return grads(gx, gw, gb);
    }
}
