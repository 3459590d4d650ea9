package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Tensor;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A loss: a function of a prediction and a target that returns a tensor (0-D unless the reduction is
 * {@link Reduction#NONE}). The factories give PyTorch's losses plus the lectures' own.
 *
 * <pre>{@code
 * Loss ce = Loss.crossEntropy();
 * Tensor loss = ce.apply(model.forward(x), labels);     // labels: class indices (N) as floats
 * loss.backward();
 * Loss svm = Loss.hinge(1f).withL2(model, 1e-3f);       // ROB 102: SVM loss + alpha * sum W^2
 * }</pre>
 */
@FunctionalInterface
public interface Loss {

    /** The loss of {@code prediction} against {@code target}. */
    Tensor apply(Tensor prediction, Tensor target);

    /** This loss plus a penalty computed anew at each call (a regularisation term). */
    default Loss plus(Supplier<Tensor> penalty) {
        Objects.requireNonNull(penalty, "plus: penalty is null");
        Loss self = this;
        return named(this + " + penalty", (p, t) -> self.apply(p, t).add(penalty.get()));
    }

    /** This loss plus {@link Regularization#l2(Module, float) lambda * sum(w^2)} over the model's weights. */
    default Loss withL2(Module model, float lambda) {
        Objects.requireNonNull(model, "withL2: model is null");
        Loss self = this;
        return named(this + " + L2(lambda=" + Module.pyFloat(lambda) + ")",
                (p, t) -> self.apply(p, t).add(Regularization.l2(model, lambda)));
    }

    // ================================================================ regression

    /** Mean squared error {@code mean((o - t)^2)}. */
    static Loss mse() {
        return mse(Reduction.MEAN);
    }

    static Loss mse(Reduction reduction) {
        Objects.requireNonNull(reduction, "mse: reduction is null");
        return named("MSELoss(reduction=" + reduction + ")", (p, t) -> F.mseLoss(p, t, reduction));
    }

    /** The lectures' total error {@code E_total = sum 1/2 (target - output)^2}. */
    static Loss sse() {
        return named("SSELoss()", F::sseLoss);
    }

    // ================================================================ binary classification

    /** Binary cross-entropy on probabilities (after a sigmoid), logs clamped at -100 like PyTorch. */
    static Loss bce() {
        return bce(Reduction.MEAN);
    }

    static Loss bce(Reduction reduction) {
        Objects.requireNonNull(reduction, "bce: reduction is null");
        return named("BCELoss(reduction=" + reduction + ")", (p, t) -> F.bce(p, t, reduction));
    }

    /** Binary cross-entropy on logits, sigmoid included: numerically stable. */
    static Loss bceWithLogits() {
        return bceWithLogits(Reduction.MEAN);
    }

    static Loss bceWithLogits(Reduction reduction) {
        Objects.requireNonNull(reduction, "bceWithLogits: reduction is null");
        return named("BCEWithLogitsLoss(reduction=" + reduction + ")", (p, t) -> F.bceWithLogits(p, t, reduction));
    }

    // ================================================================ multiclass classification

    /**
     * Softmax cross-entropy of logits {@code (N, C)}; targets are class indices {@code (N)} as floats,
     * or one-hot / probability rows {@code (N, C)}. Mean over the batch.
     */
    static Loss crossEntropy() {
        return crossEntropy(Reduction.MEAN);
    }

    static Loss crossEntropy(Reduction reduction) {
        Objects.requireNonNull(reduction, "crossEntropy: reduction is null");
        return named("CrossEntropyLoss(reduction=" + reduction + ")", (p, t) -> F.crossEntropy(p, t, reduction));
    }

    /** Negative log-likelihood of log-probabilities {@code (N, C)} (after {@link LogSoftmax}). */
    static Loss nll() {
        return nll(Reduction.MEAN);
    }

    static Loss nll(Reduction reduction) {
        Objects.requireNonNull(reduction, "nll: reduction is null");
        return named("NLLLoss(reduction=" + reduction + ")", (p, t) -> F.nllLoss(p, t, reduction));
    }

    /**
     * The multiclass SVM loss of ROB 102 with margin {@code delta}:
     * {@code sum_{j != y} max(0, s_j - s_y + delta)} per sample, averaged over the batch.
     */
    static Loss hinge(float delta) {
        return hinge(delta, Reduction.MEAN);
    }

    /** {@link #hinge(float)} with margin 1. */
    static Loss hinge() {
        return hinge(1f, Reduction.MEAN);
    }

    static Loss hinge(float delta, Reduction reduction) {
        Objects.requireNonNull(reduction, "hinge: reduction is null");
        return named("MultiClassHingeLoss(delta=" + Module.pyFloat(delta) + ", reduction=" + reduction + ")",
                (p, t) -> F.multiClassHinge(p, t, delta, reduction));
    }

    /** A loss that prints as {@code name} (in training logs and notebooks). */
    static Loss named(String name, Loss loss) {
        Objects.requireNonNull(name, "named: name is null");
        Objects.requireNonNull(loss, "named: loss is null");
        return new Loss() {
            @Override
            public Tensor apply(Tensor prediction, Tensor target) {
                return loss.apply(prediction, target);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
