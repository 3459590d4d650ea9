/**
 * One small class per differentiable operation (or per small family, such as {@code Affine} for
 * adding and multiplying by scalars, or {@code Reshape} for the views that keep element order), each
 * a {@link dev.vectorgrad.autograd.Node} with its static {@code forward} and its {@code backward}
 * side by side. {@link dev.vectorgrad.autograd.ops.Ops} is the table the autograd hook dispatches
 * through; everything else here is package-private.
 *
 * <p>Forwards run with grad mode off and call the public tensor method they differentiate; backwards
 * are written with public tensor operations too (and the gradient kernels of
 * {@link dev.vectorgrad.tensor.ImageKernels} for convolution and pooling), so they work on any
 * backend.
 */
package dev.vectorgrad.autograd.ops;
