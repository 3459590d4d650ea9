package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/** The logistic function {@code 1 / (1 + exp(-x))}. */
public class Sigmoid extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return F.sigmoid(x);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }
}
