package dev.vectorgrad.tensor;

import java.util.List;

/**
 * A node of the autograd graph as a tensor shows it: {@link Tensor#gradFn()} of a tensor computed from
 * inputs that require gradients. The nodes themselves are made by {@code dev.vectorgrad.autograd}.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3).requiresGrad();
 * Tensor y = w.mul(2).sum();
 * y.gradFn();                    // SumBackward
 * y.gradFn().nextFunctions();    // [MulBackward]
 * }</pre>
 */
public interface GradFn {

    /** A readable name: the operation followed by {@code Backward}, such as {@code MulBackward}. */
    String name();

    /**
     * The nodes the gradient flows to next, one entry per input of the operation: the input's own
     * node, an {@code AccumulateGrad} entry for a leaf that requires gradients, or {@code null} for an
     * input that needs none. Still there after a {@code backward()} has freed the saved values.
     */
    List<GradFn> nextFunctions();
}
