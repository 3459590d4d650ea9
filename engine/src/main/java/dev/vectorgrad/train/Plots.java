package dev.vectorgrad.train;

import dev.vectorgrad.chart.DecisionBoundary;
import dev.vectorgrad.chart.ScatterChart;
import dev.vectorgrad.chart.Series;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.Dataset;
import dev.vectorgrad.data.Transform;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Chart data for 2-D classification sets and the models trained on them, for the notebook kernel to
 * draw ({@link ScatterChart}, {@link DecisionBoundary}).
 *
 * <pre>{@code
 * var data = Synthetic.spiral(400, 0.05, 0L);
 * Plots.scatter(data)                                       // the points, one colour per class
 * Trainer.fit(model, data, Loss.crossEntropy(), opt, Fit.epochs(200));
 * Plots.decisionBoundary(model, data)                       // the model's regions under the points
 * Plots.decisionBoundary(model, data, Features.of("x^2", "y^2"))   // a model trained on derived features
 * }</pre>
 *
 * The dataset's features must be points {@code (N, 2)} and its targets class indices {@code (N)}.
 */
public final class Plots {

    /** Grid cells along the longer side of the area when none is given. */
    public static final int DEFAULT_RESOLUTION = 100;
    /** The area drawn extends this fraction of the data's extent beyond it on every side. */
    static final double MARGIN = 0.08;

    private Plots() {
    }

    /** The points of a 2-D classification set, one group per class. */
    public static ScatterChart scatter(Dataset data) {
        return scatter("Data (" + sizeOf(data) + " points)", data);
    }

    /** As {@link #scatter(Dataset)}, with a title. */
    public static ScatterChart scatter(String title, Dataset data) {
        Points p = Points.of("scatter", data);
        return new ScatterChart(title, "x", "y", p.groups(p.classCount()));
    }

    /** The model's decision regions over the data's area (a 100-cell grid on the longer side) and the points. */
    public static DecisionBoundary decisionBoundary(Module model, Dataset data) {
        return decisionBoundary(model, data, null, DEFAULT_RESOLUTION);
    }

    /**
     * As {@link #decisionBoundary(Module, Dataset)} for a model that takes derived features: the grid
     * points {@code (x, y)} pass through {@code features} before the model sees them, while the
     * picture stays in the plane of the points.
     */
    public static DecisionBoundary decisionBoundary(Module model, Dataset data, Transform features) {
        return decisionBoundary(model, data, features, DEFAULT_RESOLUTION);
    }

