package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.vectorgrad.data.DataLoaderTest.indexed;
import static dev.vectorgrad.data.DataLoaderTest.indicesOf;
import static dev.vectorgrad.data.DataLoaderTest.vals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorDatasetTest {

    @Test
    void samplesAndBatches() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor y = Tensor.of(0, 1, 0);
        TensorDataset ds = new TensorDataset(x, y);
        assertEquals(3, ds.size());
        assertSame(x, ds.x());
        assertSame(y, ds.y());
        assertArrayEquals(new int[] {2}, ds.featureShape());
        assertArrayEquals(new int[] {}, ds.targetShape());

        Sample s = ds.get(1);
        assertArrayEquals(new int[] {2}, s.x().shape());
        assertArrayEquals(new int[] {}, s.y().shape());
        assertArrayEquals(new float[] {3, 4}, vals(s.x()));
        assertArrayEquals(new float[] {1}, vals(s.y()));

        Batch b = ds.batch(new int[] {2, 0, 2});
        assertArrayEquals(new int[] {3, 2}, b.x().shape());
        assertArrayEquals(new int[] {3}, b.y().shape());
        assertArrayEquals(new float[] {5, 6, 1, 2, 5, 6}, vals(b.x()));
        assertArrayEquals(new float[] {0, 0, 0}, vals(b.y()));
        assertTrue(b.x().isContiguous());
        assertEquals("Batch(x (3,2), y (3))", b.toString());

        Batch all = ds.all();
        assertArrayEquals(vals(x), vals(all.x()));
        Batch empty = ds.batch(new int[0]);
        assertArrayEquals(new int[] {0, 2}, empty.x().shape());
        assertEquals("TensorDataset(3 samples, x (3,2), y (3))", ds.toString());
    }

    @Test
    void batchIsACopy() {
        float[] data = {1, 2, 3, 4};
        TensorDataset ds = new TensorDataset(Tensor.fromArray(data, 2, 2), Tensor.of(0, 1));
        Batch b = ds.batch(new int[] {0, 1});
        float[] batchArray = HostData.view(b.x()).array();
        batchArray[0] = 99;
        assertArrayEquals(new float[] {1, 2}, vals(ds.get(0).x()), "batches do not alias the dataset");
    }

    @Test
    void viewsAsInputs() {
        // a slice (contiguous, with an offset) is read in place
        Tensor base = Tensor.fromArray(new float[] {0, 0, 1, 2, 3, 4, 5, 6}, 4, 2);
        Tensor x = base.narrow(0, 1, 3);
        TensorDataset ds = new TensorDataset(x, Tensor.of(7, 8, 9));
        assertArrayEquals(new float[] {3, 4, 1, 2}, vals(ds.batch(new int[] {1, 0}).x()));
        assertArrayEquals(new float[] {5, 6}, vals(ds.get(2).x()));
        assertArrayEquals(new float[] {9, 7}, vals(ds.batch(new int[] {2, 0}).y()));

        // targets with a trailing dimension
        TensorDataset multi = new TensorDataset(Tensor.zeros(2, 1), Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, vals(multi.batch(new int[] {1, 0}).y()));
    }

    @Test
    void nonContiguousInputsAreCopiedOnce() {
        // (3,2) transposed view of [[0,1,2],[3,4,5]]: rows (0,3), (1,4), (2,5)
        Tensor x = Tensor.fromArray(new float[] {0, 1, 2, 3, 4, 5}, 2, 3).t();
        assertFalse(x.isContiguous());
        TensorDataset ds = new TensorDataset(x, Tensor.of(7, 8, 9));
        assertArrayEquals(new float[] {2, 5, 0, 3}, vals(ds.batch(new int[] {2, 0}).x()));
        assertArrayEquals(new float[] {1, 4}, vals(ds.get(1).x()));
        assertArrayEquals(new float[] {1, 16, 2, 25}, vals(Features.of("x", "y^2").apply(x.narrow(0, 1, 2))));
    }

    @Test
    void mismatchedLengthsAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(100, 2), Tensor.zeros(99)));
        assertEquals("TensorDataset: x has 100 samples (shape (100,2)) but y has 99 (shape (99)); the first dimensions"
                + " must be equal", e.getMessage());
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(3), Tensor.scalar(1)));
        assertTrue(scalar.getMessage().contains("y is a 0-d scalar"), scalar.getMessage());
        assertThrows(NullPointerException.class, () -> new TensorDataset(null, Tensor.zeros(1)));
    }

    @Test
    void badIndicesAreAClearError() {
        TensorDataset ds = indexed(5);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ds.batch(new int[] {0, 5}));
        assertEquals("batch: index 5 (position 1) is out of range for a dataset of 5 samples", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.batch(new int[] {-1}));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(5));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.subset(0, 9));
    }

    /** A dataset with only get(): batches come from the default, sample-stacking batch(). */
    static Dataset plain(int n) {
        return new Dataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sample get(int i) {
                return new Sample(Tensor.fromArray(new float[] {i, 10 * i}, 1, 2), Tensor.scalar(i % 2));
            }
        };
    }

    @Test
    void defaultBatchStacksSamples() {
        Batch b = plain(5).batch(new int[] {4, 1});
        assertArrayEquals(new int[] {2, 1, 2}, b.x().shape());
        assertArrayEquals(new int[] {2}, b.y().shape());
        assertArrayEquals(new float[] {4, 40, 1, 10}, vals(b.x()));
        assertArrayEquals(new float[] {0, 1}, vals(b.y()));
        assertThrows(IllegalArgumentException.class, () -> plain(5).batch(new int[0]));
        assertThrows(IndexOutOfBoundsException.class, () -> plain(5).batch(new int[] {5}));

        Dataset ragged = new Dataset() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public Sample get(int i) {
                return new Sample(Tensor.zeros(i + 1), Tensor.scalar(0));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ragged.batch(new int[] {0, 1}));
        assertTrue(e.getMessage().contains("sample 1 has x (2)"), e.getMessage());
    }

    @Test
    void subsetsAndSequentialSplit() {
        TensorDataset ds = indexed(10);
        Split s = ds.split(0.7);
        assertEquals(7, s.train().size());
        assertEquals(3, s.test().size());
        assertSame(s.test(), s.validation());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, indicesOf(s.train().all()));
        assertArrayEquals(new int[] {7, 8, 9}, indicesOf(s.test().all()));
        assertEquals(4, ds.split(4).train().size());
        assertThrows(IllegalArgumentException.class, () -> ds.split(11));
        assertThrows(IllegalArgumentException.class, () -> ds.split(1.5));

        Dataset sub = ds.subset(3, 3, 8);
        assertEquals(3, sub.size());
        assertArrayEquals(new int[] {8, 3}, indicesOf(sub.batch(new int[] {2, 0})));
        assertArrayEquals(new float[] {8, 1008, -8}, vals(sub.get(2).x()));
        // a subset of a subset still reaches the parent's batch path
        assertArrayEquals(new int[] {8}, indicesOf(sub.subset(2).all()));
        assertThrows(IndexOutOfBoundsException.class, () -> sub.batch(new int[] {3}));
    }

    @Test
    void randomSplitCoversEverySampleOnce() {
        TensorDataset ds = indexed(103);
        List<Dataset> parts = ds.randomSplit(new double[] {0.5, 0.3, 0.2}, new Rng(1));
        // floor(51.5) = 51, floor(30.9) = 30, floor(20.6) = 20; the two left over go to the first two parts
        assertEquals(52, parts.get(0).size());
        assertEquals(31, parts.get(1).size());
        assertEquals(20, parts.get(2).size());
        int[] seen = new int[103];
        for (Dataset p : parts) {
            for (int i : indicesOf(p.all())) {
                seen[i]++;
            }
        }
        assertTrue(Arrays.stream(seen).allMatch(c -> c == 1));

        // reproducible, and random
        Split a = ds.randomSplit(0.8, new Rng(4));
        Split b = ds.randomSplit(0.8, new Rng(4));
        // floor(82.4) = 82, floor(20.6) = 20, the one left over goes to the first part
        assertEquals(83, a.train().size());
        assertEquals(20, a.validation().size());
        assertArrayEquals(indicesOf(a.train().all()), indicesOf(b.train().all()));
        assertFalse(Arrays.equals(indicesOf(a.train().all()), indicesOf(ds.subset(range(83)).all())));

        assertThrows(IllegalArgumentException.class, () -> ds.randomSplit(new double[] {0.5, 0.4}, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> ds.randomSplit(new int[] {50, 50}, new Rng(1)));
        assertEquals(3, ds.randomSplit(new int[] {100, 0, 3}, new Rng(1)).get(2).size());
    }

    @Test
    void transformedAndMapped() {
        TensorDataset ds = new TensorDataset(Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(0, 1));
        Transform plusOne = t -> {
            float[] v = vals(t);
            for (int i = 0; i < v.length; i++) {
                v[i] += 1;
            }
            return Tensor.fromArray(v, t.shape());
        };
        TensorDataset eager = ds.transformed(plusOne);
        assertArrayEquals(new float[] {2, 3, 4, 5}, vals(eager.x()));
        assertSame(ds.y(), eager.y());

        Dataset lazy = ds.map(plusOne.andThen(plusOne));
        assertArrayEquals(new float[] {5, 6}, vals(lazy.get(1).x()));
        assertArrayEquals(new int[] {2}, lazy.get(1).x().shape());
        assertArrayEquals(new float[] {5, 6, 3, 4}, vals(lazy.batch(new int[] {1, 0}).x()));

        Transform dropsSamples = t -> Tensor.zeros(1, 2);
        assertThrows(IllegalStateException.class, () -> ds.transformed(dropsSamples));
        assertThrows(IllegalStateException.class, () -> ds.map(dropsSamples).all());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
