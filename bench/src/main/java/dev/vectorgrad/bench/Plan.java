package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which benchmarks and parameters each mode runs. The full mode keeps every benchmark's own
 * {@code @Param} lists; the quick and smoke modes cut the size sets down, and the quick mode leaves out
 * the scalar reference at sizes where it would take most of the time while saying little new.
 */
final class Plan {

    private static final String[] IMPLS_FAST = {Impl.SIMD1, Impl.SIMD_ALL};
    private static final String K1 = "1024";
    private static final String K64 = "65536";
    private static final String M1 = "1048576";

    private Plan() {
    }

    static List<Step> steps(Collection<Suite> suites, RunMode mode) {
        List<Step> steps = new ArrayList<>();
        for (Suite s : suites) {
            steps.addAll(steps(s, mode));
        }
        return steps;
    }

    static List<Step> steps(Suite suite, RunMode mode) {
        if (!suite.jmh()) {
            return List.of(); // TrainRun runs its own processes
        }
        return switch (mode) {
            case FULL -> List.of(Step.all(suite));
            case QUICK -> quick(suite);
            case SMOKE -> smoke(suite);
        };
    }

    private static List<Step> quick(Suite suite) {
        return switch (suite) {
            case GEMM -> List.of(
                    Step.all(suite).with("impl", IMPLS_FAST).with(GemmBench.SIZE, "64", "128", "256", "512", "1024"),
                    Step.all(suite).with("impl", Impl.SCALAR).with(GemmBench.SIZE, "64", "128", "256"));
            case ELEMENTWISE -> List.of(
                    Step.methods(suite, "add", "relu").with("impl", IMPLS_FAST).with("size", K1, K64, M1),
                    Step.methods(suite, "add", "relu").with("impl", Impl.SCALAR).with("size", K1, K64),
                    Step.methods(suite, "copy", "copyLoop").with("size", K1, K64, M1));
            case REDUCE -> List.of(
                    Step.all(suite).with("impl", IMPLS_FAST).with("size", K1, K64, M1),
                    Step.all(suite).with("impl", Impl.SCALAR).with("size", K1, K64));
            case CONV -> List.of(Step.all(suite));
            case TRAIN -> List.of();
        };
    }

    private static List<Step> smoke(Suite suite) {
        return switch (suite) {
            case GEMM -> List.of(Step.all(suite).with(GemmBench.SIZE, "64"));
            case ELEMENTWISE, REDUCE -> List.of(Step.all(suite).with("size", K1));
            case CONV -> List.of(Step.all(suite).with("layer", "conv2"));
            case TRAIN -> List.of();
        };
    }
}
