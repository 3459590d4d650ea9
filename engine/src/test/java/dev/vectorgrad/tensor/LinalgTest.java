package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backends;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.iota;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinalgTest {

    private final Rng rng = new Rng(2718);

    /** The test's own reference: a naive triple loop over 2-D arrays. */
    private static float[][] naive(float[][] a, float[][] b) {
        int m = a.length;
        int k = b.length;
        int n = k == 0 ? 0 : b[0].length;
        float[][] c = new float[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i][p] * b[p][j];
                }
                c[i][j] = (float) s;
            }
        }
        return c;
    }

    private static void assertMatrix(float[][] expected, Tensor actual) {
        assertShape(actual, expected.length, expected.length == 0 ? 0 : expected[0].length);
        float[][] got = actual.toFloatArray2D();
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], got[i], 1e-4f, "row " + i);
        }
    }

    @Test
    void matrixTimesMatrix() {
        Tensor a = Tensor.randn(rng, 5, 7);
        Tensor b = Tensor.randn(rng, 7, 3);
        assertMatrix(naive(a.toFloatArray2D(), b.toFloatArray2D()), a.matmul(b));
        assertMatrix(naive(a.toFloatArray2D(), b.toFloatArray2D()), a.mm(b));
        assertTensor(iota(2, 2).matmul(iota(2, 2)), shape(2, 2), 2, 3, 6, 11);
    }

    @Test
    void vectorCombinations() {
        Tensor v = Tensor.of(1, 2, 3);
        Tensor w = Tensor.of(4, 5, 6);
        Tensor m = iota(3, 2); // [[0,1],[2,3],[4,5]]
        assertTensor(v.matmul(w), shape(), 32);
        assertTensor(v.dot(w), shape(), 32);
        assertTensor(v.matmul(m), shape(2), 16, 22);          // (3) x (3,2) -> (2)
        assertTensor(m.t().matmul(v), shape(2), 16, 22);      // (2,3) x (3) -> (2)
        assertTensor(v.outer(Tensor.of(1, -1)), shape(3, 2), 1, -1, 2, -2, 3, -3);
        // 1-D with a batch: (3) x (2,3,2) -> (2,2); (2,2,3) x (3) -> (2,2)
        Tensor batch = iota(2, 3, 2);
        assertTensor(v.matmul(batch), shape(2, 2), 16, 22, 52, 58);
        assertTensor(batch.mT().matmul(v), shape(2, 2), 16, 22, 52, 58);
    }

    @Test
    void batchedWithBroadcasting() {
        Tensor a = Tensor.randn(rng, 2, 1, 3, 4);
        Tensor b = Tensor.randn(rng, 5, 4, 2);
        Tensor c = a.matmul(b);
        assertShape(c, 2, 5, 3, 2);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                float[][] expected = naive(a.select(0, i).select(0, 0).toFloatArray2D(), b.select(0, j).toFloatArray2D());
                assertMatrix(expected, c.select(0, i).select(0, j));
            }
        }
        // A stack times one shared matrix, and one matrix times a stack.
        Tensor s = Tensor.randn(rng, 4, 3, 5);
        Tensor w = Tensor.randn(rng, 5, 2);
        Tensor sw = s.matmul(w);
        assertShape(sw, 4, 3, 2);
        Tensor ws = w.t().matmul(s.mT());
        assertShape(ws, 4, 2, 3);
        for (int i = 0; i < 4; i++) {
            float[][] e = naive(s.select(0, i).toFloatArray2D(), w.toFloatArray2D());
            assertMatrix(e, sw.select(0, i));
            assertMatrix(naive(w.t().toFloatArray2D(), s.select(0, i).t().toFloatArray2D()), ws.select(0, i));
        }
    }

    @Test
    void transposedOperandsAreNotCopied() {
        Tensor a = Tensor.randn(rng, 6, 4);
        Tensor b = Tensor.randn(rng, 5, 6);
        Tensor expected = a.t().contiguous().matmul(b.t().contiguous());
        CountingBackend counting = new CountingBackend(Backends.current());
        Tensor got;
        try (var scope = Backends.use(counting)) {
            got = a.t().matmul(b.t()); // (4,6) x (6,5), both transposed views
        }
        assertEquals(0, counting.copies, "no operand may be copied");
        assertEquals(1, counting.gemms.size());
        CountingBackend.GemmCall call = counting.gemms.get(0);
        assertTrue(call.transA());
        assertTrue(call.transB());
        assertEquals(4, call.lda());
        assertEquals(6, call.ldb());
        assertArrayEquals(expected.toArray(), got.toArray(), 1e-5f);

        // A sub-matrix view keeps its parent's leading dimension.
        Tensor big = Tensor.randn(rng, 8, 10);
        Tensor sub = big.slice(0, 2, 6).slice(1, 3, 9);         // (4,6), row stride 10
        Tensor subT = big.slice(0, 1, 7).slice(1, 0, 4).t();    // (4,6), transposed with ld 10
        CountingBackend c2 = new CountingBackend(Backends.current());
        Tensor r1;
        Tensor r2;
        try (var scope = Backends.use(c2)) {
            r1 = sub.matmul(b.t());
            r2 = subT.matmul(b.t());
        }
        assertEquals(0, c2.copies);
        assertEquals(10, c2.gemms.get(0).lda());
        assertEquals(2 * 10 + 3, c2.gemms.get(0).offA());
        assertTrue(c2.gemms.get(1).transA());
        assertEquals(10, c2.gemms.get(1).lda());
        assertArrayEquals(sub.contiguous().matmul(b.t().contiguous()).toArray(), r1.toArray(), 1e-5f);
        assertArrayEquals(subT.contiguous().matmul(b.t().contiguous()).toArray(), r2.toArray(), 1e-5f);

        // Batched transposed operands and broadcast batches: still no copies.
        Tensor x = Tensor.randn(rng, 3, 4, 5);
        Tensor y = Tensor.randn(rng, 6, 5);
        CountingBackend c3 = new CountingBackend(Backends.current());
        Tensor r3;
        try (var scope = Backends.use(c3)) {
            r3 = x.mT().matmul(x.mT().mT()).add(0);             // (3,5,4) x (3,4,5)
            x.matmul(y.t());                                    // (3,4,5) x (5,6) folded into one product
        }
        assertEquals(0, c3.copies);
        assertEquals(3 + 1, c3.gemms.size());
        assertEquals(12, c3.gemms.get(3).m());
        for (int i = 0; i < 3; i++) {
            assertMatrix(naive(x.select(0, i).t().toFloatArray2D(), x.select(0, i).toFloatArray2D()), r3.select(0, i));
        }
    }

    @Test
    void irregularLayoutsAreCopiedAndStillRight() {
        Tensor a = Tensor.randn(rng, 4, 10);
        Tensor strided = a.slice(1, 0, 10, 2); // (4,5) with column stride 2
        Tensor b = Tensor.randn(rng, 5, 3);
        assertMatrix(naive(strided.toFloatArray2D(), b.toFloatArray2D()), strided.matmul(b));
        Tensor expanded = Tensor.of(1, 2, 3, 4, 5).expand(4, 5); // row stride 0
        assertMatrix(naive(expanded.toFloatArray2D(), b.toFloatArray2D()), expanded.matmul(b));
    }

    @Test
    void emptyProducts() {
        assertTensor(Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)), shape(2, 3), 0, 0, 0, 0, 0, 0);
        assertShape(Tensor.zeros(0, 3).matmul(Tensor.zeros(3, 2)), 0, 2);
        assertTensor(Tensor.zeros(0).dot(Tensor.zeros(0)), shape(), 0);
        assertShape(Tensor.zeros(0, 2, 3).matmul(Tensor.zeros(3, 4)), 0, 2, 4);
    }

    @Test
    void shapeErrorsAreExact() {
        assertMessage(ShapeException.class, "matmul: (4,3) x (2,3): inner dimensions 3 and 2 differ",
                () -> Tensor.zeros(4, 3).matmul(Tensor.zeros(2, 3)));
        assertMessage(ShapeException.class, "matmul: (3) x (4): inner dimensions 3 and 4 differ",
                () -> Tensor.zeros(3).matmul(Tensor.zeros(4)));
        assertMessage(ShapeException.class, "matmul: (2,3,4) x (5): inner dimensions 4 and 5 differ",
                () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5)));
        assertMessage(ShapeException.class,
                "matmul: (2,3,4) x (5,4,2): batch dimensions (2) and (5) cannot be broadcast",
                () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 2)));
        assertMessage(ShapeException.class,
                "matmul: () x (3): both operands need at least 1 dimension; use mul() to scale by a scalar",
                () -> Tensor.scalar(2).matmul(Tensor.zeros(3)));
        assertMessage(ShapeException.class, "mm: expected two 2-D tensors, got (3) and (3,4); use matmul() for other ranks",
                () -> Tensor.zeros(3).mm(Tensor.zeros(3, 4)));
        assertMessage(ShapeException.class, "mm: (4,3) x (2,3): inner dimensions 3 and 2 differ",
                () -> Tensor.zeros(4, 3).mm(Tensor.zeros(2, 3)));
        assertMessage(ShapeException.class, "dot: expected two 1-D tensors of the same length, got (3) and (4)",
                () -> Tensor.zeros(3).dot(Tensor.zeros(4)));
        assertMessage(ShapeException.class, "outer: expected two 1-D tensors, got (3,1) and (2)",
                () -> Tensor.zeros(3, 1).outer(Tensor.zeros(2)));
    }

    @Test
    void matmulAgreesAcrossBackends() {
        Tensor a = Tensor.randn(rng, 3, 2, 7);
        Tensor b = Tensor.randn(rng, 7, 4);
        float[] reference = null;
        for (String name : Backends.names()) {
            try (var scope = Backends.use(name)) {
                float[] r = a.matmul(b).toArray();
                if (reference == null) {
                    reference = r;
                } else {
                    assertArrayEquals(reference, r, 1e-4f, name);
                }
            }
        }
        assertFalse(Arrays.equals(new float[0], reference));
    }
}
