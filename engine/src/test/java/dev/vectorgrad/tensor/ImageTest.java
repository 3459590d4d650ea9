package dev.vectorgrad.tensor;

import org.junit.jupiter.api.Test;

import static dev.vectorgrad.tensor.Checks.assertClose;
import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.assertValues;
import static dev.vectorgrad.tensor.Checks.iota;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageTest {

    /** [[1,2,3],[4,5,6],[7,8,9]] as (1,1,3,3). */
    private static Tensor nine() {
        return Tensor.arange(1, 10).reshape(1, 1, 3, 3);
    }

    private static double inner(Tensor a, Tensor b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    @Test
    void conv2dHandComputed() {
        Tensor w = Tensor.of(new float[][] {{1, 0}, {0, -1}}).reshape(1, 1, 2, 2);
        assertTensor(nine().conv2d(w), shape(1, 1, 2, 2), -4, -4, -4, -4);
        assertTensor(nine().conv2d(w, Tensor.of(0.5f), 1, 0), shape(1, 1, 2, 2), -3.5f, -3.5f, -3.5f, -3.5f);
        Tensor ones = Tensor.ones(1, 1, 2, 2);
        assertTensor(nine().conv2d(ones, 1, 1), shape(1, 1, 4, 4),
                1, 3, 5, 3,
                5, 12, 16, 9,
                11, 24, 28, 15,
                7, 15, 17, 9);
        assertTensor(iota(1, 1, 4, 4).conv2d(ones, 2, 0), shape(1, 1, 2, 2), 10, 18, 42, 50);
        // Separate (h, w) stride and padding.
        assertTensor(iota(1, 1, 4, 4).conv2d(ones, null, new int[] {2, 1}, new int[] {0, 0}), shape(1, 1, 2, 3),
                10, 14, 18, 42, 46, 50);
    }

    @Test
    void conv2dMixesChannels() {
        // x: 2 channels of 2x2; w: 3 output channels of 1x1 kernels.
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Tensor w = Tensor.fromArray(new float[] {1, 0, 0, 1, 1, -1}, 3, 2, 1, 1);
        Tensor b = Tensor.of(0, 0, 100);
        assertTensor(x.conv2d(w, b, 1, 0), shape(1, 3, 2, 2),
                1, 2, 3, 4,
                10, 20, 30, 40,
                91, 82, 73, 64);
    }

    @Test
    void conv2dEqualsIm2colTimesWeights() {
        Rng rng = new Rng(31);
        Tensor x = Tensor.randn(rng, 2, 3, 6, 5);
        Tensor w = Tensor.randn(rng, 4, 3, 3, 3);
        Tensor bias = Tensor.randn(rng, 4);
        Tensor y = x.conv2d(w, bias, 2, 1);
        assertShape(y, 2, 4, 3, 3);
        Tensor cols = ImageKernels.im2col(x, 3, 3, 2, 1); // (2, 27, 9)
        assertShape(cols, 2, 27, 9);
        Tensor viaGemm = w.reshape(4, -1).matmul(cols).add(bias.reshape(4, 1)).reshape(2, 4, 3, 3);
        assertArrayEquals(viaGemm.toArray(), y.toArray(), 1e-4f);
        // Non-contiguous inputs are accepted.
        Tensor xt = x.transpose(2, 3).contiguous().transpose(2, 3);
        assertArrayEquals(y.toArray(), xt.conv2d(w, bias, 2, 1).toArray(), 1e-5f);
    }

    @Test
    void im2colAndCol2im() {
        Tensor cols = ImageKernels.im2col(nine(), 2, 2, 1, 0);
        assertTensor(cols, shape(1, 4, 4),
                1, 2, 4, 5,
                2, 3, 5, 6,
                4, 5, 7, 8,
                5, 6, 8, 9);
        Tensor back = ImageKernels.col2im(Tensor.onesLike(cols), new int[] {1, 1, 3, 3}, 2, 2, 1, 0);
        assertTensor(back, shape(1, 1, 3, 3), 1, 2, 1, 2, 4, 2, 1, 2, 1);
        assertMessage(ShapeException.class, "col2im: cols has shape (1,4,3) but (1,4,4) is needed for this geometry",
                () -> ImageKernels.col2im(Tensor.zeros(1, 4, 3), new int[] {1, 1, 3, 3}, 2, 2, 1, 0));
    }

    @Test
    void convolutionGradients() {
        Tensor ones = Tensor.ones(1, 1, 2, 2);
        Tensor g = Tensor.ones(1, 1, 2, 2);
        assertTensor(ImageKernels.conv2dBackwardInput(ones, g, new int[] {1, 1, 3, 3}, 1, 0), shape(1, 1, 3, 3),
                1, 2, 1, 2, 4, 2, 1, 2, 1);
        ImageKernels.ConvGrads grads = ImageKernels.conv2dBackwardWeight(nine(), g, new int[] {1, 1, 2, 2}, 1, 0, true);
        assertTensor(grads.weight(), shape(1, 1, 2, 2), 12, 16, 24, 28);
        assertTensor(grads.bias(), shape(1), 4);
        assertNull(ImageKernels.conv2dBackwardWeight(nine(), g, new int[] {1, 1, 2, 2}, 1, 0, false).bias());

        // Adjoint identities on random data: <conv(x,w), g> = <x, dX(w,g)> = <w, dW(x,g)>.
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 2, 3, 7, 6);
        Tensor w = Tensor.randn(rng, 4, 3, 3, 2);
        Tensor y = x.conv2d(w, null, new int[] {2, 1}, new int[] {1, 0});
        Tensor go = Tensor.randn(rng, y.shape());
        double lhs = inner(y, go);
        Tensor dx = ImageKernels.conv2dBackwardInput(w, go, x.shape(), new int[] {2, 1}, new int[] {1, 0});
        ImageKernels.ConvGrads dw = ImageKernels.conv2dBackwardWeight(x, go, w.shape(), new int[] {2, 1},
                new int[] {1, 0}, true);
        assertEquals(lhs, inner(x, dx), 1e-3 * Math.max(1, Math.abs(lhs)));
        assertEquals(lhs, inner(w, dw.weight()), 1e-3 * Math.max(1, Math.abs(lhs)));
        assertArrayEquals(go.sum(new int[] {0, 2, 3}, false).toArray(), dw.bias().toArray(), 1e-4f);
    }

    @Test
    void pooling() {
        Tensor x = iota(1, 1, 4, 4);
        assertTensor(x.maxPool2d(2), shape(1, 1, 2, 2), 5, 7, 13, 15);
        assertTensor(x.avgPool2d(2), shape(1, 1, 2, 2), 2.5f, 4.5f, 10.5f, 12.5f);
        assertTensor(x.maxPool2d(3, 1, 0), shape(1, 1, 2, 2), 10, 11, 14, 15);
        assertTensor(x.maxPool2d(new int[] {1, 4}, new int[] {1, 4}, new int[] {0, 0}), shape(1, 1, 4, 1), 3, 7, 11, 15);
        Tensor ones = Tensor.ones(1, 1, 3, 3);
        assertClose(ones.avgPool2d(3, 1, 1), 1e-6f, 4f / 9, 6f / 9, 4f / 9, 6f / 9, 1, 6f / 9, 4f / 9, 6f / 9, 4f / 9);
        assertClose(ones.avgPool2d(3, 1, 1, false), 1e-6f, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        // Padded cells never win a max, even over negative values.
        assertTensor(x.neg().sub(1).maxPool2d(2, 2, 1), shape(1, 1, 3, 3), -1, -2, -4, -5, -6, -8, -13, -14, -16);
        Tensor two = iota(2, 3, 2, 2);
        assertTensor(two.globalAvgPool2d(), shape(2, 3, 1, 1), 1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f);
    }

    @Test
    void poolingGradients() {
        Tensor x = iota(1, 1, 4, 4);
        assertTensor(ImageKernels.maxPool2dBackward(x, Tensor.of(1, 2, 3, 4).reshape(1, 1, 2, 2), 2, 2, 0),
                shape(1, 1, 4, 4),
                0, 0, 0, 0,
                0, 1, 0, 2,
                0, 0, 0, 0,
                0, 3, 0, 4);
        // Ties: the first maximum of the window gets the gradient.
        assertTensor(ImageKernels.maxPool2dBackward(Tensor.ones(1, 1, 2, 2), Tensor.ones(1, 1, 1, 1), 2, 2, 0),
                shape(1, 1, 2, 2), 1, 0, 0, 0);
        assertTensor(ImageKernels.avgPool2dBackward(Tensor.ones(1, 1, 1, 1), new int[] {1, 1, 2, 2}, 2, 2, 0, true),
                shape(1, 1, 2, 2), 0.25f, 0.25f, 0.25f, 0.25f);
        // Without padded cells in the divisor: corner windows hold 1 cell, edge windows 2, the centre 4.
        assertValues(ImageKernels.avgPool2dBackward(Tensor.ones(1, 1, 3, 3), new int[] {1, 1, 2, 2}, 2, 1, 1, false),
                2.25f, 2.25f, 2.25f, 2.25f);
    }

    @Test
    void imageErrorsNameOpAndShapes() {
        Tensor w = Tensor.zeros(6, 1, 5, 5);
        assertMessage(ShapeException.class,
                "conv2d: input must be 4-D (N, C, H, W), got (1,28,28); add a batch dimension with unsqueeze(0)",
                () -> Tensor.zeros(1, 28, 28).conv2d(w));
        assertMessage(ShapeException.class, "conv2d: input (1,3,28,28) has 3 channels but weight (6,1,5,5) expects 1",
                () -> Tensor.zeros(1, 3, 28, 28).conv2d(w));
        assertMessage(ShapeException.class, "conv2d: bias must have shape (6) to match weight (6,1,5,5), got (5)",
                () -> Tensor.zeros(1, 1, 28, 28).conv2d(w, Tensor.zeros(5), 1, 0));
        ShapeException big = assertThrows(ShapeException.class, () -> Tensor.zeros(1, 1, 4, 4).conv2d(w));
        assertTrue(big.getMessage().startsWith("conv2d: "), big.getMessage());
        assertTrue(big.getMessage().endsWith(" (input (1,1,4,4), weight (6,1,5,5), stride (1,1), padding (0,0))"),
                big.getMessage());
        assertMessage(IllegalArgumentException.class, "conv2d: stride must be > 0, got (0, 0)",
                () -> Tensor.zeros(1, 1, 8, 8).conv2d(w, 0, 0));
        assertMessage(IllegalArgumentException.class, "conv2d: stride needs 2 values (height, width), got [1]",
                () -> Tensor.zeros(1, 1, 8, 8).conv2d(w, null, new int[] {1}, new int[] {0, 0}));
        assertMessage(ShapeException.class, "maxPool2d: input must be 4-D (N, C, H, W), got (4,4)",
                () -> Tensor.zeros(4, 4).maxPool2d(2));
        assertThrows(ShapeException.class, () -> Tensor.zeros(1, 1, 4, 4).maxPool2d(2, 2, 2));
        assertThrows(ShapeException.class, () -> Tensor.zeros(1, 1, 2, 2).avgPool2d(3));
        assertMessage(ShapeException.class,
                "conv2dBackwardInput: gradOut has shape (1,6,5,5) but (1,6,24,24) is needed for this geometry",
                () -> ImageKernels.conv2dBackwardInput(w, Tensor.zeros(1, 6, 5, 5), new int[] {1, 1, 28, 28}, 1, 0));
    }
}
