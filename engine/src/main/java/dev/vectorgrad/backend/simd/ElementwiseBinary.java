package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import dev.vectorgrad.backend.simd.ElementwiseUnary.PowMode;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.vectorgrad.backend.simd.ElementwiseCompare.eq;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.eqS;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.ge;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.geS;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.gt;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.gtS;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.leS;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.ltS;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.ne;
import static dev.vectorgrad.backend.simd.ElementwiseCompare.neS;
import static dev.vectorgrad.backend.simd.ElementwiseUnary.DS;
import static dev.vectorgrad.backend.simd.ElementwiseUnary.FH;
import static dev.vectorgrad.backend.simd.ElementwiseUnary.H;
import static dev.vectorgrad.backend.simd.ElementwiseUnary.POW;
import static dev.vectorgrad.backend.simd.ElementwiseUnary.clampMin;
import static dev.vectorgrad.backend.simd.ElementwiseUnary.positiveFinite;

/**
 * Binary kernels and their broadcast fast paths: each row goes to the loop its strides allow,
 * both operands contiguous (vector-vector), one of them a single value along the row
 * (vector-scalar, scalar-vector: a broadcast scalar, a bias, a per-channel scale), or a plain
 * strided loop. Comparison loops are in {@link ElementwiseCompare}; x^y is vectorised as
 * {@link ElementwiseUnary#POW} says.
 */
final class ElementwiseBinary {

    private static final VectorSpecies<Float> S = SimdInfo.SPECIES;
    private static final int L = S.length();

    private ElementwiseBinary() {
    }

    static void binary(BinaryOp op, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        int n = la.size();
        if (n == 0) {
            return;
        }
        int threshold = op == BinaryOp.POW ? Thresholds.PARALLEL_TRANSCENDENTAL : Thresholds.PARALLEL_ELEMENTWISE;
        if (la.isContiguous() && lb.isContiguous()) {
            int ao = la.offset();
            int bo = lb.offset();
            Parallel.forRange(n, n, threshold,
                    (from, to) -> binaryVV(op, a, ao + from, b, bo + from, out, from, to - from));
            return;
        }
        if (la.isContiguous() && isConstant(lb)) {
            int ao = la.offset();
            float bv = b[lb.offset()];
            Parallel.forRange(n, n, threshold, (from, to) -> binaryVS(op, a, ao + from, bv, out, from, to - from));
            return;
        }
        if (isConstant(la) && lb.isContiguous()) {
            float av = a[la.offset()];
            int bo = lb.offset();
            Parallel.forRange(n, n, threshold, (from, to) -> binarySV(op, av, b, bo + from, out, from, to - from));
            return;
        }
        Strided s = Strided.of(la, lb);
        int sa = s.innerStride(0);
        int sb = s.innerStride(1);
        Parallel.forRange(n, n, threshold, (from, to) -> {
            Strided.Walker w = s.walker(from);
            for (int pos = from; pos < to; ) {
                int len = w.length(to - pos);
                binaryRow(op, a, w.index(0), sa, b, w.index(1), sb, out, pos, len);
                pos += len;
                w.advance(len);
            }
        });
    }

    /** A broadcast scalar: every element is the one at the offset. */
    private static boolean isConstant(Layout l) {
        for (int d = 0; d < l.rank(); d++) {
            if (l.stride(d) != 0 && l.dim(d) != 1) {
                return false;
            }
        }
        return true;
    }

    /** One row segment, dispatched on the operands' strides along it. */
    private static void binaryRow(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb,
                                  float[] out, int oo, int len) {
        if (sa == 1 && sb == 1) {
            binaryVV(op, a, ao, b, bo, out, oo, len);
        } else if (sa == 1 && sb == 0) {
            binaryVS(op, a, ao, b[bo], out, oo, len);
        } else if (sa == 0 && sb == 1) {
            binarySV(op, a[ao], b, bo, out, oo, len);
        } else if (sa == 0 && sb == 0) {
            Arrays.fill(out, oo, oo + len, op.apply(a[ao], b[bo]));
        } else {
            for (int i = 0; i < len; i++) {
                out[oo + i] = op.apply(a[ao + i * sa], b[bo + i * sb]);
            }
        }
    }


