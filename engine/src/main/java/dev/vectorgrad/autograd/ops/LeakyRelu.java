package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/** {@code x} where positive, {@code slope * x} elsewhere; the derivative is 1 or {@code slope}. */
final class LeakyRelu extends Node {

    private final float slope;

    private LeakyRelu(Tensor x, float slope) {
        super("LeakyReluBackward", x);
        this.slope = slope;
        save(x);
    }

    static Tensor forward(Tensor x, float slope) {
        return new LeakyRelu(x, slope).output(x.leakyRelu(slope));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(Tensor.where(saved(0).gt(0f), g, g.mul(slope)));
    }
}
