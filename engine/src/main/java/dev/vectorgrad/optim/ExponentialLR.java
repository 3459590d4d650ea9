package dev.vectorgrad.optim;

/**
 * Exponential decay: the learning rate is multiplied by {@code gamma} every epoch,
 * {@code lr_e = lr_0 * gamma^e}. PyTorch's {@code ExponentialLR}.
 */
public class ExponentialLR extends LRScheduler {

    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("ExponentialLR: gamma must be a finite number >= 0, got " + gamma);
        }
        this.gamma = gamma;
        start();
    }

    public double gamma() {
        return gamma;
    }

    @Override
    protected double nextLr(int group, double current, double base, int epoch) {
        return epoch == 0 ? current : current * gamma;
    }

    @Override
    public String toString() {
        return "ExponentialLR(gamma=" + PyFormat.number(gamma) + ", epoch " + lastEpoch() + ", lr "
                + PyFormat.number(lr()) + ")";
    }
}
