package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.ReduceOp;

final class SimdReduce {
    private SimdReduce() {
    }

    static void reduce(ReduceOp op, float[] x, int offset, int outer, int len, int inner, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void softmax(float[] x, int offset, int outer, int len, int inner, boolean log, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
