package dev.vectorgrad.bench;

import java.util.Map;

/**
 * One JMH result as the raw JSON has it: benchmark, parameters, mode, and the primary metric's score,
 * error (half-width of JMH's 99.9% confidence interval; NaN with a single iteration), unit and median.
 */
record Measurement(String benchmark, Map<String, String> params, String mode,
                   double score, double error, String unit, double median) {

    /** Simple name of the benchmark class, e.g. "GemmBench". */
    String benchClass() {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
    }

    /** Name of the benchmark method, e.g. "add". */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String param(String key) {
        return params.get(key);
    }

    /** Seconds per operation (for time-per-op and throughput units alike), NaN if the unit is unknown. */
    double secondsPerOp() {
        return Units.secondsPerOp(score, unit);
    }

    /** Relative error of the score (and of anything proportional or inversely proportional to it). */
    double relativeError() {
        return error / score;
    }

    /** {@code work} units per second (e.g. flops, bytes) and its error, scaled by {@code scale}. */
    double[] rate(double work, double scale) {
        double r = work / secondsPerOp() / scale;
        return new double[]{r, r * relativeError()};
    }
}
