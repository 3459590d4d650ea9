package dev.vectorgrad.jupyter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSpecInstallerTest {

    @Test
    void writesKernelJsonAndCopiesTheJar() throws Exception {
        Path prefix = Files.createTempDirectory("vg-spec");
        Path jar = Files.writeString(prefix.resolve("some.jar"), "not really a jar");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = KernelSpecInstaller.run(new String[] {"--prefix", prefix.toString(), "--jar", jar.toString(),
                "--jvm-opt", "-Xmx2g", "--no-aot"}, new PrintStream(out), System.err);
        assertEquals(0, rc);
        Path dir = prefix.resolve("share/jupyter/kernels/vectorgrad");
        assertTrue(Files.isRegularFile(dir.resolve("vectorgrad-kernel.jar")));
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (vectorgrad)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        String argv = spec.get("argv").toString();
        assertTrue(argv.contains("\"--add-modules\",\"jdk.incubator.vector\""), argv);
        assertTrue(argv.contains("\"--enable-native-access=ALL-UNNAMED\""), argv);
        assertTrue(argv.contains("\"-Xmx2g\",\"-jar\",\"" + dir.resolve("vectorgrad-kernel.jar") + "\",\"{connection_file}\"]"), argv);
        assertTrue(spec.get("argv").getAsJsonArray().get(0).getAsString().endsWith("/bin/java"), argv);
    }

    @Test
    void aFailedCacheTrainingRunStillInstallsTheKernel() throws Exception {
        Path prefix = Files.createTempDirectory("vg-spec");
        Path jar = Files.writeString(prefix.resolve("some.jar"), "not really a jar");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = KernelSpecInstaller.run(new String[] {"--prefix", prefix.toString(), "--jar", jar.toString()},
                new PrintStream(out), System.err);
        assertEquals(0, rc);
        assertTrue(out.toString().contains("no ahead-of-time cache: the training run ended with"), out.toString());
        Path dir = prefix.resolve("share/jupyter/kernels/vectorgrad");
        String argv = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject().get("argv").toString();
        assertTrue(!argv.contains("AOTCache") && !Files.exists(dir.resolve(KernelSpecInstaller.AOT_NAME)), argv);
    }

    @Test
    void theCacheNeedsAClassPathOfJars() throws Exception {
        Path dir = Files.createTempDirectory("vg-classes");
        Path jar = Files.writeString(dir.resolve("a.jar"), "");
        assertEquals(null, KernelSpecInstaller.aotUnsupported(null));
        assertEquals(null, KernelSpecInstaller.aotUnsupported(jar.toString()));
        assertTrue(KernelSpecInstaller.aotUnsupported(jar + java.io.File.pathSeparator + dir).contains("directory"));
    }

    @Test
    void badOptionsFailWithAMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, KernelSpecInstaller.run(new String[] {"--user", "--prefix", "/tmp/x"}, System.out, new PrintStream(err)));
        assertTrue(err.toString().contains("exclude each other"));
        assertEquals(1, KernelSpecInstaller.run(new String[] {"--bogus"}, System.out, new PrintStream(err)));
        assertEquals(1, KernelSpecInstaller.run(new String[] {"--prefix", "/tmp/x", "--java", "/no/such/java"}, System.out,
                new PrintStream(err)));
    }
}
