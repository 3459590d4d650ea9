package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;

import java.util.Arrays;

/**
 * Copy kernels: a view gathered into a contiguous array, row by row (an array copy, a fill for a
 * broadcast row, or a strided loop), or in tiles when the view is a transpose
 * ({@code copyTransposed}). Work above {@link Thresholds#PARALLEL_ELEMENTWISE} elements is split
 * across {@link Parallel}'s pool.
 */
final class ElementwiseCopy {

    private ElementwiseCopy() {
    }

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
}
