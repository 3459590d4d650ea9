package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        Process p = new ProcessBuilder(JupyterEndToEndTest.PYTHON, script.toString(), "--java", java, "--classpath", cp)
                .redirectErrorStream(true).start();
        List<String> problems = new ArrayList<>();
        String[] summary = {null};
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("FAIL") || line.startsWith("ERROR") || line.startsWith("SKIPPED")) {
                        problems.add(line);
                    }
                    if (line.endsWith(" skipped") && line.contains("conformance tests")) {
                        summary[0] = line;
                    }
                    if (!line.startsWith("WARNING: Using incubator") && !line.startsWith("[vectorgrad]")) {
                        System.out.println("[conformance] " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        reader.start();
        boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        reader.join(5_000);
        assertTrue(done, "the conformance tests took more than " + TIMEOUT_S + " s");
        assertEquals(0, p.exitValue(), "conformance: " + summary[0] + " " + problems);
        assertTrue(summary[0] != null && summary[0].contains(" 0 failures, 0 errors, 0 skipped"), String.valueOf(summary[0]));
    }
}
