package dev.vectorgrad.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line chart as data: a title, axis labels and named {@link Series}. It draws nothing itself; the
 * Jupyter kernel renders it (PNG or SVG), and {@link #toString()} sketches it in text for terminals.
 *
 * <pre>{@code
 * var chart = LineChart.of("Learning rate", "epoch", "lr", Series.of("StepLR", lrs));
 * }</pre>
 */
public final class LineChart {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;

    public LineChart(String title, String xLabel, String yLabel, List<Series> series) {
        this.title = Objects.requireNonNull(title, "LineChart: title is null");
        this.xLabel = Objects.requireNonNull(xLabel, "LineChart: xLabel is null");
        this.yLabel = Objects.requireNonNull(yLabel, "LineChart: yLabel is null");
        Objects.requireNonNull(series, "LineChart: series is null");
        List<String> names = new ArrayList<>();
        for (Series s : series) {
            Objects.requireNonNull(s, "LineChart: a series is null");
            if (names.contains(s.name())) {
                throw new IllegalArgumentException("LineChart '" + title + "': two series are named '" + s.name() + "'");
            }
            names.add(s.name());
        }
        this.series = List.copyOf(series);
    }

    public static LineChart of(String title, String xLabel, String yLabel, Series... series) {
        return new LineChart(title, xLabel, yLabel, List.of(series));
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

    /** The series, in drawing (and legend) order. */
    public List<Series> series() {
        return series;
    }

    /** The series named {@code name}; an error listing the names if there is none. */
    public Series series(String name) {
        for (Series s : series) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("LineChart '" + title + "' has no series '" + name + "'; it has "
                + series.stream().map(Series::name).toList());
    }

    /** A copy with one more series. */
    public LineChart with(Series s) {
        List<Series> more = new ArrayList<>(series);
        more.add(s);
        return new LineChart(title, xLabel, yLabel, more);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(title).append(" (").append(yLabel).append(" by ").append(xLabel).append(')');
        for (Series s : series) {
            sb.append("\n  ").append(s);
        }
        return sb.toString();
    }
}
