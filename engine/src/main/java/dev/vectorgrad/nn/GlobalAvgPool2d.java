package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/**
 * The mean of each channel over its whole image: (N, C, H, W) to (N, C, 1, 1), like PyTorch's
 * {@code AdaptiveAvgPool2d(1)}. Follow it with {@link Flatten} for (N, C).
 */
public class GlobalAvgPool2d extends Module {

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return F.globalAvgPool2d(x);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 4) {
            throw new ShapeException(this + ": input must be 4-D (N, C, H, W), got " + Shapes.format(in));
        }
        return new int[] {in[0], in[1], 1, 1};
    }
}
