package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A markdown table: a header, rows of cells, and per-column alignment (first column left, the rest
 * right unless told otherwise). Columns are padded so the file also reads well as plain text.
 */
final class Table {

    private final List<String> header;
    private final boolean[] left;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> header) {
        this.header = header;
        this.left = new boolean[header.size()];
        left[0] = true;
    }

    static Table of(String... header) {
        return new Table(List.of(header));
    }

    static Table of(List<String> header) {
        return new Table(List.copyOf(header));
    }

    /** Left-aligns the given columns (indices from 0). */
    Table leftAligned(int... columns) {
        for (int c : columns) {
            left[c] = true;
        }
        return this;
    }

    /** Adds a row; missing cells are blank, extra cells an error. */
    Table row(Object... cells) {
        if (cells.length > header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size()
                    + " columns: " + Arrays.toString(cells));
        }
        List<String> r = new ArrayList<>(header.size());
        for (int i = 0; i < header.size(); i++) {
            r.add(i < cells.length && cells[i] != null ? cells[i].toString() : "");
        }
        rows.add(r);
        return this;
    }

    Table row(List<?> cells) {
        return row(cells.toArray());
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    int size() {
        return rows.size();
    }

    String toMarkdown() {
        int n = header.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = Math.max(3, escape(header.get(c)).length());
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], escape(r.get(c)).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        sb.append('|');
        for (int c = 0; c < n; c++) {
            sb.append(left[c] ? ":" + "-".repeat(width[c] + 1) : "-".repeat(width[c] + 1) + ":").append('|');
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width) {
        sb.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String s = escape(cells.get(c));
            String pad = " ".repeat(width[c] - s.length());
            sb.append(' ').append(left[c] ? s + pad : pad + s).append(" |");
        }
        sb.append('\n');
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
