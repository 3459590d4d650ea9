package dev.vectorgrad.backend.scalar;

import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.PoolGeometry;

final class ScalarImage {
    private ScalarImage() {
    }

    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void col2im(ConvGeometry g, float[] col, int colOffset, float[] dx, int image) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void conv2d(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void conv2dBackwardInput(ConvGeometry g, float[] weight, float[] gradOut, float[] gradInput) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight, float[] gradBias) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void maxPool2d(PoolGeometry g, float[] x, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void maxPool2dBackward(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] out) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gradOut, float[] gradInput) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
