package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;

import java.util.Arrays;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * Operations that only compute a new {@link Layout} over the same storage (no element is copied),
 * plus the copies {@code contiguous()} and {@code clone()}. {@code reshape} copies only when the
 * strides leave no other choice, as in PyTorch.
 *
 * <p>A view is computed first; when the viewed tensor requires gradients (and grad mode is on) the
 * result is then handed to the autograd hook, which records how its gradient flows back. Views
 * built from other views here ({@code flatten}, {@code t}, {@code mT}) record through the one they
 * use.
 */
final class Views {

    private Views() {
    }

    private static Tensor with(Tensor t, int[] shape, int[] strides, int offset) {
        return new Tensor(t.storage, new Layout(shape, strides, offset), t.backend);
    }

    // ---------------------------------------------------------------- recording

    private static Tensor reshaped(String name, Tensor t, Tensor out) {
        return GradBridge.recording(t) ? GradBridge.hook().reshaped(name, t, out) : out;
    }

    private static Tensor permuted(String name, Tensor t, int[] order, Tensor out) {
        return GradBridge.recording(t) ? GradBridge.hook().permuted(name, t, order, out) : out;
    }

    private static Tensor sliced(String name, Tensor t, int dim, int start, int step, boolean dropDim, Tensor out) {
        return GradBridge.recording(t) ? GradBridge.hook().sliced(name, t, dim, start, step, dropDim, out) : out;
    }

    private static Tensor copied(String name, Tensor t, Tensor out) {
        return GradBridge.recording(t) ? GradBridge.hook().copied(name, t, out) : out;
    }

    // ---------------------------------------------------------------- reshape family

    static Tensor reshape(Tensor t, int[] requested) {
        int[] shape = Shapes.infer("reshape", t.layout.shape(), requested);
        int[] strides = viewStrides(t.layout, shape);
        if (strides != null) {
            return reshaped("reshape", t, with(t, shape, strides, t.layout.offset()));
        }
        Tensor c = copy(t);
        return reshaped("reshape", t, with(c, shape, Shapes.contiguousStrides(shape), 0));
    }

    static Tensor view(Tensor t, int[] requested) {
        int[] shape = Shapes.infer("view", t.layout.shape(), requested);
        int[] strides = viewStrides(t.layout, shape);
        if (strides == null) {
            throw new ShapeException("view: cannot view a " + format(t.layout.shape()) + " tensor with strides "
                    + format(t.layout.strides()) + " as " + format(shape)
                    + " without copying; call contiguous() first, or use reshape(), which copies when it must");
        }
        return reshaped("view", t, with(t, shape, strides, t.layout.offset()));
    }

