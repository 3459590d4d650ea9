package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.PoolGeometry;

/**
 * Fast image kernels over contiguous NCHW float32 data; {@code ScalarImage} is their specification.
 *
 * <p>Convolution, with {@code R = C*kh*kw} taps and {@code P = outH*outW} positions per image, takes one of
 * three forms:
 * <ul>
 *   <li><b>Channels in the lanes</b> (forward and weight gradient of layers whose output channels fill
 *       whole vectors, such as LeNet's 16): direct loops, a broadcast input pixel times a vector of
 *       weights or output gradients, nothing unfolded.</li>
 *   <li><b>Positions in the lanes</b> (forward and weight gradient of stride-1 layers with fewer channels
 *       than lanes, such as LeNet's first): direct loops along the rows of the zero-padded image.</li>
 *   <li><b>Lowered to GEMM</b> (everything else, and every input gradient): im2col of a chunk of images
 *       side by side, one product per chunk, then col2im. A pointwise convolution (1x1, stride 1, no
 *       padding) uses the image itself as its column matrix.</li>
 * </ul>
 * The batch (or its chunks) is split across {@link Parallel}'s threads; each thread works in its own
 * reusable scratch buffers.
 *
 * <p>Pooling is split across threads by (image, channel) plane; the non-overlapping 2x2 stride-2 window
 * (the usual max pool) has a vector kernel of its own.
 *
 * <p>This class is the entry point; the kernels live with their family: {@link ImageConvLowered} (the
 * lowered convolution, its chunking, and the dispatch to the direct forms), {@link ImageUnfold}
 * (im2col / col2im), {@link ImageConvChannels} (channels in the lanes), {@link ImageConvRows} (positions
 * in the lanes), {@link ImagePool} (max and average pooling), {@link ImagePoolIndexed} (max pooling with
 * recorded indices) and {@link ImageShared} (scratch buffers and vector helpers).
 */
final class SimdImage {
    private SimdImage() {
    }

    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset) {
        ImageUnfold.im2col(g, x, image, col, colOffset);
    }

    static void col2im(ConvGeometry g, float[] col, int colOffset, float[] dx, int image) {
        ImageUnfold.col2im(g, col, colOffset, dx, image);
    }

    static void conv2d(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        ImageConvLowered.conv2d(g, x, weight, bias, out);
    }

    static void conv2dBackwardInput(ConvGeometry g, float[] weight, float[] gradOut, float[] gradInput) {
        ImageConvLowered.conv2dBackwardInput(g, weight, gradOut, gradInput);
    }

    static void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight, float[] gradBias) {
        ImageConvLowered.conv2dBackwardWeight(g, x, gradOut, gradWeight, gradBias);
    }

    static void maxPool2d(PoolGeometry g, float[] x, float[] out) {
        ImagePool.maxPool2d(g, x, out);
    }

    static void maxPool2dBackward(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput) {
        ImagePool.maxPool2dBackward(g, x, gradOut, gradInput);
    }

    static void maxPool2dWithIndices(PoolGeometry g, float[] x, float[] out, float[] argmax) {
        ImagePoolIndexed.maxPool2dWithIndices(g, x, out, argmax);
    }

    static void maxPool2dBackwardIndices(PoolGeometry g, float[] argmax, float[] gradOut, float[] gradInput) {
        ImagePoolIndexed.maxPool2dBackwardIndices(g, argmax, gradOut, gradInput);
    }

    static void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] out) {
        ImagePool.avgPool2d(g, countIncludePad, x, out);
    }

    static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gradOut, float[] gradInput) {
        ImagePool.avgPool2dBackward(g, countIncludePad, gradOut, gradInput);
    }
}
