package dev.vectorgrad.backend;

/**
 * Shapes of one 2-D pooling over NCHW data: input (n, c, h, w), window kh x kw, output
 * (n, c, outH, outW). Padding follows PyTorch: at most half the window, and padded cells never win a
 * max (they count as zeros in an average only when {@code countIncludePad}).
 */
public record PoolGeometry(int n, int c, int h, int w, int kh, int kw,
                           int strideH, int strideW, int padH, int padW) {

    public PoolGeometry {
        if (n < 0 || c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("pool2d: input must be (N, C, H, W) with C, H, W > 0, got ("
                    + n + ", " + c + ", " + h + ", " + w + ")");
        }
        if (kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("pool2d: kernel and stride must be > 0, got kernel " + kh + "x" + kw
                    + ", stride " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0 || 2 * padH > kh || 2 * padW > kw) {
            throw new IllegalArgumentException("pool2d: padding must be between 0 and half the kernel size, got "
                    + padH + "x" + padW + " for kernel " + kh + "x" + kw);
        }
        if (h + 2 * padH < kh || w + 2 * padW < kw) {
            throw new IllegalArgumentException("pool2d: kernel " + kh + "x" + kw + " is larger than the padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW));
        }
    }

    public int outH() {
        return (h + 2 * padH - kh) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - kw) / strideW + 1;
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int outputSize() {
        return n * c * outH() * outW();
    }
}
