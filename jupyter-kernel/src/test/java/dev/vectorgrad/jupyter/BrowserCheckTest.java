package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tour notebook in a real browser: runs {@code src/test/python/check_browser.py}, which starts the classic
 * notebook server on 127.0.0.1, opens {@code notebooks/00-tour.ipynb} in Debian's headless chromium driven by
 * playwright-core, clears the outputs and runs all cells through the menus, checks what the page shows, takes
 * a screenshot ({@code target/browser-check/00-tour.png}) and checks that stopping the server leaves no kernel
 * JVM. Skipped, with a notice, without chromium, node with {@code src/test/browser/node_modules}
 * ({@code npm ci} there; {@code ./vectorgrad check-browser} does it) or the notebook server.
 */
class BrowserCheckTest {

    static final long TIMEOUT_S = 600;

    @Test
    void tourRunsInTheBrowser() throws Exception {
        String cp = System.getProperty("kernel.classpath");
        if (cp == null || cp.isBlank() || cp.contains("${")) {
            JupyterEndToEndTest.notice("SKIPPED: the browser check runs under Maven (it needs the kernel.classpath property)");
            Assumptions.abort("kernel.classpath is not set");
        }
        Path module = Path.of(System.getProperty("kernel.module.dir", "."));
        Path script = module.resolve("src/test/python/check_browser.py");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        DriverProcess.Result run = DriverProcess.run(List.of(JupyterEndToEndTest.PYTHON, script.toString(),
                "--java", java, "--classpath", cp,
                "--screenshot", module.resolve("target/browser-check/00-tour.png").toString()), "browser", TIMEOUT_S);
        List<String> lines = run.lines();
        assertTrue(run.finished(), "the browser check took more than " + TIMEOUT_S + " s");
        String skip = lines.stream().filter(l -> l.startsWith("SKIP")).findFirst().orElse(null);
        if (skip != null) {
            JupyterEndToEndTest.notice("SKIPPED: " + skip);
            Assumptions.abort(skip);
        }
        List<String> failures = run.linesStartingWith("FAIL");
        assertEquals(0, run.exitCode(), "browser check failed: " + failures);
        assertTrue(lines.contains("browser check: 0 failed"), "the check ran to its end: " + lines);
    }
}
