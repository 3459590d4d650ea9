package dev.vectorgrad.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bench/peers/numpy_gemm.py} (numpy float32 matmul, i.e. the system's OpenBLAS) once per
 * thread count and collects the JSON lines it prints: {@code {"N":..,"threads":..,"gflops":..,"openblas":".."}}.
 * The child gets {@code OPENBLAS_NUM_THREADS} and loses {@code OPENBLAS_CORETYPE}/{@code OPENBLAS_L2_SIZE},
 * so OpenBLAS picks its kernel for this CPU by itself, as a user's numpy would.
 */
final class NumpyPeer {

    static final String NAME = "numpy";
    static final String PYTHON = "/usr/bin/python3";
    static final String SCRIPT = "bench/peers/numpy_gemm.py";
    static final String INSTALL_HINT = "install python3-numpy libopenblas0-pthread";

    private NumpyPeer() {
    }

    static PeerResult run(Path repoRoot, List<Integer> threadCounts, Duration timeout) {
        String command = PYTHON + " " + SCRIPT;
        Path script = repoRoot.resolve(SCRIPT);
        if (!Files.isRegularFile(script)) {
            return PeerResult.unavailable(NAME, command, SCRIPT + " is not in this checkout (" + repoRoot + ")");
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PeerResult.unavailable(NAME, command, PYTHON + " not found (" + INSTALL_HINT + ")");
        }
        List<PeerResult.Run> runs = new ArrayList<>();
        for (int t : threadCounts) {
            System.out.println("# peer: OPENBLAS_NUM_THREADS=" + t + " " + command);
            PeerResult.Run r = runOnce(repoRoot, script, t, timeout);
            System.out.println("# peer: " + (r.error() == null ? r.rows().size() + " results" : r.error()));
            runs.add(r);
        }
        if (runs.stream().allMatch(r -> r.rows().isEmpty())) {
            String why = runs.isEmpty() ? "no thread counts requested" : runs.get(0).error();
            return new PeerResult(NAME, command, withHint(why), runs);
        }
        return new PeerResult(NAME, command, null, runs);
    }

    private static PeerResult.Run runOnce(Path repoRoot, Path script, int threads, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("vectorgrad-peer", ".out");
            err = Files.createTempFile("vectorgrad-peer", ".err");
            ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString())
                    .directory(repoRoot.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.remove("OPENBLAS_CORETYPE");
            env.remove("OPENBLAS_L2_SIZE");
            env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            env.put("PYTHONUNBUFFERED", "1"); // lines printed before a timeout are kept
            Process p = pb.start();
            String error = null;
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                error = "timed out after " + timeout.toSeconds() + " s";
            } else if (p.exitValue() != 0) {
                error = "exit status " + p.exitValue() + ": " + lastLine(err);
            }
            List<PeerResult.Row> rows = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("{")) {
                    try {
                        rows.add(PeerResult.row(Json.parseObject(l), threads));
                        continue;
                    } catch (IllegalArgumentException e) {
                        notes.add("unreadable line: " + l);
                        continue;
                    }
                }
                if (!l.isEmpty()) {
                    notes.add(l);
                }
            }
            if (error == null && rows.isEmpty()) {
                error = "printed no results" + (lastLine(err).isEmpty() ? "" : ": " + lastLine(err));
            }
            return new PeerResult.Run(threads, error, rows, notes);
        } catch (IOException e) {
            return new PeerResult.Run(threads, "could not start " + PYTHON + ": " + e.getMessage(), List.of(), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PeerResult.Run(threads, "interrupted", List.of(), List.of());
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Adds the install hint when the reason looks like a missing package. */
    static String withHint(String why) {
        String w = String.valueOf(why);
        boolean missing = w.contains("No module named") || w.contains("ImportError") || w.contains("shared object")
                || w.contains("could not start") || w.contains("not found");
        return missing ? w + " (" + INSTALL_HINT + ")" : w;
    }

    /** The last non-blank line of a file: for a Python traceback, the exception itself. */
    private static String lastLine(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "";
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
