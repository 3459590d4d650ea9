package dev.vectorgrad.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns measurements (read from JMH's JSON) and a run context into the markdown report. Knows nothing
 * of running benchmarks; a report can be rendered again from the saved files.
 */
final class ReportWriter {

    /** The report's sections, in order. */
    static final List<ReportSection> SECTIONS = List.of(
            new MachineSection(),
            new GemmSection(),
            new ElementwiseSection(),
            new ReduceSection(),
            new ConvSection(),
            new TrainSection(),
            new GpuSection(),
            new NotesSection(),
            new RawSection());

    private ReportWriter() {
    }

    static String render(Measurements m, RunContext ctx) {
        StringBuilder md = new StringBuilder();
        String date = ctx.machine().getOrDefault("Date", "");
        md.append("# vectorgrad benchmarks: ").append(ctx.machine().getOrDefault(MachineInfo.CPU, "unknown CPU"))
                .append(date.length() >= 10 ? ", " + date.substring(0, 10) : "").append("\n\n");
        if (!ctx.mode().equals(RunMode.FULL.cliName())) {
            md.append("> ").append(ctx.mode().equals(RunMode.SMOKE.cliName()) ? "Smoke run: checks the harness only; "
                    + "the numbers are not meaningful." : "Quick run: short measurements and cut-down size sets; "
                    + "use the full run for numbers to quote.").append("\n\n");
        }
        for (ReportSection s : SECTIONS) {
            s.render(m, ctx, md);
        }
        return md.toString();
    }

    static void write(Path file, Measurements m, RunContext ctx) throws IOException {
        AtomicFiles.write(file, render(m, ctx));
    }
}
