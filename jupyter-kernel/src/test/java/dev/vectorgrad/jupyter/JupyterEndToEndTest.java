package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel under real Jupyter: runs {@code src/test/python/kernel_e2e.py}, which installs the
 * kernelspec into a temporary prefix, drives the kernel through jupyter_client (cells, errors,
 * interrupt, display updates, completion, restart, shutdown, the parent watchdog) and executes a
 * sample notebook with nbconvert. Skipped, with a notice on the console, where Debian's python3
 * lacks jupyter_client ({@code apt-get install python3-jupyter-client python3-nbconvert}).
 */
class JupyterEndToEndTest {

    static final String PYTHON = "/usr/bin/python3";
    static final long TIMEOUT_S = 300;

    @Test
    void kernelWorksUnderRealJupyter() throws Exception {
        if (!pythonHas("jupyter_client")) {
            notice("SKIPPED: the Jupyter end-to-end test needs " + PYTHON + " with jupyter_client"
                    + " (apt-get install python3-jupyter-client python3-nbconvert)");
            Assumptions.abort("jupyter_client is not available to " + PYTHON);
        }
        String cp = System.getProperty("kernel.classpath");
        if (cp == null || cp.isBlank() || cp.contains("${")) {
            notice("SKIPPED: the Jupyter end-to-end test runs under Maven (it needs the kernel.classpath property)");
            Assumptions.abort("kernel.classpath is not set");
        }
        Path module = Path.of(System.getProperty("kernel.module.dir", "."));
        Path script = module.resolve("src/test/python/kernel_e2e.py");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--java", java, "--classpath", cp));
        if (!pythonHas("nbconvert")) {
            notice("the notebook part of the Jupyter end-to-end test is skipped: python3-nbconvert is not installed");
            cmd.add("--skip-nbconvert");
        }
        DriverProcess.Result run = DriverProcess.run(cmd, "kernel e2e", line -> !isKernelLog(line), TIMEOUT_S);
        List<String> failures = run.linesStartingWith("FAIL");
        assertTrue(run.finished(), "the end-to-end run took more than " + TIMEOUT_S + " s");
        assertEquals(0, run.exitCode(), "end-to-end checks failed: " + failures);
    }

    private static boolean isKernelLog(String line) {
        return line.startsWith("WARNING: Using incubator modules") || line.startsWith("[vectorgrad]")
                || line.startsWith("vectorgrad kernel");
    }

    static boolean pythonHas(String module) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Printed where a developer running the build sees it (Maven's console), not only in a report. */
    static void notice(String message) {
        System.out.println("[kernel e2e] " + message);
        System.err.println("[kernel e2e] " + message);
    }
}
