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

import java.util.Arrays;

/**
 * Direct convolution with the output channels in the vector lanes: the forward pass and the weight
 * gradient of layers whose output channels fill whole vectors (such as LeNet's 16), as loops of a
 * broadcast input pixel times a vector of weights or output gradients, with nothing unfolded.
 */
final class ImageConvChannels {
    private ImageConvChannels() {
    }

    // ---------------------------------------------------------------- direct convolution, channels in the lanes

    /*
     * For a layer with enough output channels (LeNet's second convolution: 16, one AVX-512 vector) the
     * forward pass and the weight gradient are computed directly, with the output channels in the vector
     * lanes and no unfolding at all. Output position p and tap t = (c, i, j) meet at input pixel
     * base(p) + off(t), with base(p) = (oy*strideH)*Wp + ox*strideW and off(t) = (c*Hp + i)*Wp + j over the
     * (padded) image of width Wp and height Hp:
     *   forward:  Y[p, :] = sum_t  x[base(p) + off(t)] * Wt[t, :]        (Wt: the weights transposed, R x Kp)
     *   dW[:, t]  = sum_n sum_p  x[base(p) + off(t)] * G[p, :]           (G: the output gradient transposed)
     * Every multiply-add is a broadcast input pixel times a vector of channels; blocks of DIRECT_BLOCK
     * positions (forward) or taps (weight gradient) share each vector load. The channels are padded to
     * Kp, a whole number of vectors. The working set of one image (the input, a P x Kp block) stays in L1,
     * where the lowered form streams a column matrix R*P floats per image through the caches twice.
     */

    /** Positions (forward) or taps (weight gradient) per register block of the direct kernels. */
    private static final int DIRECT_BLOCK = 8;

    /** Output channels padded to whole vectors. */
    private static int paddedChannels(ConvGeometry g) {
        return (g.k() + L - 1) / L * L;
    }

    /**
     * Whether the direct kernels serve this convolution: at most a quarter of the lanes are padding, and
     * at most four vectors of channels (wider layers are the packed GEMM's ground).
     */
    static boolean channelsInLanes(ConvGeometry g) {
        int kp = paddedChannels(g);
        return 4 * (kp - g.k()) <= kp && kp <= 4 * L;
    }

    /** Offsets and padded sizes of the direct kernels for one geometry. */
    private record Direct(int hp, int wp, int kp, int[] tapOff, int[] posOff, int taps, int positions) {

