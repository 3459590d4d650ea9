package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.ImageShared.S;
import static dev.vectorgrad.backend.simd.ImageShared.SLOT_POOL;
import static dev.vectorgrad.backend.simd.ImageShared.addInto;
import static dev.vectorgrad.backend.simd.ImageShared.maxInto;
import static dev.vectorgrad.backend.simd.ImageShared.scratch;
import static dev.vectorgrad.backend.simd.ImageUnfold.endInside;
import static dev.vectorgrad.backend.simd.ImageUnfold.firstInside;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Max and average pooling, forward and backward, split across threads by (image, channel) plane. The
 * general kernels visit the window tap by tap so the inner loops run along whole output rows; the
 * non-overlapping 2x2 stride-2 window (the usual max pool) has kernels of its own, scalar and vector.
 * Also holds the choice of plane kernel and the 2x2 vector species, shared with {@link ImagePoolIndexed}.
 */
final class ImagePool {
    private ImagePool() {
    }

    // ---------------------------------------------------------------- pooling

    private static final ThreadLocal<int[]> INDEX_SCRATCH = ThreadLocal.withInitial(() -> new int[0]);

    /** Like {@link ImageShared#scratch}, for the winners' indices of a max-pool backward plane. */
    private static int[] indexScratch(int size) {
        if (size > Thresholds.IMAGE_SCRATCH_KEEP) {
            return new int[size];
        }
        int[] buf = INDEX_SCRATCH.get();
        if (buf.length < size) {
            buf = new int[size];
            INDEX_SCRATCH.set(buf);
        }
        return buf;
    }

    /** Species of the 2x2 pooling kernel: 8 lanes where available, so 16-pixel-wide rows qualify. */
    static final VectorSpecies<Float> P2 = S.length() >= 8 ? FloatVector.SPECIES_256 : S;
    static final int P2L = P2.length();
    /** Index vectors for two-vector selects: even / odd pixels of a row slice, and back to pixel order. */
    static final FloatVector EVEN = lanePattern(i -> 2 * i);
    static final FloatVector ODD = lanePattern(i -> 2 * i + 1);
    private static final FloatVector ZIP_LO = lanePattern(i -> i % 2 == 0 ? i / 2 : P2L + i / 2);
    private static final FloatVector ZIP_HI = lanePattern(i -> i % 2 == 0 ? P2L / 2 + i / 2 : P2L + P2L / 2 + i / 2);

    private static FloatVector lanePattern(java.util.function.IntUnaryOperator f) {
        float[] idx = new float[P2L];
        for (int i = 0; i < P2L; i++) {
            idx[i] = f.applyAsInt(i);
        }
        return FloatVector.fromArray(P2, idx, 0);
    }

    private static final int GENERAL = 0;
    static final int TWO_BY_TWO = 1;
    static final int TWO_BY_TWO_VECTOR = 2;

    /**
     * Which plane kernel serves a pooling: non-overlapping 2x2 windows at stride 2 without padding have
     * their own (vector when a row holds at least one vector of outputs), everything else the general one.
     */
    static int poolKind(PoolGeometry g) {
        if (g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0) {
            return g.outW() >= P2L ? TWO_BY_TWO_VECTOR : TWO_BY_TWO;
        }
        return GENERAL;
    }

    static long poolWork(PoolGeometry g) {
        return (long) g.outputSize() * g.kh() * g.kw();
    }

