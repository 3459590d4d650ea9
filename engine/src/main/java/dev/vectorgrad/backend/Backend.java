package dev.vectorgrad.backend;

/**
 * The primitive kernels every tensor operation is built from. Tensors call these; a backend knows
 * nothing of autograd, modules or training.
 *
 * <p>Conventions, shared by every implementation:
 * <ul>
 *   <li>Outputs are freshly allocated, contiguous storages of exactly the right size, written from
 *       index 0 unless an offset is given. Inputs are described by a {@link Layout}, which may be a
 *       strided view (transposed, sliced) or a broadcast (stride 0).</li>
 *   <li>Arguments have been validated by the caller (shapes agree); kernels do not re-check.</li>
 *   <li>{@link dev.vectorgrad.backend.scalar.ScalarBackend} is the specification: any other backend must agree
 *       with it within float32 rounding (reductions may associate differently).</li>
 * </ul>
 */
public interface Backend {

    /** Short name used by {@link Backends#use(String)}: "scalar", "simd", "gpu". */
    String name();

    /** One human line: implementation, vector species, threads. */
    String describe();

    // ---------------------------------------------------------------- storage

    /** Zero-filled storage of {@code size} floats. */
    Storage allocate(int size);

    /** Storage holding (a copy of, or the very) host array: the tensor takes ownership. */
    Storage fromArray(float[] data);

    /** The elements of a (possibly strided) view, row-major, in a new host array. */
    float[] toArray(Storage s, Layout layout);

    /** Gathers a strided view into the contiguous {@code out}, starting at {@code out}'s index 0. */
    void copy(Storage x, Layout layout, Storage out);

    /** Sets {@code out[offset .. offset+count)} to {@code value}. */
    void fill(Storage out, int offset, int count, float value);

    // ---------------------------------------------------------------- elementwise

    /** {@code out[i] = op(x[i])} over the view's elements in row-major order. */
    void unary(UnaryOp op, float alpha, float beta, Storage x, Layout layout, Storage out);

