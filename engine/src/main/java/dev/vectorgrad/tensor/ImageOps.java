package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.Storage;

import java.util.Objects;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * Convolution and pooling over NCHW tensors: shape checks with messages that name the op and the
 * shapes, geometry records for the backend, dense inputs (the image kernels index from storage
 * index 0), one kernel call into a fresh output.
 */
final class ImageOps {

    private ImageOps() {
    }

    // ---------------------------------------------------------------- argument checks

    static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " needs 2 values (height, width), got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v.clone();
    }

    static void requireNchw(String op, String what, int[] shape, String expected) {
        if (shape.length != 4) {
            throw new ShapeException(op + ": " + what + " must be 4-D " + expected + ", got " + format(shape)
                    + (shape.length == 3 ? "; add a batch dimension with unsqueeze(0)" : ""));
        }
    }

    static void requireStridePadding(String op, int[] stride, int[] padding) {
        if (stride[0] <= 0 || stride[1] <= 0) {
            throw new IllegalArgumentException(op + ": stride must be > 0, got (" + stride[0] + ", " + stride[1] + ")");
        }
        if (padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException(op + ": padding must be >= 0, got (" + padding[0] + ", " + padding[1] + ")");
        }
    }

    static ConvGeometry conv(String op, int[] x, int[] w, int[] stride, int[] padding) {
        requireStridePadding(op, stride, padding);
        if (x[1] != w[1]) {
            throw new ShapeException(op + ": input " + format(x) + " has " + x[1] + " channels but weight "
                    + format(w) + " expects " + w[1]);
        }
        try {
            return new ConvGeometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], stride[0], stride[1],
                    padding[0], padding[1]);
        } catch (IllegalArgumentException e) {
            throw new ShapeException(op + ": " + e.getMessage().replaceFirst("^conv2d: ", "") + " (input " + format(x)
                    + ", weight " + format(w) + ", stride " + format(stride) + ", padding " + format(padding) + ")");
        }
    }

    static PoolGeometry pool(String op, int[] x, int[] kernel, int[] stride, int[] padding) {
        requireNchw(op, "input", x, "(N, C, H, W)");
        if (kernel[0] <= 0 || kernel[1] <= 0) {
            throw new IllegalArgumentException(op + ": kernel size must be > 0, got " + format(kernel));
        }
        requireStridePadding(op, stride, padding);
        try {
            return new PoolGeometry(x[0], x[1], x[2], x[3], kernel[0], kernel[1], stride[0], stride[1],
                    padding[0], padding[1]);
        } catch (IllegalArgumentException e) {
            throw new ShapeException(op + ": " + e.getMessage().replaceFirst("^pool2d: ", "") + " (input " + format(x)
                    + ", kernel " + format(kernel) + ", stride " + format(stride) + ", padding " + format(padding) + ")");
        }
    }

    // ---------------------------------------------------------------- forward ops

    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        Objects.requireNonNull(weight, "conv2d: weight is null");
        if (GradBridge.recording(x, weight) || (bias != null && GradBridge.recording(bias))) {
            return GradBridge.hook().conv2d(x, weight, bias, stride, padding);
        }
        stride = pair("conv2d", "stride", stride);
        padding = pair("conv2d", "padding", padding);
        int[] xs = x.layout.shape();
        int[] ws = weight.layout.shape();
        requireNchw("conv2d", "input", xs, "(N, C, H, W)");
        requireNchw("conv2d", "weight", ws, "(outChannels, inChannels, kH, kW)");
        if (bias != null && (bias.layout.rank() != 1 || bias.layout.dim(0) != ws[0])) {
            throw new ShapeException("conv2d: bias must have shape (" + ws[0] + ") to match weight " + format(ws)
                    + ", got " + format(bias.layout.shape()));
        }
        ConvGeometry g = conv("conv2d", xs, ws, stride, padding);
        Backend b = Backends.current();
        Storage out = b.allocate(g.outputSize());
        if (g.outputSize() > 0) {
            b.conv2d(g, Views.dense(x).storage, Views.dense(weight).storage,
                    bias == null ? null : Views.dense(bias).storage, out);
        }
        return Tensor.fresh(out, new int[] {g.n(), g.k(), g.outH(), g.outW()}, b);
    }

    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().maxPool2d(x, kernel, stride, padding);
        }
        PoolGeometry g = pool("maxPool2d", x.layout.shape(), pair("maxPool2d", "kernel", kernel),
                pair("maxPool2d", "stride", stride), pair("maxPool2d", "padding", padding));
        Backend b = Backends.current();
        Storage out = b.allocate(g.outputSize());
        if (g.outputSize() > 0) {
            b.maxPool2d(g, Views.dense(x).storage, out);
        }
        return Tensor.fresh(out, new int[] {g.n(), g.c(), g.outH(), g.outW()}, b);
    }

    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().avgPool2d(x, kernel, stride, padding, countIncludePad);
        }
        PoolGeometry g = pool("avgPool2d", x.layout.shape(), pair("avgPool2d", "kernel", kernel),
                pair("avgPool2d", "stride", stride), pair("avgPool2d", "padding", padding));
        Backend b = Backends.current();
        Storage out = b.allocate(g.outputSize());
        if (g.outputSize() > 0) {
            b.avgPool2d(g, countIncludePad, Views.dense(x).storage, out);
        }
        return Tensor.fresh(out, new int[] {g.n(), g.c(), g.outH(), g.outW()}, b);
    }

    static Tensor globalAvgPool2d(Tensor x) {
        requireNchw("globalAvgPool2d", "input", x.layout.shape(), "(N, C, H, W)");
        return x.mean(new int[] {2, 3}, true);
    }
}
