package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

/** {@code x} where positive, {@code negativeSlope * x} elsewhere (default slope 0.01). */
public class LeakyReLU extends Module {

    private final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.leakyRelu(x, negativeSlope);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + pyFloat(negativeSlope);
    }
}
