package dev.vectorgrad.train;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Classification accuracy: the predicted class is the index of the largest score (an argmax over
 * dimension 1 of scores {@code (N, C)}); targets are class indices {@code (N)} stored as floats, or
 * one-hot / probability rows {@code (N, C)} (their argmax is the class).
 *
 * <pre>{@code
 * double acc = Metrics.accuracy(model.forward(x), y);    // 0.0 to 1.0
 * }</pre>
 */
public final class Metrics {

    private Metrics() {
    }

    /** The fraction of rows whose largest score is at the target class. */
    public static double accuracy(Tensor scores, Tensor targets) {
        int n = check(scores, targets);
        return n == 0 ? Double.NaN : correct(scores, targets) / (double) n;
    }

    /** The number of rows whose largest score is at the target class. */
    public static long correct(Tensor scores, Tensor targets) {
        check(scores, targets);
        try (var g = Grad.off()) {
            Tensor predicted = scores.argmax(1);
            Tensor classes = targets.dim() == 2 ? targets.argmax(1) : targets;
            return Math.round(predicted.eq(classes).sum().item());
        }
    }

    /**
     * Whether accuracy applies without asking: scores {@code (N, C)} with {@code C >= 2} and class
     * indices {@code (N)}. (One-hot targets look like regression targets, so {@code fit} measures their
     * accuracy only when {@link Fit#accuracy(boolean)} asks for it.)
     */
    public static boolean isClassification(Tensor scores, Tensor targets) {
        return scores.dim() == 2 && scores.size(1) >= 2 && targets.dim() == 1 && targets.size(0) == scores.size(0);
    }

    private static int check(Tensor scores, Tensor targets) {
        Objects.requireNonNull(scores, "accuracy: scores is null");
        Objects.requireNonNull(targets, "accuracy: targets is null");
        boolean ok = scores.dim() == 2 && ((targets.dim() == 1 && targets.size(0) == scores.size(0))
                || (targets.dim() == 2 && Arrays.equals(targets.shape(), scores.shape())));
        if (!ok) {
            throw new IllegalArgumentException("accuracy: needs class scores (N, C) and targets (N) of class indices or"
                    + " (N, C) one-hot rows; got scores " + Shapes.format(scores.shape()) + " and targets "
                    + Shapes.format(targets.shape()));
        }
        return scores.size(0);
    }
}
