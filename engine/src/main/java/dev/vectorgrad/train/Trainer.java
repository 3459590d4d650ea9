package dev.vectorgrad.train;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.Dataset;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.optim.LRScheduler;
import dev.vectorgrad.optim.Optimizer;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Keras-style training, evaluation and prediction for any {@link Module}.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * History h = Trainer.fit(model, data.train(), Loss.crossEntropy(), opt,
 *         Fit.epochs(3).batchSize(64).validation(data.test()).callbacks(new EarlyStopping(2)));
 * h.plot();
 * Trainer.evaluate(model, data.test(), Loss.crossEntropy());   // loss 0.31, accuracy 0.89 (10,000 samples)
 * Tensor scores = Trainer.predict(model, images);              // eval mode, no graph
 * }</pre>
 * (With {@code import static dev.vectorgrad.train.Trainer.*} a cell reads {@code fit(model, ...)}.)
 *
 * <h2>What {@code fit} does</h2>
 * For each epoch: the model in training mode, the training set in minibatches (reshuffled each epoch
 * unless {@link Fit#shuffle(boolean)} says otherwise); for each batch {@code zeroGrad}, forward, loss,
 * {@code backward}, {@code step} (exactly the PyTorch loop); then, with a validation set, evaluation in
 * eval mode without a graph; then the epoch's metrics go to the {@link History}, the progress display
 * and the {@link Callback}s, and the learning-rate schedule (if any) steps. At the end every module is
 * put back in the mode (training or eval) it had before.
 *
 * <ul>
 *   <li><b>Metrics.</b> {@code loss} is the mean batch loss over the epoch (weighted by batch size);
 *       {@code accuracy} is measured for class scores {@code (N, C)} against class indices (see
 *       {@link Fit#accuracy(boolean)}); {@code val_loss}, {@code val_accuracy} likewise on the
 *       validation set.</li>
 *   <li><b>Divergence.</b> A NaN or infinite loss stops training at once with a
 *       {@link TrainingDivergedException} naming the epoch, the batch and the learning rate; that
 *       batch's update is not applied.</li>
 *   <li><b>Interruption.</b> Between batches (training and validation) {@code fit} checks the thread's
 *       interrupt status, which is how a notebook's interrupt button reaches it, and stops with a
 *       {@link TrainingInterruptedException} that carries the history so far.</li>
 *   <li><b>Progress.</b> By default a {@link ConsoleProgress} (a bar in place on a console, one line per
 *       epoch otherwise); {@link #setDefaultProgress} lets a notebook kernel install its own display,
 *       {@link Fit#progress(ProgressListener)} and {@link Fit#verbose(int)} choose per run.</li>
 * </ul>
 */
public final class Trainer {

    /** Batch size of {@link #evaluate} and {@link #predict} when none is given. */
    public static final int EVAL_BATCH_SIZE = 256;

    private static volatile Supplier<? extends ProgressListener> defaultProgress;

    private Trainer() {
    }

    // ================================================================ fit

    /** Trains {@code model} on {@code train} as {@code fit} says; returns what was recorded. */
    public static History fit(Module model, Dataset train, Loss loss, Optimizer optimizer, Fit fit) {
        Objects.requireNonNull(model, "fit: model is null");
        Objects.requireNonNull(train, "fit: training data is null");
        Objects.requireNonNull(loss, "fit: loss is null");
        Objects.requireNonNull(optimizer, "fit: optimizer is null");
        Objects.requireNonNull(fit, "fit: settings are null; pass Fit.epochs(n)");
        if (train.size() == 0) {
            throw new IllegalArgumentException("fit: the training set is empty");
        }
        if (fit.scheduler() != null && fit.scheduler().optimizer() != optimizer) {
            throw new IllegalArgumentException("fit: the learning-rate schedule drives another optimizer than the one"
                    + " given to fit; build it on the same optimizer (new StepLR(opt, ...))");
        }
        DataLoader.Builder lb = DataLoader.builder(train).batchSize(fit.batchSize());
        if (fit.shuffle()) {
            if (fit.seed() != null) {
                lb.shuffle(fit.seed());
            } else {
                lb.shuffle(true);
            }
        }
        DataLoader loader = lb.build();
        History history = new History();
        Training training = new Training(model, optimizer, loss, fit, history, loader.size());
        ProgressListener progress = listener(fit);
        Modes modes = Modes.save(model);
        Throwable failure = null;
        try {
            progress.onTrainBegin(fit.epochs(), loader.size(), loader.samplesPerEpoch());
            for (Callback c : fit.callbacks()) {
                c.onTrainBegin(training);
            }
            for (int epoch = 0; epoch < fit.epochs() && !training.stopRequested(); epoch++) {
                training.setEpoch(epoch);
                epoch(training, loader, progress, epoch);
            }
            List<Integer> done = history.batchesPerEpoch();
            boolean cut = history.epochs() < fit.epochs() || done.get(done.size() - 1) < loader.size();
            if (training.stopRequested() && cut) {
                history.setStopReason(training.stopReason()); // a stop asked at the very end skipped nothing
            }
            for (Callback c : fit.callbacks()) {
                c.onTrainEnd(training);
            }
            return history;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            modes.restore();
            try {
                progress.onTrainEnd(history, failure);
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /** Trains on features {@code x} and targets {@code y} (Keras' {@code fit(x, y, ...)}). */
    public static History fit(Module model, Tensor x, Tensor y, Loss loss, Optimizer optimizer, Fit fit) {
        return fit(model, new TensorDataset(x, y), loss, optimizer, fit);
    }

    private static void epoch(Training training, DataLoader loader, ProgressListener progress, int epoch) {
        Module model = training.model();
        Optimizer optimizer = training.optimizer();
        Loss loss = training.loss();
        Fit fit = training.fit();
        History history = training.history();
        List<Callback> callbacks = fit.callbacks();
        int epochs = fit.epochs();
        int batches = loader.size();

        for (Callback c : callbacks) {
            c.onEpochBegin(epoch);
        }
        progress.onEpochBegin(epoch, epochs);
        model.train();
        long start = System.nanoTime();
        double lossSum = 0;
        long seen = 0;
        long correct = 0;
        long measured = 0;
        int b = 0;
        Iterator<Batch> it = loader.iterator();
        while (it.hasNext()) {
            checkInterrupted(history, epoch, epochs, b, batches, false);
            Batch batch = it.next();
            optimizer.zeroGrad();
            Tensor out = model.forward(batch.x());
            Tensor l = loss.apply(out, batch.y());
            double value = value(l, loss);
            if (!Double.isFinite(value)) {
                throw diverged(history, epoch, epochs, b, batches, value, optimizer.lr());
            }
            l.backward();
            optimizer.step();
            int n = batch.size();
            lossSum += value * n;
            seen += n;
            if (measureAccuracy(fit, out, batch.y())) {
                correct += Metrics.correct(out, batch.y());
                measured += n;
            }
            history.addBatch(value);
            double runningLoss = lossSum / seen;
            double runningAccuracy = measured > 0 ? correct / (double) measured : Double.NaN;
            if (!callbacks.isEmpty()) {
                Map<String, Double> logs = new LinkedHashMap<>();
                logs.put("loss", runningLoss);
                if (measured > 0) {
                    logs.put("accuracy", runningAccuracy);
                }
                logs.put("batch_loss", value);
                Map<String, Double> view = Collections.unmodifiableMap(logs);
                for (Callback c : callbacks) {
                    c.onBatchEnd(b, view);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = elapsed / (b + 1) * (batches - b - 1);
            progress.onBatch(new Progress(epoch, epochs, b, batches, seen, runningLoss, runningAccuracy,
                    seen / Math.max(elapsed, 1e-9), elapsed, eta));
            b++;
            if (training.stopRequested()) {
                break;
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / seen);
        if (measured > 0) {
            logs.put("accuracy", correct / (double) measured);
        }
        if (fit.validation() != null) {
            model.eval();
            try {
                Evaluation v = evaluate(model, fit.validation(), loss, fit.validationBatchSize(), fit.accuracy(),
                        () -> checkInterrupted(history, epoch, epochs, -1, batches, true));
                logs.put("val_loss", v.loss());
                if (v.hasAccuracy()) {
                    logs.put("val_accuracy", v.accuracy());
                }
            } finally {
                model.train();
            }
        }
        double lr = optimizer.lr();
        LRScheduler scheduler = fit.scheduler();
        if (scheduler != null) {
            logs.put("lr", lr);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = seen / Math.max(trainSeconds, 1e-9);
        history.addEpoch(logs, b, seconds, rate, lr);
        Map<String, Double> view = Collections.unmodifiableMap(logs);
        progress.onEpochEnd(new EpochSummary(epoch, epochs, b, seen, view, seconds, rate));
        for (Callback c : callbacks) {
            c.onEpochEnd(epoch, view);
        }
        if (scheduler != null) {
            scheduler.step();
        }
    }

    private static boolean measureAccuracy(Fit fit, Tensor out, Tensor y) {
        Boolean a = fit.accuracy();
        return a == null ? Metrics.isClassification(out, y) : a;
    }

    private static double value(Tensor l, Loss loss) {
        if (l.numel() != 1) {
            throw new IllegalArgumentException("fit: the loss must be one number per batch, but " + loss
                    + " returned a tensor of shape " + Shapes.format(l.shape())
                    + "; use a loss with reduction MEAN or SUM");
        }
        return l.item();
    }

    private static void checkInterrupted(History history, int epoch, int epochs, int batch, int batches,
                                         boolean validating) {
        if (!Thread.currentThread().isInterrupted()) {
            return;
        }
        String where = validating
                ? String.format(Locale.ROOT, "in epoch %d/%d while evaluating the validation set", epoch + 1, epochs)
                : String.format(Locale.ROOT, "in epoch %d/%d after %d of %d batches", epoch + 1, epochs, batch, batches);
        throw new TrainingInterruptedException("Training interrupted " + where + ". The model keeps the weights of"
                + " the last completed step; the history so far (" + history.epochs() + " complete epoch"
                + (history.epochs() == 1 ? "" : "s") + ", " + history.batchLosses().size()
                + " batch losses) is in history().", epoch, validating ? batches : batch, history);
    }

    private static TrainingDivergedException diverged(History history, int epoch, int epochs, int batch, int batches,
                                                      double value, double lr) {
        String what = Double.isNaN(value) ? "NaN" : value > 0 ? "infinite" : "-infinite";
        String message = String.format(Locale.ROOT, "Training diverged: the loss is %s at epoch %d/%d, batch %d/%d"
                        + " (learning rate %s). The update for this batch was not applied. Try a lower learning rate,"
                        + " such as %s, and check the inputs and targets for NaN or infinite values.",
                what, epoch + 1, epochs, batch + 1, batches, Format.lr(lr), Format.lr(lr / 10));
        return new TrainingDivergedException(message, epoch, batch, value, lr, history);
    }

    // ================================================================ evaluate

    /** The mean loss (and accuracy, for classifiers) of {@code model} on {@code data}, in eval mode without a graph. */
    public static Evaluation evaluate(Module model, Dataset data, Loss loss) {
        return evaluate(model, data, loss, EVAL_BATCH_SIZE);
    }

    /** As {@link #evaluate(Module, Dataset, Loss)}, in batches of {@code batchSize}. */
    public static Evaluation evaluate(Module model, Dataset data, Loss loss, int batchSize) {
        Objects.requireNonNull(model, "evaluate: model is null");
        Objects.requireNonNull(data, "evaluate: data is null");
        Objects.requireNonNull(loss, "evaluate: loss is null");
        Modes modes = Modes.save(model);
        try {
            model.eval();
            return evaluate(model, data, loss, batchSize, null, () -> {
            });
        } finally {
            modes.restore();
        }
    }

    /** The mean loss (and accuracy) on features {@code x} and targets {@code y}. */
    public static Evaluation evaluate(Module model, Tensor x, Tensor y, Loss loss) {
        return evaluate(model, new TensorDataset(x, y), loss);
    }

    private static Evaluation evaluate(Module model, Dataset data, Loss loss, int batchSize, Boolean accuracy,
                                       Runnable beforeBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluate: batchSize must be at least 1, got " + batchSize);
        }
        int n = data.size();
        double lossSum = 0;
        long correct = 0;
        long measured = 0;
        try (var g = Grad.off()) {
            for (int from = 0; from < n; from += batchSize) {
                beforeBatch.run();
                Batch batch = data.batch(from, Math.min(n, from + batchSize));
                Tensor out = model.forward(batch.x());
                lossSum += value(loss.apply(out, batch.y()), loss) * batch.size();
                if (accuracy == null ? Metrics.isClassification(out, batch.y()) : accuracy) {
                    correct += Metrics.correct(out, batch.y());
                    measured += batch.size();
                }
            }
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, measured > 0 ? correct / (double) measured : Double.NaN,
                n);
    }

    // ================================================================ predict

    /** The model's output for {@code x}, in eval mode without a graph; the modules' modes are restored. */
    public static Tensor predict(Module model, Tensor x) {
        Objects.requireNonNull(model, "predict: model is null");
        Objects.requireNonNull(x, "predict: x is null");
        Modes modes = Modes.save(model);
        try (var g = Grad.off()) {
            model.eval();
            return model.forward(x);
        } finally {
            modes.restore();
        }
    }

    /** The outputs for the rows of {@code x}, computed {@code batchSize} rows at a time and concatenated. */
    public static Tensor predict(Module model, Tensor x, int batchSize) {
        Objects.requireNonNull(x, "predict: x is null");
        if (x.dim() == 0) {
            throw new IllegalArgumentException("predict: x must have a batch dimension, got a 0-D tensor");
        }
        return predictBatches(model, x.size(0), batchSize, (from, to) -> x.narrow(0, from, to - from));
    }

    /** The outputs for every sample of {@code data} (its features; targets are ignored), in dataset order. */
    public static Tensor predict(Module model, Dataset data) {
        return predict(model, data, EVAL_BATCH_SIZE);
    }

    /** As {@link #predict(Module, Dataset)}, {@code batchSize} samples at a time. */
    public static Tensor predict(Module model, Dataset data, int batchSize) {
        Objects.requireNonNull(data, "predict: data is null");
        return predictBatches(model, data.size(), batchSize, (from, to) -> data.batch(from, to).x());
    }

    private interface Rows {
        Tensor get(int from, int to);
    }

    private static Tensor predictBatches(Module model, int n, int batchSize, Rows rows) {
        Objects.requireNonNull(model, "predict: model is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: batchSize must be at least 1, got " + batchSize);
        }
        if (n == 0) {
            throw new IllegalArgumentException("predict: no samples to predict");
        }
        Modes modes = Modes.save(model);
        try (var g = Grad.off()) {
            model.eval();
            List<Tensor> outs = new ArrayList<>();
            for (int from = 0; from < n; from += batchSize) {
                outs.add(model.forward(rows.get(from, Math.min(n, from + batchSize))));
            }
            return outs.size() == 1 ? outs.get(0) : Tensor.cat(outs, 0);
        } finally {
            modes.restore();
        }
    }

    // ================================================================ progress display

    /**
     * The progress display {@code fit} uses when a {@link Fit} names none and its verbosity is
     * {@link Fit#PROGRESS}: a new listener from {@code factory} for each run. A notebook kernel installs
     * its live bar here; {@code null} restores the default {@link ConsoleProgress}.
     */
    public static void setDefaultProgress(Supplier<? extends ProgressListener> factory) {
        defaultProgress = factory;
    }

    /** A new instance of the default progress display (see {@link #setDefaultProgress}). */
    public static ProgressListener defaultProgress() {
        Supplier<? extends ProgressListener> f = defaultProgress;
        ProgressListener l = f == null ? null : f.get();
        return l != null ? l : new ConsoleProgress();
    }

    private static ProgressListener listener(Fit fit) {
        if (fit.verbose() == Fit.SILENT) {
            return ProgressListener.silent();
        }
        if (fit.progress() != null) {
            return fit.progress();
        }
        if (fit.verbose() == Fit.EPOCH_LINES) {
            return new ConsoleProgress(System.out, false);
        }
        return defaultProgress();
    }

    // ================================================================ module modes

    /** Every module's training flag, to put back after fit, evaluate and predict. */
    private record Modes(List<Module> modules, boolean[] training) {

        static Modes save(Module model) {
            List<Module> all = model.modules();
            boolean[] t = new boolean[all.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = all.get(i).isTraining();
            }
            return new Modes(all, t);
        }

        void restore() {
            boolean uniform = true;
            for (boolean t : training) {
                uniform &= t == training[0];
            }
            if (uniform) {
                modules.get(0).train(training[0]);
                return;
            }
            // modules() lists parents before their children, so each module ends with its own flag
            for (int i = 0; i < training.length; i++) {
                modules.get(i).train(training[i]);
            }
        }
    }
}
