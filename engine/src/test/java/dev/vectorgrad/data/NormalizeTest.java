package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vectorgrad.data.DataLoaderTest.vals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizeTest {

    @Test
    void perChannelOnImages() {
        // (B=2, C=2, H=1, W=2)
        Tensor x = Tensor.fromArray(new float[] {1, 3, 10, 20, 5, 7, 30, 40}, 2, 2, 1, 2);
        Normalize n = new Normalize(new float[] {1, 10}, new float[] {2, 10});
        Tensor y = n.apply(x);
        assertArrayEquals(x.shape(), y.shape());
        assertArrayEquals(new float[] {0, 1, 0, 1, 2, 3, 2, 3}, vals(y));
        assertArrayEquals(vals(x), vals(n.invert(y)));
        assertEquals(2, n.channels());
        assertEquals("Normalize(mean=[1.0, 10.0], std=[2.0, 10.0])", n.toString());
    }

    @Test
    void oneMeanForAllAndFeatureVectors() {
        Tensor x = Tensor.fromArray(new float[] {0.5f, 1.5f, 2.5f}, 3);
        assertArrayEquals(new float[] {-1, 1, 3}, vals(new Normalize(1, 0.5f).apply(x)));
        // (B, F): F is the channel
        Tensor f = Tensor.fromArray(new float[] {1, 100, 3, 300}, 2, 2);
        assertArrayEquals(new float[] {-1, -1, 1, 1}, vals(new Normalize(new float[] {2, 200}, new float[] {1, 100}).apply(f)));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Normalize(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(Float.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0, 0}, new float[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1}).apply(Tensor.zeros(4, 2, 5, 5)));
        assertTrue(e.getMessage().contains("(4,2,5,5) has 2 channels"), e.getMessage());
    }

    @Test
    void fitMeasuresPerChannelMeanAndStd() {
        Rng r = new Rng(9);
        int n = 500;
        float[] v = new float[n * 2 * 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                v[i * 6 + j] = (float) (1000 + 2 * r.nextGaussian());     // channel 0: large mean, sd 2
                v[i * 6 + 3 + j] = (float) (-1 + 0.5 * r.nextGaussian()); // channel 1
            }
        }
        Tensor x = Tensor.fromArray(v, n, 2, 3);
        Normalize fitted = Normalize.fit(x);
        double[] mean = new double[2];
        double[] sq = new double[2];
        for (int i = 0; i < v.length; i++) {
            mean[(i / 3) % 2] += v[i];
        }
        mean[0] /= n * 3;
        mean[1] /= n * 3;
        for (int i = 0; i < v.length; i++) {
            int c = (i / 3) % 2;
            sq[c] += (v[i] - mean[c]) * (v[i] - mean[c]);
        }
        assertEquals(mean[0], fitted.mean()[0], 1e-3);
        assertEquals(mean[1], fitted.mean()[1], 1e-5);
        assertEquals(Math.sqrt(sq[0] / (n * 3)), fitted.std()[0], 1e-4);
        assertEquals(Math.sqrt(sq[1] / (n * 3)), fitted.std()[1], 1e-5);

        // through a dataset (read in batches) the same numbers
        Normalize viaDataset = Normalize.fit(new TensorDataset(x, Tensor.zeros(n)));
        assertArrayEquals(fitted.mean(), viaDataset.mean(), 1e-3f);
        assertArrayEquals(fitted.std(), viaDataset.std(), 1e-4f);

        // and the normalized data has mean 0, std 1
        TensorDataset standardized = new TensorDataset(x, Tensor.zeros(n)).normalized();
        Normalize after = Normalize.fit(standardized.x());
        assertEquals(0, after.mean()[0], 1e-3);
        assertEquals(0, after.mean()[1], 1e-4);
        assertEquals(1, after.std()[0], 1e-3);
        assertEquals(1, after.std()[1], 1e-4);
    }

    @Test
    void fitRejectsConstantOrEmptyData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalize.fit(Tensor.full(3, 4, 2)));
        assertTrue(e.getMessage().contains("constant"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalize.fit(DataLoaderTest.indexed(0)));
    }
}
