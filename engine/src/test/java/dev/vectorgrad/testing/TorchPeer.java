package dev.vectorgrad.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the Python side of the tests that compare vectorgrad with PyTorch (Debian's
 * {@code python3-torch}, under {@code /usr/bin/python3}). The scripts live in the test resources under
 * {@code python/}; tensors travel through safetensors files.
 *
 * <p>Protocol: a script exits with {@value #EXIT_SKIP} when it cannot import torch or numpy. That, or a
 * missing {@code /usr/bin/python3}, aborts the calling test through a JUnit assumption whose message
 * starts with {@link #NOT_AVAILABLE} (and is also printed to the build log, so that a skipped
 * comparison is never silent). Any other non-zero exit status fails the test with the script's output.
 */
public final class TorchPeer {

    /** The interpreter Debian's {@code python3-torch} installs into. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Exit status of a script that cannot import torch or numpy. */
    public static final int EXIT_SKIP = 77;

    /** The start of the message of every test skipped for want of PyTorch. */
    public static final String NOT_AVAILABLE =
            "python3-torch not available: install it with apt-get install python3-torch";

    private TorchPeer() {
    }

    /** The path of the test resource {@code python/<name>}. */
    public static Path script(String name) {
        URL url = TorchPeer.class.getResource("/python/" + name);
        if (url == null) {
            throw new IllegalStateException("no test resource python/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code python3 -B script args...} and returns what it printed (stdout and stderr). Aborts the
     * calling test (skipped, with {@link #NOT_AVAILABLE}) when python3 or torch is missing; fails it when
     * the script fails or runs longer than {@code timeout}.
     */
    public static String run(Duration timeout, Path script, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            skip(NOT_AVAILABLE + " (there is no " + PYTHON + ")");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-B", script.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("torch-peer", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                fail(script.getFileName() + " did not finish within " + timeout.toSeconds() + " s:\n" + read(log));
            }
            String output = read(log);
            if (p.exitValue() == EXIT_SKIP) {
                skip(NOT_AVAILABLE + " (" + output + ")");
            }
            assertEquals(0, p.exitValue(), () -> script.getFileName() + " failed:\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).strip();
    }

    private static void skip(String message) {
        System.err.println("[skipped] " + message);
        Assumptions.abort(message);
    }
}