    /**
     * Strides that present the elements of {@code layout} (row-major order) with {@code shape}, or
     * null when the existing strides cannot express it. Dimensions are matched in chunks that are
     * themselves contiguous in memory; each chunk may be re-split freely.
     */
    static int[] viewStrides(Layout layout, int[] shape) {
        int[] oldShape = layout.shape();
        int[] oldStrides = layout.strides();
        if (layout.size() == 0 || oldShape.length == 0) {
            return Shapes.contiguousStrides(shape);
        }
        int[] strides = new int[shape.length];
        int viewD = shape.length - 1;
        long chunkBase = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            boolean chunkEnds = d == 0
                    || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase);
            if (chunkEnds) {
                while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] == 1)) {
                    strides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= shape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? strides : null;
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        int rank = t.layout.rank();
        if (rank == 0) {
            return reshape(t, new int[] {1});
        }
        int s = Shapes.wrapDim("flatten", startDim, rank);
        int e = Shapes.wrapDim("flatten", endDim, rank);
        if (s > e) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim
                    + " for a " + rank + "-D tensor");
        }
        int[] shape = t.layout.shape();
        int[] out = new int[rank - (e - s)];
        System.arraycopy(shape, 0, out, 0, s);
        out[s] = Shapes.product(shape, s, e + 1);
        System.arraycopy(shape, e + 1, out, s + 1, rank - e - 1);
        return reshape(t, out);
    }

    // ---------------------------------------------------------------- dimension shuffles

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        int rank = t.layout.rank();
        int a = Shapes.wrapDim("transpose", dim0, rank);
        int b = Shapes.wrapDim("transpose", dim1, rank);
        int[] shape = t.layout.shape();
        int[] strides = t.layout.strides();
        swap(shape, a, b);
        swap(strides, a, b);
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        swap(order, a, b);
        return permuted("transpose", t, order, with(t, shape, strides, t.layout.offset()));
    }

    static Tensor t(Tensor t) {
        int rank = t.layout.rank();
        if (rank > 2) {
            throw new IllegalArgumentException("t: expects a tensor with at most 2 dimensions, got "
                    + format(t.layout.shape()) + "; use transpose(dim0, dim1), permute(...) or mT()");
        }
        return rank < 2 ? t : transpose(t, 0, 1);
    }

    static Tensor mT(Tensor t) {
        if (t.layout.rank() < 2) {
            throw new IllegalArgumentException("mT: expects a tensor with at least 2 dimensions, got "
                    + format(t.layout.shape()));
        }
        return transpose(t, -2, -1);
    }

    static Tensor permute(Tensor t, int[] dims) {
        int rank = t.layout.rank();
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: got " + dims.length + " dims " + Arrays.toString(dims)
                    + " for a " + rank + "-D tensor " + format(t.layout.shape()) + "; give each dimension once");
        }
        int[] d = Shapes.wrapDims("permute", dims, rank);
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = t.layout.dim(d[i]);
            strides[i] = t.layout.stride(d[i]);
        }
        return permuted("permute", t, d, with(t, shape, strides, t.layout.offset()));
    }

    // ---------------------------------------------------------------- sub-ranges

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        int d = Shapes.wrapDim("narrow", dim, t.layout.rank());
        int size = t.layout.dim(d);
        int s = start < 0 ? start + size : start;
        if (s < 0 || s > size) {
            throw new IllegalArgumentException("narrow: start " + start + " is out of range for dimension " + d
                    + " of size " + size + " in " + format(t.layout.shape()));
        }
        if (length < 0 || s + length > size) {
            throw new IllegalArgumentException("narrow: start " + s + " + length " + length + " exceeds dimension "
                    + d + " of size " + size + " in " + format(t.layout.shape()));
        }
        int[] shape = t.layout.shape();
        shape[d] = length;
        int offset = length == 0 ? t.layout.offset() : t.layout.offset() + s * t.layout.stride(d);
        return sliced("narrow", t, d, s, 1, false, with(t, shape, t.layout.strides(), offset));
    }

    static Tensor select(Tensor t, int dim, int index) {
        int rank = t.layout.rank();
        int d = Shapes.wrapDim("select", dim, rank);
        int size = t.layout.dim(d);
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("select: index " + index + " is out of bounds for dimension " + d
                    + " with size " + size + " in " + format(t.layout.shape()));
        }
        int[] shape = new int[rank - 1];
        int[] strides = new int[rank - 1];
        for (int k = 0, j = 0; k < rank; k++) {
            if (k != d) {
                shape[j] = t.layout.dim(k);
                strides[j++] = t.layout.stride(k);
            }
        }
        return sliced("select", t, d, i, 1, true, with(t, shape, strides, t.layout.offset() + i * t.layout.stride(d)));
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        int d = Shapes.wrapDim("slice", dim, t.layout.rank());
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be > 0, got " + step);
        }
        int size = t.layout.dim(d);
        long s = start < 0 ? (long) start + size : start;
        long e = end < 0 ? (long) end + size : end;
        s = Math.clamp(s, 0, size);
        e = Math.clamp(e, 0, size);
        int length = e > s ? (int) ((e - s + step - 1) / step) : 0;
        int[] shape = t.layout.shape();
        int[] strides = t.layout.strides();
        shape[d] = length;
        int offset = length == 0 ? t.layout.offset() : t.layout.offset() + (int) s * strides[d];
        strides[d] *= step;
        return sliced("slice", t, d, (int) s, step, false, with(t, shape, strides, offset));
    }

    // ---------------------------------------------------------------- size-1 dimensions

    static Tensor squeeze(Tensor t) {
        int rank = t.layout.rank();
        int kept = 0;
        for (int i = 0; i < rank; i++) {
            if (t.layout.dim(i) != 1) {
                kept++;
            }
        }
        int[] shape = new int[kept];
        int[] strides = new int[kept];
        for (int i = 0, j = 0; i < rank; i++) {
            if (t.layout.dim(i) != 1) {
                shape[j] = t.layout.dim(i);
                strides[j++] = t.layout.stride(i);
            }
        }
        return reshaped("squeeze", t, with(t, shape, strides, t.layout.offset()));
    }

    static Tensor squeeze(Tensor t, int dim) {
        int rank = t.layout.rank();
        if (rank == 0 && (dim == 0 || dim == -1)) {
            return t;
        }
        int d = Shapes.wrapDim("squeeze", dim, rank);
        if (t.layout.dim(d) != 1) {
            return t;
        }
        int[] shape = new int[rank - 1];
        int[] strides = new int[rank - 1];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != d) {
                shape[j] = t.layout.dim(i);
                strides[j++] = t.layout.stride(i);
            }
        }
        return reshaped("squeeze", t, with(t, shape, strides, t.layout.offset()));
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int rank = t.layout.rank();
        if (dim < -(rank + 1) || dim > rank) {
            throw new IllegalArgumentException("unsqueeze: dim " + dim + " is out of range for a " + rank
                    + "-D tensor (valid: " + (-(rank + 1)) + ".." + rank + ")");
        }
        int d = dim < 0 ? dim + rank + 1 : dim;
        int[] shape = new int[rank + 1];
        int[] strides = new int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = d < rank ? t.layout.stride(d) * Math.max(t.layout.dim(d), 1) : 1;
            } else {
                shape[i] = t.layout.dim(j);
                strides[i] = t.layout.stride(j++);
            }
        }
        return reshaped("unsqueeze", t, with(t, shape, strides, t.layout.offset()));
    }

    // ---------------------------------------------------------------- broadcasting

    static Tensor expand(String op, Tensor t, int[] sizes) {
        int rank = t.layout.rank();
        if (sizes.length < rank) {
            throw new ShapeException(op + ": cannot expand " + format(t.layout.shape()) + " to " + format(sizes)
                    + ": the target has " + sizes.length + " dimensions but the tensor has " + rank);
        }
        int lead = sizes.length - rank;
        int[] shape = new int[sizes.length];
        int[] strides = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int j = i - lead;
            int want = sizes[i];
            if (j < 0) {
                if (want < 0) {
                    throw new IllegalArgumentException(op + ": size " + want + " at new leading dimension " + i
                            + " of " + format(sizes) + "; -1 (keep) is allowed only for existing dimensions");
                }
                shape[i] = want;
                strides[i] = 0;
                continue;
            }
            int have = t.layout.dim(j);
            if (want == -1 || want == have) {
                shape[i] = have;
                strides[i] = t.layout.stride(j);
            } else if (want < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + want + " in " + format(sizes));
            } else if (have == 1) {
                shape[i] = want;
                strides[i] = 0;
            } else {
                throw new ShapeException(op + ": cannot expand " + format(t.layout.shape()) + " to " + format(sizes)
                        + ": dimension " + i + " has size " + have + " (target " + want
                        + "); only dimensions of size 1 can be expanded");
            }
        }
        Shapes.numel(shape);
        Tensor out = with(t, shape, strides, t.layout.offset());
        return GradBridge.recording(t) ? GradBridge.hook().expanded(op, t, out) : out;
    }

    /**
     * The layout of {@code l} read with {@code shape}, which it is known to broadcast to: missing leading
     * dimensions and expanded size-1 dimensions get stride 0.
     */
    static Layout broadcastLayout(Layout l, int[] shape) {
        int lead = shape.length - l.rank();
        int[] strides = new int[shape.length];
        for (int i = lead; i < shape.length; i++) {
            int j = i - lead;
            strides[i] = l.dim(j) == shape[i] ? l.stride(j) : 0;
        }
        return new Layout(shape, strides, l.offset());
    }

    // ---------------------------------------------------------------- copies

    static Tensor contiguous(Tensor t) {
        return t.layout.isContiguous() ? t : copied("contiguous", t, copy(t));
    }

    static Tensor clone(Tensor t) {
        return copied("clone", t, copy(t));
    }

    /** A contiguous copy made by the current backend; records nothing. */
    static Tensor copy(Tensor t) {
        Backend b = Backends.current();
        Storage out = b.allocate(t.layout.size());
        if (t.layout.size() > 0) {
            b.copy(t.storage, t.layout, out);
        }
        return Tensor.fresh(out, t.layout.shape(), b);
    }

    /** Contiguous and starting at storage index 0, as the image kernels need. */
    static Tensor dense(Tensor t) {
        return t.layout.isContiguous() && t.layout.offset() == 0 ? t : copy(t);
    }

    private static void swap(int[] a, int i, int j) {
        int x = a[i];
        a[i] = a[j];
        a[j] = x;
    }
}