    /** Both operands contiguous. */
    static void binaryVV(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> add(a, ao, b, bo, out, oo, n);
            case SUB -> sub(a, ao, b, bo, out, oo, n);
            case MUL -> mul(a, ao, b, bo, out, oo, n);
            case DIV -> div(a, ao, b, bo, out, oo, n);
            case POW -> pow(a, ao, b, bo, out, oo, n);
            case MAXIMUM -> max(a, ao, b, bo, out, oo, n);
            case MINIMUM -> min(a, ao, b, bo, out, oo, n);
            case EQ -> eq(a, ao, b, bo, out, oo, n);
            case NE -> ne(a, ao, b, bo, out, oo, n);
            case GT -> gt(a, ao, b, bo, out, oo, n);
            case GE -> ge(a, ao, b, bo, out, oo, n);
            case LT -> gt(b, bo, a, ao, out, oo, n);
            case LE -> ge(b, bo, a, ao, out, oo, n);
        }
    }

    /** {@code a} contiguous, {@code b} one value. */
    static void binaryVS(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> addS(a, ao, b, out, oo, n);
            case SUB -> addS(a, ao, -b, out, oo, n);
            case MUL -> mulS(a, ao, b, out, oo, n);
            case DIV -> divS(a, ao, b, out, oo, n);
            case POW -> ElementwiseUnary.pow(b, a, ao, out, oo, n);
            case MAXIMUM -> clampMin(b, a, ao, out, oo, n);
            case MINIMUM -> clampMax(b, a, ao, out, oo, n);
            case EQ -> eqS(a, ao, b, out, oo, n);
            case NE -> neS(a, ao, b, out, oo, n);
            case GT -> gtS(a, ao, b, out, oo, n);
            case GE -> geS(a, ao, b, out, oo, n);
            case LT -> ltS(a, ao, b, out, oo, n);
            case LE -> leS(a, ao, b, out, oo, n);
        }
    }

    /** {@code a} one value, {@code b} contiguous: commutative ops and mirrored comparisons swap sides. */
    static void binarySV(BinaryOp op, float a, float[] b, int bo, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> addS(b, bo, a, out, oo, n);
            case SUB -> rsub(a, b, bo, out, oo, n);
            case MUL -> mulS(b, bo, a, out, oo, n);
            case DIV -> rdiv(a, b, bo, out, oo, n);
            case POW -> rpow(a, b, bo, out, oo, n);
            case MAXIMUM -> clampMin(a, b, bo, out, oo, n);
            case MINIMUM -> clampMax(a, b, bo, out, oo, n);
            case EQ -> eqS(b, bo, a, out, oo, n);
            case NE -> neS(b, bo, a, out, oo, n);
            case GT -> ltS(b, bo, a, out, oo, n);
            case GE -> leS(b, bo, a, out, oo, n);
            case LT -> gtS(b, bo, a, out, oo, n);
            case LE -> geS(b, bo, a, out, oo, n);
        }
    }

    private static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            va.add(vb).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    private static void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            va.sub(vb).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] - b[bo + i];
        }
    }

    private static void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            va.mul(vb).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    private static void div(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            va.div(vb).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] / b[bo + i];
        }
    }

    private static void pow(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        if (POW == PowMode.LANEWISE) {
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector va = FloatVector.fromArray(S, a, ao + i);
                FloatVector vb = FloatVector.fromArray(S, b, bo + i);
                va.lanewise(VectorOperators.POW, vb).intoArray(out, oo + i);
            }
        } else if (POW == PowMode.DOUBLE_EXP_LOG) {
            for (int bound = n - n % H; i < bound; i += H) {
                FloatVector va = FloatVector.fromArray(FH, a, ao + i);
                if (positiveFinite(va)) {
                    DoubleVector da = (DoubleVector) va.convertShape(VectorOperators.F2D, DS, 0);
                    DoubleVector db = (DoubleVector) FloatVector.fromArray(FH, b, bo + i)
                            .convertShape(VectorOperators.F2D, DS, 0);
                    DoubleVector r = da.lanewise(VectorOperators.LOG).mul(db).lanewise(VectorOperators.EXP);
                    ((FloatVector) r.convertShape(VectorOperators.D2F, FH, 0)).intoArray(out, oo + i);
                } else {
                    for (int k = i; k < i + H; k++) {
                        out[oo + k] = (float) Math.pow(a[ao + k], b[bo + k]);
                    }
                }
            }
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.pow(a[ao + i], b[bo + i]);
        }
    }

    private static void max(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            va.max(vb).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.max(a[ao + i], b[bo + i]);
        }
    }

    private static void min(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i);
            va.min(vb).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.min(a[ao + i], b[bo + i]);
        }
    }

    static void addS(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + s;
        }
    }

    static void mulS(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] * s;
        }
    }

    /** a / s: a true division (not a multiply by 1/s), so results round exactly as the scalar ones. */
    private static void divS(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).div(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] / s;
        }
    }

    /** s - b. */
    private static void rsub(float s, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            vs.sub(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = s - b[bo + i];
        }
    }

    /** s / b. */
    private static void rdiv(float s, float[] b, int bo, float[] out, int oo, int n) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            vs.div(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = s / b[bo + i];
        }
    }

    /** s ^ b. */
    private static void rpow(float s, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        if (POW == PowMode.LANEWISE) {
            FloatVector vs = FloatVector.broadcast(S, s);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                vs.lanewise(VectorOperators.POW, FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
            }
        } else if (POW == PowMode.DOUBLE_EXP_LOG && s > 0 && s < Float.POSITIVE_INFINITY) {
            double logS = Math.log(s);
            for (int bound = n - n % H; i < bound; i += H) {
                DoubleVector db = (DoubleVector) FloatVector.fromArray(FH, b, bo + i)
                        .convertShape(VectorOperators.F2D, DS, 0);
                DoubleVector r = db.mul(logS).lanewise(VectorOperators.EXP);
                ((FloatVector) r.convertShape(VectorOperators.D2F, FH, 0)).intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.pow(s, b[bo + i]);
        }
    }

    /** min(x, hi) with NaN propagated. */
    private static void clampMax(float hi, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).min(hi).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.min(x[xo + i], hi);
        }
    }
}
