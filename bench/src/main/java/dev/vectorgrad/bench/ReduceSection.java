package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.List;

/** Bandwidth of a full sum reduction per size and implementation. */
final class ReduceSection implements ReportSection {

    static final String BENCH = Suite.REDUCE.benchClass;

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        if (!ctx.selected(Suite.REDUCE)) {
            return;
        }
        int all = ctx.allThreads();
        ReportSection.heading(md, "Reduction (sum of all elements)");
        ReportSection.paragraph(md, "`reduce(SUM, x, 0, 1, n, 1, out)`; GB/s = 4·n bytes read / time per op, from "
                + "JMH's score ± error.");
        List<String> header = new ArrayList<>(List.of("n"));
        header.addAll(ImplRates.rateHeaders(all));
        header.addAll(ImplRates.speedupHeaders(all));
        Table t = Table.of(header);
        for (String method : m.methods(BENCH)) {
            for (String size : m.values(BENCH, "size")) {
                long n = Long.parseLong(size);
                ImplRates r = ImplRates.of(impl -> m.find(BENCH, method, "impl", impl, "size", size),
                        ReduceBench.bytesMoved(method, n), 1e9);
                List<Object> row = new ArrayList<>(List.of(Fmt.count(n)));
                row.addAll(r.rateCells());
                row.addAll(r.speedupCells());
                t.row(row);
            }
        }
        if (t.isEmpty()) {
            ReportSection.paragraph(md, "No ReduceBench results in this run (see Notes).");
        } else {
            ReportSection.table(md, t);
        }
    }
}
