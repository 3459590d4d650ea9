package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/**
 * Batch normalisation over the channel dimension (1), exactly as PyTorch's: in training the batch
 * mean and biased batch variance normalise, and the running mean and unbiased running variance are
 * updated with {@code running = (1 - momentum) * running + momentum * batch}; in evaluation the
 * running statistics normalise. Then a learnable scale ({@code weight}, ones) and shift
 * ({@code bias}, zeros) per channel. State: {@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var}, {@code num_batches_tracked} (PyTorch's names, so checkpoints interchange).
 */
public abstract class BatchNorm extends Module {

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final boolean trackRunningStats;

    protected BatchNorm(int numFeatures, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(typeName() + ": numFeatures must be > 0, got " + numFeatures);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(typeName() + ": need eps > 0 and momentum in [0, 1], got eps=" + eps
                    + ", momentum=" + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", new Parameter(false, numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(false, numFeatures)) : null;
        // Buffers are read back by name when used: Module.to replaces them when the model moves.
        this.trackRunningStats = trackRunningStats;
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.scalar(0f));
        }
    }

    public int numFeatures() {
        return numFeatures;
    }

    public float eps() {
        return eps;
    }

    public float momentum() {
        return momentum;
    }

    /** The scale per channel (ones initially), or null without affine parameters. */
    public Parameter weight() {
        return weight;
    }

    /** The shift per channel (zeros initially), or null without affine parameters. */
    public Parameter bias() {
        return bias;
    }

    /** Running mean per channel (a live buffer), or null when not tracked. */
    public Tensor runningMean() {
        return trackRunningStats ? buffer("running_mean") : null;
    }

    /** Running unbiased variance per channel (a live buffer), or null when not tracked. */
    public Tensor runningVar() {
        return trackRunningStats ? buffer("running_var") : null;
    }

    /** Number of training batches seen since the last reset (0-D), or null when not tracked. */
    public Tensor numBatchesTracked() {
        return trackRunningStats ? buffer("num_batches_tracked") : null;
    }

    /** Running mean back to zeros, running variance to ones, the batch count to 0. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            try (var g = Grad.off()) {
                runningMean().copyFrom(Tensor.zeros(numFeatures));
                runningVar().copyFrom(Tensor.ones(numFeatures));
                numBatchesTracked().copyFrom(Tensor.scalar(0f));
            }
        }
    }

    @Override
    protected void initParameters(Rng rng) {
        resetRunningStats();
        if (weight != null) {
            Init.ones(weight);
            Init.zeros(bias);
        }
    }

    /** The input ranks this layer accepts, for messages. */
    abstract boolean acceptsRank(int rank);

    abstract String expectedShape();

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        boolean training = isTraining();
        Tensor y = F.batchNorm(x, runningMean(), runningVar(), weight == null ? null : weight.value(),
                bias == null ? null : bias.value(), training, momentum, eps);
        if (training && trackRunningStats) {
            Tensor count = numBatchesTracked();
            try (var g = Grad.off()) {
                count.copyFrom(count.add(1f));
            }
        }
        return y;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (!acceptsRank(in.length)) {
            throw new ShapeException(this + ": input must be " + expectedShape() + ", got " + Shapes.format(in));
        }
        if (in[1] != numFeatures) {
            throw new ShapeException(this + ": input " + Shapes.format(in) + " has " + in[1] + " channels, expected "
                    + numFeatures);
        }
        return in.clone();
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + pyFloat(momentum) + ", affine="
                + (weight != null ? "True" : "False") + ", track_running_stats=" + (trackRunningStats ? "True" : "False");
    }
}
