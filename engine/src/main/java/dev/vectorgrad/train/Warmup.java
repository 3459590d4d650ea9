package dev.vectorgrad.train;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.optim.Adam;
import dev.vectorgrad.optim.Optimizer;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.tensor.Rng;

import java.util.Collections;
import java.util.Iterator;

/**
 * Gets the JIT to compile the training kernels before a user's first epoch: training steps of the
 * lectures' two models, LeNet-5 with Adam and an MLP 784-128-10 with SGD, on batches of 64 random
 * Fashion-MNIST-shaped images, one step per {@link #step()} call.
 *
 * <p>Why: a fresh JVM runs Vector API code in the interpreter and in C1-compiled code, where every vector
 * operation is a per-lane Java loop (about a hundred times slower), until C2 compiles the kernel that
 * holds it, which takes a few hundred training steps. Measured on 2 cores, the first epoch of a fresh JVM
 * takes ~4 s longer than the next ones for LeNet-5 and ~2 s longer for the MLP. The Jupyter kernel runs
 * these steps while nobody is using it, so that a notebook's first epoch runs at full speed.
 *
 * <p>It leaves no trace: its models and data are its own, and the global {@link Rng}, which building a
 * model draws from, is put back as it was, so a notebook's numbers do not depend on whether it ran.
 */
public final class Warmup {

    /**
     * Steps in all, one LeNet-5 step in every {@link #LENET_EVERY}, the MLP's in between: ~8.5 s on 2 cores.
     * The kernels reach C2 within a few hundred steps, but the code around them that runs once per step
     * (the backward pass's loop, the optimizer, the layers' forward calls) needs thousands of calls: after
     * 800 steps the MLP's epochs still ran ~0.45 s, after 4000 ~0.31 s, its steady state
     * ({@code TrainBench --model mlp --epochs 5 --warmup 0 --jit-warmup N}).
     */
    public static final int DEFAULT_STEPS = 4000;

    /**
     * One step in this many is LeNet-5's: its kernels are called many times per step and compile early,
     * and its steps cost ~8 times the MLP's, which reach the per-step code's call counts sooner.
     */
    static final int LENET_EVERY = 4;

    private static final int BATCH = 64;
    private static final int CLASSES = 10;

    private final int steps;
    private final Rng rng = new Rng(20261123L);
    private Model lenet;
    private Model mlp;
    private int done;

    /** {@link #DEFAULT_STEPS} steps. */
    public Warmup() {
        this(DEFAULT_STEPS);
    }

    /** {@code steps} steps in all, LeNet-5 first and then one in every {@link #LENET_EVERY}, the MLP between. */
    public Warmup(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("Warmup: steps must be >= 0, got " + steps);
        }
        this.steps = steps;
    }

    /**
     * Runs the next training step on the host backend (the one whose kernels the JIT compiles; the current
     * backend is put back afterwards); false, and nothing run, once every step has run.
     */
    public boolean step() {
        if (done >= steps) {
            return false;
        }
        try (var host = Backends.use(Backends.host())) {
            if (lenet == null) {
                build();
            }
            (done % LENET_EVERY == 0 ? lenet : mlp).train();
        }
        done++;
        return true;
    }

    /** Steps in all. */
    public int steps() {
        return steps;
    }

    /** Steps run so far. */
    public int stepsRun() {
        return done;
    }

    /** True once every step has run. */
    public boolean isDone() {
        return done >= steps;
    }

    private void build() {
        long[] saved = Rng.global().getState();
        try {
            Module net = new Sequential(
                    new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                    new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                    new Flatten(),
                    new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, CLASSES));
            lenet = new Model(net, new Adam(net.parameters(), 1e-3));
            Module small = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, CLASSES));
            mlp = new Model(small, new SGD(small.parameters(), 0.1));
        } finally {
            Rng.global().setState(saved);
        }
    }

    /**
     * A model, its optimizer, and batches of random pixels read as a notebook reads Fashion-MNIST (bytes
     * standardized by a {@link DataLoader}), so that the data path is compiled too.
     */
    private final class Model {
        final Module net;
        final Optimizer optimizer;
        final DataLoader loader;
        final Loss loss = Loss.crossEntropy();
        Iterator<Batch> batches = Collections.emptyIterator();

        Model(Module net, Optimizer optimizer) {
            this.net = net;
            this.optimizer = optimizer;
            int images = BATCH * 8;
            byte[] pixels = new byte[images * 28 * 28];
            int[] labels = new int[images];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) rng.nextInt(256);
            }
            for (int i = 0; i < images; i++) {
                labels[i] = rng.nextInt(CLASSES);
            }
            ImageDataset data = ImageDataset.of(pixels, labels, 1, 28, 28).normalized(0.2860f, 0.3530f);
            this.loader = DataLoader.builder(data).batchSize(BATCH).shuffle(rng.nextLong()).build();
        }

        void train() {
            if (!batches.hasNext()) {
                batches = loader.iterator();
            }
            Batch b = batches.next();
            optimizer.zeroGrad();
            loss.apply(net.forward(b.x()), b.y()).backward();
            optimizer.step();
        }
    }
}
