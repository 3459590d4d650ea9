package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jupyter project's kernel conformance tests ({@code jupyter_kernel_test}, Debian's
 * {@code python3-jupyter-kernel-test}) against this kernel: runs {@code src/test/python/kernel_conformance.py},
 * which validates every message of execute, completion, inspection, is_complete, the pager, clear_output
 * and history against the protocol's schemas. All of them must pass; none may be skipped. Skipped, with
 * a notice, where the Python package is missing.
 */
class KernelConformanceTest {

    static final long TIMEOUT_S = 300;

    @Test
    void jupyterKernelTestPasses() throws Exception {
        if (!JupyterEndToEndTest.pythonHas("jupyter_client") || !JupyterEndToEndTest.pythonHas("jupyter_kernel_test")) {
            JupyterEndToEndTest.notice("SKIPPED: the conformance tests need " + JupyterEndToEndTest.PYTHON
                    + " with jupyter_kernel_test (apt-get install python3-jupyter-kernel-test)");
            Assumptions.abort("jupyter_kernel_test is not available");
        }
        String cp = System.getProperty("kernel.classpath");
        if (cp == null || cp.isBlank() || cp.contains("${")) {
            JupyterEndToEndTest.notice("SKIPPED: the conformance tests run under Maven (they need the kernel.classpath property)");
            Assumptions.abort("kernel.classpath is not set");
        }
        Path script = Path.of(System.getProperty("kernel.module.dir", ".")).resolve("src/test/python/kernel_conformance.py");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        DriverProcess.Result run = DriverProcess.run(
                List.of(JupyterEndToEndTest.PYTHON, script.toString(), "--java", java, "--classpath", cp), "conformance",
                line -> !line.startsWith("WARNING: Using incubator") && !line.startsWith("[vectorgrad]"), TIMEOUT_S);
        List<String> problems = run.lines().stream()
                .filter(l -> l.startsWith("FAIL") || l.startsWith("ERROR") || l.startsWith("SKIPPED")).toList();
        String summary = run.lines().stream().filter(l -> l.endsWith(" skipped") && l.contains("conformance tests"))
                .reduce((first, last) -> last).orElse(null);
        assertTrue(run.finished(), "the conformance tests took more than " + TIMEOUT_S + " s");
        assertEquals(0, run.exitCode(), "conformance: " + summary + " " + problems);
        assertTrue(summary != null && summary.contains(" 0 failures, 0 errors, 0 skipped"), String.valueOf(summary));
    }
}
