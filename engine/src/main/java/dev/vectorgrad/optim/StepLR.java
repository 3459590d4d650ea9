package dev.vectorgrad.optim;

/**
 * Step decay: the learning rate is multiplied by {@code gamma} every {@code stepSize} epochs,
 * {@code lr_e = lr_0 * gamma^floor(e / stepSize)}. PyTorch's {@code StepLR}.
 *
 * <pre>{@code
 * var schedule = new StepLR(opt, 2, 0.5);   // lr 0.1, 0.1, 0.05, 0.05, 0.025, ...
 * }</pre>
 */
public class StepLR extends LRScheduler {

    private final int stepSize;
    private final double gamma;

    /** Decay by 10 every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: stepSize must be at least 1 epoch, got " + stepSize);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("StepLR: gamma must be a finite number >= 0, got " + gamma);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    public int stepSize() {
        return stepSize;
    }

    public double gamma() {
        return gamma;
    }

    @Override
    protected double nextLr(int group, double current, double base, int epoch) {
        return epoch == 0 || epoch % stepSize != 0 ? current : current * gamma;
    }

    @Override
    public String toString() {
        return "StepLR(stepSize=" + stepSize + ", gamma=" + PyFormat.number(gamma) + ", epoch " + lastEpoch()
                + ", lr " + PyFormat.number(lr()) + ")";
    }
}
