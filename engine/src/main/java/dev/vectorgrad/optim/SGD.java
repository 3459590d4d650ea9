package dev.vectorgrad.optim;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Tensor;

import java.util.Map;

/**
 * Stochastic gradient descent, with optional momentum (heavy ball or Nesterov), dampening and weight
 * decay: PyTorch's {@code torch.optim.SGD}.
 *
 * <pre>{@code
 * new SGD(model.parameters(), 0.1);                           // w <- w - lr * g
 * new SGD(model.parameters(), 0.01, 0.9);                     // momentum 0.9
 * SGD.builder(model.parameters()).lr(0.01).momentum(0.9).nesterov(true).weightDecay(5e-4).build();
 * }</pre>
 *
 * <p>For each parameter {@code w} with gradient {@code g}, step {@code t}:
 * <pre>
 * g &lt;- g + weightDecay * w                              (if weightDecay != 0)
 * b &lt;- g                          at t = 1             (if momentum != 0)
 * b &lt;- momentum * b + (1 - dampening) * g   after that
 * g &lt;- g + momentum * b  if nesterov,  else  g &lt;- b
 * w &lt;- w - lr * g
 * </pre>
 * As in PyTorch the learning rate multiplies the velocity, not the gradient inside it (the form of
 * Sutskever et al.), and the first step copies the gradient into the buffer undampened.
 */
public class SGD extends Optimizer {

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;

    /** Plain SGD. */
    public SGD(Iterable<Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /** SGD with (heavy-ball) momentum. */
    public SGD(Iterable<Parameter> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    /** Every option, in PyTorch's order. Nesterov momentum needs {@code momentum > 0} and no dampening. */
    public SGD(Iterable<Parameter> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(params, lr, weightDecay);
        this.momentum = checkNonNegative("SGD", "momentum", momentum);
        this.dampening = checkNonNegative("SGD", "dampening", dampening);
        this.nesterov = nesterov;
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (got momentum " + momentum + ", dampening " + dampening + ")");
        }
    }

    /** Settings by name: {@code SGD.builder(params).lr(0.01).momentum(0.9).nesterov(true).build()}. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    public double momentum() {
        return momentum;
    }

    public double dampening() {
        return dampening;
    }

    public boolean nesterov() {
        return nesterov;
    }

    private static final class State {
        Tensor buf;
    }

    @Override
    protected void update(ParamGroup group, Parameter p, Tensor w, Tensor grad) {
        float wd = (float) group.weightDecay();
        float lr = (float) group.lr();
        float mom = (float) momentum;
        State s = momentum != 0 ? state(p, State::new) : null;
        if (host(w, grad, s == null ? null : s.buf)) {
            boolean first = false;
            if (s != null && s.buf == null) {
                s.buf = zerosLike(w);
                first = true;
            }
            float[] wa = Host.array(w);
            float[] ga = Host.array(grad);
            float[] ba = s == null ? null : Host.array(s.buf);
            int wo = Host.offset(w);
            int go = Host.offset(grad);
            int bo = s == null ? 0 : Host.offset(s.buf);
            Backends.host().sgdStep(w.numel(), wa, wo, ga, go, ba, bo, -lr, wd, mom, (float) (1 - dampening),
                    nesterov, first);
            return;
        }
        Tensor d = grad;
        if (wd != 0) {
            d = d.add(w.mul(wd));
        }
        if (s != null) {
            s.buf = s.buf == null ? d.clone() : s.buf.mul(mom).add(d.mul((float) (1 - dampening)));
            d = nesterov ? d.add(s.buf.mul(mom)) : s.buf;
        }
        p.set(w.add(d.mul(-lr)));
    }

    @Override
    protected void describe(Map<String, String> h) {
        h.put("momentum", py(momentum));
        h.put("dampening", py(dampening));
        h.put("nesterov", py(nesterov));
    }

    /** Named settings for {@link SGD}; PyTorch's defaults except the learning rate, which is required. */
    public static final class Builder {
        private final Iterable<Parameter> params;
        private Double lr;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;

        private Builder(Iterable<Parameter> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        public SGD build() {
            if (lr == null) {
                throw new IllegalStateException("SGD: the learning rate is required; call lr(...) (0.01 to 0.1 is"
                        + " a usual start)");
            }
            return new SGD(params, lr, momentum, dampening, weightDecay, nesterov);
        }
    }
}
