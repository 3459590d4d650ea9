package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.UnaryOp;

import java.util.List;

/**
 * The recording side of every differentiable tensor operation, implemented by
 * {@code dev.vectorgrad.autograd} and installed through {@link GradBridge#install(GradHook)}.
 *
 * <p>An operation calls its hook method instead of its kernel when an input requires gradients and
 * grad mode is on ({@link GradBridge#isEnabled()}); the hook runs the operation's forward with grad
 * mode off, so the very same public method now takes its plain path, and attaches the graph node to
 * the output. The methods mirror the funnels of this package ({@code ElementwiseOps},
 * {@code ReduceOps}, {@code LinalgOps}, {@code JoinOps}, {@code ImageOps}), so their arguments are the
 * ones the funnels already have.
 *
 * <p>Views are the one exception: a view is layout arithmetic that {@code Views} has already done by
 * the time it asks, so the view methods receive the computed view and only record how the gradient
 * is routed back to the viewed tensor.
 */
public interface GradHook {

    // ---------------------------------------------------------------- computing operations

    /** Any {@link UnaryOp}, with the kernel's parameters. */
    Tensor unary(Tensor x, UnaryOp op, float alpha, float beta);

    /** An arithmetic (non-comparison) {@link BinaryOp}; {@code name} is the public method's name. */
    Tensor binary(String name, BinaryOp op, Tensor a, Tensor b);

    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** SUM, MAX or MIN over {@code dims} (all of them when empty); {@code dims == null} reduces every element to 0-D. */
    Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim);

    /** Mean over {@code dims} (all of them when empty); {@code dims == null} is the 0-D mean of every element. */
    Tensor mean(Tensor x, int[] dims, boolean keepDim);

    Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepDim);

    Tensor softmax(Tensor x, int dim, boolean log);

    /** {@code name} is "matmul", "mm", "dot" or "outer". */
    Tensor matmul(String name, Tensor a, Tensor b);

    /** {@code name} is "cat" or "stack" (whose inputs have already been unsqueezed). */
    Tensor cat(String name, List<Tensor> tensors, int dim);

    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding);

    Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding);

    Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad);

    // ---------------------------------------------------------------- views (already computed)

    /** Same elements in the same row-major order, another shape: reshape, view, squeeze, unsqueeze. */
    Tensor reshaped(String name, Tensor x, Tensor view);

    /** Dimension {@code i} of the view is dimension {@code order[i]} of {@code x}: transpose, permute. */
    Tensor permuted(String name, Tensor x, int[] order, Tensor view);

    /**
     * Entries {@code start, start+step, ...} of dimension {@code dim}: narrow, slice, and select
     * ({@code dropDim}: the dimension disappears).
     */
    Tensor sliced(String name, Tensor x, int dim, int start, int step, boolean dropDim, Tensor view);

    /** Size-1 and missing leading dimensions repeated: expand, broadcastTo. */
    Tensor expanded(String name, Tensor x, Tensor view);

    /** The same values in a new tensor: contiguous, clone, to (another backend). */
    Tensor copied(String name, Tensor x, Tensor copy);

    // ---------------------------------------------------------------- the backward pass

    /** Runs the backward pass from {@code root}; {@code gradient} is null for a one-element root. */
    void backward(Tensor root, Tensor gradient, boolean retainGraph);

    /** Makes the backward pass store the gradient of the non-leaf {@code t} in {@code t.grad()}. */
    void retainGrad(Tensor t);
}
