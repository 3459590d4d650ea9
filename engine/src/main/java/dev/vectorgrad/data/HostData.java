package dev.vectorgrad.data;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;

/**
 * Moves data between tensors and plain arrays for this package. Datasets keep their values in host
 * arrays and build every batch with plain copies, so assembling minibatches costs no tensor kernels.
 */
final class HostData {

    private HostData() {
    }

    /** Row-major values of a tensor: {@code array[offset .. offset + numel)}. */
    record View(float[] array, int offset) {
    }

    /**
     * The values of {@code t} in row-major order, read-only: the tensor's own array when it is a
     * contiguous host tensor (no copy), a copy otherwise.
     */
    static View view(Tensor t) {
        if (t.storage() instanceof HostStorage h && t.isContiguous()) {
            return new View(h.array(), t.storageOffset());
        }
        return new View(t.numel() == 0 ? new float[0] : t.toArray(), 0);
    }

    /** A fresh array with the values of {@code t} in row-major order. */
    static float[] copy(Tensor t) {
        View v = view(t);
        return Arrays.copyOfRange(v.array(), v.offset(), v.offset() + t.numel());
    }

    /** A contiguous tensor on the current backend that takes ownership of {@code data}. */
    static Tensor tensor(float[] data, int... shape) {
        Backend b = Backends.current();
        return Tensor.wrap(b.fromArray(data), Layout.contiguous(shape), b);
    }

    /** {@code (first, rest...)}. */
    static int[] prepend(int first, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    /** Product of the dimensions. */
    static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " holds more elements than a tensor can");
        }
        return (int) n;
    }

    static String format(int... shape) {
        return Shapes.format(shape);
    }

    /** Checks that every index lies in {@code [0, size)}; the message names the operation. */
    static void checkIndices(String op, int[] indices, int size) {
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " (position " + k
                        + ") is out of range for a dataset of " + size + " samples");
            }
        }
    }
}
