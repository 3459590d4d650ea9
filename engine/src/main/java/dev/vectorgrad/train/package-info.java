/**
 * Training loops: Keras-style {@link dev.vectorgrad.train.Trainer#fit fit},
 * {@link dev.vectorgrad.train.Trainer#evaluate evaluate} and
 * {@link dev.vectorgrad.train.Trainer#predict predict}, with a {@link dev.vectorgrad.train.History},
 * callbacks ({@link dev.vectorgrad.train.EarlyStopping}) and a live progress display; and chart data
 * for 2-D classifiers ({@link dev.vectorgrad.train.Plots}: the points, the decision regions).
 *
 * <pre>{@code
 * var data = Datasets.fashionMnist().normalized();
 * var opt = new Adam(model.parameters(), 1e-3);
 * History h = Trainer.fit(model, data.train(), Loss.crossEntropy(), opt,
 *         Fit.epochs(3).batchSize(64).validation(data.test()).callbacks(new EarlyStopping(2)));
 * h.plot();                                                    // loss and accuracy curves
 * Trainer.evaluate(model, data.test(), Loss.crossEntropy());   // loss, accuracy
 * }</pre>
 *
 * <h2>The same thing, by hand</h2>
 * {@code fit} is PyTorch's loop plus bookkeeping; writing the loop directly is just as natural, and
 * what a lecture on backpropagation shows:
 * <pre>{@code
 * var loader = new DataLoader(data.train(), 64, true);
 * var lossFn = Loss.crossEntropy();
 * var opt = new SGD(model.parameters(), 0.1);
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (var batch : loader) {
 *         opt.zeroGrad();
 *         var loss = lossFn.apply(model.forward(batch.x()), batch.y());
 *         loss.backward();
 *         opt.step();
 *     }
 * }
 * }</pre>
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.vectorgrad.train.Fit}: the settings (epochs, batch size, shuffling, validation,
 *       callbacks, schedule, verbosity), immutable and chained.</li>
 *   <li>{@link dev.vectorgrad.train.History}: metrics per epoch by name, every batch loss, epoch times
 *       and throughput, a table as text, {@code plot()} as a {@link dev.vectorgrad.chart.Chart}.</li>
 *   <li>{@link dev.vectorgrad.train.Callback} and {@link dev.vectorgrad.train.Training}: hooks at the
 *       start and end of training, epochs and batches, with a way to stop;
 *       {@link dev.vectorgrad.train.EarlyStopping} is one.</li>
 *   <li>{@link dev.vectorgrad.train.ProgressListener}, fed {@link dev.vectorgrad.train.Progress} after
 *       each batch and an {@link dev.vectorgrad.train.EpochSummary} after each epoch;
 *       {@link dev.vectorgrad.train.ConsoleProgress} draws them on a terminal, and a notebook kernel
 *       installs its own with {@link dev.vectorgrad.train.Trainer#setDefaultProgress}.</li>
 *   <li>{@link dev.vectorgrad.train.Metrics}: accuracy of class scores against class labels.</li>
 *   <li>{@link dev.vectorgrad.train.TrainingDivergedException} (NaN or infinite loss) and
 *       {@link dev.vectorgrad.train.TrainingInterruptedException} (the thread was interrupted): the two
 *       ways {@code fit} stops on its own, each with the history so far.</li>
 * </ul>
 *
 * <p>Why {@code Trainer.fit(model, ...)} rather than {@code model.fit(...)}: modules live in
 * {@code nn}, which sits below this package and must not depend on it, so training is a function of
 * a module rather than a method of one. A notebook imports {@code Trainer}'s methods statically and
 * writes {@code fit(model, ...)}.
 */
package dev.vectorgrad.train;
