package dev.vectorgrad.jupyter.magic;

import dev.vectorgrad.backend.BackendUnavailableException;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.jupyter.CellException;
import dev.vectorgrad.jupyter.Session;
import dev.vectorgrad.jupyter.display.Html;
import dev.vectorgrad.jupyter.display.Markdown;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The magics every session has. */
final class BuiltinMagics {

    private BuiltinMagics() {
    }

    static void register(Magics m) {
        m.line("timeit", Timeit.USAGE, Timeit::line);
        m.cell("timeit", "%%timeit [-n LOOPS] [-r RUNS] [-q] [-o]   times the cell body (see %timeit)",
                (s, args, body, where, line) -> Timeit.cell(s, args, body));
        m.line("time", "%time <statement or expression>   runs it once and prints wall and CPU time", BuiltinMagics::timeLine);
        m.cell("time", "%%time   runs the cell once and prints wall and CPU time", BuiltinMagics::timeCell);
        m.line("backend", "%backend [scalar|simd|gpu|...]   switches the engine's backend; bare: shows them all",
                Magics.ArgKind.WORDS, Backends::names, BuiltinMagics::backend);
        m.line("classpath", "%classpath <jar|dir|dir/*> ...   adds jars or class directories to the session",
                Magics.ArgKind.PATH, null, BuiltinMagics::classpath);
        m.line("load", "%load <file.java>   runs the file's code (Java and magics) as if it were a cell",
                Magics.ArgKind.PATH, null, BuiltinMagics::load);
        m.line("maven", "%maven <group:artifact:version> ... [--repo URL]   resolves from Maven Central (with dependencies) and adds the jars",
                BuiltinMagics::maven);
        m.line("lsmagic", "%lsmagic   lists the magics", (s, args) -> {
            s.out().stdout(s.magics().listing());
            return null;
        });
        m.cell("html", "%%html   shows the cell body as HTML", (s, args, body, where, line) -> new Session.Value(new Html(body)));
        m.cell("markdown", "%%markdown   shows the cell body as Markdown",
                (s, args, body, where, line) -> new Session.Value(new Markdown(body)));
    }

    // ------------------------------------------------------------------ %time

    private static Session.Value timeLine(Session s, String args) throws CellException {
        if (args.isBlank()) {
            throw new IllegalArgumentException("nothing to time");
        }
        return timed(s, () -> s.runJava(args, "%time", 0));
    }

    private static Session.Value timeCell(Session s, String args, String body, String where, int line) throws CellException {
        return timed(s, () -> s.run(body, where, line));
    }

    private interface Body {
        Session.Value run() throws CellException;
    }

    private static Session.Value timed(Session s, Body body) throws CellException {
        long cpu0 = processCpuNs();
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            Session.Value v = body.run();
            ok = true;
            return v;
        } finally {
            if (ok || !s.interruptRequested()) {
                long wall = System.nanoTime() - t0;
                long cpu = processCpuNs() - cpu0;
                s.out().stdout("Wall time: " + Timeit.format(wall)
                        + (cpu0 >= 0 ? ", CPU time (all kernel threads): " + Timeit.format(cpu) : "") + "\n");
            }
        }
    }

    private static long processCpuNs() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    // ------------------------------------------------------------------ %backend

    private static Session.Value backend(Session s, String args) {
        List<String> a = CellParser.tokenize(args);
        if (a.isEmpty()) {
            s.out().stdout(Backends.info() + "\n");
            return null;
        }
        if (a.size() > 1) {
            throw new IllegalArgumentException("takes one backend name, got " + a);
        }
        try {
            Backends.use(a.get(0));
        } catch (BackendUnavailableException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        s.out().stdout("backend: " + Backends.current().name() + " (" + Backends.current().describe() + ")\n");
        return null;
    }

    // ------------------------------------------------------------------ %classpath, %load

    private static Session.Value classpath(Session s, String args) throws IOException {
        List<String> a = CellParser.tokenize(args);
        if (a.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Path p : s.classpath()) {
                sb.append(p).append('\n');
            }
            s.out().stdout(sb.toString());
            return null;
        }
        List<Path> add = new ArrayList<>();
        for (String token : a) {
            for (String part : token.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    add.addAll(expand(part));
                }
            }
        }
        for (Path p : add) {
            s.addToClasspath(p);
            s.out().stdout("added to the class path: " + p + "\n");
        }
        return null;
    }

    /** A path, with {@code ~} and a {@code *} (or {@code *.jar}) last component expanded to the jars there. */
    static List<Path> expand(String spec) throws IOException {
        String p = spec.startsWith("~/") || spec.equals("~") ? System.getProperty("user.home") + spec.substring(1) : spec;
        Path cwd = Path.of(System.getProperty("user.dir"));
        if (p.endsWith("*") || p.endsWith("*.jar")) {
            String dirPart = p.substring(0, p.lastIndexOf('*'));
            Path dir = cwd.resolve(dirPart.isEmpty() ? "." : dirPart).normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("no such directory: " + dir);
            }
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
                ds.forEach(jars::add);
            }
            if (jars.isEmpty()) {
                throw new IllegalArgumentException("no jars in " + dir);
            }
            jars.sort(null);
            return jars;
        }
        Path path = cwd.resolve(p).normalize();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        return List.of(path);
    }

    private static Session.Value load(Session s, String args) throws IOException, CellException {
        List<String> a = CellParser.tokenize(args);
        if (a.size() != 1) {
            throw new IllegalArgumentException("takes one file name");
        }
        String name = a.get(0).startsWith("~/") ? System.getProperty("user.home") + a.get(0).substring(1) : a.get(0);
        Path file = Path.of(System.getProperty("user.dir")).resolve(name).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        String code = Files.readString(file, StandardCharsets.UTF_8);
        return s.run(code, file.getFileName().toString(), 0);
    }

    // ------------------------------------------------------------------ %maven

    private static Session.Value maven(Session s, String args) throws CellException {
        List<String> a = CellParser.tokenize(args);
        List<String> coords = new ArrayList<>();
        List<String> repos = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals("--repo")) {
                if (i + 1 >= a.size()) {
                    throw new IllegalArgumentException("--repo needs a URL");
                }
                repos.add(a.get(++i));
            } else if (a.get(i).startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + a.get(i));
            } else {
                coords.add(a.get(i));
            }
        }
        if (coords.isEmpty()) {
            throw new IllegalArgumentException("give coordinates group:artifact:version");
        }
        MavenResolver resolver = MavenResolver.fromEnvironment(repos);
        List<Path> jars;
        try {
            jars = resolver.resolve(coords);
        } catch (IllegalStateException e) {
            throw CellException.simple("MavenResolutionError", e.getMessage());
        }
        for (Path jar : jars) {
            s.addToClasspath(jar);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "added %d jar%s to the class path:%n",
                jars.size(), jars.size() == 1 ? "" : "s"));
        for (Path jar : jars) {
            sb.append("  ").append(jar.getFileName()).append('\n');
        }
        s.out().stdout(sb.toString());
        return null;
    }
}
