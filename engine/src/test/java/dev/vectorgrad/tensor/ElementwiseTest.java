package dev.vectorgrad.tensor;

import org.junit.jupiter.api.Test;

import static dev.vectorgrad.tensor.Checks.assertClose;
import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.assertValues;
import static dev.vectorgrad.tensor.Checks.iota;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElementwiseTest {

    private static final Tensor X = Tensor.of(-2, -0.5f, 0, 1, 4);

    @Test
    void unaryOpsOnHandComputedValues() {
        assertValues(X.neg(), 2, 0.5f, -0f, -1, -4);
        assertValues(X.abs(), 2, 0.5f, 0, 1, 4);
        assertValues(X.square(), 4, 0.25f, 0, 1, 16);
        assertValues(X.relu(), 0, 0, 0, 1, 4);
        assertValues(X.leakyRelu(0.1f), -0.2f, -0.05f, 0, 1, 4);
        assertValues(X.step(), 0, 0, 0, 1, 1);
        assertValues(X.sign(), -1, -1, 0, 1, 1);
        assertValues(X.clamp(-1, 2), -1, -0.5f, 0, 1, 2);
        assertValues(Tensor.of(1, 4, 9, 0.25f).sqrt(), 1, 2, 3, 0.5f);
        assertValues(Tensor.of(1, 2, -4, 0.5f).reciprocal(), 1, 0.5f, -0.25f, 2);
        assertClose(Tensor.of(2, 3, 4).pow(2), 1e-5f, 4, 9, 16);
        assertClose(Tensor.of(4, 9).pow(0.5f), 1e-5f, 2, 3);
        assertClose(Tensor.of(0, 1, -1).exp(), 1e-6f, 1, 2.7182817f, 0.36787945f);
        assertClose(Tensor.of(1, 2.7182817f, 0.5f).log(), 1e-6f, 0, 1, -0.6931472f);
        assertClose(Tensor.of(0, 2, -2).sigmoid(), 1e-6f, 0.5f, 0.8807971f, 0.11920292f);
        assertClose(Tensor.of(0, 1, -1).tanh(), 1e-6f, 0, 0.7615942f, -0.7615942f);
        assertTrue(Float.isNaN(Tensor.of(-1).log().item()));
        assertEquals(Float.NEGATIVE_INFINITY, Tensor.of(0).log().item());
    }

    @Test
    void unaryOpsReadStridedViewsInRowMajorOrder() {
        Tensor m = iota(2, 3).t(); // [[0,3],[1,4],[2,5]]
        Tensor y = m.mul(10);
        assertTensor(y, shape(3, 2), 0, 30, 10, 40, 20, 50);
        assertTrue(y.isContiguous());
        assertTensor(iota(2, 3).select(1, 2).neg(), shape(2), -2, -5);
        assertTensor(Tensor.scalar(3).square(), shape(), 9);
        assertTensor(Tensor.zeros(0, 2).exp(), shape(0, 2));
    }

    @Test
    void binaryOpsOnHandComputedValues() {
        Tensor a = Tensor.of(1, 2, 3, 4);
        Tensor b = Tensor.of(4, 3, 2, 1);
        assertValues(a.add(b), 5, 5, 5, 5);
        assertValues(a.sub(b), -3, -1, 1, 3);
        assertValues(a.mul(b), 4, 6, 6, 4);
        assertValues(a.div(b), 0.25f, 2f / 3, 1.5f, 4);
        assertClose(a.pow(b), 1e-5f, 1, 8, 9, 4);
        assertValues(a.maximum(b), 4, 3, 3, 4);
        assertValues(a.minimum(b), 1, 2, 2, 1);
        assertValues(a.eq(Tensor.of(1, 0, 3, 0)), 1, 0, 1, 0);
        assertValues(a.ne(Tensor.of(1, 0, 3, 0)), 0, 1, 0, 1);
        assertValues(a.gt(b), 0, 0, 1, 1);
        assertValues(a.ge(Tensor.of(1, 3, 3, 3)), 1, 0, 1, 1);
        assertValues(a.lt(b), 1, 1, 0, 0);
        assertValues(a.le(Tensor.of(1, 3, 2, 5)), 1, 1, 0, 1);
        Tensor c = a.add(b);
        assertNotSame(a.storage(), c.storage());
    }

    @Test
    void scalarOverloads() {
        Tensor a = Tensor.of(1, 2, 3, 6);
        assertValues(a.add(1.5f), 2.5f, 3.5f, 4.5f, 7.5f);
        assertValues(a.sub(1), 0, 1, 2, 5);
        assertValues(a.mul(-2), -2, -4, -6, -12);
        assertValues(a.div(4), 0.25f, 0.5f, 0.75f, 1.5f);
        assertValues(a.div(3), 1f / 3, 2f / 3, 1, 2);
        assertValues(a.maximum(2.5f), 2.5f, 2.5f, 3, 6);
        assertValues(a.minimum(2.5f), 1, 2, 2.5f, 2.5f);
        assertValues(a.eq(2), 0, 1, 0, 0);
        assertValues(a.ne(2), 1, 0, 1, 1);
        assertValues(a.gt(2), 0, 0, 1, 1);
        assertValues(a.ge(2), 0, 1, 1, 1);
        assertValues(a.lt(2), 1, 0, 0, 0);
        assertValues(a.le(2), 1, 1, 0, 0);
        // Scalar division is exact division, not multiplication by a rounded reciprocal.
        Tensor r = Tensor.rand(new Rng(4), 1000).mul(100);
        assertEquals(r.div(Tensor.scalar(3)), r.div(3));
        assertEquals(r.div(Tensor.scalar(0.1f)), r.div(0.1f));
        assertEquals(r.div(Tensor.scalar(8)), r.div(8));
        assertEquals(r.sub(Tensor.scalar(0.7f)), r.sub(0.7f));
        assertValues(Tensor.of(1, -1, 0).div(0), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN);
    }

    @Test
    void broadcastingRules() {
        Tensor m = iota(2, 3);
        assertTensor(m.add(Tensor.of(10, 20, 30)), shape(2, 3), 10, 21, 32, 13, 24, 35);
        assertTensor(m.add(Tensor.of(new float[][] {{100}, {200}})), shape(2, 3), 100, 101, 102, 203, 204, 205);
        assertTensor(Tensor.of(new float[][] {{1}, {2}}).mul(Tensor.of(1, 10, 100)), shape(2, 3),
                1, 10, 100, 2, 20, 200);
        assertTensor(m.mul(Tensor.scalar(2)), shape(2, 3), 0, 2, 4, 6, 8, 10);
        assertTensor(Tensor.scalar(2).sub(m), shape(2, 3), 2, 1, 0, -1, -2, -3);
        assertShape(iota(4, 1, 3).add(iota(2, 1)), 4, 2, 3);
        assertShape(Tensor.zeros(0, 3).add(Tensor.ones(3)), 0, 3);
        assertShape(Tensor.zeros(1, 3).add(Tensor.ones(0, 1)), 0, 3);
        // Broadcasting a transposed view.
        assertTensor(m.t().add(Tensor.of(new float[][] {{0}, {10}, {20}})), shape(3, 2), 0, 3, 11, 14, 22, 25);
    }

    @Test
    void broadcastErrorsNameOpAndShapes() {
        assertMessage(ShapeException.class, "add: shapes (2,3) and (4,3) cannot be broadcast: dimension 0 is 2 vs 4",
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4, 3)));
        assertMessage(ShapeException.class, "mul: shapes (3) and (2,4) cannot be broadcast: dimension 1 is 3 vs 4",
                () -> Tensor.zeros(3).mul(Tensor.zeros(2, 4)));
        assertMessage(ShapeException.class, "gt: shapes (2,3) and (2) cannot be broadcast: dimension 1 is 3 vs 2",
                () -> Tensor.zeros(2, 3).gt(Tensor.zeros(2)));
        assertShape(Tensor.where(Tensor.zeros(2, 1), Tensor.zeros(3), Tensor.zeros(4, 1, 1)), 4, 2, 3);
        assertMessage(ShapeException.class,
                "where: shapes (2,1), (3) and (4,2,5) cannot be broadcast: dimension 2 is 3 vs 5",
                () -> Tensor.where(Tensor.zeros(2, 1), Tensor.zeros(3), Tensor.zeros(4, 2, 5)));
    }

    @Test
    void whereSelectsWithThreeWayBroadcast() {
        Tensor cond = Tensor.of(new float[][] {{1}, {0}});
        Tensor a = Tensor.of(1, 2, 3);
        Tensor out = Tensor.where(cond, a, Tensor.scalar(-1));
        assertTensor(out, shape(2, 3), 1, 2, 3, -1, -1, -1);
        Tensor x = Tensor.of(-1, 2, -3);
        assertValues(Tensor.where(x.gt(0), x, x.mul(0.5f)), -0.5f, 2, -1.5f);
        assertMessage(ShapeException.class, "where: shapes (2), (3) and () cannot be broadcast: dimension 0 is 2 vs 3",
                () -> Tensor.where(Tensor.zeros(2), Tensor.zeros(3), Tensor.scalar(0)));
    }
}
