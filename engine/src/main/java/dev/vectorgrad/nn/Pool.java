package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;

/** Shape rules shared by the pooling layers (PyTorch's, floor mode). */
final class Pool {

    private Pool() {
    }

    static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " needs 2 values (height, width), got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v.clone();
    }

    static void check(String op, int[] kernel, int[] stride, int[] padding) {
        if (kernel[0] <= 0 || kernel[1] <= 0 || stride[0] <= 0 || stride[1] <= 0) {
            throw new IllegalArgumentException(op + ": kernel and stride must be > 0, got kernel "
                    + Module.pair(kernel) + ", stride " + Module.pair(stride));
        }
        if (padding[0] < 0 || padding[1] < 0 || 2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
            throw new IllegalArgumentException(op + ": padding must be between 0 and half the kernel size, got padding "
                    + Module.pair(padding) + " for kernel " + Module.pair(kernel));
        }
    }

    static int[] outputShape(Module m, int[] in, int[] kernel, int[] stride, int[] padding) {
        if (in.length != 4) {
            throw new ShapeException(m + ": input must be 4-D (N, C, H, W), got " + Shapes.format(in)
                    + (in.length == 3 ? "; add a batch dimension with unsqueeze(0)" : ""));
        }
        if (in[2] + 2 * padding[0] < kernel[0] || in[3] + 2 * padding[1] < kernel[1]) {
            throw new ShapeException(m + ": kernel " + Module.pair(kernel) + " is larger than the padded input "
                    + (in[2] + 2 * padding[0]) + "x" + (in[3] + 2 * padding[1]) + " (input " + Shapes.format(in) + ")");
        }
        return new int[] {in[0], in[1], (in[2] + 2 * padding[0] - kernel[0]) / stride[0] + 1,
                (in[3] + 2 * padding[1] - kernel[1]) / stride[1] + 1};
    }

    /** {@code 2} for a square pair, {@code (2, 3)} otherwise, as PyTorch prints pooling sizes. */
    static String size(int[] v) {
        return v[0] == v[1] ? String.valueOf(v[0]) : Module.pair(v);
    }

    static String repr(int[] kernel, int[] stride, int[] padding) {
        return "kernel_size=" + size(kernel) + ", stride=" + size(stride) + ", padding=" + size(padding);
    }
}
