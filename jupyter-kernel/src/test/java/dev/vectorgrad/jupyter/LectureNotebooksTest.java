package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executes every lecture notebook in {@code notebooks/} headless under real Jupyter: runs
 * {@code src/test/python/run_notebooks.py}, which installs the kernelspec into a temporary prefix and
 * runs {@code jupyter nbconvert --to notebook --execute} on each notebook (a time limit per cell), with
 * {@code VECTORGRAD_QUICK=1} so that training uses small subsets. A notebook fails on any cell error
 * (the numbers each notebook reproduces from the slides are checked in its cells) and when its rich
 * outputs are missing (charts as PNG, the model summary as HTML, the live training display). Skipped,
 * with a notice on the console, where Debian's python3 lacks jupyter_client or nbconvert.
 */
class LectureNotebooksTest {

    static final long TIMEOUT_S = 600;
    static final int CELL_TIMEOUT_S = 240;

    @Test
    void lectureNotebooksRunHeadless() throws Exception {
        String python = JupyterEndToEndTest.PYTHON;
        if (!JupyterEndToEndTest.pythonHas("jupyter_client") || !JupyterEndToEndTest.pythonHas("nbconvert")) {
            JupyterEndToEndTest.notice("SKIPPED: the lecture notebooks need " + python + " with jupyter_client and nbconvert"
                    + " (apt-get install python3-jupyter-client python3-nbconvert)");
            Assumptions.abort("jupyter_client or nbconvert is not available to " + python);
        }
        String cp = System.getProperty("kernel.classpath");
        if (cp == null || cp.isBlank() || cp.contains("${")) {
            JupyterEndToEndTest.notice("SKIPPED: the notebook test runs under Maven (it needs the kernel.classpath property)");
            Assumptions.abort("kernel.classpath is not set");
        }
        Path module = Path.of(System.getProperty("kernel.module.dir", "."));
        Path script = module.resolve("src/test/python/run_notebooks.py");
        Path notebooks = module.resolve("../notebooks").normalize();
        assertTrue(Files.isRegularFile(script), "missing " + script);
        try (Stream<Path> files = Files.list(notebooks)) {
            assertFalse(files.noneMatch(f -> f.toString().endsWith(".ipynb")), "no notebooks in " + notebooks);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(python, script.toString(), "--java", java, "--classpath", cp,
                "--notebooks", notebooks.toString(), "--quick", "--timeout", Integer.toString(CELL_TIMEOUT_S));
        DriverProcess.Result run = DriverProcess.run(cmd, "notebooks", TIMEOUT_S);
        List<String> failures = run.linesStartingWith("FAIL");
        assertTrue(run.finished(), "the notebooks took more than " + TIMEOUT_S + " s");
        assertEquals(0, run.exitCode(), "notebooks failed: " + failures);
    }
}
