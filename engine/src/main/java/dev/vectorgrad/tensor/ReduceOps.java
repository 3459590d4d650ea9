package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;

import java.util.Arrays;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * Reductions and softmax. The input is made contiguous and seen as {@code [outer, len, inner]}
 * around the reduced dimension, which is what the backend kernels take; several dimensions are
 * reduced one after another, highest first.
 */
final class ReduceOps {

    private ReduceOps() {
    }

    private static String opName(ReduceOp op) {
        return switch (op) {
            case SUM -> "sum";
            case MAX -> "max";
            case MIN -> "min";
            case ARGMAX -> "argmax";
            case ARGMIN -> "argmin";
        };
    }

    private static boolean differentiable(ReduceOp op) {
        return op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.MIN;
    }

    /** Reduces every element into a 0-D tensor. */
    static Tensor all(ReduceOp op, Tensor x) {
        if (GradBridge.recording(x) && differentiable(op)) {
            return GradBridge.hook().reduce(op, x, null, false);
        }
        Tensor c = x.contiguous();
        int n = c.layout.size();
        Backend b = Backends.current();
        Storage out = b.allocate(1);
        if (n == 0) {
            if (op != ReduceOp.SUM) {
                throw new IllegalArgumentException(opName(op) + ": cannot reduce an empty tensor of shape "
                        + format(x.layout.shape()) + "; the " + opName(op) + " of no elements is undefined");
            }
        } else {
            b.reduce(op, c.storage, c.layout.offset(), 1, n, 1, out);
        }
        return Tensor.fresh(out, new int[0], b);
    }

    /** Reduces the given dimensions (all of them when {@code dims} is empty). */
    static Tensor dims(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        if (GradBridge.recording(x) && differentiable(op)) {
            return GradBridge.hook().reduce(op, x, dims, keepDim);
        }
        String name = opName(op);
        int rank = x.layout.rank();
        if (rank == 0) {
            checkScalarDims(name, dims);
            return all(op, x);
        }
        if (dims.length == 0) {
            dims = allDims(rank);
        }
        int[] d = Shapes.wrapDims(name, dims, rank);
        if ((op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) && d.length != 1) {
            throw new IllegalArgumentException(name + ": reduces one dimension at a time, got " + Arrays.toString(dims));
        }
        int[] sorted = d.clone();
        Arrays.sort(sorted);
        Tensor r = x.contiguous();
        for (int i = sorted.length - 1; i >= 0; i--) {
            r = one(op, r, sorted[i], x);
        }
        return keepDim ? r : dropDims(r, sorted);
    }

    /** Reduces contiguous {@code c} along {@code d}, keeping it as size 1. */
    private static Tensor one(ReduceOp op, Tensor c, int d, Tensor original) {
        int[] shape = c.layout.shape();
        int outer = Shapes.product(shape, 0, d);
        int len = shape[d];
        int inner = Shapes.product(shape, d + 1, shape.length);
        if (len == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(opName(op) + ": cannot reduce dimension " + d + " of "
                    + format(original.layout.shape()) + ", which has size 0; the " + opName(op)
                    + " of no elements is undefined");
        }
        shape[d] = 1;
        Backend b = Backends.current();
        Storage out = b.allocate(outer * inner);
        if (outer * inner > 0 && len > 0) {
            b.reduce(op, c.storage, c.layout.offset(), outer, len, inner, out);
        }
        return Tensor.fresh(out, shape, b);
    }

    private static Tensor dropDims(Tensor r, int[] sortedDims) {
        int[] shape = r.layout.shape();
        int[] out = new int[shape.length - sortedDims.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < sortedDims.length && sortedDims[k] == i) {
                k++;
            } else {
                out[j++] = shape[i];
            }
        }
        return r.reshape(out);
    }

    private static void checkScalarDims(String name, int[] dims) {
        for (int d : dims) {
            if (d != 0 && d != -1) {
                throw new IllegalArgumentException(name + ": dim " + d
                        + " is out of range for a 0-D tensor (valid: -1..0)");
            }
        }
    }

    private static int[] allDims(int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = i;
        }
        return d;
    }

    /** Number of elements a reduction over {@code dims} (all when empty) combines. */
    private static int count(Tensor x, int[] dims, String name) {
        int rank = x.layout.rank();
        if (rank == 0) {
            checkScalarDims(name, dims);
            return 1;
        }
        if (dims.length == 0) {
            return x.layout.size();
        }
        int n = 1;
        for (int d : Shapes.wrapDims(name, dims, rank)) {
            n *= x.layout.dim(d);
        }
        return n;
    }

    // ---------------------------------------------------------------- derived statistics

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().mean(x, dims, keepDim);
        }
        int n = count(x, dims, "mean");
        Tensor s = dims(ReduceOp.SUM, x, dims, keepDim);
        // An empty mean is 0/0 = NaN, as in PyTorch.
        return s.div((float) n);
    }

    static Tensor meanAll(Tensor x) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().mean(x, null, false);
        }
        return all(ReduceOp.SUM, x).div((float) x.layout.size());
    }

    /** Two-pass variance: mean first, then the mean squared deviation (divided by n-1 if unbiased). */
    static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().var(x, dims, unbiased, keepDim);
        }
        int n = count(x, dims, "var");
        Tensor mean = dims(ReduceOp.SUM, x, dims, true).div((float) n);
        Tensor ss = dims(ReduceOp.SUM, x.sub(mean).square(), dims, keepDim);
        int divisor = Math.max(unbiased ? n - 1 : n, 0);
        return ss.div((float) divisor);
    }

    static Tensor varAll(Tensor x, boolean unbiased) {
        return var(x, new int[0], unbiased, false);
    }

    // ---------------------------------------------------------------- softmax

    static Tensor softmax(Tensor x, int dim, boolean log) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().softmax(x, dim, log);
        }
        String name = log ? "logSoftmax" : "softmax";
        if (x.layout.rank() == 0) {
            checkScalarDims(name, new int[] {dim});
            return softmax(x.reshape(1), 0, log).reshape();
        }
        int d = Shapes.wrapDim(name, dim, x.layout.rank());
        Tensor c = x.contiguous();
        int[] shape = c.layout.shape();
        int outer = Shapes.product(shape, 0, d);
        int len = shape[d];
        int inner = Shapes.product(shape, d + 1, shape.length);
        Backend b = Backends.current();
        Storage out = b.allocate(c.layout.size());
        if (c.layout.size() > 0) {
            b.softmax(c.storage, c.layout.offset(), outer, len, inner, log, out);
        }
        return Tensor.fresh(out, shape, b);
    }
}
