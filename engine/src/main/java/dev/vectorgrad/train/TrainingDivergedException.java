package dev.vectorgrad.train;

/**
 * The loss became NaN or infinite during {@link Trainer#fit}: training cannot recover from it, so it
 * stops at once. The update for the offending batch is not applied. The message names the epoch, the
 * batch and the learning rate; {@link #history()} holds what was recorded before.
 */
public class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final int batch;
    private final double loss;
    private final double lr;
    private final transient History history;

    TrainingDivergedException(String message, int epoch, int batch, double loss, double lr, History history) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.lr = lr;
        this.history = history;
    }

    /** The epoch, counted from 0 (the message counts from 1). */
    public int epoch() {
        return epoch;
    }

    /** The batch within the epoch, counted from 0 (the message counts from 1). */
    public int batch() {
        return batch;
    }

    /** The loss value: NaN or infinite. */
    public double loss() {
        return loss;
    }

    /** The learning rate at the time. */
    public double lr() {
        return lr;
    }

    /** The history up to the batch before. */
    public History history() {
        return history;
    }
}
