package dev.vectorgrad.backend;

import dev.vectorgrad.backend.scalar.ScalarBackend;
import dev.vectorgrad.backend.simd.SimdBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Worked examples from the lecture notes, run on both CPU backends. The numbers are copied from the
 * slide text; integer data makes every result exact in float32, so the comparisons are exact.
 */
class LectureImageGoldenTest {

    static Stream<Backend> backends() {
        return Stream.of(new ScalarBackend(), new SimdBackend());
    }

    private static float[] conv(Backend be, ConvGeometry g, float[] x, float[] w) {
        Storage out = be.allocate(g.outputSize());
        be.conv2d(g, be.fromArray(x.clone()), be.fromArray(w.clone()), null, out);
        return HostStorage.of(out);
    }

    private static float[] maxPool(Backend be, PoolGeometry g, float[] x) {
        Storage out = be.allocate(g.outputSize());
        be.maxPool2d(g, be.fromArray(x.clone()), out);
        return HostStorage.of(out);
    }

    private static float[] maxPoolBackward(Backend be, PoolGeometry g, float[] x, float[] gradOut) {
        Storage gi = be.fromArray(new float[g.inputSize()]);
        Arrays.fill(HostStorage.of(gi), Float.NaN);
        be.maxPool2dBackward(g, be.fromArray(x.clone()), be.fromArray(gradOut.clone()), gi);
        return HostStorage.of(gi);
    }

    // ------------------------------------------------- 5x5 cross-correlated with 3x3 -> 3x3

    /*
     * Seed 002 (CS-GY 6923 Lecture 10), section "2D CONVOLUTION", right after "Definition (Discrete 2D
     * convolution)", which notes the operation is correlation (no kernel flip). The 5x5 input is the
     * table "3 3 2 1 0 / 0 0 1 3 1 / 3 1 2 2 3 / 2 0 0 2 2 / 2 0 0 0 1"; the 3x3 filter is the subscripts
     * written on the input cells under the sliding window (0 1 2 / 2 2 0 / 0 1 2); the result grid is
     * "12.0 12.0 17.0 / 10.0 17.0 19.0 / 9.0 6.0 14.0".
     */
    private static final float[] SEED002_X = {
            3, 3, 2, 1, 0,
            0, 0, 1, 3, 1,
            3, 1, 2, 2, 3,
            2, 0, 0, 2, 2,
            2, 0, 0, 0, 1,
    };
    private static final float[] SEED002_W = {
            0, 1, 2,
            2, 2, 0,
            0, 1, 2,
    };
    private static final float[] SEED002_OUT = {
            12, 12, 17,
            10, 17, 19,
            9, 6, 14,
    };

