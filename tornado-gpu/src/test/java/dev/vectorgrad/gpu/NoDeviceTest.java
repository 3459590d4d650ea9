package dev.vectorgrad.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without an OpenCL driver, {@code Backends.use("gpu")} fails with one message that says what was
 * looked for and what to install. A child JVM sees no driver because {@code OCL_ICD_VENDORS} points
 * the ICD loader at an empty directory. Needs no device, so it runs everywhere.
 */
class NoDeviceTest {

    @Test
    void withoutDriversTheGpuBackendExplainsWhatIsMissing(@TempDir Path empty) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                NoDeviceMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OCL_ICD_VENDORS", empty.toString());
        pb.environment().remove("VECTORGRAD_GPU_DEVICE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);

        String message = out.lines().filter(l -> l.startsWith("MESSAGE: ")).findFirst().orElse("");
        assertTrue(message.contains("backend 'gpu' is unavailable"), out);
        assertTrue(message.contains("OpenCL ICD loader"), message);
        assertTrue(message.contains("apt-get install ocl-icd-libopencl1 pocl-opencl-icd"), message);
        assertTrue(message.contains("vendor's OpenCL driver"), message);
        if (message.contains("loader (libOpenCL.so.1): found")) {
            // The loader is installed here: it looked in the empty vendors directory and found no platform.
            assertTrue(message.contains("OpenCL platforms: none") && message.contains(empty.toString()), message);
            assertTrue(message.contains("devices: none"), message);
        }
        String info = out.lines().filter(l -> l.startsWith("INFO: ")).findFirst().orElse("");
        assertTrue(info.contains("gpu:") && info.contains("unavailable"), info);
    }
}
