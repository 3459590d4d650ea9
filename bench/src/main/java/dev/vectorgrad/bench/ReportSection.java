package dev.vectorgrad.bench;

/**
 * One part of the markdown report. Sections are independent: each reads the measurements and the run
 * context and appends its heading, text and tables, or nothing when it has nothing to say. New
 * comparisons (training time against PyTorch, GPU columns) are added as new sections or columns.
 */
interface ReportSection {

    void render(Measurements m, RunContext ctx, StringBuilder md);

    /** Appends a level-2 heading with the blank lines markdown wants around it. */
    static void heading(StringBuilder md, String title) {
        md.append("## ").append(title).append("\n\n");
    }

    static void paragraph(StringBuilder md, String text) {
        md.append(text).append("\n\n");
    }

    static void table(StringBuilder md, Table t) {
        md.append(t.toMarkdown()).append('\n');
    }
}
