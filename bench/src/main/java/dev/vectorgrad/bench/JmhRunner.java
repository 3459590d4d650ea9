package dev.vectorgrad.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the planned steps through JMH in this JVM (each benchmark in its own forked JVM). */
final class JmhRunner {

    /** What the forked JVMs need: the Vector API module, which the SIMD backend is compiled against. */
    static final String VECTOR_FLAG = "--add-modules=jdk.incubator.vector";

    /** Results of every step together, and one line per benchmark that failed. */
    record Outcome(List<RunResult> results, List<String> failures, List<String> notes) {
    }

    private JmhRunner() {
    }

    static Outcome run(List<Step> steps, RunMode mode) {
        List<RunResult> results = new ArrayList<>();
        RecordingOutput out = new RecordingOutput(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.NORMAL));
        List<String> notes = new ArrayList<>();
        String benchmarkList = benchmarkList();
        for (Step step : steps) {
            if (!benchmarkList.contains(" " + step.suite().qualifiedClass() + " ")) {
                String note = step.suite().benchClass + " is not part of this build; skipped";
                if (!notes.contains(note)) {
                    notes.add(note);
                    System.out.println("# " + note);
                }
                continue;
            }
            try {
                results.addAll(new Runner(options(step, mode).build(), out).run());
            } catch (RunnerException | RuntimeException e) {
                String why = step + ": JMH stopped: " + e.getMessage();
                out.failures().add(why);
                System.out.println("# " + why);
            }
        }
        return new Outcome(results, out.failures(), notes);
    }

    static ChainedOptionsBuilder options(Step step, RunMode mode) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(step.include())
                .forks(mode.forks)
                .warmupIterations(mode.warmupIterations)
                .warmupTime(TimeValue.milliseconds(mode.warmupMillis))
                .measurementIterations(mode.measurementIterations)
                .measurementTime(TimeValue.milliseconds(mode.measurementMillis))
                .shouldFailOnError(false)
                .jvmArgsAppend(forkJvmArgs());
        step.params().forEach((k, v) -> b.param(k, v.toArray(String[]::new)));
        return b;
    }

    /**
     * The Vector API flag, leave for JMH's use of {@code sun.misc.Unsafe} (so each fork does not print a
     * deprecation warning), and the thread setting when it was given to this JVM as a property.
     */
    static String[] forkJvmArgs() {
        List<String> args = new ArrayList<>();
        args.add(VECTOR_FLAG);
        args.add("--sun-misc-unsafe-memory-access=allow");
        String threads = System.getProperty("vectorgrad.threads");
        if (threads != null) {
            args.add("-Dvectorgrad.threads=" + threads);
        }
        return args.toArray(String[]::new);
    }

    /** JMH's raw JSON for a set of results. */
    static String toJson(List<RunResult> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The annotation processor's list of compiled benchmarks, to tell a missing class from a failure. */
    private static String benchmarkList() {
        try (InputStream in = JmhRunner.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
