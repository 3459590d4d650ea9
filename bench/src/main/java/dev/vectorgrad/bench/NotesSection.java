package dev.vectorgrad.bench;

import java.util.List;

/** Why cells are empty: benchmarks that failed or were skipped, and other remarks of the run. */
final class NotesSection implements ReportSection {

    private static final int MAX_LINES = 60;

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        ReportSection.heading(md, "Notes");
        md.append("- ").append(Fmt.NONE).append(" marks a value that was not measured: the benchmark failed (listed "
                + "below), or the mode leaves that combination out (`--quick` skips the scalar reference at large "
                + "sizes).\n");
        String busy = busyNote(ctx);
        if (busy != null) {
            md.append("- ").append(busy).append('\n');
        }
        for (String note : ctx.notes()) {
            md.append("- ").append(note).append('\n');
        }
        List<String> failures = ctx.failures();
        if (!failures.isEmpty()) {
            md.append("- ").append(failures.size()).append(" benchmark(s) failed:\n");
            for (int i = 0; i < Math.min(MAX_LINES, failures.size()); i++) {
                md.append("  - `").append(failures.get(i).replace("`", "'")).append("`\n");
            }
            if (failures.size() > MAX_LINES) {
                md.append("  - … and ").append(failures.size() - MAX_LINES).append(" more (see the console log)\n");
            }
        }
        md.append('\n');
    }

    /** A warning when the load average at the start was high for the number of CPUs. */
    static String busyNote(RunContext ctx) {
        try {
            double load = Double.parseDouble(ctx.machine().getOrDefault("Load average at start", "").split(" ")[0]);
            int cpus = Integer.parseInt(ctx.machine().getOrDefault("Logical CPUs", "").split(" ")[0]);
            if (load >= 0.5 * cpus) {
                return "The machine was busy when the run started (load average " + load + " on " + cpus
                        + " CPUs): expect noisy numbers and wide errors; rerun on an idle machine to quote them.";
            }
        } catch (RuntimeException e) {
            // no load figure (not Linux, or an older context file)
        }
        return null;
    }
}
