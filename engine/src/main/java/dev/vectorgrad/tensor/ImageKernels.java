package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.Storage;

import java.util.Arrays;
import java.util.Objects;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * The gradient kernels of convolution and pooling (what the autograd layer calls in its backward
 * passes), and the im2col / col2im unfoldings as tensors, for teaching how a convolution becomes a
 * matrix product. Everything is NCHW; inputs are made dense before the backend sees them.
 *
 * <pre>{@code
 * Tensor cols = ImageKernels.im2col(x, 5, 5, 1, 2);          // (N, C*5*5, outH*outW)
 * Tensor y = w.reshape(6, -1).matmul(cols).reshape(n, 6, outH, outW);   // == x.conv2d(w, 1, 2)
 * }</pre>
 */
public final class ImageKernels {

    private ImageKernels() {
    }

    /** Gradients of a convolution with respect to its weight and (when asked for) its bias. */
    public record ConvGrads(Tensor weight, Tensor bias) {
    }

    /**
     * A max pooling's output and, per output, the index within its (image, channel) input plane of the
     * cell it took (as floats, like {@code argmax}).
     */
    public record PoolWithIndices(Tensor output, Tensor indices) {
    }

    // ---------------------------------------------------------------- unfolding

    /** Unfolds every image into a {@code (N, C*kh*kw, outH*outW)} tensor; padded positions are zero. */
    public static Tensor im2col(Tensor x, int kh, int kw, int stride, int padding) {
        return im2col(x, kh, kw, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@link #im2col(Tensor, int, int, int, int)} with separate (height, width) stride and padding. */
    public static Tensor im2col(Tensor x, int kh, int kw, int[] stride, int[] padding) {
        Objects.requireNonNull(x, "im2col: input is null");
        int[] xs = x.layout.shape();
        ImageOps.requireNchw("im2col", "input", xs, "(N, C, H, W)");
        ConvGeometry g = ImageOps.conv("im2col", xs, new int[] {1, xs[1], kh, kw},
                ImageOps.pair("im2col", "stride", stride), ImageOps.pair("im2col", "padding", padding));
        int rows = g.colRows();
        int cols = g.colCols();
        Backend b = Backends.current();
        Storage out = b.allocate(g.n() * rows * cols);
        if (rows * cols > 0) {
            Storage src = Views.dense(x).storage;
            for (int i = 0; i < g.n(); i++) {
                b.im2col(g, src, i, out, i * rows * cols);
            }
        }
        return Tensor.fresh(out, new int[] {g.n(), rows, cols}, b);
    }

    /**
     * Folds a {@code (N, C*kh*kw, outH*outW)} tensor back into images of {@code inputShape}, adding
     * the values that land on the same pixel (the adjoint of {@link #im2col}).
     */
    public static Tensor col2im(Tensor cols, int[] inputShape, int kh, int kw, int stride, int padding) {
        return col2im(cols, inputShape, kh, kw, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@link #col2im(Tensor, int[], int, int, int, int)} with separate (height, width) stride and padding. */
    public static Tensor col2im(Tensor cols, int[] inputShape, int kh, int kw, int[] stride, int[] padding) {
        Objects.requireNonNull(cols, "col2im: cols is null");
        int[] xs = Shapes.check("col2im", inputShape);
        ImageOps.requireNchw("col2im", "inputShape", xs, "(N, C, H, W)");
        ConvGeometry g = ImageOps.conv("col2im", xs, new int[] {1, xs[1], kh, kw},
                ImageOps.pair("col2im", "stride", stride), ImageOps.pair("col2im", "padding", padding));
        int[] expected = {g.n(), g.colRows(), g.colCols()};
        requireShape("col2im", "cols", cols, expected);
        Backend b = Backends.current();
        Storage out = b.allocate(g.inputSize());
        int block = g.colRows() * g.colCols();
        if (block > 0) {
            Storage src = Views.dense(cols).storage;
            for (int i = 0; i < g.n(); i++) {
                b.col2im(g, src, i * block, out, i);
            }
        }
        return Tensor.fresh(out, xs, b);
    }

    // ---------------------------------------------------------------- convolution gradients

    /** Gradient of {@code conv2d} with respect to its input, of shape {@code inputShape}. */
    public static Tensor conv2dBackwardInput(Tensor weight, Tensor gradOut, int[] inputShape, int stride, int padding) {
        return conv2dBackwardInput(weight, gradOut, inputShape, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@link #conv2dBackwardInput(Tensor, Tensor, int[], int, int)} with (height, width) stride and padding. */
    public static Tensor conv2dBackwardInput(Tensor weight, Tensor gradOut, int[] inputShape, int[] stride, int[] padding) {
        String op = "conv2dBackwardInput";
        Objects.requireNonNull(weight, op + ": weight is null");
        Objects.requireNonNull(gradOut, op + ": gradOut is null");
        int[] xs = Shapes.check(op, inputShape);
        int[] ws = weight.layout.shape();
        ImageOps.requireNchw(op, "inputShape", xs, "(N, C, H, W)");
        ImageOps.requireNchw(op, "weight", ws, "(outChannels, inChannels, kH, kW)");
        ConvGeometry g = ImageOps.conv(op, xs, ws, ImageOps.pair(op, "stride", stride), ImageOps.pair(op, "padding", padding));
        requireShape(op, "gradOut", gradOut, new int[] {g.n(), g.k(), g.outH(), g.outW()});
        Backend b = Backends.current();
        Storage out = b.allocate(g.inputSize());
        if (g.inputSize() > 0 && g.outputSize() > 0) {
            b.conv2dBackwardInput(g, Views.dense(weight).storage, Views.dense(gradOut).storage, out);
        }
        return Tensor.fresh(out, xs, b);
    }

    /** Gradients of {@code conv2d} with respect to its weight (shape {@code weightShape}) and bias. */
    public static ConvGrads conv2dBackwardWeight(Tensor input, Tensor gradOut, int[] weightShape, int stride,
                                                 int padding, boolean withBias) {
        return conv2dBackwardWeight(input, gradOut, weightShape, new int[] {stride, stride},
                new int[] {padding, padding}, withBias);
    }

    /** {@link #conv2dBackwardWeight(Tensor, Tensor, int[], int, int, boolean)} with (height, width) stride and padding. */
    public static ConvGrads conv2dBackwardWeight(Tensor input, Tensor gradOut, int[] weightShape, int[] stride,
                                                 int[] padding, boolean withBias) {
        String op = "conv2dBackwardWeight";
        Objects.requireNonNull(input, op + ": input is null");
        Objects.requireNonNull(gradOut, op + ": gradOut is null");
        int[] xs = input.layout.shape();
        int[] ws = Shapes.check(op, weightShape);
        ImageOps.requireNchw(op, "input", xs, "(N, C, H, W)");
        ImageOps.requireNchw(op, "weightShape", ws, "(outChannels, inChannels, kH, kW)");
        ConvGeometry g = ImageOps.conv(op, xs, ws, ImageOps.pair(op, "stride", stride), ImageOps.pair(op, "padding", padding));
        requireShape(op, "gradOut", gradOut, new int[] {g.n(), g.k(), g.outH(), g.outW()});
        Backend b = Backends.current();
        Storage gw = b.allocate(g.weightSize());
        Storage gb = withBias ? b.allocate(g.k()) : null;
        if (g.outputSize() > 0) {
            b.conv2dBackwardWeight(g, Views.dense(input).storage, Views.dense(gradOut).storage, gw, gb);
        }
        return new ConvGrads(Tensor.fresh(gw, ws, b), gb == null ? null : Tensor.fresh(gb, new int[] {g.k()}, b));
    }

    // ---------------------------------------------------------------- pooling gradients

    /** Gradient of {@code maxPool2d} with respect to its input (each window's first maximum gets it). */
    public static Tensor maxPool2dBackward(Tensor input, Tensor gradOut, int kernel, int stride, int padding) {
        return maxPool2dBackward(input, gradOut, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding});
    }

    /** {@link #maxPool2dBackward(Tensor, Tensor, int, int, int)} with (height, width) kernel, stride and padding. */
    public static Tensor maxPool2dBackward(Tensor input, Tensor gradOut, int[] kernel, int[] stride, int[] padding) {
        String op = "maxPool2dBackward";
        Objects.requireNonNull(input, op + ": input is null");
        Objects.requireNonNull(gradOut, op + ": gradOut is null");
        PoolGeometry g = ImageOps.pool(op, input.layout.shape(), ImageOps.pair(op, "kernel", kernel),
                ImageOps.pair(op, "stride", stride), ImageOps.pair(op, "padding", padding));
        requireShape(op, "gradOut", gradOut, new int[] {g.n(), g.c(), g.outH(), g.outW()});
        Backend b = Backends.current();
        Storage out = b.allocate(g.inputSize());
        if (g.outputSize() > 0) {
            b.maxPool2dBackward(g, Views.dense(input).storage, Views.dense(gradOut).storage, out);
        }
        return Tensor.fresh(out, input.layout.shape(), b);
    }

    /**
     * {@code maxPool2d} that also records where each maximum came from, or null when the current backend
     * does not record indices ({@code Backend#recordsPoolIndices}) or a plane has more than 2^24 cells
     * (float indices would round). The winners follow {@link #maxPool2dBackward}'s rule.
     */
    public static PoolWithIndices maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding) {
        String op = "maxPool2dWithIndices";
        Objects.requireNonNull(x, op + ": input is null");
        PoolGeometry g = ImageOps.pool(op, x.layout.shape(), ImageOps.pair(op, "kernel", kernel),
                ImageOps.pair(op, "stride", stride), ImageOps.pair(op, "padding", padding));
        Backend b = Backends.current();
        if (!b.recordsPoolIndices() || (long) g.h() * g.w() > 1 << 24) {
            return null;
        }
        Storage out = b.allocate(g.outputSize());
        Storage idx = b.allocate(g.outputSize());
        if (g.outputSize() > 0) {
            b.maxPool2dWithIndices(g, Views.dense(x).storage, out, idx);
        }
        int[] shape = {g.n(), g.c(), g.outH(), g.outW()};
        return new PoolWithIndices(Tensor.fresh(out, shape, b), Tensor.fresh(idx, shape.clone(), b));
    }

    /**
     * Gradient of {@code maxPool2d} with respect to its input (of shape {@code inputShape}) from the indices
     * {@link #maxPool2dWithIndices} recorded; the current backend must record indices.
     */
    public static Tensor maxPool2dBackwardIndices(Tensor indices, Tensor gradOut, int[] inputShape, int[] kernel,
                                                  int[] stride, int[] padding) {
        String op = "maxPool2dBackwardIndices";
        Objects.requireNonNull(indices, op + ": indices is null");
        Objects.requireNonNull(gradOut, op + ": gradOut is null");
        int[] xs = Shapes.check(op, inputShape);
        PoolGeometry g = ImageOps.pool(op, xs, ImageOps.pair(op, "kernel", kernel),
                ImageOps.pair(op, "stride", stride), ImageOps.pair(op, "padding", padding));
        int[] outShape = {g.n(), g.c(), g.outH(), g.outW()};
        requireShape(op, "gradOut", gradOut, outShape);
        requireShape(op, "indices", indices, outShape);
        Backend b = Backends.current();
        Storage out = b.allocate(g.inputSize()); // zeroed: the kernel adds into it
        if (g.outputSize() > 0) {
            b.maxPool2dBackwardIndices(g, Views.dense(indices).storage, Views.dense(gradOut).storage, out);
        }
        return Tensor.fresh(out, xs, b);
    }

    /** Gradient of {@code avgPool2d} with respect to its input, of shape {@code inputShape}. */
    public static Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, int kernel, int stride, int padding,
                                           boolean countIncludePad) {
        return avgPool2dBackward(gradOut, inputShape, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}, countIncludePad);
    }

    /** {@link #avgPool2dBackward(Tensor, int[], int, int, int, boolean)} with (height, width) kernel, stride and padding. */
    public static Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, int[] kernel, int[] stride,
                                           int[] padding, boolean countIncludePad) {
        String op = "avgPool2dBackward";
        Objects.requireNonNull(gradOut, op + ": gradOut is null");
        int[] xs = Shapes.check(op, inputShape);
        PoolGeometry g = ImageOps.pool(op, xs, ImageOps.pair(op, "kernel", kernel),
                ImageOps.pair(op, "stride", stride), ImageOps.pair(op, "padding", padding));
        requireShape(op, "gradOut", gradOut, new int[] {g.n(), g.c(), g.outH(), g.outW()});
        Backend b = Backends.current();
        Storage out = b.allocate(g.inputSize());
        if (g.outputSize() > 0) {
            b.avgPool2dBackward(g, countIncludePad, Views.dense(gradOut).storage, out);
        }
        return Tensor.fresh(out, xs, b);
    }

    private static void requireShape(String op, String what, Tensor t, int[] expected) {
        if (!Arrays.equals(t.layout.shape(), expected)) {
            throw new ShapeException(op + ": " + what + " has shape " + format(t.layout.shape()) + " but "
                    + format(expected) + " is needed for this geometry");
        }
    }
}
