package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultImportsTest {

    @Test
    void importsPresentPackagesAndResolvesClashesWithJava() throws Exception {
        Path dir = Files.createTempDirectory("vg-imports");
        Path src = dir.resolve("src");
        write(src, "dev/vectorgrad/nn/Module.java", "package dev.vectorgrad.nn; public class Module {}");
        write(src, "dev/vectorgrad/nn/Linear.java", "package dev.vectorgrad.nn; public class Linear {}");
        write(src, "dev/vectorgrad/nn/Hidden.java", "package dev.vectorgrad.nn; class Hidden {}");
        write(src, "dev/vectorgrad/autograd/Function.java", "package dev.vectorgrad.autograd; public class Function {}");
        Path out = dir.resolve("classes");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                src.resolve("dev/vectorgrad/nn/Module.java").toString(), src.resolve("dev/vectorgrad/nn/Linear.java").toString(),
                src.resolve("dev/vectorgrad/nn/Hidden.java").toString(),
                src.resolve("dev/vectorgrad/autograd/Function.java").toString());
        assertEquals(0, rc);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            List<String> imports = DefaultImports.compute(List.of(out), loader);
            assertTrue(imports.contains("import dev.vectorgrad.nn.*;"), imports.toString());
            assertTrue(imports.contains("import dev.vectorgrad.autograd.*;"), imports.toString());
            assertTrue(imports.contains("import dev.vectorgrad.nn.Module;"), "java.lang.Module clash: " + imports);
            assertTrue(imports.contains("import dev.vectorgrad.autograd.Function;"), "java.util.function clash: " + imports);
            assertFalse(imports.contains("import dev.vectorgrad.nn.Linear;"), imports.toString());
            assertFalse(imports.contains("import dev.vectorgrad.optim.*;"), "absent packages are not imported");
            assertTrue(imports.containsAll(DefaultImports.KERNEL_IMPORTS));
        }
    }

    private static void write(Path root, String rel, String text) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