        static Direct of(ConvGeometry g) {
            int hp = g.h() + 2 * g.padH();
            int wp = g.w() + 2 * g.padW();
            int r = g.colRows();
            int taps = (r + DIRECT_BLOCK - 1) / DIRECT_BLOCK * DIRECT_BLOCK;
            int[] tapOff = new int[taps];
            for (int c = 0, t = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        tapOff[t++] = (c * hp + i) * wp + j;
                    }
                }
            }
            int p = g.colCols();
            int positions = (p + DIRECT_BLOCK - 1) / DIRECT_BLOCK * DIRECT_BLOCK;
            int[] posOff = new int[positions];
            for (int q = 0; q < positions; q++) {
                int pq = Math.min(q, p - 1); // block padding repeats the last position; its results are dropped
                posOff[q] = (pq / g.outW()) * g.strideH() * wp + (pq % g.outW()) * g.strideW();
            }
            return new Direct(hp, wp, paddedChannels(g), tapOff, posOff, taps, positions);
        }

        /** Floats of one padded image, plus room for the taps beyond R, which read from offset 0. */
        int imageSize(ConvGeometry g) {
            return g.c() * hp * wp;
        }
    }

    /**
     * Image {@code n} as the direct kernels read it: the input array itself (at the returned offset) when
     * there is no padding, else a zero-padded copy in the calling thread's {@link ImageShared#SLOT_COL} scratch.
     */
    private static float[] paddedImage(ConvGeometry g, Direct d, float[] x, int n, int[] base) {
        int plane = g.h() * g.w();
        if (g.padH() == 0 && g.padW() == 0) {
            base[0] = n * g.c() * plane;
            return x;
        }
        float[] xp = scratch(SLOT_COL, d.imageSize(g));
        Arrays.fill(xp, 0, d.imageSize(g), 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int y = 0; y < g.h(); y++) {
                System.arraycopy(x, (n * g.c() + c) * plane + y * g.w(), xp,
                        (c * d.hp() + y + g.padH()) * d.wp() + g.padW(), g.w());
            }
        }
        base[0] = 0;
        return xp;
    }

    static void conv2dDirect(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        Direct d = Direct.of(g);
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int kp = d.kp();
        float[] wt = new float[d.taps() * kp]; // transposed, channels padded with zeros, taps beyond R zero
        for (int kk = 0; kk < k; kk++) {
            for (int t = 0; t < r; t++) {
                wt[t * kp + kk] = weight[kk * r + t];
            }
        }
        long work = splitBatch(g) ? convWork(g) : 0;
        boolean rowBlocks = g.strideW() == 1 && g.outW() >= ROW_BLOCK;
        int[] lanes = new int[L]; // gather offsets: one position apart
        for (int i = 0; i < L; i++) {
            lanes[i] = i * kp;
        }
        Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            int[] base = new int[1];
            float[] y = scratch(SLOT_MAT, d.positions() * kp);
            for (int n = from; n < to; n++) {
                float[] xs = paddedImage(g, d, x, n, base);
                for (int kv = 0; kv < kp; kv += L) {
                    if (rowBlocks) {
                        // Blocks of 5 neighbours in an output row, the last one shifted left to end at the
                        // row's end (recomputing a few identical positions).
                        for (int oy = 0; oy < g.outH(); oy++) {
                            int rowBase = base[0] + oy * g.strideH() * d.wp();
                            for (int ox = 0; ; ox += ROW_BLOCK) {
                                ox = Math.min(ox, g.outW() - ROW_BLOCK);
                                directForwardRow(xs, rowBase + ox, d.tapOff(), r, wt, kp, kv, y,
                                        (oy * g.outW() + ox) * kp + kv);
                                if (ox == g.outW() - ROW_BLOCK) {
                                    break;
                                }
                            }
                        }
                    } else {
                        for (int q = 0; q < d.positions(); q += DIRECT_BLOCK) {
                            directForwardBlock(xs, base[0], d.posOff(), q, d.tapOff(), r, wt, kp, kv, y);
                        }
                    }
                }
                int o = n * k * p;
                for (int kk = 0; kk < k; kk++) {
                    gatherRow(y, kk, kp, bias == null ? 0f : bias[kk], out, o + kk * p, p, lanes);
                }
            }
        });
    }

    /**
     * {@code out[o + q] = y[q*kp + kk] + b} for the {@code p} positions: channel kk's row of the transposed
     * block, gathered a vector at a time; the last vector is shifted left to end at the row's end.
     */
    private static void gatherRow(float[] y, int kk, int kp, float b, float[] out, int o, int p, int[] lanes) {
        if (p < L) {
            for (int q = 0; q < p; q++) {
                out[o + q] = y[q * kp + kk] + b;
            }
            return;
        }
        for (int q = 0; ; q += L) {
            q = Math.min(q, p - L);
            FloatVector.fromArray(S, y, q * kp + kk, lanes, 0).add(b).intoArray(out, o + q);
            if (q == p - L) {
                break;
            }
        }
    }

    /** Neighbouring output positions per block of {@link #directForwardRow}. */
    private static final int ROW_BLOCK = 5;

    /**
     * Output positions at x offsets {@code b .. b+4} (neighbours in a row of a stride-1 convolution),
     * channels kv..kv+L-1, into y from {@code yo} (one position per kp floats). With the pixels of a tap at
     * consecutive indices, the JIT checks their bounds once per tap instead of once per multiply-add, as
     * it must for the arbitrary positions of {@link #directForwardBlock}.
     */
    private static void directForwardRow(float[] x, int b, int[] tapOff, int r, float[] wt, int kp, int kv,
                                         float[] y, int yo) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S), a4 = FloatVector.zero(S);
        for (int t = 0; t < r; t++) {
            FloatVector w = FloatVector.fromArray(S, wt, t * kp + kv);
            int i = b + tapOff[t];
            a0 = FloatVector.broadcast(S, x[i]).fma(w, a0);
            a1 = FloatVector.broadcast(S, x[i + 1]).fma(w, a1);
            a2 = FloatVector.broadcast(S, x[i + 2]).fma(w, a2);
            a3 = FloatVector.broadcast(S, x[i + 3]).fma(w, a3);
            a4 = FloatVector.broadcast(S, x[i + 4]).fma(w, a4);
        }
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + kp);
        a2.intoArray(y, yo + 2 * kp);
        a3.intoArray(y, yo + 3 * kp);
        a4.intoArray(y, yo + 4 * kp);
    }

    /** Positions q..q+7, channels kv..kv+L-1: y[pos*kp + kv..] = sum over the r taps. */
    private static void directForwardBlock(float[] x, int base, int[] posOff, int q, int[] tapOff, int r,
                                           float[] wt, int kp, int kv, float[] y) {
        int b0 = base + posOff[q];
        int b1 = base + posOff[q + 1];
        int b2 = base + posOff[q + 2];
        int b3 = base + posOff[q + 3];
        int b4 = base + posOff[q + 4];
        int b5 = base + posOff[q + 5];
        int b6 = base + posOff[q + 6];
        int b7 = base + posOff[q + 7];
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        FloatVector a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        for (int t = 0; t < r; t++) {
            FloatVector w = FloatVector.fromArray(S, wt, t * kp + kv);
            int o = tapOff[t];
            a0 = FloatVector.broadcast(S, x[b0 + o]).fma(w, a0);
            a1 = FloatVector.broadcast(S, x[b1 + o]).fma(w, a1);
            a2 = FloatVector.broadcast(S, x[b2 + o]).fma(w, a2);
            a3 = FloatVector.broadcast(S, x[b3 + o]).fma(w, a3);
            a4 = FloatVector.broadcast(S, x[b4 + o]).fma(w, a4);
            a5 = FloatVector.broadcast(S, x[b5 + o]).fma(w, a5);
            a6 = FloatVector.broadcast(S, x[b6 + o]).fma(w, a6);
            a7 = FloatVector.broadcast(S, x[b7 + o]).fma(w, a7);
        }
        int yo = q * kp + kv;
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + kp);
        a2.intoArray(y, yo + 2 * kp);
        a3.intoArray(y, yo + 3 * kp);
        a4.intoArray(y, yo + 4 * kp);
        a5.intoArray(y, yo + 5 * kp);
        a6.intoArray(y, yo + 6 * kp);
        a7.intoArray(y, yo + 7 * kp);
    }

    static void conv2dDirectBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight,
                                           float[] gradBias) {
        Direct d = Direct.of(g);
        int batch = g.n();
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int kp = d.kp();
        // Per thread share: dW^T (taps x kp) and the bias sums (kp), summed in share order afterwards.
        float[][] partial = new float[batch][];
        int[] channels = new int[L]; // gather offsets: one channel apart
        for (int i = 0; i < L; i++) {
            channels[i] = i * p;
        }
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(batch, work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] acc = new float[(d.taps() + 1) * kp];
            int biasAt = d.taps() * kp;
            int[] base = new int[1];
            float[] gt = scratch(SLOT_MAT, p * kp);
            for (int n = from; n < to; n++) {
                // G^T: the image's output gradient with the channels innermost (each position's channels
                // gathered, p apart), zero in the padding lanes. A vector with padding lanes is filled by
                // hand: a masked gather still range-checks its masked-off lanes.
                for (int q = 0; q < p; q++) {
                    for (int kv = 0; kv < kp; kv += L) {
                        int src = (n * k + kv) * p + q;
                        if (kv + L <= k) {
                            FloatVector.fromArray(S, gradOut, src, channels, 0).intoArray(gt, q * kp + kv);
                        } else {
                            for (int kk = kv; kk < kv + L; kk++) {
                                gt[q * kp + kk] = kk < k ? gradOut[(n * k + kk) * p + q] : 0f;
                            }
                        }
                    }
                }
                float[] xs = paddedImage(g, d, x, n, base);
                for (int kv = 0; kv < kp; kv += L) {
                    if (g.kw() % 5 == 0) {
                        for (int t = 0; t < r; t += 5) {
                            directWeightRow5(xs, base[0], d.posOff(), p, d.tapOff(), t, gt, kp, kv, acc);
                        }
                    } else {
                        for (int t = 0; t < d.taps(); t += DIRECT_BLOCK) {
                            directWeightBlock(xs, base[0], d.posOff(), p, d.tapOff(), t, gt, kp, kv, acc);
                        }
                    }
                    FloatVector s = FloatVector.fromArray(S, acc, biasAt + kv);
                    for (int q = 0; q < p; q++) {
                        s = s.add(FloatVector.fromArray(S, gt, q * kp + kv));
                    }
                    s.intoArray(acc, biasAt + kv);
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
                gradWeight[kk * r + t] = total[t * kp + kk];
            }
            if (gradBias != null) {
                gradBias[kk] = total[d.taps() * kp + kk];
            }
        }
    }

    /**
     * {@link #directWeightBlock} for 5 neighbouring taps of one kernel row (kernels a multiple of 5 wide,
     * LeNet's 5x5): their pixels are neighbours, so the JIT checks their bounds once per position instead
     * of once per multiply-add, as it must for arbitrary taps. Measured on LeNet's second convolution:
     * 0.48 -> 0.44 ms.
     */
    private static void directWeightRow5(float[] x, int base, int[] posOff, int p, int[] tapOff, int t,
                                         float[] gt, int kp, int kv, float[] acc) {
        int o = base + tapOff[t];
        int ao = t * kp + kv;
        FloatVector a0 = FloatVector.fromArray(S, acc, ao);
        FloatVector a1 = FloatVector.fromArray(S, acc, ao + kp);
        FloatVector a2 = FloatVector.fromArray(S, acc, ao + 2 * kp);
        FloatVector a3 = FloatVector.fromArray(S, acc, ao + 3 * kp);
        FloatVector a4 = FloatVector.fromArray(S, acc, ao + 4 * kp);
        for (int q = 0; q < p; q++) {
            FloatVector gv = FloatVector.fromArray(S, gt, q * kp + kv);
            int i = o + posOff[q];
            a0 = FloatVector.broadcast(S, x[i]).fma(gv, a0);
            a1 = FloatVector.broadcast(S, x[i + 1]).fma(gv, a1);
            a2 = FloatVector.broadcast(S, x[i + 2]).fma(gv, a2);
            a3 = FloatVector.broadcast(S, x[i + 3]).fma(gv, a3);
            a4 = FloatVector.broadcast(S, x[i + 4]).fma(gv, a4);
        }
        a0.intoArray(acc, ao);
        a1.intoArray(acc, ao + kp);
        a2.intoArray(acc, ao + 2 * kp);
        a3.intoArray(acc, ao + 3 * kp);
        a4.intoArray(acc, ao + 4 * kp);
    }

    /** Taps t..t+7, channels kv..kv+L-1: acc[tap*kp + kv..] += sum over the p positions. */
    private static void directWeightBlock(float[] x, int base, int[] posOff, int p, int[] tapOff, int t,
                                          float[] gt, int kp, int kv, float[] acc) {
        int o0 = base + tapOff[t];
        int o1 = base + tapOff[t + 1];
        int o2 = base + tapOff[t + 2];
        int o3 = base + tapOff[t + 3];
        int o4 = base + tapOff[t + 4];
        int o5 = base + tapOff[t + 5];
        int o6 = base + tapOff[t + 6];
        int o7 = base + tapOff[t + 7];
        int ao = t * kp + kv;
        FloatVector a0 = FloatVector.fromArray(S, acc, ao);
        FloatVector a1 = FloatVector.fromArray(S, acc, ao + kp);
        FloatVector a2 = FloatVector.fromArray(S, acc, ao + 2 * kp);
        FloatVector a3 = FloatVector.fromArray(S, acc, ao + 3 * kp);
        FloatVector a4 = FloatVector.fromArray(S, acc, ao + 4 * kp);
        FloatVector a5 = FloatVector.fromArray(S, acc, ao + 5 * kp);
        FloatVector a6 = FloatVector.fromArray(S, acc, ao + 6 * kp);
        FloatVector a7 = FloatVector.fromArray(S, acc, ao + 7 * kp);
        for (int q = 0; q < p; q++) {
            FloatVector gv = FloatVector.fromArray(S, gt, q * kp + kv);
            int b = posOff[q];
            a0 = FloatVector.broadcast(S, x[o0 + b]).fma(gv, a0);
            a1 = FloatVector.broadcast(S, x[o1 + b]).fma(gv, a1);
            a2 = FloatVector.broadcast(S, x[o2 + b]).fma(gv, a2);
            a3 = FloatVector.broadcast(S, x[o3 + b]).fma(gv, a3);
            a4 = FloatVector.broadcast(S, x[o4 + b]).fma(gv, a4);
            a5 = FloatVector.broadcast(S, x[o5 + b]).fma(gv, a5);
            a6 = FloatVector.broadcast(S, x[o6 + b]).fma(gv, a6);
            a7 = FloatVector.broadcast(S, x[o7 + b]).fma(gv, a7);
        }
        a0.intoArray(acc, ao);
        a1.intoArray(acc, ao + kp);
        a2.intoArray(acc, ao + 2 * kp);
        a3.intoArray(acc, ao + 3 * kp);
        a4.intoArray(acc, ao + 4 * kp);
        a5.intoArray(acc, ao + 5 * kp);
        a6.intoArray(acc, ao + 6 * kp);
        a7.intoArray(acc, ao + 7 * kp);
    }
}
