package dev.vectorgrad.bench;

import dev.vectorgrad.gpu.Crossover;

import java.util.Locale;

/**
 * GEMM and conv2d on the "gpu" backend against the host SIMD backend: per size the host time, the
 * device time with resident operands (wall, and the kernels' own device time), the copies' device
 * time, the time with transfers, who wins, and the crossover sizes. Names the device for what it is.
 */
final class GpuSection implements ReportSection {

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        GpuResult gpu = ctx.gpu();
        if (gpu == null) {
            return;
        }
        if (!gpu.available()) {
            ReportSection.heading(md, "GPU offload");
            ReportSection.paragraph(md, "unavailable: " + gpu.unavailable());
            return;
        }
        ReportSection.heading(md, "GPU offload: " + gpu.kind());
        StringBuilder intro = new StringBuilder("Device: **" + gpu.device() + "**.");
        if (!gpu.deviceIsGpu()) {
            intro.append(" This is not a GPU: the \"gpu\" backend's OpenCL kernels run on the CPU here, sharing its ")
                    .append("cores with the SIMD backend, so these numbers show what offload costs (launches, copies, ")
                    .append("CLBlast's kernels on a CPU driver), not what a GPU would gain.");
        }
        ReportSection.paragraph(md, intro.toString());
        ReportSection.paragraph(md, "Measured in the bench's own JVM after the JMH runs (JMH cannot separate a "
                + "device's kernel time from its copies), by `dev.vectorgrad.gpu.Crossover`: medians of the measured "
                + "runs after warm-up runs, per size. *SIMD* is the host backend on host arrays. *resident*: the device "
                + "kernel on operands already in device memory, enqueue to completion; *kernels*: the device's own "
                + "time for those kernels (OpenCL profiling events). *+ copies*: upload the operands, run, download the "
                + "result, as an op on host data costs; *copies*: the device time of those copies. Every device run is "
                + "checked to have executed kernels on the device; *max rel. err.* compares its result with SIMD's. "
                + "*winner*: the faster of SIMD and the device, resident / with copies.");
        if (gpu.gemm() != null) {
            md.append("**SGEMM** (N×N·N×N, float32):\n\n");
            render(gpu.gemm(), md);
        }
        for (var e : gpu.conv().entrySet()) {
            md.append("**conv2d ").append(e.getKey()).append("** (").append(ConvBench.describe(e.getKey())
                    .replaceFirst(", batch \\d+$", "")).append(", over batch sizes):\n\n");
            render(e.getValue(), md);
        }
        if (!gpu.errors().isEmpty()) {
            md.append("Failed device measurements:\n");
            for (String err : gpu.errors()) {
                md.append("- `").append(err.replace("`", "'")).append("`\n");
            }
            md.append('\n');
        }
    }

    private static void render(Crossover.Report r, StringBuilder md) {
        Table t = Table.of(r.axis(), "SIMD ms", "resident ms", "kernels ms", "copies ms", "+ copies ms",
                "SIMD GFLOP/s", "resident GFLOP/s", "+ copies GFLOP/s", "winner", "max rel. err.", "runs");
        for (Crossover.Point p : r.points()) {
            t.row(Long.toString(p.size()), Fmt.num(p.hostMs()), Fmt.num(p.residentMs()), Fmt.num(p.kernelMs()),
                    Fmt.num(p.copyInMs() + p.copyOutMs()), Fmt.num(p.withTransfersMs()), Fmt.num(p.gflops(p.hostMs())),
                    Fmt.num(p.gflops(p.residentMs())), Fmt.num(p.gflops(p.withTransfersMs())),
                    (p.deviceWinsResident() ? "device" : "SIMD") + " / " + (p.deviceWinsWithTransfers() ? "device" : "SIMD"),
                    String.format(Locale.ROOT, "%.1e", p.maxRelativeError()), p.hostRuns() + "/" + p.deviceRuns());
        }
        ReportSection.table(md, t);
        md.append("Crossover: ").append(r.summary().replace("\n", "; ")).append(". Up to ").append(r.repeats())
                .append(" measured runs (fewer at large sizes, as the time budget allows; *runs*: SIMD/device) after at ")
                .append("least ").append(r.warmUp()).append(" warm-up runs and ").append(Fmt.num(r.warmUpMs()))
                .append(" ms per size and kind.\n\n");
    }
}
