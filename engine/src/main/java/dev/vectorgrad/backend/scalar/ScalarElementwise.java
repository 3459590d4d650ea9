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
            out[i] = op.apply(alpha, beta, x[storageIndex(layout, i)]);
        }
    }

    static void binary(BinaryOp op, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        for (int i = 0; i < la.size(); i++) {
            out[i] = op.apply(a[storageIndex(la, i)], b[storageIndex(lb, i)]);
        }
    }

    static void where(float[] cond, Layout lc, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        for (int i = 0; i < lc.size(); i++) {
            out[i] = cond[storageIndex(lc, i)] != 0 ? a[storageIndex(la, i)] : b[storageIndex(lb, i)];
        }
    }

}
