package dev.vectorgrad.bench;

import java.util.Locale;

/** Number formatting for the report: a few significant digits, "—" for what was not measured. */
final class Fmt {

    /** What a cell shows when there is no measurement. */
    static final String NONE = "—";

    private Fmt() {
    }

    /** About three significant digits, no exponent for the magnitudes a report shows. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return NONE;
        }
        int d = decimals(v);
        return d < 0 ? String.format(Locale.ROOT, "%.2g", v) : String.format(Locale.ROOT, "%." + d + "f", v);
    }

    /** Decimals {@link #num} shows for {@code v}; -1 for very small values, which get two significant digits. */
    private static int decimals(double v) {
        double a = Math.abs(v);
        return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.01 ? 3 : -1;
    }

    /** {@code value ± error} with the error at the value's precision; the error is left out when unknown. */
    static String pm(double v, double err) {
        if (Double.isNaN(v)) {
            return NONE;
        }
        if (Double.isNaN(err) || Double.isInfinite(err)) {
            return num(v);
        }
        // The error at the value's precision, unless that would round it away.
        int d = decimals(v);
        String e = d < 0 ? num(err) : String.format(Locale.ROOT, "%." + d + "f", err);
        if (d >= 0 && Double.parseDouble(e) == 0 && err > 0) {
            e = String.format(Locale.ROOT, "%.2g", err);
        }
        return num(v) + " ± " + e;
    }

    /** {@code a / b} as a factor, e.g. "3.41×". */
    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return NONE;
        }
        return num(a / b) + "×";
    }

    /** {@code a / b} as a percentage, e.g. "87%". */
    static String percent(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return NONE;
        }
        return num(100 * a / b) + "%";
    }

    /** Element counts the way the benchmarks name them: 1K, 64K, 1M, 16M. */
    static String count(long n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + "M";
        }
        if (n >= 1 << 10 && n % (1 << 10) == 0) {
            return (n >> 10) + "K";
        }
        return Long.toString(n);
    }
}
