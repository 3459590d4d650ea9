package dev.vectorgrad.optim;

import dev.vectorgrad.nn.Parameter;

import java.util.Collections;
import java.util.List;

/**
 * Parameters that share a learning rate and a weight decay, PyTorch's {@code param_groups} entry.
 *
 * <pre>{@code
 * var opt = new SGD(model.features().parameters(), 0.01);
 * opt.addParamGroup(model.classifier().parameters()).setLr(0.1);   // the head learns faster
 * opt.paramGroups().get(0).setWeightDecay(5e-4);
 * }</pre>
 */
public final class ParamGroup {

    private final List<Parameter> params;
    private final String optimizer;
    private double lr;
    private double weightDecay;

    ParamGroup(List<Parameter> params, double lr, double weightDecay, String optimizer) {
        this.params = Collections.unmodifiableList(params);
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.optimizer = optimizer;
    }

    /** The parameters of this group (unmodifiable). */
    public List<Parameter> params() {
        return params;
    }

    public double lr() {
        return lr;
    }

    /** Sets this group's learning rate; returns this group. */
    public ParamGroup setLr(double lr) {
        this.lr = Optimizer.checkLr(lr);
        return this;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** Sets this group's weight decay (L2 penalty added to the gradient); returns this group. */
    public ParamGroup setWeightDecay(double weightDecay) {
        this.weightDecay = Optimizer.checkWeightDecay(weightDecay);
        return this;
    }

    @Override
    public String toString() {
        return optimizer + " group(" + params.size() + " parameters, lr=" + PyFormat.number(lr) + ", weight_decay="
                + PyFormat.number(weightDecay) + ")";
    }
}
