package dev.vectorgrad.bench;

import java.util.Map;

/** What the numbers were measured on, and how long each benchmark was measured. */
final class MachineSection implements ReportSection {

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        ReportSection.heading(md, "Machine");
        Table t = Table.of("Item", "Value").leftAligned(1);
        for (Map.Entry<String, String> e : ctx.machine().entrySet()) {
            if (!e.getKey().equals(MachineInfo.BACKENDS)) {
                t.row(e.getKey(), e.getValue());
            }
        }
        t.row("Mode", ctx.mode() + " (" + ctx.settings() + ")");
        t.row("Benchmarks", String.join(", ", ctx.suites()));
        ReportSection.table(md, t);
        String backends = ctx.machine().get(MachineInfo.BACKENDS);
        if (backends != null) {
            md.append("`Backends.info()` in the JVM that ran JMH:\n\n```\n").append(backends.strip()).append("\n```\n\n");
        }
    }
}