    @ParameterizedTest
    @MethodSource("backends")
    void fiveByFiveCorrelatedWithThreeByThree(Backend be) {
        ConvGeometry g = new ConvGeometry(1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0);
        assertArrayEquals(SEED002_OUT, conv(be, g, SEED002_X, SEED002_W), be.name());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void fiveByFiveExampleThroughABatchAndSeveralFilters(Backend be) {
        // The same example as image 1 of a batch of 2 (image 0 is zeros) and filter 1 of 2 (filter 0 is
        // zeros): the answer lands in exactly one output plane.
        ConvGeometry g = new ConvGeometry(2, 1, 5, 5, 2, 3, 3, 1, 1, 0, 0);
        float[] x = new float[50];
        System.arraycopy(SEED002_X, 0, x, 25, 25);
        float[] w = new float[18];
        System.arraycopy(SEED002_W, 0, w, 9, 9);
        float[] expected = new float[36];
        System.arraycopy(SEED002_OUT, 0, expected, 27, 9);
        assertArrayEquals(expected, conv(be, g, x, w), be.name());
    }

    // ------------------------------------------------- edge detector: convolution layer 1 -> layer 2

    /*
     * Seed 001 (Introduction to Deep Learning and Neural Network, Kuk-Jin Yoon), section "Ex) Convolution
     * filter detecting edges": the 8x8 grid labelled "Convolution layer 1" and the "Convolutional filter"
     * -1 -1 -1 / 1 1 1 / 0 0 0 ("Highlights horizontal black edges") give the 8x8 grid labelled
     * "Convolution layer 2". (The later slide pairing a different "Convolution layer 1" with "Convolutional
     * filter 2" has no output grid in the text, so it is not used.)
     */
    private static final float[] SEED001_LAYER1 = {
            0, 1, 2, 3, 2, 1, 0, 0,
            0, 0, -1, -2, -2, -1, 0, 0,
            0, 0, 1, 2, 2, 1, 0, 0,
            0, -1, -2, -2, -1, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
            0, 1, 2, 2, 1, 0, 0, 0,
            0, -1, -2, -3, -2, -1, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
    };
    private static final float[] SEED001_FILTER = {
            -1, -1, -1,
            1, 1, 1,
            0, 0, 0,
    };
    private static final float[] SEED001_LAYER2 = {
            -4, -9, -12, -11, -6, -2, 0, 0,
            2, 6, 10, 10, 6, 2, 0, 0,
            -4, -8, -10, -8, -4, -1, 0, 0,
            3, 5, 5, 3, 1, 0, 0, 0,
            3, 5, 5, 3, 1, 0, 0, 0,
            -6, -11, -12, -9, -4, -1, 0, 0,
            3, 6, 7, 6, 3, 1, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
    };

    @ParameterizedTest
    @MethodSource("backends")
    void edgeDetectorValidCorrelationIsTheSlideGridsTopLeft(Backend be) {
        // The slide's grid is drawn 8x8; its top-left 6x6 is the valid (unpadded) correlation.
        ConvGeometry g = new ConvGeometry(1, 1, 8, 8, 1, 3, 3, 1, 1, 0, 0);
        float[] expected = new float[36];
        for (int r = 0; r < 6; r++) {
            System.arraycopy(SEED001_LAYER2, r * 8, expected, r * 6, 6);
        }
        assertArrayEquals(expected, conv(be, g, SEED001_LAYER1, SEED001_FILTER), be.name());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void edgeDetectorWholeSlideGrid(Backend be) {
        // The slide keeps the 8x8 size by treating cells past the bottom and right edges as zero: the
        // valid correlation of layer 1 extended by two zero rows and columns reproduces every cell.
        float[] extended = new float[100];
        for (int r = 0; r < 8; r++) {
            System.arraycopy(SEED001_LAYER1, r * 8, extended, r * 10, 8);
        }
        ConvGeometry g = new ConvGeometry(1, 1, 10, 10, 1, 3, 3, 1, 1, 0, 0);
        assertArrayEquals(SEED001_LAYER2, conv(be, g, extended, SEED001_FILTER), be.name());
    }

    // ------------------------------------------------- 8x8 -> 4x4 max pooling, 2x2 windows, stride 2

    /*
     * Seed 000 (CSE-571 Robotics, Neural Networks), section "Pooling Layer" ("Most common: 2x2 or 3x3
     * maxpooling, stride of 2"): the 8x8 grid and the 4x4 result built up window by window, ending
     * "6 7 10 10 / 2 8 9 7 / 10 9 10 10 / 8 7 4 10". (Some repeated panels of the grid read "8-" for the
     * second cell of row 2; the first and last panels read -8, which the result's 6 confirms.)
     */
    private static final float[] SEED000_X = {
            -7, 6, -1, 3, 9, 9, 6, -9,
            3, -8, 0, 7, 10, 8, -3, 10,
            -4, 2, -6, 4, -7, 5, 5, 7,
            -3, -9, 1, 8, -8, 9, -1, -5,
            -7, 10, -9, -5, 9, -8, -7, 10,
            -5, 5, 9, 4, 10, -8, 7, 6,
            -3, 8, 0, 2, 2, -3, -2, 5,
            4, -6, 7, -3, 1, 4, 10, 0,
    };
    private static final float[] SEED000_OUT = {
            6, 7, 10, 10,
            2, 8, 9, 7,
            10, 9, 10, 10,
            8, 7, 4, 10,
    };

    @ParameterizedTest
    @MethodSource("backends")
    void maxPoolEightByEight(Backend be) {
        PoolGeometry g = new PoolGeometry(1, 1, 8, 8, 2, 2, 2, 2, 0, 0);
        assertArrayEquals(SEED000_OUT, maxPool(be, g, SEED000_X), be.name());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void maxPoolEightByEightTiledIntoWideRows(Backend be) {
        // Four copies side by side (8x32 -> 4x16) and two channels, so the SIMD backend's vector 2x2
        // kernel sees the example too; every tile must reproduce the slide's answer.
        int tiles = 4;
        float[] x = new float[2 * 8 * 8 * tiles];
        for (int ch = 0; ch < 2; ch++) {
            for (int r = 0; r < 8; r++) {
                for (int t = 0; t < tiles; t++) {
                    System.arraycopy(SEED000_X, r * 8, x, (ch * 8 + r) * 8 * tiles + t * 8, 8);
                }
            }
        }
        PoolGeometry g = new PoolGeometry(1, 2, 8, 8 * tiles, 2, 2, 2, 2, 0, 0);
        float[] out = maxPool(be, g, x);
        float[] expected = new float[out.length];
        for (int ch = 0; ch < 2; ch++) {
            for (int r = 0; r < 4; r++) {
                for (int t = 0; t < tiles; t++) {
                    System.arraycopy(SEED000_OUT, r * 4, expected, (ch * 4 + r) * 4 * tiles + t * 4, 4);
                }
            }
        }
        assertArrayEquals(expected, out, be.name());

        // Backward: each window's gradient lands on its (unique) maximum, everything else is zero.
        float[] gradOut = new float[out.length];
        for (int i = 0; i < gradOut.length; i++) {
            gradOut[i] = i + 1;
        }
        float[] gi = maxPoolBackward(be, g, x, gradOut);
        int w = 8 * tiles;
        for (int ch = 0; ch < 2; ch++) {
            for (int oy = 0; oy < 4; oy++) {
                for (int ox = 0; ox < 4 * tiles; ox++) {
                    float max = SEED000_OUT[oy * 4 + ox % 4];
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            int idx = (ch * 8 + 2 * oy + dy) * w + 2 * ox + dx;
                            float want = x[idx] == max ? gradOut[(ch * 4 + oy) * 4 * tiles + ox] : 0f;
                            if (gi[idx] != want) {
                                throw new AssertionError(be.name() + ": gradient at " + idx + " is " + gi[idx]
                                        + ", expected " + want);
                            }
                        }
                    }
                }
            }
        }
    }

    /*
     * Seed 001, section "Max pooling example" ("Filter size = 2 / Stride size = 2"): it pools the same 8x8
     * "Convolution layer 1" grid as the edge-detector slides. The text carries no result grid, so the
     * expected 4x4 below is worked out by hand from the grid; the backward pass pins the first-maximum
     * rule on its many tied windows (all-zero windows give their gradient to the top-left cell).
     */
    @ParameterizedTest
    @MethodSource("backends")
    void maxPoolOfConvolutionLayerOneWithTies(Backend be) {
        PoolGeometry g = new PoolGeometry(1, 1, 8, 8, 2, 2, 2, 2, 0, 0);
        float[] expected = {
                1, 3, 2, 0,
                0, 2, 2, 0,
                1, 2, 1, 0,
                0, 0, 0, 0,
        };
        assertArrayEquals(expected, maxPool(be, g, SEED001_LAYER1), be.name());

        float[] gradOut = new float[16];
        for (int i = 0; i < 16; i++) {
            gradOut[i] = i + 1;
        }
        // window (oy, ox) -> winning cell, first maximum in row-major window order
        float[] want = new float[64];
        int[][] winners = {
                {0, 1}, {0, 3}, {0, 4}, {0, 6},
                {2, 0}, {2, 3}, {2, 4}, {2, 6},
                {5, 1}, {5, 2}, {5, 4}, {4, 6},
                {6, 0}, {7, 2}, {7, 4}, {6, 6},
        };
        for (int i = 0; i < 16; i++) {
            want[winners[i][0] * 8 + winners[i][1]] = gradOut[i];
        }
        assertArrayEquals(want, maxPoolBackward(be, g, SEED001_LAYER1, gradOut), be.name());
    }
}
