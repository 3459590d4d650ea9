package dev.vectorgrad.train;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Stops training when a monitored metric has stopped improving: the lectures' "stop training before we
 * have a chance to overfit". Keras' {@code EarlyStopping}.
 *
 * <pre>{@code
 * new EarlyStopping(2)                                  // val_loss (loss without validation), patience 2
 * new EarlyStopping(5).monitor("val_accuracy").minDelta(1e-3).restoreBestWeights(true)
 * }</pre>
 *
 * <ul>
 *   <li><b>Monitor</b>: {@code val_loss} by default, or {@code loss} when the run has no validation
 *       set; any metric of the epoch logs by name. A name the logs lack is an error that lists the
 *       names they have.</li>
 *   <li><b>Improvement</b>: in mode {@link Mode#MIN} a value below {@code best - minDelta}, in
 *       {@link Mode#MAX} above {@code best + minDelta}; {@link Mode#AUTO} (the default) maximises
 *       metrics whose name contains {@code acc} and minimises the rest. A NaN never improves.</li>
 *   <li><b>Patience</b>: training stops at the end of the {@code patience}-th epoch in a row without
 *       improvement (patience 0 or 1: the first one).</li>
 *   <li><b>Best weights</b>: with {@code restoreBestWeights(true)} a copy of the model's state
 *       ({@code stateDict()}: parameters and buffers) is kept at each best epoch and loaded back when
 *       training ends, whether it stopped early or ran all its epochs.</li>
 * </ul>
 * State is reset when a training run begins, so one instance can serve several runs.
 */
public class EarlyStopping implements Callback {

    /** Which direction counts as better. */
    public enum Mode {
        /** {@link #MAX} for names containing {@code acc}, else {@link #MIN}. */
        AUTO,
        /** Lower is better (losses). */
        MIN,
        /** Higher is better (accuracies). */
        MAX
    }

    private final int patience;
    private String monitor;
    private double minDelta;
    private Mode mode = Mode.AUTO;
    private boolean restoreBestWeights;

    private Training training;
    private String monitored;
    private boolean maximize;
    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private int lastEpoch;
    private Map<String, Tensor> bestState;
    private boolean restored;

    /** Patience 0: stop after the first epoch that does not improve. */
    public EarlyStopping() {
        this(0);
    }

    /** Stop after {@code patience} epochs in a row without improvement. */
    public EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        }
        this.patience = patience;
        reset();
    }

    /** The metric to watch ({@code "val_loss"}, {@code "val_accuracy"}, {@code "loss"}, ...). */
    public EarlyStopping monitor(String metric) {
        this.monitor = Objects.requireNonNull(metric, "EarlyStopping.monitor: metric is null");
        return this;
    }

    /** The smallest change that counts as an improvement (default 0). */
    public EarlyStopping minDelta(double minDelta) {
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("EarlyStopping.minDelta: a finite number >= 0, got " + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    public EarlyStopping mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "EarlyStopping.mode: mode is null");
        return this;
    }

    /** Whether to load the weights of the best epoch back when training ends (default false). */
    public EarlyStopping restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    public int patience() {
        return patience;
    }

    /** The metric watched in the last run (or the configured one, null meaning the default, before a run). */
    public String monitor() {
        return monitored != null ? monitored : monitor;
    }

    public double minDelta() {
        return minDelta;
    }

    public Mode mode() {
        return mode;
    }

    public boolean restoreBestWeights() {
        return restoreBestWeights;
    }

    /** The best value seen in the last run (NaN before one). */
    public double bestValue() {
        return best;
    }

    /** The epoch (from 0) of the best value, -1 before a run. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch (from 0) after which it stopped training, -1 when it did not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** Whether the last run ended with the best weights loaded back. */
    public boolean restored() {
        return restored;
    }

    private void reset() {
        best = Double.NaN;
        bestEpoch = -1;
        wait = 0;
        stoppedEpoch = -1;
        lastEpoch = -1;
        bestState = null;
        restored = false;
    }

    @Override
    public void onTrainBegin(Training training) {
        reset();
        this.training = training;
        this.monitored = monitor != null ? monitor : training.hasValidation() ? "val_loss" : "loss";
        this.maximize = mode == Mode.MAX || (mode == Mode.AUTO && History.higherIsBetter(monitored));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        lastEpoch = epoch;
        Double value = logs.get(monitored);
        if (value == null) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitored + "' but this training logs only "
                    + logs.keySet() + (monitored.startsWith("val_") ? "; validation metrics need Fit.validation(...)"
                    : ""));
        }
        double v = value;
        boolean improved = !Double.isNaN(v) && (bestEpoch < 0
                || (maximize ? v > best + minDelta : v < best - minDelta));
        if (improved) {
            best = v;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestState = snapshot(training.model().stateDict());
            }
            return;
        }
        wait++;
        if (wait >= Math.max(1, patience)) {
            stoppedEpoch = epoch;
            training.stop(String.format(Locale.ROOT, "%s did not improve for %d epoch%s (best %s at epoch %d%s)",
                    monitored, wait, wait == 1 ? "" : "s", Format.metric(best), bestEpoch + 1,
                    restoreBestWeights && bestState != null ? ", whose weights are restored" : ""));
        }
    }

    @Override
    public void onTrainEnd(Training training) {
        if (restoreBestWeights && bestState != null && bestEpoch != lastEpoch) {
            training.model().loadStateDict(bestState);
            restored = true;
        }
        bestState = null;
    }

    private static Map<String, Tensor> snapshot(Map<String, Tensor> state) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        try (var g = Grad.off()) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                copy.put(e.getKey(), e.getValue().clone());
            }
        }
        return copy;
    }

    @Override
    public String toString() {
        return "EarlyStopping(monitor=" + (monitor() == null ? "val_loss" : monitor()) + ", patience=" + patience
                + (minDelta != 0 ? ", minDelta=" + minDelta : "") + (mode != Mode.AUTO ? ", mode=" + mode : "")
                + (restoreBestWeights ? ", restoreBestWeights" : "") + ")";
    }
}
