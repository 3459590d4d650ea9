package dev.vectorgrad.backend;

import dev.vectorgrad.backend.scalar.ScalarBackend;
import dev.vectorgrad.backend.simd.SimdBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD image kernels against the scalar reference on random geometries, and the scalar backward
 * kernels against central differences of their forward kernels (so the reference's gradients are pinned
 * independently of the code they are compared with).
 */
class ImageKernelsTest {

    private static final Backend SCALAR = new ScalarBackend();
    private static final Backend SIMD = new SimdBackend();

    // ---------------------------------------------------------------- helpers

    private static float[] random(Random rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextFloat() * 2f - 1f;
        }
        return a;
    }

    /** Values from a tiny set, so pooling windows are full of ties. */
    private static float[] ties(Random rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextInt(3) - 1;
        }
        return a;
    }

    private static float[] nans(int size) {
        float[] a = new float[size];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    private static Storage st(Backend b, float[] a) {
        return b.fromArray(a.clone());
    }

    private static float[] arr(Storage s) {
        return HostStorage.of(s);
    }

    /** Float32 agreement for sums of {@code len} products of values in [-1, 1], scaled to the magnitude. */
    private static void assertClose(String what, float[] expected, float[] actual, int len) {
        assertEquals(expected.length, actual.length, what + ": length");
        float tol = 2e-6f * len + 1e-6f;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (!(Float.isNaN(e) && Float.isNaN(a))) {
                    fail(what + ": index " + i + " expected " + e + " but was " + a);
                }
                continue;
            }
            if (Math.abs(e - a) > tol * Math.max(1f, Math.abs(e))) {
                fail(what + ": index " + i + " expected " + e + " but was " + a + " (tolerance " + tol + ")");
            }
        }
    }

    private static ConvGeometry randomConv(Random rnd, int n) {
        while (true) {
            int c = 1 + rnd.nextInt(5);
            int k = 1 + rnd.nextInt(5);
            int kh = 1 + rnd.nextInt(5);
            int kw = 1 + rnd.nextInt(5);
            int sh = 1 + rnd.nextInt(3);
            int sw = 1 + rnd.nextInt(3);
            int ph = rnd.nextInt(3);
            int pw = rnd.nextInt(3);
            int h = 1 + rnd.nextInt(13);
            int w = 1 + rnd.nextInt(13);
            if (h + 2 * ph >= kh && w + 2 * pw >= kw) {
                return new ConvGeometry(n, c, h, w, k, kh, kw, sh, sw, ph, pw);
            }
        }
    }

    private static PoolGeometry randomPool(Random rnd, int n) {
        while (true) {
            int c = 1 + rnd.nextInt(5);
            int kh = 1 + rnd.nextInt(4);
            int kw = 1 + rnd.nextInt(4);
            int sh = 1 + rnd.nextInt(3);
            int sw = 1 + rnd.nextInt(3);
            int ph = rnd.nextInt(kh / 2 + 1);
            int pw = rnd.nextInt(kw / 2 + 1);
            int h = 1 + rnd.nextInt(12);
            int w = 1 + rnd.nextInt(12);
            if (h + 2 * ph >= kh && w + 2 * pw >= kw) {
                return new PoolGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
            }
        }
    }

    private static int batchFor(int trial) {
        return switch (trial % 4) {
            case 0 -> 0;
            case 1 -> 1;
            default -> 2 + trial % 3;
        };
    }

    // ---------------------------------------------------------------- SIMD vs scalar: convolution

    /** Runs every convolution kernel on both backends and compares; outputs start as NaN to catch unwritten cells. */
    private static void compareConv(ConvGeometry g, Random rnd, boolean withBias) {
        String at = g + (withBias ? " with bias" : " without bias");
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] b = withBias ? random(rnd, g.k()) : null;
        float[] gout = random(rnd, g.outputSize());

        float[][] out = new float[2][];
        float[][] gin = new float[2][];
        float[][] gw = new float[2][];
        float[][] gb = new float[2][];
        Backend[] backends = {SCALAR, SIMD};
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            Storage o = st(be, nans(g.outputSize()));
            be.conv2d(g, st(be, x), st(be, w), b == null ? null : st(be, b), o);
            out[i] = arr(o);
            Storage gi = st(be, nans(g.inputSize()));
            be.conv2dBackwardInput(g, st(be, w), st(be, gout), gi);
            gin[i] = arr(gi);
            Storage gws = st(be, nans(g.weightSize()));
            Storage gbs = withBias ? st(be, nans(g.k())) : null;
            be.conv2dBackwardWeight(g, st(be, x), st(be, gout), gws, gbs);
            gw[i] = arr(gws);
            gb[i] = withBias ? arr(gbs) : null;
        }
        for (float v : out[0]) {
            assertTrue(!Float.isNaN(v), at + ": scalar forward left a cell unwritten");
        }
        assertClose("conv2d " + at, out[0], out[1], g.colRows());
        assertClose("conv2dBackwardInput " + at, gin[0], gin[1], g.k() * g.kh() * g.kw());
        int perWeight = Math.max(1, g.n() * g.colCols());
        assertClose("conv2dBackwardWeight " + at, gw[0], gw[1], perWeight);
        if (withBias) {
            assertClose("conv2dBackwardWeight bias " + at, gb[0], gb[1], perWeight);
        }
    }

    @Test
    void convMatchesScalarOnRandomGeometries() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            compareConv(randomConv(rnd, batchFor(trial)), rnd, trial % 2 == 0);
        }
    }

    @Test
    void convMatchesScalarOnSpecialPaths() {
        Random rnd = new Random(7);
        ConvGeometry[] cases = {
                // pointwise (1x1, stride 1, no padding): the image is its own column matrix
                new ConvGeometry(3, 4, 5, 7, 3, 1, 1, 1, 1, 0, 0),
                // 1x1 with stride or padding goes through im2col
                new ConvGeometry(2, 3, 6, 5, 2, 1, 1, 2, 1, 0, 0),
                new ConvGeometry(2, 3, 6, 5, 2, 1, 1, 1, 1, 1, 1),
                // "same" stride-1 convolutions: the flat unfold
                new ConvGeometry(3, 2, 9, 11, 3, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(2, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(2, 2, 7, 6, 2, 5, 3, 1, 1, 2, 1),
                // kernel as large as the padded input, wide rows (array copies), asymmetric everything
                new ConvGeometry(2, 2, 3, 4, 2, 5, 6, 1, 1, 1, 1),
                new ConvGeometry(2, 2, 5, 90, 3, 3, 2, 2, 1, 0, 1),
                new ConvGeometry(1, 3, 4, 70, 2, 2, 3, 1, 3, 2, 0),
                // weight gradient large enough for the GEMM path rather than dot products
                new ConvGeometry(3, 8, 9, 9, 8, 5, 5, 1, 1, 2, 2),
                // LeNet's second convolution, batch big enough to split across threads
                new ConvGeometry(8, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
                // LeNet at training batch size: the direct kernels, split across threads and chunks
                new ConvGeometry(64, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(64, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),
                // output channels in the lanes: padded lanes, padding, strides, two vectors of channels
                new ConvGeometry(3, 3, 9, 8, 13, 3, 3, 2, 1, 1, 0),
                new ConvGeometry(2, 2, 7, 7, 16, 3, 2, 1, 2, 1, 1),
                new ConvGeometry(2, 2, 6, 6, 30, 3, 3, 1, 1, 0, 0),
                // ... kernels a multiple of 5 wide (neighbouring taps), with strides and padding
                new ConvGeometry(3, 2, 11, 12, 16, 5, 5, 2, 2, 1, 2),
                new ConvGeometry(2, 1, 12, 14, 16, 3, 10, 1, 1, 0, 1),
                // positions in the lanes: several input channels, channel counts that leave a remainder
                new ConvGeometry(3, 3, 12, 10, 4, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(2, 2, 9, 11, 5, 2, 4, 1, 1, 0, 2),
                new ConvGeometry(2, 1, 20, 20, 7, 5, 5, 1, 1, 0, 0),
        };
        for (ConvGeometry g : cases) {
            compareConv(g, rnd, true);
            compareConv(g, rnd, false);
        }
    }

    @Test
    void im2colAndCol2imMatchScalar() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            ConvGeometry g = randomConv(rnd, 1 + rnd.nextInt(3));
            int image = rnd.nextInt(g.n());
            float[] x = random(rnd, g.inputSize());
            int offset = rnd.nextInt(5);
            int colSize = offset + g.colRows() * g.colCols() + 3;
            Storage c0 = st(SCALAR, nans(colSize));
            Storage c1 = st(SIMD, nans(colSize));
            SCALAR.im2col(g, st(SCALAR, x), image, c0, offset);
            SIMD.im2col(g, st(SIMD, x), image, c1, offset);
            float[] a0 = Arrays.copyOfRange(arr(c0), offset, offset + g.colRows() * g.colCols());
            float[] a1 = Arrays.copyOfRange(arr(c1), offset, offset + g.colRows() * g.colCols());
            assertClose("im2col " + g, a0, a1, 1);
            assertTrue(Float.isNaN(arr(c1)[colSize - 1]) && (offset == 0 || Float.isNaN(arr(c1)[offset - 1])),
                    "im2col wrote outside its matrix");

            // col2im adds into what is already there
            float[] col = random(rnd, colSize);
            float[] dx = random(rnd, g.inputSize());
            Storage d0 = st(SCALAR, dx);
            Storage d1 = st(SIMD, dx);
            SCALAR.col2im(g, st(SCALAR, col), offset, d0, image);
            SIMD.col2im(g, st(SIMD, col), offset, d1, image);
            assertClose("col2im " + g, arr(d0), arr(d1), g.kh() * g.kw() + 1);
            int imageSize = g.c() * g.h() * g.w();
            for (int i = 0; i < g.inputSize(); i++) {
                if (i / imageSize != image) {
                    assertEquals(dx[i], arr(d1)[i], "col2im touched another image");
                }
            }
        }
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        // <im2col(x), y> == <x, col2im(y)> for the reference, which pins col2im's index mapping to im2col's.
        Random rnd = new Random(5);
        for (int trial = 0; trial < 100; trial++) {
            ConvGeometry g = randomConv(rnd, 1 + rnd.nextInt(2));
            int image = rnd.nextInt(g.n());
            int rows = g.colRows() * g.colCols();
            float[] x = random(rnd, g.inputSize());
            float[] y = random(rnd, rows);
            Storage col = SCALAR.allocate(rows);
            SCALAR.im2col(g, st(SCALAR, x), image, col, 0);
            Storage dx = SCALAR.allocate(g.inputSize());
            SCALAR.col2im(g, st(SCALAR, y), 0, dx, image);
            double left = 0;
            for (int i = 0; i < rows; i++) {
                left += (double) arr(col)[i] * y[i];
            }
            double right = 0;
            for (int i = 0; i < g.inputSize(); i++) {
                right += (double) x[i] * arr(dx)[i];
            }
            assertEquals(left, right, 1e-4 * (1 + Math.abs(left)), "adjoint " + g);
        }
    }

    @Test
    void threadedBatchMatchesSingleThread() {
        Random rnd = new Random(3);
        ConvGeometry g = new ConvGeometry(9, 3, 12, 12, 4, 3, 3, 1, 1, 1, 1);
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] gout = random(rnd, g.outputSize());
        int old = Parallel.setThreads(1);
        float[] gw1;
        try {
            Storage gw = SIMD.allocate(g.weightSize());
            SIMD.conv2dBackwardWeight(g, st(SIMD, x), st(SIMD, gout), gw, null);
            gw1 = arr(gw).clone();
        } finally {
            Parallel.setThreads(old);
        }
        Parallel.setThreads(Parallel.maxThreads());
        try {
            Storage gw = SIMD.allocate(g.weightSize());
            SIMD.conv2dBackwardWeight(g, st(SIMD, x), st(SIMD, gout), gw, null);
            assertClose("threaded weight gradient", gw1, arr(gw), g.n() * g.colCols());
        } finally {
            Parallel.setThreads(old);
        }
    }

    // ---------------------------------------------------------------- SIMD vs scalar: pooling

    private static void comparePool(PoolGeometry g, float[] x, float[] gout, String what) {
        String at = what + " " + g;
        Backend[] backends = {SCALAR, SIMD};
        float[][] maxOut = new float[2][];
        float[][] maxGrad = new float[2][];
        float[][][] avgOut = new float[2][2][];
        float[][][] avgGrad = new float[2][2][];
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            Storage o = st(be, nans(g.outputSize()));
            be.maxPool2d(g, st(be, x), o);
            maxOut[i] = arr(o);
            // gradInput arrives dirty: the kernel zeroes it itself
            Storage gi = st(be, nans(g.inputSize()));
            be.maxPool2dBackward(g, st(be, x), st(be, gout), gi);
            maxGrad[i] = arr(gi);
            for (int inc = 0; inc < 2; inc++) {
                boolean include = inc == 1;
                Storage ao = st(be, nans(g.outputSize()));
                be.avgPool2d(g, include, st(be, x), ao);
                avgOut[i][inc] = arr(ao);
                Storage ag = st(be, nans(g.inputSize()));
                be.avgPool2dBackward(g, include, st(be, gout), ag);
                avgGrad[i][inc] = arr(ag);
            }
        }
        assertClose("maxPool2d " + at, maxOut[0], maxOut[1], 1);
        // routing must be identical, not merely close
        assertClose("maxPool2dBackward " + at, maxGrad[0], maxGrad[1], 1);
        // with recorded indices: the same outputs, the same winners, the same gradient
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            assertTrue(be.recordsPoolIndices(), be.name() + " records pooling indices");
            Storage o = st(be, nans(g.outputSize()));
            Storage idx = st(be, nans(g.outputSize()));
            be.maxPool2dWithIndices(g, st(be, x), o, idx);
            assertClose("maxPool2dWithIndices " + be.name() + " " + at, maxOut[0], arr(o), 1);
            Storage gi = be.allocate(g.inputSize());
            be.maxPool2dBackwardIndices(g, idx, st(be, gout), gi);
            assertClose("maxPool2dBackwardIndices " + be.name() + " " + at, maxGrad[0], arr(gi), 1);
            if (i == 1) {
                Storage scalarIdx = st(SCALAR, nans(g.outputSize()));
                SCALAR.maxPool2dWithIndices(g, st(SCALAR, x), st(SCALAR, nans(g.outputSize())), scalarIdx);
                assertClose("maxPool2dWithIndices indices " + at, arr(scalarIdx), arr(idx), 1);
            }
        }
        int overlap = ((g.kh() + g.strideH() - 1) / g.strideH()) * ((g.kw() + g.strideW() - 1) / g.strideW());
        for (int inc = 0; inc < 2; inc++) {
            assertClose("avgPool2d " + at + " countIncludePad=" + (inc == 1), avgOut[0][inc], avgOut[1][inc], g.kh() * g.kw());
            assertClose("avgPool2dBackward " + at + " countIncludePad=" + (inc == 1), avgGrad[0][inc], avgGrad[1][inc], overlap);
        }
    }

    @Test
    void poolingMatchesScalarOnRandomGeometries() {
        Random rnd = new Random(99);
        for (int trial = 0; trial < 300; trial++) {
            PoolGeometry g = randomPool(rnd, batchFor(trial));
            float[] x = trial % 3 == 0 ? ties(rnd, g.inputSize()) : random(rnd, g.inputSize());
            comparePool(g, x, random(rnd, g.outputSize()), trial % 3 == 0 ? "ties" : "random");
        }
    }

    @Test
    void twoByTwoPoolingMatchesScalar() {
        // wide enough rows for the vector 2x2 kernel, even and odd sizes, LeNet's first pooling
        Random rnd = new Random(17);
        int[][] sizes = {{28, 28}, {16, 16}, {17, 19}, {5, 40}, {3, 33}, {10, 10}, {2, 18}, {9, 31}};
        for (int[] hw : sizes) {
            for (int n : new int[] {0, 1, 3}) {
                PoolGeometry g = new PoolGeometry(n, 3, hw[0], hw[1], 2, 2, 2, 2, 0, 0);
                comparePool(g, random(rnd, g.inputSize()), random(rnd, g.outputSize()), "random");
                comparePool(g, ties(rnd, g.inputSize()), random(rnd, g.outputSize()), "ties");
            }
        }
        PoolGeometry lenet = new PoolGeometry(16, 6, 28, 28, 2, 2, 2, 2, 0, 0);
        comparePool(lenet, random(rnd, lenet.inputSize()), random(rnd, lenet.outputSize()), "LeNet");
    }

    @Test
    void maxPoolPropagatesNaNAndRoutesToTheFirstOne() {
        Random rnd = new Random(23);
        PoolGeometry[] cases = {
                new PoolGeometry(2, 2, 8, 32, 2, 2, 2, 2, 0, 0), // vector 2x2
                new PoolGeometry(2, 2, 6, 7, 2, 2, 2, 2, 0, 0), // narrow 2x2
                new PoolGeometry(2, 2, 7, 9, 3, 3, 2, 2, 1, 1), // general, overlapping
                new PoolGeometry(1, 3, 6, 6, 3, 2, 1, 1, 1, 0), // general, stride 1
        };
        for (PoolGeometry g : cases) {
            float[] x = ties(rnd, g.inputSize());
            for (int i = 0; i < x.length; i += 7) {
                x[i] = Float.NaN;
            }
            x[1] = Float.NaN;
            comparePool(g, x, random(rnd, g.outputSize()), "NaN");
            Storage o = SCALAR.allocate(g.outputSize());
            SCALAR.maxPool2d(g, st(SCALAR, x), o);
            assertTrue(Float.isNaN(arr(o)[0]), "a NaN in the window is the window's maximum");
        }
    }

    // ---------------------------------------------------------------- scalar backward vs finite differences

    private static final float H = 0.25f;

    /** sum(gradOut * f(x)) in double, where f is a forward kernel writing into its last argument. */
    private interface Forward {
        void run(float[] in, float[] out);
    }

    private static double loss(Forward f, float[] in, float[] gradOut) {
        float[] out = new float[gradOut.length];
        f.run(in, out);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += (double) gradOut[i] * out[i];
        }
        return s;
    }

    /** Central differences of {@code sum(gradOut * f(v))} with respect to every entry of {@code v}. */
    private static float[] numericGradient(Forward f, float[] v, float[] gradOut) {
        float[] grad = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float keep = v[i];
            v[i] = keep + H;
            double up = loss(f, v, gradOut);
            v[i] = keep - H;
            double down = loss(f, v, gradOut);
            v[i] = keep;
            grad[i] = (float) ((up - down) / (2 * H));
        }
        return grad;
    }

    private static void assertGradient(String what, float[] numeric, float[] analytic) {
        for (int i = 0; i < numeric.length; i++) {
            assertEquals(numeric[i], analytic[i], 1e-4 * (1 + Math.abs(numeric[i])), what + " at " + i);
        }
    }

    @Test
    void scalarConvBackwardMatchesFiniteDifferences() {
        Random rnd = new Random(31);
        ConvGeometry[] cases = {
                new ConvGeometry(2, 2, 5, 4, 3, 3, 2, 2, 1, 1, 0),
                new ConvGeometry(1, 3, 4, 6, 2, 2, 3, 1, 2, 0, 2),
                new ConvGeometry(2, 1, 5, 5, 2, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(1, 2, 3, 3, 2, 5, 4, 3, 1, 2, 1),
        };
        for (ConvGeometry g : cases) {
            float[] x = random(rnd, g.inputSize());
            float[] w = random(rnd, g.weightSize());
            float[] b = random(rnd, g.k());
            float[] gout = random(rnd, g.outputSize());

            Storage gi = SCALAR.allocate(g.inputSize());
            SCALAR.conv2dBackwardInput(g, st(SCALAR, w), st(SCALAR, gout), gi);
            Storage gw = SCALAR.allocate(g.weightSize());
            Storage gb = SCALAR.allocate(g.k());
            SCALAR.conv2dBackwardWeight(g, st(SCALAR, x), st(SCALAR, gout), gw, gb);

            assertGradient("d/dx " + g, numericGradient((in, out) ->
                    SCALAR.conv2d(g, st(SCALAR, in), st(SCALAR, w), st(SCALAR, b), new HostStorage(out)), x, gout), arr(gi));
            assertGradient("d/dw " + g, numericGradient((in, out) ->
                    SCALAR.conv2d(g, st(SCALAR, x), st(SCALAR, in), st(SCALAR, b), new HostStorage(out)), w, gout), arr(gw));
            assertGradient("d/db " + g, numericGradient((in, out) ->
                    SCALAR.conv2d(g, st(SCALAR, x), st(SCALAR, w), st(SCALAR, in), new HostStorage(out)), b, gout), arr(gb));
        }
    }

    @Test
    void scalarPoolBackwardMatchesFiniteDifferences() {
        Random rnd = new Random(37);
        PoolGeometry[] cases = {
                new PoolGeometry(2, 2, 5, 6, 2, 2, 2, 2, 0, 0),
                new PoolGeometry(1, 2, 5, 5, 3, 3, 1, 2, 1, 1),
                new PoolGeometry(1, 1, 4, 7, 2, 3, 1, 1, 1, 1),
        };
        for (PoolGeometry g : cases) {
            // distinct values far apart, so a step of H never changes which cell wins a window
            float[] x = new float[g.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            for (int i = x.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                float t = x[i];
                x[i] = x[j];
                x[j] = t;
            }
            float[] gout = random(rnd, g.outputSize());

            Storage gi = SCALAR.allocate(g.inputSize());
            SCALAR.maxPool2dBackward(g, st(SCALAR, x), st(SCALAR, gout), gi);
            assertGradient("max pool " + g, numericGradient((in, out) ->
                    SCALAR.maxPool2d(g, st(SCALAR, in), new HostStorage(out)), x, gout), arr(gi));

            for (boolean include : new boolean[] {true, false}) {
                Storage ag = SCALAR.allocate(g.inputSize());
                SCALAR.avgPool2dBackward(g, include, st(SCALAR, gout), ag);
                assertGradient("avg pool " + g + " countIncludePad=" + include, numericGradient((in, out) ->
                        SCALAR.avgPool2d(g, include, st(SCALAR, in), new HostStorage(out)), x, gout), arr(ag));
            }
        }
    }

    @Test
    void avgPoolDivisors() {
        // 3x3 window, padding 1, on a 2x2 image of ones: every window sees 4 real cells
        PoolGeometry g = new PoolGeometry(1, 1, 2, 2, 3, 3, 1, 1, 1, 1);
        for (Backend be : new Backend[] {SCALAR, SIMD}) {
            Storage x = st(be, new float[] {1, 1, 1, 1});
            Storage inc = be.allocate(4);
            be.avgPool2d(g, true, x, inc);
            Storage exc = be.allocate(4);
            be.avgPool2d(g, false, x, exc);
            for (int i = 0; i < 4; i++) {
                assertEquals(4f / 9f, arr(inc)[i], 1e-7f, be.name() + " countIncludePad=true");
                assertEquals(1f, arr(exc)[i], 1e-7f, be.name() + " countIncludePad=false");
            }
        }
    }

    @Test
    void emptyBatchWritesZeroWeightGradients() {
        ConvGeometry g = new ConvGeometry(0, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1);
        for (Backend be : new Backend[] {SCALAR, SIMD}) {
            Storage gw = st(be, nans(g.weightSize()));
            Storage gb = st(be, nans(g.k()));
            be.conv2dBackwardWeight(g, be.allocate(0), be.allocate(0), gw, gb);
            for (float v : arr(gw)) {
                assertEquals(0f, v, be.name());
            }
            for (float v : arr(gb)) {
                assertEquals(0f, v, be.name());
            }
        }
    }
}
