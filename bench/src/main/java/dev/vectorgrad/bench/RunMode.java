package dev.vectorgrad.bench;

/** How long each benchmark is measured, and whether the size sets are cut down. */
enum RunMode {
    /** The numbers to publish: 3 x 1 s warmup, 5 x 1 s measurement, every size. */
    FULL(1, 3, 1000, 5, 1000),
    /** A few minutes: 2 x 0.5 s warmup, 3 x 0.5 s measurement, smaller size sets. */
    QUICK(1, 2, 500, 3, 500),
    /** Checks the harness end to end in seconds; the numbers mean nothing. */
    SMOKE(1, 1, 100, 1, 100);

    final int forks;
    final int warmupIterations;
    final int warmupMillis;
    final int measurementIterations;
    final int measurementMillis;

    RunMode(int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
    }

    String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One line for the report, e.g. "forks 1, warmup 3 x 1000 ms, measurement 5 x 1000 ms". */
    String describe() {
        return "forks " + forks + ", warmup " + warmupIterations + " × " + warmupMillis + " ms, measurement "
                + measurementIterations + " × " + measurementMillis + " ms";
    }
}
