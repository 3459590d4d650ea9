package dev.vectorgrad.jupyter.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into Java code and magics, IPython style: a first line {@code %%name args} makes the
 * whole cell the body of a cell magic; otherwise any line starting with {@code %name} is a line magic
 * and the lines between magics are Java code. Line numbers are kept so that errors point at the
 * cell's own lines.
 */
public final class CellParser {

    private static final Pattern LINE_MAGIC = Pattern.compile("^[ \\t]*%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^[ \\t]*%%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?$");

    private CellParser() {
    }

    /** One part of a cell. {@code line} is the 0-based cell line where the part starts. */
    public sealed interface Segment permits Java, LineMagic, CellMagic {
        int line();
    }

    /** Java source, exactly as written; {@code line} is the cell line of its first character. */
    public record Java(String code, int line) implements Segment {
    }

    public record LineMagic(String name, String args, int line) implements Segment {
    }

    /** A cell magic; its body starts on cell line {@code line + 1}. */
    public record CellMagic(String name, String args, String body, int line) implements Segment {
    }

    /** Thrown for a cell magic that is not on the first line. */
    public static final class MisplacedCellMagicException extends IllegalArgumentException {
        public MisplacedCellMagicException(String message) {
            super(message);
        }
    }

    public static List<Segment> parse(String cell) {
        List<Segment> out = new ArrayList<>();
        String[] lines = cell.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length) {
            Matcher m = CELL_MAGIC.matcher(stripCr(lines[first]));
            if (m.matches()) {
                StringBuilder body = new StringBuilder();
                for (int i = first + 1; i < lines.length; i++) {
                    body.append(lines[i]);
                    if (i < lines.length - 1) {
                        body.append('\n');
                    }
                }
                out.add(new CellMagic(m.group(1), nullToEmpty(m.group(2)).strip(), body.toString(), first));
                return out;
            }
        }
        StringBuilder java = new StringBuilder();
        int javaStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = stripCr(lines[i]);
            Matcher cm = CELL_MAGIC.matcher(line);
            if (cm.matches()) {
                throw new MisplacedCellMagicException("%%" + cm.group(1) + " is a cell magic: it must be the first line of"
                        + " the cell (line " + (i + 1) + " here)");
            }
            Matcher m = LINE_MAGIC.matcher(line);
            if (m.matches()) {
                addJava(out, java, javaStart);
                out.add(new LineMagic(m.group(1), nullToEmpty(m.group(2)).strip(), i));
                java.setLength(0);
                javaStart = i + 1;
                continue;
            }
            java.append(lines[i]);
            if (i < lines.length - 1) {
                java.append('\n');
            }
        }
        addJava(out, java, javaStart);
        return out;
    }

    private static void addJava(List<Segment> out, StringBuilder java, int start) {
        if (!java.toString().isBlank()) {
            out.add(new Java(java.toString(), start));
        }
    }

    /**
     * The cell with every magic line blanked out (same length, newlines kept), so that Java analysis
     * (completion, completeness) can run over it with unchanged offsets. A cell magic cell comes back
     * unchanged.
     */
    public static String maskLineMagics(String cell) {
        StringBuilder sb = new StringBuilder(cell.length());
        int i = 0;
        while (i <= cell.length()) {
            int nl = cell.indexOf('\n', i);
            int end = nl < 0 ? cell.length() : nl;
            String line = cell.substring(i, end);
            if (LINE_MAGIC.matcher(stripCr(line)).matches() && !CELL_MAGIC.matcher(stripCr(line)).matches()) {
                sb.append(" ".repeat(line.length()));
            } else {
                sb.append(line);
            }
            if (nl < 0) {
                break;
            }
            sb.append('\n');
            i = nl + 1;
        }
        return sb.toString();
    }

    /** True when the first non-blank line is a cell magic. */
    public static boolean isCellMagic(String cell) {
        for (String line : cell.split("\n", -1)) {
            if (!line.isBlank()) {
                return CELL_MAGIC.matcher(stripCr(line)).matches();
            }
        }
        return false;
    }

    /**
     * Splits magic arguments like a shell: whitespace separates, single or double quotes group, and a
     * backslash escapes the next character outside single quotes.
     */
    public static List<String> tokenize(String args) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < args.length()) {
                    cur.append(args.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (c == '\\' && i + 1 < args.length()) {
                cur.append(args.charAt(++i));
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " quote in: " + args);
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
