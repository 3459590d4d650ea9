package dev.vectorgrad.chart;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a 2-D classifier decides, as data: the predicted class and its probability on a regular grid
 * over a rectangle (drawn as a coloured background, paler where the model is less sure), with the
 * dataset's points on top, one {@link Series} per class. The TensorFlow Playground's picture.
 *
 * <p>Grid cell {@code (row, col)} is at index {@code row * columns + col}; row 0 is the bottom
 * ({@code y} near {@code yMin}), column 0 the left ({@code x} near {@code xMin}); its centre is
 * {@code x = xMin + (col + 0.5) * (xMax - xMin) / columns}, likewise for {@code y}.
 *
 * <p>Built by {@code Plots.decisionBoundary(model, dataset)} (package {@code train}); drawn by the
 * Jupyter kernel; {@link #toString()} sketches the regions in characters.
 */
public final class DecisionBoundary {

    /** Characters of the text sketch, by class. */
    private static final String CLASS_CHARS = ".#o+x*%@";

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final int columns;
    private final int rows;
    private final int[] classes;
    private final float[] confidence;
    private final List<String> classNames;
    private final List<Series> points;

    /**
     * @param classes    the predicted class of each grid cell, {@code rows * columns} values in
     *                   {@code [0, classNames.size())}
     * @param confidence the probability the model gives that class, per cell, in {@code [0, 1]}
     * @param classNames the class names, by class index
     * @param points     the dataset's points, one group per class (may be empty)
     */
    public DecisionBoundary(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin,
                            double yMax, int columns, int rows, int[] classes, float[] confidence,
                            List<String> classNames, List<Series> points) {
        this.title = Objects.requireNonNull(title, "DecisionBoundary: title is null");
        this.xLabel = Objects.requireNonNull(xLabel, "DecisionBoundary: xLabel is null");
        this.yLabel = Objects.requireNonNull(yLabel, "DecisionBoundary: yLabel is null");
        if (!(xMax > xMin) || !(yMax > yMin) || Double.isInfinite(xMax - xMin) || Double.isInfinite(yMax - yMin)) {
            throw new IllegalArgumentException("DecisionBoundary: the area [" + xMin + ", " + xMax + "] x [" + yMin + ", "
                    + yMax + "] is empty or not finite");
        }
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("DecisionBoundary: the grid needs at least 1x1 cells, got " + columns + "x"
                    + rows);
        }
        Objects.requireNonNull(classes, "DecisionBoundary: classes is null");
        Objects.requireNonNull(confidence, "DecisionBoundary: confidence is null");
        Objects.requireNonNull(classNames, "DecisionBoundary: classNames is null");
        int cells = Math.multiplyExact(columns, rows);
        if (classes.length != cells || confidence.length != cells) {
            throw new IllegalArgumentException("DecisionBoundary: a " + columns + "x" + rows + " grid has " + cells
                    + " cells, but got " + classes.length + " classes and " + confidence.length + " confidences");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("DecisionBoundary: no class names");
        }
        for (int c : classes) {
            if (c < 0 || c >= classNames.size()) {
                throw new IllegalArgumentException("DecisionBoundary: class " + c + " in the grid, but there are "
                        + classNames.size() + " classes " + classNames);
            }
        }
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
        this.columns = columns;
        this.rows = rows;
        this.classes = classes.clone();
        this.confidence = confidence.clone();
        this.classNames = List.copyOf(classNames);
        this.points = List.copyOf(ScatterChart.checkedGroups("DecisionBoundary '" + title + "'", points));
    }

    public String title() {
        return title;
    }

    public String xLabel() {
        return xLabel;
    }

    public String yLabel() {
        return yLabel;
    }

    public double xMin() {
        return xMin;
    }

    public double xMax() {
        return xMax;
    }

    public double yMin() {
        return yMin;
    }

    public double yMax() {
        return yMax;
    }

    /** Grid cells across. */
    public int columns() {
        return columns;
    }

    /** Grid cells up. */
    public int rows() {
        return rows;
    }

    /** Predicted class per cell (a copy), row 0 at the bottom. */
    public int[] classes() {
        return classes.clone();
    }

    /** Probability of the predicted class per cell (a copy). */
    public float[] confidence() {
        return confidence.clone();
    }

    /** The predicted class of grid cell {@code (row, col)}. */
    public int cellClass(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, columns);
        return classes[row * columns + col];
    }

    /** The probability of the predicted class of grid cell {@code (row, col)}. */
    public float cellConfidence(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, columns);
        return confidence[row * columns + col];
    }

    /** The predicted class at the point {@code (x, y)} (the cell holding it; points outside use the nearest cell). */
    public int classAt(double x, double y) {
        int col = (int) Math.floor((x - xMin) / (xMax - xMin) * columns);
        int row = (int) Math.floor((y - yMin) / (yMax - yMin) * rows);
        return cellClass(Math.clamp(row, 0, rows - 1), Math.clamp(col, 0, columns - 1));
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The dataset's points, one group per class. */
    public List<Series> points() {
        return points;
    }

    /** The share of grid cells predicted as {@code cls}, 0 to 1. */
    public double areaFraction(int cls) {
        int n = 0;
        for (int c : classes) {
            if (c == cls) {
                n++;
            }
        }
        return n / (double) classes.length;
    }

    /**
     * The title, then the regions in characters ({@code .} class 0, {@code #} class 1, {@code o},
     * {@code +}, ... for more), at most 48 wide, top row first.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(title);
        sb.append(String.format(Locale.ROOT, " (%s %.2f..%.2f, %s %.2f..%.2f, %dx%d grid)", xLabel, xMin, xMax, yLabel,
                yMin, yMax, columns, rows));
        int w = Math.min(48, columns);
        int h = Math.max(1, Math.min(16, (int) Math.round(w * (double) rows / columns / 2)));
        for (int r = h - 1; r >= 0; r--) {
            sb.append("\n  ");
            int row = (int) ((r + 0.5) * rows / h);
            for (int c = 0; c < w; c++) {
                int col = (int) ((c + 0.5) * columns / w);
                int k = cellClass(row, col);
                sb.append(k < CLASS_CHARS.length() ? CLASS_CHARS.charAt(k) : '?');
            }
        }
        for (int k = 0; k < classNames.size(); k++) {
            sb.append(k == 0 ? "\n  " : ", ").append(k < CLASS_CHARS.length() ? CLASS_CHARS.charAt(k) : '?').append(' ')
                    .append(classNames.get(k));
        }
        return sb.toString();
    }
}
