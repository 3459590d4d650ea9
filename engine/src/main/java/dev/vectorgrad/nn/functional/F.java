package dev.vectorgrad.nn.functional;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.nn.Reduction;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * The math of the layers and losses as plain functions of tensors ({@code torch.nn.functional}).
 * Everything is composed of differentiable tensor operations, so gradients come from autograd; the
 * only constants are masks and one-hot targets, which need none.
 *
 * <pre>{@code
 * Tensor h = F.relu(F.linear(x, w1, b1));
 * Tensor loss = F.crossEntropy(F.linear(h, w2, b2), labels, Reduction.MEAN);
 * }</pre>
 */
public final class F {

    private F() {
    }

    // ================================================================ layers

    /**
     * {@code x W^T + b} for {@code x} of shape {@code (*, in)}, {@code weight} {@code (out, in)} and
     * {@code bias} {@code (out)} or null. The transpose is a view that the matrix product hands to
     * GEMM as a transpose flag: nothing is copied.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Objects.requireNonNull(x, "linear: input is null");
        Objects.requireNonNull(weight, "linear: weight is null");
        if (weight.dim() != 2) {
            throw new ShapeException("linear: weight must be 2-D (out, in), got " + Shapes.format(weight.shape()));
        }
        if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
            throw new ShapeException("linear: input " + Shapes.format(x.shape()) + " must end in " + weight.size(1)
                    + " features to match weight " + Shapes.format(weight.shape()));
        }
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    /** 2-D cross-correlation over NCHW input; {@code bias} may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        return x.conv2d(weight, bias, stride, padding);
    }

    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return x.maxPool2d(kernel, stride, padding);
    }

    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return x.avgPool2d(kernel, stride, padding, countIncludePad);
    }

    /** Mean of each channel: (N,C,H,W) to (N,C,1,1). */
    public static Tensor globalAvgPool2d(Tensor x) {
        return x.globalAvgPool2d();
    }

