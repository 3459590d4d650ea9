package dev.vectorgrad.optim;

import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Tensor;

import java.util.Map;

/**
 * Adagrad (Duchi et al., 2011): each weight's step shrinks with the sum of its squared gradients so
 * far. PyTorch's {@code torch.optim.Adagrad}.
 *
 * <pre>{@code
 * new Adagrad(model.parameters());              // lr 0.01
 * Adagrad.builder(model.parameters()).lr(0.1).lrDecay(1e-4).initialAccumulatorValue(0.1).build();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, at its step {@code t = 1, 2, ...}:
 * <pre>
 * g &lt;- g + weightDecay * w
 * lr_t = lr / (1 + (t - 1) * lrDecay)
 * s &lt;- s + g^2                           (s starts at initialAccumulatorValue)
 * w &lt;- w - lr_t * g / (sqrt(s) + eps)
 * </pre>
 */
public class Adagrad extends Optimizer {

    private final double lrDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    /** PyTorch's defaults: lr 0.01, no decay, accumulator starting at 0, eps 1e-10. */
    public Adagrad(Iterable<Parameter> params) {
        this(params, 1e-2);
    }

    public Adagrad(Iterable<Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, 1e-10);
    }

    /** Every option, in PyTorch's order. */
    public Adagrad(Iterable<Parameter> params, double lr, double lrDecay, double weightDecay,
                   double initialAccumulatorValue, double eps) {
        super(params, lr, weightDecay);
        this.lrDecay = checkNonNegative("Adagrad", "lrDecay", lrDecay);
        this.initialAccumulatorValue = checkNonNegative("Adagrad", "initialAccumulatorValue", initialAccumulatorValue);
        this.eps = checkNonNegative("Adagrad", "eps", eps);
    }

    /** Settings by name, PyTorch's defaults for the rest. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    public double lrDecay() {
        return lrDecay;
    }

    public double initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    public double eps() {
        return eps;
    }

    private static final class State {
        long step;
        Tensor sum;
    }

    @Override
    protected void update(ParamGroup group, Parameter p, Tensor w, Tensor grad) {
        State s = state(p, State::new);
        if (s.sum == null) {
            s.sum = fullLike(w, (float) initialAccumulatorValue);
        }
        long t = ++s.step;
        float wd = (float) group.weightDecay();
        float negClr = (float) -(group.lr() / (1 + (t - 1) * lrDecay));
        float e = (float) eps;
        if (host(w, grad, s.sum)) {
            float[] wa = Host.array(w);
            float[] ga = Host.array(grad);
            float[] sa = Host.array(s.sum);
            int wo = Host.offset(w);
            int go = Host.offset(grad);
            int so = Host.offset(s.sum);
            int n = w.numel();
            for (int i = 0; i < n; i++) {
                float gi = ga[go + i];
                if (wd != 0) {
                    gi = gi + wd * wa[wo + i];
                }
                float sum = sa[so + i] + gi * gi;
                sa[so + i] = sum;
                float std = (float) Math.sqrt(sum) + e;
                wa[wo + i] = wa[wo + i] + negClr * (gi / std);
            }
            return;
        }
        Tensor g = grad;
        if (wd != 0) {
            g = g.add(w.mul(wd));
        }
        s.sum = s.sum.add(g.mul(g));
        Tensor std = s.sum.sqrt().add(e);
        p.set(w.add(g.div(std).mul(negClr)));
    }

    @Override
    protected void describe(Map<String, String> h) {
        h.put("lr_decay", py(lrDecay));
        h.put("initial_accumulator_value", py(initialAccumulatorValue));
        h.put("eps", py(eps));
    }

    /** Named settings for {@link Adagrad}, PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Parameter> params;
        private double lr = 1e-2;
        private double lrDecay;
        private double weightDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;

        private Builder(Iterable<Parameter> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder lrDecay(double lrDecay) {
            this.lrDecay = lrDecay;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder initialAccumulatorValue(double value) {
            this.initialAccumulatorValue = value;
            return this;
        }

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Adagrad build() {
            return new Adagrad(params, lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }
    }
}
