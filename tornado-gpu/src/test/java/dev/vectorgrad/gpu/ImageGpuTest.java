package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.gpu.opencl.ClBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.vectorgrad.gpu.Gpu.SCALAR;

/**
 * im2col/col2im, conv2d forward and both backward passes, and max/average pooling forward and
 * backward on the device against the scalar reference, over random small geometries with strides,
 * padding, batch sizes 0..3, ties and NaN.
 */
class ImageGpuTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    private static List<ConvGeometry> convGeometries(Random r, int count) {
        List<ConvGeometry> list = new ArrayList<>();
        list.add(new ConvGeometry(2, 1, 5, 5, 2, 3, 3, 1, 1, 1, 1));   // "same" convolution
        list.add(new ConvGeometry(1, 2, 6, 4, 3, 2, 3, 2, 1, 0, 1));   // stride 2, asymmetric
        list.add(new ConvGeometry(3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0));   // 1x1 everything
        while (list.size() < count) {
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            int ph = r.nextInt(2);
            int pw = r.nextInt(2);
            int h = Math.max(1, kh - 2 * ph) + r.nextInt(5);
            int w = Math.max(1, kw - 2 * pw) + r.nextInt(5);
            list.add(new ConvGeometry(r.nextInt(4), 1 + r.nextInt(3), h, w, 1 + r.nextInt(3), kh, kw,
                    1 + r.nextInt(2), 1 + r.nextInt(2), ph, pw));
        }
        return list;
    }

    private static List<PoolGeometry> poolGeometries(Random r, int count) {
        List<PoolGeometry> list = new ArrayList<>();
        list.add(new PoolGeometry(2, 2, 4, 4, 2, 2, 2, 2, 0, 0));     // the lecture's 2x2 pooling
        list.add(new PoolGeometry(1, 1, 5, 5, 3, 3, 1, 1, 1, 1));     // overlapping, padded
        list.add(new PoolGeometry(1, 2, 3, 7, 3, 2, 2, 1, 1, 0));     // padding reaches past the edge
        while (list.size() < count) {
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            int ph = r.nextInt(kh / 2 + 1);
            int pw = r.nextInt(kw / 2 + 1);
            int h = Math.max(1, kh - 2 * ph) + r.nextInt(5);
            int w = Math.max(1, kw - 2 * pw) + r.nextInt(5);
            list.add(new PoolGeometry(r.nextInt(4), 1 + r.nextInt(3), h, w, kh, kw, 1 + r.nextInt(3),
                    1 + r.nextInt(3), ph, pw));
        }
        return list;
    }

    private static Storage put(Backend b, float[] v) {
        return b.fromArray(v.clone());
    }

    /** Sums of {@code len} products of N(0, 2) values, compared to float32 rounding of that size. */
    private static void assertSums(float[] expected, float[] actual, int len, String what) {
        Gpu.assertClose(expected, actual, 1e-5, 4e-6 * Math.max(1, len), () -> what);
    }

    @Test
    void im2colAndCol2imMatchTheReferenceExactly() {
        Random r = new Random(1);
        for (ConvGeometry g : convGeometries(r, 14)) {
            if (g.n() == 0) {
                continue;
            }
            int block = g.colRows() * g.colCols();
            int image = r.nextInt(g.n());
            int colOffset = r.nextInt(3);
            float[] x = Gpu.random(r, g.inputSize());
            float[][] results = new float[2][];
            for (Backend b : new Backend[] {SCALAR, gpu}) {
                Storage col = b.allocate(colOffset + block);
                b.im2col(g, put(b, x), image, col, colOffset);
                results[b == SCALAR ? 0 : 1] = Gpu.read(b, col);
            }
            Gpu.assertSame(results[0], results[1], () -> "im2col " + g + " image " + image);

            float[] cols = Gpu.random(r, colOffset + block);
            float[] dx0 = Gpu.random(r, g.inputSize()); // col2im adds onto what is there
            for (Backend b : new Backend[] {SCALAR, gpu}) {
                Storage dx = put(b, dx0);
                b.col2im(g, put(b, cols), colOffset, dx, image);
                results[b == SCALAR ? 0 : 1] = Gpu.read(b, dx);
            }
            Gpu.assertSame(results[0], results[1], () -> "col2im " + g + " image " + image);
        }
    }

    @Test
    void conv2dForwardAndBothBackwardPassesMatchTheReference() {
        Random r = new Random(2);
        for (ConvGeometry g : convGeometries(r, 16)) {
            float[] x = Gpu.random(r, g.inputSize());
            float[] w = Gpu.random(r, g.weightSize());
            float[] bias = Gpu.random(r, g.k());
            float[] gradOut = Gpu.random(r, g.outputSize());
            boolean withBias = r.nextBoolean();
            float[][] fwd = new float[2][];
            float[][] gin = new float[2][];
            float[][] gw = new float[2][];
            float[][] gb = new float[2][];
            for (Backend b : new Backend[] {SCALAR, gpu}) {
                int i = b == SCALAR ? 0 : 1;
                Storage out = b.allocate(g.outputSize());
                b.conv2d(g, put(b, x), put(b, w), withBias ? put(b, bias) : null, out);
                fwd[i] = Gpu.read(b, out);
                Storage gi = b.allocate(g.inputSize());
                b.conv2dBackwardInput(g, put(b, w), put(b, gradOut), gi);
                gin[i] = Gpu.read(b, gi);
                Storage gws = b.fromArray(Gpu.random(r, g.weightSize())); // written, not accumulated
                Storage gbs = withBias ? b.fromArray(Gpu.random(r, g.k())) : null;
                b.conv2dBackwardWeight(g, put(b, x), put(b, gradOut), gws, gbs);
                gw[i] = Gpu.read(b, gws);
                gb[i] = withBias ? Gpu.read(b, gbs) : new float[0];
            }
            if (g.n() == 0) {
                // Nothing was seen: the weight gradients are zero.
                Gpu.assertSame(new float[g.weightSize()], gw[1], () -> "empty batch weight gradient " + g);
                continue;
            }
            assertSums(fwd[0], fwd[1], g.colRows() + 1, "conv2d " + g);
            assertSums(gin[0], gin[1], g.k() * g.kh() * g.kw(), "conv2dBackwardInput " + g);
            assertSums(gw[0], gw[1], g.n() * g.colCols(), "conv2dBackwardWeight " + g);
            assertSums(gb[0], gb[1], g.n() * g.colCols(), "conv2d bias gradient " + g);
        }
    }

    @Test
    void convolutionAndItsGradientsWorkInChunksOfImages() {
        ConvGeometry g = new ConvGeometry(7, 2, 6, 6, 3, 3, 3, 1, 1, 1, 1);
        Random r = new Random(9);
        float[] x = Gpu.random(r, g.inputSize());
        float[] w = Gpu.random(r, g.weightSize());
        float[] bias = Gpu.random(r, g.k());
        float[] gradOut = Gpu.random(r, g.outputSize());
        float[][] res = new float[8][];
        String before = System.getProperty(ClBackend.COLUMN_BUDGET_PROPERTY);
        // Room for the columns of two images at a time: chunks of 2, 2, 2 and 1.
        System.setProperty(ClBackend.COLUMN_BUDGET_PROPERTY, String.valueOf(2L * g.colRows() * g.colCols()));
        try {
            for (Backend b : new Backend[] {SCALAR, gpu}) {
                int i = b == SCALAR ? 0 : 1;
                Storage out = b.allocate(g.outputSize());
                b.conv2d(g, put(b, x), put(b, w), put(b, bias), out);
                res[i] = Gpu.read(b, out);
                Storage gi = b.allocate(g.inputSize());
                b.conv2dBackwardInput(g, put(b, w), put(b, gradOut), gi);
                res[2 + i] = Gpu.read(b, gi);
                Storage gw = b.allocate(g.weightSize());
                Storage gb = b.allocate(g.k());
                b.conv2dBackwardWeight(g, put(b, x), put(b, gradOut), gw, gb);
                res[4 + i] = Gpu.read(b, gw);
                res[6 + i] = Gpu.read(b, gb);
            }
        } finally {
            if (before == null) {
                System.clearProperty(ClBackend.COLUMN_BUDGET_PROPERTY);
            } else {
                System.setProperty(ClBackend.COLUMN_BUDGET_PROPERTY, before);
            }
        }
        assertSums(res[0], res[1], g.colRows() + 1, "conv2d in chunks");
        assertSums(res[2], res[3], g.k() * 9, "conv2dBackwardInput in chunks");
        assertSums(res[4], res[5], g.n() * g.colCols(), "conv2dBackwardWeight in chunks");
        assertSums(res[6], res[7], g.n() * g.colCols(), "bias gradient in chunks");
    }

    @Test
    void poolingForwardAndBackwardMatchTheReferenceExactly() {
        Random r = new Random(4);
        for (PoolGeometry g : poolGeometries(r, 18)) {
            for (int data = 0; data < 3; data++) {
                float[] x = data == 0 ? Gpu.random(r, g.inputSize()) : data == 1 ? Gpu.ties(r, g.inputSize())
                        : Gpu.mixed(r, g.inputSize());
                float[] gradOut = Gpu.random(r, g.outputSize());
                for (boolean includePad : new boolean[] {true, false}) {
                    float[][] res = new float[8][];
                    for (Backend b : new Backend[] {SCALAR, gpu}) {
                        int i = b == SCALAR ? 0 : 1;
                        Storage mo = b.allocate(g.outputSize());
                        b.maxPool2d(g, put(b, x), mo);
                        res[i] = Gpu.read(b, mo);
                        Storage mg = b.allocate(g.inputSize());
                        b.maxPool2dBackward(g, put(b, x), put(b, gradOut), mg);
                        res[2 + i] = Gpu.read(b, mg);
                        Storage ao = b.allocate(g.outputSize());
                        b.avgPool2d(g, includePad, put(b, x), ao);
                        res[4 + i] = Gpu.read(b, ao);
                        Storage ag = b.allocate(g.inputSize());
                        b.avgPool2dBackward(g, includePad, put(b, gradOut), ag);
                        res[6 + i] = Gpu.read(b, ag);
                    }
                    String what = g + " data " + data + " countIncludePad " + includePad + ": ";
                    Gpu.assertSame(res[0], res[1], () -> what + "maxPool2d of " + Arrays.toString(x));
                    Gpu.assertSame(res[2], res[3], () -> what + "maxPool2dBackward");
                    Gpu.assertSame(res[4], res[5], () -> what + "avgPool2d");
                    Gpu.assertSame(res[6], res[7], () -> what + "avgPool2dBackward");
                }
            }
        }
    }
}
