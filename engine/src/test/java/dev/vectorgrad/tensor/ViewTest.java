package dev.vectorgrad.tensor;

import org.junit.jupiter.api.Test;

import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.assertValues;
import static dev.vectorgrad.tensor.Checks.iota;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewTest {

    /** x[i][j][k] of iota(2,3,4) is 12i + 4j + k. */
    private static float at(int i, int j, int k) {
        return 12 * i + 4 * j + k;
    }

    @Test
    void reshapeOfContiguousIsAView() {
        Tensor x = iota(2, 3, 4);
        Tensor r = x.reshape(6, -1);
        assertShape(r, 6, 4);
        assertSame(x.storage(), r.storage());
        assertEquals(at(1, 2, 3), r.get(5, 3));
        assertSame(x.storage(), x.view(4, 6).storage());
        assertSame(x.storage(), x.reshape(24).storage());
        assertSame(x.storage(), x.flatten().storage());
        assertShape(x.reshape(-1), 24);
        assertShape(Tensor.of(5).reshape(), new int[0]);
    }

    @Test
    void reshapeCopiesOnlyWhenStridesForceIt() {
        Tensor x = iota(2, 3, 4);
        Tensor tr = x.transpose(0, 2); // (4,3,2)
        Tensor flat = tr.reshape(24);
        assertNotSame(x.storage(), flat.storage());
        float[] expected = new float[24];
        int p = 0;
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 2; i++) {
                    expected[p++] = at(i, j, k);
                }
            }
        }
        assertValues(flat, expected);
        // Splitting or adding size-1 dims of a transposed view needs no copy.
        Tensor split = tr.reshape(2, 2, 3, 1, 2);
        assertSame(x.storage(), split.storage());
        assertEquals(at(1, 2, 3), split.get(1, 1, 2, 0, 1));
        // A row slice is contiguous in its rows: merging the leading dims stays a view.
        Tensor rows = x.slice(1, 1, 3); // (2,2,4)
        Tensor merged = rows.reshape(2, 8);
        assertSame(x.storage(), merged.storage());
        assertEquals(at(1, 2, 1), merged.get(1, 5));
    }

    @Test
    void viewRefusesToCopy() {
        Tensor x = iota(2, 3);
        assertMessage(ShapeException.class,
                "view: cannot view a (3,2) tensor with strides (1,3) as (6) without copying;"
                        + " call contiguous() first, or use reshape(), which copies when it must",
                () -> x.t().view(6));
        assertValues(x.t().contiguous().view(6), 0, 3, 1, 4, 2, 5);
    }

    @Test
    void reshapeErrorsNameTheShapes() {
        Tensor x = iota(2, 3);
        assertMessage(ShapeException.class, "reshape: cannot reshape (2,3) (6 elements) into (4,2) (8 elements)",
                () -> x.reshape(4, 2));
        assertMessage(ShapeException.class,
                "reshape: cannot reshape (2,3) (6 elements) into (4,-1): 6 is not a multiple of 4",
                () -> x.reshape(4, -1));
        assertMessage(IllegalArgumentException.class, "reshape: only one dimension can be -1, got (-1,-1)",
                () -> x.reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> x.reshape(-2, -3));
        assertShape(Tensor.zeros(0, 4).reshape(2, 0, 5), 2, 0, 5);
        assertMessage(ShapeException.class, "reshape: cannot reshape (0,4) into (2,0,-1): the -1 dimension could be"
                + " any size when another dimension is 0; give it explicitly", () -> Tensor.zeros(0, 4).reshape(2, 0, -1));
    }

    @Test
    void transposeAndPermuteReadTheRightElements() {
        Tensor x = iota(2, 3, 4);
        Tensor t = x.transpose(0, 2);
        assertShape(t, 4, 3, 2);
        assertArrayEquals(new int[] {1, 4, 12}, t.stride());
        assertSame(x.storage(), t.storage());
        assertFalse(t.isContiguous());
        Tensor p = x.permute(1, 2, 0);
        assertShape(p, 3, 4, 2);
        assertSame(x.storage(), p.storage());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(at(i, j, k), t.get(k, j, i));
                    assertEquals(at(i, j, k), p.get(j, k, i));
                    assertEquals(at(i, j, k), x.transpose(-1, -3).get(k, j, i));
                }
            }
        }
        assertEquals(x, x.permute(2, 0, 1).permute(1, 2, 0));
        assertMessage(IllegalArgumentException.class,
                "transpose: dim 3 is out of range for a 2-D tensor (valid: -2..1)", () -> iota(2, 2).transpose(0, 3));
        assertMessage(IllegalArgumentException.class, "permute: dim 1 appears more than once in [0, 1, 1]",
                () -> x.permute(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1));
    }

    @Test
    void matrixTransposeHelpers() {
        Tensor m = iota(2, 3);
        assertTensor(m.t(), shape(3, 2), 0, 3, 1, 4, 2, 5);
        Tensor v = Tensor.of(1, 2);
        assertSame(v, v.t());
        assertMessage(IllegalArgumentException.class,
                "t: expects a tensor with at most 2 dimensions, got (2,3,4); use transpose(dim0, dim1), permute(...) or mT()",
                () -> iota(2, 3, 4).t());
        Tensor b = iota(2, 3, 4).mT();
        assertShape(b, 2, 4, 3);
        assertEquals(at(1, 2, 3), b.get(1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> v.mT());
    }

    @Test
    void narrowSelectAndSlice() {
        Tensor x = iota(2, 3, 4);
        Tensor n = x.narrow(2, 1, 2);
        assertShape(n, 2, 3, 2);
        assertSame(x.storage(), n.storage());
        assertEquals(at(1, 2, 2), n.get(1, 2, 1));
        assertShape(x.narrow(-1, -2, 2), 2, 3, 2);
        assertEquals(at(0, 0, 2), x.narrow(-1, -2, 2).get(0, 0, 0));
        assertMessage(IllegalArgumentException.class, "narrow: start 3 + length 2 exceeds dimension 2 of size 4 in (2,3,4)",
                () -> x.narrow(2, 3, 2));

        Tensor s = x.select(1, 2);
        assertShape(s, 2, 4);
        assertSame(x.storage(), s.storage());
        assertEquals(at(1, 2, 3), s.get(1, 3));
        assertEquals(at(1, 1, 0), x.select(0, -1).get(1, 0));
        assertMessage(IllegalArgumentException.class,
                "select: index 3 is out of bounds for dimension 1 with size 3 in (2,3,4)", () -> x.select(1, 3));

        Tensor sl = x.slice(2, 1, 4, 2);
        assertShape(sl, 2, 3, 2);
        assertSame(x.storage(), sl.storage());
        assertEquals(at(1, 1, 3), sl.get(1, 1, 1));
        assertShape(x.slice(1, -2, 100), 2, 2, 4);          // python-like clamping
        assertEquals(at(0, 1, 0), x.slice(1, -2, 100).get(0, 0, 0));
        assertShape(x.slice(1, 2, 1), 2, 0, 4);            // empty, not an error
        assertShape(x.slice(0, 0, Integer.MAX_VALUE, 3), 1, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> x.slice(0, 0, 2, 0));
    }

    @Test
    void chainedViewsMatchIndexArithmetic() {
        Tensor x = iota(2, 3, 4);
        Tensor v = x.transpose(0, 2).select(1, 1).slice(0, 0, 4, 2); // v[a][b] = x[b][1][2a]
        assertShape(v, 2, 2);
        assertSame(x.storage(), v.storage());
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                assertEquals(at(b, 1, 2 * a), v.get(a, b));
            }
        }
        assertValues(v, at(0, 1, 0), at(1, 1, 0), at(0, 1, 2), at(1, 1, 2));
        assertValues(v.clone(), v.toArray());
        Tensor five = iota(2, 1, 3, 1, 2);
        assertShape(five.permute(4, 3, 2, 1, 0), 2, 1, 3, 1, 2);
        assertEquals(five, five.permute(4, 3, 2, 1, 0).permute(4, 3, 2, 1, 0));
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = iota(1, 3, 1, 2);
        assertShape(x.squeeze(), 3, 2);
        assertShape(x.squeeze(0), 3, 1, 2);
        assertShape(x.squeeze(1), 1, 3, 1, 2); // not size 1: unchanged
        assertShape(x.squeeze(-2), 1, 3, 2);
        assertSame(x.storage(), x.squeeze().storage());
        Tensor v = Tensor.of(1, 2, 3);
        assertShape(v.unsqueeze(0), 1, 3);
        assertShape(v.unsqueeze(1), 3, 1);
        assertShape(v.unsqueeze(-1), 3, 1);
        assertValues(v.unsqueeze(1), 1, 2, 3);
        assertShape(Tensor.scalar(1).unsqueeze(0), 1);
        assertMessage(IllegalArgumentException.class, "unsqueeze: dim 3 is out of range for a 2-D tensor (valid: -3..2)",
                () -> iota(2, 2).unsqueeze(3));
    }

    @Test
    void expandUsesZeroStrides() {
        Tensor col = Tensor.of(new float[][] {{1}, {2}});
        Tensor e = col.expand(2, 3);
        assertShape(e, 2, 3);
        assertArrayEquals(new int[] {1, 0}, e.stride());
        assertSame(col.storage(), e.storage());
        assertValues(e, 1, 1, 1, 2, 2, 2);
        assertTensor(col.expand(2, -1, 4), shape(2, 2, 4), 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2);
        assertTensor(Tensor.scalar(5).broadcastTo(2), shape(2), 5, 5);
        assertMessage(ShapeException.class,
                "expand: cannot expand (2,1) to (3,3): dimension 0 has size 2 (target 3); only dimensions of size 1 can be expanded",
                () -> col.expand(3, 3));
        assertMessage(ShapeException.class,
                "broadcastTo: cannot expand (2,1) to (2): the target has 1 dimensions but the tensor has 2",
                () -> col.broadcastTo(2));
        assertThrows(IllegalArgumentException.class, () -> col.expand(-1, 2, 1));
    }

    @Test
    void contiguousAndClone() {
        Tensor x = iota(2, 3);
        assertSame(x, x.contiguous());
        Tensor c = x.t().contiguous();
        assertTrue(c.isContiguous());
        assertNotSame(x.storage(), c.storage());
        assertValues(c, 0, 3, 1, 4, 2, 5);
        Tensor k = x.clone();
        assertNotSame(x.storage(), k.storage());
        assertEquals(x, k);
        Tensor row = x.select(0, 1);
        assertTrue(row.isContiguous());
        assertSame(row, row.contiguous());
        assertEquals(3, row.storageOffset());
    }

    @Test
    void flattenRanges() {
        Tensor x = iota(2, 3, 4, 5);
        assertShape(x.flatten(1, 2), 2, 12, 5);
        assertShape(x.flatten(1, -1), 2, 60);
        assertShape(x.flatten(2, 2), 2, 3, 4, 5);
        assertShape(Tensor.scalar(3).flatten(), 1);
        assertThrows(IllegalArgumentException.class, () -> x.flatten(2, 1));
    }

    @Test
    void sizeAccessors() {
        Tensor x = iota(2, 3, 4);
        assertEquals(4, x.size(-1));
        assertEquals(2, x.size(0));
        assertArrayEquals(new int[] {2, 3, 4}, x.size());
        assertEquals(3, x.ndim());
        assertEquals(24, x.numel());
        int[] s = x.shape();
        s[0] = 99;
        assertEquals(2, x.size(0)); // shape() is a copy
        assertMessage(IllegalArgumentException.class, "size: dim 3 is out of range for a 3-D tensor (valid: -3..2)",
                () -> x.size(3));
    }
}
