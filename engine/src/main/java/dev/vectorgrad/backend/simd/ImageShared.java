package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Thresholds;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the image kernels share: the vector species, the per-thread scratch buffers (one per slot, so a
 * kernel that needs two buffers at once takes them from different slots; each thread works in its own
 * reusable buffers) and the short-run vector helpers (copy, add, max, zero with masked or scalar tails).
 */
final class ImageShared {
    static final VectorSpecies<Float> S = SimdInfo.SPECIES;
    static final int L = S.length();

    private ImageShared() {
    }

    // ---------------------------------------------------------------- scratch

    /** Scratch slots: a kernel that needs two buffers at once takes them from different slots. */
    static final int SLOT_COL = 0;
    static final int SLOT_MAT = 1;
    static final int SLOT_POOL = 2;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /**
     * A scratch array of at least {@code size} floats owned by the calling thread (content undefined),
     * one per slot. Buffers larger than {@link Thresholds#IMAGE_SCRATCH_KEEP} are not kept, so an
     * occasional huge layer does not pin memory in every pool thread.
     */
    static float[] scratch(int slot, int size) {
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

    // ---------------------------------------------------------------- vector helpers

    /**
     * {@code dst[d..d+len) = src[s..s+len)}. Short runs (an im2col row segment is one output row wide)
     * are vector moves with a masked tail, measured faster than a scalar tail or System.arraycopy there.
     */
    static void copy(float[] src, int s, float[] dst, int d, int len) {
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
    static void addInto(float[] src, int s, float[] dst, int d, int len) {
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
    static void maxInto(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, dst, d + i).max(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) {
            dst[d + i] = Math.max(dst[d + i], src[s + i]);
        }
    }

    static void fillZero(float[] a, int from, int len) {
        for (int i = 0; i < len; i++) {
            a[from + i] = 0f;
        }
    }
}