    /** Dimensions {@code startDim..endDim} (inclusive, negative from the end) merged into one. */
    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        return x.flatten(startDim, endDim);
    }

    /**
     * Inverted dropout: in training each element is zeroed with probability {@code p} and the others
     * are scaled by {@code 1/(1-p)}, so the expected value is unchanged and evaluation needs no
     * rescaling; outside training the input is returned as it is. The mask is drawn from {@code rng}
     * in row-major order, one uniform number per element (kept when {@code >= p}).
     */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        checkProbability("dropout", p);
        if (!training || p == 0f) {
            return x;
        }
        Objects.requireNonNull(rng, "dropout: rng is null");
        float[] mask = rng.floats(x.numel());
        float scale = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mask[i] >= p ? scale : 0f;
        }
        return x.mul(Tensor.fromArray(mask, x.shape()));
    }

    /** Checks a dropout probability. */
    public static void checkProbability(String op, float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException(op + ": probability must be between 0 and 1, got " + p);
        }
    }

    /**
     * Batch normalisation over dimension 1 (channels) of {@code (N, C)}, {@code (N, C, L)} or
     * {@code (N, C, H, W)} input, exactly as PyTorch: in training (or without running statistics) each
     * channel is normalised with the batch mean and the biased batch variance, and the running
     * statistics, when given, are updated in place as {@code (1 - momentum) * running + momentum *
     * batch} with the unbiased variance; in evaluation the running statistics are used. Then
     * {@code y = x_hat * weight + bias} (either may be null).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        Objects.requireNonNull(x, "batchNorm: input is null");
        int rank = x.dim();
        if (rank < 2) {
            throw new ShapeException("batchNorm: input must have a batch and a channel dimension (N, C, ...), got "
                    + Shapes.format(x.shape()));
        }
        int c = x.size(1);
        int[] channelShape = new int[rank];
        Arrays.fill(channelShape, 1);
        channelShape[1] = c;
        int[] dims = new int[rank - 1];
        dims[0] = 0;
        for (int d = 2; d < rank; d++) {
            dims[d - 1] = d;
        }
        long perChannel = c == 0 ? 0 : (long) x.numel() / c;
        Tensor y;
        if (training || runningMean == null || runningVar == null) {
            if (training && perChannel <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training,"
                        + " got input " + Shapes.format(x.shape()) + "; use a batch of 2 or more, or eval()");
            }
            Tensor mean = x.mean(dims, true);
            Tensor centered = x.sub(mean);
            Tensor var = centered.square().mean(dims, true);
            if (training && runningMean != null && runningVar != null) {
                float unbias = (float) ((double) perChannel / (perChannel - 1));
                try (var g = Grad.off()) {
                    Tensor m = mean.detach().reshape(c);
                    Tensor v = var.detach().reshape(c).mul(unbias);
                    runningMean.copyFrom(runningMean.mul(1f - momentum).add(m.mul(momentum)));
                    runningVar.copyFrom(runningVar.mul(1f - momentum).add(v.mul(momentum)));
                }
            }
            y = centered.div(var.add(eps).sqrt());
        } else {
            y = x.sub(runningMean.reshape(channelShape)).div(runningVar.reshape(channelShape).add(eps).sqrt());
        }
        if (weight != null) {
            y = y.mul(weight.reshape(channelShape));
        }
        if (bias != null) {
            y = y.add(bias.reshape(channelShape));
        }
        return y;
    }

    // ================================================================ activations

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor leakyRelu(Tensor x, float negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** The perceptron's Heaviside step: 1 where {@code x > 0}, else 0; its gradient is zero. */
    public static Tensor step(Tensor x) {
        return x.step();
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    // ================================================================ losses

    /** Mean (or summed) squared error; prediction and target must have the same shape. */
    public static Tensor mseLoss(Tensor prediction, Tensor target, Reduction reduction) {
        sameShape("mse", prediction, target);
        return reduce(prediction.sub(target).square(), reduction);
    }

    /** The lectures' {@code E_total = sum 1/2 (target - output)^2}. */
    public static Tensor sseLoss(Tensor prediction, Tensor target) {
        sameShape("sse", prediction, target);
        return target.sub(prediction).square().sum().mul(0.5f);
    }

    /**
     * Binary cross-entropy on probabilities {@code p} in [0, 1]:
     * {@code -(t log p + (1 - t) log(1 - p))}, each log clamped below at -100 as PyTorch does, so a
     * probability of exactly 0 or 1 gives a finite loss. The gradient is PyTorch's too:
     * {@code (p - t) / max(p (1 - p), 1e-12)} with respect to {@code p}, finite at 0 and 1 (where
     * differentiating the clamped logs would multiply 0 by 1/0), and {@code log(1 - p) - log p}, with
     * the clamped logs, with respect to the target. Prefer {@link #bceWithLogits} for training: it is
     * stable and has a finite gradient everywhere.
     */
    public static Tensor bce(Tensor p, Tensor target, Reduction reduction) {
        sameShape("bce", p, target);
        if (p.numel() > 0) {
            float lo = p.min().item();
            float hi = p.max().item();
            if (lo < 0f || hi > 1f) {
                throw new IllegalArgumentException("bce: the prediction must hold probabilities in [0, 1], got values"
                        + " from " + lo + " to " + hi + "; apply sigmoid() first, or use bceWithLogits");
            }
        }
        Tensor pd = p.detach();
        Tensor td = target.detach();
        Tensor value;
        Tensor dp;
        Tensor dt;
        try (var g = Grad.off()) {
            Tensor logP = pd.log().maximum(-100f);
            Tensor log1mP = pd.neg().add(1f).log().maximum(-100f);
            value = td.mul(logP).add(td.neg().add(1f).mul(log1mP)).neg();
            dp = pd.sub(td).div(pd.mul(pd.neg().add(1f)).maximum(1e-12f));
            dt = log1mP.sub(logP);
        }
        // value + dp * (p - p) + dt * (t - t), the second operand of each difference detached: the added
        // terms are exactly 0 and carry the gradients dp and dt.
        Tensor loss = value.add(p.sub(pd).mul(dp)).add(target.sub(td).mul(dt));
        return reduce(loss, reduction);
    }

    /**
     * Binary cross-entropy on logits {@code x} (before the sigmoid), in the stable form
     * {@code max(x, 0) - x t + log(1 + exp(-|x|))}, with {@code max(x, 0)} written as
     * {@code (x + |x|) / 2} so that the gradient is exactly {@code sigmoid(x) - t} at {@code x = 0} too.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        sameShape("bceWithLogits", logits, target);
        Tensor abs = logits.abs();
        Tensor loss = logits.add(abs).mul(0.5f).sub(logits.mul(target)).add(abs.neg().exp().add(1f).log());
        return reduce(loss, reduction);
    }

    /**
     * Cross-entropy of logits {@code (N, C)} (softmax and negative log-likelihood in one, stable):
     * {@code -sum_c t_c log softmax(x)_c} per sample. Targets are class indices {@code (N)} given as
     * floats, or one-hot vectors or probabilities {@code (N, C)}. With {@link Reduction#MEAN} the
     * gradient with respect to the logits is {@code (softmax(x) - t) / N}.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        Tensor t = classTargets("crossEntropy", logits, target, false);
        return reduce(logits.logSoftmax(1).mul(t).sum(1).neg(), reduction);
    }

    /** Negative log-likelihood of log-probabilities {@code (N, C)} (from {@code logSoftmax}). */
    public static Tensor nllLoss(Tensor logProbabilities, Tensor target, Reduction reduction) {
        Tensor t = classTargets("nll", logProbabilities, target, false);
        return reduce(logProbabilities.mul(t).sum(1).neg(), reduction);
    }

    /**
     * The multiclass SVM (hinge) loss of ROB 102 for scores {@code (N, C)} and labels {@code y}:
     * {@code sum_{j != y} max(0, s_j - s_y + delta)} per sample. Unlike PyTorch's
     * {@code MultiMarginLoss} it does not divide by the number of classes. Labels are class indices
     * {@code (N)} or one-hot rows {@code (N, C)}.
     */
    public static Tensor multiClassHinge(Tensor scores, Tensor target, float delta, Reduction reduction) {
        Tensor y = classTargets("hinge", scores, target, true);
        Tensor correct = scores.mul(y).sum(1, true);
        Tensor margins = scores.sub(correct).add(delta).relu().mul(y.neg().add(1f));
        return reduce(margins.sum(1), reduction);
    }

    /** One-hot rows {@code (N, classes)} for class indices {@code (N)} given as floats. */
    public static Tensor oneHot(Tensor labels, int classes) {
        Objects.requireNonNull(labels, "oneHot: labels is null");
        if (labels.dim() != 1) {
            throw new ShapeException("oneHot: labels must be 1-D (N), got " + Shapes.format(labels.shape()));
        }
        return oneHot("oneHot", labels.toArray(), classes);
    }

    private static Tensor oneHot(String op, float[] labels, int classes) {
        float[] out = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            float v = labels[i];
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new IllegalArgumentException(op + ": target " + v + " of sample " + i
                        + " is not a class index in [0, " + classes + ")");
            }
            out[i * classes + (int) v] = 1f;
        }
        return Tensor.fromArray(out, labels.length, classes);
    }

    // ================================================================ helpers

    /** The target as an (N, C) weight per class: one-hot rows for class indices, else as given. */
    private static Tensor classTargets(String op, Tensor scores, Tensor target, boolean requireOneHot) {
        Objects.requireNonNull(scores, () -> op + ": prediction is null");
        Objects.requireNonNull(target, () -> op + ": target is null");
        if (scores.dim() != 2) {
            throw new ShapeException(op + ": expects class scores of shape (N, C), got " + Shapes.format(scores.shape())
                    + (scores.dim() == 1 ? "; add a batch dimension with unsqueeze(0)" : ""));
        }
        int n = scores.size(0);
        int c = scores.size(1);
        if (target.dim() == 1 && target.size(0) == n) {
            return oneHot(op, target.toArray(), c);
        }
        if (Arrays.equals(target.shape(), scores.shape())) {
            if (requireOneHot) {
                float[] v = target.toArray();
                for (int i = 0; i < n; i++) {
                    int ones = 0;
                    for (int j = 0; j < c; j++) {
                        float x = v[i * c + j];
                        if (x != 0f && x != 1f) {
                            ones = -1;
                            break;
                        }
                        ones += (int) x;
                    }
                    if (ones != 1) {
                        throw new IllegalArgumentException(op + ": row " + i + " of the target is not one-hot;"
                                + " give class indices (N) or one-hot rows (N, C)");
                    }
                }
            }
            return target;
        }
        throw new ShapeException(op + ": scores " + Shapes.format(scores.shape()) + " need a target of shape ("
                + n + ") (class indices) or " + Shapes.format(scores.shape())
                + (requireOneHot ? " (one-hot)" : " (one-hot or probabilities)") + ", got "
                + Shapes.format(target.shape()));
    }

    private static void sameShape(String op, Tensor prediction, Tensor target) {
        Objects.requireNonNull(prediction, () -> op + ": prediction is null");
        Objects.requireNonNull(target, () -> op + ": target is null");
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new ShapeException(op + ": prediction " + Shapes.format(prediction.shape()) + " and target "
                    + Shapes.format(target.shape()) + " must have the same shape"
                    + (prediction.numel() == target.numel() ? "; reshape one of them (a (N,1) vs (N) mix-up"
                    + " would broadcast to (N,N))" : ""));
        }
    }

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        Objects.requireNonNull(reduction, "reduction is null");
        return switch (reduction) {
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case NONE -> loss;
        };
    }
}
