package dev.vectorgrad.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * JMH's console output, passed through unchanged, while noting which benchmark failed and with what
 * exception, so the report can say why a cell is empty.
 */
final class RecordingOutput implements OutputFormat {

    private final OutputFormat delegate;
    private final List<String> failures = new ArrayList<>();
    private String current = "?";
    private boolean failing;

    RecordingOutput(OutputFormat delegate) {
        this.delegate = delegate;
    }

    /** One line per failed benchmark: name, parameters, first line of the exception. */
    List<String> failures() {
        return failures;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        StringBuilder sb = new StringBuilder(params.getBenchmark().replace(Suite.PACKAGE + ".", ""));
        TreeMap<String, String> p = new TreeMap<>();
        for (String key : params.getParamsKeys()) {
            p.put(key, params.getParam(key));
        }
        if (!p.isEmpty()) {
            sb.append(' ').append(p);
        }
        current = sb.toString();
        failing = false;
        delegate.startBenchmark(params);
    }

    @Override
    public void println(String s) {
        note(s);
        delegate.println(s);
    }

    @Override
    public void print(String s) {
        note(s);
        delegate.print(s);
    }

    private void note(String s) {
        if (s == null) {
            return;
        }
        if (s.contains("<failure>")) {
            failing = true;
            return;
        }
        if (failing && !s.isBlank()) {
            String first = s.strip().lines().findFirst().orElse("").strip();
            failures.add(current + ": " + first);
            failing = false;
        }
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        delegate.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        delegate.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        delegate.endBenchmark(result);
    }

    @Override
    public void startRun() {
        delegate.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        delegate.endRun(result);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        // System.out stays open for the rest of BenchMain.
        delegate.flush();
    }

    @Override
    public void verbosePrintln(String s) {
        delegate.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        delegate.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        delegate.write(b);
    }
}