    /**
     * The model's predicted class and its probability on a grid of {@code resolution} cells along the
     * longer side of the data's area (plus a margin), evaluated in eval mode without a graph, and the
     * data's points. Outputs {@code (M, C)} with {@code C >= 2} are class scores (softmax); outputs
     * {@code (M)} or {@code (M, 1)} are one probability (used as is when every value lies in [0, 1],
     * passed through the sigmoid otherwise) with class 1 at 0.5 and above. The title gives the model's
     * accuracy on the data's points.
     */
    public static DecisionBoundary decisionBoundary(Module model, Dataset data, Transform features, int resolution) {
        Objects.requireNonNull(model, "decisionBoundary: model is null");
        if (resolution < 2 || resolution > 2000) {
            throw new IllegalArgumentException("decisionBoundary: resolution must lie in 2..2000, got " + resolution);
        }
        Points p = Points.of("decisionBoundary", data);
        double xLo = p.min(0);
        double xHi = p.max(0);
        double yLo = p.min(1);
        double yHi = p.max(1);
        double span = Math.max(Math.max(xHi - xLo, yHi - yLo), 1e-6);
        double pad = span * MARGIN;
        xLo -= pad;
        xHi += pad;
        yLo -= pad;
        yHi += pad;
        double w = xHi - xLo;
        double h = yHi - yLo;
        int columns = w >= h ? resolution : Math.max(2, (int) Math.round(resolution * w / h));
        int rows = h >= w ? resolution : Math.max(2, (int) Math.round(resolution * h / w));

        float[] grid = new float[2 * columns * rows];
        for (int r = 0; r < rows; r++) {
            double y = yLo + (r + 0.5) * h / rows;
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                grid[2 * i] = (float) (xLo + (c + 0.5) * w / columns);
                grid[2 * i + 1] = (float) y;
            }
        }
        Prediction onGrid = predict(model, Tensor.fromArray(grid, columns * rows, 2), features);
        Prediction onPoints = predict(model, p.x, features);
        int correct = 0;
        for (int i = 0; i < p.n; i++) {
            if (onPoints.classes[i] == p.labels[i]) {
                correct++;
            }
        }
        int classCount = Math.max(p.classCount(), onGrid.classCount);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classCount; k++) {
            names.add("class " + k);
        }
        String title = String.format(Locale.ROOT, "Decision boundary (accuracy %.1f%%)", 100.0 * correct / p.n);
        return new DecisionBoundary(title, "x", "y", xLo, xHi, yLo, yHi, columns, rows, onGrid.classes,
                onGrid.confidence, names, p.groups(classCount));
    }

    // ------------------------------------------------------------------ internals

    private static int sizeOf(Dataset data) {
        Objects.requireNonNull(data, "data is null");
        return data.size();
    }

    /** Class and probability of that class, per row. */
    private record Prediction(int[] classes, float[] confidence, int classCount) {
    }

    private static Prediction predict(Module model, Tensor points, Transform features) {
        Tensor in = features == null ? points : features.apply(points);
        Tensor out = Trainer.predict(model, in, 4096);
        int m = points.size(0);
        int[] shape = out.shape();
        if (shape.length == 0 || shape[0] != m || shape.length > 2) {
            throw new IllegalArgumentException("decisionBoundary: the model maps " + m + " points to "
                    + Shapes.format(shape) + "; expected class scores (" + m + ",C) or one probability (" + m + ")");
        }
        float[] v = out.contiguous().toArray();
        int c = shape.length == 2 ? shape[1] : 1;
        int[] classes = new int[m];
        float[] conf = new float[m];
        if (c == 1) {
            boolean probabilities = true;
            for (float f : v) {
                probabilities &= f >= 0 && f <= 1;
            }
            for (int i = 0; i < m; i++) {
                double q = probabilities ? v[i] : 1 / (1 + Math.exp(-v[i]));
                classes[i] = q >= 0.5 ? 1 : 0;
                conf[i] = (float) Math.max(q, 1 - q);
            }
            return new Prediction(classes, conf, 2);
        }
        for (int i = 0; i < m; i++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                double s = v[i * c + k];
                if (s > max) {
                    max = s;
                    best = k;
                }
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(v[i * c + k] - max);
            }
            classes[i] = best;
            conf[i] = (float) (1 / sum);
        }
        return new Prediction(classes, conf, c);
    }

    /** The points and labels of a 2-D classification set. */
    private record Points(Tensor x, float[] xy, int[] labels, int n) {

        static Points of(String what, Dataset data) {
            Objects.requireNonNull(data, what + ": data is null");
            if (data.size() == 0) {
                throw new IllegalArgumentException(what + ": the dataset is empty");
            }
            Batch all = data.all();
            Tensor x = all.x();
            Tensor y = all.y();
            if (x.dim() != 2 || x.size(1) != 2) {
                throw new IllegalArgumentException(what + ": expects 2-D points (N,2), got features "
                        + Shapes.format(x.shape()) + (x.dim() == 2 ? "; pass the dataset of points and the feature"
                        + " map separately: decisionBoundary(model, points, Features.of(...))" : ""));
            }
            if (y.numel() != x.size(0)) {
                throw new IllegalArgumentException(what + ": expects one class index per point, got targets "
                        + Shapes.format(y.shape()) + " for " + x.size(0) + " points");
            }
            float[] lv = y.contiguous().toArray();
            int[] labels = new int[lv.length];
            for (int i = 0; i < lv.length; i++) {
                labels[i] = Math.round(lv[i]);
                if (labels[i] < 0 || labels[i] != lv[i]) {
                    throw new IllegalArgumentException(what + ": target " + i + " is " + lv[i]
                            + "; expects class indices 0, 1, ...");
                }
            }
            return new Points(x, x.contiguous().toArray(), labels, labels.length);
        }

        int classCount() {
            int k = 0;
            for (int l : labels) {
                k = Math.max(k, l + 1);
            }
            return k;
        }

        double min(int axis) {
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.min(m, xy[2 * i + axis]);
            }
            return m;
        }

        double max(int axis) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, xy[2 * i + axis]);
            }
            return m;
        }

        List<Series> groups(int classCount) {
            int[] count = new int[classCount];
            for (int l : labels) {
                count[l]++;
            }
            double[][] xs = new double[classCount][];
            double[][] ys = new double[classCount][];
            for (int k = 0; k < classCount; k++) {
                xs[k] = new double[count[k]];
                ys[k] = new double[count[k]];
            }
            int[] at = new int[classCount];
            for (int i = 0; i < n; i++) {
                int k = labels[i];
                xs[k][at[k]] = xy[2 * i];
                ys[k][at[k]] = xy[2 * i + 1];
                at[k]++;
            }
            List<Series> out = new ArrayList<>();
            for (int k = 0; k < classCount; k++) {
                out.add(new Series("class " + k, xs[k], ys[k]));
            }
            return out;
        }
    }
}
