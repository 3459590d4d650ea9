package dev.vectorgrad.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 array with a shape, in row-major (C) order: what a tensor file stores per entry,
 * independent of the {@code Tensor} class.
 *
 * <p>The shape is copied and {@link #shape()} returns a copy; the data array is <em>not</em> copied
 * (to keep memory at one copy of the weights) and {@link #data()} returns it as is. A shape of
 * length 0 is a scalar (one element); a shape containing 0 is an empty array.
 *
 * <p>{@link #equals} compares names, shapes and values with {@link Float#floatToIntBits} semantics:
 * NaN equals NaN, and {@code 0.0f} differs from {@code -0.0f}.
 */
public record NamedArray(String name, int[] shape, float[] data) {

    public NamedArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long n = numel(shape, name);
        if (n != data.length) {
            throw new IllegalArgumentException("array '" + name + "': shape " + shapeString(shape) + " has " + n
                    + " elements but " + data.length + " values were given");
        }
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape (1 for a scalar). */
    public int numel() {
        return data.length;
    }

    /** The number of elements of {@code shape}, checked: no negative sizes, fits a Java array. */
    static long numel(int[] shape, String name) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("array '" + name + "': shape " + shapeString(shape)
                        + " has a negative size");
            }
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("array '" + name + "': shape " + shapeString(shape)
                        + " has more elements than a Java array can hold");
            }
        }
        return n;
    }

    /** A shape as people write it: {@code (2, 3)}, {@code ()} for a scalar, {@code (5,)} for one dimension. */
    public static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray other && name.equals(other.name) && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        int show = Math.min(data.length, 6);
        StringBuilder sb = new StringBuilder("NamedArray[").append(name).append(", shape ")
                .append(shapeString(shape)).append(", [");
        for (int i = 0; i < show; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        if (show < data.length) {
            sb.append(", ... (").append(data.length).append(" values)");
        }
        return sb.append("]]").toString();
    }
}
