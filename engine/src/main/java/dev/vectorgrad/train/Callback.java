package dev.vectorgrad.train;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Code run at fixed points of {@link Trainer#fit}, Keras-style. Epochs and batches count from 0;
 * {@code logs} map metric names to values:
 * <ul>
 *   <li>after a batch: {@code loss} and {@code accuracy} (running means over the epoch so far, what the
 *       progress bar shows) and {@code batch_loss} (this batch alone);</li>
 *   <li>after an epoch: {@code loss}, and when measured {@code accuracy}, {@code val_loss},
 *       {@code val_accuracy}, and {@code lr} when a schedule is set.</li>
 * </ul>
 * A callback that needs the model or wants to stop training keeps the {@link Training} it receives
 * in {@link #onTrainBegin} and calls {@link Training#stop(String)}.
 *
 * <pre>{@code
 * Callback stopAt99 = new Callback() {
 *     Training t;
 *     public void onTrainBegin(Training training) { t = training; }
 *     public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *         if (logs.getOrDefault("val_accuracy", 0.0) >= 0.99) t.stop("val_accuracy reached 0.99");
 *     }
 * };
 * Callback log = Callback.atEpochEnd((epoch, logs) -> System.out.println(epoch + " " + logs));
 * }</pre>
 */
public interface Callback {

    /** Training begins; {@code training} gives the model, optimizer, settings and a way to stop. */
    default void onTrainBegin(Training training) {
    }

    /** Epoch {@code epoch} begins. */
    default void onEpochBegin(int epoch) {
    }

    /** Batch {@code batch} of the current epoch has been trained (the optimizer has stepped). */
    default void onBatchEnd(int batch, Map<String, Double> logs) {
    }

    /** Epoch {@code epoch} has ended, validation included; its metrics are already in the history. */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /**
     * Training has ended normally: all epochs ran or a callback stopped it. Not called when training
     * fails (divergence, interruption, an exception).
     */
    default void onTrainEnd(Training training) {
    }

    /** A callback that runs {@code action(epoch, logs)} after every epoch. */
    static Callback atEpochEnd(BiConsumer<Integer, Map<String, Double>> action) {
        Objects.requireNonNull(action, "atEpochEnd: action is null");
        return new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                action.accept(epoch, logs);
            }
        };
    }

    /** A callback that runs {@code action(batch, logs)} after every batch. */
    static Callback atBatchEnd(BiConsumer<Integer, Map<String, Double>> action) {
        Objects.requireNonNull(action, "atBatchEnd: action is null");
        return new Callback() {
            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                action.accept(batch, logs);
            }
        };
    }
}
