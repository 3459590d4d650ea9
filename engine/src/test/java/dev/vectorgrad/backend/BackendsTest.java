package dev.vectorgrad.backend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsTest {

    @Test
    void simdIsTheDefaultWhenTheVectorModuleIsPresent() {
        assertTrue(Backends.simdAvailable(), "tests run with --add-modules jdk.incubator.vector");
        assertEquals("simd", Backends.get("simd").name());
    }

    @Test
    void scopedUseRestoresThePreviousBackend() {
        Backend before = Backends.current();
        try (var s = Backends.use("scalar")) {
            assertEquals("scalar", Backends.current().name());
            assertEquals("scalar", s.backend().name());
        }
        assertEquals(before, Backends.current());
    }

    @Test
    void unknownBackendNamesTheAvailableOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Backends.use("tpu"));
        assertTrue(e.getMessage().contains("unknown backend 'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void infoDescribesSpeciesLanesFmaAndThreads() {
        String info = Backends.info();
        assertTrue(info.contains("lanes"), info);
        assertTrue(info.contains("FMA"), info);
        assertTrue(info.contains("threads"), info);
    }

    /** A plain {@code java -cp} without the incubator module must still work, on the scalar backend, with one log line. */
    @Test
    void withoutTheVectorModuleTheEngineFallsBackToScalarAndSaysHowToFixIt() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, FallbackProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "probe failed: " + err);
        assertEquals("scalar", out);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), "expected exactly one log line naming the fallback, got:\n" + err);
        assertTrue(lines.get(0).contains("using the scalar backend"), err);
        assertTrue(err.contains("--add-modules jdk.incubator.vector"), err);
        assertTrue(Path.of(java).isAbsolute());
    }

    /** Run in a child JVM by the test above. */
    public static final class FallbackProbe {
        public static void main(String[] args) {
            System.out.println(Backends.current().name());
        }
    }
}
