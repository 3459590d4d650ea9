package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.tensor.Tensor;

/** Shape arithmetic the reductions' backward passes share. */
final class Dims {

    private Dims() {
    }

    /**
     * Which dimensions of a rank-{@code rank} tensor a reduction over {@code dims} removes: all of them
     * when {@code dims} is null or empty; negative entries count from the end.
     */
    static boolean[] reduced(int rank, int[] dims) {
        boolean[] r = new boolean[rank];
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(r, true);
            return r;
        }
        for (int d : dims) {
            r[d < 0 ? d + rank : d] = true;
        }
        return r;
    }

    /** The input shape with every reduced dimension set to 1: the shape of a keepDim result. */
    static int[] kept(int[] shape, boolean[] reduced) {
        int[] k = shape.clone();
        for (int d = 0; d < k.length; d++) {
            if (reduced[d]) {
                k[d] = 1;
            }
        }
        return k;
    }

    /** How many elements each reduced group holds. */
    static int groupSize(int[] shape, boolean[] reduced) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                n *= shape[d];
            }
        }
        return n;
    }

    /** An output gradient of a reduction, broadcast back over the reduced dimensions (a view). */
    static Tensor spread(Tensor g, int[] shape, boolean[] reduced) {
        return g.reshape(kept(shape, reduced)).expand(shape);
    }

    /** {@code g} where {@code mask} is non-zero, else 0 (never {@code g * 0}, which is NaN for infinite g). */
    static Tensor masked(Tensor mask, Tensor g) {
        return Tensor.where(mask, g, Tensor.scalar(0f));
    }
}
