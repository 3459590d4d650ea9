package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import dev.vectorgrad.backend.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Vector API elementwise and copy kernels.
 *
 * <p>Every op has its own loops, one per operand shape (vector-vector, vector-scalar, scalar-vector):
 * an unmasked vector main loop over {@code SPECIES.loopBound(n)} and a scalar tail, with the op fixed
 * in the code so the JIT compiles each loop to straight vector instructions (an operator passed as a
 * value would not be intrinsified). The tails compute exactly what the scalar backend computes.
 *
 * <p>Layouts are first simplified together ({@link Strided}); what is left is a sequence of rows, and
 * each row goes to the fastest loop its strides allow: contiguous in every operand (the training hot
 * path: same-shape tensors), one operand constant along the row (a broadcast scalar, a bias, a
 * per-channel scale), or a plain strided loop. Work above {@link Thresholds#PARALLEL_ELEMENTWISE}
 * elements is split into contiguous output ranges across {@link Parallel}'s pool.
 *
 * <p>Transcendentals use {@code FloatVector.lanewise(EXP/LOG/TANH)}: on JDK 25 they are intrinsified
 * (Intel SVML on x86), measured against scalar {@code Math.exp/log/tanh} loops at 15-20x on AVX-512,
 * 7-10x on AVX2 and 8-10x on SSE, within about an ulp of the correctly rounded result. Powers are
 * the exception: see {@link #POW}.
 *
 * <p>Against C2's own auto-vectorised plain loops, the simplest memory-bound kernels (add, multiply
 * by a scalar, relu) measured 0.7-0.9x while the data sits in L1/L2 and parity beyond: C2 peels
 * iterations until its stores are aligned, which a Vector API loop cannot do (an array's address is
 * not visible), and an unaligned 64-byte store straddles two cache lines. Comparisons, where, row
 * broadcasts and transcendentals, which C2 does not vectorise, are 2-20x faster than plain loops.
 */
final class SimdElementwise {

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
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FH =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));
    private static final int H = DS.length();

    private SimdElementwise() {
    }

    // =====================================================================================  copy

    static void copy(float[] x, Layout layout, float[] out) {
        int n = layout.size();
        if (n == 0) {
            return;
        }
        if (layout.isContiguous()) {
            int off = layout.offset();
            Parallel.forRange(n, n, Thresholds.PARALLEL_ELEMENTWISE,
                    (from, to) -> System.arraycopy(x, off + from, out, from, to - from));
            return;
        }
        Strided s = Strided.of(layout);
        int r = s.rank();
        int tile = Thresholds.COPY_TRANSPOSE_TILE;
        if (r >= 2 && s.strides[0][r - 2] == 1 && s.innerStride(0) != 0
                && s.dims[r - 2] >= tile && s.inner() >= tile) {
            copyTransposed(x, s, out);
            return;
        }
        int stride = s.innerStride(0);
        Parallel.forRange(n, n, Thresholds.PARALLEL_ELEMENTWISE, (from, to) -> {
            Strided.Walker w = s.walker(from);
            for (int pos = from; pos < to; ) {
                int len = w.length(to - pos);
                copyRow(x, w.index(0), stride, out, pos, len);
                pos += len;
                w.advance(len);
            }
        });
    }

    private static void copyRow(float[] x, int xo, int stride, float[] out, int oo, int len) {
        if (stride == 1) {
            if (len >= Thresholds.COPY_ARRAYCOPY_MIN) {
                System.arraycopy(x, xo, out, oo, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[oo + i] = x[xo + i];
                }
            }
        } else if (stride == 0) {
            Arrays.fill(out, oo, oo + len, x[xo]);
        } else {
            for (int i = 0; i < len; i++) {
                out[oo + i] = x[xo + i * stride];
            }
        }
    }

    /**
     * A view whose last two simplified dimensions are {@code [rows, cols]} with the rows contiguous
     * in the source (stride 1) and the columns strided (the transpose of a matrix, possibly batched):
     * copied in small square tiles, each output row piece written contiguously while its reads walk
     * down a handful of source rows. Untiled, a power-of-two row pitch maps every strided access to
     * the same cache set and the copy runs several times slower.
     */
    private static void copyTransposed(float[] x, Strided s, float[] out) {
        int r = s.rank();
        int rows = s.dims[r - 2];
        int cols = s.dims[r - 1];
        int colStride = s.innerStride(0);
        int tile = Thresholds.COPY_TRANSPOSE_TILE;
        int matrices = 1;
        for (int d = 0; d < r - 2; d++) {
            matrices *= s.dims[d];
        }
        int bands = (rows + tile - 1) / tile;
        long n = (long) matrices * rows * cols;
        Parallel.forRange(matrices * bands, n, Thresholds.PARALLEL_ELEMENTWISE, (from, to) -> {
            for (int unit = from; unit < to; unit++) {
                int matrix = unit / bands;
                int r0 = (unit % bands) * tile;
                int r1 = Math.min(rows, r0 + tile);
                int src = s.indexOf(0, matrix * rows * cols);
                int dst = matrix * rows * cols;
                for (int c0 = 0; c0 < cols; c0 += tile) {
                    int c1 = Math.min(cols, c0 + tile);
                    for (int i = r0; i < r1; i++) {
                        int o = dst + i * cols;
                        int p = src + i;
                        for (int c = c0; c < c1; c++) {
                            out[o + c] = x[p + c * colStride];
                        }
                    }
                }
            }
        });
    }

    // =====================================================================================  unary

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
                Arrays.fill(out, 0, n, unaryScalar(op, alpha, beta, x[s.offsets[0]]));
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

    /** The scalar definition the tails use; identical to the scalar backend's. */
    static float unaryScalar(UnaryOp op, float alpha, float beta, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case POW -> (float) Math.pow(x, alpha);
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-(double) x)));
            case TANH -> (float) Math.tanh(x);
            case STEP -> x > 0 ? 1f : 0f;
            case CLAMP -> Math.min(Math.max(x, alpha), beta);
            case ADD_SCALAR -> x + alpha;
            case MUL_SCALAR -> x * alpha;
            case AFFINE -> alpha * x + beta;
            case SIGN -> Math.signum(x);
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
    private static void pow(float alpha, float[] x, int xo, float[] out, int oo, int n) {
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
    private static boolean positiveFinite(FloatVector v) {
        return v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, Float.POSITIVE_INFINITY)).allTrue();
    }

    /** max(x, lo) with NaN propagated (relu is {@code lo = 0}). */
    private static void clampMin(float lo, float[] x, int xo, float[] out, int oo, int n) {
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

    // =====================================================================================  binary

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
            Arrays.fill(out, oo, oo + len, binaryScalar(op, a[ao], b[bo]));
        } else {
            for (int i = 0; i < len; i++) {
                out[oo + i] = binaryScalar(op, a[ao + i * sa], b[bo + i * sb]);
            }
        }
    }

    /** The scalar definition the tails use; identical to the scalar backend's. */
    static float binaryScalar(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
        };
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
            case POW -> pow(b, a, ao, out, oo, n);
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

    private static void eq(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
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

    private static void ne(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
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
    private static void gt(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
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
    private static void ge(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
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

    private static void addS(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + s;
        }
    }

    private static void mulS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    private static void eqS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    private static void neS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    private static void gtS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    private static void geS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    private static void ltS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    private static void leS(float[] a, int ao, float s, float[] out, int oo, int n) {
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

    // =====================================================================================  where

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
}
