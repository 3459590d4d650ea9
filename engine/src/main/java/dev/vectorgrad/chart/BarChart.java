package dev.vectorgrad.chart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A bar chart as data: categories along the x axis and one or more named groups of bars (one value
 * per category each), such as benchmark results per backend or final accuracy per optimizer.
 * Drawn by the Jupyter kernel; {@link #toString()} draws it in text.
 *
 * <pre>{@code
 * BarChart.of("SGEMM 256x256", "GFLOP/s", List.of("scalar", "simd"),
 *         new BarChart.Bars("this machine", 1.9, 41.0))
 * }</pre>
 */
public final class BarChart {

    /** One group of bars: a value per category (NaN: no bar). */
    public record Bars(String name, double... values) {

        public Bars {
            Objects.requireNonNull(name, "Bars: name is null");
            Objects.requireNonNull(values, "Bars: values is null");
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bars b && name.equals(b.name) && Arrays.equals(values, b.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(values));
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(values);
        }
    }

    private final String title;
    private final String yLabel;
    private final List<String> categories;
    private final List<Bars> groups;

    public BarChart(String title, String yLabel, List<String> categories, List<Bars> groups) {
        this.title = Objects.requireNonNull(title, "BarChart: title is null");
        this.yLabel = Objects.requireNonNull(yLabel, "BarChart: yLabel is null");
        Objects.requireNonNull(categories, "BarChart: categories is null");
        Objects.requireNonNull(groups, "BarChart: groups is null");
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("BarChart '" + title + "': no categories");
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("BarChart '" + title + "': no bars");
        }
        List<String> names = new ArrayList<>();
        for (Bars b : groups) {
            Objects.requireNonNull(b, "BarChart: a group is null");
            if (b.values.length != categories.size()) {
                throw new IllegalArgumentException("BarChart '" + title + "': group '" + b.name() + "' has "
                        + b.values.length + " values for " + categories.size() + " categories " + categories);
            }
            if (names.contains(b.name())) {
                throw new IllegalArgumentException("BarChart '" + title + "': two groups are named '" + b.name() + "'");
            }
            names.add(b.name());
        }
        this.categories = List.copyOf(categories);
        this.groups = List.copyOf(groups);
    }

    public static BarChart of(String title, String yLabel, List<String> categories, Bars... groups) {
        return new BarChart(title, yLabel, categories, List.of(groups));
    }

    /** One group of bars, {@code values[i]} for {@code categories[i]}. */
    public static BarChart of(String title, String yLabel, List<String> categories, double... values) {
        return of(title, yLabel, categories, new Bars(yLabel, values));
    }

    public String title() {
        return title;
    }

    public String yLabel() {
        return yLabel;
    }

    public List<String> categories() {
        return categories;
    }

    /** The groups, in drawing (and legend) order. */
    public List<Bars> groups() {
        return groups;
    }

    /** The value of group {@code group} for category {@code category}. */
    public double value(String group, String category) {
        int c = categories.indexOf(category);
        if (c < 0) {
            throw new IllegalArgumentException("BarChart '" + title + "' has no category '" + category + "'; it has "
                    + categories);
        }
        for (Bars b : groups) {
            if (b.name().equals(group)) {
                return b.values[c];
            }
        }
        throw new IllegalArgumentException("BarChart '" + title + "' has no group '" + group + "'; it has "
                + groups.stream().map(Bars::name).toList());
    }

    /** The title, then one line per bar, {@code ████▌ 12.5}, scaled to the largest value. */
    @Override
    public String toString() {
        double max = 0;
        for (Bars b : groups) {
            for (double v : b.values) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        int labelWidth = 0;
        for (String c : categories) {
            labelWidth = Math.max(labelWidth, c.length());
        }
        StringBuilder sb = new StringBuilder(title).append(" (").append(yLabel).append(')');
        for (Bars b : groups) {
            if (groups.size() > 1) {
                sb.append("\n  ").append(b.name());
            }
            for (int i = 0; i < categories.size(); i++) {
                double v = b.values[i];
                sb.append("\n  ").append(String.format(Locale.ROOT, "%-" + labelWidth + "s ", categories.get(i)));
                if (Double.isFinite(v)) {
                    int eighths = max == 0 ? 0 : (int) Math.round(Math.abs(v) / max * 30 * 8);
                    sb.append("█".repeat(eighths / 8));
                    if (eighths % 8 != 0) {
                        sb.append("▏▎▍▌▋▊▉".charAt(eighths % 8 - 1));
                    }
                    sb.append(' ').append(Series.format(v));
                } else {
                    sb.append("-");
                }
            }
        }
        return sb.toString();
    }
}
