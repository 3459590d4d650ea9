package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the bench files: parses to {@code Map} (insertion-ordered), {@code List},
 * {@code String}, {@code Double}, {@code Boolean} and {@code null}; writes the same types back.
 */
final class Json {

    private final String s;
    private int p;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        Json j = new Json(text);
        j.ws();
        Object v = j.value();
        j.ws();
        if (j.p != j.s.length()) {
            throw j.error("trailing characters");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("expected a JSON object, got " + text);
    }

    // ------------------------------------------------------------------ reading helpers

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A number, also from JMH's {@code "NaN"}/{@code "Infinity"} strings; NaN when absent. */
    static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String str) {
            try {
                return Double.parseDouble(str);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String str(Object o) {
        return o == null ? null : o instanceof Double d && d == Math.rint(d) && !d.isInfinite()
                ? Long.toString(d.longValue()) : o.toString();
    }

    // ------------------------------------------------------------------ writing

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb, "");
        return sb.toString();
    }

    /** On one line, e.g. {@code {"a": 1, "b": [1, 2]}}: the JSON-lines form programs print. */
    static String writeLine(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb, null);
        return sb.toString();
    }

    /** {@code indent} null writes everything on one line. */
    private static void write(Object v, StringBuilder sb, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            quote(str, sb);
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            quote(d.toString(), sb);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : v);
        } else if (v instanceof Map<?, ?> m) {
            String in = indent == null ? null : indent + "  ";
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                separate(sb, first, in);
                quote(String.valueOf(e.getKey()), sb);
                sb.append(": ");
                write(e.getValue(), sb, in);
                first = false;
            }
            sb.append(first || in == null ? "}" : "\n" + indent + "}");
        } else if (v instanceof List<?> l) {
            String in = indent == null ? null : indent + "  ";
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                separate(sb, i == 0, in);
                write(l.get(i), sb, in);
            }
            sb.append(l.isEmpty() || in == null ? "]" : "\n" + indent + "]");
        } else {
            quote(v.toString(), sb);
        }
    }

    /** Before an element: a new indented line, or on one line a comma and a space after the first. */
    private static void separate(StringBuilder sb, boolean first, String in) {
        if (in != null) {
            sb.append(first ? "\n" : ",\n").append(in);
        } else if (!first) {
            sb.append(", ");
        }
    }

    private static void quote(String str, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ------------------------------------------------------------------ parsing

    private Object value() {
        if (p >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(p);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            case 'N' -> literal("NaN", Double.NaN);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        p++;
        ws();
        if (peek('}')) {
            p++;
            return m;
        }
        while (true) {
            ws();
            String key = string();
            ws();
            expect(':');
            ws();
            m.put(key, value());
            ws();
            if (peek(',')) {
                p++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        p++;
        ws();
        if (peek(']')) {
            p++;
            return l;
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            if (peek(',')) {
                p++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (p >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(p++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(p++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    p += 4;
                }
                default -> sb.append(e);
            }
        }
    }

    private Object number() {
        int start = p;
        if (s.startsWith("-Infinity", p)) {
            p += 9;
            return Double.NEGATIVE_INFINITY;
        }
        if (s.startsWith("Infinity", p)) {
            p += 8;
            return Double.POSITIVE_INFINITY;
        }
        while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
            p++;
        }
        if (start == p) {
            throw error("unexpected character '" + s.charAt(p) + "'");
        }
        return Double.parseDouble(s.substring(start, p));
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, p)) {
            throw error("expected " + word);
        }
        p += word.length();
        return v;
    }

    private boolean peek(char c) {
        return p < s.length() && s.charAt(p) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        p++;
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at offset " + p + ": " + what);
    }
}
