package dev.vectorgrad.backend;

import dev.vectorgrad.backend.simd.SimdInfo;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Random shapes, strided / broadcast views and value mixes for the kernel property tests. */
final class RandomTensors {

    /** Lanes of the SIMD species on this machine (16 with AVX-512, 8 with AVX2). */
    static final int L = SimdInfo.lanes();

    private RandomTensors() {
    }

    /** A storage array and a view into it. */
    record View(float[] data, Layout layout) {
        @Override
        public String toString() {
            return layout + " over " + data.length + " floats";
        }
    }

    /** Draws one value. */
    @FunctionalInterface
    interface Values {
        float next(Random r);
    }

    /** Mostly N(0, 3), sometimes wide (up to +-100), rarely a special value (NaN, infinities, zeros, 1). */
    static final Values MIXED = r -> {
        int k = r.nextInt(100);
        if (k < 3) {
            float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f};
            return specials[r.nextInt(specials.length)];
        }
        if (k < 10) {
            return (r.nextFloat() * 2 - 1) * 100;
        }
        return (float) (r.nextGaussian() * 3);
    };

    /** Finite N(0, 1) values. */
    static final Values GAUSSIAN = r -> (float) r.nextGaussian();

    /** Small integers 0..4: many ties (argmax) and exactly representable sums. */
    static final Values SMALL_INTS = r -> r.nextInt(5);

    static float[] values(Random r, int n, Values gen) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = gen.next(r);
        }
        return v;
    }

    /**
     * 1-D sizes that stress the loop structure: empty, one element, just below / at / above multiples
     * of the lane count and of the 4-vector unroll, and above the parallel thresholds.
     */
    static int[] edgeSizes() {
        TreeSet<Integer> s = new TreeSet<>(Arrays.asList(0, 1, 2, 3, L - 1, L, L + 1, 2 * L - 1, 2 * L + 1,
                3 * L + 1, 4 * L - 1, 4 * L, 4 * L + 1, 8 * L + 3, 1000,
                Thresholds.PARALLEL_TRANSCENDENTAL + 5, Thresholds.PARALLEL_ELEMENTWISE + 7));
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A random shape of rank 0..4 with at most {@code maxSize} elements; now and then a 0 dimension. */
    static int[] shape(Random r, int maxSize) {
        int rank = r.nextInt(5);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            int k = r.nextInt(20);
            if (k == 0) {
                shape[d] = 1;
            } else if (k < 4) {
                int[] laneish = {L - 1, L, L + 1, 2 * L + 3, 4 * L + 1};
                shape[d] = laneish[r.nextInt(laneish.length)];
            } else {
                shape[d] = 1 + r.nextInt(12);
            }
        }
        if (rank > 0 && r.nextInt(40) == 0) {
            shape[r.nextInt(rank)] = 0;
        }
        while (size(shape) > maxSize) {
            int d = r.nextInt(rank);
            shape[d] = Math.max(1, shape[d] / 2);
        }
        return shape;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A contiguous view of fresh values, starting {@code pad} floats into its storage. */
    static View contiguous(Random r, int[] shape, int pad, Values gen) {
        float[] data = values(r, pad + size(shape), gen);
        return new View(data, new Layout(shape, Layout.contiguousStrides(shape), pad));
    }

    /**
     * A view of the given logical shape over a larger storage: its dimensions are stored in the order
     * {@code perm} (a transpose / permute when not the identity), each logical dimension {@code d} is
     * taken every {@code step[d]} elements starting at {@code start[d]} out of {@code extent[d]}
     * (a slice), and dimensions with {@code broadcast[d]} have stride 0 over a stored extent of 1.
     */
    static View view(Random r, int[] shape, int[] perm, int[] step, int[] start, int[] extra, boolean[] broadcast,
                     int pad, Values gen) {
        int rank = shape.length;
        int[] stored = new int[rank];
        for (int i = 0; i < rank; i++) {
            int d = perm[i];
            stored[i] = broadcast[d] ? 1 : shape[d] * step[d] + extra[d];
        }
        int[] storedStrides = Layout.contiguousStrides(stored);
        int[] strides = new int[rank];
        int offset = pad;
        for (int i = 0; i < rank; i++) {
            int d = perm[i];
            if (broadcast[d]) {
                strides[d] = 0;
            } else {
                strides[d] = storedStrides[i] * step[d];
                offset += start[d] * storedStrides[i];
            }
        }
        int n = size(stored);
        float[] data = values(r, pad + n, gen);
        return new View(data, new Layout(shape, strides, offset));
    }

    /**
     * A random view of a shape: contiguous (maybe offset), permuted, sliced, partly broadcast, a
     * broadcast scalar, or any mix.
     */
    static View randomView(Random r, int[] shape, Values gen) {
        int rank = shape.length;
        int pad = r.nextBoolean() ? 0 : r.nextInt(7);
        int kind = r.nextInt(8);
        if (kind == 0) {
            return contiguous(r, shape, pad, gen);
        }
        int[] perm = identity(rank);
        int[] step = new int[rank];
        int[] start = new int[rank];
        int[] extra = new int[rank];
        boolean[] broadcast = new boolean[rank];
        Arrays.fill(step, 1);
        boolean permute = kind == 1 || kind >= 5;
        boolean slice = kind == 2 || kind >= 6;
        boolean bcast = kind == 3 || kind == 7;
        if (kind == 4) {
            Arrays.fill(broadcast, true);
        }
        if (permute) {
            shuffle(r, perm);
        }
        for (int d = 0; d < rank; d++) {
            if (slice && r.nextBoolean()) {
                step[d] = 1 + r.nextInt(3);
                extra[d] = r.nextInt(3);
                start[d] = extra[d] == 0 ? 0 : r.nextInt(extra[d] + 1);
            }
            if (bcast && r.nextInt(3) == 0) {
                broadcast[d] = true;
            }
        }
        return view(r, shape, perm, step, start, extra, broadcast, pad, gen);
    }

    /** A 2-D view of shape (rows, cols) that is the transpose of a contiguous (cols, rows) matrix. */
    static View transposed(Random r, int rows, int cols, Values gen) {
        return view(r, new int[]{rows, cols}, new int[]{1, 0}, new int[]{1, 1}, new int[2], new int[2],
                new boolean[2], 0, gen);
    }

    /** The shape with stride 0 in the dimensions where {@code small} has size 1 (NumPy broadcasting of a shorter shape). */
    static View broadcastTo(Random r, int[] small, int[] shape, Values gen) {
        int pad = r.nextInt(3);
        float[] data = values(r, pad + size(small), gen);
        int[] smallStrides = Layout.contiguousStrides(small);
        int[] strides = new int[shape.length];
        int lead = shape.length - small.length;
        for (int d = lead; d < shape.length; d++) {
            strides[d] = small[d - lead] == 1 ? 0 : smallStrides[d - lead];
        }
        return new View(data, new Layout(shape, strides, pad));
    }

    static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    static void shuffle(Random r, int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Elementwise comparison: NaN must meet NaN, infinities must be equal, otherwise
     * {@code |e - a| <= abs + rel * |e|}.
     */
    static void assertClose(float[] expected, float[] actual, double rel, double abs, Supplier<String> context) {
        if (expected.length != actual.length) {
            fail(context.get() + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!close(expected[i], actual[i], rel * Math.abs(expected[i]) + abs)) {
                fail(context.get() + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (of " + expected.length + ")");
            }
        }
    }

    static boolean close(float e, float a, double tolerance) {
        if (Float.isNaN(e) || Float.isNaN(a)) {
            return Float.isNaN(e) && Float.isNaN(a);
        }
        if (Float.isInfinite(e) || Float.isInfinite(a)) {
            return e == a;
        }
        return Math.abs((double) e - a) <= tolerance;
    }
}
