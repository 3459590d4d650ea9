package dev.vectorgrad.nn;

/** {@link BatchNorm} for (N, C, H, W) input: after a {@link Conv2d} layer. */
public class BatchNorm2d extends BatchNorm {

    /** {@code eps = 1e-5}, {@code momentum = 0.1}, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true, true);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum) {
        this(numFeatures, eps, momentum, true, true);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedShape() {
        return "4-D (N, C, H, W)";
    }
}
