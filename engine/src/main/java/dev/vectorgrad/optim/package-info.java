/**
 * Optimizers and learning-rate schedules with PyTorch's names, defaults and update rules (those of
 * PyTorch 1.13): {@link dev.vectorgrad.optim.SGD} (momentum, Nesterov, dampening, weight decay),
 * {@link dev.vectorgrad.optim.Adagrad}, {@link dev.vectorgrad.optim.Adadelta},
 * {@link dev.vectorgrad.optim.RMSprop}, {@link dev.vectorgrad.optim.Adam} (and AMSGrad);
 * {@link dev.vectorgrad.optim.StepLR}, {@link dev.vectorgrad.optim.ExponentialLR},
 * {@link dev.vectorgrad.optim.LambdaLR}.
 *
 * <p>The training loop is PyTorch's:
 * <pre>{@code
 * var loader = new DataLoader(data.train(), 64, true);
 * var opt = new Adam(model.parameters(), 1e-3);
 * var lossFn = Loss.crossEntropy();
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (var batch : loader) {
 *         opt.zeroGrad();
 *         var loss = lossFn.apply(model.forward(batch.x()), batch.y());
 *         loss.backward();
 *         opt.step();
 *     }
 * }
 * }</pre>
 * or, Keras-style with progress, validation and early stopping, {@code Trainer.fit} in
 * {@link dev.vectorgrad.train}.
 *
 * <p>Every optimizer prints like PyTorch's ({@code Adam (\nParameter Group 0\n    amsgrad: False ...)})
 * and keeps its state per parameter; {@link dev.vectorgrad.optim.Optimizer} documents the contract and
 * how to write a new one.
 */
package dev.vectorgrad.optim;
