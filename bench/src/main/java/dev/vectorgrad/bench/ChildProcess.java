package dev.vectorgrad.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion or to a time limit, echoing its standard output to the console as it
 * comes (prefixed) and keeping the lines that are JSON objects and the tail of its standard error.
 */
final class ChildProcess {

    /**
     * How it ended: exit status (-1 when it did not start or was stopped), its JSON lines, the tail of its
     * standard error, and why it failed (null when it exited 0 with results).
     */
    record Outcome(int exit, List<String> jsonLines, List<String> stderr, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private static final int STDERR_LINES = 200;

    private ChildProcess() {
    }

    /**
     * Runs {@code command} in {@code dir} (null: this process's directory) with {@code env} added to and
     * {@code unset} removed from this process's environment.
     */
    static Outcome run(List<String> command, Path dir, Map<String, String> env, Set<String> unset, Duration timeout,
                       String echoPrefix) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        unset.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, List.of(), List.of(), "could not start " + command.get(0) + ": " + e.getMessage());
        }
        List<String> json = Collections.synchronizedList(new ArrayList<>());
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        Thread out = reader(p.getInputStream(), line -> {
            String l = line.strip();
            if (l.startsWith("{") && l.endsWith("}")) {
                json.add(l);
            }
            System.out.println(echoPrefix + line);
        });
        Thread errs = reader(p.getErrorStream(), line -> {
            if (!line.isBlank()) {
                err.add(line.strip());
                if (err.size() > STDERR_LINES) {
                    err.remove(0);
                }
            }
        });
        try {
            boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            out.join(5000);
            errs.join(5000);
            if (!done) {
                return new Outcome(-1, List.copyOf(json), List.copyOf(err), "timed out after " + timeout.toSeconds() + " s");
            }
            int exit = p.exitValue();
            String error = exit != 0 ? "exit status " + exit + telling(err) : json.isEmpty() ? "printed no results"
                    + telling(err) : null;
            return new Outcome(exit, List.copyOf(json), List.copyOf(err), error);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(-1, List.copyOf(json), List.copyOf(err), "interrupted");
        }
    }

    /**
     * The last line of standard error that is not a stack frame: for a Python traceback the exception, for a
     * Java one the innermost cause.
     */
    private static String telling(List<String> err) {
        synchronized (err) {
            for (int i = err.size() - 1; i >= 0; i--) {
                String l = err.get(i);
                if (!l.startsWith("at ") && !l.startsWith("...") && !l.startsWith("File \"")) {
                    return ": " + l;
                }
            }
            return "";
        }
    }

    private static Thread reader(InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process was stopped; what was read is kept
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
