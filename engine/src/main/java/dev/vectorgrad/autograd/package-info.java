/**
 * Reverse-mode automatic differentiation for {@link dev.vectorgrad.tensor.Tensor}, define-by-run with
 * PyTorch's semantics: mark leaves with {@code requiresGrad()}, compute with ordinary tensor methods,
 * call {@code backward()}, read {@code grad()}.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad();
 * Tensor b = Tensor.zeros(2).requiresGrad();
 * Tensor loss = x.matmul(w).add(b).logSoftmax(1).mul(targets).sum().neg();
 * loss.backward();                         // w.grad(), b.grad(): (3,2) and (2)
 * loss.gradFn();                           // NegBackward, and .nextFunctions() down to the leaves
 * try (var g = Grad.off()) {               // no graph: updates, evaluation
 *     w.addInPlace(w.grad(), -0.1f);
 * }
 * GradCheck.check(t -> t[0].matmul(t[1]).tanh(), x, w).assertOk();
 * }</pre>
 *
 * <h2>How tensors and autograd connect</h2>
 * The layering is one-way ({@code autograd -> tensor -> backend}); the tensor package never imports
 * this one. It declares what it needs and this package fills it in:
 * <ul>
 *   <li><b>Per-tensor slots.</b> {@code Tensor} carries {@code requiresGrad}, {@code gradFn} (a
 *       {@link dev.vectorgrad.tensor.GradFn}, implemented here by {@link dev.vectorgrad.autograd.Node}),
 *       {@code grad} and the retain-grad flag, and the public API that reads and sets them.</li>
 *   <li><b>One branch per operation.</b> Each differentiable operation of the tensor package funnels
 *       through one method of an op class ({@code ElementwiseOps.unary}, {@code ReduceOps.dims},
 *       {@code LinalgOps.matmul}, {@code Views.permute}, ...), which begins with
 *       {@code if (x.requiresGrad && grad mode on) return hook.op(...)}. The field is read first, so a
 *       tensor that requires no gradient (or a no-grad scope) costs one predictable branch: no
 *       allocation, no thread-local read when no input requires grad, and the kernels themselves
 *       never see autograd.</li>
 *   <li><b>The hook.</b> {@link dev.vectorgrad.tensor.GradHook} lists those funnels;
 *       {@code Autograd} (this package) implements it and installs it through
 *       {@link dev.vectorgrad.tensor.GradBridge#install}, which hands back the only capability that
 *       can attach a node to a tensor. The tensor package loads {@code Autograd} by name the first time
 *       a tensor requires gradients.</li>
 *   <li><b>Forward beside backward.</b> The hook turns grad mode off and calls the op's class in
 *       {@code dev.vectorgrad.autograd.ops} ({@code Mul}, {@code Matmul}, {@code Conv2d}, ...; the
 *       table is {@link dev.vectorgrad.autograd.ops.Ops}). Its static {@code forward} calls the very
 *       same public tensor method, which now takes its plain path, saves what the backward needs and
 *       attaches itself to the output; its {@code backward} override, a few lines below, is the
 *       derivative. Views (already computed by the tensor package, being pure layout) only record how
 *       their gradient is routed back.</li>
 *   <li><b>Grad mode</b> is a per-thread flag in {@code GradBridge}; {@link dev.vectorgrad.autograd.Grad}
 *       is its user-facing side ({@code Grad.off()}, {@code Grad.on()}, {@code Grad.isEnabled()}).</li>
 * </ul>
 *
 * <h2>The backward pass</h2>
 * {@code Engine} walks the graph iteratively (an explicit stack, so depth is unlimited), counts how
 * many edges lead into each node, and runs nodes in topological order: a node's gradient is the sum
 * of all its consumers' contributions before it is propagated. A gradient shaped like a broadcast
 * output is summed back to its input's shape ({@code Tensor.sumToSize}); leaves receive
 * {@code grad = grad + g} once per pass. Backward passes run with grad mode off (no higher-order
 * gradients). Afterwards the saved tensors are released unless {@code retainGraph} is asked for; a
 * second pass through a freed graph fails with an explanation, while {@code gradFn()} and
 * {@code nextFunctions()} stay inspectable.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Non-differentiable outputs (comparisons, {@code argmax}/{@code argmin}) do not require grad.
 *       {@code step} and {@code sign} are differentiable with a zero gradient, by definition.</li>
 *   <li>Ties: {@code max}/{@code min} reductions send the gradient to the first extremum (the
 *       {@code argmax} position); elementwise {@code maximum}/{@code minimum} split it in half.</li>
 *   <li>In-place tensor updates ({@code copyFrom}, {@code fill}, {@code addInPlace},
 *       {@code mulInPlace}) are never recorded and are refused on a tensor that requires grad while grad
 *       mode is on. Nothing detects a tensor changed in place after a graph saved it.</li>
 *   <li>Custom operations subclass {@link dev.vectorgrad.autograd.Node} the same way the built-in
 *       ones do; {@link dev.vectorgrad.autograd.GradCheck} verifies them.</li>
 * </ul>
 */
package dev.vectorgrad.autograd;
