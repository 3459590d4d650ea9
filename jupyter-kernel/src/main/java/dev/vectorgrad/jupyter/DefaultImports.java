package dev.vectorgrad.jupyter;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The imports every session starts with, so that lecture cells stay short: those of the jshell tool
 * ({@code java.util.*}, {@code java.util.function.*}, {@code java.io.*}, ...), the engine's packages
 * (those that exist on the class path: a package is imported when it holds at least one public
 * class), the notebook helpers ({@code display}, {@code updateDisplay}, {@code show}, ...) and
 * {@code Image}.
 *
 * <p>An engine class whose simple name is also a class of {@code java.lang} or of a package JShell
 * imports by default ({@code java.util}, {@code java.util.function}, ...) would make that name
 * ambiguous in cells (the engine's {@code nn.Module} against {@code java.lang.Module}); such classes
 * get a single-type import, so the engine's class is the one a cell means.
 */
final class DefaultImports {

    static final List<String> ENGINE_PACKAGES = List.of(
            "dev.vectorgrad.tensor", "dev.vectorgrad.backend", "dev.vectorgrad.autograd", "dev.vectorgrad.nn",
            "dev.vectorgrad.optim", "dev.vectorgrad.data", "dev.vectorgrad.train", "dev.vectorgrad.chart");

    /**
     * The packages the jshell tool imports at start-up ({@code java.util}, {@code java.util.function},
     * {@code java.util.stream}, {@code java.io}, ...): the JShell API itself imports none of them, and
     * notebook users expect {@code List}, {@code Map} and {@code Function} to be there.
     */
    static final List<String> JSHELL_PACKAGES = List.of(
            "java.io", "java.math", "java.net", "java.nio.file", "java.util", "java.util.concurrent",
            "java.util.function", "java.util.prefs", "java.util.regex", "java.util.stream");

    /** Packages whose classes are visible without qualification in a cell: java.lang and the above. */
    static final List<String> JAVA_PACKAGES = java.util.stream.Stream.concat(java.util.stream.Stream.of("java.lang"),
            JSHELL_PACKAGES.stream()).toList();

    /** Where a class a cell names without its package may live, for the javadoc the kernel ships ({@link SourceDocs}). */
    static final List<String> DOCUMENTED_PACKAGES = java.util.stream.Stream.concat(ENGINE_PACKAGES.stream(),
            java.util.stream.Stream.of("dev.vectorgrad.jupyter", "dev.vectorgrad.jupyter.display")).toList();

    static final List<String> KERNEL_IMPORTS = List.of(
            "import static dev.vectorgrad.jupyter.Notebook.*;",
            "import dev.vectorgrad.jupyter.display.Image;");

    private DefaultImports() {
    }

    /** Import statements, engine packages first, then resolved clashes, then the kernel's helpers. */
    static List<String> compute(List<Path> roots, ClassLoader loader) {
        Map<String, Set<String>> classes = publicClasses(roots, ENGINE_PACKAGES, loader);
        List<String> out = new ArrayList<>();
        for (String pkg : JSHELL_PACKAGES) {
            out.add("import " + pkg + ".*;");
        }
        Map<String, String> owner = new LinkedHashMap<>();
        Set<String> ambiguousWithinEngine = new TreeSet<>();
        for (String pkg : ENGINE_PACKAGES) {
            Set<String> names = classes.getOrDefault(pkg, Set.of());
            if (names.isEmpty()) {
                continue;
            }
            out.add("import " + pkg + ".*;");
            for (String n : names) {
                if (owner.putIfAbsent(n, pkg) != null) {
                    ambiguousWithinEngine.add(n);
                }
            }
        }
        for (Map.Entry<String, String> e : owner.entrySet()) {
            String name = e.getKey();
            if (!ambiguousWithinEngine.contains(name) && existsInJava(name)) {
                out.add("import " + e.getValue() + "." + name + ";");
            }
        }
        out.addAll(KERNEL_IMPORTS);
        return out;
    }

    private static boolean existsInJava(String simpleName) {
        for (String p : JAVA_PACKAGES) {
            try {
                Class<?> c = Class.forName(p + "." + simpleName, false, ClassLoader.getPlatformClassLoader());
                if (Modifier.isPublic(c.getModifiers())) {
                    return true;
                }
            } catch (ClassNotFoundException | LinkageError ignored) {
                // not there
            }
        }
        return false;
    }

    /** Public top-level classes of {@code packages} found under the class path roots (jars or directories). */
    static Map<String, Set<String>> publicClasses(List<Path> roots, List<String> packages, ClassLoader loader) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String pkg : packages) {
            out.put(pkg, new TreeSet<>());
        }
        for (Path root : new LinkedHashSet<>(roots)) {
            for (String entry : classEntries(root, packages)) {
                String binary = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                int dot = binary.lastIndexOf('.');
                String pkg = binary.substring(0, dot);
                String simple = binary.substring(dot + 1);
                if (simple.contains("$") || simple.equals("package-info") || simple.equals("module-info")) {
                    continue;
                }
                try {
                    Class<?> c = Class.forName(binary, false, loader);
                    if (Modifier.isPublic(c.getModifiers())) {
                        out.get(pkg).add(simple);
                    }
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // not loadable here: not importable either
                }
            }
        }
        return out;
    }

    private static List<String> classEntries(Path root, List<String> packages) {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(root)) {
            for (String pkg : packages) {
                Path dir = root.resolve(pkg.replace('.', '/'));
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".class"))
                            .forEach(f -> out.add(root.relativize(f).toString().replace('\\', '/')));
                } catch (IOException ignored) {
                    // unreadable directory: nothing to import from it
                }
            }
        } else if (Files.isRegularFile(root)) {
            try (ZipFile zip = new ZipFile(root.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    int slash = name.lastIndexOf('/');
                    if (slash > 0 && name.endsWith(".class")
                            && packages.contains(name.substring(0, slash).replace('/', '.'))) {
                        out.add(name);
                    }
                }
            } catch (IOException ignored) {
                // not a jar
            }
        }
        return out;
    }

    /** The jar or directory a class was loaded from, if it has one. */
    static Path locationOf(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
