package dev.vectorgrad.jupyter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Javadoc comment text made readable as plain text for the inspection pager. */
final class Javadocs {

    /** Block tags left out of the short form: they say little at a glance. */
    private static final Set<String> NOT_IN_SUMMARY = Set.of("@see", "@since", "@apiNote", "@implNote", "@implSpec",
            "@author", "@version", "@serial", "@serialData", "@serialField", "@hidden", "@deprecated");

    private Javadocs() {
    }

    /** {@code Type#member(args) label}: the label when there is one, else the reference with '.' for '#'. */
    static String linkText(String ref) {
        int depth = 0;
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (Character.isWhitespace(c) && depth == 0) {
                return ref.substring(i + 1).strip();
            }
        }
        return ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.');
    }

    /**
     * Tags and HTML removed. Without {@code detail}: the first paragraph of the description (whose
     * first sentence is the summary) and the parameter, return and exception tags; with it, all.
     */
    static String toText(String javadoc, boolean detail) {
        String s = inlineTags(unindent(javadoc.replace("\r", "")));
        s = s.replaceAll("(?i)<p>", "\n\n")
                .replaceAll("(?i)</p>", "")
                .replaceAll("(?i)<li>", "\n - ")
                .replaceAll("(?i)<br\\s*/?>", "\n")
                .replaceAll("(?is)<pre>", "\n\n")
                .replaceAll("(?is)</pre>", "\n\n")
                .replaceAll("(?s)<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&#64;", "@")
                .replace("&amp;", "&")
                .replaceAll("\\n\\s*\\n - ", "\n - "); // a list goes on from the sentence that opens it
        int tags = blockTagsStart(s);
        String body = tags >= 0 ? s.substring(0, tags) : s;
        String blockTags = tags >= 0 ? s.substring(tags) : "";
        if (!detail) {
            body = body.strip();
            int para = body.indexOf("\n\n");
            if (para > 0) {
                body = body.substring(0, para);
            }
            blockTags = keepTags(blockTags);
        }
        String out = body.strip() + (blockTags.isBlank() ? "" : "\n\n" + blockTags.strip());
        return out.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    /** Comment lines as the compiler hands them start with the blank after the '*': take it off. */
    private static String unindent(String s) {
        String[] lines = s.split("\n", -1);
        boolean all = true;
        for (String l : lines) {
            if (!l.isBlank() && !l.startsWith(" ")) {
                all = false;
                break;
            }
        }
        if (!all) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            sb.append(i == 0 ? "" : "\n").append(lines[i].isEmpty() ? "" : lines[i].substring(1));
        }
        return sb.toString();
    }

    /** Inline tags replaced by their text; braces inside ({@code {{1, 2}}}) are balanced. */
    private static String inlineTags(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("{@", i)) {
                int end = closingBrace(s, i);
                if (end > 0) {
                    String inner = s.substring(i + 2, end);
                    int space = 0;
                    while (space < inner.length() && !Character.isWhitespace(inner.charAt(space))) {
                        space++;
                    }
                    String tag = inner.substring(0, space);
                    String body = inner.substring(space).strip();
                    out.append(switch (tag) {
                        case "link", "linkplain" -> linkText(body);
                        case "value" -> body.isEmpty() ? "" : linkText(body);
                        case "inheritDoc", "docRoot" -> "";
                        case "index" -> body.startsWith("\"") ? body.replaceAll("^\"([^\"]*)\".*", "$1") : body.split("\\s", 2)[0];
                        default -> body; // code, literal, summary, systemProperty, return, ...
                    });
                    i = end + 1;
                    continue;
                }
            }
            out.append(s.charAt(i++));
        }
        return out.toString();
    }

    private static int closingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the newline before the first block tag ({@code @param} at a line start), or -1. */
    private static int blockTagsStart(String s) {
        int from = 0;
        while (true) {
            int nl = s.indexOf('\n', from);
            if (nl < 0) {
                return -1;
            }
            String rest = s.substring(nl + 1).stripLeading();
            if (rest.startsWith("@") && rest.length() > 1 && Character.isLetter(rest.charAt(1))) {
                return nl;
            }
            from = nl + 1;
        }
    }

    /** The parameter, type-parameter, return and exception tags, one line each; the rest left out. */
    private static String keepTags(String blockTags) {
        List<String> kept = new ArrayList<>();
        StringBuilder current = null;
        boolean keep = false;
        for (String line : blockTags.split("\n")) {
            String t = line.strip();
            if (t.startsWith("@") && t.length() > 1 && Character.isLetter(t.charAt(1))) {
                if (current != null && keep) {
                    kept.add(current.toString());
                }
                String tag = t.split("\\s", 2)[0];
                keep = !NOT_IN_SUMMARY.contains(tag);
                current = new StringBuilder(t.replaceAll("\\s+", " "));
            } else if (current != null && !t.isEmpty()) {
                current.append(' ').append(t.replaceAll("\\s+", " "));
            }
        }
        if (current != null && keep) {
            kept.add(current.toString());
        }
        return String.join("\n", kept);
    }
}
