package dev.vectorgrad.train;

import dev.vectorgrad.chart.Chart;
import dev.vectorgrad.chart.LineChart;
import dev.vectorgrad.chart.Series;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Trainer#fit} recorded, Keras' {@code History}: per epoch the metrics ({@code loss},
 * {@code accuracy}, {@code val_loss}, {@code val_accuracy}, {@code lr} when scheduled), the wall time
 * and the throughput; per batch the loss.
 *
 * <pre>{@code
 * History h = Trainer.fit(model, data.train(), Loss.crossEntropy(), opt, Fit.epochs(10).validation(data.test()));
 * h                          // a table, one row per epoch
 * h.get("val_accuracy")      // [0.81, 0.84, ...]; also h.valAccuracy()
 * h.best("val_loss")         // the lowest validation loss, h.bestEpoch("val_loss") its epoch (from 0)
 * h.plot()                   // a Chart: loss and accuracy curves, training and validation
 * }</pre>
 *
 * <p>Epochs are counted from 0 in indices (as in lists) and from 1 in the table and the charts.
 */
public final class History {

    private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
    private final List<Double> batchLosses = new ArrayList<>();
    private final List<Integer> epochBatches = new ArrayList<>();
    private final List<Double> epochTimes = new ArrayList<>();
    private final List<Double> samplesPerSecond = new ArrayList<>();
    private final List<Double> learningRates = new ArrayList<>();
    private String stopReason;
    private int epochs;

    History() {
    }

    // ================================================================ recording (by Trainer)

    void addBatch(double loss) {
        batchLosses.add(loss);
    }

