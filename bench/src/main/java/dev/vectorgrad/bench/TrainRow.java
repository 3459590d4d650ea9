package dev.vectorgrad.bench;

import java.util.List;
import java.util.Map;

/**
 * One training run as its program reported it in a JSON line (TrainBench or torch_train.py): times of the
 * first and the best timed epoch and of every timed epoch, CPU time, test accuracy, and, for vectorgrad, GC
 * share and peak heap. Numbers a line lacks are NaN.
 */
record TrainRow(String model, String impl, int threads, int blasThreads, String version, int warmup, int jitWarmup,
                int stepsPerEpoch, int stepsTimed, int epochs, double firstEpochS, double epochS, List<Double> epochsS,
                double stepMs, double cpuEpochS, double testAcc, double gcShare, double peakHeapMib) {

    static final String VECTORGRAD = "vectorgrad";
    static final String TORCH = "torch";

    /** Reads a JSON line; throws IllegalArgumentException when it is not one of these. */
    static TrainRow parse(String line) {
        Map<String, Object> m = Json.parseObject(line);
        String model = (String) m.get("model");
        String impl = m.containsKey("torch") && !m.containsKey("impl") ? TORCH : (String) m.get("impl");
        if (model == null || impl == null) {
            throw new IllegalArgumentException("not a training result: " + line);
        }
        Object version = m.containsKey("torch") ? m.get("torch") : m.get("backend");
        return new TrainRow(model, impl, integer(m, "threads"), integer(m, "blas_threads"), Json.str(version),
                integer(m, "warmup"), integer(m, "jit_warmup"), integer(m, "steps_per_epoch"), integer(m, "steps_timed"), integer(m, "epochs"),
                Json.num(m.get("first_epoch_s")), Json.num(m.get("epoch_s")),
                m.containsKey("epochs_s") ? Json.list(m.get("epochs_s")).stream().map(Json::num).toList() : List.of(),
                Json.num(m.get("step_ms")),
                Json.num(m.get("cpu_epoch_s")), Json.num(m.get("test_acc")), Json.num(m.get("gc_share")),
                Json.num(m.get("peak_heap_mib")));
    }

    private static int integer(Map<String, Object> m, String key) {
        double v = Json.num(m.get(key));
        return Double.isNaN(v) ? -1 : (int) v;
    }

    boolean isVectorgrad() {
        return VECTORGRAD.equals(impl);
    }

    /** The first epoch ran on a fresh process with no warm-up: it includes every first-use cost. */
    boolean coldFirstEpoch() {
        return firstEpochTimed() && jitWarmup <= 0;
    }

    /** The model's first epoch was timed: no training steps of it ran before (the JIT warm-up may have). */
    boolean firstEpochTimed() {
        return warmup == 0 && !Double.isNaN(firstEpochS);
    }

    /** The process ran the kernel's idle JIT warm-up ({@code dev.vectorgrad.train.Warmup}) first. */
    boolean afterIdleWarmup() {
        return jitWarmup > 0;
    }

    /**
     * The warm epoch time: the median of the timed epochs after the first when the first was the model's first
     * (it carries the JIT's compile time and every first-use cost), else the median of all; NaN without epochs.
     */
    double warmEpochS() {
        List<Double> warm = firstEpochTimed() && epochsS.size() > 1 ? epochsS.subList(1, epochsS.size()) : epochsS;
        if (warm.isEmpty()) {
            return Double.NaN;
        }
        double[] t = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    }

    /** The timed epochs together, what a user waits for from a fresh process (NaN without epochs). */
    double totalS() {
        return epochsS.isEmpty() ? Double.NaN : epochsS.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Steps trained before the accuracy was measured. */
    long stepsTrained() {
        return Math.max(0, warmup) + (long) Math.max(0, epochs) * Math.max(0, stepsTimed);
    }

    /** Whole epochs were timed and at least {@code n} of them trained the model. */
    boolean trainedFullEpochs(int n) {
        return stepsPerEpoch > 0 && stepsTimed == stepsPerEpoch && epochs >= n;
    }
}
