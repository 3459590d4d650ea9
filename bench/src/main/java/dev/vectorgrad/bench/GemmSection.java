package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SGEMM throughput per size: vectorgrad's implementations (from {@code GemmBench}) beside numpy's
 * matmul (OpenBLAS) measured by the peer script in the same invocation, and the ratios between them.
 */
final class GemmSection implements ReportSection {

    static final String BENCH = Suite.GEMM.benchClass;

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        if (!ctx.selected(Suite.GEMM)) {
            return;
        }
        int all = ctx.allThreads();
        ReportSection.heading(md, "SGEMM (C = A·B, float32, N×N)");
        ReportSection.paragraph(md, "GFLOP/s = 2·N³ / time per op, from JMH's score ± error (mean of the "
                + "measurement iterations ± half-width of the 99.9% confidence interval). numpy is "
                + "`numpy.matmul` on float32 through the system's OpenBLAS, measured by the peer script right "
                + "after the JMH run; it reports one number per size (no error). Ratios compare single-threaded "
                + "with single-threaded and " + all + " threads with " + all + " threads.");
        PeerResult peer = ctx.peer(NumpyPeer.NAME);
        List<String> methods = m.methods(BENCH);
        if (methods.isEmpty()) {
            ReportSection.paragraph(md, "No GemmBench results in this run (see Notes).");
            methods = List.of("");
        }
        for (String method : methods) {
            if (methods.size() > 1) {
                md.append("`").append(BENCH).append('.').append(method).append("`\n\n");
            }
            Table t = table(m, method, peer, all, ctx.gpu());
            if (!t.isEmpty()) {
                ReportSection.table(md, t);
            }
        }
        md.append(peerText(peer, all));
        md.append(gpuText(ctx.gpu()));
    }

    private static Table table(Measurements m, String method, PeerResult peer, int all, GpuResult gpu) {
        List<String> header = new ArrayList<>(List.of("N"));
        header.addAll(ImplRates.rateHeaders(all));
        header.add("numpy 1t");
        header.add("numpy " + all + "t");
        header.addAll(ImplRates.speedupHeaders(all));
        header.add("SIMD 1t / numpy 1t");
        header.add("SIMD " + all + "t / numpy " + all + "t");
        if (gpu != null) {
            String tag = gpu.available() ? gpu.kind() : "gpu";
            header.add(tag + " resident");
            header.add(tag + " + copies");
        }
        Table t = Table.of(header);
        TreeSet<Integer> sizes = new TreeSet<>();
        m.values(BENCH, GemmBench.SIZE).forEach(n -> sizes.add(Integer.parseInt(n)));
        if (peer != null && peer.available()) {
            sizes.addAll(peer.sizes());
        }
        if (gpu != null && gpu.gemm() != null) {
            gpu.gemm().points().forEach(p -> sizes.add((int) p.size()));
        }
        for (int n : sizes) {
            String ns = Integer.toString(n);
            ImplRates r = ImplRates.of(impl -> m.find(BENCH, method, "impl", impl, GemmBench.SIZE, ns), 2.0 * n * n * n, 1e9);
            double np1 = peer == null ? Double.NaN : peer.gflops(n, 1);
            double npAll = peer == null ? Double.NaN : peer.gflops(n, all);
            List<Object> row = new ArrayList<>(List.of(ns));
            row.addAll(r.rateCells());
            row.add(Fmt.num(np1));
            row.add(Fmt.num(npAll));
            row.addAll(r.speedupCells());
            row.add(Fmt.ratio(r.simd1(), np1));
            row.add(Fmt.ratio(r.simdAll(), npAll));
            if (gpu != null) {
                var p = gpu.gemmAt(n);
                row.add(!gpu.available() ? "unavailable" : p == null ? Fmt.NONE : Fmt.num(p.gflops(p.residentMs())));
                row.add(!gpu.available() ? "unavailable" : p == null ? Fmt.NONE : Fmt.num(p.gflops(p.withTransfersMs())));
            }
            t.row(row);
        }
        return t;
    }

    /** Where the device columns come from, or why they are empty. */
    static String gpuText(GpuResult gpu) {
        if (gpu == null) {
            return "";
        }
        if (!gpu.available()) {
            return "gpu backend: unavailable: " + gpu.unavailable() + "\n\n";
        }
        return "Device columns: the \"gpu\" backend on **" + gpu.device() + "**, GFLOP/s from the median time "
                + "with operands resident on the device and with uploads and download included; measured in-process, "
                + "see \"GPU offload\" for kernel and copy times.\n\n";
    }

    private static String peerText(PeerResult peer, int all) {
        if (peer == null) {
            return "numpy peer: not run (`--no-peer`).\n\n";
        }
        if (!peer.available()) {
            return "numpy peer: peer unavailable: " + peer.unavailable() + "\n\n";
        }
        StringBuilder sb = new StringBuilder("numpy peer: `" + peer.command() + "` with `OPENBLAS_NUM_THREADS` set "
                + "per column and `OPENBLAS_CORETYPE`/`OPENBLAS_L2_SIZE` removed from its environment.\n");
        for (PeerResult.Run r : peer.runs()) {
            Map<String, Integer> configs = new TreeMap<>();
            r.rows().forEach(row -> configs.merge(String.valueOf(row.config()), 1, Integer::sum));
            sb.append("- ").append(r.threads()).append(r.threads() == 1 ? " thread: " : " threads: ");
            sb.append(configs.isEmpty() ? "no results" : "OpenBLAS reported as `" + String.join("`, `", configs.keySet()) + "`");
            if (r.error() != null) {
                sb.append(" (").append(r.error()).append(')');
            }
            sb.append('\n');
        }
        if (peer.runs().stream().noneMatch(r -> r.threads() == all)) {
            sb.append("- no run with ").append(all).append(" threads\n");
        }
        return sb.append('\n').toString();
    }
}
