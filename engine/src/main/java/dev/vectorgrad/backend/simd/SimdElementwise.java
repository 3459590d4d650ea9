package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import dev.vectorgrad.backend.UnaryOp;

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
 * the exception: see {@link ElementwiseUnary#POW}.
 *
 * <p>Against C2's own auto-vectorised plain loops, the simplest memory-bound kernels (add, multiply
 * by a scalar, relu) measured 0.7-0.9x while the data sits in L1/L2 and parity beyond: C2 peels
 * iterations until its stores are aligned, which a Vector API loop cannot do (an array's address is
 * not visible), and an unaligned 64-byte store straddles two cache lines. Comparisons, where, row
 * broadcasts and transcendentals, which C2 does not vectorise, are 2-20x faster than plain loops.
 *
 * <p>This class is the entry point; the kernels live by family in {@link ElementwiseCopy},
 * {@link ElementwiseUnary}, {@link ElementwiseBinary} and {@link ElementwiseCompare}.
 */
final class SimdElementwise {

    private SimdElementwise() {
    }

    static void copy(float[] x, Layout layout, float[] out) {
        ElementwiseCopy.copy(x, layout, out);
    }

    static void unary(UnaryOp op, float alpha, float beta, float[] x, Layout layout, float[] out) {
        ElementwiseUnary.unary(op, alpha, beta, x, layout, out);
    }

    static void binary(BinaryOp op, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        ElementwiseBinary.binary(op, a, la, b, lb, out);
    }

    static void where(float[] cond, Layout lc, float[] a, Layout la, float[] b, Layout lb, float[] out) {
        ElementwiseCompare.where(cond, lc, a, la, b, lb, out);
    }
}
