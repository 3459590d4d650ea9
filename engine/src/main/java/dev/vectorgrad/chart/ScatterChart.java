package dev.vectorgrad.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scatter plot as data: a title, axis labels and named groups of points (one {@link Series} per
 * group, such as one per class of a 2-D dataset). Drawn by the Jupyter kernel as markers without
 * lines; {@link #toString()} summarises it in text.
 *
 * <pre>{@code
 * ScatterChart.of("circle", "x", "y", new Series("class 0", xs0, ys0), new Series("class 1", xs1, ys1));
 * Plots.scatter(Synthetic.circle(200, 0.1, 0L))      // the same, one group per class
 * }</pre>
 */
public final class ScatterChart {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> groups;

    public ScatterChart(String title, String xLabel, String yLabel, List<Series> groups) {
        this.title = Objects.requireNonNull(title, "ScatterChart: title is null");
        this.xLabel = Objects.requireNonNull(xLabel, "ScatterChart: xLabel is null");
        this.yLabel = Objects.requireNonNull(yLabel, "ScatterChart: yLabel is null");
        this.groups = List.copyOf(checkedGroups("ScatterChart '" + title + "'", groups));
    }

    public static ScatterChart of(String title, String xLabel, String yLabel, Series... groups) {
        return new ScatterChart(title, xLabel, yLabel, List.of(groups));
    }

    static List<Series> checkedGroups(String what, List<Series> groups) {
        Objects.requireNonNull(groups, what + ": groups is null");
        List<String> names = new ArrayList<>();
        for (Series s : groups) {
            Objects.requireNonNull(s, what + ": a group is null");
            if (names.contains(s.name())) {
                throw new IllegalArgumentException(what + ": two groups are named '" + s.name() + "'");
            }
            names.add(s.name());
        }
        return groups;
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

    /** The groups of points, in drawing (and legend) order. */
    public List<Series> groups() {
        return groups;
    }

    /** The number of points in all groups. */
    public int points() {
        int n = 0;
        for (Series s : groups) {
            n += s.size();
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(title).append(" (").append(yLabel).append(" by ").append(xLabel).append(", ")
                .append(points()).append(" points)");
        for (Series s : groups) {
            sb.append("\n  ").append(s.name()).append(": ").append(s.size()).append(s.size() == 1 ? " point" : " points");
        }
        return sb.toString();
    }
}
