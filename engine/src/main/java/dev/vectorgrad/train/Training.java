package dev.vectorgrad.train;

import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.optim.Optimizer;

import java.util.Objects;

/**
 * A training run in progress, as {@link Callback}s see it: what is being trained, how far it is, and
 * {@link #stop(String)} to end it after the current batch (the epoch is then closed normally,
 * validation included).
 */
public final class Training {

    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final Fit fit;
    private final History history;
    private final int batchesPerEpoch;
    private int epoch;
    private String stopReason;

    Training(Module model, Optimizer optimizer, Loss loss, Fit fit, History history, int batchesPerEpoch) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.fit = fit;
        this.history = history;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /** The settings of this run. */
    public Fit fit() {
        return fit;
    }

    /** The history recorded so far. */
    public History history() {
        return history;
    }

    /** The number of epochs asked for. */
    public int epochs() {
        return fit.epochs();
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** Whether a validation set is evaluated after each epoch (so {@code val_*} metrics exist). */
    public boolean hasValidation() {
        return fit.validation() != null;
    }

    /**
     * Ends training after the current batch; {@code reason} ends up in {@link History#stopReason()} and
     * the progress display. The first reason given wins.
     */
    public void stop(String reason) {
        Objects.requireNonNull(reason, "stop: reason is null");
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Whether {@link #stop(String)} has been called. */
    public boolean stopRequested() {
        return stopReason != null;
    }

    /** Why training is stopping, or null. */
    public String stopReason() {
        return stopReason;
    }
}
