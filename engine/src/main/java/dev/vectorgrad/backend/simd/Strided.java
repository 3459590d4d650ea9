package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Layout;

/**
 * One or more operand layouts of the same shape, simplified together so the kernels loop over as few
 * dimensions as possible: dimensions of size 1 are dropped, and a dimension is merged into the next
 * inner one when every operand steps through the pair as through one dimension
 * ({@code stride[d] == stride[d + 1] * dim[d + 1]}). A contiguous operand set becomes a single row;
 * a broadcast scalar becomes a row of stride 0; {@code (N, C, H, W) + (1, C, 1, 1)} becomes
 * {@code (N, C, H*W)} with strides {@code (C*H*W, H*W, 1)} and {@code (0, 1, 0)}.
 *
 * <p>The innermost remaining dimension is a <em>row</em>; a {@link Walker} steps through the output
 * positions of a range row segment by row segment.
 */
final class Strided {

    /** Simplified shape, rank at least 1, no zero sizes (callers return early on empty tensors). */
    final int[] dims;
    /** {@code strides[operand][dim]}. */
    final int[][] strides;
    /** Storage index of element (0, ..., 0), per operand. */
    final int[] offsets;

    private Strided(int[] dims, int[][] strides, int[] offsets) {
        this.dims = dims;
        this.strides = strides;
        this.offsets = offsets;
    }

    /** Simplifies layouts that all have the same (non-empty) shape. */
    static Strided of(Layout... layouts) {
        int ops = layouts.length;
        int rank = layouts[0].rank();
        int[] dims = new int[Math.max(rank, 1)];
        int[][] strides = new int[ops][Math.max(rank, 1)];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            int size = layouts[0].dim(d);
            if (size == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int q = 0; q < ops && merge; q++) {
                merge = strides[q][r - 1] == layouts[q].stride(d) * size;
            }
            if (merge) {
                dims[r - 1] *= size;
                for (int q = 0; q < ops; q++) {
                    strides[q][r - 1] = layouts[q].stride(d);
                }
            } else {
                dims[r] = size;
                for (int q = 0; q < ops; q++) {
                    strides[q][r] = layouts[q].stride(d);
                }
                r++;
            }
        }
        if (r == 0) {
            // A single element: one row of length 1 (strides 0 are as good as any).
            dims[0] = 1;
            r = 1;
        }
        int[] offsets = new int[ops];
        int[][] kept = new int[ops][];
        for (int q = 0; q < ops; q++) {
            offsets[q] = layouts[q].offset();
            kept[q] = java.util.Arrays.copyOf(strides[q], r);
        }
        return new Strided(java.util.Arrays.copyOf(dims, r), kept, offsets);
    }

    int rank() {
        return dims.length;
    }

    /** Length of a row (the innermost simplified dimension). */
    int inner() {
        return dims[dims.length - 1];
    }

    /** Stride of operand {@code q} along a row. */
    int innerStride(int q) {
        return strides[q][dims.length - 1];
    }

    /** Storage index of operand {@code q}'s element at the given row-major position. */
    int indexOf(int q, int flat) {
        int index = offsets[q];
        for (int d = dims.length - 1; d >= 0; d--) {
            index += (flat % dims[d]) * strides[q][d];
            flat /= dims[d];
        }
        return index;
    }

    /** A cursor positioned at row-major output position {@code from}. */
    Walker walker(int from) {
        return new Walker(this, from);
    }

    /**
     * Walks output positions segment by segment, a segment being the rest of the current row (or
     * less, at the end of a range): an odometer over the outer dimensions keeps each operand's
     * storage index of the current row start. Used in a plain loop by each kernel, so the kernel's
     * row call is a direct, inlinable call:
     * <pre>{@code
     * Walker w = s.walker(from);
     * for (int pos = from; pos < to; ) {
     *     int len = w.length(to - pos);
     *     kernel(x, w.index(0), ..., out, pos, len);
     *     pos += len;
     *     w.advance(len);
     * }
     * }</pre>
     */
    static final class Walker {
        private final int[] dims;
        private final int[][] strides;
        private final int outerRank;
        private final int inner;
        private final int[] innerStrides;
        private final int[] idx;
        private final int[] base;
        private int col;

        private Walker(Strided s, int from) {
            dims = s.dims;
            strides = s.strides;
            outerRank = dims.length - 1;
            inner = dims[outerRank];
            int ops = s.offsets.length;
            innerStrides = new int[ops];
            base = new int[ops];
            idx = new int[outerRank];
            col = from % inner;
            int row = from / inner;
            for (int d = outerRank - 1; d >= 0; d--) {
                idx[d] = row % dims[d];
                row /= dims[d];
            }
            for (int q = 0; q < ops; q++) {
                innerStrides[q] = strides[q][outerRank];
                int p = s.offsets[q];
                for (int d = 0; d < outerRank; d++) {
                    p += idx[d] * strides[q][d];
                }
                base[q] = p;
            }
        }

        /** Elements left in the current row, at most {@code limit}. */
        int length(int limit) {
            return Math.min(inner - col, limit);
        }

        /** Storage index of operand {@code q}'s element at the current position. */
        int index(int q) {
            return base[q] + col * innerStrides[q];
        }

        /** Moves {@code len} positions on (never past the end of the current row). */
        void advance(int len) {
            col += len;
            if (col < inner) {
                return;
            }
            col = 0;
            for (int d = outerRank - 1; d >= 0; d--) {
                for (int q = 0; q < base.length; q++) {
                    base[q] += strides[q][d];
                }
                if (++idx[d] < dims[d]) {
                    return;
                }
                for (int q = 0; q < base.length; q++) {
                    base[q] -= dims[d] * strides[q][d];
                }
                idx[d] = 0;
            }
        }
    }
}
