package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The benchmark families BenchMain knows, selectable with {@code --only}; all but Train run under JMH. */
enum Suite {
    GEMM("Gemm", "GemmBench"),
    ELEMENTWISE("Elementwise", "ElementwiseBench"),
    REDUCE("Reduce", "ReduceBench"),
    CONV("Conv", "ConvBench"),
    /** Whole-epoch training against PyTorch ({@link TrainRun}); child processes, not JMH. */
    TRAIN("Train", "TrainBench");

    static final String PACKAGE = "dev.vectorgrad.bench";

    /** The name {@code --only} takes. */
    final String key;
    /** Simple name of the JMH benchmark class. */
    final String benchClass;

    Suite(String key, String benchClass) {
        this.key = key;
        this.benchClass = benchClass;
    }

    boolean jmh() {
        return this != TRAIN;
    }

    String qualifiedClass() {
        return PACKAGE + "." + benchClass;
    }

    /** Parses {@code "Gemm,Conv"} (case-insensitive; "GemmBench" works too). */
    static Set<Suite> parse(String list) {
        Set<Suite> out = new LinkedHashSet<>();
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            Suite found = null;
            for (Suite s : values()) {
                if (s.key.toLowerCase(Locale.ROOT).equals(name) || s.benchClass.toLowerCase(Locale.ROOT).equals(name)) {
                    found = s;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown benchmark '" + raw.trim() + "' in --only; choose from "
                        + keys());
            }
            out.add(found);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--only needs at least one of " + keys());
        }
        return out;
    }

    static String keys() {
        List<String> k = new ArrayList<>();
        Arrays.stream(values()).forEach(s -> k.add(s.key));
        return String.join(", ", k);
    }
}
