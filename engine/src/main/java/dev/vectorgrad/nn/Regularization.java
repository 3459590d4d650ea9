package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Tensor;

import java.util.Objects;

/**
 * Penalties on the weights, added to a loss. Which parameters count is decided by
 * {@link Parameter#regularized()}: weight matrices and convolution kernels do, biases and
 * normalisation parameters do not.
 *
 * <pre>{@code
 * Tensor loss = Loss.hinge(1f).apply(scores, labels).add(Regularization.l2(model, 1e-3f));
 * Loss objective = Loss.hinge(1f).withL2(model, 1e-3f);      // the same, as one Loss
 * }</pre>
 */
public final class Regularization {

    private Regularization() {
    }

    /**
     * {@code lambda * sum(w^2)} over every regularised parameter of {@code model} (0-D), as in the
     * lecture's {@code L_reg = alpha * (sum W1^2 + sum W2^2)}. Its gradient is {@code 2 * lambda * w}:
     * an optimizer's weight decay {@code wd} corresponds to {@code lambda = wd / 2}.
     */
    public static Tensor l2(Module model, float lambda) {
        Objects.requireNonNull(model, "l2: model is null");
        return l2(model.parameters(), lambda);
    }

    /** {@code lambda * sum(w^2)} over the regularised parameters among {@code parameters} (0-D). */
    public static Tensor l2(Iterable<Parameter> parameters, float lambda) {
        Objects.requireNonNull(parameters, "l2: parameters is null");
        Tensor total = null;
        for (Parameter p : parameters) {
            if (p.regularized()) {
                Tensor s = p.value().square().sum();
                total = total == null ? s : total.add(s);
            }
        }
        return total == null ? Tensor.scalar(0f) : total.mul(lambda);
    }
}
