package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.ImageShared.L;
import static dev.vectorgrad.backend.simd.ImageShared.S;
import static dev.vectorgrad.backend.simd.ImageShared.addInto;
import static dev.vectorgrad.backend.simd.ImageShared.copy;
import static dev.vectorgrad.backend.simd.ImageShared.fillZero;

import dev.vectorgrad.backend.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.Arrays;

/**
 * im2col and col2im: a convolution's input unfolded into its column matrix ({@code R = C*kh*kw} rows of
 * {@code P = outH*outW} positions) for the convolutions lowered to GEMM, and a column gradient folded back
 * into the image. Also the ranges of output positions whose tap lands inside the image, which the general
 * pooling kernels share.
 */
final class ImageUnfold {
    private ImageUnfold() {
    }

    // ---------------------------------------------------------------- im2col / col2im

    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset) {
        im2col(g, x, image, col, colOffset, g.colCols());
    }

    /**
     * Unfolds image {@code image} into rows {@code ld} floats apart: with {@code ld = outH*outW} the
     * matrix of one image, with a multiple of it one image's block of the column matrix of several images
     * side by side (see {@link ImageConvLowered#conv2d}).
     */
    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset, int ld) {
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int plane = h * w;
        boolean flat = g.strideH() == 1 && g.strideW() == 1 && outW == w;
        for (int ch = 0; ch < c; ch++) {
            int src = (image * c + ch) * plane;
            for (int i = 0; i < kh; i++) {
                int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                for (int j = 0; j < kw; j++) {
                    int dst = colOffset + ((ch * kh + i) * kw + j) * ld;
                    int oxLo = firstInside(g.padW() - j, g.strideW(), outW);
                    int oxHi = endInside(w - 1 + g.padW() - j, g.strideW(), oxLo, outW);
                    if (oyLo >= oyHi || oxLo >= oxHi) {
                        Arrays.fill(col, dst, dst + p, 0f);
                    } else if (flat) {
                        unfoldFlat(x, src, col, dst, w, p, i - g.padH(), j - g.padW(), oyLo, oyHi, oxLo, oxHi);
                    } else if (g.strideW() == 1 && oxLo == 0 && oxHi == outW) {
                        // Every output row sees a whole run of the input row (a valid convolution).
                        Arrays.fill(col, dst, dst + oyLo * outW, 0f);
                        int s = src + (oyLo * g.strideH() - g.padH() + i) * w - g.padW() + j;
                        unfoldRuns(x, s, g.strideH() * w, col, dst + oyLo * outW, outW, oyHi - oyLo);
                        Arrays.fill(col, dst + oyHi * outW, dst + p, 0f);
                    } else {
                        Arrays.fill(col, dst, dst + oyLo * outW, 0f);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int d = dst + oy * outW;
                            int s = src + (oy * g.strideH() - g.padH() + i) * w + oxLo * g.strideW() - g.padW() + j;
                            fillZero(col, d, oxLo);
                            if (g.strideW() == 1) {
                                copy(x, s, col, d + oxLo, oxHi - oxLo);
                            } else {
                                int sw = g.strideW();
                                for (int ox = oxLo; ox < oxHi; ox++, s += sw) {
                                    col[d + ox] = x[s];
                                }
                            }
                            fillZero(col, d + oxHi, outW - oxHi);
                        }
                        Arrays.fill(col, dst + oyHi * outW, dst + p, 0f);
                    }
                }
            }
        }
    }

    /**
     * {@code rows} runs of {@code width} floats, {@code step} apart in {@code x}, to consecutive runs at
     * {@code col[d..]}. Runs narrower than a vector (LeNet's 10-wide rows) are moved as whole vectors
     * whose excess lanes land on the next run, which overwrites them right after: one load and one store
     * per run. Only a vector that would reach past the last run (or read past the input) is masked.
     */
    private static void unfoldRuns(float[] x, int s, int step, float[] col, int d, int width, int rows) {
        int end = d + rows * width;
        if (width < L) {
            for (int r = 0; r < rows; r++, s += step, d += width) {
                if (d + L <= end && s + L <= x.length) {
                    FloatVector.fromArray(S, x, s).intoArray(col, d);
                } else {
                    copy(x, s, col, d, width);
                }
            }
        } else {
            for (int r = 0; r < rows; r++, s += step, d += width) {
                copy(x, s, col, d, width);
            }
        }
    }

    /**
     * One im2col row of a stride-1 convolution whose output rows are as wide as the input ("same"
     * padding): the row is the input plane shifted by {@code dy*w + dx}, so it is one long copy followed by
     * zeroing the few cells per row that wrapped around an image edge.
     */
    private static void unfoldFlat(float[] x, int src, float[] col, int dst, int w, int p,
                                   int dy, int dx, int oyLo, int oyHi, int oxLo, int oxHi) {
        int first = oyLo * w + oxLo;
        int end = (oyHi - 1) * w + oxHi;
        Arrays.fill(col, dst, dst + first, 0f);
        copy(x, src + first + dy * w + dx, col, dst + first, end - first);
        Arrays.fill(col, dst + end, dst + p, 0f);
        int gap = w - oxHi + oxLo;
        if (gap > 0) {
            for (int oy = oyLo; oy < oyHi - 1; oy++) {
                fillZero(col, dst + oy * w + oxHi, gap);
            }
        }
    }

    static void col2im(ConvGeometry g, float[] col, int colOffset, float[] dx, int image) {
        col2im(g, col, colOffset, g.colCols(), dx, image);
    }

    /** {@link #col2im(ConvGeometry, float[], int, float[], int)} reading rows {@code ld} floats apart. */
    static void col2im(ConvGeometry g, float[] col, int colOffset, int ld, float[] dx, int image) {
        if (g.strideH() == 1 && g.strideW() == 1 && g.w() <= L) {
            col2imRows(g, col, colOffset, ld, dx, image, false);
            return;
        }
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int dstPlane = (image * c + ch) * plane;
            for (int i = 0; i < kh; i++) {
                int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                for (int j = 0; j < kw; j++) {
                    int src = colOffset + ((ch * kh + i) * kw + j) * ld;
                    int oxLo = firstInside(g.padW() - j, g.strideW(), outW);
                    int oxHi = endInside(w - 1 + g.padW() - j, g.strideW(), oxLo, outW);
                    if (oxLo >= oxHi) {
                        continue;
                    }
                    for (int oy = oyLo; oy < oyHi; oy++) {
                        int s = src + oy * outW + oxLo;
                        int d = dstPlane + (oy * g.strideH() - g.padH() + i) * w + oxLo * g.strideW() - g.padW() + j;
                        if (g.strideW() == 1) {
                            addInto(col, s, dx, d, oxHi - oxLo);
                        } else {
                            int sw = g.strideW();
                            for (int ox = oxLo; ox < oxHi; ox++, d += sw) {
                                dx[d] += col[s++];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * col2im of a stride-1 convolution over images at most one vector wide (LeNet's 14-pixel rows): each
     * input row is summed in a register, one masked load and add per kernel tap that reaches it, and
     * written once. The plain form adds each tap's short run straight into the image, and consecutive taps'
     * runs overlap by all but one pixel, so nearly every load waited on the store just before it.
     *
     * <p>With {@code overwrite} the rows are stored instead of added to {@code dx} (the caller would
     * otherwise have zeroed it first).
     *
     * <p>Tap (i, j) reaches input row {@code y} from output row {@code oy = y + padH - i}; loading that
     * output row starting {@code j - padW} floats early puts output column {@code ox} in lane
     * {@code ox + j - padW}, the input column it adds to, and the mask keeps the lanes that are output
     * columns and input columns.
     */
    static void col2imRows(ConvGeometry g, float[] col, int colOffset, int ld, float[] dx, int image,
                                   boolean overwrite) {
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int padH = g.padH();
        int padW = g.padW();
        VectorMask<Float> row = S.indexInRange(0, w);
        int imageEnd = (image + 1) * c * h * w;
        // Per tap column j: the lanes l with 0 <= l - (j - padW) < outW and 0 <= l < w (fromLong: indexInRange
        // with a negative offset is not intrinsified and runs ~50x slower).
        long[] bits = new long[kw];
        for (int j = 0; j < kw; j++) {
            int shift = j - padW;
            int lo = Math.max(0, shift);
            int hi = Math.min(w, shift + outW);
            bits[j] = lo < hi ? ((1L << (hi - lo)) - 1) << lo : 0L;
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = (image * c + ch) * h * w;
            for (int y = 0; y < h; y++) {
                // Two accumulators (even and odd taps) halve the chain of dependent adds.
                FloatVector even = FloatVector.zero(S);
                FloatVector odd = FloatVector.zero(S);
                for (int i = 0; i < kh; i++) {
                    int oy = y + padH - i;
                    if (oy < 0 || oy >= outH) {
                        continue;
                    }
                    int rowStart = colOffset + (ch * kh + i) * kw * ld + oy * outW + padW;
                    int j = 0;
                    for (; j + 1 < kw; j += 2) {
                        even = even.add(FloatVector.fromArray(S, col, rowStart + j * ld - j, VectorMask.fromLong(S, bits[j])));
                        odd = odd.add(FloatVector.fromArray(S, col, rowStart + (j + 1) * ld - j - 1,
                                VectorMask.fromLong(S, bits[j + 1])));
                    }
                    if (j < kw) {
                        even = even.add(FloatVector.fromArray(S, col, rowStart + j * ld - j, VectorMask.fromLong(S, bits[j])));
                    }
                }
                int d = plane + y * w;
                if (!overwrite) {
                    FloatVector.fromArray(S, dx, d, row).add(even.add(odd)).intoArray(dx, d, row);
                } else if (d + L <= imageEnd) {
                    // Rows are written in order, so a whole-vector store's excess lanes are overwritten by
                    // the rows after it (a masked store is several times slower).
                    even.add(odd).intoArray(dx, d);
                } else {
                    even.add(odd).intoArray(dx, d, row);
                }
            }
        }
    }

    /** Smallest output index o in [0, limit] with {@code o*stride >= pad} (the first tap inside the image). */
    static int firstInside(int pad, int stride, int limit) {
        if (pad <= 0) {
            return 0;
        }
        return Math.min(limit, (pad + stride - 1) / stride);
    }

    /** One past the largest output index o < limit with {@code o*stride <= last}, at least {@code lo}. */
    static int endInside(int last, int stride, int lo, int limit) {
        if (last < 0) {
            return lo;
        }
        return Math.max(lo, Math.min(limit, last / stride + 1));
    }
}
