package dev.vectorgrad.backend.scalar;

import dev.vectorgrad.backend.ReduceOp;

final class ScalarReduce {
    private ScalarReduce() {
    }

    static void reduce(ReduceOp op, float[] x, int offset, int outer, int len, int inner, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void softmax(float[] x, int offset, int outer, int len, int inner, boolean log, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
