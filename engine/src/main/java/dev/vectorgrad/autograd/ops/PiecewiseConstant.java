package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code step} (the perceptron's Heaviside threshold) and {@code sign}: piecewise constant, so their
 * derivative is 0 wherever it exists. The gradient is zero by definition, and the inputs do receive
 * that zero, which is what a notebook shows when it asks why a perceptron cannot learn by backprop.
 */
final class PiecewiseConstant extends Node {

    private PiecewiseConstant(String name, Tensor x) {
        super(name, x);
    }

    static Tensor step(Tensor x) {
        return new PiecewiseConstant("StepBackward", x).output(x.step());
    }

    static Tensor sign(Tensor x) {
        return new PiecewiseConstant("SignBackward", x).output(x.sign());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(Tensor.zeros(inputShape(0)));
    }
}
