package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.UnaryOp;

final class SimdElementwise {
    private SimdElementwise() {
    }

    static void copy(float[] x, Layout layout, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void unary(UnaryOp op, float alpha, float beta, float[] x, Layout layout, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void binary(BinaryOp op, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void where(float[] cond, Layout lc, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
