package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.ImageConvLowered.convWork;
import static dev.vectorgrad.backend.simd.ImageConvLowered.splitBatch;
import static dev.vectorgrad.backend.simd.ImageShared.L;
import static dev.vectorgrad.backend.simd.ImageShared.S;
import static dev.vectorgrad.backend.simd.ImageShared.SLOT_COL;
import static dev.vectorgrad.backend.simd.ImageShared.SLOT_MAT;
import static dev.vectorgrad.backend.simd.ImageShared.addInto;
import static dev.vectorgrad.backend.simd.ImageShared.scratch;

import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

/**
 * Direct convolution with the output positions in the vector lanes: the forward pass and the weight
 * gradient of stride-1 layers with fewer output channels than lanes (such as LeNet's first), as loops
 * along the rows of the zero-padded image.
 */
final class ImageConvRows {
    private ImageConvRows() {
    }

    // ---------------------------------------------------------------- direct convolution, positions in the lanes

    /*
     * For stride-1 layers with few output channels (LeNet's first convolution: 6, one input channel) the
     * lanes run along the output rows instead. Over the zero-padded image, flattened with row pitch Wp,
     * output (oy, ox) sits at q = oy*Wp + ox and tap t = (c, i, j) reads q + off(t), off(t) = (c*Hp + i)*Wp + j,
     * so a vector of consecutive q reads a vector of consecutive pixels:
     *   forward:  Y[k, q..q+L) = sum_t  W[k, t] * x[q + off(t) ..]          (a weight broadcast per tap)
     *   dW[k, t] = sum_n sum_q  G[k, q..q+L) . x[q + off(t) ..]             (G: the output gradient, zero
     *                                                                          on the Wp - outW columns that
     *                                                                          are not outputs)
     * The columns past outW are computed and dropped (Wp/outW more work: 32/28 for LeNet). Register
     * blocks: 3 channels x 4 vectors of positions (forward), 3 channels x 4 taps (weight gradient).
     */

    /** Vectors of positions per forward block. */
    private static final int ROW_VECTORS = 4;
    /** Channels per block. */
    private static final int ROW_CHANNELS = 3;
    /** Taps per weight-gradient block. */
    private static final int ROW_TAPS = 4;

    /** Whether the position-in-lanes kernels serve this convolution: stride 1, fewer channels than lanes. */
    static boolean positionsInLanes(ConvGeometry g) {
        int wp = g.w() + 2 * g.padW();
        return g.strideH() == 1 && g.strideW() == 1 && g.k() < L && 2 * wp <= 3 * g.outW();
    }

    /** Padded sizes and offsets of the position-in-lanes kernels. */
    private record Rows(int hp, int wp, int q, int[] tapOff, int taps, int imageSize) {

