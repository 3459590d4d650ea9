package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Minibatches of a {@link Dataset}, one epoch per iteration, PyTorch's {@code DataLoader}.
 *
 * <pre>{@code
 * var loader = new DataLoader(data.train(), 64, true);         // shuffled, seed from the global Rng
 * var loader = DataLoader.builder(data.train())
 *         .batchSize(64).shuffle(42).dropLast(true).build();    // explicit seed
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (Batch b : loader) { ... b.x() ... b.y() ... }        // a new order every epoch
 * }
 * loader.size();                                               // batches per epoch
 * }</pre>
 *
 * <ul>
 *   <li><b>Epochs.</b> Each {@link #iterator()} starts the next epoch ({@link #epoch()} counts them).
 *       Every batch holds {@link #batchSize()} samples except the last, which holds the rest unless
 *       {@code dropLast} drops it.</li>
 *   <li><b>Shuffling</b> is deterministic: the order of epoch {@code e} depends only on the seed and
 *       {@code e} ({@link #order(int)}), so two loaders with the same seed yield the same batches, each
 *       epoch in a different order, and {@link #setEpoch(int)} replays any epoch. Without an explicit
 *       seed the seed is drawn from {@link Rng#global()} when the loader is built, so
 *       {@code Rng.seed(...)} makes a whole notebook reproducible.</li>
 *   <li><b>Batches</b> are built by {@link Dataset#batch(int[])}: for array-backed datasets one row copy
 *       per sample into a new contiguous array, on the calling thread.</li>
 * </ul>
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private int epoch;

    /** In order, every sample once per epoch, the last batch possibly smaller. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, false);
    }

    /** Shuffled each epoch (seed drawn from {@link Rng#global()}) or in order; the last batch kept. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle) {
        this(dataset, batchSize, shuffle, shuffle ? Rng.global().nextLong() : 0L, false);
    }

    /** Shuffled each epoch from {@code seed}. */
    public DataLoader(Dataset dataset, int batchSize, long seed) {
        this(dataset, batchSize, true, seed, false);
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this.dataset = Objects.requireNonNull(dataset, "DataLoader: dataset is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** A builder: {@code DataLoader.builder(ds).batchSize(64).shuffle(42).dropLast(true).build()}. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Settings of a {@link DataLoader}; batch size 1, no shuffling, last batch kept, as in PyTorch. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private Long seed;
        private Rng rng;
        private boolean dropLast;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "DataLoader: dataset is null");
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle each epoch, from a seed drawn from {@link Rng#global()} at {@link #build()}. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Shuffle each epoch, deterministically from {@code seed}. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Shuffle each epoch, from a seed drawn from {@code rng} at {@link #build()}. */
        public Builder shuffle(Rng rng) {
            this.shuffle = true;
            this.rng = Objects.requireNonNull(rng, "shuffle: rng");
            return this;
        }

        /** Alias of {@link #shuffle(long)}. */
        public Builder seed(long seed) {
            return shuffle(seed);
        }

        /** Drop the last batch of an epoch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public DataLoader build() {
            long s = 0;
            if (shuffle) {
                s = seed != null ? seed : rng != null ? rng.nextLong() : Rng.global().nextLong();
            }
            return new DataLoader(dataset, batchSize, shuffle, s, dropLast);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** The shuffling seed (0 when not shuffling). */
    public long seed() {
        return seed;
    }

    /** Number of batches per epoch: {@code ceil(n / batchSize)}, or {@code floor} with {@code dropLast}. */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (int) ((n + (long) batchSize - 1) / batchSize);
    }

    /** Number of samples an epoch yields: all of them, or fewer when {@code dropLast} drops a partial batch. */
    public int samplesPerEpoch() {
        return dropLast ? size() * batchSize : dataset.size();
    }

    /** The number of epochs started so far: the index of the epoch the next {@link #iterator()} starts. */
    public int epoch() {
        return epoch;
    }

    /** Makes the next {@link #iterator()} run epoch {@code epoch} (with that epoch's order). */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("setEpoch: epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /**
     * The order in which epoch {@code epoch} visits the samples: a permutation of {@code 0 .. n-1} when
     * shuffling, {@code 0, 1, ..., n-1} otherwise.
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            return p;
        }
        // One generator per epoch, seeded from a hash of (seed, epoch): epochs are independent of each
        // other and of how many were run before.
        long mixed = new Rng(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L))).nextLong();
        return new Rng(mixed).permutation(n);
    }

    /** Starts the next epoch. */
    @Override
    public Iterator<Batch> iterator() {
        int[] order = order(epoch);
        epoch++;
        int batches = size();
        int n = order.length;
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (next >= batches) {
                    throw new NoSuchElementException("the epoch has ended after " + batches + " batches");
                }
                int from = next * batchSize;
                int to = Math.min(n, from + batchSize);
                next++;
                return dataset.batch(Arrays.copyOfRange(order, from, to));
            }
        };
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset.size() + " samples, batchSize " + batchSize + ", " + size() + " batches"
                + (shuffle ? ", shuffled, seed " + seed : "") + (dropLast ? ", dropLast" : "") + ")";
    }
}
