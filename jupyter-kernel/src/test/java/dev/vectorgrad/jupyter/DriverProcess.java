package dev.vectorgrad.jupyter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a test driver (a Python script) to its end: its output (stderr merged into stdout) is echoed line by
 * line to the console with a tag, where {@code echo} accepts the line, and every line is collected. After
 * {@code timeoutS} seconds the process and everything it started are killed.
 */
final class DriverProcess {

    /**
     * What the driver printed, whether it ended within the time limit, and its exit status
     * ({@code -1} where it did not end).
     */
    record Result(List<String> lines, boolean finished, int exitCode) {

        /** The lines that start with {@code prefix}, in order. */
        List<String> linesStartingWith(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    private DriverProcess() {
    }

    /** Runs {@code command}, echoing every line with {@code [tag] }. */
    static Result run(List<String> command, String tag, long timeoutS) throws IOException, InterruptedException {
        return run(command, tag, line -> true, timeoutS);
    }

    /** Runs {@code command}, echoing the lines {@code echo} accepts with {@code [tag] }. */
    static Result run(List<String> command, String tag, Predicate<String> echo, long timeoutS)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (echo.test(line)) {
                        System.out.println("[" + tag + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        reader.start();
        boolean done = p.waitFor(timeoutS, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        reader.join(5_000);
        List<String> collected;
        synchronized (lines) {
            collected = List.copyOf(lines);
        }
        return new Result(collected, done, done ? p.exitValue() : -1);
    }
}
