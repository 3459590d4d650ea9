package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Masks: the comparison kernels, which write 1 or 0 per element (vector-vector for
 * {@link ElementwiseBinary}'s contiguous rows, vector-scalar for its broadcast fast paths), and
 * where, which selects per element by such a mask (nonzero picks {@code a}).
 */
final class ElementwiseCompare {

    private static final VectorSpecies<Float> S = SimdInfo.SPECIES;
    private static final int L = S.length();

    private ElementwiseCompare() {
    }

    static void where(float[] cond, Layout lc, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        int n = lc.size();
        if (n == 0) {
            return;
        }
        Strided s = Strided.of(lc, la, lb);
        int sc = s.innerStride(0);
        int sa = s.innerStride(1);
        int sb = s.innerStride(2);
        Parallel.forRange(n, n, Thresholds.PARALLEL_ELEMENTWISE, (from, to) -> {
            Strided.Walker w = s.walker(from);
            for (int pos = from; pos < to; ) {
                int len = w.length(to - pos);
                whereRow(cond, w.index(0), sc, a, w.index(1), sa, b, w.index(2), sb, out, pos, len);
                pos += len;
                w.advance(len);
            }
        });
    }

    /**
     * One row segment: vectorised when the condition is contiguous and each value operand is either
     * contiguous or constant along the row (e.g. {@code where(mask, x, 0)}); a strided loop otherwise.
     */
    private static void whereRow(float[] c, int co, int sc, float[] a, int ao, int sa, float[] b, int bo, int sb,
                                 float[] out, int oo, int n) {
        if (sc == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
            if (sa == 1 && sb == 1) {
                whereVV(c, co, a, ao, b, bo, out, oo, n);
            } else if (sa == 1) {
                whereVS(c, co, a, ao, b[bo], out, oo, n);
            } else if (sb == 1) {
                whereSV(c, co, a[ao], b, bo, out, oo, n);
            } else {
                whereSS(c, co, a[ao], b[bo], out, oo, n);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            out[oo + i] = c[co + i * sc] != 0 ? a[ao + i * sa] : b[bo + i * sb];
        }
    }

    private static void whereVV(float[] c, int co, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, c, co + i).compare(VectorOperators.NE, 0f);
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            vb.blend(va, m).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = c[co + i] != 0 ? a[ao + i] : b[bo + i];
        }
    }

    private static void whereVS(float[] c, int co, float[] a, int ao, float b, float[] out, int oo, int n) {
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, c, co + i).compare(VectorOperators.NE, 0f);
            vb.blend(FloatVector.fromArray(S, a, ao + i), m).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = c[co + i] != 0 ? a[ao + i] : b;
        }
    }

    private static void whereSV(float[] c, int co, float a, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, c, co + i).compare(VectorOperators.NE, 0f);
            FloatVector.fromArray(S, b, bo + i).blend(va, m).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = c[co + i] != 0 ? a : b[bo + i];
        }
    }

    private static void whereSS(float[] c, int co, float a, float b, float[] out, int oo, int n) {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, c, co + i).compare(VectorOperators.NE, 0f);
            vb.blend(va, m).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = c[co + i] != 0 ? a : b;
        }
    }

    static void eq(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            zero.blend(one, va.compare(VectorOperators.EQ, vb)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] == b[bo + i] ? 1f : 0f;
        }
    }

    static void ne(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            zero.blend(one, va.compare(VectorOperators.NE, vb)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] != b[bo + i] ? 1f : 0f;
        }
    }

    /** a > b; LT is this with the operands swapped. */
    static void gt(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            zero.blend(one, va.compare(VectorOperators.GT, vb)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] > b[bo + i] ? 1f : 0f;
        }
    }

    /** a >= b; LE is this with the operands swapped. */
    static void ge(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            zero.blend(one, va.compare(VectorOperators.GE, vb)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] >= b[bo + i] ? 1f : 0f;
        }
    }

    static void eqS(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.EQ, s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] == s ? 1f : 0f;
        }
    }

    static void neS(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.NE, s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] != s ? 1f : 0f;
        }
    }

    static void gtS(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GT, s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] > s ? 1f : 0f;
        }
    }

    static void geS(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GE, s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] >= s ? 1f : 0f;
        }
    }

    static void ltS(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.LT, s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] < s ? 1f : 0f;
        }
    }

    static void leS(float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.LE, s)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] <= s ? 1f : 0f;
        }
    }
}
