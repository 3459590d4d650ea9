package dev.vectorgrad.jupyter.magic;

import dev.vectorgrad.jupyter.CellException;
import dev.vectorgrad.jupyter.CellOutput;
import dev.vectorgrad.jupyter.Session;
import dev.vectorgrad.jupyter.display.MimeBundle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MavenMagicTest {

    @Test
    void unreachableRepositoryGivesAClearError() throws Exception {
        Path local = Files.createTempDirectory("vg-m2");
        MavenResolver r = new MavenResolver(local, List.of("http://127.0.0.1:9/maven2/"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> r.resolve(List.of("org.apache.commons:commons-text:1.12.0")));
        assertTrue(e.getMessage().contains("http://127.0.0.1:9/maven2/ cannot be reached"), e.getMessage());
        assertTrue(e.getMessage().contains("Is the network available?"), e.getMessage());
    }

    @Test
    void badCoordinatesAreAUsageError() throws Exception {
        Path local = Files.createTempDirectory("vg-m2");
        MavenResolver r = new MavenResolver(local, List.of("http://127.0.0.1:9/maven2/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.resolve(List.of("just-a-name")));
        assertTrue(e.getMessage().contains("group:artifact:version"), e.getMessage());
    }

    @Test
    void resolvesWithTransitiveDependenciesFromMavenCentral() throws Exception {
        if (!reachable(MavenResolver.CENTRAL)) {
            System.out.println("[%maven test] SKIPPED: Maven Central is unreachable from here");
            Assumptions.abort("Maven Central is unreachable");
        }
        Path local = Files.createTempDirectory("vg-m2");
        System.setProperty("vectorgrad.maven.repo", local.toString());
        try (Session s = new Session()) {
            StringBuilder out = new StringBuilder();
            CellOutput o = new CellOutput() {
                @Override
                public void stdout(String text) {
                    out.append(text);
                }

                @Override
                public void stderr(String text) {
                }

                @Override
                public void display(MimeBundle bundle, String displayId) {
                }

                @Override
                public void updateDisplay(MimeBundle bundle, String displayId) {
                }
            };
            s.eval("%maven org.apache.commons:commons-text:1.12.0", 1, o);
            assertTrue(out.toString().contains("commons-text-1.12.0.jar"), out.toString());
            assertTrue(out.toString().contains("commons-lang3-"), "transitive dependency: " + out);
            MimeBundle b = s.eval("org.apache.commons.text.WordUtils.capitalize(\"hello world\")", 2, o).orElseThrow();
            assertEquals("Hello World", b.get(MimeBundle.TEXT));
            CellException e = assertThrows(CellException.class,
                    () -> s.eval("%maven org.example.nothing:does-not-exist:9.9.9", 3, o));
            assertEquals("MavenResolutionError", e.name());
            assertTrue(e.value().contains("not found") || e.value().contains("could not resolve"), e.value());
        } finally {
            System.clearProperty("vectorgrad.maven.repo");
        }
    }

    private static boolean reachable(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url + "org/apache/commons/commons-text/maven-metadata.xml")
                    .toURL().openConnection();
            c.setConnectTimeout(5_000);
            c.setReadTimeout(5_000);
            c.setRequestMethod("HEAD");
            return c.getResponseCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
