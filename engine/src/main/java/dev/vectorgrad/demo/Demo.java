package dev.vectorgrad.demo;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ./vectorgrad demo}: a short tour of the engine: tensor ops from the lectures, the SIMD
 * backend this machine gets, and one matmul timed on the scalar reference and on SIMD.
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
     * Best of {@code reps} timed runs after about half a second of warm-up, so the JIT has compiled
     * the kernels (a demo, not a benchmark: see bench/ for JMH).
     */
    private static double bestMs(Backend backend, Tensor a, Tensor b, int reps) {
        try (var s = Backends.use(backend)) {
            long warmUntil = System.nanoTime() + 500_000_000L;
            int warmed = 0;
            while (warmed < 2 || System.nanoTime() < warmUntil && warmed < 50) {
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
