package dev.vectorgrad.optim;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Tensor;

import java.util.Map;

/**
 * Adam (Kingma and Ba, 2014), with optional weight decay and the AMSGrad variant: PyTorch's
 * {@code torch.optim.Adam}.
 *
 * <pre>{@code
 * new Adam(model.parameters());                       // lr 1e-3, betas (0.9, 0.999), eps 1e-8
 * new Adam(model.parameters(), 3e-4);
 * Adam.builder(model.parameters()).lr(1e-3).betas(0.9, 0.99).amsgrad(true).build();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, at its step {@code t = 1, 2, ...}:
 * <pre>
 * g &lt;- g + weightDecay * w                     (L2 in the gradient; not AdamW's decoupled decay)
 * m &lt;- beta1 * m + (1 - beta1) * g
 * v &lt;- beta2 * v + (1 - beta2) * g^2
 * vHat &lt;- max(vHat, v)  with amsgrad, else vHat = v
 * w &lt;- w - lr / (1 - beta1^t) * m / (sqrt(vHat) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
public class Adam extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final boolean amsgrad;

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(Iterable<Parameter> params) {
        this(params, 1e-3);
    }

    public Adam(Iterable<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** Every option, in PyTorch's order. */
    public Adam(Iterable<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        super(params, lr, weightDecay);
        this.beta1 = checkUnit("Adam", "beta1", beta1, false);
        this.beta2 = checkUnit("Adam", "beta2", beta2, false);
        this.eps = checkNonNegative("Adam", "eps", eps);
        this.amsgrad = amsgrad;
    }

    /** Settings by name, PyTorch's defaults for the rest. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public boolean amsgrad() {
        return amsgrad;
    }

    private static final class State {
        long step;
        Tensor m;
        Tensor v;
        Tensor vMax;
    }

    @Override
    protected void update(ParamGroup group, Parameter p, Tensor w, Tensor grad) {
        State s = state(p, State::new);
        if (s.m == null) {
            s.m = zerosLike(w);
            s.v = zerosLike(w);
            s.vMax = amsgrad ? zerosLike(w) : null;
        }
        long t = ++s.step;
        float wd = (float) group.weightDecay();
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        float negStep = (float) -(group.lr() / bias1);
        float bias2Sqrt = (float) Math.sqrt(bias2);
        float e = (float) eps;
        if (host(w, grad, s.m, s.v, s.vMax)) {
            float[] wa = Host.array(w);
            float[] ga = Host.array(grad);
            float[] ma = Host.array(s.m);
            float[] va = Host.array(s.v);
            float[] xa = amsgrad ? Host.array(s.vMax) : null;
            int wo = Host.offset(w);
            int go = Host.offset(grad);
            int mo = Host.offset(s.m);
            int vo = Host.offset(s.v);
            int xo = amsgrad ? Host.offset(s.vMax) : 0;
            int n = w.numel();
            if (wd == 0 && xa == null) {
                Backends.host().adamStep(n, wa, wo, ga, go, ma, mo, va, vo, b1, oneMinusB1, b2, oneMinusB2, negStep,
                        bias2Sqrt, e);
                return;
            }
            for (int i = 0; i < n; i++) {
                float gi = ga[go + i];
                if (wd != 0) {
                    gi = gi + wd * wa[wo + i];
                }
                float m = ma[mo + i] * b1 + oneMinusB1 * gi;
                float v = va[vo + i] * b2 + oneMinusB2 * gi * gi;
                ma[mo + i] = m;
                va[vo + i] = v;
                if (xa != null) {
                    v = Math.max(xa[xo + i], v);
                    xa[xo + i] = v;
                }
                float denom = (float) Math.sqrt(v) / bias2Sqrt + e;
                wa[wo + i] = wa[wo + i] + negStep * (m / denom);
            }
            return;
        }
        Tensor g = grad;
        if (wd != 0) {
            g = g.add(w.mul(wd));
        }
        s.m = s.m.mul(b1).add(g.mul(oneMinusB1));
        s.v = s.v.mul(b2).add(g.mul(oneMinusB2).mul(g));
        Tensor v = s.v;
        if (amsgrad) {
            s.vMax = s.vMax.maximum(s.v);
            v = s.vMax;
        }
        Tensor denom = v.sqrt().div(bias2Sqrt).add(e);
        p.set(w.add(s.m.div(denom).mul(negStep)));
    }

    @Override
    protected void describe(Map<String, String> h) {
        h.put("betas", "(" + py(beta1) + ", " + py(beta2) + ")");
        h.put("eps", py(eps));
        h.put("amsgrad", py(amsgrad));
    }

    /** Named settings for {@link Adam}, PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Parameter> params;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private boolean amsgrad;

        private Builder(Iterable<Parameter> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
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

        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        public Adam build() {
            return new Adam(params, lr, beta1, beta2, eps, weightDecay, amsgrad);
        }
    }
}
