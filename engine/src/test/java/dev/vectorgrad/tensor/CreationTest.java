package dev.vectorgrad.tensor;

import org.junit.jupiter.api.Test;

import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.assertValues;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationTest {

    @Test
    void ofVectorMatrixAndCube() {
        assertTensor(Tensor.of(1, 2, 3), shape(3), 1, 2, 3);
        assertTensor(Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}), shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertTensor(Tensor.of(new float[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}), shape(2, 2, 2),
                1, 2, 3, 4, 5, 6, 7, 8);
        assertTensor(Tensor.of(new float[0][]), shape(0, 0));
    }

    @Test
    void ofCopiesItsInput() {
        float[] v = {1, 2, 3};
        float[][] m = {{1, 2}, {3, 4}};
        Tensor a = Tensor.of(v);
        Tensor b = Tensor.of(m);
        Tensor c = Tensor.fromArray(v, 3);
        v[0] = 99;
        m[0][0] = 99;
        assertValues(a, 1, 2, 3);
        assertValues(b, 1, 2, 3, 4);
        assertValues(c, 1, 2, 3);
    }

    @Test
    void raggedArraysAreRejectedClearly() {
        assertMessage(ShapeException.class,
                "of: ragged nested array: element [1] has length 2 but element [0] has length 3;"
                        + " every row must have the same length",
                () -> Tensor.of(new float[][] {{1, 2, 3}, {4, 5}}));
        assertMessage(ShapeException.class,
                "of: ragged nested array: element [1][0] has length 1 but element [0][0] has length 2;"
                        + " every row must have the same length",
                () -> Tensor.of(new float[][][] {{{1, 2}}, {{3}}}));
        assertMessage(IllegalArgumentException.class, "of: element [1] is null",
                () -> Tensor.of(new float[][] {{1}, null}));
    }

    @Test
    void scalarIsZeroDimensional() {
        Tensor s = Tensor.scalar(2.5f);
        assertEquals(0, s.ndim());
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(2.5f, s.item());
        assertEquals(2.5f, s.get());
        assertArrayEquals(new int[0], s.shape());
    }

    @Test
    void fromArrayChecksLengthAndShape() {
        assertTensor(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertMessage(ShapeException.class, "fromArray: 5 values cannot fill shape (2,3), which needs 6",
                () -> Tensor.fromArray(new float[5], 2, 3));
        assertMessage(IllegalArgumentException.class,
                "fromArray: negative dimension -2 in shape (3,-2); sizes must be >= 0",
                () -> Tensor.fromArray(new float[6], 3, -2));
        assertMessage(IllegalArgumentException.class,
                "zeros: negative dimension -1 in shape (-1); sizes must be >= 0", () -> Tensor.zeros(-1));
    }

    @Test
    void filledTensors() {
        assertTensor(Tensor.zeros(2, 2), shape(2, 2), 0, 0, 0, 0);
        assertTensor(Tensor.ones(3), shape(3), 1, 1, 1);
        assertTensor(Tensor.full(7, 1, 2), shape(1, 2), 7, 7);
        assertTensor(Tensor.full(-0f, 2), shape(2), -0f, -0f);
        assertTensor(Tensor.zeros(), shape(), 0);
        assertTensor(Tensor.zeros(0, 3), shape(0, 3));
        Tensor t = Tensor.of(new float[][] {{1, 2, 3}});
        assertTensor(Tensor.zerosLike(t), shape(1, 3), 0, 0, 0);
        assertTensor(Tensor.onesLike(t), shape(1, 3), 1, 1, 1);
        assertTensor(Tensor.fullLike(t, 4), shape(1, 3), 4, 4, 4);
    }

    @Test
    void arangeLinspaceEye() {
        assertTensor(Tensor.arange(5), shape(5), 0, 1, 2, 3, 4);
        assertTensor(Tensor.arange(0), shape(0));
        assertTensor(Tensor.arange(2, 5), shape(3), 2, 3, 4);
        assertTensor(Tensor.arange(1, 2, 0.25f), shape(4), 1, 1.25f, 1.5f, 1.75f);
        assertTensor(Tensor.arange(5, 0, -2), shape(3), 5, 3, 1);
        assertTensor(Tensor.arange(0, 1, 0.3f), shape(4), 0, 0.3f, 0.6f, (float) (0.3f * 3.0));
        assertMessage(IllegalArgumentException.class, "arange: step must not be 0", () -> Tensor.arange(0, 1, 0));
        assertMessage(IllegalArgumentException.class, "arange: end 0.0 cannot be reached from start 5.0 with step 1.0",
                () -> Tensor.arange(5, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, Float.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, Float.POSITIVE_INFINITY, 1));

        assertTensor(Tensor.linspace(0, 1, 5), shape(5), 0, 0.25f, 0.5f, 0.75f, 1);
        assertTensor(Tensor.linspace(2, 3, 1), shape(1), 2);
        assertTensor(Tensor.linspace(0, 1, 0), shape(0));
        assertEquals(-7f, Tensor.linspace(3, -7, 13).get(-1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1));

        assertTensor(Tensor.eye(3), shape(3, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertTensor(Tensor.eye(2, 3), shape(2, 3), 1, 0, 0, 0, 1, 0);
    }

    @Test
    void randomTensorsHaveTheRightShapesAndRanges() {
        Rng rng = new Rng(123);
        Tensor u = Tensor.rand(rng, 100, 50);
        assertShape(u, 100, 50);
        for (float v : u.toArray()) {
            assertTrue(v >= 0 && v < 1);
        }
        Tensor w = Tensor.uniform(rng, -2, 3, 1000);
        for (float v : w.toArray()) {
            assertTrue(v >= -2 && v < 3);
        }
        Tensor n = Tensor.randn(rng, 20000);
        assertEquals(0, n.mean().item(), 0.03);
        assertEquals(1, n.std().item(), 0.03);
        assertShape(Tensor.rand(2, 3), 2, 3);
        assertShape(Tensor.randn(4), 4);
        assertShape(Tensor.uniform(0, 1, 0, 2), 0, 2);
        assertThrows(IllegalArgumentException.class, () -> Tensor.uniform(1, 0, 3));
    }

    @Test
    void itemAndGetAreCheckedForPeople() {
        Tensor t = Checks.iota(2, 3);
        assertMessage(IllegalArgumentException.class,
                "item: a tensor with 6 elements (shape (2,3)) cannot be converted to a single value;"
                        + " only one-element tensors can", t::item);
        assertEquals(5f, t.get(1, 2));
        assertEquals(5f, t.get(-1, -1));
        assertEquals(3f, Tensor.of(3).item());
        assertMessage(IllegalArgumentException.class,
                "get: index 3 is out of bounds for dimension 1 with size 3 (shape (2,3))", () -> t.get(0, 3));
        assertMessage(IllegalArgumentException.class, "get: 1 indices given for a 2-D tensor of shape (2,3)",
                () -> t.get(1));
    }

    @Test
    void nestedArrayExport() {
        Tensor t = Checks.iota(2, 3);
        assertArrayEquals(new float[][] {{0, 1, 2}, {3, 4, 5}}, t.toFloatArray2D());
        assertArrayEquals(new float[][] {{0, 3}, {1, 4}, {2, 5}}, t.t().toFloatArray2D());
        float[][][] c = Checks.iota(2, 1, 2).toFloatArray3D();
        assertArrayEquals(new float[] {2, 3}, c[1][0]);
        assertThrows(IllegalArgumentException.class, t::toFloatArray3D);
    }

    @Test
    void tensorsCanMoveBetweenBackends() {
        Tensor t = Checks.iota(2, 2);
        Tensor s = t.to("scalar");
        assertEquals("scalar", s.backend().name());
        assertEquals(t, s);
        assertTrue(s.to("scalar") == s);
    }

    @Test
    void catAndStack() {
        Tensor a = Checks.iota(2, 3);
        Tensor b = Checks.iota(1, 3).add(10);
        assertTensor(Tensor.cat(a, b), shape(3, 3), 0, 1, 2, 3, 4, 5, 10, 11, 12);
        assertTensor(Tensor.cat(java.util.List.of(a, a.add(-9)), 1), shape(2, 6),
                0, 1, 2, -9, -8, -7, 3, 4, 5, -6, -5, -4);
        assertTensor(Tensor.cat(java.util.List.of(a.t(), b.t()), -1), shape(3, 3), 0, 3, 10, 1, 4, 11, 2, 5, 12);
        assertTensor(Tensor.stack(Tensor.of(1, 2), Tensor.of(3, 4)), shape(2, 2), 1, 2, 3, 4);
        assertTensor(Tensor.stack(java.util.List.of(Tensor.of(1, 2), Tensor.of(3, 4)), 1), shape(2, 2), 1, 3, 2, 4);
        assertTensor(Tensor.stack(Tensor.scalar(1), Tensor.scalar(2)), shape(2), 1, 2);
        assertMessage(ShapeException.class,
                "cat: tensors 0 and 1 have shapes (2,3) and (1,4); all dimensions except 0 must agree",
                () -> Tensor.cat(a, Tensor.zeros(1, 4)));
        assertMessage(ShapeException.class, "stack: tensors 0 and 1 have shapes (2) and (3); stack needs equal shapes",
                () -> Tensor.stack(Tensor.zeros(2), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat());
    }
}
