package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.ImagePool.EVEN;
import static dev.vectorgrad.backend.simd.ImagePool.ODD;
import static dev.vectorgrad.backend.simd.ImagePool.P2;
import static dev.vectorgrad.backend.simd.ImagePool.P2L;
import static dev.vectorgrad.backend.simd.ImagePool.TWO_BY_TWO;
import static dev.vectorgrad.backend.simd.ImagePool.TWO_BY_TWO_VECTOR;
import static dev.vectorgrad.backend.simd.ImagePool.argMax;
import static dev.vectorgrad.backend.simd.ImagePool.argMax2x2;
import static dev.vectorgrad.backend.simd.ImagePool.poolKind;
import static dev.vectorgrad.backend.simd.ImagePool.poolWork;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Max pooling with recorded indices: the forward pass records, per output, the cell it took, so the
 * backward pass only scatters the output gradients. Same winners as {@link ImagePool}'s max pooling.
 */
final class ImagePoolIndexed {
    private ImagePoolIndexed() {
    }

    // ---- max pooling with recorded indices

    /*
     * The forward pass records, per output, the index within its plane of the cell it took; the backward
     * pass then only scatters the output gradients (into a gradient the caller zeroed), without reading
     * the input again. Same winners as maxPool2dBackward: the first maximum in window order, a NaN winning.
     */

    static void maxPool2dWithIndices(PoolGeometry g, float[] x, float[] out, float[] argmax) {
        int kind = poolKind(g);
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                switch (kind) {
                    case TWO_BY_TWO_VECTOR -> maxPool2x2VectorIndexedPlane(g, x, out, argmax, pl);
                    case TWO_BY_TWO -> maxPool2x2IndexedPlane(g, x, out, argmax, pl);
                    default -> maxPoolIndexedPlane(g, x, out, argmax, pl);
                }
            }
        });
    }

    static void maxPool2dBackwardIndices(PoolGeometry g, float[] argmax, float[] gradOut, float[] gradInput) {
        int plane = g.h() * g.w();
        int p = g.outH() * g.outW();
        Parallel.forRange(g.n() * g.c(), (long) g.outputSize(), Thresholds.PARALLEL_ELEMENTWISE, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int in = pl * plane;
                for (int o = pl * p, end = o + p; o < end; o++) {
                    gradInput[in + (int) argmax[o]] += gradOut[o];
                }
            }
        });
    }

    /** 2x2 windows, rows of at least one vector of outputs: {@link ImagePool#maxPool2x2VectorPlane} plus the winners. */
    private static void maxPool2x2VectorIndexedPlane(PoolGeometry g, float[] x, float[] out, float[] argmax, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        FloatVector zero = FloatVector.zero(P2);
        FloatVector one = FloatVector.broadcast(P2, 1f);
        FloatVector left = FloatVector.broadcast(P2, w);
        FloatVector right = FloatVector.broadcast(P2, w + 1);
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
                m.intoArray(out, orow + ox);
                if (m.compare(VectorOperators.NE, m).anyTrue()) {
                    for (int t = ox; t < ox + P2L; t++) {
                        argmax[orow + t] = argMax2x2(x, top, bottom, 2 * t) - in;
                    }
                } else {
                    // The winner's offset from its window's top-left cell, the last candidate first so
                    // that the first maximum overrides; EVEN holds the top-left columns 2i.
                    FloatVector off = right.blend(left, cc.compare(VectorOperators.EQ, m))
                            .blend(one, b.compare(VectorOperators.EQ, m))
                            .blend(zero, a.compare(VectorOperators.EQ, m));
                    EVEN.add(off).add((float) (top - in + c)).intoArray(argmax, orow + ox);
                }
                if (ox == outW - P2L) {
                    break;
                }
            }
        }
    }

    /** 2x2 windows with narrow rows: {@link ImagePool#maxPool2x2Plane} plus the winners, picked with conditional moves. */
    private static void maxPool2x2IndexedPlane(PoolGeometry g, float[] x, float[] out, float[] argmax, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            for (int ox = 0; ox < outW; ox++, o++) {
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
                out[o] = m;
                argmax[o] = win - in;
            }
        }
    }

    /** Any window: the first maximum of each, scanned in row-major window order (the reference rule). */
    private static void maxPoolIndexedPlane(PoolGeometry g, float[] x, float[] out, float[] argmax, int pl) {
        int h = g.h();
        int w = g.w();
        int in = pl * h * w;
        int o = pl * g.outH() * g.outW();
        for (int oy = 0; oy < g.outH(); oy++) {
            int y0 = oy * g.strideH() - g.padH();
            for (int ox = 0; ox < g.outW(); ox++, o++) {
                int x0 = ox * g.strideW() - g.padW();
                int win = argMax(x, in, w, Math.max(0, y0), Math.min(h, y0 + g.kh()), Math.max(0, x0),
                        Math.min(w, x0 + g.kw()));
                out[o] = x[win];
                argmax[o] = win - in;
            }
        }
    }
}
