package dev.vectorgrad.backend.scalar;

import dev.vectorgrad.backend.ReduceOp;

/**
 * Reference reductions and softmax over the middle axis of a contiguous {@code [outer, len, inner]}
 * block: element {@code (o, j, i)} sits at {@code offset + (o * len + j) * inner + i}. Sums are
 * accumulated in double, so this is the more accurate side of any comparison.
 */
final class ScalarReduce {
    private ScalarReduce() {
    }

    static void reduce(ReduceOp op, float[] x, int offset, int outer, int len, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int first = offset + o * len * inner + i;
                out[o * inner + i] = switch (op) {
                    case SUM -> sum(x, first, len, inner);
                    case MAX -> max(x, first, len, inner);
                    case MIN -> min(x, first, len, inner);
                    case ARGMAX -> argmax(x, first, len, inner);
                    case ARGMIN -> argmin(x, first, len, inner);
                };
            }
        }
    }

    private static float sum(float[] x, int first, int len, int step) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += x[first + j * step];
        }
        return (float) s;
    }

    /** Math.max propagates NaN: one NaN makes the maximum NaN, as in PyTorch. */
    private static float max(float[] x, int first, int len, int step) {
        float m = x[first];
        for (int j = 1; j < len; j++) {
            m = Math.max(m, x[first + j * step]);
        }
        return m;
    }

    private static float min(float[] x, int first, int len, int step) {
        float m = x[first];
        for (int j = 1; j < len; j++) {
            m = Math.min(m, x[first + j * step]);
        }
        return m;
    }

    /**
     * Index of the first maximum. NaN counts as larger than everything (PyTorch), so the first NaN
     * wins if there is one; only a strictly larger value replaces the current best, so ties keep the
     * first index.
     */
    private static float argmax(float[] x, int first, int len, int step) {
        float best = x[first];
        int index = 0;
        for (int j = 1; j < len; j++) {
            float v = x[first + j * step];
            if (!Float.isNaN(best) && (v > best || Float.isNaN(v))) {
                best = v;
                index = j;
            }
        }
        return index;
    }

    /** Index of the first minimum; NaN counts as smaller than everything, so the first NaN wins. */
    private static float argmin(float[] x, int first, int len, int step) {
        float best = x[first];
        int index = 0;
        for (int j = 1; j < len; j++) {
            float v = x[first + j * step];
            if (!Float.isNaN(best) && (v < best || Float.isNaN(v))) {
                best = v;
                index = j;
            }
        }
        return index;
    }

    /**
     * {@code out = exp(x - m) / sum(exp(x - m))} with {@code m} the maximum along the axis, or for
     * log-softmax {@code out = x - m - log(sum(exp(x - m)))}. Subtracting the maximum keeps every
     * exponent at most 0, so nothing overflows however large the inputs; the arithmetic is in double.
     */
    static void softmax(float[] x, int offset, int outer, int len, int inner, boolean log, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int first = offset + o * len * inner + i;
                int firstOut = o * len * inner + i;
                double m = max(x, first, len, inner);
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    sum += Math.exp(x[first + j * inner] - m);
                }
                for (int j = 0; j < len; j++) {
                    double shifted = x[first + j * inner] - m;
                    out[firstOut + j * inner] = log
                            ? (float) (shifted - Math.log(sum))
                            : (float) (Math.exp(shifted) / sum);
                }
            }
        }
    }
}
