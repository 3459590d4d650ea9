package dev.vectorgrad.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A learning-rate schedule: changes the learning rate of an optimizer's parameter groups once per
 * {@link #step()}, usually once per epoch. PyTorch's {@code torch.optim.lr_scheduler} semantics.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1);
 * var schedule = new StepLR(opt, 30, 0.1);      // 0.1 for epochs 0-29, 0.01 for 30-59, ...
 * for (int epoch = 0; epoch < 90; epoch++) {
 *     trainOneEpoch(model, opt);
 *     schedule.step();
 * }
 * }</pre>
 *
 * <p>Constructing a schedule is its epoch 0: it sets the epoch-0 learning rate (unchanged for
 * {@link StepLR} and {@link ExponentialLR}). Each {@link #step()} then advances one epoch. Schedules
 * are chainable as in PyTorch: each computes the new rate from the group's current one, so a rate
 * changed by hand in between carries on from there.
 */
public abstract class LRScheduler {

    protected final Optimizer optimizer;
    private final List<Double> baseLrs = new ArrayList<>();
    private int lastEpoch;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, () -> getClass().getSimpleName() + ": optimizer is null");
    }

    /** Sets the epoch-0 learning rates; subclasses call it at the end of their constructor. */
    protected final void start() {
        apply();
    }

    /** Advances one epoch and sets the new learning rates. */
    public void step() {
        lastEpoch++;
        apply();
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (i == baseLrs.size()) {
                baseLrs.add(g.lr()); // a group added after the schedule was made starts from its rate then
            }
            g.setLr(nextLr(i, g.lr(), baseLrs.get(i), lastEpoch));
        }
    }

    /**
     * The learning rate of group {@code group} at {@code epoch}, given its current rate and its rate
     * when the schedule began.
     */
    protected abstract double nextLr(int group, double current, double base, int epoch);

    /** The epoch the schedule is at: 0 after construction, +1 per {@link #step()}. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The learning rate of the first group now (PyTorch's {@code get_last_lr()[0]}). */
    public double lr() {
        return optimizer.lr();
    }

    /** The learning rate of every group now (PyTorch's {@code get_last_lr()}). */
    public List<Double> lastLr() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.lr());
        }
        return out;
    }

    /** The learning rates the groups had when the schedule began. */
    public List<Double> baseLrs() {
        return List.copyOf(baseLrs);
    }

    public Optimizer optimizer() {
        return optimizer;
    }
}
