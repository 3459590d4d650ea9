package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

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
 */
final class SimdImage {
    private static final VectorSpecies<Float> S = SimdInfo.SPECIES;
    private static final int L = S.length();

    private SimdImage() {
    }

    // ---------------------------------------------------------------- scratch

    /** Scratch slots: a kernel that needs two buffers at once takes them from different slots. */
    private static final int SLOT_COL = 0;
    private static final int SLOT_MAT = 1;
    private static final int SLOT_POOL = 2;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /**
     * A scratch array of at least {@code size} floats owned by the calling thread (content undefined),
     * one per slot. Buffers larger than {@link Thresholds#IMAGE_SCRATCH_KEEP} are not kept, so an
     * occasional huge layer does not pin memory in every pool thread.
     */
    private static float[] scratch(int slot, int size) {
        if (size > Thresholds.IMAGE_SCRATCH_KEEP) {
            return new float[size];
        }
        float[][] slots = SCRATCH.get();
        float[] buf = slots[slot];
        if (buf.length < size) {
            buf = new float[size];
            slots[slot] = buf;
        }
        return buf;
    }

    // ---------------------------------------------------------------- im2col / col2im

    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset) {
        im2col(g, x, image, col, colOffset, g.colCols());
    }

    /**
     * Unfolds image {@code image} into rows {@code ld} floats apart: with {@code ld = outH*outW} the
     * matrix of one image, with a multiple of it one image's block of the column matrix of several images
     * side by side (see {@link #conv2d}).
     */
    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset, int ld) {
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int plane = h * w;
        boolean flat = g.strideH() == 1 && g.strideW() == 1 && outW == w;
        for (int ch = 0; ch < c; ch++) {
            int src = (image * c + ch) * plane;
            for (int i = 0; i < kh; i++) {
                int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                for (int j = 0; j < kw; j++) {
                    int dst = colOffset + ((ch * kh + i) * kw + j) * ld;
                    int oxLo = firstInside(g.padW() - j, g.strideW(), outW);
                    int oxHi = endInside(w - 1 + g.padW() - j, g.strideW(), oxLo, outW);
                    if (oyLo >= oyHi || oxLo >= oxHi) {
                        Arrays.fill(col, dst, dst + p, 0f);
                    } else if (flat) {
                        unfoldFlat(x, src, col, dst, w, p, i - g.padH(), j - g.padW(), oyLo, oyHi, oxLo, oxHi);
                    } else if (g.strideW() == 1 && oxLo == 0 && oxHi == outW) {
                        // Every output row sees a whole run of the input row (a valid convolution).
                        Arrays.fill(col, dst, dst + oyLo * outW, 0f);
                        int s = src + (oyLo * g.strideH() - g.padH() + i) * w - g.padW() + j;
                        unfoldRuns(x, s, g.strideH() * w, col, dst + oyLo * outW, outW, oyHi - oyLo);
                        Arrays.fill(col, dst + oyHi * outW, dst + p, 0f);
                    } else {
                        Arrays.fill(col, dst, dst + oyLo * outW, 0f);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int d = dst + oy * outW;
                            int s = src + (oy * g.strideH() - g.padH() + i) * w + oxLo * g.strideW() - g.padW() + j;
                            fillZero(col, d, oxLo);
                            if (g.strideW() == 1) {
                                copy(x, s, col, d + oxLo, oxHi - oxLo);
                            } else {
                                int sw = g.strideW();
                                for (int ox = oxLo; ox < oxHi; ox++, s += sw) {
                                    col[d + ox] = x[s];
                                }
                            }
                            fillZero(col, d + oxHi, outW - oxHi);
                        }
                        Arrays.fill(col, dst + oyHi * outW, dst + p, 0f);
                    }
                }
            }
        }
    }

    /**
     * {@code rows} runs of {@code width} floats, {@code step} apart in {@code x}, to consecutive runs at
     * {@code col[d..]}. Runs narrower than a vector (LeNet's 10-wide rows) are moved as whole vectors
     * whose excess lanes land on the next run, which overwrites them right after: one load and one store
     * per run. Only a vector that would reach past the last run (or read past the input) is masked.
     */
    private static void unfoldRuns(float[] x, int s, int step, float[] col, int d, int width, int rows) {
        int end = d + rows * width;
        if (width < L) {
            for (int r = 0; r < rows; r++, s += step, d += width) {
                if (d + L <= end && s + L <= x.length) {
                    FloatVector.fromArray(S, x, s).intoArray(col, d);
                } else {
                    copy(x, s, col, d, width);
                }
            }
        } else {
            for (int r = 0; r < rows; r++, s += step, d += width) {
                copy(x, s, col, d, width);
            }
        }
    }

    /**
     * One im2col row of a stride-1 convolution whose output rows are as wide as the input ("same"
     * padding): the row is the input plane shifted by {@code dy*w + dx}, so it is one long copy followed by
     * zeroing the few cells per row that wrapped around an image edge.
     */
    private static void unfoldFlat(float[] x, int src, float[] col, int dst, int w, int p,
                                   int dy, int dx, int oyLo, int oyHi, int oxLo, int oxHi) {
        int first = oyLo * w + oxLo;
        int end = (oyHi - 1) * w + oxHi;
        Arrays.fill(col, dst, dst + first, 0f);
        copy(x, src + first + dy * w + dx, col, dst + first, end - first);
        Arrays.fill(col, dst + end, dst + p, 0f);
        int gap = w - oxHi + oxLo;
        if (gap > 0) {
            for (int oy = oyLo; oy < oyHi - 1; oy++) {
                fillZero(col, dst + oy * w + oxHi, gap);
            }
        }
    }

    static void col2im(ConvGeometry g, float[] col, int colOffset, float[] dx, int image) {
        col2im(g, col, colOffset, g.colCols(), dx, image);
    }

    /** {@link #col2im(ConvGeometry, float[], int, float[], int)} reading rows {@code ld} floats apart. */
    static void col2im(ConvGeometry g, float[] col, int colOffset, int ld, float[] dx, int image) {
        if (g.strideH() == 1 && g.strideW() == 1 && g.w() <= L) {
            col2imRows(g, col, colOffset, ld, dx, image, false);
            return;
        }
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int dstPlane = (image * c + ch) * plane;
            for (int i = 0; i < kh; i++) {
                int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                for (int j = 0; j < kw; j++) {
                    int src = colOffset + ((ch * kh + i) * kw + j) * ld;
                    int oxLo = firstInside(g.padW() - j, g.strideW(), outW);
                    int oxHi = endInside(w - 1 + g.padW() - j, g.strideW(), oxLo, outW);
                    if (oxLo >= oxHi) {
                        continue;
                    }
                    for (int oy = oyLo; oy < oyHi; oy++) {
                        int s = src + oy * outW + oxLo;
                        int d = dstPlane + (oy * g.strideH() - g.padH() + i) * w + oxLo * g.strideW() - g.padW() + j;
                        if (g.strideW() == 1) {
                            addInto(col, s, dx, d, oxHi - oxLo);
                        } else {
                            int sw = g.strideW();
                            for (int ox = oxLo; ox < oxHi; ox++, d += sw) {
                                dx[d] += col[s++];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * col2im of a stride-1 convolution over images at most one vector wide (LeNet's 14-pixel rows): each
     * input row is summed in a register, one masked load and add per kernel tap that reaches it, and
     * written once. The plain form adds each tap's short run straight into the image, and consecutive taps'
     * runs overlap by all but one pixel, so nearly every load waited on the store just before it.
     *
     * <p>With {@code overwrite} the rows are stored instead of added to {@code dx} (the caller would
     * otherwise have zeroed it first).
     *
     * <p>Tap (i, j) reaches input row {@code y} from output row {@code oy = y + padH - i}; loading that
     * output row starting {@code j - padW} floats early puts output column {@code ox} in lane
     * {@code ox + j - padW}, the input column it adds to, and the mask keeps the lanes that are output
     * columns and input columns.
     */
    private static void col2imRows(ConvGeometry g, float[] col, int colOffset, int ld, float[] dx, int image,
                                   boolean overwrite) {
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int padH = g.padH();
        int padW = g.padW();
        VectorMask<Float> row = S.indexInRange(0, w);
        int imageEnd = (image + 1) * c * h * w;
        // Per tap column j: the lanes l with 0 <= l - (j - padW) < outW and 0 <= l < w (fromLong: indexInRange
        // with a negative offset is not intrinsified and runs ~50x slower).
        long[] bits = new long[kw];
        for (int j = 0; j < kw; j++) {
            int shift = j - padW;
            int lo = Math.max(0, shift);
            int hi = Math.min(w, shift + outW);
            bits[j] = lo < hi ? ((1L << (hi - lo)) - 1) << lo : 0L;
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = (image * c + ch) * h * w;
            for (int y = 0; y < h; y++) {
                // Two accumulators (even and odd taps) halve the chain of dependent adds.
                FloatVector even = FloatVector.zero(S);
                FloatVector odd = FloatVector.zero(S);
                for (int i = 0; i < kh; i++) {
                    int oy = y + padH - i;
                    if (oy < 0 || oy >= outH) {
                        continue;
                    }
                    int rowStart = colOffset + (ch * kh + i) * kw * ld + oy * outW + padW;
                    int j = 0;
                    for (; j + 1 < kw; j += 2) {
                        even = even.add(FloatVector.fromArray(S, col, rowStart + j * ld - j, VectorMask.fromLong(S, bits[j])));
                        odd = odd.add(FloatVector.fromArray(S, col, rowStart + (j + 1) * ld - j - 1,
                                VectorMask.fromLong(S, bits[j + 1])));
                    }
                    if (j < kw) {
                        even = even.add(FloatVector.fromArray(S, col, rowStart + j * ld - j, VectorMask.fromLong(S, bits[j])));
                    }
                }
                int d = plane + y * w;
                if (!overwrite) {
                    FloatVector.fromArray(S, dx, d, row).add(even.add(odd)).intoArray(dx, d, row);
                } else if (d + L <= imageEnd) {
                    // Rows are written in order, so a whole-vector store's excess lanes are overwritten by
                    // the rows after it (a masked store is several times slower).
                    even.add(odd).intoArray(dx, d);
                } else {
                    even.add(odd).intoArray(dx, d, row);
                }
            }
        }
    }

    /** Smallest output index o in [0, limit] with {@code o*stride >= pad} (the first tap inside the image). */
    private static int firstInside(int pad, int stride, int limit) {
        if (pad <= 0) {
            return 0;
        }
        return Math.min(limit, (pad + stride - 1) / stride);
    }

    /** One past the largest output index o < limit with {@code o*stride <= last}, at least {@code lo}. */
    private static int endInside(int last, int stride, int lo, int limit) {
        if (last < 0) {
            return lo;
        }
        return Math.max(lo, Math.min(limit, last / stride + 1));
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
    private static boolean splitBatch(ConvGeometry g) {
        long perImage = (long) g.k() * g.colRows() * g.colCols();
        return g.n() >= Parallel.threads() || perImage < Thresholds.PARALLEL_GEMM_FLOPS;
    }

    private static long convWork(ConvGeometry g) {
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

    /** The column matrix (R x count*P) of images {@code n0 .. n0+count-1}, in slot {@link #SLOT_COL}. */
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

    // ---------------------------------------------------------------- direct convolution, channels in the lanes

    /*
     * For a layer with enough output channels (LeNet's second convolution: 16, one AVX-512 vector) the
     * forward pass and the weight gradient are computed directly, with the output channels in the vector
     * lanes and no unfolding at all. Output position p and tap t = (c, i, j) meet at input pixel
     * base(p) + off(t), with base(p) = (oy*strideH)*Wp + ox*strideW and off(t) = (c*Hp + i)*Wp + j over the
     * (padded) image of width Wp and height Hp:
     *   forward:  Y[p, :] = sum_t  x[base(p) + off(t)] * Wt[t, :]        (Wt: the weights transposed, R x Kp)
     *   dW[:, t]  = sum_n sum_p  x[base(p) + off(t)] * G[p, :]           (G: the output gradient transposed)
     * Every multiply-add is a broadcast input pixel times a vector of channels; blocks of DIRECT_BLOCK
     * positions (forward) or taps (weight gradient) share each vector load. The channels are padded to
     * Kp, a whole number of vectors. The working set of one image (the input, a P x Kp block) stays in L1,
     * where the lowered form streams a column matrix R*P floats per image through the caches twice.
     */

    /** Positions (forward) or taps (weight gradient) per register block of the direct kernels. */
    private static final int DIRECT_BLOCK = 8;

    /** Output channels padded to whole vectors. */
    private static int paddedChannels(ConvGeometry g) {
        return (g.k() + L - 1) / L * L;
    }

    /**
     * Whether the direct kernels serve this convolution: at most a quarter of the lanes are padding, and
     * at most four vectors of channels (wider layers are the packed GEMM's ground).
     */
    static boolean channelsInLanes(ConvGeometry g) {
        int kp = paddedChannels(g);
        return 4 * (kp - g.k()) <= kp && kp <= 4 * L;
    }

    /** Offsets and padded sizes of the direct kernels for one geometry. */
    private record Direct(int hp, int wp, int kp, int[] tapOff, int[] posOff, int taps, int positions) {

        static Direct of(ConvGeometry g) {
            int hp = g.h() + 2 * g.padH();
            int wp = g.w() + 2 * g.padW();
            int r = g.colRows();
            int taps = (r + DIRECT_BLOCK - 1) / DIRECT_BLOCK * DIRECT_BLOCK;
            int[] tapOff = new int[taps];
            for (int c = 0, t = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        tapOff[t++] = (c * hp + i) * wp + j;
                    }
                }
            }
            int p = g.colCols();
            int positions = (p + DIRECT_BLOCK - 1) / DIRECT_BLOCK * DIRECT_BLOCK;
            int[] posOff = new int[positions];
            for (int q = 0; q < positions; q++) {
                int pq = Math.min(q, p - 1); // block padding repeats the last position; its results are dropped
                posOff[q] = (pq / g.outW()) * g.strideH() * wp + (pq % g.outW()) * g.strideW();
            }
            return new Direct(hp, wp, paddedChannels(g), tapOff, posOff, taps, positions);
        }

        /** Floats of one padded image, plus room for the taps beyond R, which read from offset 0. */
        int imageSize(ConvGeometry g) {
            return g.c() * hp * wp;
        }
    }

    /**
     * Image {@code n} as the direct kernels read it: the input array itself (at the returned offset) when
     * there is no padding, else a zero-padded copy in the calling thread's {@link #SLOT_COL} scratch.
     */
    private static float[] paddedImage(ConvGeometry g, Direct d, float[] x, int n, int[] base) {
        int plane = g.h() * g.w();
        if (g.padH() == 0 && g.padW() == 0) {
            base[0] = n * g.c() * plane;
            return x;
        }
        float[] xp = scratch(SLOT_COL, d.imageSize(g));
        Arrays.fill(xp, 0, d.imageSize(g), 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int y = 0; y < g.h(); y++) {
                System.arraycopy(x, (n * g.c() + c) * plane + y * g.w(), xp,
                        (c * d.hp() + y + g.padH()) * d.wp() + g.padW(), g.w());
            }
        }
        base[0] = 0;
        return xp;
    }

    static void conv2dDirect(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        Direct d = Direct.of(g);
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int kp = d.kp();
        float[] wt = new float[d.taps() * kp]; // transposed, channels padded with zeros, taps beyond R zero
        for (int kk = 0; kk < k; kk++) {
            for (int t = 0; t < r; t++) {
                wt[t * kp + kk] = weight[kk * r + t];
            }
        }
        long work = splitBatch(g) ? convWork(g) : 0;
        boolean rowBlocks = g.strideW() == 1 && g.outW() >= ROW_BLOCK;
        int[] lanes = new int[L]; // gather offsets: one position apart
        for (int i = 0; i < L; i++) {
            lanes[i] = i * kp;
        }
        Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            int[] base = new int[1];
            float[] y = scratch(SLOT_MAT, d.positions() * kp);
            for (int n = from; n < to; n++) {
                float[] xs = paddedImage(g, d, x, n, base);
                for (int kv = 0; kv < kp; kv += L) {
                    if (rowBlocks) {
                        // Blocks of 5 neighbours in an output row, the last one shifted left to end at the
                        // row's end (recomputing a few identical positions).
                        for (int oy = 0; oy < g.outH(); oy++) {
                            int rowBase = base[0] + oy * g.strideH() * d.wp();
                            for (int ox = 0; ; ox += ROW_BLOCK) {
                                ox = Math.min(ox, g.outW() - ROW_BLOCK);
                                directForwardRow(xs, rowBase + ox, d.tapOff(), r, wt, kp, kv, y,
                                        (oy * g.outW() + ox) * kp + kv);
                                if (ox == g.outW() - ROW_BLOCK) {
                                    break;
                                }
                            }
                        }
                    } else {
                        for (int q = 0; q < d.positions(); q += DIRECT_BLOCK) {
                            directForwardBlock(xs, base[0], d.posOff(), q, d.tapOff(), r, wt, kp, kv, y);
                        }
                    }
                }
                int o = n * k * p;
                for (int kk = 0; kk < k; kk++) {
                    gatherRow(y, kk, kp, bias == null ? 0f : bias[kk], out, o + kk * p, p, lanes);
                }
            }
        });
    }

    /**
     * {@code out[o + q] = y[q*kp + kk] + b} for the {@code p} positions: channel kk's row of the transposed
     * block, gathered a vector at a time; the last vector is shifted left to end at the row's end.
     */
    private static void gatherRow(float[] y, int kk, int kp, float b, float[] out, int o, int p, int[] lanes) {
        if (p < L) {
            for (int q = 0; q < p; q++) {
                out[o + q] = y[q * kp + kk] + b;
            }
            return;
        }
        for (int q = 0; ; q += L) {
            q = Math.min(q, p - L);
            FloatVector.fromArray(S, y, q * kp + kk, lanes, 0).add(b).intoArray(out, o + q);
            if (q == p - L) {
                break;
            }
        }
    }

    /** Neighbouring output positions per block of {@link #directForwardRow}. */
    private static final int ROW_BLOCK = 5;

    /**
     * Output positions at x offsets {@code b .. b+4} (neighbours in a row of a stride-1 convolution),
     * channels kv..kv+L-1, into y from {@code yo} (one position per kp floats). With the pixels of a tap at
     * consecutive indices, the JIT checks their bounds once per tap instead of once per multiply-add, as
     * it must for the arbitrary positions of {@link #directForwardBlock}.
     */
    private static void directForwardRow(float[] x, int b, int[] tapOff, int r, float[] wt, int kp, int kv,
                                         float[] y, int yo) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S), a4 = FloatVector.zero(S);
        for (int t = 0; t < r; t++) {
            FloatVector w = FloatVector.fromArray(S, wt, t * kp + kv);
            int i = b + tapOff[t];
            a0 = FloatVector.broadcast(S, x[i]).fma(w, a0);
            a1 = FloatVector.broadcast(S, x[i + 1]).fma(w, a1);
            a2 = FloatVector.broadcast(S, x[i + 2]).fma(w, a2);
            a3 = FloatVector.broadcast(S, x[i + 3]).fma(w, a3);
            a4 = FloatVector.broadcast(S, x[i + 4]).fma(w, a4);
        }
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + kp);
        a2.intoArray(y, yo + 2 * kp);
        a3.intoArray(y, yo + 3 * kp);
        a4.intoArray(y, yo + 4 * kp);
    }

    /** Positions q..q+7, channels kv..kv+L-1: y[pos*kp + kv..] = sum over the r taps. */
    private static void directForwardBlock(float[] x, int base, int[] posOff, int q, int[] tapOff, int r,
                                           float[] wt, int kp, int kv, float[] y) {
        int b0 = base + posOff[q];
        int b1 = base + posOff[q + 1];
        int b2 = base + posOff[q + 2];
        int b3 = base + posOff[q + 3];
        int b4 = base + posOff[q + 4];
        int b5 = base + posOff[q + 5];
        int b6 = base + posOff[q + 6];
        int b7 = base + posOff[q + 7];
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        FloatVector a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        for (int t = 0; t < r; t++) {
            FloatVector w = FloatVector.fromArray(S, wt, t * kp + kv);
            int o = tapOff[t];
            a0 = FloatVector.broadcast(S, x[b0 + o]).fma(w, a0);
            a1 = FloatVector.broadcast(S, x[b1 + o]).fma(w, a1);
            a2 = FloatVector.broadcast(S, x[b2 + o]).fma(w, a2);
            a3 = FloatVector.broadcast(S, x[b3 + o]).fma(w, a3);
            a4 = FloatVector.broadcast(S, x[b4 + o]).fma(w, a4);
            a5 = FloatVector.broadcast(S, x[b5 + o]).fma(w, a5);
            a6 = FloatVector.broadcast(S, x[b6 + o]).fma(w, a6);
            a7 = FloatVector.broadcast(S, x[b7 + o]).fma(w, a7);
        }
        int yo = q * kp + kv;
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + kp);
        a2.intoArray(y, yo + 2 * kp);
        a3.intoArray(y, yo + 3 * kp);
        a4.intoArray(y, yo + 4 * kp);
        a5.intoArray(y, yo + 5 * kp);
        a6.intoArray(y, yo + 6 * kp);
        a7.intoArray(y, yo + 7 * kp);
    }

    static void conv2dDirectBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight,
                                           float[] gradBias) {
        Direct d = Direct.of(g);
        int batch = g.n();
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int kp = d.kp();
        // Per thread share: dW^T (taps x kp) and the bias sums (kp), summed in share order afterwards.
        float[][] partial = new float[batch][];
        int[] channels = new int[L]; // gather offsets: one channel apart
        for (int i = 0; i < L; i++) {
            channels[i] = i * p;
        }
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(batch, work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] acc = new float[(d.taps() + 1) * kp];
            int biasAt = d.taps() * kp;
            int[] base = new int[1];
            float[] gt = scratch(SLOT_MAT, p * kp);
            for (int n = from; n < to; n++) {
                // G^T: the image's output gradient with the channels innermost (each position's channels
                // gathered, p apart), zero in the padding lanes. A vector with padding lanes is filled by
                // hand: a masked gather still range-checks its masked-off lanes.
                for (int q = 0; q < p; q++) {
                    for (int kv = 0; kv < kp; kv += L) {
                        int src = (n * k + kv) * p + q;
                        if (kv + L <= k) {
                            FloatVector.fromArray(S, gradOut, src, channels, 0).intoArray(gt, q * kp + kv);
                        } else {
                            for (int kk = kv; kk < kv + L; kk++) {
                                gt[q * kp + kk] = kk < k ? gradOut[(n * k + kk) * p + q] : 0f;
                            }
                        }
                    }
                }
                float[] xs = paddedImage(g, d, x, n, base);
                for (int kv = 0; kv < kp; kv += L) {
                    if (g.kw() % 5 == 0) {
                        for (int t = 0; t < r; t += 5) {
                            directWeightRow5(xs, base[0], d.posOff(), p, d.tapOff(), t, gt, kp, kv, acc);
                        }
                    } else {
                        for (int t = 0; t < d.taps(); t += DIRECT_BLOCK) {
                            directWeightBlock(xs, base[0], d.posOff(), p, d.tapOff(), t, gt, kp, kv, acc);
                        }
                    }
                    FloatVector s = FloatVector.fromArray(S, acc, biasAt + kv);
                    for (int q = 0; q < p; q++) {
                        s = s.add(FloatVector.fromArray(S, gt, q * kp + kv));
                    }
                    s.intoArray(acc, biasAt + kv);
                }
            }
            partial[from] = acc;
        });
        float[] total = null;
        for (float[] part : partial) {
            if (part == null) {
                continue;
            }
            if (total == null) {
                total = part;
            } else {
                addInto(part, 0, total, 0, total.length);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int t = 0; t < r; t++) {
                gradWeight[kk * r + t] = total[t * kp + kk];
            }
            if (gradBias != null) {
                gradBias[kk] = total[d.taps() * kp + kk];
            }
        }
    }

    /**
     * {@link #directWeightBlock} for 5 neighbouring taps of one kernel row (kernels a multiple of 5 wide,
     * LeNet's 5x5): their pixels are neighbours, so the JIT checks their bounds once per position instead
     * of once per multiply-add, as it must for arbitrary taps. Measured on LeNet's second convolution:
     * 0.48 -> 0.44 ms.
     */
    private static void directWeightRow5(float[] x, int base, int[] posOff, int p, int[] tapOff, int t,
                                         float[] gt, int kp, int kv, float[] acc) {
        int o = base + tapOff[t];
        int ao = t * kp + kv;
        FloatVector a0 = FloatVector.fromArray(S, acc, ao);
        FloatVector a1 = FloatVector.fromArray(S, acc, ao + kp);
        FloatVector a2 = FloatVector.fromArray(S, acc, ao + 2 * kp);
        FloatVector a3 = FloatVector.fromArray(S, acc, ao + 3 * kp);
        FloatVector a4 = FloatVector.fromArray(S, acc, ao + 4 * kp);
        for (int q = 0; q < p; q++) {
            FloatVector gv = FloatVector.fromArray(S, gt, q * kp + kv);
            int i = o + posOff[q];
            a0 = FloatVector.broadcast(S, x[i]).fma(gv, a0);
            a1 = FloatVector.broadcast(S, x[i + 1]).fma(gv, a1);
            a2 = FloatVector.broadcast(S, x[i + 2]).fma(gv, a2);
            a3 = FloatVector.broadcast(S, x[i + 3]).fma(gv, a3);
            a4 = FloatVector.broadcast(S, x[i + 4]).fma(gv, a4);
        }
        a0.intoArray(acc, ao);
        a1.intoArray(acc, ao + kp);
        a2.intoArray(acc, ao + 2 * kp);
        a3.intoArray(acc, ao + 3 * kp);
        a4.intoArray(acc, ao + 4 * kp);
    }

    /** Taps t..t+7, channels kv..kv+L-1: acc[tap*kp + kv..] += sum over the p positions. */
    private static void directWeightBlock(float[] x, int base, int[] posOff, int p, int[] tapOff, int t,
                                          float[] gt, int kp, int kv, float[] acc) {
        int o0 = base + tapOff[t];
        int o1 = base + tapOff[t + 1];
        int o2 = base + tapOff[t + 2];
        int o3 = base + tapOff[t + 3];
        int o4 = base + tapOff[t + 4];
        int o5 = base + tapOff[t + 5];
        int o6 = base + tapOff[t + 6];
        int o7 = base + tapOff[t + 7];
        int ao = t * kp + kv;
        FloatVector a0 = FloatVector.fromArray(S, acc, ao);
        FloatVector a1 = FloatVector.fromArray(S, acc, ao + kp);
        FloatVector a2 = FloatVector.fromArray(S, acc, ao + 2 * kp);
        FloatVector a3 = FloatVector.fromArray(S, acc, ao + 3 * kp);
        FloatVector a4 = FloatVector.fromArray(S, acc, ao + 4 * kp);
        FloatVector a5 = FloatVector.fromArray(S, acc, ao + 5 * kp);
        FloatVector a6 = FloatVector.fromArray(S, acc, ao + 6 * kp);
        FloatVector a7 = FloatVector.fromArray(S, acc, ao + 7 * kp);
        for (int q = 0; q < p; q++) {
            FloatVector gv = FloatVector.fromArray(S, gt, q * kp + kv);
            int b = posOff[q];
            a0 = FloatVector.broadcast(S, x[o0 + b]).fma(gv, a0);
            a1 = FloatVector.broadcast(S, x[o1 + b]).fma(gv, a1);
            a2 = FloatVector.broadcast(S, x[o2 + b]).fma(gv, a2);
            a3 = FloatVector.broadcast(S, x[o3 + b]).fma(gv, a3);
            a4 = FloatVector.broadcast(S, x[o4 + b]).fma(gv, a4);
            a5 = FloatVector.broadcast(S, x[o5 + b]).fma(gv, a5);
            a6 = FloatVector.broadcast(S, x[o6 + b]).fma(gv, a6);
            a7 = FloatVector.broadcast(S, x[o7 + b]).fma(gv, a7);
        }
        a0.intoArray(acc, ao);
        a1.intoArray(acc, ao + kp);
        a2.intoArray(acc, ao + 2 * kp);
        a3.intoArray(acc, ao + 3 * kp);
        a4.intoArray(acc, ao + 4 * kp);
        a5.intoArray(acc, ao + 5 * kp);
        a6.intoArray(acc, ao + 6 * kp);
        a7.intoArray(acc, ao + 7 * kp);
    }

    // ---------------------------------------------------------------- direct convolution, positions in the lanes

    /*
     * For stride-1 layers with few output channels (LeNet's first convolution: 6, one input channel) the
     * lanes run along the output rows instead. Over the zero-padded image, flattened with row pitch Wp,
     * output (oy, ox) sits at q = oy*Wp + ox and tap t = (c, i, j) reads q + off(t), off(t) = (c*Hp + i)*Wp + j,
     * so a vector of consecutive q reads a vector of consecutive pixels:
     *   forward:  Y[k, q..q+L) = sum_t  W[k, t] * x[q + off(t) ..]          (a weight broadcast per tap)
     *   dW[k, t] = sum_n sum_q  G[k, q..q+L) . x[q + off(t) ..]             (G: the output gradient, zero
     *                                                                          on the Wp - outW columns that
     *                                                                          are not outputs)
     * The columns past outW are computed and dropped (Wp/outW more work: 32/28 for LeNet). Register
     * blocks: 3 channels x 4 vectors of positions (forward), 3 channels x 4 taps (weight gradient).
     */

    /** Vectors of positions per forward block. */
    private static final int ROW_VECTORS = 4;
    /** Channels per block. */
    private static final int ROW_CHANNELS = 3;
    /** Taps per weight-gradient block. */
    private static final int ROW_TAPS = 4;

    /** Whether the position-in-lanes kernels serve this convolution: stride 1, fewer channels than lanes. */
    static boolean positionsInLanes(ConvGeometry g) {
        int wp = g.w() + 2 * g.padW();
        return g.strideH() == 1 && g.strideW() == 1 && g.k() < L && 2 * wp <= 3 * g.outW();
    }

    /** Padded sizes and offsets of the position-in-lanes kernels. */
    private record Rows(int hp, int wp, int q, int[] tapOff, int taps, int imageSize) {

        static Rows of(ConvGeometry g) {
            int hp = g.h() + 2 * g.padH();
            int wp = g.w() + 2 * g.padW();
            int span = ROW_VECTORS * L;
            int q = (g.outH() * wp + span - 1) / span * span;
            int r = g.colRows();
            int taps = (r + ROW_TAPS - 1) / ROW_TAPS * ROW_TAPS;
            int[] tapOff = new int[taps];
            for (int c = 0, t = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        tapOff[t++] = (c * hp + i) * wp + j;
                    }
                }
            }
            // Room for the last block's reads past the image: q + the largest offset.
            int imageSize = Math.max(g.c() * hp * wp, q + tapOff[r - 1]);
            return new Rows(hp, wp, q, tapOff, taps, imageSize);
        }
    }

    /** Image {@code n}, zero-padded, row pitch Wp, in the calling thread's {@link #SLOT_COL} scratch. */
    private static float[] paddedRows(ConvGeometry g, Rows d, float[] x, int n) {
        float[] xp = scratch(SLOT_COL, d.imageSize());
        Arrays.fill(xp, 0, d.imageSize(), 0f);
        int plane = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int y = 0; y < g.h(); y++) {
                System.arraycopy(x, (n * g.c() + c) * plane + y * g.w(), xp,
                        (c * d.hp() + y + g.padH()) * d.wp() + g.padW(), g.w());
            }
        }
        return xp;
    }

    static void conv2dRows(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        Rows d = Rows.of(g);
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int outW = g.outW();
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] y = scratch(SLOT_MAT, k * d.q());
            for (int n = from; n < to; n++) {
                float[] xp = paddedRows(g, d, x, n);
                int kk = 0;
                for (; kk + ROW_CHANNELS <= k; kk += ROW_CHANNELS) {
                    for (int q = 0; q < d.q(); q += ROW_VECTORS * L) {
                        rowsForward3(xp, q, d.tapOff(), r, weight, kk, y, d.q());
                    }
                }
                for (; kk < k; kk++) {
                    for (int q = 0; q < d.q(); q += ROW_VECTORS * L) {
                        rowsForward1(xp, q, d.tapOff(), r, weight, kk, y, d.q());
                    }
                }
                for (kk = 0; kk < k; kk++) {
                    float b = bias == null ? 0f : bias[kk];
                    int o = (n * k + kk) * p;
                    int yo = kk * d.q();
                    for (int oy = 0; oy < g.outH(); oy++) {
                        addRow(y, yo + oy * d.wp(), b, out, o + oy * outW, outW);
                    }
                }
            }
        });
    }

    /**
     * {@code out[o..o+len) = y[yo..yo+len) + b}. Rows at least a vector long end with a vector shifted left
     * to finish at the row's end (recomputing a few cells) rather than a masked store, which is slow.
     */
    private static void addRow(float[] y, int yo, float b, float[] out, int o, int len) {
        if (len < L) {
            for (int i = 0; i < len; i++) {
                out[o + i] = y[yo + i] + b;
            }
            return;
        }
        for (int i = 0; ; i += L) {
            i = Math.min(i, len - L);
            FloatVector.fromArray(S, y, yo + i).add(b).intoArray(out, o + i);
            if (i == len - L) {
                break;
            }
        }
    }

    /** Channels kk..kk+2, positions q..q+4L: y[k*ldy + q..] = sum over the r taps of w[k, t] * x[q + off(t)..]. */
    private static void rowsForward3(float[] x, int q, int[] tapOff, int r, float[] w, int kk, float[] y, int ldy) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
        int w0 = kk * r;
        int w1 = w0 + r;
        int w2 = w1 + r;
        for (int t = 0; t < r; t++) {
            int s = q + tapOff[t];
            FloatVector x0 = FloatVector.fromArray(S, x, s);
            FloatVector x1 = FloatVector.fromArray(S, x, s + L);
            FloatVector x2 = FloatVector.fromArray(S, x, s + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, x, s + 3 * L);
            FloatVector c = FloatVector.broadcast(S, w[w0 + t]);
            a00 = x0.fma(c, a00);
            a01 = x1.fma(c, a01);
            a02 = x2.fma(c, a02);
            a03 = x3.fma(c, a03);
            c = FloatVector.broadcast(S, w[w1 + t]);
            a10 = x0.fma(c, a10);
            a11 = x1.fma(c, a11);
            a12 = x2.fma(c, a12);
            a13 = x3.fma(c, a13);
            c = FloatVector.broadcast(S, w[w2 + t]);
            a20 = x0.fma(c, a20);
            a21 = x1.fma(c, a21);
            a22 = x2.fma(c, a22);
            a23 = x3.fma(c, a23);
        }
        int y0 = kk * ldy + q;
        a00.intoArray(y, y0);
        a01.intoArray(y, y0 + L);
        a02.intoArray(y, y0 + 2 * L);
        a03.intoArray(y, y0 + 3 * L);
        int y1 = y0 + ldy;
        a10.intoArray(y, y1);
        a11.intoArray(y, y1 + L);
        a12.intoArray(y, y1 + 2 * L);
        a13.intoArray(y, y1 + 3 * L);
        int y2 = y1 + ldy;
        a20.intoArray(y, y2);
        a21.intoArray(y, y2 + L);
        a22.intoArray(y, y2 + 2 * L);
        a23.intoArray(y, y2 + 3 * L);
    }

    /** {@link #rowsForward3} for one channel. */
    private static void rowsForward1(float[] x, int q, int[] tapOff, int r, float[] w, int kk, float[] y, int ldy) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        int w0 = kk * r;
        for (int t = 0; t < r; t++) {
            int s = q + tapOff[t];
            FloatVector c = FloatVector.broadcast(S, w[w0 + t]);
            a0 = FloatVector.fromArray(S, x, s).fma(c, a0);
            a1 = FloatVector.fromArray(S, x, s + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, x, s + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, x, s + 3 * L).fma(c, a3);
        }
        int y0 = kk * ldy + q;
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + L);
        a2.intoArray(y, y0 + 2 * L);
        a3.intoArray(y, y0 + 3 * L);
    }

    static void conv2dRowsBackwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradWeight,
                                         float[] gradBias) {
        Rows d = Rows.of(g);
        int batch = g.n();
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int outW = g.outW();
        int wp = d.wp();
        int kBlocks = (k + ROW_CHANNELS - 1) / ROW_CHANNELS;
        int kPad = kBlocks * ROW_CHANNELS;
        // Per thread share: one vector of partial sums per (channel, tap) and per channel for the bias;
        // the shares are added in order, then each vector is summed across its lanes.
        int biasAt = kPad * d.taps() * L;
        float[][] partial = new float[batch][];
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(batch, work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] acc = new float[biasAt + kPad * L];
            float[] gq = scratch(SLOT_MAT, kPad * d.q());
            for (int n = from; n < to; n++) {
                // G in the padded-row layout, zero on the columns that are not outputs (and on the channels
                // that only pad the last block).
                Arrays.fill(gq, 0, kPad * d.q(), 0f);
                for (int kk = 0; kk < k; kk++) {
                    for (int oy = 0; oy < g.outH(); oy++) {
                        System.arraycopy(gradOut, ((n * k + kk) * g.outH() + oy) * outW, gq, kk * d.q() + oy * wp, outW);
                    }
                }
                float[] xp = paddedRows(g, d, x, n);
                for (int kk = 0; kk < kPad; kk += ROW_CHANNELS) {
                    for (int t = 0; t < d.taps(); t += ROW_TAPS) {
                        rowsWeight3x4(xp, gq, d.q(), kk, t, d.tapOff(), acc, d.taps());
                    }
                }
                for (int kk = 0; kk < k; kk++) {
                    FloatVector s = FloatVector.fromArray(S, acc, biasAt + kk * L);
                    for (int q = 0; q < d.q(); q += L) {
                        s = s.add(FloatVector.fromArray(S, gq, kk * d.q() + q));
                    }
                    s.intoArray(acc, biasAt + kk * L);
                }
            }
            partial[from] = acc;
        });
        float[] total = null;
        for (float[] part : partial) {
            if (part == null) {
                continue;
            }
            if (total == null) {
                total = part;
            } else {
                addInto(part, 0, total, 0, total.length);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int t = 0; t < r; t++) {
                gradWeight[kk * r + t] = FloatVector.fromArray(S, total, (kk * d.taps() + t) * L)
                        .reduceLanes(VectorOperators.ADD);
            }
            if (gradBias != null) {
                gradBias[kk] = FloatVector.fromArray(S, total, biasAt + kk * L).reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * Channels kk..kk+2 x taps t..t+3, over all positions of one image: acc[((k*taps) + tap)*L ..] +=
     * G[k, q..] * x[q + off(tap)..], lane by lane (the lanes are summed at the very end).
     */
    private static void rowsWeight3x4(float[] x, float[] gq, int qn, int kk, int t, int[] tapOff, float[] acc,
                                      int taps) {
        int o0 = tapOff[t];
        int o1 = tapOff[t + 1];
        int o2 = tapOff[t + 2];
        int o3 = tapOff[t + 3];
        int g0 = kk * qn;
        int g1 = g0 + qn;
        int g2 = g1 + qn;
        int c0 = (kk * taps + t) * L;
        int c1 = c0 + taps * L;
        int c2 = c1 + taps * L;
        FloatVector a00 = FloatVector.fromArray(S, acc, c0), a01 = FloatVector.fromArray(S, acc, c0 + L);
        FloatVector a02 = FloatVector.fromArray(S, acc, c0 + 2 * L), a03 = FloatVector.fromArray(S, acc, c0 + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, acc, c1), a11 = FloatVector.fromArray(S, acc, c1 + L);
        FloatVector a12 = FloatVector.fromArray(S, acc, c1 + 2 * L), a13 = FloatVector.fromArray(S, acc, c1 + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, acc, c2), a21 = FloatVector.fromArray(S, acc, c2 + L);
        FloatVector a22 = FloatVector.fromArray(S, acc, c2 + 2 * L), a23 = FloatVector.fromArray(S, acc, c2 + 3 * L);
        for (int q = 0; q < qn; q += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, q + o0);
            FloatVector x1 = FloatVector.fromArray(S, x, q + o1);
            FloatVector x2 = FloatVector.fromArray(S, x, q + o2);
            FloatVector x3 = FloatVector.fromArray(S, x, q + o3);
            FloatVector gv = FloatVector.fromArray(S, gq, g0 + q);
            a00 = x0.fma(gv, a00);
            a01 = x1.fma(gv, a01);
            a02 = x2.fma(gv, a02);
            a03 = x3.fma(gv, a03);
            gv = FloatVector.fromArray(S, gq, g1 + q);
            a10 = x0.fma(gv, a10);
            a11 = x1.fma(gv, a11);
            a12 = x2.fma(gv, a12);
            a13 = x3.fma(gv, a13);
            gv = FloatVector.fromArray(S, gq, g2 + q);
            a20 = x0.fma(gv, a20);
            a21 = x1.fma(gv, a21);
            a22 = x2.fma(gv, a22);
            a23 = x3.fma(gv, a23);
        }
        a00.intoArray(acc, c0);
        a01.intoArray(acc, c0 + L);
        a02.intoArray(acc, c0 + 2 * L);
        a03.intoArray(acc, c0 + 3 * L);
        a10.intoArray(acc, c1);
        a11.intoArray(acc, c1 + L);
        a12.intoArray(acc, c1 + 2 * L);
        a13.intoArray(acc, c1 + 3 * L);
        a20.intoArray(acc, c2);
        a21.intoArray(acc, c2 + L);
        a22.intoArray(acc, c2 + 2 * L);
        a23.intoArray(acc, c2 + 3 * L);
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

    // ---------------------------------------------------------------- vector helpers

    /**
     * {@code dst[d..d+len) = src[s..s+len)}. Short runs (an im2col row segment is one output row wide)
     * are vector moves with a masked tail, measured faster than a scalar tail or System.arraycopy there.
     */
    private static void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len >= Thresholds.IMAGE_ARRAYCOPY_RUN) {
            System.arraycopy(src, s, dst, d, len);
            return;
        }
        int i = 0;
        int bound = S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, src, s + i, m).intoArray(dst, d + i, m);
        }
    }

    /** {@code dst[d..d+len) += src[s..s+len)}, masked tail. */
    private static void addInto(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, dst, d + i, m).add(FloatVector.fromArray(S, src, s + i, m)).intoArray(dst, d + i, m);
        }
    }

    /** {@code dst[d..d+len) = max(dst[d..d+len), src[s..s+len))}, NaN propagating like {@link Math#max}. */
    private static void maxInto(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, dst, d + i).max(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) {
            dst[d + i] = Math.max(dst[d + i], src[s + i]);
        }
    }

    private static void fillZero(float[] a, int from, int len) {
        for (int i = 0; i < len; i++) {
            a[from + i] = 0f;
        }
    }

    // ---------------------------------------------------------------- pooling

    private static final ThreadLocal<int[]> INDEX_SCRATCH = ThreadLocal.withInitial(() -> new int[0]);

    /** Like {@link #scratch}, for the winners' indices of a max-pool backward plane. */
    private static int[] indexScratch(int size) {
        if (size > Thresholds.IMAGE_SCRATCH_KEEP) {
            return new int[size];
        }
        int[] buf = INDEX_SCRATCH.get();
        if (buf.length < size) {
            buf = new int[size];
            INDEX_SCRATCH.set(buf);
        }
        return buf;
    }

    /** Species of the 2x2 pooling kernel: 8 lanes where available, so 16-pixel-wide rows qualify. */
    private static final VectorSpecies<Float> P2 = S.length() >= 8 ? FloatVector.SPECIES_256 : S;
    private static final int P2L = P2.length();
    /** Index vectors for two-vector selects: even / odd pixels of a row slice, and back to pixel order. */
    private static final FloatVector EVEN = lanePattern(i -> 2 * i);
    private static final FloatVector ODD = lanePattern(i -> 2 * i + 1);
    private static final FloatVector ZIP_LO = lanePattern(i -> i % 2 == 0 ? i / 2 : P2L + i / 2);
    private static final FloatVector ZIP_HI = lanePattern(i -> i % 2 == 0 ? P2L / 2 + i / 2 : P2L + P2L / 2 + i / 2);

    private static FloatVector lanePattern(java.util.function.IntUnaryOperator f) {
        float[] idx = new float[P2L];
        for (int i = 0; i < P2L; i++) {
            idx[i] = f.applyAsInt(i);
        }
        return FloatVector.fromArray(P2, idx, 0);
    }

    private static final int GENERAL = 0;
    private static final int TWO_BY_TWO = 1;
    private static final int TWO_BY_TWO_VECTOR = 2;

    /**
     * Which plane kernel serves a pooling: non-overlapping 2x2 windows at stride 2 without padding have
     * their own (vector when a row holds at least one vector of outputs), everything else the general one.
     */
    private static int poolKind(PoolGeometry g) {
        if (g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0) {
            return g.outW() >= P2L ? TWO_BY_TWO_VECTOR : TWO_BY_TWO;
        }
        return GENERAL;
    }

    private static long poolWork(PoolGeometry g) {
        return (long) g.outputSize() * g.kh() * g.kw();
    }

    static void maxPool2d(PoolGeometry g, float[] x, float[] out) {
        int kind = poolKind(g);
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                switch (kind) {
                    case TWO_BY_TWO_VECTOR -> maxPool2x2VectorPlane(g, x, out, pl);
                    case TWO_BY_TWO -> maxPool2x2Plane(g, x, out, pl);
                    default -> maxPoolPlane(g, x, out, pl * g.outH() * g.outW(), pl * g.h() * g.w());
                }
            }
        });
    }

    static void maxPool2dBackward(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput) {
        int kind = poolKind(g);
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                switch (kind) {
                    case TWO_BY_TWO_VECTOR -> maxPool2x2VectorBackwardPlane(g, x, gradOut, gradInput, pl);
                    case TWO_BY_TWO -> maxPool2x2BackwardPlane(g, x, gradOut, gradInput, pl);
                    default -> maxPoolBackwardPlane(g, x, gradOut, gradInput, pl);
                }
            }
        });
    }

    // ---- general windows, visited tap by tap so the inner loops run along whole output rows

    /*
     * The general kernels loop over the kh*kw taps of the window outermost and, for each, over the output
     * cells whose tap lands inside the image (the same ranges as im2col), so the innermost loop is a long
     * run along an output row instead of a 2- or 3-step window row. Taps are visited in row-major window
     * order, which keeps each output's sum order, and the first-maximum rule, those of the reference.
     */

    /**
     * Max of every window. A NaN propagates; the value is the window's maximum, although a -0.0/+0.0 tie
     * may come out as +0.0 where the reference returns whichever came first.
     */
    private static void maxPoolPlane(PoolGeometry g, float[] x, float[] out, int o, int in) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        Arrays.fill(out, o, o + outH * outW, Float.NEGATIVE_INFINITY);
        int sw = g.strideW();
        for (int i = 0; i < g.kh(); i++) {
            int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
            int oyHi = endInside(g.h() - 1 + g.padH() - i, g.strideH(), oyLo, outH);
            for (int j = 0; j < g.kw(); j++) {
                int oxLo = firstInside(g.padW() - j, sw, outW);
                int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                for (int oy = oyLo; oy < oyHi; oy++) {
                    int src = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                    int d = o + oy * outW;
                    if (sw == 1) {
                        maxInto(x, src + oxLo, out, d + oxLo, oxHi - oxLo);
                    } else {
                        for (int ox = oxLo; ox < oxHi; ox++) {
                            out[d + ox] = Math.max(out[d + ox], x[src + ox * sw]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Two passes: the window maxima (as in {@link #maxPoolPlane}), then the taps in reverse window order,
     * each overwriting its output's winner when it equals the maximum, so the last write is the first
     * maximum in window order. The overwrite is a conditional move, not a branch on random data. A window
     * whose maximum is NaN never matches and takes the reference scan instead.
     */
    private static void maxPoolBackwardPlane(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput, int pl) {
        int h = g.h();
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int in = pl * h * w;
        int o = pl * p;
        float[] max = scratch(SLOT_POOL, p);
        maxPoolPlane(g, x, max, 0, in);
        int[] best = indexScratch(p);
        Arrays.fill(best, 0, p, -1);
        int sw = g.strideW();
        for (int i = g.kh() - 1; i >= 0; i--) {
            int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
            int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
            for (int j = g.kw() - 1; j >= 0; j--) {
                int oxLo = firstInside(g.padW() - j, sw, outW);
                int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                for (int oy = oyLo; oy < oyHi; oy++) {
                    int src = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                    int d = oy * outW;
                    for (int ox = oxLo; ox < oxHi; ox++) {
                        int idx = src + ox * sw;
                        best[d + ox] = x[idx] == max[d + ox] ? idx : best[d + ox];
                    }
                }
            }
        }
        Arrays.fill(gradInput, in, in + h * w, 0f);
        for (int q = 0; q < p; q++) {
            int b = best[q];
            if (b < 0) {
                int oy = q / outW;
                int ox = q % outW;
                int y0 = oy * g.strideH() - g.padH();
                int x0 = ox * g.strideW() - g.padW();
                b = argMax(x, in, w, Math.max(0, y0), Math.min(h, y0 + g.kh()), Math.max(0, x0), Math.min(w, x0 + g.kw()));
            }
            gradInput[b] += gradOut[o + q];
        }
    }

    /** First maximum (NaN beats numbers, the first NaN wins) of rows [y0,y1) x columns [x0,x1) of a plane. */
    private static int argMax(float[] x, int in, int w, int y0, int y1, int x0, int x1) {
        int best = in + y0 * w + x0;
        float bestValue = x[best];
        for (int y = y0; y < y1; y++) {
            int row = in + y * w;
            for (int xx = x0; xx < x1; xx++) {
                float v = x[row + xx];
                if (v > bestValue || (v != v && bestValue == bestValue)) {
                    best = row + xx;
                    bestValue = v;
                }
            }
        }
        return best;
    }

    // ---- 2x2 windows at stride 2, scalar (output rows narrower than a vector)

    private static void maxPool2x2Plane(PoolGeometry g, float[] x, float[] out, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            for (int ox = 0; ox < outW; ox++) {
                int c = 2 * ox;
                out[o++] = Math.max(Math.max(x[top + c], x[top + c + 1]), Math.max(x[bottom + c], x[bottom + c + 1]));
            }
        }
    }

    /**
     * Windows do not overlap, so each covered cell is written once, its gradient or zero, and only the
     * uncovered last row / column of an odd-sized plane needs clearing. The winner is the first of
     * a, b (top row), c, d (bottom row) equal to the maximum, picked with conditional moves rather than
     * branches on random data; a NaN window takes the reference rule.
     */
    private static void maxPool2x2BackwardPlane(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            for (int ox = 0; ox < outW; ox++) {
                int c = 2 * ox;
                float a = x[top + c];
                float b = x[top + c + 1];
                float cc = x[bottom + c];
                float d = x[bottom + c + 1];
                float m = Math.max(Math.max(a, b), Math.max(cc, d));
                int win = cc == m ? bottom + c : bottom + c + 1;
                win = b == m ? top + c + 1 : win;
                win = a == m ? top + c : win;
                if (m != m) {
                    win = argMax2x2(x, top, bottom, c);
                }
                gradInput[top + c] = 0f;
                gradInput[top + c + 1] = 0f;
                gradInput[bottom + c] = 0f;
                gradInput[bottom + c + 1] = 0f;
                gradInput[win] = gradOut[o++];
            }
            clearUncoveredColumn(g, gradInput, top, bottom, outW);
        }
        clearUncoveredRows(g, gradInput, in, outH);
    }

    /** The reference rule on one 2x2 window (top-left cell at column c): first maximum, first NaN wins. */
    private static int argMax2x2(float[] x, int top, int bottom, int c) {
        int best = top + c;
        float bestValue = x[best];
        int[] cells = {top + c + 1, bottom + c, bottom + c + 1};
        for (int idx : cells) {
            float v = x[idx];
            if (v > bestValue || (v != v && bestValue == bestValue)) {
                best = idx;
                bestValue = v;
            }
        }
        return best;
    }

    private static void clearUncoveredColumn(PoolGeometry g, float[] gradInput, int top, int bottom, int outW) {
        if (g.w() > 2 * outW) {
            gradInput[top + g.w() - 1] = 0f;
            gradInput[bottom + g.w() - 1] = 0f;
        }
    }

    private static void clearUncoveredRows(PoolGeometry g, float[] gradInput, int in, int outH) {
        if (g.h() > 2 * outH) {
            Arrays.fill(gradInput, in + 2 * outH * g.w(), in + g.h() * g.w(), 0f);
        }
    }

    // ---- 2x2 windows at stride 2, vector

    /*
     * One step covers P2L windows of a row pair: 2*P2L pixels of the top row (tLo, tHi) and of the
     * bottom row (bLo, bHi). Two-vector selects split them into the windows' a, b (top) and c, d (bottom)
     * cells. The last step of a row is shifted left to end at the row's end, recomputing a few windows
     * (with identical results) instead of running a scalar tail.
     */

    private static void maxPool2x2VectorPlane(PoolGeometry g, float[] x, float[] out, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            int orow = o + oy * outW;
            for (int ox = 0; ; ox += P2L) {
                ox = Math.min(ox, outW - P2L);
                int c = 2 * ox;
                FloatVector lo = FloatVector.fromArray(P2, x, top + c).max(FloatVector.fromArray(P2, x, bottom + c));
                FloatVector hi = FloatVector.fromArray(P2, x, top + c + P2L).max(FloatVector.fromArray(P2, x, bottom + c + P2L));
                EVEN.selectFrom(lo, hi).max(ODD.selectFrom(lo, hi)).intoArray(out, orow + ox);
                if (ox == outW - P2L) {
                    break;
                }
            }
        }
    }

    /**
     * Vector form of {@link #maxPool2x2BackwardPlane}: per window, a wins if a == max, b if b == max and
     * a did not, and so on; each cell's gradient or zero is zipped back into pixel order and stored. A
     * step in which some window has no winner (its maximum is NaN) redoes its windows with the
     * reference rule.
     */
    private static void maxPool2x2VectorBackwardPlane(PoolGeometry g, float[] x, float[] gradOut, float[] gradInput, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        FloatVector zero = FloatVector.zero(P2);
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            int orow = o + oy * outW;
            for (int ox = 0; ; ox += P2L) {
                ox = Math.min(ox, outW - P2L);
                int c = 2 * ox;
                FloatVector tLo = FloatVector.fromArray(P2, x, top + c);
                FloatVector tHi = FloatVector.fromArray(P2, x, top + c + P2L);
                FloatVector bLo = FloatVector.fromArray(P2, x, bottom + c);
                FloatVector bHi = FloatVector.fromArray(P2, x, bottom + c + P2L);
                FloatVector a = EVEN.selectFrom(tLo, tHi);
                FloatVector b = ODD.selectFrom(tLo, tHi);
                FloatVector cc = EVEN.selectFrom(bLo, bHi);
                FloatVector d = ODD.selectFrom(bLo, bHi);
                FloatVector m = a.max(b).max(cc.max(d));
                VectorMask<Float> wa = a.compare(VectorOperators.EQ, m);
                VectorMask<Float> wb = b.compare(VectorOperators.EQ, m).andNot(wa);
                VectorMask<Float> seen = wa.or(wb);
                VectorMask<Float> wc = cc.compare(VectorOperators.EQ, m).andNot(seen);
                seen = seen.or(wc);
                VectorMask<Float> wd = d.compare(VectorOperators.EQ, m).andNot(seen);
                seen = seen.or(wd);
                if (seen.allTrue()) {
                    FloatVector gv = FloatVector.fromArray(P2, gradOut, orow + ox);
                    FloatVector ga = zero.blend(gv, wa);
                    FloatVector gb = zero.blend(gv, wb);
                    FloatVector gc = zero.blend(gv, wc);
                    FloatVector gd = zero.blend(gv, wd);
                    ZIP_LO.selectFrom(ga, gb).intoArray(gradInput, top + c);
                    ZIP_HI.selectFrom(ga, gb).intoArray(gradInput, top + c + P2L);
                    ZIP_LO.selectFrom(gc, gd).intoArray(gradInput, bottom + c);
                    ZIP_HI.selectFrom(gc, gd).intoArray(gradInput, bottom + c + P2L);
                } else {
                    for (int t = ox; t < ox + P2L; t++) {
                        int cell = 2 * t;
                        gradInput[top + cell] = 0f;
                        gradInput[top + cell + 1] = 0f;
                        gradInput[bottom + cell] = 0f;
                        gradInput[bottom + cell + 1] = 0f;
                        gradInput[argMax2x2(x, top, bottom, cell)] = gradOut[orow + t];
                    }
                }
                if (ox == outW - P2L) {
                    break;
                }
            }
            clearUncoveredColumn(g, gradInput, top, bottom, outW);
        }
        clearUncoveredRows(g, gradInput, in, outH);
    }

    // ---- max pooling with recorded indices

    /*
     * The forward pass records, per output, the index within its plane of the cell it took; the backward
     * pass then only scatters the output gradients (into a gradient the caller zeroed), without reading
     * the input again. Same winners as maxPool2dBackward: the first maximum in window order, a NaN winning.
     */

    static void maxPool2dWithIndices(PoolGeometry g, float[] x, float[] out, float[] argmax) {
        int kind = poolKind(g);
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                switch (kind) {
                    case TWO_BY_TWO_VECTOR -> maxPool2x2VectorIndexedPlane(g, x, out, argmax, pl);
                    case TWO_BY_TWO -> maxPool2x2IndexedPlane(g, x, out, argmax, pl);
                    default -> maxPoolIndexedPlane(g, x, out, argmax, pl);
                }
            }
        });
    }

    static void maxPool2dBackwardIndices(PoolGeometry g, float[] argmax, float[] gradOut, float[] gradInput) {
        int plane = g.h() * g.w();
        int p = g.outH() * g.outW();
        Parallel.forRange(g.n() * g.c(), (long) g.outputSize(), Thresholds.PARALLEL_ELEMENTWISE, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int in = pl * plane;
                for (int o = pl * p, end = o + p; o < end; o++) {
                    gradInput[in + (int) argmax[o]] += gradOut[o];
                }
            }
        });
    }

    /** 2x2 windows, rows of at least one vector of outputs: {@link #maxPool2x2VectorPlane} plus the winners. */
    private static void maxPool2x2VectorIndexedPlane(PoolGeometry g, float[] x, float[] out, float[] argmax, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        FloatVector zero = FloatVector.zero(P2);
        FloatVector one = FloatVector.broadcast(P2, 1f);
        FloatVector left = FloatVector.broadcast(P2, w);
        FloatVector right = FloatVector.broadcast(P2, w + 1);
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            int orow = o + oy * outW;
            for (int ox = 0; ; ox += P2L) {
                ox = Math.min(ox, outW - P2L);
                int c = 2 * ox;
                FloatVector tLo = FloatVector.fromArray(P2, x, top + c);
                FloatVector tHi = FloatVector.fromArray(P2, x, top + c + P2L);
                FloatVector bLo = FloatVector.fromArray(P2, x, bottom + c);
                FloatVector bHi = FloatVector.fromArray(P2, x, bottom + c + P2L);
                FloatVector a = EVEN.selectFrom(tLo, tHi);
                FloatVector b = ODD.selectFrom(tLo, tHi);
                FloatVector cc = EVEN.selectFrom(bLo, bHi);
                FloatVector d = ODD.selectFrom(bLo, bHi);
                FloatVector m = a.max(b).max(cc.max(d));
                m.intoArray(out, orow + ox);
                if (m.compare(VectorOperators.NE, m).anyTrue()) {
                    for (int t = ox; t < ox + P2L; t++) {
                        argmax[orow + t] = argMax2x2(x, top, bottom, 2 * t) - in;
                    }
                } else {
                    // The winner's offset from its window's top-left cell, the last candidate first so
                    // that the first maximum overrides; EVEN holds the top-left columns 2i.
                    FloatVector off = right.blend(left, cc.compare(VectorOperators.EQ, m))
                            .blend(one, b.compare(VectorOperators.EQ, m))
                            .blend(zero, a.compare(VectorOperators.EQ, m));
                    EVEN.add(off).add((float) (top - in + c)).intoArray(argmax, orow + ox);
                }
                if (ox == outW - P2L) {
                    break;
                }
            }
        }
    }

    /** 2x2 windows with narrow rows: {@link #maxPool2x2Plane} plus the winners, picked with conditional moves. */
    private static void maxPool2x2IndexedPlane(PoolGeometry g, float[] x, float[] out, float[] argmax, int pl) {
        int w = g.w();
        int outH = g.outH();
        int outW = g.outW();
        int in = pl * g.h() * w;
        int o = pl * outH * outW;
        for (int oy = 0; oy < outH; oy++) {
            int top = in + 2 * oy * w;
            int bottom = top + w;
            for (int ox = 0; ox < outW; ox++, o++) {
                int c = 2 * ox;
                float a = x[top + c];
                float b = x[top + c + 1];
                float cc = x[bottom + c];
                float d = x[bottom + c + 1];
                float m = Math.max(Math.max(a, b), Math.max(cc, d));
                int win = cc == m ? bottom + c : bottom + c + 1;
                win = b == m ? top + c + 1 : win;
                win = a == m ? top + c : win;
                if (m != m) {
                    win = argMax2x2(x, top, bottom, c);
                }
                out[o] = m;
                argmax[o] = win - in;
            }
        }
    }

    /** Any window: the first maximum of each, scanned in row-major window order (the reference rule). */
    private static void maxPoolIndexedPlane(PoolGeometry g, float[] x, float[] out, float[] argmax, int pl) {
        int h = g.h();
        int w = g.w();
        int in = pl * h * w;
        int o = pl * g.outH() * g.outW();
        for (int oy = 0; oy < g.outH(); oy++) {
            int y0 = oy * g.strideH() - g.padH();
            for (int ox = 0; ox < g.outW(); ox++, o++) {
                int x0 = ox * g.strideW() - g.padW();
                int win = argMax(x, in, w, Math.max(0, y0), Math.min(h, y0 + g.kh()), Math.max(0, x0),
                        Math.min(w, x0 + g.kw()));
                out[o] = x[win];
                argmax[o] = win - in;
            }
        }
    }

    // ---- average pooling (general kernels only: no layer of interest uses it in its inner loop)

    /** The divisor of output (oy, ox): the whole window, or only its cells inside the image. */
    private static int avgDivisor(PoolGeometry g, boolean countIncludePad, int oy, int ox) {
        if (countIncludePad) {
            return g.kh() * g.kw();
        }
        int y0 = oy * g.strideH() - g.padH();
        int x0 = ox * g.strideW() - g.padW();
        int rows = Math.min(g.h(), y0 + g.kh()) - Math.max(0, y0);
        int cols = Math.min(g.w(), x0 + g.kw()) - Math.max(0, x0);
        return rows * cols;
    }

    static void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, float[] out) {
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            int w = g.w();
            int outH = g.outH();
            int outW = g.outW();
            int sw = g.strideW();
            for (int pl = from; pl < to; pl++) {
                int in = pl * g.h() * w;
                int o = pl * outH * outW;
                Arrays.fill(out, o, o + outH * outW, 0f);
                for (int i = 0; i < g.kh(); i++) {
                    int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                    int oyHi = endInside(g.h() - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                    for (int j = 0; j < g.kw(); j++) {
                        int oxLo = firstInside(g.padW() - j, sw, outW);
                        int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int src = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                            int d = o + oy * outW;
                            if (sw == 1) {
                                addInto(x, src + oxLo, out, d + oxLo, oxHi - oxLo);
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++) {
                                    out[d + ox] += x[src + ox * sw];
                                }
                            }
                        }
                    }
                }
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        out[o + oy * outW + ox] /= avgDivisor(g, countIncludePad, oy, ox);
                    }
                }
            }
        });
    }

    static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] gradOut, float[] gradInput) {
        Parallel.forRange(g.n() * g.c(), poolWork(g), Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            int w = g.w();
            int outH = g.outH();
            int outW = g.outW();
            int sw = g.strideW();
            float[] share = scratch(SLOT_POOL, outH * outW);
            for (int pl = from; pl < to; pl++) {
                int in = pl * g.h() * w;
                int o = pl * outH * outW;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        share[oy * outW + ox] = gradOut[o + oy * outW + ox] / avgDivisor(g, countIncludePad, oy, ox);
                    }
                }
                Arrays.fill(gradInput, in, in + g.h() * w, 0f);
                for (int i = 0; i < g.kh(); i++) {
                    int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                    int oyHi = endInside(g.h() - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                    for (int j = 0; j < g.kw(); j++) {
                        int oxLo = firstInside(g.padW() - j, sw, outW);
                        int oxHi = endInside(w - 1 + g.padW() - j, sw, oxLo, outW);
                        for (int oy = oyLo; oy < oyHi; oy++) {
                            int dst = in + (oy * g.strideH() - g.padH() + i) * w - g.padW() + j;
                            int s = oy * outW;
                            if (sw == 1) {
                                addInto(share, s + oxLo, gradInput, dst + oxLo, oxHi - oxLo);
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++) {
                                    gradInput[dst + ox * sw] += share[s + ox];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
