package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backends;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RngTest {

    /** The stream is part of the contract: these values must never change. */
    @Test
    void firstValuesArePinned() {
        Rng r = new Rng(42);
        assertEquals(1546998764402558742L, r.nextLong());
        assertEquals(6990951692964543102L, r.nextLong());
        assertEquals(-5902157311460992607L, r.nextLong());

        r = new Rng(42);
        assertArrayEquals(new float[] {0.08386296f, 0.37898022f, 0.6800434f, 0.9246929f}, r.floats(4));

        r = new Rng(42);
        float[] g = r.gaussians(4);
        assertArrayEquals(new float[] {-0.7262191f, -0.21119691f, 0.2216227f, 0.5227717f}, g);

        r = new Rng(42);
        int[] ints = new int[6];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = r.nextInt(10);
        }
        assertArrayEquals(new int[] {9, 1, 5, 9, 7, 4}, ints);

        assertArrayEquals(new float[] {0.601263f, 0.74777406f, 0.10301995f}, Tensor.rand(new Rng(0), 3).toArray());
        assertArrayEquals(new float[] {0.5981026f, 1.46346f, -0.89505255f}, Tensor.randn(new Rng(0), 3).toArray());
    }

    @Test
    void sameSeedSameValuesDifferentSeedDifferentValues() {
        assertArrayEquals(new Rng(7).floats(100), new Rng(7).floats(100));
        assertArrayEquals(new Rng(7).gaussians(101), new Rng(7).gaussians(101));
        assertFalse(Arrays.equals(new Rng(7).floats(100), new Rng(8).floats(100)));
        assertEquals(Tensor.randn(new Rng(3), 4, 5), Tensor.randn(new Rng(3), 4, 5));
    }

    @Test
    void globalGeneratorReseeds() {
        Rng.seed(2024);
        Tensor a = Tensor.rand(3, 3);
        Tensor b = Tensor.randn(2);
        Rng.manualSeed(2024);
        assertEquals(a, Tensor.rand(3, 3));
        assertEquals(b, Tensor.randn(2));
        assertEquals(2024L, Rng.global().initialSeed());
        Rng.seed(2024);
        assertEquals(Tensor.uniform(new Rng(2024), -1, 1, 5), Tensor.uniform(-1, 1, 5));
    }

    @Test
    void randomTensorsDoNotDependOnTheBackend() {
        for (String name : Backends.names()) {
            try (var scope = Backends.use(name)) {
                assertArrayEquals(new float[] {0.5981026f, 1.46346f, -0.89505255f},
                        Tensor.randn(new Rng(0), 3).toArray(), "backend " + name);
            }
        }
    }

    @Test
    void splitGivesReproducibleIndependentStreams() {
        Rng a = new Rng(5);
        Rng b = new Rng(5);
        Rng ca = a.split();
        Rng cb = b.fork();
        assertArrayEquals(ca.floats(10), cb.floats(10));
        assertArrayEquals(a.floats(10), b.floats(10));
        Rng p = new Rng(5);
        Rng child = p.split();
        assertFalse(Arrays.equals(child.floats(10), p.floats(10)));
    }

    @Test
    void boundedIntsAndPermutations() {
        Rng r = new Rng(1);
        int[] counts = new int[7];
        for (int i = 0; i < 70000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertEquals(10000, c, 500);
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        int[] p = r.permutation(50);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        assertNotEquals(Arrays.toString(sorted), Arrays.toString(p));
    }

    @Test
    void uniformStaysInsideItsHalfOpenInterval() {
        Rng r = new Rng(9);
        for (int i = 0; i < 10000; i++) {
            float f = r.nextFloat();
            assertTrue(f >= 0f && f < 1f);
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1);
        }
        for (float v : r.uniform(1000, 1f, Math.nextUp(1f))) {
            assertEquals(1f, v);
        }
    }

    @Test
    void aSavedStateReplaysTheSameNumbersGaussianSpareIncluded() {
        Rng r = new Rng(5);
        r.nextGaussian(); // leaves a spare deviate behind
        long[] saved = r.getState();
        double[] first = {r.nextGaussian(), r.nextFloat(), r.nextGaussian(), r.nextLong()};
        r.setSeed(99);
        r.nextLong();
        r.setState(saved);
        assertArrayEquals(first, new double[] {r.nextGaussian(), r.nextFloat(), r.nextGaussian(), r.nextLong()});
        assertEquals(5, r.initialSeed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.setState(new long[] {1, 2}));
        assertTrue(e.getMessage().contains("not a state from Rng.getState()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.setState(new long[] {0, 0, 0, 0, 1, 0, 0}));
    }
}
