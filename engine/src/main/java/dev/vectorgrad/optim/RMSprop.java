package dev.vectorgrad.optim;

import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Tensor;

import java.util.Map;

/**
 * RMSProp (Hinton's lecture 6e): each step divided by a running root mean square of recent gradients;
 * optionally centered (divide by an estimate of the variance instead) and with momentum. PyTorch's
 * {@code torch.optim.RMSprop}.
 *
 * <pre>{@code
 * new RMSprop(model.parameters());              // lr 0.01, alpha 0.99, eps 1e-8
 * RMSprop.builder(model.parameters()).lr(1e-3).momentum(0.9).centered(true).build();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}:
 * <pre>
 * g &lt;- g + weightDecay * w
 * v &lt;- alpha * v + (1 - alpha) * g^2
 * centered:  a &lt;- alpha * a + (1 - alpha) * g;   d = sqrt(v - a^2) + eps
 * otherwise: d = sqrt(v) + eps
 * momentum &gt; 0:  b &lt;- momentum * b + g / d;   w &lt;- w - lr * b
 * otherwise:     w &lt;- w - lr * g / d
 * </pre>
 * ({@code eps} is added outside the square root, as in PyTorch; Keras adds it inside.)
 */
public class RMSprop extends Optimizer {

    private final double alpha;
    private final double eps;
    private final double momentum;
    private final boolean centered;

    /** PyTorch's defaults: lr 0.01, alpha 0.99, eps 1e-8, no weight decay or momentum, not centered. */
    public RMSprop(Iterable<Parameter> params) {
        this(params, 1e-2);
    }

    public RMSprop(Iterable<Parameter> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /** Every option, in PyTorch's order. */
    public RMSprop(Iterable<Parameter> params, double lr, double alpha, double eps, double weightDecay,
                   double momentum, boolean centered) {
        super(params, lr, weightDecay);
        this.alpha = checkNonNegative("RMSprop", "alpha", alpha);
        this.eps = checkNonNegative("RMSprop", "eps", eps);
        this.momentum = checkNonNegative("RMSprop", "momentum", momentum);
        this.centered = centered;
    }

    /** Settings by name, PyTorch's defaults for the rest. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    public double alpha() {
        return alpha;
    }

    public double eps() {
        return eps;
    }

    public double momentum() {
        return momentum;
    }

    public boolean centered() {
        return centered;
    }

    private static final class State {
        Tensor squareAvg;
        Tensor gradAvg;
        Tensor buf;
    }

    @Override
    protected void update(ParamGroup group, Parameter p, Tensor w, Tensor grad) {
        State s = state(p, State::new);
        if (s.squareAvg == null) {
            s.squareAvg = zerosLike(w);
            s.gradAvg = centered ? zerosLike(w) : null;
            s.buf = momentum > 0 ? zerosLike(w) : null;
        }
        float wd = (float) group.weightDecay();
        float a = (float) alpha;
        float oneMinusA = (float) (1 - alpha);
        float e = (float) eps;
        float mom = (float) momentum;
        float negLr = (float) -group.lr();
        if (host(w, grad, s.squareAvg, s.gradAvg, s.buf)) {
            float[] wa = Host.array(w);
            float[] ga = Host.array(grad);
            float[] va = Host.array(s.squareAvg);
            float[] aa = centered ? Host.array(s.gradAvg) : null;
            float[] ba = momentum > 0 ? Host.array(s.buf) : null;
            int wo = Host.offset(w);
            int go = Host.offset(grad);
            int vo = Host.offset(s.squareAvg);
            int ao = centered ? Host.offset(s.gradAvg) : 0;
            int bo = momentum > 0 ? Host.offset(s.buf) : 0;
            int n = w.numel();
            for (int i = 0; i < n; i++) {
                float gi = ga[go + i];
                if (wd != 0) {
                    gi = gi + wd * wa[wo + i];
                }
                float v = va[vo + i] * a + oneMinusA * gi * gi;
                va[vo + i] = v;
                float avg;
                if (aa != null) {
                    float ga2 = aa[ao + i] * a + oneMinusA * gi;
                    aa[ao + i] = ga2;
                    avg = (float) Math.sqrt(v + -1f * ga2 * ga2);
                } else {
                    avg = (float) Math.sqrt(v);
                }
                avg = avg + e;
                if (ba != null) {
                    float b = ba[bo + i] * mom + gi / avg;
                    ba[bo + i] = b;
                    wa[wo + i] = wa[wo + i] + negLr * b;
                } else {
                    wa[wo + i] = wa[wo + i] + negLr * (gi / avg);
                }
            }
            return;
        }
        Tensor g = grad;
        if (wd != 0) {
            g = g.add(w.mul(wd));
        }
        s.squareAvg = s.squareAvg.mul(a).add(g.mul(oneMinusA).mul(g));
        Tensor avg;
        if (centered) {
            s.gradAvg = s.gradAvg.mul(a).add(g.mul(oneMinusA));
            avg = s.squareAvg.sub(s.gradAvg.mul(s.gradAvg)).sqrt();
        } else {
            avg = s.squareAvg.sqrt();
        }
        avg = avg.add(e);
        if (momentum > 0) {
            s.buf = s.buf.mul(mom).add(g.div(avg));
            p.set(w.add(s.buf.mul(negLr)));
        } else {
            p.set(w.add(g.div(avg).mul(negLr)));
        }
    }

    @Override
    protected void describe(Map<String, String> h) {
        h.put("alpha", py(alpha));
        h.put("eps", py(eps));
        h.put("momentum", py(momentum));
        h.put("centered", py(centered));
    }

    /** Named settings for {@link RMSprop}, PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Parameter> params;
        private double lr = 1e-2;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;

        private Builder(Iterable<Parameter> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        public RMSprop build() {
            return new RMSprop(params, lr, alpha, eps, weightDecay, momentum, centered);
        }
    }
}
