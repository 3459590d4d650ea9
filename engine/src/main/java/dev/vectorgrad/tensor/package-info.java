/**
 * Tensors: the public API every notebook is written in.
 *
 * <p>{@link dev.vectorgrad.tensor.Tensor} is a float32 n-dimensional array with PyTorch's names and
 * semantics: creation ({@code of}, {@code zeros}, {@code arange}, {@code randn}, ...), views that share
 * storage ({@code reshape}, {@code transpose}, {@code select}, {@code expand}, ...), elementwise
 * operations with NumPy broadcasting, reductions, softmax, matrix products and NCHW convolution and
 * pooling. {@link dev.vectorgrad.tensor.Rng} makes random tensors reproducible on every backend;
 * {@link dev.vectorgrad.tensor.TensorFormatter} prints them as PyTorch does;
 * {@link dev.vectorgrad.tensor.ImageKernels} holds the convolution and pooling gradients and the
 * im2col unfolding.
 *
 * <h2>How it is built</h2>
 * <ul>
 *   <li>A tensor is a {@link dev.vectorgrad.backend.Storage}, a {@link dev.vectorgrad.backend.Layout}
 *       and the {@link dev.vectorgrad.backend.Backend} that owns the storage. Public methods on
 *       {@code Tensor} are one-liners; the work is in package-private classes by concern:
 *       {@code Creation}, {@code Views}, {@code ElementwiseOps}, {@code ReduceOps}, {@code LinalgOps},
 *       {@code ImageOps}, {@code JoinOps}.</li>
 *   <li>Shape checks happen here, before any kernel runs ({@link dev.vectorgrad.tensor.Shapes}); kernels
 *       receive validated arguments, so a mistake surfaces as an {@link java.lang.IllegalArgumentException}
 *       naming the op and the shapes, never as an index error inside a kernel.</li>
 *   <li>Operations run on {@link dev.vectorgrad.backend.Backends#current()}, which allocates the output
 *       and fills it with one kernel call. Data is read back through the owning backend's
 *       {@code toArray}; this package never looks inside a storage, so a device backend whose storage
 *       is not a host array plugs in unchanged.</li>
 * </ul>
 *
 * <h2>How other layers attach</h2>
 * <ul>
 *   <li><b>Autograd</b> ({@code dev.vectorgrad.autograd}) attaches without this package depending on
 *       it: every differentiable operation funnels through one op-class method that knows the op's
 *       name, its inputs and its output, and that method starts with one test: when an input requires
 *       gradients and grad mode is on ({@link dev.vectorgrad.tensor.GradBridge}), the operation goes to
 *       the {@link dev.vectorgrad.tensor.GradHook} the autograd package installed, which runs it with
 *       recording off and sets the output's graph slot ({@link dev.vectorgrad.tensor.GradFn}). The
 *       backward passes of convolution and pooling are public in {@code ImageKernels}; the others are
 *       compositions of the public operations.</li>
 *   <li><b>Device backends</b> keep their data resident: outputs are allocated by the current backend,
 *       {@code Tensor.to(...)} moves a tensor explicitly, and {@code Tensor.wrap} lets a backend or the
 *       serializer present its own storage as a tensor.</li>
 * </ul>
 */
package dev.vectorgrad.tensor;
