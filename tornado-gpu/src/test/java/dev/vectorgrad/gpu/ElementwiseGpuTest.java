package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;
import dev.vectorgrad.gpu.Views.View;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.opencl.ClStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static dev.vectorgrad.gpu.Gpu.SCALAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Copy, fill, unary, binary and where on the device against the scalar reference: edge sizes around
 * the work-group, random strided, permuted, sliced and broadcast views, and special values (NaN,
 * infinities, signed zeros). Ops computed without a transcendental function must agree bit for bit.
 */
class ElementwiseGpuTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    private boolean exact(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIGMOID, TANH, POW -> false;
            case RECIPROCAL, SQRT -> gpu.device().fp64();
            default -> true;
        };
    }

    private boolean exact(BinaryOp op) {
        return switch (op) {
            case POW -> false;
            case DIV -> gpu.device().fp64();
            default -> true;
        };
    }

    private static float[][] params(UnaryOp op) {
        return switch (op) {
            case POW -> new float[][] {{2, 0}, {0, 0}, {-1, 0}, {0.5f, 0}, {1.7f, 0}, {Float.NaN, 0},
                    {Float.POSITIVE_INFINITY, 0}};
            case LEAKY_RELU -> new float[][] {{0.01f, 0}};
            case CLAMP -> new float[][] {{-1, 2}, {0, 0.5f}};
            case ADD_SCALAR, MUL_SCALAR -> new float[][] {{2.5f, 0}, {-0.75f, 0}};
            case AFFINE -> new float[][] {{1.1f, -0.3f}, {-2, 3}};
            default -> new float[][] {{0, 0}};
        };
    }

    private static void check(boolean exact, float[] expected, float[] actual, java.util.function.Supplier<String> what) {
        if (exact) {
            Gpu.assertSame(expected, actual, what);
        } else {
            Gpu.assertClose(expected, actual, 2e-6, 1e-7, what);
        }
    }

    private float[] runUnary(Backend b, UnaryOp op, float alpha, float beta, View v) {
        Storage out = b.allocate(v.layout().size());
        b.unary(op, alpha, beta, b.fromArray(v.data().clone()), v.layout(), out);
        return Gpu.read(b, out);
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesTheReference(UnaryOp op) {
        Random r = new Random(op.ordinal() * 31L + 7);
        for (float[] p : params(op)) {
            for (int n : Views.EDGE_SIZES) {
                View v = Views.contiguous(r, new int[] {n}, r.nextInt(3), Gpu::mixed);
                check(exact(op), runUnary(SCALAR, op, p[0], p[1], v), runUnary(gpu, op, p[0], p[1], v),
                        () -> op + Arrays.toString(p) + " on " + v);
            }
            for (int trial = 0; trial < 12; trial++) {
                View v = Views.random(r, Views.shape(r, 300), Gpu::mixed);
                check(exact(op), runUnary(SCALAR, op, p[0], p[1], v), runUnary(gpu, op, p[0], p[1], v),
                        () -> op + Arrays.toString(p) + " on " + v);
            }
        }
    }

    private float[] runBinary(Backend b, BinaryOp op, View x, View y) {
        Storage out = b.allocate(x.layout().size());
        b.binary(op, b.fromArray(x.data().clone()), x.layout(), b.fromArray(y.data().clone()), y.layout(), out);
        return Gpu.read(b, out);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesTheReferenceWithBroadcasting(BinaryOp op) {
        Random r = new Random(op.ordinal() * 17L + 3);
        for (int n : Views.EDGE_SIZES) {
            View a = Views.contiguous(r, new int[] {n}, 0, Gpu::mixed);
            View b = Views.contiguous(r, new int[] {n}, 1, Gpu::mixed);
            check(exact(op), runBinary(SCALAR, op, a, b), runBinary(gpu, op, a, b), () -> op + " size " + n);
        }
        for (int trial = 0; trial < 16; trial++) {
            int[] shape = Views.shape(r, 300);
            Views.Values values = trial % 3 == 0 ? Gpu::ties : Gpu::mixed; // ties make comparisons interesting
            View a = Views.random(r, shape, values);
            View b = trial % 2 == 0 ? Views.broadcast(r, shape, values) : Views.random(r, shape, values);
            check(exact(op), runBinary(SCALAR, op, a, b), runBinary(gpu, op, a, b), () -> op + " " + a + " and " + b);
        }
    }

    @Test
    void maximumAndMinimumFollowJavaForSignedZerosAndNaN() {
        View a = new View(new float[] {0f, -0f, Float.NaN, 1f, -0f}, Layout.contiguous(5));
        View b = new View(new float[] {-0f, 0f, 1f, Float.NaN, -0f}, Layout.contiguous(5));
        Gpu.assertSame(new float[] {0f, 0f, Float.NaN, Float.NaN, -0f}, runBinary(gpu, BinaryOp.MAXIMUM, a, b),
                () -> "maximum");
        Gpu.assertSame(new float[] {-0f, -0f, Float.NaN, Float.NaN, -0f}, runBinary(gpu, BinaryOp.MINIMUM, a, b),
                () -> "minimum");
        // Java's pow: pow(1, NaN) and pow(-1, inf) are NaN (C's pow says 1).
        View one = new View(new float[] {1f, -1f, 2f}, Layout.contiguous(3));
        View exps = new View(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 0f}, Layout.contiguous(3));
        Gpu.assertSame(new float[] {Float.NaN, Float.NaN, 1f}, runBinary(gpu, BinaryOp.POW, one, exps), () -> "pow");
    }

    @Test
    void whereSelectsThroughBroadcastViews() {
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int[] shape = Views.shape(r, 300);
            View c = trial % 2 == 0 ? Views.broadcast(r, shape, Gpu::ties) : Views.random(r, shape, Gpu::ties);
            View a = Views.random(r, shape, Gpu::mixed);
            View b = Views.broadcast(r, shape, Gpu::mixed);
            float[] expected = where(SCALAR, c, a, b);
            Gpu.assertSame(expected, where(gpu, c, a, b), () -> "where " + c + ", " + a + ", " + b);
        }
    }

    private static float[] where(Backend be, View c, View a, View b) {
        Storage out = be.allocate(c.layout().size());
        be.where(be.fromArray(c.data().clone()), c.layout(), be.fromArray(a.data().clone()), a.layout(),
                be.fromArray(b.data().clone()), b.layout(), out);
        return Gpu.read(be, out);
    }

    @Test
    void copyGathersAnyViewAndToArrayReadsViewsDirectly() {
        Random r = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            View v = Views.random(r, Views.shape(r, 400), Gpu::random);
            float[] expected = SCALAR.toArray(new HostStorage(v.data()), v.layout());
            Storage src = gpu.fromArray(v.data().clone());
            Gpu.assertSame(expected, gpu.toArray(src, v.layout()), () -> "toArray " + v);
            Storage out = gpu.allocate(v.layout().size());
            gpu.copy(src, v.layout(), out);
            Gpu.assertSame(expected, Gpu.read(gpu, out), () -> "copy " + v);
        }
        // Reversing every axis leaves nothing to merge: 8 axes are the kernels' limit, 9 are refused.
        for (int rank : new int[] {8, 9}) {
            int[] shape = new int[rank];
            Arrays.fill(shape, 2);
            int[] c = Layout.contiguousStrides(shape);
            int[] reversed = new int[rank];
            for (int d = 0; d < rank; d++) {
                reversed[d] = c[rank - 1 - d];
            }
            Layout l = new Layout(shape, reversed, 0);
            float[] data = Gpu.random(r, 1 << rank);
            if (rank == 8) {
                Gpu.assertSame(SCALAR.toArray(new HostStorage(data), l), gpu.toArray(gpu.fromArray(data.clone()), l),
                        () -> "rank 8");
            } else {
                var e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                        () -> gpu.toArray(gpu.fromArray(data.clone()), l));
                assertTrue(e.getMessage().contains("contiguous()"), e.getMessage());
            }
        }
    }

    @Test
    void fillWritesOnlyItsRangeAndAllocateZeroes() {
        Storage s = gpu.allocate(100);
        assertInstanceOf(ClStorage.class, s);
        assertEquals(gpu.deviceName(), s.location());
        gpu.fill(s, 3, 65, -2.5f);
        float[] expected = new float[100];
        Arrays.fill(expected, 3, 68, -2.5f);
        Gpu.assertSame(expected, Gpu.read(gpu, s), () -> "fill");
        Storage empty = gpu.allocate(0);
        assertEquals(0, empty.size());
        assertEquals(0, gpu.toArray(empty, Layout.contiguous(0)).length);
    }

    @Test
    void hostInputsAreUploadedForTheOpAndCounted() {
        float[] a = {1, 2, 3, 4, 5, 6, 7};
        var before = gpu.transferStats();
        Storage out = gpu.allocate(7);
        gpu.unary(UnaryOp.SQUARE, 0, 0, new HostStorage(a), Layout.contiguous(7), out); // a host input
        var afterOp = gpu.transferStats().minus(before);
        assertEquals(1, afterOp.hostToDeviceCount());
        assertEquals(28, afterOp.hostToDeviceBytes());
        assertEquals(0, afterOp.deviceToHostCount());
        float[] back = Gpu.read(gpu, out);
        var afterRead = gpu.transferStats().minus(before);
        assertEquals(1, afterRead.deviceToHostCount());
        assertEquals(28, afterRead.deviceToHostBytes());
        assertEquals(1, afterRead.kernelLaunches(), "square only: the output it overwrites is never zero-filled");
        Gpu.assertSame(new float[] {1, 4, 9, 16, 25, 36, 49}, back, () -> "square");
    }
}
