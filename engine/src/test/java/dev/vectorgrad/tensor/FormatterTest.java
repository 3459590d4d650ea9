package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vectorgrad.tensor.Checks.iota;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatterTest {

    @Test
    void zeroDimensional() {
        assertEquals("tensor(3.5000)", Tensor.scalar(3.5f).toString());
        assertEquals("tensor(2.)", Tensor.scalar(2).toString());
        assertEquals("tensor(-1.)", Tensor.scalar(-1).toString());
        assertEquals("tensor(0.)", Tensor.scalar(0).toString());
        assertEquals("tensor(nan)", Tensor.scalar(Float.NaN).toString());
    }

    @Test
    void oneDimensional() {
        assertEquals("tensor([1., 2., 3.])", Tensor.of(1, 2, 3).toString());
        assertEquals("tensor([ 0.1000, -2.5000])", Tensor.of(0.1f, -2.5f).toString());
        assertEquals("tensor([0., 0., 0.])", Tensor.zeros(3).toString());
        assertEquals("tensor([-0.])", Tensor.of(-0f).toString());
        assertEquals("tensor([1., nan, inf])", Tensor.of(1, Float.NaN, Float.POSITIVE_INFINITY).toString());
        assertEquals("tensor([1.5000,   -inf])", Tensor.of(1.5f, Float.NEGATIVE_INFINITY).toString());
        assertEquals("tensor([])", Tensor.zeros(0).toString());
    }

    @Test
    void twoDimensional() {
        assertEquals("tensor([[ 1.5000,  2.0000],\n"
                        + "        [ 3.0000, -4.0000]])",
                Tensor.of(new float[][] {{1.5f, 2}, {3, -4}}).toString());
        assertEquals("tensor([[ 1.,  2.],\n"
                        + "        [ 3., -4.]])",
                Tensor.of(new float[][] {{1, 2}, {3, -4}}).toString());
        assertEquals("tensor([[0., 3.],\n"
                        + "        [1., 4.],\n"
                        + "        [2., 5.]])",
                iota(2, 3).t().toString());
        assertEquals("tensor([], size=(0,3))", Tensor.zeros(0, 3).toString());
    }

    @Test
    void threeDimensional() {
        assertEquals("tensor([[[0., 1.],\n"
                        + "         [2., 3.]],\n"
                        + "\n"
                        + "        [[4., 5.],\n"
                        + "         [6., 7.]]])",
                iota(2, 2, 2).toString());
    }

    @Test
    void scientificNotationWhenMagnitudesDemand() {
        assertEquals("tensor([1.0000e-05, 1.0000e+03])", Tensor.of(1e-5f, 1e3f).toString());
        assertEquals("tensor([1.0000e+00, 2.0000e+03])", Tensor.of(1, 2000).toString());
        assertEquals("tensor([1.2346e+09])", Tensor.of(1234567890f).toString());
        assertEquals("tensor([ 5.0000e-05, -1.0000e+00])", Tensor.of(5e-5f, -1).toString());
        assertEquals("tensor(1.0000e-20)", Tensor.scalar(1e-20f).toString());
    }

    @Test
    void longRowsWrapAtEightyColumns() {
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                        + "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
                        + "        28., 29.])",
                Tensor.arange(30).toString());
    }

    @Test
    void largeTensorsAreSummarized() {
        assertEquals("tensor([1000., 1001., 1002.,  ..., 2997., 2998., 2999.])", Tensor.arange(1000, 3000).toString());
        assertEquals("tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n"
                        + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                        + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                        + "        ...,\n"
                        + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                        + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                        + "        [0., 0., 0.,  ..., 0., 0., 0.]])",
                Tensor.zeros(40, 40).toString());
        String big3 = Tensor.ones(20, 10, 10).toString();
        assertTrue(big3.startsWith("tensor([[[1., 1., 1.,  ..., 1., 1., 1.],\n"), big3);
        assertTrue(big3.contains("\n\n        ...,\n\n"), big3);
        assertEquals(1000, Tensor.zeros(1000).toString().chars().filter(c -> c == '.').count(),
                "exactly threshold elements print in full");
    }

    @Test
    void roundingIsHalfEvenOnTheExactBinaryValue() {
        assertEquals("0.12", TensorFormatter.fixed(0.125f, 2));
        assertEquals("2.67", TensorFormatter.fixed(2.675f, 2)); // 2.675f is 2.67499995...
        assertEquals("-0.0000", TensorFormatter.fixed(-1e-5f, 4));
        assertEquals("1.0000e+01", TensorFormatter.sci(9.99996f, 4));
        assertEquals("-2.5000e-07", TensorFormatter.sci(-2.5e-7f, 4));
    }

    @Test
    void printOptions() {
        try {
            TensorFormatter.setOptions(TensorFormatter.options().withPrecision(2));
            assertEquals("tensor([0.33, 0.67])", Tensor.of(1f / 3, 2f / 3).toString());
            TensorFormatter.setOptions(TensorFormatter.Options.DEFAULT.withThreshold(5).withEdgeItems(1));
            assertEquals("tensor([0.,  ..., 9.])", Tensor.arange(10).toString());
        } finally {
            TensorFormatter.resetOptions();
        }
        assertEquals("tensor([0.3333, 0.6667])", Tensor.of(1f / 3, 2f / 3).toString());
        assertEquals("tensor([1., 2.])", TensorFormatter.format(Tensor.of(1, 2), TensorFormatter.Options.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> TensorFormatter.Options.DEFAULT.withPrecision(-1));
    }

    @Test
    void gridForRenderers() {
        TensorFormatter.Grid g = TensorFormatter.grid(Tensor.of(new float[][] {{1.5f, -2}, {3, 4}}));
        assertEquals(List.of(List.of("1.5000", "-2.0000"), List.of("3.0000", "4.0000")), g.rows());
        assertFalse(g.rowsTruncated());
        TensorFormatter.Grid big = TensorFormatter.grid(Tensor.zeros(50, 40));
        assertTrue(big.rowsTruncated());
        assertTrue(big.columnsTruncated());
        assertEquals(7, big.rows().size());
        assertEquals(List.of("0.", "0.", "0.", "...", "0.", "0.", "0."), big.rows().get(0));
        assertEquals(List.of("...", "...", "...", "...", "...", "...", "..."), big.rows().get(3));
        assertEquals(List.of(List.of("7.")), TensorFormatter.grid(Tensor.scalar(7)).rows());
        assertThrows(IllegalArgumentException.class, () -> TensorFormatter.grid(Tensor.zeros(2, 2, 2)));
    }

    @Test
    void describeIsOneLine() {
        Tensor x = Tensor.zeros(2, 3);
        String name = Backends.current().name();
        assertEquals("Tensor(shape=(2,3), dtype=float32, backend=" + name + ", contiguous)", x.describe());
        assertEquals("Tensor(shape=(3,2), dtype=float32, backend=" + name + ", strided (1,3))", x.t().info());
    }

    @Test
    void equalsAndHashCodeCompareShapeAndValues() {
        assertEquals(Tensor.of(1, 2, 3, 4).reshape(2, 2), Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        assertEquals(Tensor.of(1, 2, 3, 4).reshape(2, 2).hashCode(), Tensor.of(new float[][] {{1, 2}, {3, 4}}).hashCode());
        assertNotEquals(Tensor.of(1, 2, 3, 4), Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        assertNotEquals(Tensor.of(1, 2), Tensor.of(1, 3));
        assertEquals(iota(2, 3).t(), iota(2, 3).t().contiguous());
    }

    @Test
    void allCloseUsesPyTorchDefaults() {
        Tensor a = Tensor.of(1, 2, 3);
        assertTrue(a.allClose(Tensor.of(1, 2, 3.00001f)));
        assertFalse(a.allClose(Tensor.of(1, 2, 3.001f)));
        assertTrue(a.allClose(Tensor.of(1, 2, 3.001f), 1e-3, 0));
        assertTrue(Tensor.of(0).allClose(Tensor.of(1e-9f)));
        assertFalse(Tensor.of(Float.NaN).allClose(Tensor.of(Float.NaN)));
        assertTrue(Tensor.of(Float.POSITIVE_INFINITY).allClose(Tensor.of(Float.POSITIVE_INFINITY)));
        assertTrue(Tensor.full(2, 2, 3).allClose(Tensor.scalar(2))); // broadcasts
        assertThrows(ShapeException.class, () -> Tensor.zeros(2).allClose(Tensor.zeros(3)));
    }
}
