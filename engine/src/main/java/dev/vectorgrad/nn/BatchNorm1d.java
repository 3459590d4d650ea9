package dev.vectorgrad.nn;

/** {@link BatchNorm} for (N, C) or (N, C, L) input: after a {@link Linear} layer. */
public class BatchNorm1d extends BatchNorm {

    /** {@code eps = 1e-5}, {@code momentum = 0.1}, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true, true);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum) {
        this(numFeatures, eps, momentum, true, true);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedShape() {
        return "2-D (N, C) or 3-D (N, C, L)";
    }
}
