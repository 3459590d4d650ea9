package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vectorgrad.data.DataLoaderTest.vals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturesTest {

    @Test
    void mapsPointsToColumns() {
        Tensor p = Tensor.fromArray(new float[] {1, 2, -3, 0.5f}, 2, 2);
        Tensor f = Features.all().apply(p);
        assertArrayEquals(new int[] {2, 9}, f.shape());
        float s1 = (float) Math.sin(1), s2 = (float) Math.sin(2), c1 = (float) Math.cos(1), c2 = (float) Math.cos(2);
        float s3 = (float) Math.sin(-3), s5 = (float) Math.sin(0.5), c3 = (float) Math.cos(-3), c5 = (float) Math.cos(0.5);
        assertArrayEquals(new float[] {
                1, 2, 1, 4, 2, s1, s2, c1, c2,
                -3, 0.5f, 9, 0.25f, -1.5f, s3, s5, c3, c5}, vals(f));
        assertEquals(List.of("x", "y", "x^2", "y^2", "xy", "sin x", "sin y", "cos x", "cos y"), Features.all().names());

        Features sq = Features.of("x^2", "y^2");
        assertArrayEquals(new float[] {1, 4, 9, 0.25f}, vals(sq.apply(p)));
        assertArrayEquals(new float[] {4, 1}, vals(sq.apply(Tensor.of(2, 1))), "a single point");
        assertEquals(2, sq.size());
        assertEquals("Features[x^2, y^2]", sq.toString());
    }

    @Test
    void namesAreReadFreely() {
        assertEquals(Feature.X_SQUARED, Feature.parse("x^2"));
        assertEquals(Feature.X_SQUARED, Feature.parse("x²"));
        assertEquals(Feature.X_SQUARED, Feature.parse("X_SQUARED"));
        assertEquals(Feature.X_SQUARED, Feature.parse("xSquared"));
        assertEquals(Feature.X_SQUARED, Feature.parse("x * x"));
        assertEquals(Feature.X_TIMES_Y, Feature.parse("x*y"));
        assertEquals(Feature.X_TIMES_Y, Feature.parse("xTimesY"));
        assertEquals(Feature.SIN_X, Feature.parse("sin(x)"));
        assertEquals(Feature.SIN_Y, Feature.parse("sinY"));
        assertEquals(Feature.COS_Y, Feature.parse("cos y"));
        assertEquals(Features.of(Feature.X, Feature.Y_SQUARED).features(), Features.of("x", "y^2").features());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Features.of("x^3"));
        assertTrue(e.getMessage().contains("\"x^3\"") && e.getMessage().contains("sin x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Features.of(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> Features.of("x").apply(Tensor.zeros(3, 3)));
    }

    @Test
    void squaredFeaturesMakeTheCircleLinearlySeparable() {
        // in (x^2, y^2) the line x^2 + y^2 = 3^2 separates the disc (radius <= 2.5) from the ring (>= 3.5)
        TensorDataset circle = Synthetic.circle(300, 0, new Rng(0));
        TensorDataset squared = Features.of("x^2", "y^2").apply(circle);
        assertArrayEquals(new int[] {300, 2}, squared.x().shape());
        float[] f = vals(squared.x());
        float[] y = vals(squared.y());
        for (int i = 0; i < 300; i++) {
            boolean inside = f[2 * i] + f[2 * i + 1] < 9;
            assertEquals(inside ? 1f : 0f, y[i]);
        }
        // lazily, as a transform
        Dataset lazy = circle.map(Features.of("x^2", "y^2"));
        assertArrayEquals(vals(squared.batch(new int[] {5, 9}).x()), vals(lazy.batch(new int[] {5, 9}).x()));
        assertArrayEquals(vals(squared.get(7).x()), vals(lazy.get(7).x()));
    }
}
