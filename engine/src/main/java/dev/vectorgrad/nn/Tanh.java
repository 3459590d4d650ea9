package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/** Hyperbolic tangent. */
public class Tanh extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return F.tanh(x);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }
}
