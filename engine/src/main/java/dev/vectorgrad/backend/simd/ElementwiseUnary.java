package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import dev.vectorgrad.backend.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.vectorgrad.backend.simd.ElementwiseBinary.addS;
import static dev.vectorgrad.backend.simd.ElementwiseBinary.mulS;
import static dev.vectorgrad.backend.simd.ElementwiseCopy.copy;

/**
 * Unary kernels, transcendentals included: one loop per op, an unmasked vector main loop and a
 * scalar tail that computes exactly what the scalar backend computes. EXP, LOG and TANH use
 * {@code FloatVector.lanewise}; powers are vectorised as {@link #POW} says. A non-contiguous input
 * is gathered first ({@link ElementwiseCopy}); add and multiply by a scalar share their loops with
 * the binary broadcast fast paths ({@link ElementwiseBinary}).
 */
final class ElementwiseUnary {

    private static final VectorSpecies<Float> S = SimdInfo.SPECIES;
    private static final int L = S.length();

    /** How x^y is vectorised on this machine; see {@link #POW}. */
    enum PowMode { LANEWISE, DOUBLE_EXP_LOG, SCALAR }

    /**
     * {@code lanewise(POW)} is intrinsified for 512-bit vectors (AVX-512: 14x a scalar
     * {@code Math.pow} loop) but on 256-bit vectors it falls back to per-lane Java (0.9x, slower than
     * scalar), while EXP and LOG stay fast there. So: 512-bit uses lanewise POW; 256-bit computes
     * {@code exp(y * log(x))} on double lanes (3x scalar, and it rounds to the same float as
     * {@code Math.pow}), with any vector holding a base outside (0, +inf) done by {@code Math.pow}
     * lane by lane so special cases keep their exact meaning; narrower vectors (where the double
     * route measured 0.5x) use the scalar loop.
     */
    static final PowMode POW = S.vectorBitSize() >= 512 ? PowMode.LANEWISE
            : S.vectorBitSize() >= 256 ? PowMode.DOUBLE_EXP_LOG : PowMode.SCALAR;

