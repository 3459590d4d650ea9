package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Layout;

import java.util.Arrays;
import java.util.Random;

/** Random strided views for the kernel tests: offsets, permutations, slices with steps, broadcasts. */
final class Views {

    /** Host data and a view of it. */
    record View(float[] data, Layout layout) {
        @Override
        public String toString() {
            return layout + " over " + data.length + " floats";
        }
    }

    interface Values {
        float[] make(Random r, int n);
    }

    private Views() {
    }

    /** Sizes around the device work-group (64) and the empty and single cases. */
    static final int[] EDGE_SIZES = {0, 1, 2, 7, 63, 64, 65, 130};

    /** A random shape of rank 0..5 with at most {@code maxSize} elements, sometimes with a 1 or a 0. */
    static int[] shape(Random r, int maxSize) {
        int rank = r.nextInt(6);
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) {
            int k = r.nextInt(10);
            s[d] = k == 0 ? 1 : 1 + r.nextInt(7);
        }
        if (rank > 0 && r.nextInt(30) == 0) {
            s[r.nextInt(rank)] = 0;
        }
        while (size(s) > maxSize) {
            int d = r.nextInt(rank);
            s[d] = Math.max(1, s[d] / 2);
        }
        return s;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static View contiguous(Random r, int[] shape, int pad, Values values) {
        float[] data = values.make(r, pad + size(shape));
        return new View(data, new Layout(shape, Layout.contiguousStrides(shape), pad));
    }

    /** A random view with the given logical shape: any mix of offset, permutation, step slicing and broadcast. */
    static View random(Random r, int[] shape, Values values) {
        int rank = shape.length;
        int pad = r.nextBoolean() ? 0 : r.nextInt(5);
        int kind = r.nextInt(6);
        if (kind == 0) {
            return contiguous(r, shape, pad, values);
        }
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        if (kind == 1 || kind >= 4) {
            for (int i = rank - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        int[] step = new int[rank];
        int[] start = new int[rank];
        int[] extra = new int[rank];
        boolean[] bcast = new boolean[rank];
        Arrays.fill(step, 1);
        for (int d = 0; d < rank; d++) {
            if ((kind == 2 || kind >= 4) && r.nextBoolean()) {
                step[d] = 1 + r.nextInt(3);
                extra[d] = r.nextInt(3);
                start[d] = extra[d] == 0 ? 0 : r.nextInt(extra[d] + 1);
            }
            if ((kind == 3 || kind == 5) && r.nextInt(3) == 0) {
                bcast[d] = true;
            }
        }
        int[] stored = new int[rank];
        for (int i = 0; i < rank; i++) {
            int d = perm[i];
            stored[i] = bcast[d] ? 1 : Math.max(1, shape[d] * step[d] + extra[d]);
        }
        int[] storedStrides = Layout.contiguousStrides(stored);
        int[] strides = new int[rank];
        int offset = pad;
        for (int i = 0; i < rank; i++) {
            int d = perm[i];
            if (!bcast[d]) {
                strides[d] = storedStrides[i] * step[d];
                offset += start[d] * storedStrides[i];
            }
        }
        float[] data = values.make(r, pad + size(stored));
        return new View(data, new Layout(shape, strides, offset));
    }

    /** A view of {@code small} (a suffix shape with some 1s) broadcast to {@code shape}. */
    static View broadcast(Random r, int[] shape, Values values) {
        int rank = shape.length;
        int keep = r.nextInt(rank + 1);
        int[] small = Arrays.copyOfRange(shape, rank - keep, rank);
        for (int d = 0; d < small.length; d++) {
            if (r.nextInt(3) == 0) {
                small[d] = 1;
            }
        }
        int[] smallStrides = Layout.contiguousStrides(small);
        int[] strides = new int[rank];
        for (int d = rank - keep; d < rank; d++) {
            strides[d] = small[d - (rank - keep)] == 1 ? 0 : smallStrides[d - (rank - keep)];
        }
        int pad = r.nextInt(3);
        return new View(values.make(r, pad + size(small)), new Layout(shape, strides, pad));
    }
}
