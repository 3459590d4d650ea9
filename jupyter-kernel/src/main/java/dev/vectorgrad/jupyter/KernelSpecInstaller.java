package dev.vectorgrad.jupyter;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the Jupyter kernelspec {@code vectorgrad} ("Java (vectorgrad)"): a directory holding
 * {@code kernel.json} and a copy of the kernel jar, so the installed kernel keeps working when the
 * build directory is cleaned.
 *
 * <pre>
 * install [--user | --prefix DIR] [--java PATH] [--jar PATH | --classpath CP] [--jvm-opt OPT]...
 *         [--name NAME] [--display-name TEXT]
 * </pre>
 *
 * {@code --user} (the default) installs into the user's Jupyter data directory; {@code --prefix DIR}
 * into {@code DIR/share/jupyter/kernels}. {@code --java} is the JDK 25 {@code java} the kernel runs
 * on (default: the one running the installer). {@code --classpath} (for tests and development) runs
 * the kernel from a class path instead of the jar.
 *
 * <p>For a faster start the installer also makes an ahead-of-time cache ({@code vectorgrad-kernel.aot},
 * JDK 25's {@code -XX:AOTCacheOutput}): it runs the kernel once on a few typical cells, and the JVM keeps
 * the classes it loaded and linked and the profiles of the methods it ran; {@code kernel.json} then starts
 * the kernel with {@code -XX:AOTCache}. Only for a class path made of jars (the JVM's rule);
 * {@code --no-aot} skips it. When the training run fails the kernel is installed without the cache.
 */
final class KernelSpecInstaller {

    static final String NAME = "vectorgrad";
    static final String DISPLAY_NAME = "Java (vectorgrad)";
    static final String JAR_NAME = "vectorgrad-kernel.jar";
    static final String AOT_NAME = "vectorgrad-kernel.aot";
    /** The training run for the cache takes a few seconds; more means something is wrong. */
    static final long AOT_TRAINING_TIMEOUT_S = 300;

    /** Flags the kernel's JVM needs: the Vector API, native access for GPU bindings, no display. */
    static final List<String> JVM_FLAGS = List.of(
            "--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Djava.awt.headless=true");

    private KernelSpecInstaller() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String prefix = null;
        boolean user = false;
        String java = null;
        String jar = null;
        String classpath = null;
        String name = NAME;
        String displayName = DISPLAY_NAME;
        List<String> jvmOpts = new ArrayList<>();
        boolean aot = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--user" -> user = true;
                    case "--prefix" -> prefix = value(args, ++i, "--prefix");
                    case "--java" -> java = value(args, ++i, "--java");
                    case "--jar" -> jar = value(args, ++i, "--jar");
                    case "--classpath" -> classpath = value(args, ++i, "--classpath");
                    case "--jvm-opt" -> jvmOpts.add(value(args, ++i, "--jvm-opt"));
                    case "--name" -> name = value(args, ++i, "--name");
                    case "--display-name" -> displayName = value(args, ++i, "--display-name");
                    case "--no-aot" -> aot = false;
                    case "-h", "--help" -> {
                        out.println("usage: install [--user | --prefix DIR] [--java PATH] [--jar PATH | --classpath CP]"
                                + " [--jvm-opt OPT]... [--name NAME] [--display-name TEXT] [--no-aot]");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (user && prefix != null) {
                throw new IllegalArgumentException("--user and --prefix exclude each other");
            }
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("kernel name may only hold letters, digits, '.', '_' and '-': " + name);
            }
            Path kernels = prefix != null ? Path.of(prefix).toAbsolutePath().resolve("share/jupyter/kernels") : userKernelsDir();
            Path dir = kernels.resolve(name);
            Path installed = install(dir, java, jar, classpath, jvmOpts, displayName, aot ? out : null);
            out.println("installed kernelspec " + name + " (" + displayName + ") in " + installed);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("vectorgrad kernel install: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /**
     * Writes the kernelspec into {@code dir}. With {@code aotLog} (where it says what it does) it also
     * makes the ahead-of-time cache, when the class path allows one.
     */
    static Path install(Path dir, String java, String jar, String classpath, List<String> jvmOpts, String displayName,
                        PrintStream aotLog) throws IOException {
        String javaPath = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!Files.isExecutable(Path.of(javaPath))) {
            throw new IllegalArgumentException("not an executable java: " + javaPath);
        }
        Files.createDirectories(dir);
        List<String> launch = new ArrayList<>();
        if (classpath != null) {
            launch.add("-cp");
            launch.add(classpath);
            launch.add(KernelMain.class.getName());
        } else {
            Path source = jar != null ? Path.of(jar) : runningJar();
            if (source == null || !Files.isRegularFile(source)) {
                throw new IllegalArgumentException("no kernel jar to install (" + source + "); build it (mvn package"
                        + " -pl jupyter-kernel -am) and run the installer from it, or pass --jar");
            }
            Path target = dir.resolve(JAR_NAME);
            if (!Files.isSameFile(source, target.getParent()) && !(Files.exists(target) && Files.isSameFile(source, target))) {
                Path tmp = dir.resolve(JAR_NAME + ".tmp");
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            launch.add("-jar");
            launch.add(target.toString());
        }
        String javaCmd = Path.of(javaPath).toAbsolutePath().toString();
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.addAll(jvmOpts);
        Path cache = dir.resolve(AOT_NAME);
        Files.deleteIfExists(cache);
        if (aotLog != null) {
            String why = aotUnsupported(classpath);
            if (why != null) {
                aotLog.println("no ahead-of-time cache: " + why);
            } else if (trainAotCache(javaCmd, flags, launch, cache, aotLog)) {
                flags.add("-XX:AOTCache=" + cache);
            }
        }
        List<String> argv = new ArrayList<>();
        argv.add(javaCmd);
        argv.addAll(flags);
        argv.addAll(launch);
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", Map.of());
        spec.put("metadata", Map.of("debugger", false));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec);
        Files.writeString(dir.resolve("kernel.json"), json + "\n", StandardCharsets.UTF_8);
        return dir;
    }

    /** Why no cache can be made for this class path (the JVM takes jars only), or null. */
    static String aotUnsupported(String classpath) {
        if (classpath == null) {
            return null;
        }
        for (String e : classpath.split(java.io.File.pathSeparator)) {
            if (!e.isBlank() && !Files.isRegularFile(Path.of(e))) {
                return "the class path holds a directory (" + e + "); the JVM caches classes from jars only";
            }
        }
        return null;
    }

    /**
     * Runs the kernel's training cells ({@code KernelMain --aot-training}) in a JVM that writes the
     * ahead-of-time cache when it exits. True when the cache is there afterwards.
     */
    static boolean trainAotCache(String javaCmd, List<String> flags, List<String> launch, Path cache, PrintStream log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCmd);
        cmd.addAll(flags);
        cmd.add("-XX:AOTCacheOutput=" + cache);
        cmd.addAll(launch);
        cmd.add(KernelMain.AOT_TRAINING);
        log.println("making the ahead-of-time cache (a training run of a few seconds)...");
        long t0 = System.nanoTime();
        try {
            Path output = Files.createTempFile("vectorgrad-aot", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                p.getOutputStream().close();
                if (!p.waitFor(AOT_TRAINING_TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    log.println("no ahead-of-time cache: the training run took more than " + AOT_TRAINING_TIMEOUT_S + " s");
                    return false;
                }
                if (p.exitValue() != 0 || !Files.isRegularFile(cache)) {
                    List<String> lines = Files.readAllLines(output);
                    String tail = String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
                    log.println("no ahead-of-time cache: the training run ended with " + p.exitValue() + ":\n  " + tail);
                    Files.deleteIfExists(cache);
                    return false;
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            log.println("no ahead-of-time cache: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        log.printf(Locale.ROOT, "ahead-of-time cache %s (%.0f MB, %.1f s)%n", cache.getFileName(),
                sizeMb(cache), (System.nanoTime() - t0) / 1e9);
        return true;
    }

    private static double sizeMb(Path p) {
        try {
            return Files.size(p) / 1e6;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The jar this class runs from, or null when it runs from a directory. */
    static Path runningJar() {
        Path p = DefaultImports.locationOf(KernelSpecInstaller.class);
        return p != null && Files.isRegularFile(p) ? p : null;
    }

    /** Jupyter's per-user kernels directory, as jupyter_core computes it. */
    static Path userKernelsDir() {
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir, "kernels");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Jupyter", "kernels");
        }
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "jupyter", "kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share");
        return base.resolve("jupyter").resolve("kernels");
    }
}
