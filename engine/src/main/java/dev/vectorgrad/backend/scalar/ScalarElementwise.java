package dev.vectorgrad.backend.scalar;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.UnaryOp;

/**
 * Reference elementwise kernels: one plain loop over the output's elements in row-major order; each
 * input element is located through its layout with {@link #storageIndex}. This class defines what
 * every op means (PyTorch semantics); the SIMD kernels are tested against it.
 */
final class ScalarElementwise {
    private ScalarElementwise() {
    }

    /**
     * Where the element with row-major position {@code flat} of a view lives in its storage: the flat
     * position is split into a multi-index (last dimension fastest) and dotted with the strides.
     */
    static int storageIndex(Layout layout, int flat) {
        int index = layout.offset();
        int rest = flat;
        for (int d = layout.rank() - 1; d >= 0; d--) {
            int size = layout.dim(d);
            index += (rest % size) * layout.stride(d);
            rest /= size;
        }
        return index;
    }

    static void copy(float[] x, Layout layout, float[] out) {
        for (int i = 0; i < layout.size(); i++) {
            out[i] = x[storageIndex(layout, i)];
        }
    }

    static void unary(UnaryOp op, float alpha, float beta, float[] x, Layout layout, float[] out) {
        for (int i = 0; i < layout.size(); i++) {
            out[i] = unary(op, alpha, beta, x[storageIndex(layout, i)]);
        }
    }

    static void binary(BinaryOp op, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        for (int i = 0; i < la.size(); i++) {
            out[i] = binary(op, a[storageIndex(la, i)], b[storageIndex(lb, i)]);
        }
    }

    static void where(float[] cond, Layout lc, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        for (int i = 0; i < lc.size(); i++) {
            out[i] = cond[storageIndex(lc, i)] != 0 ? a[storageIndex(la, i)] : b[storageIndex(lb, i)];
        }
    }

    /**
     * One unary op on one value. NaN in gives NaN out for every op except STEP (NaN is not
     * {@code > 0}, so 0). Transcendentals are computed in double and rounded once.
     */
    static float unary(UnaryOp op, float alpha, float beta, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case POW -> (float) Math.pow(x, alpha);
            // Math.max, not a comparison, so that relu(NaN) is NaN as in PyTorch.
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            // In double, 1 / (1 + e^-x) neither overflows nor loses precision for any float x.
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-(double) x)));
            case TANH -> (float) Math.tanh(x);
            case STEP -> x > 0 ? 1f : 0f;
            case CLAMP -> Math.min(Math.max(x, alpha), beta);
            case ADD_SCALAR -> x + alpha;
            case MUL_SCALAR -> x * alpha;
            // Two roundings (multiply, then add), not a fused multiply-add.
            case AFFINE -> alpha * x + beta;
            case SIGN -> Math.signum(x);
        };
    }

    /** One binary op on one pair; MAXIMUM and MINIMUM propagate NaN, comparisons give 1 or 0. */
    static float binary(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
        };
    }
}
