package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timed epochs of one TrainBench run: per epoch a line for the console, and at the end the JSON line
 * with the first epoch (which, without warm-up, includes the JIT's compile time and every first-use cost),
 * the best epoch, CPU time, the GC share and the peak heap over all timed epochs. Times of a truncated
 * epoch ({@code --steps}) are extrapolated to a whole one.
 */
final class EpochLog {

    /** One timed epoch as measured: wall time, what the JVM used meanwhile, and the peak heap. */
    record Epoch(long wallNanos, JvmProbe.Snapshot used, long peakHeapBytes) {
    }

    private final int stepsPerEpoch;
    private final int timedSteps;
    private final int batch;
    private final List<Epoch> epochs = new ArrayList<>();

    EpochLog(int stepsPerEpoch, int timedSteps, int batch) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.timedSteps = timedSteps;
        this.batch = batch;
    }

    /** Records an epoch and returns its console line. */
    String add(Epoch e) {
        epochs.add(e);
        double wallMs = e.wallNanos() / 1e6;
        long alloc = e.used().allocatedBytes();
        return String.format(Locale.ROOT,
                "epoch %d: %.3f s/epoch%s, %.3f ms/step, %.0f samples/s, CPU %.3f s/epoch (main thread %.3f ms/step),"
                        + " GC %.2f%% (%d collections, %d ms), peak heap %.1f MiB, allocated %.2f MiB/step",
                epochs.size(), epochSeconds(e), timedSteps < stepsPerEpoch ? " (from " + timedSteps + " steps)" : "",
                wallMs / timedSteps, timedSteps * (double) batch / (wallMs / 1e3), cpuEpochSeconds(e),
                e.used().mainCpuNanos() / 1e6 / timedSteps, 100.0 * e.used().gcMillis() / wallMs, e.used().gcCount(),
                e.used().gcMillis(), e.peakHeapBytes() / 1048576.0, alloc < 0 ? Double.NaN : alloc / 1048576.0 / timedSteps);
    }

    double epochSeconds(Epoch e) {
        return e.wallNanos() / 1e9 * stepsPerEpoch / timedSteps;
    }

    double cpuEpochSeconds(Epoch e) {
        return e.used().cpuNanos() / 1e9 * stepsPerEpoch / timedSteps;
    }

    double first() {
        return epochs.isEmpty() ? Double.NaN : epochSeconds(epochs.get(0));
    }

    double best() {
        return epochs.stream().mapToDouble(this::epochSeconds).min().orElse(Double.NaN);
    }

    /** Share of the timed wall time spent in GC pauses, over all timed epochs. */
    double gcShare() {
        long wall = epochs.stream().mapToLong(Epoch::wallNanos).sum();
        long gc = epochs.stream().mapToLong(e -> e.used().gcMillis()).sum();
        return wall == 0 ? Double.NaN : gc * 1e6 / wall;
    }

    /**
     * The JSON line: {@code epoch_s} is the best epoch, {@code first_epoch_s} the first; {@code cpu_epoch_s}
     * and {@code main_cpu_step_ms} are the smallest over the epochs.
     */
    Map<String, Object> summary(String model, int threads, String backend, int warmup, int jitWarmup, double testAcc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("impl", "vectorgrad");
        m.put("threads", threads);
        m.put("backend", backend);
        m.put("warmup", warmup);
        m.put("jit_warmup", jitWarmup);
        m.put("steps_per_epoch", stepsPerEpoch);
        m.put("steps_timed", timedSteps);
        m.put("epochs", epochs.size());
        m.put("first_epoch_s", round(first()));
        m.put("epoch_s", round(best()));
        m.put("epochs_s", epochs.stream().map(e -> round(epochSeconds(e))).toList());
        m.put("step_ms", round(1000 * best() / stepsPerEpoch));
        m.put("cpu_epoch_s", round(epochs.stream().mapToDouble(this::cpuEpochSeconds).min().orElse(Double.NaN)));
        m.put("main_cpu_step_ms", round(epochs.stream()
                .mapToDouble(e -> e.used().mainCpuNanos() / 1e6 / timedSteps).min().orElse(Double.NaN)));
        m.put("gc_share", round(gcShare()));
        m.put("gc_ms", epochs.stream().mapToLong(e -> e.used().gcMillis()).sum());
        m.put("peak_heap_mib", round(epochs.stream().mapToLong(Epoch::peakHeapBytes).max().orElse(0) / 1048576.0));
        m.put("test_acc", round(testAcc));
        return m;
    }

    /** Four decimals, as the PyTorch script rounds. */
    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }
}
