package dev.vectorgrad.jupyter;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells this kernel ran, for Jupyter's {@code history_request} (a console's up-arrow, {@code %history}
 * in other front ends). Kept in memory for the kernel's life: one session, numbered 1; cells by their
 * execution count.
 */
final class History {

    /** The number of this kernel's session; 0 in a request also means "the current one". */
    static final int SESSION = 1;

    private record Entry(int cell, String input, String output) {
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int cell, String input, String output) {
        entries.add(new Entry(cell, input, output));
    }

    /** The last {@code n} cells (all when {@code n <= 0}), oldest first. */
    synchronized List<HistoryEntry> tail(int n, boolean withOutput) {
        int from = n <= 0 ? 0 : Math.max(0, entries.size() - n);
        return convert(entries.subList(from, entries.size()), withOutput);
    }

    /** Cells {@code start <= cell < stop} of {@code session} ({@code stop <= 0}: to the end). */
    synchronized List<HistoryEntry> range(int session, int start, int stop, boolean withOutput) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.cell() >= start && (stop <= 0 || e.cell() < stop)) {
                out.add(e);
            }
        }
        return convert(out, withOutput);
    }

    /**
     * Cells whose input matches {@code glob} ({@code *}, {@code ?} and {@code [...]} as in IPython), the last
     * {@code n} of them ({@code n <= 0}: all); with {@code unique}, each input once, at its last run.
     */
    synchronized List<HistoryEntry> search(String glob, int n, boolean unique, boolean withOutput) {
        Pattern p = globToRegex(glob == null || glob.isEmpty() ? "*" : glob);
        Map<String, Entry> seen = new LinkedHashMap<>();
        List<Entry> matches = new ArrayList<>();
        for (Entry e : entries) {
            if (p.matcher(e.input()).matches()) {
                if (unique) {
                    seen.remove(e.input());
                    seen.put(e.input(), e);
                } else {
                    matches.add(e);
                }
            }
        }
        if (unique) {
            matches.addAll(seen.values());
        }
        int from = n <= 0 ? 0 : Math.max(0, matches.size() - n);
        return convert(matches.subList(from, matches.size()), withOutput);
    }

    static Pattern globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        boolean inClass = false;
        for (char c : glob.toCharArray()) {
            if (inClass) {
                sb.append(c == '\\' ? "\\\\" : String.valueOf(c));
                inClass = c != ']';
            } else if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                sb.append('[');
                inClass = true;
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }

    private static List<HistoryEntry> convert(List<Entry> list, boolean withOutput) {
        List<HistoryEntry> out = new ArrayList<>(list.size());
        for (Entry e : list) {
            out.add(withOutput ? new HistoryEntry(SESSION, e.cell(), e.input(), e.output() == null ? "" : e.output())
                    : new HistoryEntry(SESSION, e.cell(), e.input()));
        }
        return out;
    }
}
