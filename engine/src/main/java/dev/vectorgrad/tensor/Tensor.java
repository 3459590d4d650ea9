package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An n-dimensional array of float32 values: a {@link Storage} plus a {@link Layout} (shape, strides,
 * offset), with PyTorch's names and semantics.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}});
 * Tensor y = x.matmul(x.t()).add(1).relu();      // (2,2)
 * y.sum(1, true);                                 // (2,1)
 * x.reshape(-1);                                  // a view: shares x's storage
 * }</pre>
 *
 * <ul>
 *   <li><b>Immutable in layout.</b> Every operation returns a new tensor. View operations
 *       ({@code reshape} when possible, {@code view}, {@code transpose}, {@code select}, {@code slice},
 *       {@code expand}, ...) share this tensor's storage; everything else writes a fresh contiguous
 *       output.</li>
 *   <li><b>Backends.</b> Operations run on {@link Backends#current()}, which allocates their outputs.
 *       The storage of a tensor stays with the backend that made it ({@link #backend()}), which is
 *       also the one that reads it back ({@link #toArray()}, {@link #toString()}); {@link #to(String)}
 *       moves it.</li>
 *   <li><b>Dimensions</b> may be negative wherever one is taken ({@code -1} is the last).</li>
 *   <li><b>Errors</b> are {@link IllegalArgumentException}s ({@link ShapeException} for shapes that do
 *       not fit) that name the operation and the shapes involved.</li>
 *   <li><b>Gradients</b> are PyTorch's define-by-run autograd: mark leaves with {@link #requiresGrad()},
 *       compute, call {@link #backward()} on the (scalar) result and read {@link #grad()} on the leaves.
 *       Every operation on a tensor that requires gradients records a graph node
 *       ({@link #gradFn()}); inside {@code try (var g = Grad.off()) { ... }} nothing is recorded.
 *       The graph machinery is {@code dev.vectorgrad.autograd}.</li>
 * </ul>
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad();
 * Tensor loss = x.matmul(w).sigmoid().sub(y).square().mean();
 * loss.backward();
 * w.grad();                                  // dloss/dw, shape (3,2)
 * try (var g = Grad.off()) {
 *     w.addInPlace(w.grad(), -0.1f);         // one SGD step, not recorded
 * }
 * w.zeroGrad();
 * }</pre>
 */
public final class Tensor {

    final Storage storage;
    final Layout layout;
    final Backend backend;

    // Autograd state (written by this class and GradBridge.Binder only).
    boolean requiresGrad;
    GradFn gradFn;
    private Tensor grad;
    private boolean retainsGrad;

    Tensor(Storage storage, Layout layout, Backend backend) {
        this.storage = storage;
        this.layout = layout;
        this.backend = backend;
    }

    /** A fresh contiguous tensor over storage {@code s} made by backend {@code b}. */
    static Tensor fresh(Storage s, int[] shape, Backend b) {
        return new Tensor(s, Layout.contiguous(shape), b);
    }

    /**
     * A tensor over existing storage, for backends and other packages that produce storages (a device
     * backend, the serializer). {@code backend} is the one that owns {@code storage}. The layout must
     * stay inside the storage.
     */
    public static Tensor wrap(Storage storage, Layout layout, Backend backend) {
        Objects.requireNonNull(storage, "wrap: storage is null");
        Objects.requireNonNull(layout, "wrap: layout is null");
        Objects.requireNonNull(backend, "wrap: backend is null");
        if (layout.size() > 0) {
            long lo = layout.offset();
            long hi = layout.offset();
            for (int d = 0; d < layout.rank(); d++) {
                long span = (long) (layout.dim(d) - 1) * layout.stride(d);
                if (span < 0) {
                    lo += span;
                } else {
                    hi += span;
                }
            }
            if (lo < 0 || hi >= storage.size()) {
                throw new IllegalArgumentException("wrap: " + layout + " reaches elements " + lo + ".." + hi
                        + " outside a storage of " + storage.size() + " elements");
            }
        }
        return new Tensor(storage, layout, backend);
    }

    // ================================================================ creation

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor of(float... values) {
        return Creation.of(values);
    }

    /** A 2-D tensor from rows of equal length (a ragged array is an error). */
    public static Tensor of(float[][] rows) {
        return Creation.of(rows);
    }

    /** A 3-D tensor from a nested array of equal-sized blocks. */
    public static Tensor of(float[][][] blocks) {
        return Creation.of(blocks);
    }

    /** A 0-D tensor holding one value. */
    public static Tensor scalar(float value) {
        return Creation.own(new float[] {value}, new int[0]);
    }

    /** A tensor of the given shape holding a copy of {@code data} in row-major order. */
    public static Tensor fromArray(float[] data, int... shape) {
        return Creation.fromArray(data, shape);
    }

    /**
     * A new contiguous tensor of the given shape filled with 0, on the current backend; {@code zeros()} is
     * 0-D. A negative size is an {@link IllegalArgumentException}.
     */
    public static Tensor zeros(int... shape) {
        return Creation.full("zeros", 0f, shape);
    }

    /** A new contiguous tensor of the given shape filled with 1, on the current backend ({@code ones()} is 0-D). */
    public static Tensor ones(int... shape) {
        return Creation.full("ones", 1f, shape);
    }

    /**
     * A new contiguous tensor of the given shape with every element {@code value}. PyTorch's
     * {@code full(size, fill_value)}, with the value first here because the shape is varargs.
     */
    public static Tensor full(float value, int... shape) {
        return Creation.full("full", value, shape);
    }

    /**
     * Zeros of {@code t}'s shape (PyTorch's {@code zeros_like}): a new contiguous tensor on the current backend,
     * not necessarily {@code t}'s, that does not require gradients.
     */
    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape());
    }

    /** Ones of {@code t}'s shape ({@code ones_like}), a new tensor on the current backend; see {@link #zerosLike}. */
    public static Tensor onesLike(Tensor t) {
        return ones(t.shape());
    }

    /** {@code value} everywhere in {@code t}'s shape ({@code full_like}); see {@link #zerosLike}. */
    public static Tensor fullLike(Tensor t, float value) {
        return full(value, t.shape());
    }

    /** {@code 0, 1, ..., end-1}. */
    public static Tensor arange(int end) {
        return Creation.arange(0, end, 1);
    }

    /** {@code start, start+1, ...} below {@code end}. */
    public static Tensor arange(float start, float end) {
        return Creation.arange(start, end, 1);
    }

    /** {@code start, start+step, ...} up to (excluding) {@code end}; {@code step} may be negative. */
    public static Tensor arange(float start, float end, float step) {
        return Creation.arange(start, end, step);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end}, both included. */
    public static Tensor linspace(float start, float end, int steps) {
        return Creation.linspace(start, end, steps);
    }

    /** The {@code n x n} identity matrix. */
    public static Tensor eye(int n) {
        return Creation.eye(n, n);
    }

    /** An {@code n x m} matrix with ones on the main diagonal. */
    public static Tensor eye(int n, int m) {
        return Creation.eye(n, m);
    }

    /** Uniform in {@code [0, 1)} from the global generator ({@link Rng#global()}). */
    public static Tensor rand(int... shape) {
        return Creation.rand(Rng.global(), shape);
    }

    /**
     * Uniform in {@code [0, 1)} from {@code rng} (PyTorch's {@code rand(..., generator=rng)}); the same seed gives
     * the same values on every backend.
     */
    public static Tensor rand(Rng rng, int... shape) {
        return Creation.rand(rng, shape);
    }

    /** Standard normal from the global generator. */
    public static Tensor randn(int... shape) {
        return Creation.randn(Rng.global(), shape);
    }

    /** Standard normal (mean 0, standard deviation 1) from {@code rng}: {@code randn(..., generator=rng)}. */
    public static Tensor randn(Rng rng, int... shape) {
        return Creation.randn(rng, shape);
    }

    /** Uniform in {@code [lo, hi)} from the global generator. */
    public static Tensor uniform(float lo, float hi, int... shape) {
        return Creation.uniform(Rng.global(), lo, hi, shape);
    }

    /**
     * Uniform in {@code [lo, hi)} from {@code rng}, PyTorch's {@code empty(shape).uniform_(lo, hi)}; an
     * {@link IllegalArgumentException} unless {@code lo <= hi} and both are finite.
     */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        return Creation.uniform(rng, lo, hi, shape);
    }

    /** Concatenates tensors along an existing dimension; the others must agree. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return JoinOps.cat("cat", tensors, dim);
    }

    /** Concatenates along dimension 0. */
    public static Tensor cat(Tensor... tensors) {
        return JoinOps.cat("cat", Arrays.asList(tensors), 0);
    }

    /** Stacks equal-shaped tensors along a new dimension {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return JoinOps.stack(tensors, dim);
    }

    /** Stacks equal-shaped tensors along a new leading dimension: a batch. */
    public static Tensor stack(Tensor... tensors) {
        return JoinOps.stack(Arrays.asList(tensors), 0);
    }

    // ================================================================ accessors

    /** The shape (a copy). */
    public int[] shape() {
        return layout.shape();
    }

    /** The shape (a copy); PyTorch's {@code size()}. */
    public int[] size() {
        return layout.shape();
    }

    /** The size of one dimension. */
    public int size(int dim) {
        return layout.dim(Shapes.wrapDim("size", dim, layout.rank()));
    }

    /** Strides in elements (a copy). */
    public int[] stride() {
        return layout.strides();
    }

    /** The stride (in elements) of one dimension; 0 for a dimension that {@link #expand} broadcast. */
    public int stride(int dim) {
        return layout.stride(Shapes.wrapDim("stride", dim, layout.rank()));
    }

    /** Index in the storage of the first element. */
    public int storageOffset() {
        return layout.offset();
    }

    /** Number of dimensions. */
    public int ndim() {
        return layout.rank();
    }

    /** Alias of {@link #ndim()}. */
    public int dim() {
        return layout.rank();
    }

    /** Number of elements. */
    public int numel() {
        return layout.size();
    }

    /** True when the elements lie row-major without gaps in the storage. */
    public boolean isContiguous() {
        return layout.isContiguous();
    }

    /** The immutable layout (shape, strides, storage offset) through which this tensor sees its storage. */
    public Layout layout() {
        return layout;
    }

    /**
     * The storage behind this tensor, shared with every view of it and possibly holding more elements than
     * {@link #numel()}; for backends and serializers (read values with {@link #toArray()}).
     */
    public Storage storage() {
        return storage;
    }

    /** The backend that owns this tensor's storage (and reads it back). */
    public Backend backend() {
        return backend;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (layout.size() != 1) {
            throw new IllegalArgumentException("item: a tensor with " + layout.size() + " elements (shape "
                    + Shapes.format(layout.shape()) + ") cannot be converted to a single value; only one-element"
                    + " tensors can");
        }
        return readAt(layout.offset());
    }

    /** The element at {@code index} (one entry per dimension, negative counting from the end). */
    public float get(int... index) {
        int rank = layout.rank();
        if (index.length != rank) {
            throw new IllegalArgumentException("get: " + index.length + " indices given for a " + rank
                    + "-D tensor of shape " + Shapes.format(layout.shape()));
        }
        int p = layout.offset();
        for (int d = 0; d < rank; d++) {
            int size = layout.dim(d);
            int i = index[d] < 0 ? index[d] + size : index[d];
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException("get: index " + index[d] + " is out of bounds for dimension " + d
                        + " with size " + size + " (shape " + Shapes.format(layout.shape()) + ")");
            }
            p += i * layout.stride(d);
        }
        return readAt(p);
    }

    private float readAt(int storageIndex) {
        return backend.toArray(storage, new Layout(new int[0], new int[0], storageIndex))[0];
    }

    /** The elements in row-major order, in a new array. */
    public float[] toArray() {
        return layout.size() == 0 ? new float[0] : backend.toArray(storage, layout);
    }

    /** A 2-D tensor as {@code float[rows][cols]}. */
    public float[][] toFloatArray2D() {
        if (layout.rank() != 2) {
            throw new IllegalArgumentException("toFloatArray2D: expects a 2-D tensor, got "
                    + Shapes.format(layout.shape()));
        }
        float[] v = toArray();
        int rows = layout.dim(0);
        int cols = layout.dim(1);
        float[][] out = new float[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(v, i * cols, (i + 1) * cols);
        }
        return out;
    }

    /** A 3-D tensor as {@code float[d0][d1][d2]}. */
    public float[][][] toFloatArray3D() {
        if (layout.rank() != 3) {
            throw new IllegalArgumentException("toFloatArray3D: expects a 3-D tensor, got "
                    + Shapes.format(layout.shape()));
        }
        float[] v = toArray();
        int d0 = layout.dim(0);
        int d1 = layout.dim(1);
        int d2 = layout.dim(2);
        float[][][] out = new float[d0][d1][];
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                int from = (i * d1 + j) * d2;
                out[i][j] = Arrays.copyOfRange(v, from, from + d2);
            }
        }
        return out;
    }

    /** This tensor on another backend ("scalar", "simd", "gpu"); itself if already there. */
    public Tensor to(String backendName) {
        return to(Backends.get(backendName));
    }

    /**
     * This tensor on backend {@code target}: itself if already there, else a contiguous copy made by
     * {@code target}. Recorded by autograd; the gradient goes back to this tensor's backend.
     */
    public Tensor to(Backend target) {
        Objects.requireNonNull(target, "to: backend is null");
        if (target == backend) {
            return this;
        }
        Tensor moved = new Tensor(target.fromArray(toArray()), Layout.contiguous(layout.shape()), target);
        return GradBridge.recording(this) ? GradBridge.hook().copied("to", this, moved) : moved;
    }

    /**
     * This tensor with its data in host memory, on the default host backend
     * ({@link Backends#host()}: "simd" when available, else "scalar"); itself when its storage is
     * already host memory (a "scalar" or "simd" tensor). From a device this is one download, counted
     * by the device backend. Recorded by autograd like {@link #to(Backend)}.
     */
    public Tensor toHost() {
        return storage instanceof HostStorage ? this : to(Backends.host());
    }

    // ================================================================ views (share storage)

    /** The same elements with another shape (one size may be -1): a view when the strides allow, else a copy. */
    public Tensor reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    /** Like {@link #reshape} but never copies: an error if the strides cannot express the new shape. */
    public Tensor view(int... shape) {
        return Views.view(this, shape);
    }

    /** All dimensions merged into one. */
    public Tensor flatten() {
        return Views.flatten(this, 0, -1);
    }

    /** Dimensions {@code startDim..endDim} (inclusive) merged into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    /** Swaps two dimensions. */
    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** The transpose of a matrix; 0-D and 1-D tensors are returned as they are. */
    public Tensor t() {
        return Views.t(this);
    }

    /** Transposes the last two dimensions (a batch of matrices). */
    public Tensor mT() {
        return Views.mT(this);
    }

    /** Reorders the dimensions: {@code permute(0, 2, 3, 1)} turns NCHW into NHWC. */
    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** {@code length} entries of dimension {@code dim} starting at {@code start}. */
    public Tensor narrow(int dim, int start, int length) {
        return Views.narrow(this, dim, start, length);
    }

    /** Entry {@code index} of dimension {@code dim}, which disappears. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** Entries {@code start..end-1} of {@code dim}; negative bounds count from the end, out-of-range ones clamp. */
    public Tensor slice(int dim, int start, int end) {
        return Views.slice(this, dim, start, end, 1);
    }

    /** Every {@code step}-th entry of {@code start..end-1} along {@code dim}. */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return Views.squeeze(this);
    }

    /** Removes dimension {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** Inserts a dimension of size 1 at {@code dim} (which may be {@code ndim()}). */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** Repeats size-1 dimensions (stride 0, no copy) and adds leading ones; -1 keeps a size. */
    public Tensor expand(int... shape) {
        return Views.expand("expand", this, shape);
    }

    /** {@link #expand} under NumPy's name. */
    public Tensor broadcastTo(int... shape) {
        return Views.expand("broadcastTo", this, shape);
    }

    /**
     * Sums this tensor down to {@code shape}, a shape that broadcasts to this tensor's: the dimensions
     * broadcasting would add in front are summed away, and dimensions where {@code shape} has 1 are
     * summed keeping size 1. The adjoint of {@link #expand}; what the gradient of a broadcast operand
     * goes through. PyTorch's {@code sum_to_size}.
     */
    public Tensor sumToSize(int... shape) {
        Objects.requireNonNull(shape, "sumToSize: shape is null");
        int[] from = layout.shape();
        if (Arrays.equals(from, shape)) {
            return this;
        }
        int lead = from.length - shape.length;
        boolean fits = lead >= 0;
        for (int i = 0; fits && i < shape.length; i++) {
            fits = shape[i] == from[lead + i] || shape[i] == 1;
        }
        if (!fits) {
            throw new ShapeException("sumToSize: " + Shapes.format(from) + " cannot be summed to "
                    + Shapes.format(shape) + "; the target must broadcast to the tensor's shape");
        }
        int[] dims = new int[from.length];
        int n = 0;
        for (int d = 0; d < from.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && from[d] != 1)) {
                dims[n++] = d;
            }
        }
        Tensor r = n == 0 ? this : sum(Arrays.copyOf(dims, n), true);
        return r.reshape(shape);
    }

    /** Itself if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return Views.contiguous(this);
    }

    /** A contiguous copy that shares nothing with this tensor. */
    @Override
    public Tensor clone() {
        return Views.clone(this);
    }

    // ================================================================ elementwise: unary

    /** {@code -x} elementwise. */
    public Tensor neg() {
        return ElementwiseOps.unary(this, UnaryOp.NEG, 0f, 0f);
    }

    /** {@code |x|} elementwise; the gradient is {@code sign(x)}, taken as 0 at 0. */
    public Tensor abs() {
        return ElementwiseOps.unary(this, UnaryOp.ABS, 0f, 0f);
    }

    /** {@code e^x} elementwise. */
    public Tensor exp() {
        return ElementwiseOps.unary(this, UnaryOp.EXP, 0f, 0f);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return ElementwiseOps.unary(this, UnaryOp.LOG, 0f, 0f);
    }

    /** Square root elementwise (NaN for negative elements). */
    public Tensor sqrt() {
        return ElementwiseOps.unary(this, UnaryOp.SQRT, 0f, 0f);
    }

    /** {@code x * x} elementwise. */
    public Tensor square() {
        return ElementwiseOps.unary(this, UnaryOp.SQUARE, 0f, 0f);
    }

    /** Each element to the power {@code exponent}. */
    public Tensor pow(float exponent) {
        return ElementwiseOps.unary(this, UnaryOp.POW, exponent, 0f);
    }

    /** {@code 1 / x} elementwise (infinite at 0). */
    public Tensor reciprocal() {
        return ElementwiseOps.unary(this, UnaryOp.RECIPROCAL, 0f, 0f);
    }

    /** {@code max(x, 0)}. */
    public Tensor relu() {
        return ElementwiseOps.unary(this, UnaryOp.RELU, 0f, 0f);
    }

    /** {@code x} where positive, {@code slope * x} elsewhere. */
    public Tensor leakyRelu(float slope) {
        return ElementwiseOps.unary(this, UnaryOp.LEAKY_RELU, slope, 0f);
    }

    /** The logistic function {@code 1 / (1 + e^-x)} elementwise. */
    public Tensor sigmoid() {
        return ElementwiseOps.unary(this, UnaryOp.SIGMOID, 0f, 0f);
    }

    /** Hyperbolic tangent elementwise. */
    public Tensor tanh() {
        return ElementwiseOps.unary(this, UnaryOp.TANH, 0f, 0f);
    }

    /**
     * Heaviside step, the perceptron's threshold: 1 where {@code x > 0}, else 0.
     *
     * <p>Its gradient is zero <em>by definition</em>: the step is piecewise constant, so its derivative
     * is 0 everywhere except at 0, where it does not exist. A backward pass through {@code step()}
     * therefore gives every input a zero gradient, which is exactly why perceptrons with a hard
     * threshold could not be trained by backpropagation and networks use smooth activations such as
     * {@link #sigmoid()} instead.
     */
    public Tensor step() {
        return ElementwiseOps.unary(this, UnaryOp.STEP, 0f, 0f);
    }

    /** -1, 0 or 1. Piecewise constant like {@link #step()}: its gradient is zero. */
    public Tensor sign() {
        return ElementwiseOps.unary(this, UnaryOp.SIGN, 0f, 0f);
    }

    /** {@code min(max(x, min), max)}; the gradient passes where {@code min <= x <= max}, elsewhere it is 0. */
    public Tensor clamp(float min, float max) {
        return ElementwiseOps.unary(this, UnaryOp.CLAMP, min, max);
    }

    // ================================================================ elementwise: binary (broadcasting)

    /**
     * {@code this + other} elementwise, the shapes broadcasting (numpy rules); a {@link ShapeException} when
     * they cannot.
     */
    public Tensor add(Tensor other) {
        return ElementwiseOps.binary("add", BinaryOp.ADD, this, other);
    }

    /** {@code this + value} elementwise. */
    public Tensor add(float value) {
        return ElementwiseOps.add(this, value);
    }

    /** {@code this - other} elementwise, broadcasting like {@link #add(Tensor)}. */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.binary("sub", BinaryOp.SUB, this, other);
    }

    /** {@code this - value} elementwise. */
    public Tensor sub(float value) {
        return ElementwiseOps.sub(this, value);
    }

    /** {@code this * other} elementwise (not the matrix product, {@link #matmul}), broadcasting like {@code add}. */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.binary("mul", BinaryOp.MUL, this, other);
    }

    /** {@code this * value} elementwise. */
    public Tensor mul(float value) {
        return ElementwiseOps.mul(this, value);
    }

    /** {@code this / other} elementwise, broadcasting like {@link #add(Tensor)}; {@code x / 0} is infinite or NaN. */
    public Tensor div(Tensor other) {
        return ElementwiseOps.binary("div", BinaryOp.DIV, this, other);
    }

    /** {@code this / value} elementwise. */
    public Tensor div(float value) {
        return ElementwiseOps.div(this, value);
    }

    /** Elementwise power with a broadcast tensor of exponents. */
    public Tensor pow(Tensor exponent) {
        return ElementwiseOps.binary("pow", BinaryOp.POW, this, exponent);
    }

    /**
     * The larger of {@code this} and {@code other} elementwise, broadcasting (NaN propagates); not the
     * reduction {@link #max(int)}. Where the two are equal each gets half the gradient, as in PyTorch.
     */
    public Tensor maximum(Tensor other) {
        return ElementwiseOps.binary("maximum", BinaryOp.MAXIMUM, this, other);
    }

    /** {@code max(x, value)} elementwise, PyTorch's {@code clamp(min=value)}; see {@link #maximum(Tensor)}. */
    public Tensor maximum(float value) {
        return ElementwiseOps.binary("maximum", BinaryOp.MAXIMUM, this, value);
    }

    /** The smaller of {@code this} and {@code other} elementwise, broadcasting; mirrors {@link #maximum(Tensor)}. */
    public Tensor minimum(Tensor other) {
        return ElementwiseOps.binary("minimum", BinaryOp.MINIMUM, this, other);
    }

    /** {@code min(x, value)} elementwise, PyTorch's {@code clamp(max=value)}; see {@link #maximum(Tensor)}. */
    public Tensor minimum(float value) {
        return ElementwiseOps.binary("minimum", BinaryOp.MINIMUM, this, value);
    }

    /** 1 where equal, else 0. */
    public Tensor eq(Tensor other) {
        return ElementwiseOps.binary("eq", BinaryOp.EQ, this, other);
    }

    /** 1 where equal to {@code value}, else 0. */
    public Tensor eq(float value) {
        return ElementwiseOps.binary("eq", BinaryOp.EQ, this, value);
    }

    /**
     * 1 where {@code this != other}, else 0 (broadcasting). Like every comparison the result is a float mask
     * (PyTorch's is bool) and is never recorded by autograd.
     */
    public Tensor ne(Tensor other) {
        return ElementwiseOps.binary("ne", BinaryOp.NE, this, other);
    }

    /** 1 where not equal to {@code value}, else 0. */
    public Tensor ne(float value) {
        return ElementwiseOps.binary("ne", BinaryOp.NE, this, value);
    }

    /** 1 where {@code this > other}, else 0 (broadcasting; a float mask, never recorded by autograd). */
    public Tensor gt(Tensor other) {
        return ElementwiseOps.binary("gt", BinaryOp.GT, this, other);
    }

    /** 1 where {@code x > value}, else 0. */
    public Tensor gt(float value) {
        return ElementwiseOps.binary("gt", BinaryOp.GT, this, value);
    }

    /** 1 where {@code this >= other}, else 0 (broadcasting; a float mask, never recorded by autograd). */
    public Tensor ge(Tensor other) {
        return ElementwiseOps.binary("ge", BinaryOp.GE, this, other);
    }

    /** 1 where {@code x >= value}, else 0. */
    public Tensor ge(float value) {
        return ElementwiseOps.binary("ge", BinaryOp.GE, this, value);
    }

    /** 1 where {@code this < other}, else 0 (broadcasting; a float mask, never recorded by autograd). */
    public Tensor lt(Tensor other) {
        return ElementwiseOps.binary("lt", BinaryOp.LT, this, other);
    }

    /** 1 where {@code x < value}, else 0. */
    public Tensor lt(float value) {
        return ElementwiseOps.binary("lt", BinaryOp.LT, this, value);
    }

    /** 1 where {@code this <= other}, else 0 (broadcasting; a float mask, never recorded by autograd). */
    public Tensor le(Tensor other) {
        return ElementwiseOps.binary("le", BinaryOp.LE, this, other);
    }

    /** 1 where {@code x <= value}, else 0. */
    public Tensor le(float value) {
        return ElementwiseOps.binary("le", BinaryOp.LE, this, value);
    }

    /** {@code a} where {@code cond} is non-zero, else {@code b}; all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return ElementwiseOps.where(cond, a, b);
    }

    // ================================================================ reductions

    /** Sum of all elements (0-D). */
    public Tensor sum() {
        return ReduceOps.all(ReduceOp.SUM, this);
    }

    /** Sum along {@code dim}, which is removed: {@code sum(1)} of a (2,3) tensor has shape (2). */
    public Tensor sum(int dim) {
        return ReduceOps.dims(ReduceOp.SUM, this, new int[] {dim}, false);
    }

    /** Sum along {@code dim}; with {@code keepDim} it stays as size 1, so the result broadcasts against this tensor. */
    public Tensor sum(int dim, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.SUM, this, new int[] {dim}, keepDim);
    }

    /** Sum over several dimensions (all of them when {@code dims} is empty). */
    public Tensor sum(int[] dims, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.SUM, this, dims, keepDim);
    }

    /** Mean of all elements (NaN for an empty tensor). */
    public Tensor mean() {
        return ReduceOps.meanAll(this);
    }

    /** Mean along {@code dim}, which is removed (NaN where that dimension has size 0). */
    public Tensor mean(int dim) {
        return ReduceOps.mean(this, new int[] {dim}, false);
    }

    /** Mean along {@code dim}, kept as size 1 when {@code keepDim}. */
    public Tensor mean(int dim, boolean keepDim) {
        return ReduceOps.mean(this, new int[] {dim}, keepDim);
    }

    /** Mean over several dimensions (all of them when {@code dims} is empty), kept as size 1 when {@code keepDim}. */
    public Tensor mean(int[] dims, boolean keepDim) {
        return ReduceOps.mean(this, dims, keepDim);
    }

    /** Largest element (0-D). */
    public Tensor max() {
        return ReduceOps.all(ReduceOp.MAX, this);
    }

    /** Largest values along {@code dim} (their positions: {@link #argmax(int, boolean)}). */
    public Tensor max(int dim) {
        return ReduceOps.dims(ReduceOp.MAX, this, new int[] {dim}, false);
    }

    /**
     * Largest values along {@code dim}, kept as size 1 when {@code keepDim}. Values only (PyTorch's
     * {@code max(dim)} also returns indices: {@link #argmax(int, boolean)}); the gradient goes to the first maximum.
     */
    public Tensor max(int dim, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.MAX, this, new int[] {dim}, keepDim);
    }

    /**
     * Largest values over several dimensions (all of them when {@code dims} is empty), PyTorch's {@code amax};
     * NaN propagates, and a reduced dimension of size 0 is an {@link IllegalArgumentException}.
     */
    public Tensor max(int[] dims, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.MAX, this, dims, keepDim);
    }

    /** Smallest element (0-D); NaN if any element is NaN, an {@link IllegalArgumentException} for an empty tensor. */
    public Tensor min() {
        return ReduceOps.all(ReduceOp.MIN, this);
    }

    /** Smallest values along {@code dim}, which is removed (their positions: {@link #argmin(int, boolean)}). */
    public Tensor min(int dim) {
        return ReduceOps.dims(ReduceOp.MIN, this, new int[] {dim}, false);
    }

    /** Smallest values along {@code dim}, kept as size 1 when {@code keepDim}; see {@link #max(int, boolean)}. */
    public Tensor min(int dim, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.MIN, this, new int[] {dim}, keepDim);
    }

    /** Smallest values over several dimensions (all of them when {@code dims} is empty), PyTorch's {@code amin}. */
    public Tensor min(int[] dims, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.MIN, this, dims, keepDim);
    }

    /** Row-major index of the first largest element, as a 0-D float. */
    public Tensor argmax() {
        return ReduceOps.all(ReduceOp.ARGMAX, this);
    }

    /**
     * Index of the first largest element along {@code dim}, which is removed, as float values (PyTorch's
     * are int64). NaN counts as the largest; never recorded by autograd.
     */
    public Tensor argmax(int dim) {
        return ReduceOps.dims(ReduceOp.ARGMAX, this, new int[] {dim}, false);
    }

    /** Index of the first largest element along {@code dim}, as float values. */
    public Tensor argmax(int dim, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.ARGMAX, this, new int[] {dim}, keepDim);
    }

    /** Row-major index of the first smallest element, as a 0-D float (NaN counts as the smallest). */
    public Tensor argmin() {
        return ReduceOps.all(ReduceOp.ARGMIN, this);
    }

    /** Index of the first smallest element along {@code dim}, which is removed, as float values. */
    public Tensor argmin(int dim) {
        return ReduceOps.dims(ReduceOp.ARGMIN, this, new int[] {dim}, false);
    }

    /** Index of the first smallest element along {@code dim}, kept as size 1 when {@code keepDim}, as float values. */
    public Tensor argmin(int dim, boolean keepDim) {
        return ReduceOps.dims(ReduceOp.ARGMIN, this, new int[] {dim}, keepDim);
    }

    /** Unbiased variance (divides by n-1) of all elements. */
    public Tensor var() {
        return ReduceOps.varAll(this, true);
    }

    /** Unbiased variance along {@code dim}. */
    public Tensor var(int dim) {
        return ReduceOps.var(this, new int[] {dim}, true, false);
    }

    /** Variance along {@code dim}, dividing by n-1 when {@code unbiased}, else by n. */
    public Tensor var(int dim, boolean unbiased, boolean keepDim) {
        return ReduceOps.var(this, new int[] {dim}, unbiased, keepDim);
    }

    /**
     * Variance over several dimensions (all of them when {@code dims} is empty), dividing by n-1 when
     * {@code unbiased} (NaN for a single element), else by n.
     */
    public Tensor var(int[] dims, boolean unbiased, boolean keepDim) {
        return ReduceOps.var(this, dims, unbiased, keepDim);
    }

    /** Unbiased standard deviation of all elements. */
    public Tensor std() {
        return var().sqrt();
    }

    /** Unbiased standard deviation along {@code dim}, which is removed: {@code var(dim).sqrt()}. */
    public Tensor std(int dim) {
        return var(dim).sqrt();
    }

    /** Standard deviation along {@code dim}, the square root of {@link #var(int, boolean, boolean)}. */
    public Tensor std(int dim, boolean unbiased, boolean keepDim) {
        return var(dim, unbiased, keepDim).sqrt();
    }

    /** Standard deviation over several dimensions, the square root of {@link #var(int[], boolean, boolean)}. */
    public Tensor std(int[] dims, boolean unbiased, boolean keepDim) {
        return var(dims, unbiased, keepDim).sqrt();
    }

    /** Softmax along {@code dim} (stable for large inputs). */
    public Tensor softmax(int dim) {
        return ReduceOps.softmax(this, dim, false);
    }

    /** Log of the softmax along {@code dim}, computed without forming the softmax. */
    public Tensor logSoftmax(int dim) {
        return ReduceOps.softmax(this, dim, true);
    }

    // ================================================================ linear algebra

    /**
     * Matrix product with PyTorch's rules: 1-D x 1-D is a dot product (0-D), a 1-D operand is treated
     * as a row (left) or column (right) vector whose dimension is removed again, and operands with more
     * than two dimensions are batches of matrices whose batch dimensions broadcast.
     */
    public Tensor matmul(Tensor other) {
        return LinalgOps.matmul("matmul", this, other);
    }

    /** Product of two matrices (2-D only). */
    public Tensor mm(Tensor other) {
        return LinalgOps.mm(this, other);
    }

    /** Dot product of two 1-D tensors of equal length (0-D). */
    public Tensor dot(Tensor other) {
        return LinalgOps.dot(this, other);
    }

    /** Outer product of two 1-D tensors: {@code (n) x (m) -> (n,m)}. */
    public Tensor outer(Tensor other) {
        return LinalgOps.outer(this, other);
    }

    // ================================================================ images (NCHW)

    /** 2-D cross-correlation, stride 1, no padding, no bias. Input (N,C,H,W), weight (K,C,kH,kW). */
    public Tensor conv2d(Tensor weight) {
        return ImageOps.conv2d(this, weight, null, new int[] {1, 1}, new int[] {0, 0});
    }

    /** 2-D cross-correlation without bias. */
    public Tensor conv2d(Tensor weight, int stride, int padding) {
        return ImageOps.conv2d(this, weight, null, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** 2-D cross-correlation; {@code bias} (K) may be null. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        return ImageOps.conv2d(this, weight, bias, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** 2-D cross-correlation with (height, width) stride and padding; {@code bias} may be null. */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding) {
        return ImageOps.conv2d(this, weight, bias, stride, padding);
    }

    /** Max pooling over {@code kernel x kernel} windows with stride {@code kernel}. */
    public Tensor maxPool2d(int kernel) {
        return maxPool2d(kernel, kernel, 0);
    }

    /**
     * Max pooling of an (N,C,H,W) input over {@code kernel x kernel} windows: output size
     * {@code (H + 2*padding - kernel) / stride + 1} (rounded down), padding at most {@code kernel / 2}, padded
     * cells never win. The gradient goes to each window's first maximum.
     */
    public Tensor maxPool2d(int kernel, int stride, int padding) {
        return ImageOps.maxPool2d(this, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding});
    }

    /** {@link #maxPool2d(int, int, int)} with (height, width) pairs for kernel, stride and padding. */
    public Tensor maxPool2d(int[] kernel, int[] stride, int[] padding) {
        return ImageOps.maxPool2d(this, kernel, stride, padding);
    }

    /** Average pooling over {@code kernel x kernel} windows with stride {@code kernel}. */
    public Tensor avgPool2d(int kernel) {
        return avgPool2d(kernel, kernel, 0, true);
    }

    /** Average pooling; padded cells count in the divisor (PyTorch's default). */
    public Tensor avgPool2d(int kernel, int stride, int padding) {
        return avgPool2d(kernel, stride, padding, true);
    }

    /**
     * Average pooling (sizes as {@link #maxPool2d(int, int, int)}); each window divides by {@code kernel * kernel}
     * when {@code countIncludePad}, else by its cells inside the image (PyTorch's {@code count_include_pad}).
     */
    public Tensor avgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        return ImageOps.avgPool2d(this, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}, countIncludePad);
    }

    /** {@link #avgPool2d(int, int, int, boolean)} with (height, width) pairs for kernel, stride and padding. */
    public Tensor avgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return ImageOps.avgPool2d(this, kernel, stride, padding, countIncludePad);
    }

    /** Mean over each channel's whole image: (N,C,H,W) to (N,C,1,1). */
    public Tensor globalAvgPool2d() {
        return ImageOps.globalAvgPool2d(this);
    }

    // ================================================================ autograd

    /**
     * Marks this leaf as needing gradients, as PyTorch's {@code requires_grad_()}; returns this tensor
     * for chaining: {@code Tensor w = Tensor.randn(3, 2).requiresGrad();}.
     */
    public Tensor requiresGrad() {
        return requiresGrad(true);
    }

    /**
     * Sets whether operations on this leaf are recorded so that {@link #backward()} can compute its
     * gradient. Only leaves can change it (a computed tensor requires gradients exactly when one of its
     * inputs does); use {@link #detach()} to cut a computed tensor out of the graph.
     */
    public Tensor requiresGrad(boolean requiresGrad) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can change their requiresGrad flag; this"
                    + " tensor was computed by " + gradFn.name() + ". To use it without gradients, call detach()");
        }
        if (requiresGrad) {
            GradBridge.hook(); // the autograd package must be there before anything records
        }
        this.requiresGrad = requiresGrad;
        return this;
    }

    /**
     * Whether gradients flow to this tensor (PyTorch's {@code requires_grad}): true for leaves marked
     * with {@link #requiresGrad()} and for every tensor computed from one while grad mode was on. The
     * JavaBeans getter of the {@code requiresGrad} property; {@code requiresGrad()} itself is the setter
     * that returns this tensor.
     */
    public boolean isRequiresGrad() {
        return requiresGrad;
    }

    /**
     * True unless this tensor was computed by a recorded operation: tensors made by factories,
     * {@link #detach()}ed ones and ones computed without recording are leaves. Only leaves that
     * require gradients receive {@link #grad()} from a backward pass.
     */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The graph node that computed this tensor (such as {@code MulBackward}), or null for a leaf. */
    public GradFn gradFn() {
        return gradFn;
    }

    /**
     * The gradient accumulated by backward passes: null until one reaches this leaf; then each
     * {@code backward()} adds to it, until {@link #zeroGrad()}. Non-leaf tensors keep no gradient
     * unless {@link #retainGrad()} asked them to.
     */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient ({@code null} clears it); it must have this tensor's shape. */
    public void setGrad(Tensor grad) {
        if (grad != null && !Arrays.equals(grad.layout.shape(), layout.shape())) {
            throw new ShapeException("setGrad: a gradient of shape " + Shapes.format(grad.layout.shape())
                    + " does not fit a tensor of shape " + Shapes.format(layout.shape()));
        }
        this.grad = grad;
    }

    /** Forgets the accumulated gradient: {@link #grad()} is null again (PyTorch's set-to-none default). */
    public void zeroGrad() {
        this.grad = null;
    }

    /**
     * Asks the backward pass to keep this non-leaf tensor's gradient in {@link #grad()} (accumulating
     * like a leaf's). Nothing to do for a leaf. Returns this tensor.
     */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: this tensor does not require grad, so no gradient will reach it");
        }
        if (gradFn != null && !retainsGrad) {
            GradBridge.hook().retainGrad(this);
        }
        retainsGrad = true;
        return this;
    }

    /** Whether backward passes store this tensor's gradient: leaves that require grad, and {@link #retainGrad()}. */
    public boolean retainsGrad() {
        return requiresGrad && (gradFn == null || retainsGrad);
    }

    /**
     * Computes the gradient of this one-element tensor (a loss) with respect to every leaf it was
     * computed from that requires gradients, adding it to their {@link #grad()}. The graph is freed
     * afterwards; see {@link #backward(Tensor, boolean)} to keep it.
     */
    public void backward() {
        GradBridge.hook().backward(this, null, false);
    }

    /**
     * The backward pass of a tensor with several elements: {@code gradient} (same shape) holds
     * d(something)/d(this), and each leaf receives d(something)/d(leaf), the vector-Jacobian product.
     */
    public void backward(Tensor gradient) {
        Objects.requireNonNull(gradient, "backward: gradient is null; use backward() for a one-element tensor");
        GradBridge.hook().backward(this, gradient, false);
    }

    /**
     * {@link #backward(Tensor)} ({@code gradient} may be null for a one-element tensor) that keeps the
     * graph when {@code retainGraph} is true, so a second backward pass can run through it. Without
     * it the saved values are released and a second pass fails with an explanation.
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        GradBridge.hook().backward(this, gradient, retainGraph);
    }

    /**
     * The same data (shared storage, same layout) as a new leaf that does not require gradients: the
     * graph stops here. Writes to one are seen by the other.
     */
    public Tensor detach() {
        return new Tensor(storage, layout, backend);
    }

    // ================================================================ in-place updates (never recorded)

    /**
     * Copies {@code src} (broadcast to this shape) into this tensor's storage and returns this tensor.
     * For optimizers and initialisation; see {@link #addInPlace} for the rules in-place updates follow.
     */
    public Tensor copyFrom(Tensor src) {
        Objects.requireNonNull(src, "copyFrom: src is null");
        checkInPlace("copyFrom");
        boolean mode = GradBridge.setEnabled(false);
        try {
            Tensor value = src.expand(layout.shape());
            writeAll(value.storage == storage ? value.clone() : value); // never read what is being written
        } finally {
            GradBridge.setEnabled(mode);
        }
        return this;
    }

    /** Sets every element to {@code value} and returns this tensor (an in-place update, see {@link #addInPlace}). */
    public Tensor fill(float value) {
        checkInPlace("fill");
        if (layout.size() > 0) {
            backend.fill(storage, layout.offset(), layout.size(), value);
        }
        return this;
    }

    /**
     * {@code this += alpha * other} ({@code other} broadcast to this shape), in place, returning this
     * tensor: the SGD step {@code w.addInPlace(w.grad(), -lr)}.
     *
     * <p>In-place updates are for optimizers and initialisation, and are never recorded:
     * <ul>
     *   <li>they are refused on a tensor that requires gradients while grad mode is on (a leaf would
     *       silently leave the graph), as in PyTorch: update parameters inside
     *       {@code try (var g = Grad.off()) { ... }};</li>
     *   <li>the tensor must be contiguous and start at the beginning of its storage (as parameters
     *       do); other views are refused;</li>
     *   <li>the new values are computed out of place by the current backend and copied into the
     *       storage by the tensor's own backend, so a device keeps its buffer;</li>
     *   <li>nothing tracks tensors a graph saved for its backward pass: updating one of those before
     *       {@code backward()} changes the gradients computed from it.</li>
     * </ul>
     */
    public Tensor addInPlace(Tensor other, float alpha) {
        Objects.requireNonNull(other, "addInPlace: other is null");
        checkInPlace("addInPlace");
        boolean mode = GradBridge.setEnabled(false);
        try {
            Tensor scaled = alpha == 1f ? other : other.mul(alpha);
            writeAll(add(scaled.expand(layout.shape())));
        } finally {
            GradBridge.setEnabled(mode);
        }
        return this;
    }

    /** {@code this *= factor}, in place, returning this tensor (see {@link #addInPlace} for the rules). */
    public Tensor mulInPlace(float factor) {
        checkInPlace("mulInPlace");
        boolean mode = GradBridge.setEnabled(false);
        try {
            writeAll(mul(factor));
        } finally {
            GradBridge.setEnabled(mode);
        }
        return this;
    }

    private void checkInPlace(String op) {
        if (requiresGrad && GradBridge.isEnabled()) {
            throw new IllegalStateException(op + ": cannot modify a tensor that requires grad while grad mode is on;"
                    + " the change would not be recorded. Update parameters inside try (var g = Grad.off()) { ... }");
        }
        if (!layout.isContiguous() || layout.offset() != 0) {
            throw new IllegalArgumentException(op + ": in-place updates need a contiguous tensor starting at storage"
                    + " index 0 (such as a parameter), got " + describe() + " at offset " + layout.offset());
        }
    }

    /**
     * Copies the elements of {@code value} (this shape, any layout) into the first {@code numel()}
     * storage slots, with this tensor's backend; values held elsewhere (another device) come over first.
     */
    private void writeAll(Tensor value) {
        if (layout.size() == 0) {
            return;
        }
        if (!value.storage.location().equals(storage.location())) {
            value = value.to(backend);
        }
        backend.copy(value.storage, value.layout, storage);
    }

    // ================================================================ comparison and printing

    /** {@code |this - other| <= atol + rtol * |other|} everywhere (shapes broadcast; NaN is never close). */
    public boolean allClose(Tensor other, double rtol, double atol) {
        Objects.requireNonNull(other, "allClose: the other tensor is null");
        int[] shape = Shapes.broadcast("allClose", layout.shape(), other.layout.shape());
        float[] a = detach().expand(shape).toArray();
        float[] b = other.detach().expand(shape).toArray();
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            if (x == y) {
                continue; // also equal infinities
            }
            if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
                return false;
            }
        }
        return true;
    }

    /** {@link #allClose(Tensor, double, double)} with PyTorch's defaults rtol = 1e-5, atol = 1e-8. */
    public boolean allClose(Tensor other) {
        return allClose(other, 1e-5, 1e-8);
    }

    /** Same shape and the same values (NaN equals NaN, 0.0 differs from -0.0, as {@link Float#equals}). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Tensor t && Arrays.equals(layout.shape(), t.layout.shape())
                && Arrays.equals(toArray(), t.toArray());
    }

    /** A hash of the shape and values, consistent with {@link #equals}; reads every element back. */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layout.shape()) + Arrays.hashCode(toArray());
    }

    /**
     * PyTorch-style text: {@code tensor([[1., 2.], [3., 4.]])}, summarized when large, ending in
     * {@code requires_grad=True} or {@code grad_fn=<MulBackward>} as PyTorch's does when gradients flow.
     */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }

    /**
     * One line for notebooks: {@code Tensor(shape=(2,3), dtype=float32, backend=simd, contiguous)}, with
     * {@code requiresGrad} or {@code gradFn=MulBackward} when gradients flow through it.
     */
    public String describe() {
        String where = storage.location().equals("host") ? "" : ", device=" + storage.location();
        String grads = gradFn != null ? ", gradFn=" + gradFn.name() : requiresGrad ? ", requiresGrad" : "";
        return "Tensor(shape=" + Shapes.format(layout.shape()) + ", dtype=float32, backend=" + backend.name() + where
                + ", " + (layout.isContiguous() ? "contiguous" : "strided " + Shapes.format(layout.strides())) + grads
                + ")";
    }

    /** Alias of {@link #describe()}. */
    public String info() {
        return describe();
    }
}
