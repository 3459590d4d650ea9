package dev.vectorgrad.train;

import java.util.Locale;

/** Number and duration formats shared by progress lines, tables and messages. */
final class Format {

    private Format() {
    }

    /** A loss or accuracy: four decimals, or scientific notation when tiny or huge. */
    static String metric(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A learning rate as written by hand: {@code 0.1}, {@code 0.001}, {@code 1e-05}. */
    static String lr(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            String s = String.format(Locale.ROOT, "%.6g", v);
            if (s.contains(".")) {
                s = s.replaceAll("0+$", "");
                s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+e", "e");
    }

    /** {@code 0.35s}, {@code 12.3s}, {@code 2m05s}, {@code 1h02m}. */
    static String seconds(double s) {
        if (!Double.isFinite(s) || s < 0) {
            return "?";
        }
        if (s < 10) {
            return String.format(Locale.ROOT, "%.2fs", s);
        }
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", s);
        }
        long t = Math.round(s);
        if (t < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
    }

    /** {@code 5,123}; one decimal below 10. */
    static String rate(double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "?";
        }
        return perSecond < 10 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
