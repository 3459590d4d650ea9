package dev.vectorgrad.backend;

/**
 * Shapes of one 2-D cross-correlation over NCHW data: input (n, c, h, w), weight (k, c, kh, kw),
 * output (n, k, outH, outW). Validated on construction so kernels never index out of bounds.
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int kh, int kw,
                           int strideH, int strideW, int padH, int padW) {

    public ConvGeometry {
        requirePositive("batch size", n, true);
        requirePositive("input channels", c, false);
        requirePositive("input height", h, false);
        requirePositive("input width", w, false);
        requirePositive("output channels", k, false);
        requirePositive("kernel height", kh, false);
        requirePositive("kernel width", kw, false);
        requirePositive("stride", strideH, false);
        requirePositive("stride", strideW, false);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: padding must be >= 0, got (" + padH + ", " + padW + ")");
        }
        if (h + 2 * padH < kh || w + 2 * padW < kw) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " is larger than the padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW) + "; use a smaller kernel or more padding");
        }
    }

    static void requirePositive(String what, int v, boolean zeroAllowed) {
        if (v < 0 || (v == 0 && !zeroAllowed)) {
            throw new IllegalArgumentException("conv2d: " + what + " must be " + (zeroAllowed ? ">= 0" : "> 0")
                    + ", got " + v);
        }
    }

    public int outH() {
        return (h + 2 * padH - kh) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - kw) / strideW + 1;
    }

    /** Rows of the im2col matrix of one image: c*kh*kw. */
    public int colRows() {
        return c * kh * kw;
    }

    /** Columns of the im2col matrix of one image: outH*outW. */
    public int colCols() {
        return outH() * outW();
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int weightSize() {
        return k * c * kh * kw;
    }

    public int outputSize() {
        return n * k * outH() * outW();
    }

    /** Multiply-adds of the forward pass times two. */
    public long flops() {
        return 2L * n * k * outH() * outW() * c * kh * kw;
    }
}