        static Rows of(ConvGeometry g) {
            int hp = g.h() + 2 * g.padH();
            int wp = g.w() + 2 * g.padW();
            int span = ROW_VECTORS * L;
            int q = (g.outH() * wp + span - 1) / span * span;
            int r = g.colRows();
            int taps = (r + ROW_TAPS - 1) / ROW_TAPS * ROW_TAPS;
            int[] tapOff = new int[taps];
            for (int c = 0, t = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        tapOff[t++] = (c * hp + i) * wp + j;
                    }
                }
            }
            // Room for the last block's reads past the image: q + the largest offset.
            int imageSize = Math.max(g.c() * hp * wp, q + tapOff[r - 1]);
            return new Rows(hp, wp, q, tapOff, taps, imageSize);
        }
    }

    /** Image {@code n}, zero-padded, row pitch Wp, in the calling thread's {@link ImageShared#SLOT_COL} scratch. */
    private static float[] paddedRows(ConvGeometry g, Rows d, float[] x, int n) {
        float[] xp = scratch(SLOT_COL, d.imageSize());
        Arrays.fill(xp, 0, d.imageSize(), 0f);
        int plane = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int y = 0; y < g.h(); y++) {
                System.arraycopy(x, (n * g.c() + c) * plane + y * g.w(), xp,
                        (c * d.hp() + y + g.padH()) * d.wp() + g.padW(), g.w());
            }
        }
        return xp;
    }

    static void conv2dRows(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        Rows d = Rows.of(g);
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int outW = g.outW();
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] y = scratch(SLOT_MAT, k * d.q());
            for (int n = from; n < to; n++) {
                float[] xp = paddedRows(g, d, x, n);
                int kk = 0;
                for (; kk + ROW_CHANNELS <= k; kk += ROW_CHANNELS) {
                    for (int q = 0; q < d.q(); q += ROW_VECTORS * L) {
                        rowsForward3(xp, q, d.tapOff(), r, weight, kk, y, d.q());
                    }
                }
                for (; kk < k; kk++) {
                    for (int q = 0; q < d.q(); q += ROW_VECTORS * L) {
                        rowsForward1(xp, q, d.tapOff(), r, weight, kk, y, d.q());
                    }
                }
                for (kk = 0; kk < k; kk++) {
                    float b = bias == null ? 0f : bias[kk];
                    int o = (n * k + kk) * p;
                    int yo = kk * d.q();
                    for (int oy = 0; oy < g.outH(); oy++) {
                        addRow(y, yo + oy * d.wp(), b, out, o + oy * outW, outW);
                    }
                }
            }
        });
    }

    /**
     * {@code out[o..o+len) = y[yo..yo+len) + b}. Rows at least a vector long end with a vector shifted left
     * to finish at the row's end (recomputing a few cells) rather than a masked store, which is slow.
     */
    private static void addRow(float[] y, int yo, float b, float[] out, int o, int len) {
        if (len < L) {
            for (int i = 0; i < len; i++) {
                out[o + i] = y[yo + i] + b;
            }
            return;
        }
        for (int i = 0; ; i += L) {
            i = Math.min(i, len - L);
            FloatVector.fromArray(S, y, yo + i).add(b).intoArray(out, o + i);
            if (i == len - L) {
                break;
            }
        }
    }

    /** Channels kk..kk+2, positions q..q+4L: y[k*ldy + q..] = sum over the r taps of w[k, t] * x[q + off(t)..]. */
    private static void rowsForward3(float[] x, int q, int[] tapOff, int r, float[] w, int kk, float[] y, int ldy) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
        int w0 = kk * r;
        int w1 = w0 + r;
        int w2 = w1 + r;
        for (int t = 0; t < r; t++) {
            int s = q + tapOff[t];
            FloatVector x0 = FloatVector.fromArray(S, x, s);
            FloatVector x1 = FloatVector.fromArray(S, x, s + L);
            FloatVector x2 = FloatVector.fromArray(S, x, s + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, x, s + 3 * L);
            FloatVector c = FloatVector.broadcast(S, w[w0 + t]);
            a00 = x0.fma(c, a00);
            a01 = x1.fma(c, a01);
            a02 = x2.fma(c, a02);
            a03 = x3.fma(c, a03);
            c = FloatVector.broadcast(S, w[w1 + t]);
            a10 = x0.fma(c, a10);
            a11 = x1.fma(c, a11);
            a12 = x2.fma(c, a12);
            a13 = x3.fma(c, a13);
            c = FloatVector.broadcast(S, w[w2 + t]);
            a20 = x0.fma(c, a20);
            a21 = x1.fma(c, a21);
            a22 = x2.fma(c, a22);
            a23 = x3.fma(c, a23);
        }
        int y0 = kk * ldy + q;
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a02.intoArray(y, y0 + 2 * L);
        a03.intoArray(y, y0 + 3 * L);
        int y1 = y0 + ldy;
        a10.intoArray(y, y1);
        a11.intoArray(y, y1 + L);
        a12.intoArray(y, y1 + 2 * L);
        a13.intoArray(y, y1 + 3 * L);
        int y2 = y1 + ldy;
        a20.intoArray(y, y2);
        a21.intoArray(y, y2 + L);
        a22.intoArray(y, y2 + 2 * L);
        a23.intoArray(y, y2 + 3 * L);
    }

    /** {@link #rowsForward3} for one channel. */
    private static void rowsForward1(float[] x, int q, int[] tapOff, int r, float[] w, int kk, float[] y, int ldy) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        int w0 = kk * r;
        for (int t = 0; t < r; t++) {
            int s = q + tapOff[t];
            FloatVector c = FloatVector.broadcast(S, w[w0 + t]);
            a0 = FloatVector.fromArray(S, x, s).fma(c, a0);
            a1 = FloatVector.fromArray(S, x, s + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, x, s + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, x, s + 3 * L).fma(c, a3);
        }
        int y0 = kk * ldy + q;
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
        a2.intoArray(y, y0 + 2 * L);
        a3.intoArray(y, y0 + 3 * L);
    }

    static void conv2dRowsBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight,
                                         float[] gradBias) {
        Rows d = Rows.of(g);
        int batch = g.n();
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int outW = g.outW();
        int wp = d.wp();
        int kBlocks = (k + ROW_CHANNELS - 1) / ROW_CHANNELS;
        int kPad = kBlocks * ROW_CHANNELS;
        // Per thread share: one vector of partial sums per (channel, tap) and per channel for the bias;
        // the shares are added in order, then each vector is summed across its lanes.
        int biasAt = kPad * d.taps() * L;
        float[][] partial = new float[batch][];
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(batch, work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] acc = new float[biasAt + kPad * L];
            float[] gq = scratch(SLOT_MAT, kPad * d.q());
            for (int n = from; n < to; n++) {
                // G in the padded-row layout, zero on the columns that are not outputs (and on the channels
                // that only pad the last block).
                Arrays.fill(gq, 0, kPad * d.q(), 0f);
                for (int kk = 0; kk < k; kk++) {
                    for (int oy = 0; oy < g.outH(); oy++) {
                        System.arraycopy(gradOut, ((n * k + kk) * g.outH() + oy) * outW, gq, kk * d.q() + oy * wp, outW);
                    }
                }
                float[] xp = paddedRows(g, d, x, n);
                for (int kk = 0; kk < kPad; kk += ROW_CHANNELS) {
                    for (int t = 0; t < d.taps(); t += ROW_TAPS) {
                        rowsWeight3x4(xp, gq, d.q(), kk, t, d.tapOff(), acc, d.taps());
                    }
                }
                for (int kk = 0; kk < k; kk++) {
                    FloatVector s = FloatVector.fromArray(S, acc, biasAt + kk * L);
                    for (int q = 0; q < d.q(); q += L) {
                        s = s.add(FloatVector.fromArray(S, gq, kk * d.q() + q));
                    }
                    s.intoArray(acc, biasAt + kk * L);
                }
            }
            partial[from] = acc;
        });
        float[] total = null;
        for (float[] part : partial) {
            if (part == null) {
                continue;
            }
            if (total == null) {
                total = part;
            } else {
                addInto(part, 0, total, 0, total.length);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int t = 0; t < r; t++) {
                gradWeight[kk * r + t] = FloatVector.fromArray(S, total, (kk * d.taps() + t) * L)
                        .reduceLanes(VectorOperators.ADD);
            }
            if (gradBias != null) {
                gradBias[kk] = FloatVector.fromArray(S, total, biasAt + kk * L).reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * Channels kk..kk+2 x taps t..t+3, over all positions of one image: acc[((k*taps) + tap)*L ..] +=
     * G[k, q..] * x[q + off(tap)..], lane by lane (the lanes are summed at the very end).
     */
    private static void rowsWeight3x4(float[] x, float[] gq, int qn, int kk, int t, int[] tapOff, float[] acc,
                                      int taps) {
        int o0 = tapOff[t];
        int o1 = tapOff[t + 1];
        int o2 = tapOff[t + 2];
        int o3 = tapOff[t + 3];
        int g0 = kk * qn;
        int g1 = g0 + qn;
        int g2 = g1 + qn;
        int c0 = (kk * taps + t) * L;
        int c1 = c0 + taps * L;
        int c2 = c1 + taps * L;
        FloatVector a00 = FloatVector.fromArray(S, acc, c0), a01 = FloatVector.fromArray(S, acc, c0 + L);
        FloatVector a02 = FloatVector.fromArray(S, acc, c0 + 2 * L), a03 = FloatVector.fromArray(S, acc, c0 + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, acc, c1), a11 = FloatVector.fromArray(S, acc, c1 + L);
        FloatVector a12 = FloatVector.fromArray(S, acc, c1 + 2 * L), a13 = FloatVector.fromArray(S, acc, c1 + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, acc, c2), a21 = FloatVector.fromArray(S, acc, c2 + L);
        FloatVector a22 = FloatVector.fromArray(S, acc, c2 + 2 * L), a23 = FloatVector.fromArray(S, acc, c2 + 3 * L);
        for (int q = 0; q < qn; q += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, q + o0);
            FloatVector x1 = FloatVector.fromArray(S, x, q + o1);
            FloatVector x2 = FloatVector.fromArray(S, x, q + o2);
            FloatVector x3 = FloatVector.fromArray(S, x, q + o3);
            FloatVector gv = FloatVector.fromArray(S, gq, g0 + q);
            a00 = x0.fma(gv, a00);
            a01 = x1.fma(gv, a01);
            a02 = x2.fma(gv, a02);
            a03 = x3.fma(gv, a03);
            gv = FloatVector.fromArray(S, gq, g1 + q);
            a10 = x0.fma(gv, a10);
            a11 = x1.fma(gv, a11);
            a12 = x2.fma(gv, a12);
            a13 = x3.fma(gv, a13);
            gv = FloatVector.fromArray(S, gq, g2 + q);
            a20 = x0.fma(gv, a20);
            a21 = x1.fma(gv, a21);
            a22 = x2.fma(gv, a22);
            a23 = x3.fma(gv, a23);
        }
        a00.intoArray(acc, c0);
        a01.intoArray(acc, c0 + L);
        a02.intoArray(acc, c0 + 2 * L);
        a03.intoArray(acc, c0 + 3 * L);
        a10.intoArray(acc, c1);
        a11.intoArray(acc, c1 + L);
        a12.intoArray(acc, c1 + 2 * L);
        a13.intoArray(acc, c1 + 3 * L);
        a20.intoArray(acc, c2);
        a21.intoArray(acc, c2 + L);
        a22.intoArray(acc, c2 + 2 * L);
        a23.intoArray(acc, c2 + 3 * L);
    }
}
