package dev.vectorgrad.jupyter.magic;

import dev.vectorgrad.jupyter.CellException;
import dev.vectorgrad.jupyter.Session;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of line magics ({@code %name args}) and cell magics ({@code %%name args} + body).
 * A magic returns a {@link Session.Value} to show as the cell's value, or {@code null}.
 */
public final class Magics {

    @FunctionalInterface
    public interface LineMagic {
        Session.Value run(Session session, String args) throws Exception;
    }

    @FunctionalInterface
    public interface CellMagic {
        /** {@code where} and {@code bodyLine} (0-based) locate the body for error messages. */
        Session.Value run(Session session, String args, String body, String where, int bodyLine) throws Exception;
    }

    /** What argument a magic completes, for Tab after its name. */
    public enum ArgKind { NONE, PATH, WORDS }

    private record Line(LineMagic fn, String usage, ArgKind arg, Supplier<List<String>> words) {
    }

    private record Cell(CellMagic fn, String usage) {
    }

    private final Map<String, Line> lines = new TreeMap<>();
    private final Map<String, Cell> cells = new TreeMap<>();

    /** The kernel's magics: {@code %timeit}, {@code %%time}, {@code %backend}, {@code %classpath}, ... */
    public static Magics builtIn() {
        Magics m = new Magics();
        BuiltinMagics.register(m);
        return m;
    }

    public void line(String name, String usage, LineMagic fn) {
        line(name, usage, ArgKind.NONE, null, fn);
    }

    public void line(String name, String usage, ArgKind arg, Supplier<List<String>> words, LineMagic fn) {
        lines.put(name, new Line(fn, usage, arg, words));
    }

    public void cell(String name, String usage, CellMagic fn) {
        cells.put(name, new Cell(fn, usage));
    }

    public Session.Value runLine(Session s, String name, String args) throws CellException {
        Line l = lines.get(name);
        if (l == null) {
            throw CellException.simple("UsageError", "unknown line magic %" + name
                    + (cells.containsKey(name) ? " (%%" + name + " is a cell magic: put it on the cell's first line)" : "")
                    + "; %lsmagic lists the magics");
        }
        try {
            return l.fn().run(s, args);
        } catch (CellException e) {
            throw e;
        } catch (Exception e) {
            throw failure("%" + name, l.usage(), e);
        }
    }

    public Session.Value runCell(Session s, String name, String args, String body, String where, int bodyLine)
            throws CellException {
        Cell c = cells.get(name);
        if (c == null) {
            throw CellException.simple("UsageError", "unknown cell magic %%" + name
                    + (lines.containsKey(name) ? " (%" + name + " is a line magic)" : "") + "; %lsmagic lists the magics");
        }
        try {
            return c.fn().run(s, args, body, where, bodyLine);
        } catch (CellException e) {
            throw e;
        } catch (Exception e) {
            throw failure("%%" + name, c.usage(), e);
        }
    }

    private static CellException failure(String magic, String usage, Exception e) {
        if (e instanceof IllegalArgumentException) {
            return new CellException("UsageError", magic + ": " + e.getMessage(),
                    List.of("UsageError: " + magic + ": " + e.getMessage(), "usage: " + usage));
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        return new CellException(e.getClass().getName(), magic + ": " + msg, List.of(e.getClass().getName() + ": " + magic + ": " + msg));
    }

    /** The {@code %lsmagic} listing. */
    public String listing() {
        StringBuilder sb = new StringBuilder("Line magics:\n");
        lines.forEach((n, l) -> sb.append("  ").append(l.usage()).append('\n'));
        sb.append("Cell magics (first line of a cell):\n");
        cells.forEach((n, c) -> sb.append("  ").append(c.usage()).append('\n'));
        return sb.toString();
    }

    public List<String> lineNames() {
        return List.copyOf(lines.keySet());
    }

    public List<String> cellNames() {
        return List.copyOf(cells.keySet());
    }

    private static final Pattern NAME_PREFIX = Pattern.compile("^(\\s*)(%%?)([\\w.-]*)$");
    private static final Pattern ARG_PREFIX = Pattern.compile("^\\s*%([\\w.-]+)\\s+(?:.*\\s)?(\\S*)$");

    /**
     * Completion for a magic line: magic names after {@code %}/{@code %%}, then its argument (file
     * names, backend names). Empty when the line is not a magic line.
     */
    public Optional<Session.Completion> complete(String linePrefix, int lineStart) {
        Matcher m = NAME_PREFIX.matcher(linePrefix);
        if (m.matches()) {
            boolean cell = m.group(2).equals("%%");
            String p = m.group(3);
            List<String> out = new ArrayList<>();
            for (String n : cell ? cells.keySet() : lines.keySet()) {
                if (n.startsWith(p)) {
                    out.add(m.group(2) + n);
                }
            }
            int start = lineStart + m.group(1).length();
            return Optional.of(new Session.Completion(out, start, lineStart + linePrefix.length()));
        }
        Matcher a = ARG_PREFIX.matcher(linePrefix);
        if (a.matches() && lines.containsKey(a.group(1))) {
            Line l = lines.get(a.group(1));
            String word = a.group(2);
            int start = lineStart + linePrefix.length() - word.length();
            List<String> out = switch (l.arg()) {
                case WORDS -> l.words().get().stream().filter(w -> w.startsWith(word)).toList();
                case PATH -> paths(word);
                case NONE -> null;
            };
            if (out != null) {
                return Optional.of(new Session.Completion(out, start, lineStart + linePrefix.length()));
            }
        }
        return Optional.empty();
    }

    private static List<String> paths(String word) {
        String w = word.startsWith("~/") ? System.getProperty("user.home") + word.substring(1) : word;
        int slash = w.lastIndexOf('/');
        String dirPart = slash >= 0 ? w.substring(0, slash + 1) : "";
        String namePart = slash >= 0 ? w.substring(slash + 1) : w;
        Path dir = Path.of(System.getProperty("user.dir")).resolve(dirPart.isEmpty() ? "." : dirPart);
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(namePart) && (!n.startsWith(".") || namePart.startsWith("."))) {
                    String shown = (slash >= 0 ? word.substring(0, word.lastIndexOf('/') + 1) : "") + n;
                    out.add(Files.isDirectory(p) ? shown + "/" : shown);
                }
            }
        } catch (IOException ignored) {
            // no completions
        }
        out.sort(null);
        return out;
    }
}
