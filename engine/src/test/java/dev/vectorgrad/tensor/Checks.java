package dev.vectorgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small assertion helpers for tensor tests. */
final class Checks {

    private Checks() {
    }

    static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape(), () -> "shape of " + t.describe());
    }

    static void assertValues(Tensor t, float... expected) {
        assertArrayEquals(expected, t.toArray(), () -> "values of " + t);
    }

    static void assertClose(Tensor t, float tol, float... expected) {
        assertArrayEquals(expected, t.toArray(), tol, () -> "values of " + t);
    }

    static void assertTensor(Tensor t, int[] shape, float... expected) {
        assertShape(t, shape);
        assertValues(t, expected);
    }

    static int[] shape(int... s) {
        return s;
    }

    /** 0, 1, 2, ... reshaped: each element's value is its row-major index. */
    static Tensor iota(int... shape) {
        return Tensor.arange(Shapes.numel(shape)).reshape(shape);
    }

    /** Asserts that {@code body} throws {@code type} with exactly {@code message}. */
    static <E extends Throwable> E assertMessage(Class<E> type, String message, Runnable body) {
        E e = assertThrows(type, body::run);
        assertEquals(message, e.getMessage());
        return e;
    }
}
