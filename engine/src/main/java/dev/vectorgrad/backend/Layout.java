package dev.vectorgrad.backend;

import java.util.Arrays;

/**
 * How a tensor's elements sit in its storage: shape, strides (in elements, may be 0 for broadcast
 * dimensions) and the offset of element (0, ..., 0). Immutable; arrays are never exposed for writing.
 */
public final class Layout {

    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final int size;

    public Layout(int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " have different ranks");
        }
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements; a float32 tensor holds at most " + (Integer.MAX_VALUE - 8));
        }
        this.size = (int) n;
    }

    /** Row-major contiguous layout of a shape. */
    public static Layout contiguous(int... shape) {
        return new Layout(shape, contiguousStrides(shape), 0);
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int stride(int i) {
        return strides[i];
    }

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** True if the elements are laid out row-major without gaps starting at {@link #offset()}. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Storage index of the element at a multi-index. */
    public int indexOf(int... index) {
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            p += index[i] * strides[i];
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && offset == l.offset && Arrays.equals(shape, l.shape)
                && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + offset;
    }

    @Override
    public String toString() {
        return "Layout" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " offset " + offset;
    }
}
