package dev.vectorgrad.train;

import dev.vectorgrad.data.Dataset;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.optim.LRScheduler;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a {@link Trainer#fit} run, Keras' {@code fit} arguments as a chain:
 *
 * <pre>{@code
 * Fit.epochs(10)
 *    .batchSize(64)                        // default 32
 *    .shuffle(42)                          // reshuffle every epoch from seed 42 (default: shuffled, seed from Rng.global())
 *    .validation(data.test())              // val_loss, val_accuracy after each epoch
 *    .callbacks(new EarlyStopping(2))
 *    .scheduler(new StepLR(opt, 5, 0.5))   // stepped after each epoch
 *    .verbose(2);                          // one line per epoch
 * }</pre>
 *
 * <p>A {@code Fit} is immutable: every setting returns a new one, so a configuration kept in a
 * variable can be reused and varied. ({@code epochs} is the static entry point; call it on the class.)
 */
public final class Fit {

    /** No output. */
    public static final int SILENT = 0;
    /** The default progress display: a bar updated in place on a console, a line per epoch otherwise. */
    public static final int PROGRESS = 1;
    /** One line per epoch, always (logs, CI). */
    public static final int EPOCH_LINES = 2;

    private final int epochs;
    private int batchSize = 32;
    private boolean shuffle = true;
    private Long seed;
    private Dataset validation;
    private int validationBatchSize;
    private List<Callback> callbacks = List.of();
    private int verbose = PROGRESS;
    private ProgressListener progress;
    private LRScheduler scheduler;
    private Boolean accuracy;

    private Fit(int epochs) {
        this.epochs = epochs;
    }

    private Fit copy() {
        Fit f = new Fit(epochs);
        f.batchSize = batchSize;
        f.shuffle = shuffle;
        f.seed = seed;
        f.validation = validation;
        f.validationBatchSize = validationBatchSize;
        f.callbacks = callbacks;
        f.verbose = verbose;
        f.progress = progress;
        f.scheduler = scheduler;
        f.accuracy = accuracy;
        return f;
    }

    /** Train for {@code epochs} passes over the training set, with the defaults for everything else. */
    public static Fit epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("Fit.epochs: at least one epoch, got " + epochs);
        }
        return new Fit(epochs);
    }

    /** Samples per minibatch (default 32, as Keras); the last batch of an epoch may be smaller. */
    public Fit batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Fit.batchSize: at least 1, got " + batchSize);
        }
        Fit f = copy();
        f.batchSize = batchSize;
        return f;
    }

    /**
     * Whether to visit the training samples in a new random order each epoch (default true, seed drawn
     * from {@code Rng.global()}, so {@code Rng.seed(...)} makes runs repeatable) or in order.
     */
    public Fit shuffle(boolean shuffle) {
        Fit f = copy();
        f.shuffle = shuffle;
        f.seed = null;
        return f;
    }

    /** Shuffle each epoch, deterministically from {@code seed}. */
    public Fit shuffle(long seed) {
        Fit f = copy();
        f.shuffle = true;
        f.seed = seed;
        return f;
    }

    /** Evaluate on {@code data} after each epoch: {@code val_loss} (and {@code val_accuracy}). */
    public Fit validation(Dataset data) {
        Fit f = copy();
        f.validation = Objects.requireNonNull(data, "Fit.validation: data is null");
        return f;
    }

    /** Evaluate on features {@code x} and targets {@code y} after each epoch (Keras' {@code validation_data}). */
    public Fit validation(Tensor x, Tensor y) {
        return validation(new TensorDataset(x, y));
    }

    /** Batch size for validation (default: the training batch size). */
    public Fit validationBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Fit.validationBatchSize: at least 1, got " + batchSize);
        }
        Fit f = copy();
        f.validationBatchSize = batchSize;
        return f;
    }

    /** The callbacks, called in this order (replaces any given before). */
    public Fit callbacks(Callback... callbacks) {
        Objects.requireNonNull(callbacks, "Fit.callbacks: callbacks is null");
        List<Callback> list = new ArrayList<>();
        for (Callback c : callbacks) {
            list.add(Objects.requireNonNull(c, "Fit.callbacks: a callback is null"));
        }
        Fit f = copy();
        f.callbacks = List.copyOf(list);
        return f;
    }

    /**
     * How much to show: {@link #SILENT} (0), {@link #PROGRESS} (1, the default: a progress bar updated
     * in place when the output is a console, the notebook's own display in Jupyter, a line per epoch
     * otherwise) or {@link #EPOCH_LINES} (2: one line per epoch on standard output).
     */
    public Fit verbose(int level) {
        if (level < SILENT || level > EPOCH_LINES) {
            throw new IllegalArgumentException("Fit.verbose: 0 (silent), 1 (progress) or 2 (a line per epoch), got "
                    + level);
        }
        Fit f = copy();
        f.verbose = level;
        return f;
    }

    /** Send progress to {@code listener} instead of the default display (whatever the verbosity, except 0). */
    public Fit progress(ProgressListener listener) {
        Fit f = copy();
        f.progress = Objects.requireNonNull(listener, "Fit.progress: listener is null");
        return f;
    }

    /** A learning-rate schedule, stepped after each epoch; the rate then appears as {@code lr} in the logs. */
    public Fit scheduler(LRScheduler scheduler) {
        Fit f = copy();
        f.scheduler = Objects.requireNonNull(scheduler, "Fit.scheduler: scheduler is null");
        return f;
    }

    /**
     * Whether to measure accuracy. By default it is measured when the model outputs class scores
     * {@code (N, C)} and the targets are class indices {@code (N)}; {@code true} also accepts one-hot
     * targets {@code (N, C)} (and fails clearly for anything else), {@code false} never measures it.
     */
    public Fit accuracy(boolean measure) {
        Fit f = copy();
        f.accuracy = measure;
        return f;
    }

    // ================================================================ reading the settings

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    /** The shuffling seed, or null when it is drawn from {@code Rng.global()} (or not shuffling). */
    public Long seed() {
        return seed;
    }

    /** The validation set, or null. */
    public Dataset validation() {
        return validation;
    }

    public int validationBatchSize() {
        return validationBatchSize > 0 ? validationBatchSize : batchSize;
    }

    /** The callbacks, in calling order. */
    public List<Callback> callbacks() {
        return callbacks;
    }

    public int verbose() {
        return verbose;
    }

    /** The progress listener given with {@link #progress(ProgressListener)}, or null for the default. */
    public ProgressListener progress() {
        return progress;
    }

    /** The learning-rate schedule, or null. */
    public LRScheduler scheduler() {
        return scheduler;
    }

    /** {@code true}/{@code false} when set, null for automatic. */
    public Boolean accuracy() {
        return accuracy;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Fit(epochs=").append(epochs).append(", batchSize=").append(batchSize);
        sb.append(", shuffle=").append(shuffle ? seed == null ? "true" : "seed " + seed : "false");
        if (validation != null) {
            sb.append(", validation=").append(validation.size()).append(" samples");
        }
        if (!callbacks.isEmpty()) {
            sb.append(", callbacks=").append(callbacks);
        }
        if (scheduler != null) {
            sb.append(", scheduler=").append(scheduler);
        }
        return sb.append(", verbose=").append(verbose).append(')').toString();
    }
}
