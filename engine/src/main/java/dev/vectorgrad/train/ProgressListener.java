package dev.vectorgrad.train;

/**
 * Receives training progress as it happens, to draw it: a console progress bar
 * ({@link ConsoleProgress}, the default), a live bar in a notebook (the Jupyter kernel's), a log.
 * Every method runs on the training thread, after every batch for {@link #onBatch}: an implementation
 * that draws should throttle itself (the console bar redraws at most ten times a second).
 *
 * <pre>{@code
 * Trainer.fit(model, train, loss, opt, Fit.epochs(5).progress(p ->
 *         System.out.printf("%d/%d %.3f%n", p.batch() + 1, p.batches(), p.loss())));
 * }</pre>
 *
 * <p>{@link Trainer#setDefaultProgress} chooses the listener used when a {@link Fit} names none.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Training begins: {@code epochs} epochs of {@code batchesPerEpoch} batches, {@code samplesPerEpoch} samples. */
    default void onTrainBegin(int epochs, int batchesPerEpoch, long samplesPerEpoch) {
    }

    /** Epoch {@code epoch} (from 0) of {@code epochs} begins. */
    default void onEpochBegin(int epoch, int epochs) {
    }

    /** A batch has been trained. */
    void onBatch(Progress progress);

    /** An epoch has ended, validation included. */
    default void onEpochEnd(EpochSummary summary) {
    }

    /**
     * Training has ended: normally ({@code failure} null; {@link History#stopReason()} says whether a
     * callback stopped it early) or with {@code failure} about to be thrown (divergence, interruption,
     * an error), in which case {@code history} holds what was recorded before it.
     */
    default void onTrainEnd(History history, Throwable failure) {
    }

    /** A listener that shows nothing. */
    static ProgressListener silent() {
        return p -> {
        };
    }
}
