/**
 * Neural-network building blocks with PyTorch's names and semantics: what the lectures draw, as code.
 *
 * <pre>{@code
 * var lenet = new Sequential(
 *     new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
 *     new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
 *     new Flatten(),
 *     new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
 * lenet.summary(1, 1, 28, 28);                    // output shapes, 61,706 parameters
 * Tensor loss = Loss.crossEntropy().apply(lenet.forward(images), labels);
 * loss.backward();
 * for (Parameter p : lenet.parameters()) {         // what an optimizer does
 *     try (var g = Grad.off()) {
 *         p.set(p.value().sub(p.grad().mul(0.01f)));
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.vectorgrad.nn.Module}: registration, traversal, train/eval, state dicts,
 *       summaries, printing. {@link dev.vectorgrad.nn.Parameter}: a module's learnable leaf tensor,
 *       allocated on first use, updated in place with {@code set}.</li>
 *   <li>Layers are short classes; their math is in {@link dev.vectorgrad.nn.functional.F}, composed of
 *       differentiable tensor operations, so autograd supplies every gradient.</li>
 *   <li>{@link dev.vectorgrad.nn.Loss} (with {@link dev.vectorgrad.nn.Reduction} and
 *       {@link dev.vectorgrad.nn.Regularization}) and {@link dev.vectorgrad.nn.Init} complete it.</li>
 * </ul>
 */
package dev.vectorgrad.nn;
