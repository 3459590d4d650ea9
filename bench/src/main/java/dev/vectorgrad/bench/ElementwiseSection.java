package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.List;

/** Bandwidth of add and relu per size and implementation, beside System.arraycopy of the same size. */
final class ElementwiseSection implements ReportSection {

    static final String BENCH = Suite.ELEMENTWISE.benchClass;
    static final List<String> KERNELS = List.of("add", "relu");

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        if (!ctx.selected(Suite.ELEMENTWISE)) {
            return;
        }
        int all = ctx.allThreads();
        ReportSection.heading(md, "Elementwise (contiguous float32)");
        ReportSection.paragraph(md, "GB/s = bytes moved / time per op (1 GB = 10⁹ B): add moves 12 B per element "
                + "(two reads, one write), relu and copy 8 B. \"copy 1t\" is `System.arraycopy` of the same size on "
                + "one thread, measured in the same run; \"/ copy\" is the kernel's bandwidth as a fraction of it "
                + "(for SIMD on all threads too, against the one-thread copy). \"loop copy 1t\" is the same copy "
                + "written as a Java loop, which C2 vectorizes: the bandwidth Java code can reach, since "
                + "`System.arraycopy` is a hand-written JVM stub. Values are JMH's score ± error converted to GB/s.");
        List<String> header = new ArrayList<>(List.of("op", "n"));
        header.addAll(ImplRates.rateHeaders(all));
        header.add("copy 1t");
        header.add("loop copy 1t");
        header.addAll(ImplRates.speedupHeaders(all));
        header.add("SIMD 1t / copy");
        header.add("SIMD " + all + "t / copy");
        Table t = Table.of(header).leftAligned(1);
        List<String> sizes = m.values(BENCH, "size");
        for (String op : KERNELS) {
            for (String size : sizes) {
                long n = Long.parseLong(size);
                ImplRates r = ImplRates.of(impl -> m.find(BENCH, op, "impl", impl, "size", size),
                        ElementwiseBench.bytesMoved(op, n), 1e9);
                double[] copy = m.find(BENCH, "copy", "size", size)
                        .map(x -> x.rate(ElementwiseBench.bytesMoved("copy", n), 1e9))
                        .orElse(new double[]{Double.NaN, Double.NaN});
                double[] loop = m.find(BENCH, "copyLoop", "size", size)
                        .map(x -> x.rate(ElementwiseBench.bytesMoved("copyLoop", n), 1e9))
                        .orElse(new double[]{Double.NaN, Double.NaN});
                List<Object> row = new ArrayList<>(List.of(op, Fmt.count(n)));
                row.addAll(r.rateCells());
                row.add(Fmt.pm(copy[0], copy[1]));
                row.add(Fmt.pm(loop[0], loop[1]));
                row.addAll(r.speedupCells());
                row.add(Fmt.percent(r.simd1(), copy[0]));
                row.add(Fmt.percent(r.simdAll(), copy[0]));
                t.row(row);
            }
        }
        if (t.isEmpty()) {
            ReportSection.paragraph(md, "No ElementwiseBench results in this run (see Notes).");
        } else {
            ReportSection.table(md, t);
        }
    }
}