    void addEpoch(Map<String, Double> logs, int batches, double seconds, double rate, double lr) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            List<Double> values = metrics.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            while (values.size() < epochs) {
                values.add(Double.NaN); // a metric that appears late: earlier epochs did not measure it
            }
            values.add(e.getValue());
        }
        epochs++;
        for (List<Double> values : metrics.values()) {
            while (values.size() < epochs) {
                values.add(Double.NaN);
            }
        }
        epochBatches.add(batches);
        epochTimes.add(seconds);
        samplesPerSecond.add(rate);
        learningRates.add(lr);
    }

    void setStopReason(String reason) {
        this.stopReason = reason;
    }

    // ================================================================ reading

    /** The number of completed epochs. */
    public int epochs() {
        return epochs;
    }

    /** The metric names, in the order they were first logged ({@code loss} first). */
    public List<String> metrics() {
        return List.copyOf(metrics.keySet());
    }

    /** Whether {@code metric} was logged. */
    public boolean has(String metric) {
        return metrics.containsKey(metric);
    }

    /** The values of {@code metric}, one per epoch (unmodifiable); an error listing the names if absent. */
    public List<Double> get(String metric) {
        Objects.requireNonNull(metric, "History.get: metric is null");
        List<Double> values = metrics.get(metric);
        if (values == null) {
            throw new IllegalArgumentException("this history has no metric '" + metric + "'; it has " + metrics.keySet()
                    + (metric.startsWith("val_") ? " (validation metrics need Fit.validation(...))" : "")
                    + (metric.endsWith("accuracy") ? " (accuracy needs class scores (N, C) and class-index targets)"
                    : ""));
        }
        return Collections.unmodifiableList(values);
    }

    /** The last value of {@code metric}. */
    public double last(String metric) {
        List<Double> v = get(metric);
        if (v.isEmpty()) {
            throw new IllegalStateException("no epoch has completed yet");
        }
        return v.get(v.size() - 1);
    }

    /**
     * The best value of {@code metric}: the largest for accuracies (names containing {@code acc}), the
     * smallest otherwise. NaN values are ignored.
     */
    public double best(String metric) {
        int e = bestEpoch(metric);
        return e < 0 ? Double.NaN : get(metric).get(e);
    }

    /** The epoch (from 0) of {@link #best(String)}, the first one on ties; -1 when there is none. */
    public int bestEpoch(String metric) {
        List<Double> v = get(metric);
        boolean max = higherIsBetter(metric);
        int best = -1;
        for (int i = 0; i < v.size(); i++) {
            double x = v.get(i);
            if (Double.isNaN(x)) {
                continue;
            }
            if (best < 0 || (max ? x > v.get(best) : x < v.get(best))) {
                best = i;
            }
        }
        return best;
    }

    static boolean higherIsBetter(String metric) {
        return metric.contains("acc");
    }

    /** Training loss per epoch: the mean over the epoch's batches. */
    public List<Double> loss() {
        return get("loss");
    }

    /** Training accuracy per epoch. */
    public List<Double> accuracy() {
        return get("accuracy");
    }

    /** Validation loss per epoch. */
    public List<Double> valLoss() {
        return get("val_loss");
    }

    /** Validation accuracy per epoch. */
    public List<Double> valAccuracy() {
        return get("val_accuracy");
    }

    /** The learning rate (of the first parameter group) used in each epoch, scheduled or not. */
    public List<Double> learningRates() {
        return Collections.unmodifiableList(learningRates);
    }

    /** The loss of every batch, all epochs in order (including a partial epoch cut short). */
    public List<Double> batchLosses() {
        return Collections.unmodifiableList(batchLosses);
    }

    /** Batches trained in each completed epoch. */
    public List<Integer> batchesPerEpoch() {
        return Collections.unmodifiableList(epochBatches);
    }

    /** Wall time of each epoch in seconds, validation included. */
    public List<Double> epochTimes() {
        return Collections.unmodifiableList(epochTimes);
    }

    /** Training throughput of each epoch (validation excluded). */
    public List<Double> samplesPerSecond() {
        return Collections.unmodifiableList(samplesPerSecond);
    }

    /** Total wall time of the completed epochs, in seconds. */
    public double totalSeconds() {
        double s = 0;
        for (double t : epochTimes) {
            s += t;
        }
        return s;
    }

    /** Every metric by name, Keras' {@code history.history} (a copy). */
    public Map<String, List<Double>> asMap() {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : metrics.entrySet()) {
            out.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return out;
    }

    /** Whether a callback (such as {@link EarlyStopping}) ended training before the last epoch. */
    public boolean stoppedEarly() {
        return stopReason != null;
    }

    /** Why training stopped early, or null when every epoch ran. */
    public String stopReason() {
        return stopReason;
    }

    // ================================================================ charts

    /**
     * The learning curves: a "Loss" panel ({@code loss}, {@code val_loss}) and, when accuracy was
     * measured, an "Accuracy" panel ({@code accuracy}, {@code val_accuracy}), by epoch (from 1).
     */
    public Chart plot() {
        List<LineChart> panels = new ArrayList<>();
        panels.add(panel("Loss", "loss", "loss", "val_loss"));
        if (has("accuracy") || has("val_accuracy")) {
            panels.add(panel("Accuracy", "accuracy", "accuracy", "val_accuracy"));
        }
        return new Chart("Training history", panels);
    }

    /**
     * One panel with the given metrics by epoch (from 1), such as {@code plot("loss", "val_loss")};
     * {@code "lr"} is the learning rate of each epoch, scheduled or not.
     */
    public Chart plot(String... metrics) {
        Objects.requireNonNull(metrics, "plot: metrics is null");
        if (metrics.length == 0) {
            return plot();
        }
        for (String m : metrics) {
            if (!m.equals("lr")) {
                get(m); // a clear error for an unknown name
            }
        }
        String title = String.join(", ", metrics);
        return new Chart("Training history", List.of(panel(title, title, metrics)));
    }

    /** The loss of every batch, by batch number (from 1). */
    public LineChart plotBatches() {
        return LineChart.of("Loss per batch", "batch", "loss", Series.of("batch_loss", batchLosses));
    }

    private LineChart panel(String title, String yLabel, String... names) {
        List<Series> series = new ArrayList<>();
        for (String n : names) {
            if (n.equals("lr") && !has("lr")) {
                series.add(Series.of("lr", learningRates));
            } else if (has(n)) {
                series.add(Series.of(n, get(n)));
            }
        }
        return new LineChart(title, "epoch", yLabel, series);
    }

    // ================================================================ text

    /**
     * A table, one row per epoch:
     * <pre>
     * epoch    loss  accuracy  val_loss  val_accuracy   time  samples/s
     *     1  0.6931    0.5120    0.6102        0.7000  0.21s      9,512
     * </pre>
     * with an {@code lr} column when the rate changed, and the stop reason at the end.
     */
    @Override
    public String toString() {
        if (epochs == 0) {
            return "History(no epochs completed" + (batchLosses.isEmpty() ? "" : ", " + batchLosses.size() + " batches")
                    + ")";
        }
        List<String> cols = new ArrayList<>(metrics.keySet());
        boolean lrChanged = learningRates.stream().distinct().count() > 1;
        if (lrChanged && !cols.contains("lr")) {
            cols.add("lr");
        }
        List<String> header = new ArrayList<>();
        header.add("epoch");
        header.addAll(cols);
        header.add("time");
        header.add("samples/s");
        List<List<String>> rows = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            List<String> row = new ArrayList<>();
            row.add(String.valueOf(e + 1));
            for (String c : cols) {
                if (c.equals("lr")) {
                    row.add(Format.lr(has("lr") ? metrics.get("lr").get(e) : learningRates.get(e)));
                } else {
                    row.add(Format.metric(metrics.get(c).get(e)));
                }
            }
            row.add(Format.seconds(epochTimes.get(e)));
            row.add(Format.rate(samplesPerSecond.get(e)));
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        for (List<String> r : rows) {
            sb.append('\n');
            appendRow(sb, r, width);
        }
        if (stopReason != null) {
            sb.append("\nStopped early: ").append(stopReason);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append("  ");
            }
            sb.append(String.format(Locale.ROOT, "%" + width[c] + "s", cells.get(c)));
        }
    }
}
