package dev.vectorgrad.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), enough for file headers such as the
 * safetensors one; no dependency.
 *
 * <p>Reading maps JSON to plain Java values: object to {@code LinkedHashMap<String, Object>} (in file
 * order; a repeated key is an error), array to {@code ArrayList<Object>}, string to {@code String},
 * {@code true}/{@code false} to {@code Boolean}, {@code null} to {@code null}, and a number to
 * {@code Long} when it is written as an integer that fits, {@code BigInteger} when it is a larger
 * integer, and {@code Double} when it has a fraction or an exponent. Strict means: no comments, no
 * trailing commas, no single quotes, no leading zeros, no {@code NaN}, no unescaped control
 * characters and no lone surrogates in strings, nothing but whitespace after the value, and at most
 * {@value #MAX_DEPTH} levels of nesting.
 *
 * <p>Writing produces compact JSON (no spaces) in the order of the given maps, escaping only what
 * must be escaped ({@code "}, {@code \}, control characters), so non-ASCII text stays readable.
 * This is the same byte-for-byte style as the reference safetensors writer.
 */
public final class Json {

    /** Deeper nesting than this is refused rather than risking a stack overflow on hostile input. */
    public static final int MAX_DEPTH = 128;

    /** The text is not valid JSON; {@link #offset()} is the character position of the problem. */
    public static final class SyntaxException extends IllegalArgumentException {
        private final int offset;
        private final String duplicateKey;

        SyntaxException(String message, int offset) {
            this(message, offset, null);
        }

        SyntaxException(String message, int offset, String duplicateKey) {
            super(message + " (at character " + offset + ")");
            this.offset = offset;
            this.duplicateKey = duplicateKey;
        }

        /** Position in the text (in chars) where the problem was found. */
        public int offset() {
            return offset;
        }

        /** The repeated key when the problem is a key that occurs twice in one object, else null. */
        public String duplicateKey() {
            return duplicateKey;
        }
    }

    private Json() {
    }

    /** Parses one JSON value, surrounded by optional whitespace. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the end of the JSON value");
        }
        return value;
    }

    /**
     * Writes a value as compact JSON. Accepted: {@code Map} with {@code String} keys, {@code Iterable},
     * {@code int[]}, {@code long[]}, {@code String}, {@code Boolean}, {@code null}, and numbers
     * ({@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code BigInteger},
     * {@code BigDecimal}, and finite {@code Double}/{@code Float}).
     *
     * @throws IllegalArgumentException for anything else, and for NaN or infinite numbers, which JSON cannot express
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    /** Appends a JSON string literal for {@code s} (with quotes) to {@code sb}. */
    public static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        switch (value) {
            case null -> sb.append("null");
            case String s -> writeString(sb, s);
            case Boolean b -> sb.append(b);
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            case Short s -> sb.append(s);
            case Byte b -> sb.append(b);
            case BigInteger b -> sb.append(b);
            case BigDecimal b -> sb.append(b);
            case Double d -> sb.append(finite(d));
            case Float f -> sb.append(finite(f.doubleValue()));
            case int[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(a[i]);
                }
                sb.append(']');
            }
            case long[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(a[i]);
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    }
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeString(sb, key);
                    sb.append(':');
                    write(sb, e.getValue(), depth + 1);
                }
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(sb, o, depth + 1);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON: " + value);
        }
    }

    private static String finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return (d == 0 && 1 / d < 0) ? "-0.0" : Long.toString((long) d) + ".0";
        }
        return Double.toString(d);
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        SyntaxException error(String message) {
            return new SyntaxException(message, pos);
        }

        String describeHere() {
            if (pos >= s.length()) {
                return "end of text";
            }
            char c = s.charAt(pos);
            if (c < 0x20 || c == 0x7f) {
                return String.format("control character U+%04X", (int) c);
            }
            return "'" + c + "'";
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) {
                throw error("expected a JSON value but the text ends");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("expected a JSON value, found " + describeHere());
                }
            };
        }

        Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("expected a JSON value, found " + describeHere());
            }
            pos += word.length();
            return value;
        }

        Map<String, Object> object(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
            }
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a string key in double quotes, found " + describeHere());
                }
                int keyStart = pos;
                String key = string();
                skipWhitespace();
                expect(':', "after the key \"" + key + "\"");
                skipWhitespace();
                Object v = value(depth);
                if (map.containsKey(key)) {
                    throw new SyntaxException("duplicate key \"" + key + "\"", keyStart, key);
                }
                map.put(key, v);
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}', "or ',' after a value in an object");
                return map;
            }
        }

        List<Object> array(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
            }
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']', "or ',' after a value in an array");
                return list;
            }
        }

        void expect(char c, String context) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "' " + context + ", found " + describeHere());
            }
            pos++;
        }

        String string() {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    pos = start;
                    throw error("string is not closed");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String tail = s.substring(runStart, pos);
                    pos++;
                    return sb == null ? tail : sb.append(tail).toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
                }
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && pos + 1 < s.length() && Character.isLowSurrogate(s.charAt(pos + 1))) {
                        pos += 2;
                        continue;
                    }
                    throw error("lone surrogate U+" + String.format("%04X", (int) c) + " in a string");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, runStart, pos);
                pos++;
                if (pos >= s.length()) {
                    throw error("string ends inside an escape sequence");
                }
                char e = s.charAt(pos);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hex4(pos + 1);
                        pos += 4;
                        if (Character.isHighSurrogate(u)) {
                            if (pos + 6 < s.length() && s.charAt(pos + 1) == '\\' && s.charAt(pos + 2) == 'u') {
                                char low = hex4(pos + 3);
                                if (Character.isLowSurrogate(low)) {
                                    sb.append(u).append(low);
                                    pos += 6;
                                    break;
                                }
                            }
                            throw error("\\u" + String.format("%04x", (int) u) + " is a high surrogate not followed by a low one");
                        }
                        if (Character.isLowSurrogate(u)) {
                            throw error("\\u" + String.format("%04x", (int) u) + " is a lone low surrogate");
                        }
                        sb.append(u);
                    }
                    default -> throw error("invalid escape sequence '\\" + e + "' in a string");
                }
                pos++;
                runStart = pos;
            }
        }

        private char hex4(int at) {
            if (at + 4 > s.length()) {
                throw error("\\u escape needs four hex digits");
            }
            int v = 0;
            for (int i = at; i < at + 4; i++) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0) {
                    throw error("\\u escape needs four hex digits, found '" + s.substring(at, at + 4) + "'");
                }
                v = v * 16 + d;
            }
            return (char) v;
        }

        Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("expected a digit in a number, found " + describeHere());
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    throw error("numbers must not have leading zeros");
                }
            } else {
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("expected a digit after the decimal point, found " + describeHere());
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("expected a digit in the exponent, found " + describeHere());
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            String text = s.substring(start, pos);
            if (integral) {
                BigInteger big = new BigInteger(text);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            return Double.parseDouble(text);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
