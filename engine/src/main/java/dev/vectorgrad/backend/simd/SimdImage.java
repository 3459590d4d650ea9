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
 * <p>Convolution is lowered per image to GEMM through im2col: with {@code R = C*kh*kw} and
 * {@code P = outH*outW}, the forward pass is {@code out_n (K x P) = W (K x R) * col_n (R x P)}, the input
 * gradient is {@code col2im(W^T * gradOut_n)}, and the weight gradient is
 * {@code sum_n gradOut_n * col_n^T}. A pointwise convolution (1x1, stride 1, no padding) uses the image
 * itself as its column matrix. The batch is split across {@link Parallel}'s threads; each thread unfolds
 * into its own reusable scratch buffer.
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

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * A scratch array of at least {@code size} floats owned by the calling thread (content undefined).
     * Buffers larger than {@link Thresholds#IMAGE_SCRATCH_KEEP} are not kept, so an occasional huge layer
     * does not pin memory in every pool thread.
     */
    private static float[] scratch(int size) {
        if (size > Thresholds.IMAGE_SCRATCH_KEEP) {
            return new float[size];
        }
        float[] buf = SCRATCH.get();
        if (buf.length < size) {
            buf = new float[size];
            SCRATCH.set(buf);
        }
        return buf;
    }

    // ---------------------------------------------------------------- im2col / col2im

    static void im2col(ConvGeometry g, float[] x, int image, float[] col, int colOffset) {
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
                    int dst = colOffset + ((ch * kh + i) * kw + j) * p;
                    int oxLo = firstInside(g.padW() - j, g.strideW(), outW);
                    int oxHi = endInside(w - 1 + g.padW() - j, g.strideW(), oxLo, outW);
                    if (oyLo >= oyHi || oxLo >= oxHi) {
                        Arrays.fill(col, dst, dst + p, 0f);
                    } else if (flat) {
                        unfoldFlat(x, src, col, dst, w, p, i - g.padH(), j - g.padW(), oyLo, oyHi, oxLo, oxHi);
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
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int kh = g.kh();
        int kw = g.kw();
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int dstPlane = (image * c + ch) * plane;
            for (int i = 0; i < kh; i++) {
                int oyLo = firstInside(g.padH() - i, g.strideH(), outH);
                int oyHi = endInside(h - 1 + g.padH() - i, g.strideH(), oyLo, outH);
                for (int j = 0; j < kw; j++) {
                    int src = colOffset + ((ch * kh + i) * kw + j) * p;
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

    static void conv2d(ConvGeometry g, float[] x, float[] weight, float[] bias, float[] out) {
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int inImage = g.c() * g.h() * g.w();
        boolean direct = pointwise(g);
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] col = direct ? null : scratch(r * p);
            for (int n = from; n < to; n++) {
                int o = n * k * p;
                float beta = 0f;
                if (bias != null) {
                    for (int kk = 0; kk < k; kk++) {
                        Arrays.fill(out, o + kk * p, o + (kk + 1) * p, bias[kk]);
                    }
                    beta = 1f;
                }
                if (direct) {
                    SimdGemm.gemm(false, false, k, p, r, 1f, weight, 0, r, x, n * inImage, p, beta, out, o, p);
                } else {
                    im2col(g, x, n, col, 0);
                    SimdGemm.gemm(false, false, k, p, r, 1f, weight, 0, r, col, 0, p, beta, out, o, p);
                }
            }
        });
    }

    static void conv2dBackwardInput(ConvGeometry g, float[] weight, float[] gradOut, float[] gradInput) {
        int k = g.k();
        int r = g.colRows();
        int p = g.colCols();
        int inImage = g.c() * g.h() * g.w();
        boolean direct = pointwise(g);
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(g.n(), work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] col = direct ? null : scratch(r * p);
            for (int n = from; n < to; n++) {
                int go = n * k * p;
                if (direct) {
                    SimdGemm.gemm(true, false, r, p, k, 1f, weight, 0, r, gradOut, go, p, 0f, gradInput, n * inImage, p);
                } else {
                    SimdGemm.gemm(true, false, r, p, k, 1f, weight, 0, r, gradOut, go, p, 0f, col, 0, p);
                    Arrays.fill(gradInput, n * inImage, (n + 1) * inImage, 0f);
                    col2im(g, col, 0, gradInput, n);
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
        int inImage = g.c() * g.h() * g.w();
        boolean direct = pointwise(g);
        boolean dot = k * r <= Thresholds.IMAGE_WGRAD_DOT_OUTPUTS && p >= L;
        // Each chunk of the batch sums into its own buffers (the first chunk straight into the outputs);
        // the partial sums are then added in chunk order, so the result does not depend on timing.
        float[][] partialW = new float[batch][];
        float[][] partialB = new float[batch][];
        long work = splitBatch(g) ? convWork(g) : 0;
        Parallel.forRange(batch, work, Thresholds.PARALLEL_IMAGE_WORK, (from, to) -> {
            float[] gw = from == 0 ? gradWeight : new float[k * r];
            float[] gb = gradBias == null ? null : from == 0 ? gradBias : new float[k];
            float[] col = direct ? null : scratch(r * p);
            for (int n = from; n < to; n++) {
                boolean first = n == from;
                float[] b = x;
                int bOff = n * inImage;
                if (!direct) {
                    im2col(g, x, n, col, 0);
                    b = col;
                    bOff = 0;
                }
                int go = n * k * p;
                if (dot) {
                    dotRows(k, r, p, gradOut, go, b, bOff, gw, !first);
                } else {
                    SimdGemm.gemm(false, true, k, r, p, 1f, gradOut, go, p, b, bOff, p, first ? 0f : 1f, gw, 0, r);
                }
                if (gb != null) {
                    for (int kk = 0; kk < k; kk++) {
                        float s = sum(gradOut, go + kk * p, p);
                        gb[kk] = first ? s : gb[kk] + s;
                    }
                }
            }
            if (from != 0) {
                partialW[from] = gw;
                partialB[from] = gb;
            }
        });
        for (int s = 1; s < batch; s++) {
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
     * (n x len): the weight gradient {@code gradOut * col^T} when it is small and its inner dimension long
     * (a first layer: few filters, one input channel, a whole image per dot product). Both operands are
     * read along their rows, 2 x 4 dot products at a time.
     */
    static void dotRows(int m, int n, int len, float[] a, int aOff, float[] b, int bOff, float[] c, boolean accumulate) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int a0 = aOff + i * len;
            int a1 = a0 + len;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bOff + j * len;
                int b1 = b0 + len;
                int b2 = b1 + len;
                int b3 = b2 + len;
                FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
                int q = 0;
                for (; q < bound; q += L) {
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + q);
                    FloatVector x1 = FloatVector.fromArray(S, a, a1 + q);
                    FloatVector y = FloatVector.fromArray(S, b, b0 + q);
                    s00 = x0.fma(y, s00);
                    s10 = x1.fma(y, s10);
                    y = FloatVector.fromArray(S, b, b1 + q);
                    s01 = x0.fma(y, s01);
                    s11 = x1.fma(y, s11);
                    y = FloatVector.fromArray(S, b, b2 + q);
                    s02 = x0.fma(y, s02);
                    s12 = x1.fma(y, s12);
                    y = FloatVector.fromArray(S, b, b3 + q);
                    s03 = x0.fma(y, s03);
                    s13 = x1.fma(y, s13);
                }
                float t00 = s00.reduceLanes(VectorOperators.ADD), t01 = s01.reduceLanes(VectorOperators.ADD);
                float t02 = s02.reduceLanes(VectorOperators.ADD), t03 = s03.reduceLanes(VectorOperators.ADD);
                float t10 = s10.reduceLanes(VectorOperators.ADD), t11 = s11.reduceLanes(VectorOperators.ADD);
                float t12 = s12.reduceLanes(VectorOperators.ADD), t13 = s13.reduceLanes(VectorOperators.ADD);
                for (; q < len; q++) {
                    float x0 = a[a0 + q];
                    float x1 = a[a1 + q];
                    t00 += x0 * b[b0 + q];
                    t01 += x0 * b[b1 + q];
                    t02 += x0 * b[b2 + q];
                    t03 += x0 * b[b3 + q];
                    t10 += x1 * b[b0 + q];
                    t11 += x1 * b[b1 + q];
                    t12 += x1 * b[b2 + q];
                    t13 += x1 * b[b3 + q];
                }
                int c0 = i * n + j;
                int c1 = c0 + n;
                store(c, c0, t00, accumulate);
                store(c, c0 + 1, t01, accumulate);
                store(c, c0 + 2, t02, accumulate);
                store(c, c0 + 3, t03, accumulate);
                store(c, c1, t10, accumulate);
                store(c, c1 + 1, t11, accumulate);
                store(c, c1 + 2, t12, accumulate);
                store(c, c1 + 3, t13, accumulate);
            }
            for (; j < n; j++) {
                store(c, i * n + j, dot(a, a0, b, bOff + j * len, len), accumulate);
                store(c, (i + 1) * n + j, dot(a, a1, b, bOff + j * len, len), accumulate);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                store(c, i * n + j, dot(a, aOff + i * len, b, bOff + j * len, len), accumulate);
            }
        }
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
        float[] max = scratch(p);
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
            float[] share = scratch(outH * outW);
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
