package dev.vectorgrad.optim;

import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Tensor;

import java.util.Map;

/**
 * Adadelta (Zeiler, 2012): steps scaled by the ratio of running averages of past squared updates and
 * squared gradients, so no learning rate needs tuning (PyTorch keeps one, default 1.0, as a final
 * factor). PyTorch's {@code torch.optim.Adadelta}.
 *
 * <pre>{@code
 * new Adadelta(model.parameters());             // lr 1.0, rho 0.9, eps 1e-6
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}:
 * <pre>
 * g &lt;- g + weightDecay * w
 * v &lt;- rho * v + (1 - rho) * g^2
 * delta = sqrt(u + eps) / sqrt(v + eps) * g
 * u &lt;- rho * u + (1 - rho) * delta^2
 * w &lt;- w - lr * delta
 * </pre>
 */
public class Adadelta extends Optimizer {

    private final double rho;
    private final double eps;

    /** PyTorch's defaults: lr 1.0, rho 0.9, eps 1e-6, no weight decay. */
    public Adadelta(Iterable<Parameter> params) {
        this(params, 1.0);
    }

    public Adadelta(Iterable<Parameter> params, double lr) {
        this(params, lr, 0.9, 1e-6, 0);
    }

    /** Every option, in PyTorch's order. */
    public Adadelta(Iterable<Parameter> params, double lr, double rho, double eps, double weightDecay) {
        super(params, lr, weightDecay);
        this.rho = checkUnit("Adadelta", "rho", rho, true);
        this.eps = checkNonNegative("Adadelta", "eps", eps);
    }

    /** Settings by name, PyTorch's defaults for the rest. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    public double rho() {
        return rho;
    }

    public double eps() {
        return eps;
    }

    private static final class State {
        Tensor squareAvg;
        Tensor accDelta;
    }

    @Override
    protected void update(ParamGroup group, Parameter p, Tensor w, Tensor grad) {
        State s = state(p, State::new);
        if (s.squareAvg == null) {
            s.squareAvg = zerosLike(w);
            s.accDelta = zerosLike(w);
        }
        float wd = (float) group.weightDecay();
        float r = (float) rho;
        float oneMinusRho = (float) (1 - rho);
        float e = (float) eps;
        float negLr = (float) -group.lr();
        if (host(w, grad, s.squareAvg, s.accDelta)) {
            float[] wa = Host.array(w);
            float[] ga = Host.array(grad);
            float[] va = Host.array(s.squareAvg);
            float[] ua = Host.array(s.accDelta);
            int wo = Host.offset(w);
            int go = Host.offset(grad);
            int vo = Host.offset(s.squareAvg);
            int uo = Host.offset(s.accDelta);
            int n = w.numel();
            for (int i = 0; i < n; i++) {
                float gi = ga[go + i];
                if (wd != 0) {
                    gi = gi + wd * wa[wo + i];
                }
                float v = va[vo + i] * r + oneMinusRho * gi * gi;
                va[vo + i] = v;
                float std = (float) Math.sqrt(v + e);
                float delta = (float) Math.sqrt(ua[uo + i] + e) / std * gi;
                ua[uo + i] = ua[uo + i] * r + oneMinusRho * delta * delta;
                wa[wo + i] = wa[wo + i] + negLr * delta;
            }
            return;
        }
        Tensor g = grad;
        if (wd != 0) {
            g = g.add(w.mul(wd));
        }
        s.squareAvg = s.squareAvg.mul(r).add(g.mul(oneMinusRho).mul(g));
        Tensor std = s.squareAvg.add(e).sqrt();
        Tensor delta = s.accDelta.add(e).sqrt().div(std).mul(g);
        s.accDelta = s.accDelta.mul(r).add(delta.mul(oneMinusRho).mul(delta));
        p.set(w.add(delta.mul(negLr)));
    }

    @Override
    protected void describe(Map<String, String> h) {
        h.put("rho", py(rho));
        h.put("eps", py(eps));
    }

    /** Named settings for {@link Adadelta}, PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Parameter> params;
        private double lr = 1.0;
        private double rho = 0.9;
        private double eps = 1e-6;
        private double weightDecay;

        private Builder(Iterable<Parameter> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder rho(double rho) {
            this.rho = rho;
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

        public Adadelta build() {
            return new Adadelta(params, lr, rho, eps, weightDecay);
        }
    }
}
