package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.ImageConvChannels.channelsInLanes;
import static dev.vectorgrad.backend.simd.ImageConvChannels.conv2dDirect;
import static dev.vectorgrad.backend.simd.ImageConvChannels.conv2dDirectBackwardWeight;
import static dev.vectorgrad.backend.simd.ImageConvRows.conv2dRows;
import static dev.vectorgrad.backend.simd.ImageConvRows.conv2dRowsBackwardWeight;
import static dev.vectorgrad.backend.simd.ImageConvRows.positionsInLanes;
import static dev.vectorgrad.backend.simd.ImageShared.L;
import static dev.vectorgrad.backend.simd.ImageShared.S;
import static dev.vectorgrad.backend.simd.ImageShared.SLOT_COL;
import static dev.vectorgrad.backend.simd.ImageShared.SLOT_MAT;
import static dev.vectorgrad.backend.simd.ImageShared.addInto;
import static dev.vectorgrad.backend.simd.ImageShared.scratch;
import static dev.vectorgrad.backend.simd.ImageUnfold.col2im;
import static dev.vectorgrad.backend.simd.ImageUnfold.col2imRows;
import static dev.vectorgrad.backend.simd.ImageUnfold.im2col;

import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

/**
 * Convolution lowered to GEMM: im2col of a chunk of images side by side, one product per chunk, then
 * col2im (a pointwise convolution uses the image itself as its column matrix). The chunks are the unit
 * split across threads. Its three entry points first hand the layers the direct kernels serve to
 * {@link ImageConvChannels} or {@link ImageConvRows}; every input gradient is lowered. Also holds
 * {@link #dotRows}, the weight gradient's product of long rows.
 */
final class ImageConvLowered {
    private ImageConvLowered() {
    }

    // ---------------------------------------------------------------- convolution

    /*
     * A convolution is lowered to GEMM a chunk of images at a time. With R = C*kh*kw, P = outH*outW and a
     * chunk of B images, the column matrix of the chunk is R x (B*P): each image's im2col block side by
     * side. Then
     *   forward:          Y (K x B*P) = W (K x R) * col                 -> scattered to (n, K, P) + bias
     *   input gradient:   dcol (R x B*P) = W^T * G, G (K x B*P) the output gradient gathered alike -> col2im
     *   weight gradient:  dW (K x R) += G * col^T                      (dot products of long rows)
     * One product over a whole chunk instead of one per image: LeNet's per-image products (16 x 100 x 150)
     * are too small for the packed GEMM to amortise its packing and edge tiles. Chunks are bounded by
     * Thresholds.IMAGE_CHUNK_FLOATS so their matrices stay in the per-core L2, and are the unit split
     * across threads (each thread with its own scratch).
     */

