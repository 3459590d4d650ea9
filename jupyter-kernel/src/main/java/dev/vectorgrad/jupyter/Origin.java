package dev.vectorgrad.jupyter;

/**
 * Where a snippet came from, to point error messages at the user's own lines: {@code where} names
 * the source ({@code cell [3]}, a file, {@code %timeit}), {@code code} is the text the snippet was cut
 * from, {@code start} the snippet's offset in it, and {@code firstLine} the 0-based line of
 * {@code code} within the source.
 */
record Origin(String where, String code, int start, int firstLine) {

    /** 1-based source line of {@code offset} within {@code code}. */
    int lineAt(int offset) {
        int n = firstLine + 1;
        int end = Math.min(Math.max(offset, 0), code.length());
        for (int i = 0; i < end; i++) {
            if (code.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** 1-based source line of line {@code snippetLine} (1-based) of the snippet. */
    int lineOfSnippetLine(int snippetLine) {
        return lineAt(start) + Math.max(snippetLine, 1) - 1;
    }
}
