package dev.vectorgrad.jupyter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Javadoc comment text made readable as plain text for the inspection pager. */
final class Javadocs {

    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|literal|link|linkplain|value)\\s+([^}]*)}");

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

    /** Tags and HTML removed; without {@code detail} only the first paragraph and the block tags. */
    static String toText(String javadoc, boolean detail) {
        String s = javadoc.replace("\r", "");
        Matcher m = INLINE_TAG.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String body = m.group(1).strip();
            if (m.group().startsWith("{@link")) {
                body = linkText(body);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(body));
        }
        m.appendTail(sb);
        s = sb.toString()
                .replaceAll("(?i)<p>", "\n\n")
                .replaceAll("(?i)<li>", "\n - ")
                .replaceAll("(?i)<br\\s*/?>", "\n")
                .replaceAll("(?s)<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#64;", "@");
        if (!detail) {
            int tags = s.indexOf("\n@");
            String body = tags >= 0 ? s.substring(0, tags) : s;
            String blockTags = tags >= 0 ? s.substring(tags) : "";
            int para = body.indexOf("\n\n");
            if (para > 0) {
                body = body.substring(0, para);
            }
            s = body + blockTags;
        }
        return s.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
