package dev.vectorgrad.bench;

import dev.vectorgrad.gpu.Crossover;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device rows, columns and section of the report, and their round trip through the context file. */
class GpuReportTest {

    private static final String POCL = "PoCL on CPU (pthread-test, 2 compute units, Portable Computing Language),"
            + " not a GPU";

    private static Crossover.Point point(long size, double flops, double host, double resident, double copies) {
        return new Crossover.Point("x" + size, size, flops, host, 5, resident, resident * 0.9, 3, copies, 0.01,
                0.02, 4096, 5, 1e-6);
    }

    private static GpuResult pocl() {
        Crossover.Report gemm = new Crossover.Report("gemm", "N", POCL, false, "simd", 2, 1000, 15, List.of(
                point(64, 2.0 * 64 * 64 * 64, 0.03, 0.5, 0.6), point(128, 2.0 * 128 * 128 * 128, 0.07, 0.6, 0.7)));
        Crossover.Report conv = new Crossover.Report("conv2d", "batch", POCL, false, "simd", 2, 1000, 15, List.of(
                point(1, 1e6, 0.01, 0.8, 0.6), point(ConvBench.BATCH, 6e7, 0.6, 27, 30)));
        return new GpuResult(null, POCL, "PoCL on CPU", false, gemm, Map.of("conv1", conv), List.of());
    }

    private static RunContext context(GpuResult gpu) {
        return new RunContext(Map.of("Machine", "test"), "quick", "settings", List.of("Gemm", "Conv"), 2, List.of(),
                List.of(), Map.of(), gpu, null);
    }

    /** One JMH result per table: SIMD GEMM at N = 64 and conv1 on SIMD. */
    private static Measurements jmh() {
        return new Measurements(List.of(
                new Measurement("dev.vectorgrad.bench.GemmBench.gemm", Map.of("impl", Impl.SIMD_ALL, GemmBench.SIZE, "64"),
                        "avgt", 0.03, 0.001, "ms/op", 0.03),
                new Measurement("dev.vectorgrad.bench.ConvBench.forward", Map.of("impl", Impl.SIMD_ALL, "layer",
                        "conv1"), "avgt", 0.6, 0.01, "ms/op", 0.6)));
    }

    @Test
    void aPoclDeviceIsNamedForWhatItIs() {
        String md = ReportWriter.render(jmh(), context(pocl()));
        assertTrue(md.contains("## GPU offload: PoCL on CPU"), md);
        assertTrue(md.contains("not a GPU"), md);
        assertTrue(md.contains("PoCL on CPU resident"), "GEMM columns name the device: " + md);
        assertTrue(md.contains("PoCL on CPU + copies"), md);
        assertTrue(md.contains("no crossover"), md);
        assertTrue(md.contains("kernels ms") && md.contains("copies ms"), "kernel and copy times apart: " + md);
        assertTrue(md.contains("| PoCL on CPU resident"), "conv rows name the device: " + md);
        assertTrue(md.contains("| 17.5 ± 0.6 |"), "the JMH SIMD column is filled (size parameter n): " + md);
        assertFalse(md.contains("unavailable"), md);
    }

    @Test
    void withoutADeviceTheGpuCellsSayWhy() {
        String md = ReportWriter.render(jmh(),
                context(GpuResult.unavailable("backend 'gpu' is unavailable: no OpenCL device was found")));
        assertTrue(md.contains("unavailable: backend 'gpu' is unavailable: no OpenCL device was found"), md);
        assertTrue(md.contains(" unavailable |  unavailable |"), "the GEMM cells: " + md);
        assertTrue(md.contains("| gpu     |   unavailable |"), "the conv rows: " + md);
        String none = ReportWriter.render(new Measurements(List.of()), context(null));
        assertFalse(none.contains("GPU offload"), "not measured (--no-gpu): no section");
    }

    @Test
    void theDeviceResultsSurviveTheContextFile() {
        RunContext ctx = context(pocl());
        RunContext back = RunContext.fromJson(Json.write(ctx.toJson()));
        GpuResult g = back.gpu();
        assertEquals(POCL, g.device());
        assertEquals(pocl().gemm(), g.gemm());
        assertEquals(pocl().conv(), g.conv());
        assertEquals(ReportWriter.render(new Measurements(List.of()), ctx),
                ReportWriter.render(new Measurements(List.of()), back));
        assertEquals(null, RunContext.fromJson(Json.write(context(null).toJson())).gpu(), "older files have none");
    }
}
