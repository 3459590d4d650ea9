package dev.vectorgrad.gpu.opencl;

import dev.vectorgrad.backend.Layout;

import java.util.Arrays;

/**
 * Strided views of one shape, simplified for the device kernels: dimensions of size 1 are dropped and
 * neighbouring dimensions that every view walks as one (outer stride = inner stride * inner size) are
 * merged, so a contiguous tensor becomes rank 1 and most views rank 2 or 3. The result must have at
 * most {@link #MAX_RANK} dimensions: the kernels take shape and strides as {@code int8} arguments.
 */
final class Strided {

    static final int MAX_RANK = 8;

    /** Merged shape, one stride array per view (each padded to 8 entries), and the rank in use. */
    record Merged(int rank, int[] shape, int[][] strides) {
    }

    private Strided() {
    }

    static Merged merge(String op, Layout... views) {
        int rank = views[0].rank();
        int[] shape = new int[rank];
        int[][] strides = new int[views.length][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (views[0].dim(d) == 1) {
                continue;
            }
            shape[r] = views[0].dim(d);
            for (int v = 0; v < views.length; v++) {
                strides[v][r] = views[v].stride(d);
            }
            r++;
        }
        // Merge from the innermost dimension outwards.
        int w = 0;
        for (int d = 0; d < r; d++) {
            if (w > 0 && mergeable(strides, w - 1, d, shape)) {
                shape[w - 1] *= shape[d];
                for (int[] s : strides) {
                    s[w - 1] = s[d];
                }
            } else {
                shape[w] = shape[d];
                for (int[] s : strides) {
                    s[w] = s[d];
                }
                w++;
            }
        }
        if (w == 0) { // a single element (rank 0, or every dimension of size 1)
            w = 1;
            shape = new int[] {1};
            strides = new int[views.length][1];
        }
        if (w > MAX_RANK) {
            throw new UnsupportedOperationException("gpu: " + op + " on a view of shape "
                    + Arrays.toString(views[0].shape()) + " that stays " + w + "-dimensional after merging"
                    + " dimensions; the device kernels take at most " + MAX_RANK + ". Make the tensor"
                    + " contiguous() first");
        }
        int[] s8 = Arrays.copyOf(shape, MAX_RANK);
        for (int i = w; i < MAX_RANK; i++) {
            s8[i] = 1;
        }
        int[][] st8 = new int[views.length][];
        for (int v = 0; v < views.length; v++) {
            st8[v] = Arrays.copyOf(strides[v], MAX_RANK);
            Arrays.fill(st8[v], w, MAX_RANK, 0);
        }
        return new Merged(w, s8, st8);
    }

    /** True if dimension {@code outer} followed by {@code inner} is one run of memory in every view. */
    private static boolean mergeable(int[][] strides, int outer, int inner, int[] shape) {
        for (int[] s : strides) {
            if ((long) s[outer] != (long) s[inner] * shape[inner]) {
                return false;
            }
        }
        return true;
    }

    /** True when the view's elements lie one after another from its offset. */
    static boolean isDense(Merged m, int view) {
        return m.rank() == 1 && (m.strides()[view][0] == 1 || m.shape()[0] == 1);
    }
}
