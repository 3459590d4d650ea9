package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Assertion helpers for the nn tests. */
final class NnChecks {

    private NnChecks() {
    }

    static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape(), () -> "shape of " + t.describe());
    }

    static void assertClose(Tensor t, double tol, double... expected) {
        float[] v = t.toArray();
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) expected[i];
        }
        assertArrayEquals(e, v, (float) tol, () -> "values of " + t);
    }

    static void assertClose(Tensor actual, Tensor expected, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertArrayEquals(expected.toArray(), actual.toArray(), (float) tol, () -> actual + " vs " + expected);
    }

    /** LeNet-5 as the lectures draw it, for 1x28x28 images (padding 2 on the first convolution). */
    static Sequential lenet() {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
    }
}
