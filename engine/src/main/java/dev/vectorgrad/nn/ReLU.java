package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/** Rectified linear unit {@code max(0, x)}. */
public class ReLU extends Module {

    @Override
    public Tensor forward(Tensor x) {
        return F.relu(x);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }
}
