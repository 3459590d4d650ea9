package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.opencl.ClStorage;
import dev.vectorgrad.gpu.opencl.PoolStats;
import dev.vectorgrad.gpu.opencl.TransferStats;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.vectorgrad.gpu.Gpu.SCALAR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device backend's buffer handling: the pool of released buffers, the deferred zero fill of
 * {@code allocate()}, GEMM with beta = 0 over a C it does not zero, and host scalars passed to
 * kernels as arguments.
 */
class BufferGpuTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    @Test
    void releasedBuffersAreReusedAndStillReadAsZerosWhenAllocated() {
        // An unusual size, so that no other test's buffer of this class is in the pool.
        int n = 3 * 4099;
        ClStorage first = gpu.upload(Gpu.random(new Random(1), n));
        long held = gpu.deviceBytesInUse();
        first.release();
        PoolStats before = gpu.poolStats();
        if (before.limitBytes() == 0) {
            return; // pooling turned off for this JVM: nothing more to check
        }
        assertTrue(gpu.deviceBytesInUse() < held, "the released buffer no longer counts as held");
        assertTrue(gpu.pooledBytes() >= 4L * n, "it is kept in the pool");

        Storage again = gpu.allocate(n); // same size class: the stale buffer comes back
        PoolStats after = gpu.poolStats();
        assertEquals(before.reused() + 1, after.reused(), "served from the pool");
        assertEquals(before.created(), after.created(), "no new driver buffer");
        Gpu.assertSame(new float[n], Gpu.read(gpu, again), () -> "allocate() reads as zeros over stale data");

        // A kernel output reusing a pooled buffer is written whole.
        ClStorage third = gpu.upload(Gpu.random(new Random(2), n));
        third.release();
        Storage out = gpu.allocate(n);
        float[] x = Gpu.random(new Random(3), n);
        gpu.unary(UnaryOp.NEG, 0, 0, gpu.fromArray(x), Layout.contiguous(n), out);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = -x[i];
        }
        Gpu.assertSame(expected, Gpu.read(gpu, out), () -> "neg into a reused buffer");
        assertTrue(gpu.trimPool() >= 0);
        assertEquals(0, gpu.pooledBytes(), "trimmed");
    }

    @Test
    void aKernelOutputSkipsTheZeroFill() {
        float[] a = {1, -2, 3, -4, 5};
        Storage in = gpu.fromArray(a);
        TransferStats before = gpu.transferStats();
        Storage out = gpu.allocate(5);
        gpu.unary(UnaryOp.ABS, 0, 0, in, Layout.contiguous(5), out);
        assertEquals(1, gpu.transferStats().minus(before).kernelLaunches(), "abs only, no fill before it");
        Gpu.assertSame(new float[] {1, 2, 3, 4, 5}, Gpu.read(gpu, out), () -> "abs");
    }

    @Test
    void partialWritesAndAccumulationsSeeTheDeferredZeros() {
        Storage s = gpu.allocate(10);
        gpu.fill(s, 2, 3, 7f); // partial: the rest must read as zeros
        Gpu.assertSame(new float[] {0, 0, 7, 7, 7, 0, 0, 0, 0, 0}, Gpu.read(gpu, s), () -> "partial fill");

        Storage z = gpu.allocate(4);
        TransferStats before = gpu.transferStats();
        gpu.fill(z, 0, 4, 0f); // zeros over pending zeros: nothing to enqueue
        assertEquals(0, gpu.transferStats().minus(before).kernelLaunches());
        Gpu.assertSame(new float[4], Gpu.read(gpu, z), () -> "zero fill");

        // GEMM accumulating (beta = 1) into a fresh output reads its zeros.
        Storage c = gpu.allocate(4);
        gpu.gemm(false, false, 2, 2, 2, 1f, gpu.fromArray(new float[] {1, 2, 3, 4}), 0, 2,
                gpu.fromArray(new float[] {1, 0, 0, 1}), 0, 2, 1f, c, 0, 2);
        Gpu.assertSame(new float[] {1, 2, 3, 4}, Gpu.read(gpu, c), () -> "beta 1 over a fresh C");

        // col2im adds into its target.
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0);
        float[] col = new float[g.colRows() * g.colCols()];
        Arrays.fill(col, 1f);
        Storage dxRef = SCALAR.allocate(9);
        SCALAR.col2im(g, SCALAR.fromArray(col.clone()), 0, dxRef, 0);
        Storage dx = gpu.allocate(9);
        gpu.col2im(g, gpu.fromArray(col.clone()), 0, dx, 0);
        Gpu.assertSame(Gpu.read(SCALAR, dxRef), Gpu.read(gpu, dx), () -> "col2im into a fresh buffer");

        // A fresh storage used as an input reads as zeros.
        Storage fresh = gpu.allocate(3);
        Storage sum = gpu.allocate(3);
        gpu.binary(BinaryOp.ADD, fresh, Layout.contiguous(3), gpu.fromArray(new float[] {1, 2, 3}),
                Layout.contiguous(3), sum);
        Gpu.assertSame(new float[] {1, 2, 3}, Gpu.read(gpu, sum), () -> "fresh input");
    }

    /** CLBlast's padded (indirect) path is taken from a few hundred rows on; both paths must ignore C. */
    @Test
    void gemmWithBetaZeroNeverReadsCOnEitherClBlastPath() {
        Random r = new Random(5);
        int[][] sizes = {{3, 5, 4}, {64, 64, 64}, {300, 260, 200}, {600, 530, 310}};
        for (int[] s : sizes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int variant = 0; variant < 2; variant++) {
                boolean ta = variant == 1;
                int ldc = n + variant;
                int offC = 2 * variant;
                float[] a = Gpu.random(r, m * k);
                float[] b = Gpu.random(r, k * n);
                float[] c = new float[offC + m * ldc];
                Arrays.fill(c, Float.NaN);
                Storage ref = SCALAR.fromArray(c.clone());
                SCALAR.gemm(ta, false, m, n, k, 1f, SCALAR.fromArray(a), 0, ta ? m : k, SCALAR.fromArray(b), 0, n, 0f,
                        ref, offC, ldc);
                Storage dev = gpu.fromArray(c.clone());
                gpu.gemm(ta, false, m, n, k, 1f, gpu.fromArray(a), 0, ta ? m : k, gpu.fromArray(b), 0, n, 0f,
                        dev, offC, ldc);
                Gpu.assertClose(Gpu.read(SCALAR, ref), Gpu.read(gpu, dev), 1e-5, 2e-6 * k,
                        () -> "beta 0 over NaN, m=" + m + " n=" + n + " k=" + k + (ta ? " A^T" : "") + " ldc=" + ldc);
            }
        }
    }

    @Test
    void hostScalarOperandsArePassedAsKernelArgumentsNotUploaded() {
        float[] x = {1.5f, -2f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 3f};
        float[] specials = {2.5f, 0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY};
        Layout lx = Layout.contiguous(7);
        Storage dx = gpu.fromArray(x.clone());
        Storage hx = SCALAR.fromArray(x.clone());
        for (BinaryOp op : BinaryOp.values()) {
            for (float v : specials) {
                HostStorage scalar = new HostStorage(new float[] {v});
                Layout ls = new Layout(new int[] {7}, new int[] {0}, 0); // one value broadcast
                for (int side = 0; side < 2; side++) {
                    boolean first = side == 0;
                    Storage expected = SCALAR.allocate(7);
                    if (first) {
                        SCALAR.binary(op, scalar, ls, hx, lx, expected);
                    } else {
                        SCALAR.binary(op, hx, lx, scalar, ls, expected);
                    }
                    Storage actual = gpu.allocate(7);
                    TransferStats before = gpu.transferStats();
                    if (first) {
                        gpu.binary(op, scalar, ls, dx, lx, actual);
                    } else {
                        gpu.binary(op, dx, lx, scalar, ls, actual);
                    }
                    assertEquals(0, gpu.transferStats().minus(before).hostToDeviceCount(), "no upload for " + op);
                    float[] e = Gpu.read(SCALAR, expected);
                    float[] got = Gpu.read(gpu, actual);
                    String what = op + (first ? " scalar " + v + " first" : " scalar " + v + " second");
                    if (op == BinaryOp.POW || op == BinaryOp.DIV && !gpu.device().fp64()) {
                        Gpu.assertClose(e, got, 2e-6, 1e-7, () -> what);
                    } else {
                        Gpu.assertSame(e, got, () -> what);
                    }
                }
            }
        }
        // Through tensors: a 0-D operand on the device backend.
        try (var s = Backends.use(gpu)) {
            Tensor t = Tensor.of(1, 2, 3);
            TransferStats before = gpu.transferStats();
            Tensor y = t.mul(Tensor.scalar(2f)).sub(Tensor.scalar(1f));
            assertEquals(0, gpu.transferStats().minus(before).hostToDeviceCount());
            assertInstanceOf(ClStorage.class, y.storage());
            assertArrayEquals(new float[] {1, 3, 5}, y.toArray());
        }
    }
}