    /**
     * {@code out[i] = op(a[i], b[i])}. Both layouts already have the output's shape (broadcast
     * dimensions carry stride 0).
     */
    void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]}; all three layouts have the output's shape. */
    void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out);

    // ---------------------------------------------------------------- reductions

    /**
     * Reduces the middle axis of a contiguous block seen as {@code [outer, len, inner]} starting at
     * {@code offset}, writing {@code [outer, inner]} into {@code out}. {@code len} is at least 1.
     */
    void reduce(ReduceOp op, Storage x, int offset, int outer, int len, int inner, Storage out);

    /**
     * Numerically stable softmax (or log-softmax) along the middle axis of a contiguous
     * {@code [outer, len, inner]} block; {@code out} has the same shape.
     */
    void softmax(Storage x, int offset, int outer, int len, int inner, boolean log, Storage out);

    // ---------------------------------------------------------------- linear algebra

    /**
     * Row-major SGEMM: {@code C = alpha * op(A) * op(B) + beta * C}, where op(A) is m x k and op(B)
     * is k x n. A transposed operand is read in place through its leading dimension; nothing is copied
     * by the caller. With {@code beta == 0} the previous content of C is ignored (even NaN).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Storage a, int offA, int lda,
              Storage b, int offB, int ldb,
              float beta, Storage c, int offC, int ldc);

    // ---------------------------------------------------------------- images (contiguous NCHW)

    /**
     * Unfolds image {@code image} of the batch into a {@code [c*kh*kw, outH*outW]} matrix at
     * {@code col[colOffset..]}; padded positions are zero.
     */
    void im2col(ConvGeometry g, Storage x, int image, Storage col, int colOffset);

    /** Adds a {@code [c*kh*kw, outH*outW]} matrix back into image {@code image} of {@code dx}. */
    void col2im(ConvGeometry g, Storage col, int colOffset, Storage dx, int image);

    /** Cross-correlation forward: {@code out[n,k] = sum_c x[n,c] * w[k,c] + bias[k]}; bias may be null. */
    void conv2d(ConvGeometry g, Storage x, Storage weight, Storage bias, Storage out);

    /** Gradient of conv2d with respect to its input, written (not accumulated) into {@code gradInput}. */
    void conv2dBackwardInput(ConvGeometry g, Storage weight, Storage gradOut, Storage gradInput);

    /**
     * Gradients of conv2d with respect to weight and bias, written (not accumulated);
     * {@code gradBias} may be null.
     */
    void conv2dBackwardWeight(ConvGeometry g, Storage x, Storage gradOut, Storage gradWeight, Storage gradBias);

    /** Max pooling forward. Padded cells never win. */
    void maxPool2d(PoolGeometry g, Storage x, Storage out);

    /**
     * Max pooling backward: each output gradient goes to the first maximum of its window (PyTorch's
     * tie rule), recomputed from {@code x}. Written into a zeroed {@code gradInput}.
     */
    void maxPool2dBackward(PoolGeometry g, Storage x, Storage gradOut, Storage gradInput);

    /**
     * Whether this backend implements {@link #maxPool2dWithIndices} and {@link #maxPool2dBackwardIndices}.
     * Autograd then keeps, per output, where its maximum came from, and the backward pass routes the
     * gradient without looking at the input again (as PyTorch does); otherwise it uses
     * {@link #maxPool2dBackward}, which recomputes the winners.
     */
    default boolean recordsPoolIndices() {
        return false;
    }

    /**
     * {@link #maxPool2d}, also writing into {@code argmax}, for each output, the index within its
     * (image, channel) plane ({@code row * w + column}) of the input cell it took: the first maximum of the
     * window in row-major order, a NaN winning (the rule {@link #maxPool2dBackward} routes by). The indices
     * are stored as floats, exact for planes of up to 2^24 cells.
     */
    default void maxPool2dWithIndices(PoolGeometry g, Storage x, Storage out, Storage argmax) {
        throw new UnsupportedOperationException(name() + " does not record max pooling indices");
    }

    /**
     * Max pooling backward from the indices {@link #maxPool2dWithIndices} recorded: each output gradient is
     * added to its input cell, in output order, into {@code gradInput}, which the caller has zeroed.
     */
    default void maxPool2dBackwardIndices(PoolGeometry g, Storage argmax, Storage gradOut, Storage gradInput) {
        throw new UnsupportedOperationException(name() + " does not record max pooling indices");
    }

    /** Average pooling forward; the divisor counts padded cells when {@code countIncludePad}. */
    void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out);

    /** Average pooling backward, written into a zeroed {@code gradInput}. */
    void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput);

    /**
     * One Adam step (no weight decay, no AMSGrad) over {@code n} contiguous host floats, in place:
     * {@code m = b1*m + c1*g; v = b2*v + c2*g*g; w += negStep * m / (sqrt(v)/bias2Sqrt + eps)}, where the
     * caller passes {@code c1 = 1 - b1} and {@code c2 = 1 - b2} as it rounds them (PyTorch computes them in double).
     * This default is the specification (plain loop); a host backend may override it with vector code that
     * gives the same floats. Optimizers call it only on host arrays.
     */
    default void adamStep(int n, float[] w, int wo, float[] g, int go, float[] m, int mo, float[] v, int vo,
                          float b1, float c1, float b2, float c2, float negStep, float bias2Sqrt, float eps) {
        for (int i = 0; i < n; i++) {
            float gi = g[go + i];
            float mi = m[mo + i] * b1 + c1 * gi;
            float vi = v[vo + i] * b2 + c2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
            w[wo + i] = w[wo + i] + negStep * (mi / denom);
        }
    }

    /**
     * One SGD step over {@code n} contiguous host floats, in place, in PyTorch's order:
     * {@code d = g + wd*w} (when {@code wd != 0}); with a momentum buffer ({@code buf != null})
     * {@code b = first ? d : mom*b + damp*d}, then {@code d = nesterov ? d + mom*b : b}; finally
     * {@code w += negLr * d}. This default is the specification (plain loop); a host backend may override it
     * with vector code that gives the same floats. Optimizers call it only on host arrays.
     */
    default void sgdStep(int n, float[] w, int wo, float[] g, int go, float[] buf, int bo,
                         float negLr, float wd, float mom, float damp, boolean nesterov, boolean first) {
        for (int i = 0; i < n; i++) {
            float d = g[go + i];
            if (wd != 0) {
                d = d + wd * w[wo + i];
            }
            if (buf != null) {
                float b = first ? d : buf[bo + i] * mom + damp * d;
                buf[bo + i] = b;
                d = nesterov ? d + mom * b : b;
            }
            w[wo + i] = w[wo + i] + negLr * d;
        }
    }

    /**
     * Unsigned bytes (pixels) to standardized floats over host arrays:
     * {@code dst[d + j] = ((src[s + j] & 0xFF) / 255f - mean) / std} for {@code j < n}, each operation rounded to
     * float as written, which is what {@code Normalize} computes on pixels scaled to [0, 1] ({@code mean = 0,
     * std = 1} leaves {@code b / 255f}). This default is the specification (plain loop); a host backend may
     * override it with vector code that gives the same floats.
     */
    default void bytesToStandardized(int n, byte[] src, int s, float[] dst, int d, float mean, float std) {
        for (int j = 0; j < n; j++) {
            dst[d + j] = ((src[s + j] & 0xFF) / 255f - mean) / std;
        }
    }
}
