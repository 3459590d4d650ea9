package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A finite, indexed collection of (features, target) samples, PyTorch's {@code Dataset}.
 *
 * <p>Two ways in: {@link #get(int)} returns one {@link Sample}, and {@link #batch(int[])} returns many
 * at once as one {@link Batch}. The default {@code batch} stacks samples one by one; datasets backed by
 * arrays ({@link TensorDataset}, {@link ImageDataset}) override it to copy rows straight into one
 * contiguous array, which is the path a {@link DataLoader} takes on every minibatch.
 *
 * <pre>{@code
 * Dataset ds = new TensorDataset(x, y);
 * Split s = ds.randomSplit(0.8, new Rng(0));        // 80 % train, 20 % validation
 * for (Batch b : new DataLoader(s.train(), 32, true)) { ... b.x() ... b.y() ... }
 * }</pre>
 */
public interface Dataset {

    /** Number of samples. */
    int size();

    /** Sample {@code index}, {@code 0 <= index < size()}. */
    Sample get(int index);

    /**
     * The samples at {@code indices}, in that order, stacked along a new first dimension: features
     * {@code (B, ...)} and targets {@code (B, ...)}. Indices may repeat.
     *
     * <p>This default reads each sample with {@link #get(int)} and copies it; every sample must have
     * the same shapes.
     *
     * @throws IndexOutOfBoundsException for an index outside {@code [0, size())}
     * @throws IllegalArgumentException  if {@code indices} is empty or the samples differ in shape
     */
    default Batch batch(int[] indices) {
        Objects.requireNonNull(indices, "batch: indices");
        HostData.checkIndices("batch", indices, size());
        if (indices.length == 0) {
            throw new IllegalArgumentException("batch: no indices given; a batch holds at least one sample");
        }
        Sample first = get(indices[0]);
        int[] xShape = first.x().shape();
        int[] yShape = first.y().shape();
        int xRow = first.x().numel();
        int yRow = first.y().numel();
        float[] xs = new float[Math.multiplyExact(indices.length, xRow)];
        float[] ys = new float[Math.multiplyExact(indices.length, yRow)];
        for (int k = 0; k < indices.length; k++) {
            Sample s = k == 0 ? first : get(indices[k]);
            if (!Arrays.equals(s.x().shape(), xShape) || !Arrays.equals(s.y().shape(), yShape)) {
                throw new IllegalArgumentException("batch: sample " + indices[k] + " has x " + HostData.format(s.x().shape())
                        + ", y " + HostData.format(s.y().shape()) + " but sample " + indices[0] + " has x "
                        + HostData.format(xShape) + ", y " + HostData.format(yShape)
                        + "; samples of one batch must have equal shapes");
            }
            copyInto(s.x(), xs, k * xRow);
            copyInto(s.y(), ys, k * yRow);
        }
        return new Batch(HostData.tensor(xs, HostData.prepend(indices.length, xShape)),
                HostData.tensor(ys, HostData.prepend(indices.length, yShape)));
    }

    private static void copyInto(Tensor t, float[] dst, int offset) {
        HostData.View v = HostData.view(t);
        System.arraycopy(v.array(), v.offset(), dst, offset, t.numel());
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) as one batch. */
    default Batch batch(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return batch(idx);
    }

    /** The whole dataset as one batch: for full-batch training on small sets, or evaluation. */
    default Batch all() {
        return batch(0, size());
    }

    /** The samples at {@code indices}, in that order, as a dataset (a view, nothing copied). */
    default Dataset subset(int... indices) {
        return new Subset(this, indices);
    }

    /** This dataset with {@code transform} applied to the features of every sample and batch read. */
    default Dataset map(Transform transform) {
        return new MappedDataset(this, transform);
    }

    /**
     * The first {@code round(trainFraction * size())} samples and the rest, in order (no shuffling:
     * use {@link #randomSplit(double, Rng)} unless the order is already random).
     */
    default Split split(double trainFraction) {
        checkFraction(trainFraction);
        return split((int) Math.round(trainFraction * size()));
    }

    /** The first {@code trainSize} samples and the rest, in order. */
    default Split split(int trainSize) {
        if (trainSize < 0 || trainSize > size()) {
            throw new IllegalArgumentException("split: trainSize " + trainSize + " is outside 0.." + size());
        }
        return new Split(subset(range(0, trainSize)), subset(range(trainSize, size())));
    }

    /**
     * A random {@code trainFraction} of the samples and the rest, e.g. {@code randomSplit(0.9, rng)} for
     * a 90 % / 10 % train / validation split. The same {@code rng} state gives the same split.
     */
    default Split randomSplit(double trainFraction, Rng rng) {
        checkFraction(trainFraction);
        List<Dataset> parts = randomSplit(new double[] {trainFraction, 1 - trainFraction}, rng);
        return new Split(parts.get(0), parts.get(1));
    }

    /**
     * Random disjoint parts covering every sample once, with sizes in proportion to {@code fractions}
     * (which must sum to 1), as PyTorch's {@code random_split}: each part gets
     * {@code floor(fraction * size())} samples and the ones left over go one each to the first parts.
     */
    default List<Dataset> randomSplit(double[] fractions, Rng rng) {
        Objects.requireNonNull(fractions, "randomSplit: fractions");
        double sum = 0;
        for (double f : fractions) {
            checkFraction(f);
            sum += f;
        }
        if (fractions.length == 0 || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions)
                    + " must sum to 1, they sum to " + sum);
        }
        int n = size();
        int[] lengths = new int[fractions.length];
        int given = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(fractions[i] * n);
            given += lengths[i];
        }
        for (int i = 0; given < n; i = (i + 1) % lengths.length) {
            lengths[i]++;
            given++;
        }
        return randomSplit(lengths, rng);
    }

    /** Random disjoint parts of the given sizes, which must add up to {@link #size()}. */
    default List<Dataset> randomSplit(int[] lengths, Rng rng) {
        Objects.requireNonNull(lengths, "randomSplit: lengths");
        Objects.requireNonNull(rng, "randomSplit: rng");
        long total = 0;
        for (int l : lengths) {
            if (l < 0) {
                throw new IllegalArgumentException("randomSplit: negative length in " + Arrays.toString(lengths));
            }
            total += l;
        }
        if (total != size()) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths) + " add up to " + total
                    + " but the dataset has " + size() + " samples");
        }
        int[] perm = rng.permutation(size());
        List<Dataset> parts = new ArrayList<>(lengths.length);
        int start = 0;
        for (int l : lengths) {
            parts.add(subset(Arrays.copyOfRange(perm, start, start + l)));
            start += l;
        }
        return parts;
    }

    private static void checkFraction(double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("fraction " + f + " must lie in [0, 1]");
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