    /** Double lanes of the preferred shape, and floats as many as those (half a float vector). */
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> FH =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));
    static final int H = DS.length();

    private ElementwiseUnary() {
    }

    static void unary(UnaryOp op, float alpha, float beta, float[] x, Layout layout, float[] out) {
        int n = layout.size();
        if (n == 0) {
            return;
        }
        float[] src = x;
        int off = layout.offset();
        if (!layout.isContiguous()) {
            Strided s = Strided.of(layout);
            if (s.rank() == 1 && s.innerStride(0) == 0) {
                // A broadcast scalar: one value, computed once.
                Arrays.fill(out, 0, n, op.apply(alpha, beta, x[s.offsets[0]]));
                return;
            }
            // Gather first (vectorised / tiled), then run the contiguous kernel in place.
            copy(x, layout, out);
            src = out;
            off = 0;
        }
        float[] in = src;
        int xo = off;
        int threshold = isTranscendental(op) ? Thresholds.PARALLEL_TRANSCENDENTAL : Thresholds.PARALLEL_ELEMENTWISE;
        Parallel.forRange(n, n, threshold,
                (from, to) -> unaryRun(op, alpha, beta, in, xo + from, out, from, to - from));
    }

    private static boolean isTranscendental(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIGMOID, TANH, POW -> true;
            default -> false;
        };
    }


    /** {@code out[oo .. oo+n) = op(x[xo .. xo+n))}; {@code out} may be {@code x} with {@code oo == xo}. */
    static void unaryRun(UnaryOp op, float alpha, float beta, float[] x, int xo, float[] out, int oo, int n) {
        switch (op) {
            case NEG -> neg(x, xo, out, oo, n);
            case ABS -> abs(x, xo, out, oo, n);
            case EXP -> exp(x, xo, out, oo, n);
            case LOG -> log(x, xo, out, oo, n);
            case SQRT -> sqrt(x, xo, out, oo, n);
            case SQUARE -> square(x, xo, out, oo, n);
            case RECIPROCAL -> reciprocal(x, xo, out, oo, n);
            case POW -> pow(alpha, x, xo, out, oo, n);
            case RELU -> clampMin(0f, x, xo, out, oo, n);
            case LEAKY_RELU -> leakyRelu(alpha, x, xo, out, oo, n);
            case SIGMOID -> sigmoid(x, xo, out, oo, n);
            case TANH -> tanh(x, xo, out, oo, n);
            case STEP -> step(x, xo, out, oo, n);
            case CLAMP -> clamp(alpha, beta, x, xo, out, oo, n);
            case ADD_SCALAR -> addS(x, xo, alpha, out, oo, n);
            case MUL_SCALAR -> mulS(x, xo, alpha, out, oo, n);
            case AFFINE -> affine(alpha, beta, x, xo, out, oo, n);
            case SIGN -> sign(x, xo, out, oo, n);
        }
    }

    private static void neg(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).neg().intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = -x[xo + i];
        }
    }

    private static void abs(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).abs().intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.abs(x[xo + i]);
        }
    }

    private static void exp(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.exp(x[xo + i]);
        }
    }

    private static void log(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.log(x[xo + i]);
        }
    }

    private static void sqrt(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.sqrt(x[xo + i]);
        }
    }

    private static void square(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            out[oo + i] = v * v;
        }
    }

    private static void cube(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).mul(v).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            out[oo + i] = v * v * v;
        }
    }

    private static void reciprocal(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            one.div(FloatVector.fromArray(S, x, xo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = 1f / x[xo + i];
        }
    }

    /**
     * x^alpha. Exponents with an exact cheap form (0, 1, 2, 3, -1: squares in MSE, reciprocals) skip the
     * transcendental; pow(x, 0) is 1 even for NaN, as in {@code Math.pow}.
     */
    static void pow(float alpha, float[] x, int xo, float[] out, int oo, int n) {
        if (alpha == 0f) {
            Arrays.fill(out, oo, oo + n, 1f);
        } else if (alpha == 1f) {
            System.arraycopy(x, xo, out, oo, n);
        } else if (alpha == 2f) {
            square(x, xo, out, oo, n);
        } else if (alpha == 3f) {
            cube(x, xo, out, oo, n);
        } else if (alpha == -1f) {
            reciprocal(x, xo, out, oo, n);
        } else if (POW == PowMode.LANEWISE) {
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.POW, alpha).intoArray(out, oo + i);
            }
            for (; i < n; i++) {
                out[oo + i] = (float) Math.pow(x[xo + i], alpha);
            }
        } else if (POW == PowMode.DOUBLE_EXP_LOG) {
            int i = 0;
            for (int bound = n - n % H; i < bound; i += H) {
                FloatVector v = FloatVector.fromArray(FH, x, xo + i);
                if (positiveFinite(v)) {
                    DoubleVector d = (DoubleVector) v.convertShape(VectorOperators.F2D, DS, 0);
                    DoubleVector r = d.lanewise(VectorOperators.LOG).mul(alpha).lanewise(VectorOperators.EXP);
                    ((FloatVector) r.convertShape(VectorOperators.D2F, FH, 0)).intoArray(out, oo + i);
                } else {
                    for (int k = i; k < i + H; k++) {
                        out[oo + k] = (float) Math.pow(x[xo + k], alpha);
                    }
                }
            }
            for (; i < n; i++) {
                out[oo + i] = (float) Math.pow(x[xo + i], alpha);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[oo + i] = (float) Math.pow(x[xo + i], alpha);
            }
        }
    }

    /** All lanes in (0, +inf): where exp(y * log(x)) is exactly pow's definition, special cases aside. */
    static boolean positiveFinite(FloatVector v) {
        return v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, Float.POSITIVE_INFINITY)).allTrue();
    }

    /** max(x, lo) with NaN propagated (relu is {@code lo = 0}). */
    static void clampMin(float lo, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).max(lo).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.max(x[xo + i], lo);
        }
    }

    private static void leakyRelu(float slope, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            out[oo + i] = v > 0 ? v : slope * v;
        }
    }

    /**
     * Stable logistic: with {@code e = exp(-|x|)} (never overflows), {@code 1 / (1 + e)} for x >= 0 and
     * {@code e / (1 + e)} for x < 0, so large negative inputs keep their tiny relative precision.
     */
    private static void sigmoid(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector r = one.div(e.add(1f));
            r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[xo + i])));
        }
    }

    private static void tanh(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.tanh(x[xo + i]);
        }
    }

    private static void step(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            zero.blend(one, v.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = x[xo + i] > 0 ? 1f : 0f;
        }
    }

    private static void clamp(float lo, float hi, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).max(lo).min(hi).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.min(Math.max(x[xo + i], lo), hi);
        }
    }

    /** alpha * x + beta, rounded twice like the scalar definition (not fused). */
    private static void affine(float alpha, float beta, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).mul(alpha).add(beta).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = alpha * x[xo + i] + beta;
        }
    }

    /** Math.signum: -1 or 1, and zeros (of either sign) and NaN returned unchanged. */
    private static void sign(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector minusOne = FloatVector.broadcast(S, -1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(one, v.compare(VectorOperators.GT, 0f))
                    .blend(minusOne, v.compare(VectorOperators.LT, 0f))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.signum(x[xo + i]);
        }
    }
}
