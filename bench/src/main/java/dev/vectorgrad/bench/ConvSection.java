package dev.vectorgrad.bench;

import dev.vectorgrad.backend.ConvGeometry;

import java.util.Optional;

/** Forward conv2d of the LeNet-5 layers: time per minibatch, GFLOP/s, and speed-up over scalar. */
final class ConvSection implements ReportSection {

    static final String BENCH = Suite.CONV.benchClass;

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        if (!ctx.selected(Suite.CONV)) {
            return;
        }
        int all = ctx.allThreads();
        ReportSection.heading(md, "conv2d forward (LeNet-5 layers, with bias)");
        ReportSection.paragraph(md, "ms per minibatch is JMH's score ± error; GFLOP/s = `ConvGeometry.flops()` "
                + "(2 × multiply-adds) / time per op.");
        Table t = Table.of("layer", "shape", "impl", "ms / op", "GFLOP/s", "vs scalar").leftAligned(1, 2);
        for (String method : m.methods(BENCH)) {
            for (String layer : m.values(BENCH, "layer")) {
                ConvGeometry g = ConvBench.geometry(layer);
                double scalar = rate(m.find(BENCH, method, "impl", Impl.SCALAR, "layer", layer), g)[0];
                for (String impl : Impl.CPU) {
                    Optional<Measurement> x = m.find(BENCH, method, "impl", impl, "layer", layer);
                    double[] r = rate(x, g);
                    String ms = x.map(v -> Fmt.pm(v.secondsPerOp() * 1e3, v.secondsPerOp() * 1e3 * v.relativeError()))
                            .orElse(Fmt.NONE);
                    t.row(layer, ConvBench.describe(layer), Impl.label(impl, all), ms, Fmt.pm(r[0], r[1]),
                            impl.equals(Impl.SCALAR) ? "" : Fmt.ratio(r[0], scalar));
                }
                gpuRows(t, ctx.gpu(), layer, g, scalar);
            }
        }
        if (t.isEmpty()) {
            ReportSection.paragraph(md, "No ConvBench results in this run (see Notes).");
        } else {
            ReportSection.table(md, t);
        }
        md.append(GemmSection.gpuText(ctx.gpu()));
    }

    /** The device rows of a layer at the benchmark's batch: resident operands, and with copies. */
    private static void gpuRows(Table t, GpuResult gpu, String layer, ConvGeometry g, double scalar) {
        if (gpu == null) {
            return;
        }
        if (!gpu.available()) {
            t.row(layer, ConvBench.describe(layer), "gpu", "unavailable", Fmt.NONE, "");
            return;
        }
        var p = gpu.convAt(layer, g.n());
        if (p == null) {
            return;
        }
        t.row(layer, ConvBench.describe(layer), gpu.kind() + " resident", Fmt.num(p.residentMs()) + " (median)",
                Fmt.num(p.gflops(p.residentMs())), Fmt.ratio(p.gflops(p.residentMs()), scalar));
        t.row(layer, ConvBench.describe(layer), gpu.kind() + " + copies", Fmt.num(p.withTransfersMs()) + " (median)",
                Fmt.num(p.gflops(p.withTransfersMs())), Fmt.ratio(p.gflops(p.withTransfersMs()), scalar));
    }

    private static double[] rate(Optional<Measurement> m, ConvGeometry g) {
        return m.map(x -> x.rate(g.flops(), 1e9)).orElse(new double[]{Double.NaN, Double.NaN});
    }
}