    static void maxPool2d(PoolGeometry g, float[] x, float[] out) {
        int kind = poolKind(g);
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                switch (kind) {
                    case TWO_BY_TWO_VECTOR -> maxPool2x2VectorPlane(g, x, out, pl);
                    case TWO_BY_TWO -> maxPool2x2Plane(g, x, out, pl);
                    default -> maxPoolPlane(g, x, out, pl * g.outH() * g.outW(), pl * g.h() * g.w());
                }
            }
        });
    }

    static void maxPool2dBackward(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput) {
        int kind = poolKind(g);
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                switch (kind) {
                    case TWO_BY_TWO_VECTOR -> maxPool2x2VectorBackwardPlane(g, x, gradOut, gradInput, pl);
                    case TWO_BY_TWO -> maxPool2x2BackwardPlane(g, x, gradOut, gradInput, pl);
                    default -> maxPoolBackwardPlane(g, x, gradOut, gradInput, pl);
                }
            }
        });
    }

    // ---- general windows, visited tap by tap so the inner loops run along whole output rows

    /*
     * The general kernels loop over the kh*kw taps of the window outermost and, for each, over the output
     * cells whose tap lands inside the image (the same ranges as im2col), so the innermost loop is a long
     * run along an output row instead of a 2- or 3-step window row. Taps are visited in row-major window
     * order, which keeps each output's sum order, and the first-maximum rule, those of the reference.
     */

    /**
     * Max of every window. A NaN propagates; the value is the window's maximum, although a -0.0/+0.0 tie
     * may come out as +0.0 where the reference returns whichever came first.
     */
    private static void maxPoolPlane(PoolGeometry g, float[] x, float[] out, int o, int in) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        Arrays.fill(out, o, o + outH * outW, Float.NEGATIVE_INFINITY);
        int sw = g.strideW();
        for (int i = 0; i < g.kh(); i++) {
            int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
            int oyHi = endInside(g.h() - 1 + g.padH() - i, g.strideH(), oyLo, outH);
            for (int j = 0; j < g.kw(); j++) {
                int oxLo = firstInside(g.padW() - j, sw, outW);
                int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                for (int oy = oyLo; oy < oyHi; oy++) {
                    int src = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                    int d = o + oy * outW;
                    if (sw == 1) {
                        maxInto(x, src + oxLo, out, d + oxLo, oxHi - oxLo);
                    } else {
                        for (int ox = oxLo; ox < oxHi; ox++) {
                            out[d + ox] = Math.max(out[d + ox], x[src + ox * sw]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Two passes: the window maxima (as in {@link #maxPoolPlane}), then the taps in reverse window order,
     * each overwriting its output's winner when it equals the maximum, so the last write is the first
     * maximum in window order. The overwrite is a conditional move, not a branch on random data. A window
     * whose maximum is NaN never matches and takes the reference scan instead.
     */
    private static void maxPoolBackwardPlane(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput, int pl) {
        int h = g.h();
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int in = pl * h * w;
        int o = pl * p;
        float[] max = scratch(SLOT_POOL, p);
        maxPoolPlane(g, x, max, 0, in);
        int[] best = indexScratch(p);
        Arrays.fill(best, 0, p, -1);
        int sw = g.strideW();
        for (int i = g.kh() - 1; i >= 0; i--) {
            int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
            int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
            for (int j = g.kw() - 1; j >= 0; j--) {
                int oxLo = firstInside(g.padW() - j, sw, outW);
                int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                for (int oy = oyLo; oy < oyHi; oy++) {
                    int src = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                    int d = oy * outW;
                    for (int ox = oxLo; ox < oxHi; ox++) {
                        int idx = src + ox * sw;
                        best[d + ox] = x[idx] == max[d + ox] ? idx : best[d + ox];
                    }
                }
            }
        }
        Arrays.fill(gradInput, in, in + h * w, 0f);
        for (int q = 0; q < p; q++) {
            int b = best[q];
            if (b < 0) {
                int oy = q / outW;
                int ox = q % outW;
                int y0 = oy * g.strideH() - g.padH();
                int x0 = ox * g.strideW() - g.padW();
                b = argMax(x, in, w, Math.max(0, y0), Math.min(h, y0 + g.kh()), Math.max(0, x0), Math.min(w, x0 + g.kw()));
            }
            gradInput[b] += gradOut[o + q];
        }
    }

    /** First maximum (NaN beats numbers, the first NaN wins) of rows [y0,y1) x columns [x0,x1) of a plane. */
    static int argMax(float[] x, int in, int w, int y0, int y1, int x0, int x1) {
        int best = in + y0 * w + x0;
        float bestValue = x[best];
        for (int y = y0; y < y1; y++) {
            int row = in + y * w;
            for (int xx = x0; xx < x1; xx++) {
                float v = x[row + xx];
                if (v > bestValue || (v != v && bestValue == bestValue)) {
                    best = row + xx;
                    bestValue = v;
                }
            }
        }
        return best;
    }

    // ---- 2x2 windows at stride 2, scalar (output rows narrower than a vector)

    private static void maxPool2x2Plane(PoolGeometry g, float[] x, float[] out, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            for (int ox = 0; ox < outW; ox++) {
                int c = 2 * ox;
                out[o++] = Math.max(Math.max(x[top + c], x[top + c + 1]), Math.max(x[bottom + c], x[bottom + c + 1]));
            }
        }
    }

    /**
     * Windows do not overlap, so each covered cell is written once, its gradient or zero, and only the
     * uncovered last row / column of an odd-sized plane needs clearing. The winner is the first of
     * a, b (top row), c, d (bottom row) equal to the maximum, picked with conditional moves rather than
     * branches on random data; a NaN window takes the reference rule.
     */
    private static void maxPool2x2BackwardPlane(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            for (int ox = 0; ox < outW; ox++) {
                int c = 2 * ox;
                float a = x[top + c];
                float b = x[top + c + 1];
                float cc = x[bottom + c];
                float d = x[bottom + c + 1];
                float m = Math.max(Math.max(a, b), Math.max(cc, d));
                int win = cc == m ? bottom + c : bottom + c + 1;
                win = b == m ? top + c + 1 : win;
                win = a == m ? top + c : win;
                if (m != m) {
                    win = argMax2x2(x, top, bottom, c);
                }
                gradInput[top + c] = 0f;
                gradInput[top + c + 1] = 0f;
                gradInput[bottom + c] = 0f;
                gradInput[bottom + c + 1] = 0f;
                gradInput[win] = gradOut[o++];
            }
            clearUncoveredColumn(g, gradInput, top, bottom, outW);
        }
        clearUncoveredRows(g, gradInput, in, outH);
    }

    /** The reference rule on one 2x2 window (top-left cell at column c): first maximum, first NaN wins. */
    static int argMax2x2(float[] x, int top, int bottom, int c) {
        int best = top + c;
        float bestValue = x[best];
        int[] cells = {top + c + 1, bottom + c, bottom + c + 1};
        for (int idx : cells) {
            float v = x[idx];
            if (v > bestValue || (v != v && bestValue == bestValue)) {
                best = idx;
                bestValue = v;
            }
        }
        return best;
    }

    private static void clearUncoveredColumn(PoolGeometry g, float[] gradInput, int top, int bottom, int outW) {
        if (g.w() > 2 * outW) {
            gradInput[top + g.w() - 1] = 0f;
            gradInput[bottom + g.w() - 1] = 0f;
        }
    }

    private static void clearUncoveredRows(PoolGeometry g, float[] gradInput, int in, int outH) {
        if (g.h() > 2 * outH) {
            Arrays.fill(gradInput, in + 2 * outH * g.w(), in + g.h() * g.w(), 0f);
        }
    }

    // ---- 2x2 windows at stride 2, vector

    /*
     * One step covers P2L windows of a row pair: 2*P2L pixels of the top row (tLo, tHi) and of the
     * bottom row (bLo, bHi). Two-vector selects split them into the windows' a, b (top) and c, d (bottom)
     * cells. The last step of a row is shifted left to end at the row's end, recomputing a few windows
     * (with identical results) instead of running a scalar tail.
     */

    private static void maxPool2x2VectorPlane(PoolGeometry g, float[] x, float[] out, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            int orow = o + oy * outW;
            for (int ox = 0; ; ox += P2L) {
                ox = Math.min(ox, outW - P2L);
                int c = 2 * ox;
                FloatVector lo = FloatVector.fromArray(P2, x, top + c).max(FloatVector.fromArray(P2, x, bottom + c));
                FloatVector hi = FloatVector.fromArray(P2, x, top + c + P2L).max(FloatVector.fromArray(P2, x, bottom + c + P2L));
                EVEN.selectFrom(lo, hi).max(ODD.selectFrom(lo, hi)).intoArray(out, orow + ox);
                if (ox == outW - P2L) {
                    break;
                }
            }
        }
    }

    /**
     * Vector form of {@link #maxPool2x2BackwardPlane}: per window, a wins if a == max, b if b == max and
     * a did not, and so on; each cell's gradient or zero is zipped back into pixel order and stored. A
     * step in which some window has no winner (its maximum is NaN) redoes its windows with the
     * reference rule.
     */
    private static void maxPool2x2VectorBackwardPlane(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        FloatVector zero = FloatVector.zero(P2);
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            int orow = o + oy * outW;
            for (int ox = 0; ; ox += P2L) {
                ox = Math.min(ox, outW - P2L);
                int c = 2 * ox;
                FloatVector tLo = FloatVector.fromArray(P2, x, top + c);
                FloatVector tHi = FloatVector.fromArray(P2, x, top + c + P2L);
                FloatVector bLo = FloatVector.fromArray(P2, x, bottom + c);
                FloatVector bHi = FloatVector.fromArray(P2, x, bottom + c + P2L);
                FloatVector a = EVEN.selectFrom(tLo, tHi);
                FloatVector b = ODD.selectFrom(tLo, tHi);
                FloatVector cc = EVEN.selectFrom(bLo, bHi);
                FloatVector d = ODD.selectFrom(bLo, bHi);
                FloatVector m = a.max(b).max(cc.max(d));
                VectorMask<Float> wa = a.compare(VectorOperators.EQ, m);
                VectorMask<Float> wb = b.compare(VectorOperators.EQ, m).andNot(wa);
                VectorMask<Float> seen = wa.or(wb);
                VectorMask<Float> wc = cc.compare(VectorOperators.EQ, m).andNot(seen);
                seen = seen.or(wc);
                VectorMask<Float> wd = d.compare(VectorOperators.EQ, m).andNot(seen);
                seen = seen.or(wd);
                if (seen.allTrue()) {
                    FloatVector gv = FloatVector.fromArray(P2, gradOut, orow + ox);
                    FloatVector ga = zero.blend(gv, wa);
                    FloatVector gb = zero.blend(gv, wb);
                    FloatVector gc = zero.blend(gv, wc);
                    FloatVector gd = zero.blend(gv, wd);
                    ZIP_LO.selectFrom(ga, gb).intoArray(gradInput, top + c);
                    ZIP_HI.selectFrom(ga, gb).intoArray(gradInput, top + c + P2L);
                    ZIP_LO.selectFrom(gc, gd).intoArray(gradInput, bottom + c);
                    ZIP_HI.selectFrom(gc, gd).intoArray(gradInput, bottom + c + P2L);
                } else {
                    for (int t = ox; t < ox + P2L; t++) {
                        int cell = 2 * t;
                        gradInput[top + cell] = 0f;
                        gradInput[top + cell + 1] = 0f;
                        gradInput[bottom + cell] = 0f;
                        gradInput[bottom + cell + 1] = 0f;
                        gradInput[argMax2x2(x, top, bottom, cell)] = gradOut[orow + t];
                    }
                }
                if (ox == outW - P2L) {
                    break;
                }
            }
            clearUncoveredColumn(g, gradInput, top, bottom, outW);
        }
        clearUncoveredRows(g, gradInput, in, outH);
    }

    // ---- average pooling (general kernels only: no layer of interest uses it in its inner loop)

    /** The divisor of output (oy, ox): the whole window, or only its cells inside the image. */
    private static int avgDivisor(PoolGeometry g, boolean countIncludePad, int oy, int ox) {
        if (countIncludePad) {
            return g.kh() * g.kw();
        }
        int y0 = oy * g.strideH() - g.padH();
        int x0 = ox * g.strideW() - g.padW();
        int rows = Math.min(g.h(), y0 + g.kh()) - Math.max(0, y0);
        int cols = Math.min(g.w(), x0 + g.kw()) - Math.max(0, x0);
        return rows * cols;
    }

    static void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] out) {
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            int w = g.w();
            int outH = g.outH();
            int outW = g.outW();
            int sw = g.strideW();
            for (int pl = from; pl < to; pl++) {
                int in = pl * g.h() * w;
                int o = pl * outH * outW;
                Arrays.fill(out, o, o + outH * outW, 0f);
                for (int i = 0; i < g.kh(); i++) {
                    int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                    int oyHi = endInside(g.h() - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                    for (int j = 0; j < g.kw(); j++) {
                        int oxLo = firstInside(g.padW() - j, sw, outW);
                        int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int src = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                            int d = o + oy * outW;
                            if (sw == 1) {
                                addInto(x, src + oxLo, out, d + oxLo, oxHi - oxLo);
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++) {
                                    out[d + ox] += x[src + ox * sw];
                                }
                            }
                        }
                    }
                }
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        out[o + oy * outW + ox] /= avgDivisor(g, countIncludePad, oy, ox);
                    }
                }
            }
        });
    }

    static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gradOut, float[] gradInput) {
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            int w = g.w();
            int outH = g.outH();
            int outW = g.outW();
            int sw = g.strideW();
            float[] share = scratch(SLOT_POOL, outH * outW);
            for (int pl = from; pl < to; pl++) {
                int in = pl * g.h() * w;
                int o = pl * outH * outW;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        share[oy * outW + ox] = gradOut[o + oy * outW + ox] / avgDivisor(g, countIncludePad, oy, ox);
                    }
                }
                Arrays.fill(gradInput, in, in + g.h() * w, 0f);
                for (int i = 0; i < g.kh(); i++) {
                    int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                    int oyHi = endInside(g.h() - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                    for (int j = 0; j < g.kw(); j++) {
                        int oxLo = firstInside(g.padW() - j, sw, outW);
                        int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int dst = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                            int s = oy * outW;
                            if (sw == 1) {
                                addInto(share, s + oxLo, gradInput, dst + oxLo, oxHi - oxLo);
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++) {
                                    gradInput[dst + ox * sw] += share[s + ox];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
