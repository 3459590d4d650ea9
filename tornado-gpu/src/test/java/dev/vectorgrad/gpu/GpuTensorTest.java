package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.opencl.ClStorage;
import dev.vectorgrad.gpu.opencl.TransferStats;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Tensor API on the "gpu" backend: residency, explicit moves, counted transfers, errors. */
class GpuTensorTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    @Test
    void theBackendIsPluggedInAndDescribed() {
        assertTrue(Backends.names().contains("gpu"), Backends.names().toString());
        assertSame(gpu, Backends.get("gpu"));
        String info = Backends.info();
        assertTrue(info.contains("gpu:") && info.contains(gpu.deviceName()), info);
        assertTrue(gpu.describe().contains("CLBlast"), gpu.describe());
    }

    @Test
    void operationsUnderGpuKeepTheirResultsOnTheDevice() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor w = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});
        Tensor expected = x.matmul(w).relu().add(1f).softmax(1).sum(0);
        try (var s = Backends.use("gpu")) {
            Tensor xg = x.to("gpu");
            Tensor wg = w.to("gpu");
            assertInstanceOf(ClStorage.class, xg.storage());
            assertEquals(gpu.deviceName(), xg.storage().location());
            assertTrue(xg.describe().contains("device=" + gpu.deviceName()), xg.describe());
            Tensor y = xg.matmul(wg).relu().add(1f).softmax(1).sum(0);
            assertInstanceOf(ClStorage.class, y.storage());
            assertTrue(y.allClose(expected, 1e-5, 1e-6), y + " vs " + expected);
            // transposed operands go to GEMM in place; views are gathered on the device
            Tensor t = wg.t().matmul(xg.t());
            assertTrue(t.allClose(w.t().matmul(x.t()), 1e-5, 1e-6));
            Tensor sliced = xg.slice(1, 0, 3, 2).contiguous();
            assertArrayEquals(new float[] {1, 3, 4, 6}, sliced.toArray());
            assertEquals("tensor([[1., 3.],\n        [4., 6.]])", sliced.toString());
        }
    }

    @Test
    void movingBetweenHostAndDeviceIsExplicitAndCounted() {
        Tensor host = Tensor.arange(10).reshape(2, 5);
        TransferStats before = gpu.transferStats();
        Tensor dev = host.to("gpu");
        TransferStats up = gpu.transferStats().minus(before);
        assertEquals(1, up.hostToDeviceCount());
        assertEquals(40, up.hostToDeviceBytes());
        assertSame(dev, dev.to(gpu), "already there: no copy");
        Tensor back = dev.to("simd");
        TransferStats down = gpu.transferStats().minus(before);
        assertEquals(1, down.deviceToHostCount());
        assertEquals(40, down.deviceToHostBytes());
        assertInstanceOf(HostStorage.class, back.storage());
        assertArrayEquals(host.toArray(), back.toArray());
        // A device view read back downloads only what it shows.
        TransferStats beforeView = gpu.transferStats();
        assertArrayEquals(new float[] {5, 6, 7, 8, 9}, dev.select(0, 1).toArray());
        assertEquals(20, gpu.transferStats().minus(beforeView).deviceToHostBytes());
    }

    @Test
    void hostTensorsAreUploadedWhenAGpuOpNeedsThem() {
        Tensor a = Tensor.of(1, 2, 3); // made on the host backend
        try (var s = Backends.use("gpu")) {
            Tensor b = Tensor.of(10, 20, 30);
            TransferStats before = gpu.transferStats();
            Tensor c = a.add(b);
            TransferStats d = gpu.transferStats().minus(before);
            assertEquals(1, d.hostToDeviceCount(), "the host operand, once for this op");
            assertEquals(12, d.hostToDeviceBytes());
            assertInstanceOf(ClStorage.class, c.storage());
            assertArrayEquals(new float[] {11, 22, 33}, c.toArray());
        }
    }

    @Test
    void aCpuBackendGivenADeviceTensorFailsInsteadOfFallingBack() {
        Tensor dev;
        try (var s = Backends.use("gpu")) {
            dev = Tensor.of(1, 2, 3);
        }
        try (var s = Backends.use("simd")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.exp());
            assertTrue(e.getMessage().contains(gpu.deviceName()), e.getMessage());
            assertArrayEquals(new float[] {1, 4, 9}, dev.to("simd").square().toArray());
        }
    }

    @Test
    void inPlaceUpdatesKeepTheDeviceBuffer() {
        try (var s = Backends.use("gpu")) {
            Tensor w = Tensor.ones(2, 3);
            var storage = w.storage();
            w.addInPlace(Tensor.full(2f, 3), -0.5f);
            w.mulInPlace(4f);
            assertSame(storage, w.storage());
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, w.toArray());
            Tensor joined = Tensor.cat(w, Tensor.ones(1, 3));
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 1, 1}, joined.toArray());
            assertEquals(4f, Tensor.arange(5).argmax().item());
        }
    }
}
