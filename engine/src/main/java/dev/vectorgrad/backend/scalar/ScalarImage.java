package dev.vectorgrad.backend.scalar;

import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.PoolGeometry;

import java.util.Arrays;

/**
 * Reference image kernels over contiguous NCHW float32 data: the specification the SIMD kernels are
 * tested against. Every kernel is the textbook loop nest, written from the definition and never
 * optimised (convolution is computed directly, not through im2col).
 *
 * <p>Indexing: input {@code x[n, c, y, x]} lives at {@code ((n*C + c)*H + y)*W + x}; a weight
 * {@code w[k, c, i, j]} at {@code ((k*C + c)*kh + i)*kw + j}; an output {@code out[n, k, oy, ox]} at
 * {@code ((n*K + k)*outH + oy)*outW + ox}. Output cell (oy, ox) looks at input row
 * {@code oy*strideH - padH + i} and column {@code ox*strideW - padW + j}; positions outside the image are
 * zero padding.
 */
final class ScalarImage {
    private ScalarImage() {
    }

    // ---------------------------------------------------------------- im2col / col2im

    /**
     * Row {@code (c*kh + i)*kw + j}, column {@code oy*outW + ox} of the matrix is the input pixel the
     * kernel tap (c, i, j) sees at output position (oy, ox), or zero when that pixel is padding.
     */
    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset) {
        int outH = g.outH();
        int outW = g.outW();
        int cols = outH * outW;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = (c * g.kh() + i) * g.kw() + j;
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            int iy = oy * g.strideH() - g.padH() + i;
                            int ix = ox * g.strideW() - g.padW() + j;
                            float v = 0f;
                            if (inside(iy, g.h()) && inside(ix, g.w())) {
                                v = x[inputIndex(g, image, c, iy, ix)];
                            }
                            col[colOffset + row * cols + oy * outW + ox] = v;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: every in-bounds entry is added to the pixel it was read from. */
    static void col2im(ConvGeometry g, float[] col, int colOffset, float[] dx, int image) {
        int outH = g.outH();
        int outW = g.outW();
        int cols = outH * outW;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = (c * g.kh() + i) * g.kw() + j;
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            int iy = oy * g.strideH() - g.padH() + i;
                            int ix = ox * g.strideW() - g.padW() + j;
                            if (inside(iy, g.h()) && inside(ix, g.w())) {
                                dx[inputIndex(g, image, c, iy, ix)] += col[colOffset + row * cols + oy * outW + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- convolution

    /** {@code out[n,k,oy,ox] = bias[k] + sum_{c,i,j} x[n, c, oy*sH - pH + i, ox*sW - pW + j] * w[k,c,i,j]}. */
    static void conv2d(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float sum = bias == null ? 0f : bias[k];
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                for (int j = 0; j < g.kw(); j++) {
                                    int iy = oy * g.strideH() - g.padH() + i;
                                    int ix = ox * g.strideW() - g.padW() + j;
                                    if (inside(iy, g.h()) && inside(ix, g.w())) {
                                        sum += x[inputIndex(g, n, c, iy, ix)] * weight[weightIndex(g, k, c, i, j)];
                                    }
                                }
                            }
                        }
                        out[outputIndex(g, n, k, oy, ox)] = sum;
                    }
                }
            }
        }
    }

    /**
     * {@code gradInput[n,c,y,x] = sum over every (k, oy, ox, i, j) whose tap lands on (y, x) of
     * gradOut[n,k,oy,ox] * w[k,c,i,j]}: each output gradient is spread back over the pixels it read.
     */
    static void conv2dBackwardInput(ConvGeometry g, float[] weight, float[] gradOut, float[] gradInput) {
        Arrays.fill(gradInput, 0, g.inputSize(), 0f);
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float go = gradOut[outputIndex(g, n, k, oy, ox)];
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                for (int j = 0; j < g.kw(); j++) {
                                    int iy = oy * g.strideH() - g.padH() + i;
                                    int ix = ox * g.strideW() - g.padW() + j;
                                    if (inside(iy, g.h()) && inside(ix, g.w())) {
                                        gradInput[inputIndex(g, n, c, iy, ix)] += go * weight[weightIndex(g, k, c, i, j)];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code gradWeight[k,c,i,j] = sum_{n,oy,ox} gradOut[n,k,oy,ox] * x[n, c, oy*sH - pH + i, ox*sW - pW + j]}
     * and {@code gradBias[k] = sum_{n,oy,ox} gradOut[n,k,oy,ox]}.
     */
    static void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight, float[] gradBias) {
        for (int k = 0; k < g.k(); k++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        float sum = 0f;
                        for (int n = 0; n < g.n(); n++) {
                            for (int oy = 0; oy < g.outH(); oy++) {
                                for (int ox = 0; ox < g.outW(); ox++) {
                                    int iy = oy * g.strideH() - g.padH() + i;
                                    int ix = ox * g.strideW() - g.padW() + j;
                                    if (inside(iy, g.h()) && inside(ix, g.w())) {
                                        sum += gradOut[outputIndex(g, n, k, oy, ox)] * x[inputIndex(g, n, c, iy, ix)];
                                    }
                                }
                            }
                        }
                        gradWeight[weightIndex(g, k, c, i, j)] = sum;
                    }
                }
            }
        }
        if (gradBias != null) {
            for (int k = 0; k < g.k(); k++) {
                float sum = 0f;
                for (int n = 0; n < g.n(); n++) {
                    for (int oy = 0; oy < g.outH(); oy++) {
                        for (int ox = 0; ox < g.outW(); ox++) {
                            sum += gradOut[outputIndex(g, n, k, oy, ox)];
                        }
                    }
                }
                gradBias[k] = sum;
            }
        }
    }

    // ---------------------------------------------------------------- pooling

    /** Maximum of each window over its in-bounds cells; a NaN counts as larger than any number. */
    static void maxPool2d(PoolGeometry g, float[] x, float[] out) {
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        out[poolOutputIndex(g, n, c, oy, ox)] = x[windowArgMax(g, x, n, c, oy, ox)];
                    }
                }
            }
        }
    }

    /**
     * Each output gradient is added to the input cell that won its window: the first maximum in
     * row-major window order. Overlapping windows accumulate; cells that never win get zero.
     */
    static void maxPool2dBackward(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput) {
        Arrays.fill(gradInput, 0, g.inputSize(), 0f);
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        gradInput[windowArgMax(g, x, n, c, oy, ox)] += gradOut[poolOutputIndex(g, n, c, oy, ox)];
                    }
                }
            }
        }
    }

    /** {@link #maxPool2d}, also recording each window's winner as its index within the input plane. */
    static void maxPool2dWithIndices(PoolGeometry g, float[] x, float[] out, float[] argmax) {
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int o = poolOutputIndex(g, n, c, oy, ox);
                        int win = windowArgMax(g, x, n, c, oy, ox);
                        out[o] = x[win];
                        argmax[o] = win - poolInputIndex(g, n, c, 0, 0);
                    }
                }
            }
        }
    }

    /** Each output gradient added to the input cell its recorded index names, in output order. */
    static void maxPool2dBackwardIndices(PoolGeometry g, float[] argmax, float[] gradOut, float[] gradInput) {
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                int base = poolInputIndex(g, n, c, 0, 0);
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int o = poolOutputIndex(g, n, c, oy, ox);
                        gradInput[base + (int) argmax[o]] += gradOut[o];
                    }
                }
            }
        }
    }

    /**
     * Index into {@code x} of the first maximum of window (oy, ox), scanning rows top to bottom and
     * columns left to right, padding skipped. A later cell wins only when strictly greater, or when it
     * is the first NaN (NaN propagates, as in PyTorch). Every window has at least one in-bounds cell
     * because padding is at most half the window.
     */
    static int windowArgMax(PoolGeometry g, float[] x, int n, int c, int oy, int ox) {
        int best = -1;
        float bestValue = 0f;
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                int iy = oy * g.strideH() - g.padH() + i;
                int ix = ox * g.strideW() - g.padW() + j;
                if (inside(iy, g.h()) && inside(ix, g.w())) {
                    int idx = poolInputIndex(g, n, c, iy, ix);
                    float v = x[idx];
                    if (best < 0 || v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                        best = idx;
                        bestValue = v;
                    }
                }
            }
        }
        return best;
    }

    /** Mean of each window: sum of its in-bounds cells divided by {@link #avgDivisor}. */
    static void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] out) {
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float sum = 0f;
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                int iy = oy * g.strideH() - g.padH() + i;
                                int ix = ox * g.strideW() - g.padW() + j;
                                if (inside(iy, g.h()) && inside(ix, g.w())) {
                                    sum += x[poolInputIndex(g, n, c, iy, ix)];
                                }
                            }
                        }
                        out[poolOutputIndex(g, n, c, oy, ox)] = sum / avgDivisor(g, countIncludePad, oy, ox);
                    }
                }
            }
        }
    }

    /** Each output gradient, divided by its window's divisor, is added to every in-bounds cell of the window. */
    static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gradOut, float[] gradInput) {
        Arrays.fill(gradInput, 0, g.inputSize(), 0f);
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float share = gradOut[poolOutputIndex(g, n, c, oy, ox)] / avgDivisor(g, countIncludePad, oy, ox);
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                int iy = oy * g.strideH() - g.padH() + i;
                                int ix = ox * g.strideW() - g.padW() + j;
                                if (inside(iy, g.h()) && inside(ix, g.w())) {
                                    gradInput[poolInputIndex(g, n, c, iy, ix)] += share;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The divisor of window (oy, ox): the full window {@code kh*kw} when padding counts (PyTorch's
     * default; windows never reach past the padded border), otherwise the number of in-bounds cells.
     */
    static int avgDivisor(PoolGeometry g, boolean countIncludePad, int oy, int ox) {
        if (countIncludePad) {
            return g.kh() * g.kw();
        }
        int count = 0;
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                int iy = oy * g.strideH() - g.padH() + i;
                int ix = ox * g.strideW() - g.padW() + j;
                if (inside(iy, g.h()) && inside(ix, g.w())) {
                    count++;
                }
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- indexing

    private static boolean inside(int v, int size) {
        return v >= 0 && v < size;
    }

    private static int inputIndex(ConvGeometry g, int n, int c, int y, int x) {
        return ((n * g.c() + c) * g.h() + y) * g.w() + x;
    }

    private static int weightIndex(ConvGeometry g, int k, int c, int i, int j) {
        return ((k * g.c() + c) * g.kh() + i) * g.kw() + j;
    }

    private static int outputIndex(ConvGeometry g, int n, int k, int oy, int ox) {
        return ((n * g.k() + k) * g.outH() + oy) * g.outW() + ox;
    }

    private static int poolInputIndex(PoolGeometry g, int n, int c, int y, int x) {
        return ((n * g.c() + c) * g.h() + y) * g.w() + x;
    }

    private static int poolOutputIndex(PoolGeometry g, int n, int c, int oy, int ox) {
        return ((n * g.c() + c) * g.outH() + oy) * g.outW() + ox;
    }
}
