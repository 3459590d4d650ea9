package dev.vectorgrad.bench;

import dev.vectorgrad.gpu.Crossover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device measurements of a run ({@link GpuRun}): GEMM and the conv2d layers on the "gpu" backend
 * beside the host SIMD backend, measured in the bench's own JVM by {@link Crossover}; or why there are
 * none. Saved in the context file so a report can be rendered again.
 *
 * @param unavailable why nothing was measured ({@code null} when something was)
 * @param device      what the device is, from {@code ClDevice.label()} ("PoCL on CPU (...), not a GPU")
 * @param kind        short form for column headings ("PoCL on CPU", "GPU")
 * @param deviceIsGpu whether the device is a real GPU
 * @param gemm        the GEMM sizes, or null when GEMM was not selected or failed
 * @param conv        one report per conv2d layer (key: the ConvBench layer name)
 * @param errors      measurements that failed, one line each
 */
record GpuResult(String unavailable, String device, String kind, boolean deviceIsGpu, Crossover.Report gemm,
                 Map<String, Crossover.Report> conv, List<String> errors) {

    static GpuResult unavailable(String reason) {
        return new GpuResult(reason, null, null, false, null, Map.of(), List.of());
    }

    boolean available() {
        return unavailable == null;
    }

    /** The GEMM point of size {@code n}, or null. */
    Crossover.Point gemmAt(int n) {
        return gemm == null ? null : at(gemm, n);
    }

    /** The conv2d point of {@code layer} at batch {@code batch}, or null. */
    Crossover.Point convAt(String layer, int batch) {
        Crossover.Report r = conv.get(layer);
        return r == null ? null : at(r, batch);
    }

    private static Crossover.Point at(Crossover.Report r, long size) {
        for (Crossover.Point p : r.points()) {
            if (p.size() == size) {
                return p;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ JSON (for the context file)

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unavailable", unavailable);
        m.put("device", device);
        m.put("kind", kind);
        m.put("deviceIsGpu", deviceIsGpu);
        m.put("gemm", gemm == null ? null : report(gemm));
        Map<String, Object> c = new LinkedHashMap<>();
        conv.forEach((k, v) -> c.put(k, report(v)));
        m.put("conv", c);
        m.put("errors", errors);
        return m;
    }

    private static Map<String, Object> report(Crossover.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", r.op());
        m.put("axis", r.axis());
        m.put("device", r.device());
        m.put("deviceIsGpu", r.deviceIsGpu());
        m.put("host", r.host());
        m.put("warmUp", r.warmUp());
        m.put("warmUpMs", r.warmUpMs());
        m.put("repeats", r.repeats());
        List<Object> points = new ArrayList<>();
        for (Crossover.Point p : r.points()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("label", p.label());
            x.put("size", p.size());
            x.put("flops", p.flops());
            x.put("hostMs", p.hostMs());
            x.put("hostRuns", p.hostRuns());
            x.put("residentMs", p.residentMs());
            x.put("kernelMs", p.kernelMs());
            x.put("kernels", p.kernels());
            x.put("withTransfersMs", p.withTransfersMs());
            x.put("copyInMs", p.copyInMs());
            x.put("copyOutMs", p.copyOutMs());
            x.put("transferBytes", p.transferBytes());
            x.put("deviceRuns", p.deviceRuns());
            x.put("maxRelativeError", p.maxRelativeError());
            points.add(x);
        }
        m.put("points", points);
        return m;
    }

    static GpuResult fromJson(Object o) {
        Map<String, Object> m = Json.obj(o);
        if (m.isEmpty()) {
            return null;
        }
        Map<String, Crossover.Report> conv = new LinkedHashMap<>();
        Json.obj(m.get("conv")).forEach((k, v) -> conv.put(k, report(v)));
        List<String> errors = Json.list(m.get("errors")).stream().map(String::valueOf).toList();
        return new GpuResult((String) m.get("unavailable"), (String) m.get("device"), (String) m.get("kind"),
                Boolean.TRUE.equals(m.get("deviceIsGpu")), m.get("gemm") == null ? null : report(m.get("gemm")),
                conv, errors);
    }

    private static Crossover.Report report(Object o) {
        Map<String, Object> m = Json.obj(o);
        List<Crossover.Point> points = new ArrayList<>();
        for (Object po : Json.list(m.get("points"))) {
            Map<String, Object> x = Json.obj(po);
            points.add(new Crossover.Point((String) x.get("label"), (long) Json.num(x.get("size")),
                    Json.num(x.get("flops")), Json.num(x.get("hostMs")), (int) Json.num(x.get("hostRuns")),
                    Json.num(x.get("residentMs")), Json.num(x.get("kernelMs")), (int) Json.num(x.get("kernels")),
                    Json.num(x.get("withTransfersMs")), Json.num(x.get("copyInMs")), Json.num(x.get("copyOutMs")),
                    (long) Json.num(x.get("transferBytes")), (int) Json.num(x.get("deviceRuns")),
                    Json.num(x.get("maxRelativeError"))));
        }
        return new Crossover.Report((String) m.get("op"), (String) m.get("axis"), (String) m.get("device"),
                Boolean.TRUE.equals(m.get("deviceIsGpu")), (String) m.get("host"), (int) Json.num(m.get("warmUp")),
                Json.num(m.get("warmUpMs")), (int) Json.num(m.get("repeats")), points);
    }
}
