package dev.vectorgrad.optim;

import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * Any schedule as a function of the epoch: {@code lr_e = lr_0 * factor(e)}. PyTorch's {@code LambdaLR}.
 *
 * <pre>{@code
 * new LambdaLR(opt, e -> 1.0 / (1 + 0.5 * e));         // 1/t decay
 * new LambdaLR(opt, e -> Math.min(1.0, (e + 1) / 5.0)); // five epochs of warm-up
 * }</pre>
 */
public class LambdaLR extends LRScheduler {

    private final IntToDoubleFunction factor;

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        super(optimizer);
        this.factor = Objects.requireNonNull(factor, "LambdaLR: factor is null");
        start();
    }

    @Override
    protected double nextLr(int group, double current, double base, int epoch) {
        return base * factor.applyAsDouble(epoch);
    }

    @Override
    public String toString() {
        return "LambdaLR(epoch " + lastEpoch() + ", lr " + PyFormat.number(lr()) + ")";
    }
}
