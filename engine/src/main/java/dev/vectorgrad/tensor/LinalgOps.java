package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;

import java.util.Arrays;
import java.util.Objects;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * Matrix products on top of the backend's row-major SGEMM. A matrix operand whose last two dimensions
 * are row-major (unit column stride) or transposed (unit row stride), such as {@code w.t()}, is
 * handed to the kernel in place with the matching transpose flag and leading dimension; only
 * other layouts are copied. Batch dimensions broadcast without copies: each product gets its own
 * storage offsets.
 */
final class LinalgOps {

    private LinalgOps() {
    }

    /** How a 2-D view is passed to gemm: as stored ({@code trans == false}) or transposed, with its leading dimension. */
    record Operand(boolean trans, int ld) {
    }

    /**
     * The gemm description of a {@code rows x cols} matrix whose elements (i, j) sit at
     * {@code i*rowStride + j*colStride}, or null if it is neither row-major nor transposed.
     */
    static Operand operand(int rows, int cols, int rowStride, int colStride) {
        if ((cols <= 1 || colStride == 1) && (rows <= 1 || rowStride >= Math.max(cols, 1))) {
            return new Operand(false, rows <= 1 ? Math.max(cols, 1) : rowStride);
        }
        if ((rows <= 1 || rowStride == 1) && (cols <= 1 || colStride >= Math.max(rows, 1))) {
            return new Operand(true, cols <= 1 ? Math.max(rows, 1) : colStride);
        }
        return null;
    }

    static Operand operand(Layout l) {
        int r = l.rank();
        return operand(l.dim(r - 2), l.dim(r - 1), l.stride(r - 2), l.stride(r - 1));
    }

    static Tensor matmul(String op, Tensor a, Tensor b) {
        Objects.requireNonNull(b, () -> op + ": the other tensor is null");
        if (GradBridge.recording(a, b)) {
            return GradBridge.hook().matmul(op, a, b);
        }
        int[] sa = a.layout.shape();
        int[] sb = b.layout.shape();
        if (sa.length == 0 || sb.length == 0) {
            throw new ShapeException(op + ": " + format(sa) + " x " + format(sb)
                    + ": both operands need at least 1 dimension; use mul() to scale by a scalar");
        }
        int ka = sa[sa.length - 1];
        int kb = sb.length == 1 ? sb[0] : sb[sb.length - 2];
        if (ka != kb) {
            throw new ShapeException(op + ": " + format(sa) + " x " + format(sb) + ": inner dimensions "
                    + ka + " and " + kb + " differ");
        }
        Tensor a2 = sa.length == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = sb.length == 1 ? b.unsqueeze(1) : b;
        Tensor r = batched(op, a2, b2, sa, sb);
        if (sa.length == 1 && sb.length == 1) {
            return r.reshape();
        }
        if (sa.length == 1) {
            return r.squeeze(-2);
        }
        if (sb.length == 1) {
            return r.squeeze(-1);
        }
        return r;
    }

    private static Tensor batched(String op, Tensor a, Tensor b, int[] shapeA, int[] shapeB) {
        int ra = a.layout.rank();
        int rb = b.layout.rank();
        int m = a.layout.dim(ra - 2);
        int k = a.layout.dim(ra - 1);
        int n = b.layout.dim(rb - 1);
        int[] batchA = Arrays.copyOf(a.layout.shape(), ra - 2);
        int[] batchB = Arrays.copyOf(b.layout.shape(), rb - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast(op, batchA, batchB);
        } catch (ShapeException e) {
            throw new ShapeException(op + ": " + format(shapeA) + " x " + format(shapeB) + ": batch dimensions "
                    + format(batchA) + " and " + format(batchB) + " cannot be broadcast");
        }
        Operand oa = operand(a.layout);
        if (oa == null) {
            a = a.contiguous();
            oa = operand(a.layout);
        }
        Operand ob = operand(b.layout);
        if (ob == null) {
            b = b.contiguous();
            ob = operand(b.layout);
        }
        int batchCount = Shapes.numel(batch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Backend be = Backends.current();
        Storage c = be.allocate(Shapes.numel(outShape));
        if (batchCount == 0 || m == 0 || n == 0 || k == 0) {
            return Tensor.fresh(c, outShape, be); // allocate() zero-fills: an empty sum is 0
        }
        Layout la = Views.broadcastLayout(a.layout, withMatrix(batch, m, k));
        Layout lb = Views.broadcastLayout(b.layout, withMatrix(batch, k, n));

        // A stack of row-major matrices times one shared matrix is a single taller product.
        if (batchCount > 1 && !oa.trans() && a.layout.isContiguous() && Arrays.equals(batchA, batch)
                && batchStridesZero(lb, batch.length)) {
            be.gemm(false, ob.trans(), batchCount * m, n, k, 1f, a.storage, a.layout.offset(), k,
                    b.storage, lb.offset(), ob.ld(), 0f, c, 0, n);
            return Tensor.fresh(c, outShape, be);
        }
        int[] index = new int[batch.length];
        for (int i = 0; i < batchCount; i++) {
            int offA = la.offset();
            int offB = lb.offset();
            for (int d = 0; d < batch.length; d++) {
                offA += index[d] * la.stride(d);
                offB += index[d] * lb.stride(d);
            }
            be.gemm(oa.trans(), ob.trans(), m, n, k, 1f, a.storage, offA, oa.ld(),
                    b.storage, offB, ob.ld(), 0f, c, i * m * n, n);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++index[d] < batch[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return Tensor.fresh(c, outShape, be);
    }

    private static int[] withMatrix(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    private static boolean batchStridesZero(Layout l, int batchRank) {
        for (int d = 0; d < batchRank; d++) {
            if (l.stride(d) != 0 && l.dim(d) != 1) {
                return false;
            }
        }
        return true;
    }

    static Tensor mm(Tensor a, Tensor b) {
        Objects.requireNonNull(b, "mm: the other tensor is null");
        if (a.layout.rank() != 2 || b.layout.rank() != 2) {
            throw new ShapeException("mm: expected two 2-D tensors, got " + format(a.layout.shape()) + " and "
                    + format(b.layout.shape()) + "; use matmul() for other ranks");
        }
        return matmul("mm", a, b);
    }

    static Tensor dot(Tensor a, Tensor b) {
        Objects.requireNonNull(b, "dot: the other tensor is null");
        if (a.layout.rank() != 1 || b.layout.rank() != 1 || a.layout.dim(0) != b.layout.dim(0)) {
            throw new ShapeException("dot: expected two 1-D tensors of the same length, got "
                    + format(a.layout.shape()) + " and " + format(b.layout.shape()));
        }
        return matmul("dot", a, b);
    }

    static Tensor outer(Tensor a, Tensor b) {
        Objects.requireNonNull(b, "outer: the other tensor is null");
        if (a.layout.rank() != 1 || b.layout.rank() != 1) {
            throw new ShapeException("outer: expected two 1-D tensors, got " + format(a.layout.shape()) + " and "
                    + format(b.layout.shape()));
        }
        return matmul("outer", a.unsqueeze(1), b.unsqueeze(0));
    }
}
