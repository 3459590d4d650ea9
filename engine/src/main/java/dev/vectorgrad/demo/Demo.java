package dev.vectorgrad.demo;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.data.DatasetNotFoundException;
import dev.vectorgrad.data.Datasets;
import dev.vectorgrad.data.ImageSplit;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Tanh;
import dev.vectorgrad.optim.Adam;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import dev.vectorgrad.train.Evaluation;
import dev.vectorgrad.train.Fit;
import dev.vectorgrad.train.History;
import dev.vectorgrad.train.Trainer;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ./vectorgrad demo}: a short tour of the engine: tensor ops from the lectures, the SIMD
 * backend this machine gets, one matmul timed on the scalar reference and on SIMD, and a network
 * trained with a live progress bar: LeNet-5 on Fashion-MNIST when Debian's
 * {@code dataset-fashion-mnist} is installed, otherwise a small MLP on the synthetic circle set.
 * {@code --epochs N} sets the number of LeNet epochs (default 1).
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--info")) {
            System.out.println(Backends.info());
            return;
        }
        section("This machine");
        System.out.println(Backends.info());

        section("Tensors (PyTorch names and printing)");
        Tensor x = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}});
        System.out.println("x = " + x);
        System.out.println("x.t() (a view, no copy) = " + x.t());
        System.out.println("x.sum(1, keepDim) = " + x.sum(1, true));
        System.out.println("x.softmax(1) = " + x.softmax(1));
        System.out.println("x + [10, 20, 30] (broadcast) = " + x.add(Tensor.of(10, 20, 30)));

        section("A two-layer network by hand (ROB 102, lecture 13)");
        twoLayerNetwork();

        section("Shape errors name the op and both shapes");
        try {
            Tensor.ones(4, 3).matmul(Tensor.ones(2, 3));
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
        }

        section("SGEMM: scalar reference vs SIMD");
        timeMatmul(256);
        timeMatmul(1024);

        train(epochs(args));
    }

    private static int epochs(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--epochs")) {
                try {
                    int n = Integer.parseInt(args[i + 1]);
                    if (n >= 1) {
                        return n;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw new IllegalArgumentException("--epochs needs a positive whole number, got '" + args[i + 1] + "'");
            }
        }
        return 1;
    }

    private static void train(int epochs) {
        ImageSplit data;
        try {
            data = Datasets.fashionMnist().normalized();
        } catch (DatasetNotFoundException e) {
            section("Training an MLP on the synthetic circle set (Fashion-MNIST is not installed)");
            System.out.println(e.getMessage().lines().findFirst().orElse(""));
            trainCircle();
            return;
        }
        section("Training LeNet-5 on Fashion-MNIST (batch 64, Adam 1e-3, " + epochs + " epoch" + (epochs > 1 ? "s" : "") + ")");
        Rng.seed(0);
        Module lenet = new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
        System.out.println(lenet.summary(64, 1, 28, 28));
        History h = Trainer.fit(lenet, data.train(), Loss.crossEntropy(), new Adam(lenet.parameters(), 1e-3),
                Fit.epochs(epochs).batchSize(64).shuffle(0));
        Evaluation test = Trainer.evaluate(lenet, data.test(), Loss.crossEntropy());
        System.out.printf(Locale.ROOT, "test accuracy %.2f%% (loss %.4f); %.0f samples/s in the last epoch%n",
                100 * test.accuracy(), test.loss(), h.samplesPerSecond().get(h.epochs() - 1));
    }

    private static void trainCircle() {
        Rng rng = new Rng(0);
        TensorDataset train = Datasets.circle(800, 0.1, rng);
        TensorDataset test = Datasets.circle(400, 0.1, rng);
        Rng.seed(0);
        Module mlp = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
        History h = Trainer.fit(mlp, train, Loss.crossEntropy(), new Adam(mlp.parameters(), 0.01),
                Fit.epochs(30).batchSize(32).shuffle(0).validation(test).verbose(1));
        System.out.printf(Locale.ROOT, "validation accuracy %.1f%%; %.0f samples/s%n",
                100 * h.last("val_accuracy"), h.samplesPerSecond().get(h.epochs() - 1));
    }

    private static void twoLayerNetwork() {
        // The slide's image X, weights and biases; it prints scores 188.97 (cat), 211.97 (dog), -84.12 (bird).
        Tensor xIn = Tensor.of(56, 231, 24, 2);
        Tensor w1 = Tensor.of(new float[][]{
                {0.2f, -0.5f, 0.1f, 2.0f}, {-0.2f, 0.0f, 0.4f, 1.3f}, {1.1f, 0.7f, -0.9f, -0.2f}, {-1.9f, 1.0f, 0.9f, 2.1f}});
        Tensor b1 = Tensor.of(9.1f, 7.3f, -27f, 2.1f);
        Tensor w2 = Tensor.of(new float[][]{{0.8f, 0.9f, 0.0f, 1.4f}, {0.3f, -0.3f, 2.2f, -1.2f}, {0.6f, 0.7f, -0.1f, -0.6f}});
        Tensor b2 = Tensor.of(-32, 14, 19);
        Tensor h = w1.matmul(xIn).add(b1).relu();
        Tensor scores = w2.matmul(h).add(b2);
        String[] classes = {"cat", "dog", "bird"};
        System.out.println("H = max(0, W1 x + b1) = " + h);
        System.out.println("scores = W2 H + b2   = " + scores);
        System.out.println("predicted class: " + classes[(int) scores.argmax().item()]);
    }

    private static void timeMatmul(int n) {
        Rng rng = new Rng(42);
        Tensor a = Tensor.randn(rng, n, n);
        Tensor b = Tensor.randn(rng, n, n);
        double flops = 2.0 * n * n * n;
        double scalarMs = n <= 512 ? bestMs(Backends.scalar(), a, b, 3) : Double.NaN;
        Backend simd = Backends.simdAvailable() ? Backends.get("simd") : null;
        if (simd == null) {
            System.out.printf(Locale.ROOT, "N=%d: scalar %.1f ms; SIMD unavailable%n", n, scalarMs);
            return;
        }
        int previous = Parallel.setThreads(1);
        double simd1Ms;
        try {
            simd1Ms = bestMs(simd, a, b, 5);
        } finally {
            Parallel.setThreads(previous);
        }
        double simdMs = bestMs(simd, a, b, 5);
        if (Double.isNaN(scalarMs)) {
            System.out.printf(Locale.ROOT, "N=%d: SIMD 1 thread %.1f ms (%.1f GFLOP/s), SIMD %d threads %.1f ms (%.1f GFLOP/s)%n",
                    n, simd1Ms, flops / simd1Ms / 1e6, Parallel.threads(), simdMs, flops / simdMs / 1e6);
        } else {
            System.out.printf(Locale.ROOT, "N=%d: scalar %.1f ms (%.2f GFLOP/s), SIMD 1 thread %.2f ms (%.1f GFLOP/s), "
                            + "SIMD %d threads %.2f ms (%.1f GFLOP/s): %.0fx the scalar loop%n",
                    n, scalarMs, flops / scalarMs / 1e6, simd1Ms, flops / simd1Ms / 1e6,
                    Parallel.threads(), simdMs, flops / simdMs / 1e6, scalarMs / simdMs);
        }
    }

    /**
     * Best of {@code reps} timed runs after at least a second and ten calls of warm-up: the first
     * calls run the GEMM micro-kernel interpreted, and C2 needs a few hundred milliseconds to compile
     * it (a demo, not a benchmark: see bench/ for JMH).
     */
    private static double bestMs(Backend backend, Tensor a, Tensor b, int reps) {
        try (var s = Backends.use(backend)) {
            long warmUntil = System.nanoTime() + 1_000_000_000L;
            int warmed = 0;
            while (warmed < 10 || System.nanoTime() < warmUntil && warmed < 200) {
                a.matmul(b);
                warmed++;
            }
            double best = Double.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                a.matmul(b);
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
            return best;
        }
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
