package dev.vectorgrad.train;

/**
 * The training thread was interrupted (a notebook's interrupt button, {@code Thread.interrupt()}):
 * {@link Trainer#fit} stopped between two batches. The model keeps the weights of the last completed
 * step and {@link #history()} holds what was recorded. The thread's interrupt status is left set.
 */
public class TrainingInterruptedException extends RuntimeException {

    private final int epoch;
    private final int batch;
    private final transient History history;

    TrainingInterruptedException(String message, int epoch, int batch, History history) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.history = history;
    }

    /** The epoch that was running, counted from 0. */
    public int epoch() {
        return epoch;
    }

    /** The number of batches of that epoch completed before the interruption. */
    public int batch() {
        return batch;
    }

    /** The history up to the interruption (complete epochs, and every batch loss). */
    public History history() {
        return history;
    }
}
