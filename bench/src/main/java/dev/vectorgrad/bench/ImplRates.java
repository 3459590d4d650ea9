package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A rate (GFLOP/s, GB/s) with its error for each CPU implementation ({@link Impl#CPU}) in one table
 * row, and the cells the report shows for them: the rates and the SIMD-over-scalar ratios.
 */
record ImplRates(double[] rate, double[] error) {

    /**
     * Rates from the measurement of each implementation ({@code lookup} by impl name): {@code work}
     * units per op divided by seconds per op, divided by {@code scale} (1e9 for G-units).
     */
    static ImplRates of(Function<String, Optional<Measurement>> lookup, double work, double scale) {
        int n = Impl.CPU.size();
        double[] r = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            Optional<Measurement> m = lookup.apply(Impl.CPU.get(i));
            double[] re = m.map(x -> x.rate(work, scale)).orElse(new double[]{Double.NaN, Double.NaN});
            r[i] = re[0];
            e[i] = re[1];
        }
        return new ImplRates(r, e);
    }

    double scalar() {
        return rate[0];
    }

    double simd1() {
        return rate[1];
    }

    double simdAll() {
        return rate[2];
    }

    /** Column headings matching {@link #rateCells()}. */
    static List<String> rateHeaders(int allThreads) {
        return Impl.CPU.stream().map(i -> Impl.label(i, allThreads)).toList();
    }

    List<String> rateCells() {
        List<String> c = new ArrayList<>();
        for (int i = 0; i < rate.length; i++) {
            c.add(Fmt.pm(rate[i], error[i]));
        }
        return c;
    }

    /** Column headings matching {@link #speedupCells()}. */
    static List<String> speedupHeaders(int allThreads) {
        return List.of("SIMD 1t / scalar", "SIMD " + allThreads + "t / scalar");
    }

    List<String> speedupCells() {
        return List.of(Fmt.ratio(simd1(), scalar()), Fmt.ratio(simdAll(), scalar()));
    }
}
