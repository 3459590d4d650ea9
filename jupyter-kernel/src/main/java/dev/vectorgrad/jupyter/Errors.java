package dev.vectorgrad.jupyter;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns compiler diagnostics and exceptions from cells into what the notebook shows: the offending
 * line with a caret under it and the compiler's message, or the exception with a stack trace cut
 * down to the user's own code (snippet frames named by cell and line).
 */
final class Errors {

    /** Frames of library code between two user frames beyond this many are summarized. */
    private static final int KEEP_LIBRARY_FRAMES = 2;
    /** Frames shown when an exception has no user frame at all. */
    private static final int NO_USER_FRAMES_LIMIT = 8;

    private Errors() {
    }

    static CellException compile(List<Diag> diags, Origin origin) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            String[] msg = d.getMessage(Locale.ROOT).split("\\R", -1);
            if (first == null) {
                first = msg[0];
            }
            long startPos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
            long endPos = Math.max(d.getEndPosition(), startPos + 1);
            int start = origin.start() + (int) Math.max(startPos, 0);
            int end = origin.start() + (int) endPos;
            lines.add(origin.where() + ", line " + origin.lineAt(start) + ": error: " + msg[0]);
            lines.addAll(caret(origin.code(), start, end));
            for (int i = 1; i < msg.length; i++) {
                if (!msg[i].isBlank()) {
                    lines.add(msg[i]);
                }
            }
        }
        if (first == null) {
            first = "the code was rejected by the compiler";
            lines.add(origin.where() + ": error: " + first);
        }
        return new CellException("CompilationException", first, lines);
    }

    /** Names a declaration uses that do not exist ("variable x", "method f(int)"), shown like a compile error. */
    static CellException unresolved(List<String> missing, Origin origin) {
        String what = String.join(", ", missing);
        List<String> lines = new ArrayList<>();
        lines.add(origin.where() + ": error: cannot find symbol: " + what);
        for (String m : missing) {
            String name = m.substring(m.lastIndexOf(' ') + 1);
            int paren = name.indexOf('(');
            if (paren >= 0) {
                name = name.substring(0, paren);
            }
            int at = indexOfWord(origin.code(), name);
            if (at >= 0) {
                lines.addAll(caret(origin.code(), at, at + name.length()));
                break;
            }
        }
        return new CellException("CompilationException", "cannot find symbol: " + what, lines);
    }

    private static int indexOfWord(String code, String word) {
        int from = 0;
        while (!word.isEmpty()) {
            int i = code.indexOf(word, from);
            if (i < 0) {
                return -1;
            }
            boolean startOk = i == 0 || !Character.isJavaIdentifierPart(code.charAt(i - 1));
            int end = i + word.length();
            boolean endOk = end >= code.length() || !Character.isJavaIdentifierPart(code.charAt(end));
            if (startOk && endOk) {
                return i;
            }
            from = i + 1;
        }
        return -1;
    }

    /** The source line holding {@code start} and a marker line under {@code start..end} (same line only). */
    static List<String> caret(String code, int start, int end) {
        start = Math.max(0, Math.min(start, code.length()));
        int lineStart = code.lastIndexOf('\n', start - 1) + 1;
        int lineEnd = code.indexOf('\n', start);
        if (lineEnd < 0) {
            lineEnd = code.length();
        }
        if (start == lineEnd && start > lineStart && code.substring(lineStart, lineEnd).isBlank()) {
            start = lineStart;
        }
        String line = code.substring(lineStart, lineEnd).stripTrailing();
        StringBuilder mark = new StringBuilder();
        for (int i = lineStart; i < start; i++) {
            mark.append(code.charAt(i) == '\t' ? '\t' : ' ');
        }
        int len = Math.max(1, Math.min(end, lineEnd) - start);
        if (len == 1) {
            mark.append('^');
        } else {
            mark.append('^').append("-".repeat(len - 2)).append('^');
        }
        return List.of("    " + line, "    " + mark);
    }

    static CellException interrupted() {
        return interrupted(null);
    }

    /** {@code thrown}: what the cell threw as it stopped, if anything (mentioned, not traced). */
    static CellException interrupted(JShellException thrown) {
        List<String> lines = new ArrayList<>();
        lines.add("Interrupted: the cell was stopped at your request; variables defined before that point are kept");
        if (thrown != null) {
            String cn = thrown instanceof EvalException ee ? ee.getExceptionClassName() : thrown.getClass().getSimpleName();
            lines.add("(it ended with " + header(cn, thrown.getMessage()) + ")");
        }
        return new CellException("Interrupted", "the cell was interrupted", lines);
    }

    static CellException runtime(JShellException e, Function<String, Origin> origins, Function<UnresolvedReferenceException, String> unresolved) {
        if (e instanceof UnresolvedReferenceException ure) {
            String msg = unresolved.apply(ure);
            List<String> lines = new ArrayList<>();
            lines.add("UnresolvedReferenceException: " + msg);
            lines.addAll(frames(ure.getStackTrace(), origins));
            return new CellException("UnresolvedReferenceException", msg, lines);
        }
        String className = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
        String message = e.getMessage();
        List<String> lines = new ArrayList<>();
        lines.add(header(className, message));
        lines.addAll(frames(e.getStackTrace(), origins));
        Throwable c = e.getCause();
        int depth = 0;
        while (c != null && depth++ < 10) {
            String cn = c instanceof EvalException ce ? ce.getExceptionClassName() : c.getClass().getName();
            lines.add("Caused by: " + header(cn, c.getMessage()));
            lines.addAll(frames(c.getStackTrace(), origins));
            c = c.getCause();
        }
        if (className.equals("java.lang.OutOfMemoryError")) {
            long max = Runtime.getRuntime().maxMemory();
            lines.add("The kernel is still usable: the memory the cell held was freed. Its heap limit is "
                    + (max / (1L << 20)) + " MiB (raise it with -Xmx in the kernelspec's argv).");
        } else if (className.equals("java.lang.StackOverflowError")) {
            lines.add("The kernel is still usable. (Deep recursion? Each cell runs on its own thread with the JVM's default stack size.)");
        }
        return new CellException(className, message == null ? "" : message, lines);
    }

    static String header(String className, String message) {
        return message == null || message.isEmpty() ? className : className + ": " + message;
    }

    /** Stack frames as shown: user frames by cell and line, library runs shortened, recursion folded. */
    static List<String> frames(StackTraceElement[] trace, Function<String, Origin> origins) {
        int lastUser = -1;
        for (int i = 0; i < trace.length; i++) {
            if (isUser(trace[i])) {
                lastUser = i;
            }
        }
        List<String> out = new ArrayList<>();
        if (lastUser < 0) {
            for (int i = 0; i < Math.min(trace.length, NO_USER_FRAMES_LIMIT); i++) {
                out.add("    at " + trace[i]);
            }
            if (trace.length > NO_USER_FRAMES_LIMIT) {
                out.add("    ... " + (trace.length - NO_USER_FRAMES_LIMIT) + " more");
            }
            return out;
        }
        int i = 0;
        while (i <= lastUser) {
            if (isUser(trace[i])) {
                out.add("    at " + userFrame(trace[i], origins));
                i++;
                continue;
            }
            int j = i;
            while (j <= lastUser && !isUser(trace[j])) {
                j++;
            }
            int run = j - i;
            if (run <= KEEP_LIBRARY_FRAMES + 1) {
                for (int k = i; k < j; k++) {
                    out.add("    at " + trace[k]);
                }
            } else {
                out.add("    at " + trace[i]);
                out.add("    ... " + (run - KEEP_LIBRARY_FRAMES) + " frames in library code ...");
                out.add("    at " + trace[j - 1]);
            }
            i = j;
        }
        return foldRepeats(out);
    }

    private static boolean isUser(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#");
    }

    private static String userFrame(StackTraceElement f, Function<String, Origin> origins) {
        Origin o = origins.apply(f.getFileName().substring(1));
        String loc = o == null ? "snippet " + f.getFileName() + ", line " + f.getLineNumber()
                : o.where() + ", line " + o.lineOfSnippetLine(f.getLineNumber());
        String cls = f.getClassName() == null ? "" : f.getClassName();
        String name = cls.isEmpty() ? f.getMethodName() : cls + "." + f.getMethodName();
        return name.isEmpty() ? loc : name + " (" + loc + ")";
    }

    /** Folds a block of 1..8 lines repeated three or more times in a row (deep recursion). */
    static List<String> foldRepeats(List<String> lines) {
        List<String> out = new ArrayList<>();
        int i = 0;
        outer:
        while (i < lines.size()) {
            for (int p = 1; p <= 8 && i + 3 * p <= lines.size(); p++) {
                int reps = 1;
                while (i + (reps + 1) * p <= lines.size()
                        && lines.subList(i, i + p).equals(lines.subList(i + reps * p, i + (reps + 1) * p))) {
                    reps++;
                }
                if (reps >= 3) {
                    out.addAll(lines.subList(i, i + p));
                    out.add("    ... the " + (p == 1 ? "frame above repeats" : p + " frames above repeat") + " "
                            + (reps - 1) + " more times ...");
                    i += reps * p;
                    continue outer;
                }
            }
            out.add(lines.get(i));
            i++;
        }
        return out;
    }
}