    /** 1x1, stride 1, no padding: the image (C x H*W) is its own im2col matrix. */
    private static boolean pointwise(ConvGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /**
     * Whether to split the batch across threads. A batch smaller than the thread count whose per-image
     * GEMM is large enough to be split by the GEMM itself is better served image by image.
     */
    static boolean splitBatch(ConvGeometry g) {
        long perImage = (long) g.k() * g.colRows() * g.colCols();
        return g.n() >= Parallel.threads() || perImage < Thresholds.PARALLEL_GEMM_FLOPS;
    }

    static long convWork(ConvGeometry g) {
        return g.flops() / 2;
    }

    /**
     * Images per chunk: as many as keep the chunk's column matrix (or its K x B*P matrix, if larger)
     * within {@link Thresholds#IMAGE_CHUNK_FLOATS}, and no more than a thread's share of the batch when
     * the batch is split across threads.
     */
    private static int chunkImages(ConvGeometry g, boolean split) {
        long perImage = (long) Math.max(g.colRows(), g.k()) * g.colCols();
        long byMemory = Math.max(1, Thresholds.IMAGE_CHUNK_FLOATS / Math.max(1, perImage));
        int threads = split ? Math.max(1, Parallel.threads()) : 1;
        int share = (g.n() + threads - 1) / threads;
        return (int) Math.max(1, Math.min(byMemory, share));
    }

    /** Runs {@code body(n0, count)} over the batch in chunks of {@code chunk} images, split across threads. */
    private static void forChunks(ConvGeometry g, int chunk, long work, ChunkBody body) {
        int chunks = (g.n() + chunk - 1) / chunk;
        Parallel.forRange(chunks, work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int q = from; q < to; q++) {
                int n0 = q * chunk;
                body.run(n0, Math.min(chunk, g.n() - n0), from);
            }
        });
    }

    @FunctionalInterface
    private interface ChunkBody {
        /** Images {@code n0 .. n0+count-1}; {@code part} is the first chunk index of the calling thread's share. */
        void run(int n0, int count, int part);
    }

    /** The column matrix (R x count*P) of images {@code n0 .. n0+count-1}, in slot {@link ImageShared#SLOT_COL}. */
    private static float[] unfoldChunk(ConvGeometry g, float[] x, int n0, int count) {
        int p = g.colCols();
        int cols = count * p;
        float[] col = scratch(SLOT_COL, g.colRows() * cols);
        for (int i = 0; i < count; i++) {
            im2col(g, x, n0 + i, col, i * p, cols);
        }
        return col;
    }

    /** The output gradient of images {@code n0 ..} as a K x count*P matrix (image blocks side by side). */
    private static float[] gatherChunk(ConvGeometry g, float[] gradOut, int n0, int count) {
        int k = g.k();
        int p = g.colCols();
        int cols = count * p;
        float[] mat = scratch(SLOT_MAT, k * cols);
        for (int i = 0; i < count; i++) {
            for (int kk = 0; kk < k; kk++) {
                System.arraycopy(gradOut, ((n0 + i) * k + kk) * p, mat, kk * cols + i * p, p);
            }
        }
        return mat;
    }

    static void conv2d(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        if (channelsInLanes(g)) {
            conv2dDirect(g, x, weight, bias, out);
            return;
        }
        if (positionsInLanes(g)) {
            conv2dRows(g, x, weight, bias, out);
            return;
        }
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        boolean split = splitBatch(g);
        long work = split ? convWork(g) : 0;
        if (pointwise(g)) {
            int inImage = g.c() * g.h() * g.w();
            Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
                for (int n = from; n < to; n++) {
                    int o = n * k * p;
                    SimdGemm.gemm(false, false, k, p, r, 1f, weight, 0, r, x, n * inImage, p, 0f, out, o, p);
                    addBias(out, o, k, p, bias);
                }
            });
            return;
        }
        forChunks(g, chunkImages(g, split), work, (n0, count, part) -> {
            int cols = count * p;
            float[] col = unfoldChunk(g, x, n0, count);
            float[] y = scratch(SLOT_MAT, k * cols);
            SimdGemm.gemm(false, false, k, cols, r, 1f, weight, 0, r, col, 0, cols, 0f, y, 0, cols);
            for (int i = 0; i < count; i++) {
                int o = (n0 + i) * k * p;
                for (int kk = 0; kk < k; kk++) {
                    System.arraycopy(y, kk * cols + i * p, out, o + kk * p, p);
                }
                addBias(out, o, k, p, bias);
            }
        });
    }

    /** Adds {@code bias[kk]} to each of the {@code k} rows of {@code p} floats at {@code out[o..]}. */
    private static void addBias(float[] out, int o, int k, int p, float[] bias) {
        if (bias == null) {
            return;
        }
        for (int kk = 0; kk < k; kk++) {
            float b = bias[kk];
            int row = o + kk * p;
            for (int q = 0; q < p; q++) {
                out[row + q] += b;
            }
        }
    }

    static void conv2dBackwardInput(ConvGeometry g, float[] weight, float[] gradOut, float[] gradInput) {
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int inImage = g.c() * g.h() * g.w();
        boolean split = splitBatch(g);
        long work = split ? convWork(g) : 0;
        if (pointwise(g)) {
            Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
                for (int n = from; n < to; n++) {
                    SimdGemm.gemm(true, false, r, p, k, 1f, weight, 0, r, gradOut, n * k * p, p, 0f,
                            gradInput, n * inImage, p);
                }
            });
            return;
        }
        forChunks(g, chunkImages(g, split), work, (n0, count, part) -> {
            int cols = count * p;
            float[] gm = gatherChunk(g, gradOut, n0, count);
            float[] dcol = scratch(SLOT_COL, r * cols);
            SimdGemm.gemm(true, false, r, cols, k, 1f, weight, 0, r, gm, 0, cols, 0f, dcol, 0, cols);
            for (int i = 0; i < count; i++) {
                if (g.strideH() == 1 && g.strideW() == 1 && g.w() <= L) {
                    col2imRows(g, dcol, i * p, cols, gradInput, n0 + i, true);
                } else {
                    Arrays.fill(gradInput, (n0 + i) * inImage, (n0 + i + 1) * inImage, 0f);
                    col2im(g, dcol, i * p, cols, gradInput, n0 + i);
                }
            }
        });
    }

    static void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight, float[] gradBias) {
        int batch = g.n();
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        if (batch == 0) {
            Arrays.fill(gradWeight, 0, k * r, 0f);
            if (gradBias != null) {
                Arrays.fill(gradBias, 0, k, 0f);
            }
            return;
        }
        if (channelsInLanes(g)) {
            conv2dDirectBackwardWeight(g, x, gradOut, gradWeight, gradBias);
            return;
        }
        if (positionsInLanes(g)) {
            conv2dRowsBackwardWeight(g, x, gradOut, gradWeight, gradBias);
            return;
        }
        boolean dot = k * r <= Thresholds.IMAGE_WGRAD_DOT_OUTPUTS;
        boolean split = splitBatch(g);
        long work = split ? convWork(g) : 0;
        int chunk = chunkImages(g, split);
        int chunks = (batch + chunk - 1) / chunk;
        // Each thread sums its share of the chunks into its own buffers (the first share straight into the
        // outputs); the partial sums are then added in share order, so the result does not depend on timing.
        float[][] partialW = new float[chunks][];
        float[][] partialB = new float[chunks][];
        forChunks(g, chunk, work, (n0, count, part) -> {
            boolean first = n0 == part * chunk;
            float[] gw = part == 0 ? gradWeight : first ? new float[k * r] : partialW[part];
            float[] gb = gradBias == null ? null : part == 0 ? gradBias : first ? new float[k] : partialB[part];
            int cols = count * p;
            float[] gm = gatherChunk(g, gradOut, n0, count);
            float[] col = unfoldChunk(g, x, n0, count);
            if (dot) {
                dotRows(k, r, cols, gm, 0, col, 0, gw, !first);
            } else {
                SimdGemm.gemm(false, true, k, r, cols, 1f, gm, 0, cols, col, 0, cols, first ? 0f : 1f, gw, 0, r);
            }
            if (gb != null) {
                for (int kk = 0; kk < k; kk++) {
                    float s = sum(gm, kk * cols, cols);
                    gb[kk] = first ? s : gb[kk] + s;
                }
            }
            if (part != 0) {
                partialW[part] = gw;
                partialB[part] = gb;
            }
        });
        for (int s = 1; s < chunks; s++) {
            if (partialW[s] != null) {
                addInto(partialW[s], 0, gradWeight, 0, k * r);
                if (gradBias != null) {
                    addInto(partialB[s], 0, gradBias, 0, k);
                }
            }
        }
    }

    /**
     * {@code c[i*n + j] (+)= dot(a row i, b row j)} for row-major {@code a} (m x len) and {@code b}
     * (n x len): a convolution's weight gradient {@code G * col^T}, whose inner dimension (positions times
     * images) is long and whose output is small. Both operands are read along their rows, in blocks of
     * 4 x 4 dot products (16 accumulators, 8 loads per 16 FMAs).
     */
    static void dotRows(int m, int n, int len, float[] a, int aOff, float[] b, int bOff, float[] c, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dot4x4(len, a, aOff + i * len, b, bOff + j * len, c, i * n + j, n, accumulate);
            }
            for (; j < n; j++) {
                for (int ii = i; ii < i + 4; ii++) {
                    store(c, ii * n + j, dot(a, aOff + ii * len, b, bOff + j * len, len), accumulate);
                }
            }
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dot1x4(len, a, aOff + i * len, b, bOff + j * len, c, i * n + j, accumulate);
            }
            for (; j < n; j++) {
                store(c, i * n + j, dot(a, aOff + i * len, b, bOff + j * len, len), accumulate);
            }
        }
    }

    /** Rows a0..a0+3 (pitch len) against rows b0..b0+3 into c[ci + row*ldc + col]. */
    private static void dot4x4(int len, float[] a, int a0, float[] b, int b0, float[] c, int ci, int ldc,
                               boolean accumulate) {
        int a1 = a0 + len;
        int a2 = a1 + len;
        int a3 = a2 + len;
        int b1 = b0 + len;
        int b2 = b1 + len;
        int b3 = b2 + len;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int q = 0;
        for (; q < bound; q += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + q);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + q);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + q);
            FloatVector x3 = FloatVector.fromArray(S, a, a3 + q);
            FloatVector y = FloatVector.fromArray(S, b, b0 + q);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(S, b, b1 + q);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(S, b, b2 + q);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(S, b, b3 + q);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
            s33 = x3.fma(y, s33);
        }
        float[] t = {
                s00.reduceLanes(VectorOperators.ADD), s01.reduceLanes(VectorOperators.ADD),
                s02.reduceLanes(VectorOperators.ADD), s03.reduceLanes(VectorOperators.ADD),
                s10.reduceLanes(VectorOperators.ADD), s11.reduceLanes(VectorOperators.ADD),
                s12.reduceLanes(VectorOperators.ADD), s13.reduceLanes(VectorOperators.ADD),
                s20.reduceLanes(VectorOperators.ADD), s21.reduceLanes(VectorOperators.ADD),
                s22.reduceLanes(VectorOperators.ADD), s23.reduceLanes(VectorOperators.ADD),
                s30.reduceLanes(VectorOperators.ADD), s31.reduceLanes(VectorOperators.ADD),
                s32.reduceLanes(VectorOperators.ADD), s33.reduceLanes(VectorOperators.ADD)};
        int[] rows = {a0, a1, a2, a3};
        int[] cols = {b0, b1, b2, b3};
        for (int ii = 0; ii < 4; ii++) {
            for (int jj = 0; jj < 4; jj++) {
                float v = t[ii * 4 + jj];
                for (int qq = q; qq < len; qq++) {
                    v += a[rows[ii] + qq] * b[cols[jj] + qq];
                }
                store(c, ci + ii * ldc + jj, v, accumulate);
            }
        }
    }

    /** Row a0 against rows b0..b0+3 (pitch len) into c[ci .. ci+3]. */
    private static void dot1x4(int len, float[] a, int a0, float[] b, int b0, float[] c, int ci, boolean accumulate) {
        int b1 = b0 + len;
        int b2 = b1 + len;
        int b3 = b2 + len;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int q = 0;
        for (; q < bound; q += L) {
            FloatVector x = FloatVector.fromArray(S, a, a0 + q);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + q), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + q), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + q), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + q), s3);
        }
        float t0 = s0.reduceLanes(VectorOperators.ADD);
        float t1 = s1.reduceLanes(VectorOperators.ADD);
        float t2 = s2.reduceLanes(VectorOperators.ADD);
        float t3 = s3.reduceLanes(VectorOperators.ADD);
        for (; q < len; q++) {
            float x = a[a0 + q];
            t0 += x * b[b0 + q];
            t1 += x * b[b1 + q];
            t2 += x * b[b2 + q];
            t3 += x * b[b3 + q];
        }
        store(c, ci, t0, accumulate);
        store(c, ci + 1, t1, accumulate);
        store(c, ci + 2, t2, accumulate);
        store(c, ci + 3, t3, accumulate);
    }

    private static void store(float[] c, int idx, float v, boolean accumulate) {
        c[idx] = accumulate ? c[idx] + v : v;
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        int bound = S.loopBound(len);
        FloatVector acc = FloatVector.zero(S);
        int q = 0;
        for (; q < bound; q += L) {
            acc = FloatVector.fromArray(S, a, aOff + q).fma(FloatVector.fromArray(S, b, bOff + q), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; q < len; q++) {
            s += a[aOff + q] * b[bOff + q];
        }
        return s;
    }

    private static float sum(float[] a, int off, int len) {
        int bound = S.loopBound(len);
        FloatVector acc = FloatVector.zero(S);
        int q = 0;
        for (; q < bound; q += L) {
            acc = acc.add(FloatVector.fromArray(S, a, off + q));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; q < len; q++) {
            s += a[off + q];
        }
        return s;
    }
}
