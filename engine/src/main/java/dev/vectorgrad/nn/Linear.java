package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/**
 * Fully connected layer {@code y = x W^T + b}, weight {@code (out, in)} as in PyTorch, for input
 * {@code (*, in)}. Default initialisation: weight and bias uniform in
 * {@code (-1/sqrt(in), 1/sqrt(in))}. Parameters get storage on first use, so
 * {@code new Linear(256 * 256 * 3, 32 * 32 * 36)} can be counted and summarised (7,247,757,312
 * weights) without allocating them.
 */
public class Linear extends Module {

    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException(typeName() + ": feature counts must be >= 0, got in=" + inFeatures
                    + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", new Parameter(outFeatures)) : null;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** The weight, shape {@code (out, in)}. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, shape {@code (out)}, or null. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected void initParameters(Rng rng) {
        Init.linearDefault(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != inFeatures) {
            throw new ShapeException(this + ": input " + Shapes.format(x.shape()) + " must end in " + inFeatures
                    + " features");
        }
        return F.linear(x, weight.value(), bias == null ? null : bias.value());
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length == 0 || in[in.length - 1] != inFeatures) {
            throw new ShapeException(this + ": input " + Shapes.format(in) + " must end in " + inFeatures
                    + " features");
        }
        int[] out = in.clone();
        out[out.length - 1] = outFeatures;
        return out;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
