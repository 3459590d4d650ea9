package dev.vectorgrad.chart;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One named line of a {@link LineChart}: points {@code (x[i], y[i])} in drawing order. NaN in
 * {@code y} is a gap (a point not measured). The arrays are copied in and out, so a series never
 * changes.
 */
public record Series(String name, double[] x, double[] y) {

    public Series {
        Objects.requireNonNull(name, "Series: name is null");
        Objects.requireNonNull(x, "Series: x is null");
        Objects.requireNonNull(y, "Series: y is null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("Series '" + name + "': " + x.length + " x values but " + y.length
                    + " y values; every point needs both");
        }
        x = x.clone();
        y = y.clone();
    }

    /** The values {@code y} at {@code x = 1, 2, ..., n} (epochs, steps). */
    public static Series of(String name, List<? extends Number> y) {
        Objects.requireNonNull(y, "Series: y is null");
        double[] xs = new double[y.size()];
        double[] ys = new double[y.size()];
        for (int i = 0; i < ys.length; i++) {
            xs[i] = i + 1;
            Number v = y.get(i);
            ys[i] = v == null ? Double.NaN : v.doubleValue();
        }
        return new Series(name, xs, ys);
    }

    /** The values {@code y} at {@code x = 1, 2, ..., n}. */
    public static Series of(String name, double... y) {
        double[] xs = new double[y.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
        }
        return new Series(name, xs, y);
    }

    /** The x coordinates (a copy). */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** The y coordinates (a copy). */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** Number of points. */
    public int size() {
        return y.length;
    }

    /** Smallest finite y, or NaN when there is none. */
    public double minY() {
        double m = Double.NaN;
        for (double v : y) {
            if (Double.isFinite(v) && !(v >= m)) {
                m = v;
            }
        }
        return m;
    }

    /** Largest finite y, or NaN when there is none. */
    public double maxY() {
        double m = Double.NaN;
        for (double v : y) {
            if (Double.isFinite(v) && !(v <= m)) {
                m = v;
            }
        }
        return m;
    }

    /**
     * The y values as a one-line bar sketch ({@code ▇▅▃▂▂▁}) for terminals and logs, at most
     * {@code width} characters (longer series are sampled evenly); a space for a missing point.
     */
    public String sparkline(int width) {
        final String bars = "▁▂▃▄▅▆▇█";
        int n = y.length;
        if (n == 0 || width < 1) {
            return "";
        }
        int cols = Math.min(n, width);
        double lo = minY();
        double hi = maxY();
        StringBuilder sb = new StringBuilder(cols);
        for (int c = 0; c < cols; c++) {
            int i = cols == 1 ? n - 1 : (int) Math.round((double) c * (n - 1) / (cols - 1));
            double v = y[i];
            if (!Double.isFinite(v)) {
                sb.append(' ');
            } else if (!(hi > lo)) {
                sb.append(bars.charAt(3));
            } else {
                int level = (int) Math.round((v - lo) / (hi - lo) * (bars.length() - 1));
                sb.append(bars.charAt(level));
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(x), Arrays.hashCode(y));
    }

    /** {@code loss: 10 points ▇▅▃▂▂▁ 0.6931 .. 0.1203}. */
    @Override
    public String toString() {
        if (y.length == 0) {
            return name + ": no points";
        }
        return name + ": " + y.length + (y.length == 1 ? " point " : " points ") + sparkline(40) + " "
                + format(y[0]) + " .. " + format(y[y.length - 1]);
    }

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
