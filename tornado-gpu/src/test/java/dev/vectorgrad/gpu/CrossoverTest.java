package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.gpu.Crossover.Point;
import dev.vectorgrad.gpu.Crossover.Report;
import dev.vectorgrad.gpu.opencl.ClBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The crossover measurement on tiny sizes (device tests skip without OpenCL), and its crossover rule. */
class CrossoverTest {

    @Test
    void gemmIsMeasuredOnBothSidesWithKernelAndCopyTimesApart() {
        ClBackend gpu = Gpu.device();
        Report r = Crossover.gemm(16, 8).device(gpu).host(Backends.host()).warmUp(1).warmUpTime(Duration.ofMillis(50)).repeats(2).run();
        assertEquals(List.of(8L, 16L), r.points().stream().map(Point::size).toList(), "ascending sizes");
        assertEquals("N", r.axis());
        assertEquals(gpu.device().label(), r.device());
        if (gpu.device().isPocl() && !gpu.device().isGpu()) {
            assertTrue(r.device().startsWith("PoCL on CPU"), r.device());
            assertTrue(r.device().endsWith("not a GPU"), r.device());
        }
        for (Point p : r.points()) {
            long n = p.size();
            assertEquals(2.0 * n * n * n, p.flops());
            assertTrue(p.hostMs() > 0 && p.residentMs() > 0 && p.withTransfersMs() > 0, p.toString());
            assertTrue(p.kernelMs() > 0, "device-timed kernels: " + p);
            assertTrue(p.kernels() >= 1, p.toString());
            assertTrue(p.copyInMs() >= 0 && p.copyOutMs() >= 0, p.toString());
            assertEquals(12 * n * n, p.transferBytes(), "A and B up, C down");
            assertEquals(2, p.hostRuns());
            assertEquals(2, p.deviceRuns());
            assertTrue(p.maxRelativeError() < 1e-3, "device result agrees with the host's: " + p);
        }
        assertTrue(r.toString().contains("N=16"), r.toString());
        assertFalse(r.summary().isBlank());
    }

    @Test
    void conv2dIsMeasuredOverBatchSizes() {
        ClBackend gpu = Gpu.device();
        ConvGeometry layer = new ConvGeometry(99, 2, 6, 6, 3, 3, 3, 1, 1, 1, 1);
        Report r = Crossover.conv2d(layer, 2, 1).device(gpu).warmUp(0).warmUpTime(Duration.ZERO).repeats(1).budget(Duration.ZERO).run();
        assertEquals(List.of(1L, 2L), r.points().stream().map(Point::size).toList());
        assertEquals("batch", r.axis());
        for (Point p : r.points()) {
            ConvGeometry g = new ConvGeometry((int) p.size(), 2, 6, 6, 3, 3, 3, 1, 1, 1, 1);
            assertEquals(g.flops(), p.flops());
            assertEquals(4L * (g.inputSize() + g.weightSize() + g.k() + g.outputSize()), p.transferBytes());
            assertTrue(p.maxRelativeError() < 1e-3, p.toString());
            assertEquals(1, p.deviceRuns());
        }
    }

    private static Point point(long size, double host, double resident, double withCopies) {
        return new Point("N=" + size, size, 1e9, host, 3, resident, resident / 2, 1, withCopies, 0.1, 0.1, 100, 3, 0);
    }

    @Test
    void theCrossoverIsWhereTheDeviceStartsWinningForGood() {
        Report r = new Report("gemm", "N", "test device", false, "host", 1, 0, 3, List.of(
                point(64, 1, 2, 3),      // host wins
                point(128, 2, 1, 3),     // device wins resident only
                point(256, 8, 9, 12),    // host wins again
                point(512, 40, 20, 30),  // device wins from here on, both ways
                point(1024, 300, 100, 150)));
        assertEquals(OptionalLong.of(512), r.crossoverResident());
        assertEquals(OptionalLong.of(512), r.crossoverWithTransfers());
        assertTrue(r.summary().contains("wins from N = 512"), r.summary());

        Report never = new Report("gemm", "N", "test device", false, "host", 1, 0, 3, List.of(
                point(64, 1, 2, 3), point(128, 2, 1, 3), point(256, 8, 9, 12)));
        assertEquals(OptionalLong.empty(), never.crossoverResident());
        assertTrue(never.summary().contains("no crossover"), never.summary());

        Report always = new Report("gemm", "N", "test device", true, "host", 1, 0, 3, List.of(
                point(64, 3, 2, 2.5), point(128, 20, 1, 3)));
        assertEquals(OptionalLong.of(64), always.crossoverWithTransfers());
        assertTrue(always.summary().contains("smallest size measured"), always.summary());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Crossover.gemm());
        assertThrows(IllegalArgumentException.class, () -> Crossover.gemm(0, 4));
        assertThrows(IllegalArgumentException.class, () -> Crossover.gemm(4).repeats(0));
        assertThrows(IllegalArgumentException.class, () -> Crossover.gemm(4).warmUp(-1));
        assertThrows(IllegalArgumentException.class, () -> Crossover.gemm(4).device("simd"));
    }
}
