package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    /** n samples whose features (3 values) and target encode the sample's index. */
    static TensorDataset indexed(int n) {
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = 1000 + i;
            x[3 * i + 2] = -i;
            y[i] = i % 7;
        }
        return new TensorDataset(Tensor.fromArray(x, n, 3), Tensor.fromArray(y, n));
    }

    static float[] vals(Tensor t) {
        return HostData.copy(t);
    }

    /** The sample indices a batch of {@link #indexed} holds, read back from its features. */
    static int[] indicesOf(Batch b) {
        float[] x = vals(b.x());
        int[] idx = new int[b.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = (int) x[3 * k];
        }
        return idx;
    }

    static List<Batch> epoch(DataLoader loader) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b);
        }
        return out;
    }

    @Test
    void batchCountsWithAndWithoutDropLast() {
        TensorDataset ds = indexed(10);
        DataLoader keep = new DataLoader(ds, 3);
        assertEquals(4, keep.size());
        List<Batch> batches = epoch(keep);
        assertEquals(4, batches.size());
        assertEquals(List.of(3, 3, 3, 1), batches.stream().map(Batch::size).toList());
        assertEquals(10, keep.samplesPerEpoch());

        DataLoader drop = DataLoader.builder(ds).batchSize(3).dropLast(true).build();
        assertEquals(3, drop.size());
        assertEquals(List.of(3, 3, 3), epoch(drop).stream().map(Batch::size).toList());
        assertEquals(9, drop.samplesPerEpoch());

        // exact multiple: dropLast changes nothing
        assertEquals(5, new DataLoader(ds, 2).size());
        assertEquals(5, DataLoader.builder(ds).batchSize(2).dropLast(true).build().size());
        // batch larger than the dataset
        assertEquals(1, new DataLoader(ds, 64).size());
        assertEquals(0, DataLoader.builder(ds).batchSize(64).dropLast(true).build().size());
        assertEquals(0, epoch(DataLoader.builder(ds).batchSize(64).dropLast(true).build()).size());
        // Fashion-MNIST's numbers
        assertEquals(938, new DataLoader(indexed(60000), 64).size());
        assertEquals(937, DataLoader.builder(indexed(60000)).batchSize(64).dropLast(true).build().size());
        // empty dataset
        assertEquals(0, new DataLoader(indexed(0), 4).size());
        assertFalse(new DataLoader(indexed(0), 4).iterator().hasNext());
    }

    @Test
    void unshuffledBatchesAreInOrder() {
        List<Batch> batches = epoch(new DataLoader(indexed(7), 3));
        assertArrayEquals(new int[] {0, 1, 2}, indicesOf(batches.get(0)));
        assertArrayEquals(new int[] {3, 4, 5}, indicesOf(batches.get(1)));
        assertArrayEquals(new int[] {6}, indicesOf(batches.get(2)));
    }

    @Test
    void everyIndexOncePerEpoch() {
        int n = 103;
        DataLoader loader = DataLoader.builder(indexed(n)).batchSize(10).shuffle(7).build();
        for (int e = 0; e < 3; e++) {
            int[] seen = new int[n];
            int count = 0;
            for (Batch b : loader) {
                for (int i : indicesOf(b)) {
                    seen[i]++;
                    count++;
                }
            }
            assertEquals(n, count);
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen[i], "epoch " + e + ", sample " + i);
            }
        }
        assertEquals(3, loader.epoch());
    }

    @Test
    void dropLastVisitsEachIndexAtMostOnce() {
        int n = 103;
        DataLoader loader = DataLoader.builder(indexed(n)).batchSize(10).shuffle(3).dropLast(true).build();
        int[] seen = new int[n];
        for (Batch b : loader) {
            assertEquals(10, b.size());
            for (int i : indicesOf(b)) {
                seen[i]++;
            }
        }
        assertEquals(100, Arrays.stream(seen).sum());
        assertTrue(Arrays.stream(seen).allMatch(c -> c <= 1));
    }

    @Test
    void seededShuffleIsReproducibleAndDiffersAcrossEpochs() {
        TensorDataset ds = indexed(50);
        DataLoader a = DataLoader.builder(ds).batchSize(8).shuffle(42).build();
        DataLoader b = DataLoader.builder(ds).batchSize(8).shuffle(42).build();
        int[] a0 = concat(epoch(a));
        int[] a1 = concat(epoch(a));
        int[] b0 = concat(epoch(b));
        int[] b1 = concat(epoch(b));
        assertArrayEquals(a0, b0, "same seed, same first epoch");
        assertArrayEquals(a1, b1, "same seed, same second epoch");
        assertFalse(Arrays.equals(a0, a1), "a new order every epoch");
        assertFalse(Arrays.equals(a0, range(50)), "shuffled");
        assertArrayEquals(a0, a.order(0));
        assertArrayEquals(a1, a.order(1));

        // another seed, another order
        DataLoader c = DataLoader.builder(ds).batchSize(8).shuffle(43).build();
        assertFalse(Arrays.equals(a0, concat(epoch(c))));

        // setEpoch replays an epoch
        a.setEpoch(0);
        assertArrayEquals(a0, concat(epoch(a)));
        assertEquals(1, a.epoch());
    }

    @Test
    void unseededShuffleFollowsTheGlobalGenerator() {
        TensorDataset ds = indexed(40);
        Rng.seed(11);
        int[] first = concat(epoch(new DataLoader(ds, 5, true)));
        Rng.seed(11);
        int[] again = concat(epoch(new DataLoader(ds, 5, true)));
        assertArrayEquals(first, again);
        Rng.seed(Rng.DEFAULT_SEED);

        Rng r1 = new Rng(5);
        Rng r2 = new Rng(5);
        assertArrayEquals(concat(epoch(DataLoader.builder(ds).batchSize(5).shuffle(r1).build())),
                concat(epoch(DataLoader.builder(ds).batchSize(5).shuffle(r2).build())));
        assertArrayEquals(concat(epoch(new DataLoader(ds, 5, 9L))),
                concat(epoch(DataLoader.builder(ds).batchSize(5).seed(9).build())));
    }

    @Test
    void batchContentsAreTheRowsTheyClaim() {
        // rows that do not encode their index: compare with get(i) for the epoch's order
        Rng r = new Rng(3);
        Tensor x = Tensor.randn(r, 37, 2, 3);
        Tensor y = Tensor.randn(r, 37, 4);
        TensorDataset ds = new TensorDataset(x, y);
        DataLoader loader = DataLoader.builder(ds).batchSize(6).shuffle(1).build();
        int[] order = loader.order(0);
        int pos = 0;
        for (Batch b : loader) {
            assertArrayEquals(new int[] {b.size(), 2, 3}, b.x().shape());
            assertArrayEquals(new int[] {b.size(), 4}, b.y().shape());
            float[] bx = vals(b.x());
            float[] by = vals(b.y());
            for (int k = 0; k < b.size(); k++) {
                Sample s = ds.get(order[pos++]);
                assertArrayEquals(vals(s.x()), Arrays.copyOfRange(bx, k * 6, k * 6 + 6));
                assertArrayEquals(vals(s.y()), Arrays.copyOfRange(by, k * 4, k * 4 + 4));
            }
        }
        assertEquals(37, pos);

        // and with the index-encoding set: features and targets belong to the same sample
        for (Batch b : DataLoader.builder(indexed(20)).batchSize(7).shuffle(2).build()) {
            float[] bx = vals(b.x());
            float[] by = vals(b.y());
            for (int k = 0; k < b.size(); k++) {
                int i = (int) bx[3 * k];
                assertEquals(1000 + i, bx[3 * k + 1]);
                assertEquals(-i, bx[3 * k + 2]);
                assertEquals(i % 7, by[k]);
            }
        }
    }

    @Test
    void iteratorEndsClearly() {
        Iterator<Batch> it = new DataLoader(indexed(3), 2).iterator();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, it::next);
        assertTrue(e.getMessage().contains("2 batches"), e.getMessage());
    }

    @Test
    void badSettings() {
        TensorDataset ds = indexed(3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DataLoader(ds, 0)).getMessage().contains("batchSize"));
        assertThrows(NullPointerException.class, () -> new DataLoader(null, 2));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(ds, 2).setEpoch(-1));
    }

    @Test
    void loaderOverSubsetAndMappedDatasets() {
        TensorDataset ds = indexed(30);
        Dataset sub = ds.subset(5, 7, 9, 11);
        List<Batch> batches = epoch(new DataLoader(sub, 3));
        assertArrayEquals(new int[] {5, 7, 9}, indicesOf(batches.get(0)));
        assertArrayEquals(new int[] {11}, indicesOf(batches.get(1)));

        Dataset doubled = sub.map(t -> {
            float[] v = vals(t);
            for (int i = 0; i < v.length; i++) {
                v[i] *= 2;
            }
            return Tensor.fromArray(v, t.shape());
        });
        Batch b = new DataLoader(doubled, 4).iterator().next();
        assertArrayEquals(new float[] {10, 2010, -10, 14, 2014, -14, 18, 2018, -18, 22, 2022, -22}, vals(b.x()));
        assertArrayEquals(new float[] {5, 0, 2, 4}, vals(b.y()));
    }

    @Test
    void describesItself() {
        DataLoader l = DataLoader.builder(indexed(10)).batchSize(4).shuffle(3).dropLast(true).build();
        assertEquals("DataLoader(10 samples, batchSize 4, 2 batches, shuffled, seed 3, dropLast)", l.toString());
    }

    private static int[] concat(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(indicesOf(b))).toArray();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        assertNotEquals(Arrays.toString(new DataLoader(indexed(20), 4, 1L).order(0)),
                Arrays.toString(new DataLoader(indexed(20), 4, 2L).order(0)));
    }
}
