package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "auto" backend: host kernels, GEMM and conv2d on the device above its thresholds. */
class AutoBackendTest {

    private ClBackend gpu;
    private final Backend host = Backends.host();

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    private static Sequential net() {
        Rng.seed(12);
        return new Sequential(new Conv2d(1, 3, 3, 1, 1), new Flatten(), new Linear(3 * 5 * 5, 4));
    }

    @Test
    void aboveTheThresholdsGemmAndConvRunOnTheDeviceOnHostData() {
        AutoBackend auto = new AutoBackend(host, gpu, 0, 0, "test: always");
        Tensor x = Tensor.randn(new Rng(3), 2, 1, 5, 5);
        Tensor expected = net().forward(x);
        Sequential model = net();
        long commands = gpu.commandCount();
        Tensor y;
        try (var s = Backends.use(auto)) {
            y = model.forward(x);
        }
        assertInstanceOf(HostStorage.class, y.storage(), "results stay in host memory");
        assertTrue(gpu.commandCount() > commands, "the device ran the kernels");
        assertEquals(2, auto.offloadedCalls(), "one conv2d and one GEMM");
        assertTrue(expected.allClose(y, 1e-4, 1e-5), "same values as on the host");
    }

    @Test
    void belowTheThresholdsNothingReachesTheDevice() {
        AutoBackend auto = new AutoBackend(host, gpu, Double.POSITIVE_INFINITY, 1e12, "test: never");
        Tensor x = Tensor.randn(new Rng(4), 2, 1, 5, 5);
        long commands = gpu.commandCount();
        try (var s = Backends.use(auto)) {
            net().forward(x);
        }
        assertEquals(commands, gpu.commandCount());
        assertEquals(0, auto.offloadedCalls());
        AutoBackend noDevice = new AutoBackend(host, null, 0, 0, "test: no device");
        assertEquals(Double.POSITIVE_INFINITY, noDevice.gemmMinFlops(), "without a device, never");
        assertThrows(IllegalArgumentException.class, () -> new AutoBackend(gpu, gpu, 0, 0, "device as host"));
    }

    @Test
    void offloadedGemmWritesOnlyItsBlockAndHonoursBeta() {
        AutoBackend auto = new AutoBackend(host, gpu, 0, 0, "test: always");
        Random r = new Random(8);
        int m = 3;
        int n = 4;
        int k = 5;
        int ldc = 6;
        int offC = 2;
        for (float beta : new float[] {0f, 0.5f}) {
            float[] a = Gpu.random(r, 1 + m * k);
            float[] b = Gpu.random(r, k * n);
            float[] c = Gpu.random(r, offC + m * ldc + 3);
            Storage ch = host.fromArray(c.clone());
            host.gemm(false, false, m, n, k, 1.5f, host.fromArray(a.clone()), 1, k, host.fromArray(b.clone()), 0, n,
                    beta, ch, offC, ldc);
            Storage ca = auto.fromArray(c.clone());
            auto.gemm(false, false, m, n, k, 1.5f, auto.fromArray(a.clone()), 1, k, auto.fromArray(b.clone()), 0, n,
                    beta, ca, offC, ldc);
            Gpu.assertClose(HostStorage.of(ch), HostStorage.of(ca), 1e-5, 1e-5, () -> "beta " + beta);
        }
        assertEquals(2, auto.offloadedCalls());
    }

    @Test
    void calibrationTakesItsThresholdsFromMeasuredCrossovers() {
        AutoBackend auto = AutoBackend.calibrate(host, gpu, new int[] {8, 16}, new int[] {1, 2}, Duration.ZERO, 1);
        double g = auto.gemmMinFlops();
        assertTrue(Double.isInfinite(g) || g == 2.0 * 8 * 8 * 8 || g == 2.0 * 16 * 16 * 16, "gemm threshold " + g);
        ConvGeometry one = new ConvGeometry(1, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2);
        double c = auto.convMinFlops();
        assertTrue(Double.isInfinite(c) || c == one.flops() || c == 2 * one.flops(), "conv threshold " + c);
        assertTrue(auto.describe().contains("measured on " + gpu.device().label()), auto.describe());
        assertEquals("auto", auto.name());
    }
}
