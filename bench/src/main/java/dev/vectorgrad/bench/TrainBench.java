package dev.vectorgrad.bench;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.data.Batch;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.DatasetNotFoundException;
import dev.vectorgrad.data.Datasets;
import dev.vectorgrad.data.ImageDataset;
import dev.vectorgrad.data.ImageSplit;
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
import dev.vectorgrad.tensor.Tensor;
import dev.vectorgrad.train.Warmup;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Iterator;
import java.util.Locale;

/**
 * Whole-epoch training timings, the counterpart of {@code bench/peers/torch_train.py}: LeNet-5 with Adam
 * (lr 1e-3) or an MLP 784-128-10 with SGD (lr 0.1), cross-entropy, batch 64, on Fashion-MNIST
 * standardized with its mean and std. A plain PyTorch-style loop, not JMH: what is timed is what a
 * notebook user waits for.
 *
 * <pre>
 * mvn -q -pl bench -am compile -DskipTests
 * java --add-modules jdk.incubator.vector -cp engine/target/classes:bench/target/classes \
 *     dev.vectorgrad.bench.TrainBench --model lenet --threads 1 --profile
 * </pre>
 *
 * <p>The optimizers are {@code dev.vectorgrad.optim}'s {@link Adam} and {@link SGD}. After {@code --warmup}
 * untimed steps it times {@code --epochs} epochs, each from a fresh shuffle (only the first
 * {@code --steps} steps of each, extrapolated to a whole epoch, when given). Per timed epoch it prints the
 * epoch time, samples/s, the process CPU time (all threads) and the training thread's own CPU time per
 * step (on a shared machine both are steadier than wall time), the share of the wall time spent in GC
 * (from the {@link java.lang.management.GarbageCollectorMXBean}s), the peak heap (sum of the heap pools'
 * peaks over the epoch) and the bytes allocated per step; with {@code --profile} also the time per phase
 * (data, forward + loss, backward, optimizer). After the last epoch it measures the test accuracy and
 * prints one JSON line shaped like the PyTorch script's ({@link EpochLog#summary}): the first epoch (with
 * {@code --warmup 0}, what a user waits for on a cold JVM), the best epoch, CPU time, GC share, peak heap.
 * Without the data set it says so on stderr and exits with status {@value #DATA_MISSING}.
 */
public final class TrainBench {

    static final String USAGE = """
            usage: TrainBench [options]
              --model lenet|mlp     the network (default lenet)
              --epochs E            timed epochs (default 1); the JSON line has the first and the best
              --steps S             time only the first S steps of each epoch and extrapolate to a whole one
              --warmup W            untimed steps before timing (default 200)
              --jit-warmup N        first run N steps of dev.vectorgrad.train.Warmup (what the Jupyter kernel
                                    runs while idle), on its own models, before building this one
              --threads T           kernel threads (default: all cores)
              --batch B             batch size (default 64)
              --seed S              weight and shuffling seed (default 1)
              --backend NAME        simd (default) or scalar
              --profile             time each phase of the step (adds a clock read around each phase)
              --jfr FILE            record the timed epochs (not the warm-up) with Flight Recorder's
                                    "profile" settings into FILE
              -h, --help            this text
            """;

    /** Exit status when Fashion-MNIST is not installed. */
    static final int DATA_MISSING = 3;

    private TrainBench() {
    }

    record Options(String model, int epochs, int steps, int warmup, int jitWarmup, int threads, int batch, long seed,
                   String backend, boolean profile, String jfr) {

        static Options parse(String[] args) {
            String model = "lenet";
            int epochs = 1;
            int steps = 0;
            int warmup = 200;
            int jitWarmup = 0;
            int threads = Parallel.maxThreads();
            int batch = 64;
            long seed = 1;
            String backend = "simd";
            boolean profile = false;
            String jfr = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--model" -> model = value(args, ++i, a);
                    case "--epochs" -> epochs = Integer.parseInt(value(args, ++i, a));
                    case "--steps" -> steps = Integer.parseInt(value(args, ++i, a));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                    case "--jit-warmup" -> jitWarmup = Integer.parseInt(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--batch" -> batch = Integer.parseInt(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--backend" -> backend = value(args, ++i, a);
                    case "--profile" -> profile = true;
                    case "--jfr" -> jfr = value(args, ++i, a);
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (!model.equals("lenet") && !model.equals("mlp")) {
                throw new IllegalArgumentException("--model must be lenet or mlp, got '" + model + "'");
            }
            return new Options(model, epochs, steps, warmup, jitWarmup, threads, batch, seed, backend, profile, jfr);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TrainBench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        Backends.use(o.backend());
        Parallel.setThreads(o.threads());
        Rng.seed(o.seed());

        ImageSplit data;
        try {
            data = Datasets.fashionMnist().normalized();
        } catch (DatasetNotFoundException e) {
            System.err.println("TrainBench: " + e.getMessage());
            System.exit(DATA_MISSING);
            return;
        }
        ImageDataset train = data.train();
        if (o.jitWarmup() > 0) {
            long t0 = System.nanoTime();
            Warmup w = new Warmup(o.jitWarmup());
            while (w.step()) {
                // the kernel runs these while idle
            }
            System.out.printf(Locale.ROOT, "# JIT warm-up: %d steps in %.2f s%n", w.stepsRun(), (System.nanoTime() - t0) / 1e9);
        }
        Module model = o.model().equals("lenet") ? lenet() : mlp();
        Optimizer optimizer = o.model().equals("lenet") ? new Adam(model.parameters(), 1e-3)
                : new SGD(model.parameters(), 0.1);
        Loss lossFn = Loss.crossEntropy();
        DataLoader loader = DataLoader.builder(train).batchSize(o.batch()).shuffle(o.seed()).build();
        int stepsPerEpoch = loader.size();

        System.out.printf(Locale.ROOT, "# TrainBench %s, %s, batch %d, %d threads, backend %s, %d steps/epoch%n",
                o.model(), optimizer, o.batch(), Parallel.threads(), Backends.current().name(), stepsPerEpoch);

        // Warm-up: the JIT compiles the kernels and the step; these steps train the model too.
        Phases warm = new Phases(false);
        int left = o.warmup();
        while (left > 0) {
            Iterator<Batch> it = loader.iterator();
            for (; left > 0 && it.hasNext(); left--) {
                step(model, lossFn, optimizer, it, warm);
            }
        }

        Recording recording = o.jfr() == null ? null : startRecording();
        int timed = o.steps() > 0 && o.steps() < stepsPerEpoch ? o.steps() : stepsPerEpoch;
        EpochLog log = new EpochLog(stepsPerEpoch, timed, o.batch());
        for (int e = 0; e < o.epochs(); e++) {
            Phases ph = new Phases(o.profile());
            Iterator<Batch> it = loader.iterator();
            JvmProbe.resetPeaks();
            JvmProbe.Snapshot before = JvmProbe.Snapshot.take();
            long t0 = System.nanoTime();
            for (int s = 0; s < timed; s++) {
                step(model, lossFn, optimizer, it, ph);
            }
            long wall = System.nanoTime() - t0;
            JvmProbe.Snapshot used = JvmProbe.Snapshot.take().minus(before);
            System.out.println(log.add(new EpochLog.Epoch(wall, used, JvmProbe.peakHeap())));
            if (o.profile()) {
                System.out.println(ph.report(timed));
            }
        }
        if (recording != null) {
            stopRecording(recording, Path.of(o.jfr()));
        }
        double acc = accuracy(model, data.test());
        System.out.printf(Locale.ROOT, "test accuracy %.4f%n", acc);
        System.out.println(Json.writeLine(log.summary(o.model(), Parallel.threads(), Backends.current().name(),
                o.warmup(), o.jitWarmup(), acc)));
    }

    // ---------------------------------------------------------------- models

    static Module lenet() {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
    }

    static Module mlp() {
        return new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
    }

    // ---------------------------------------------------------------- the step

    private static void step(Module model, Loss lossFn, Optimizer opt, Iterator<Batch> it, Phases ph) {
        long t0 = ph.now();
        Batch b = it.next();
        long t1 = ph.now();
        opt.zeroGrad();
        Tensor loss = lossFn.apply(model.forward(b.x()), b.y());
        long t2 = ph.now();
        loss.backward();
        long t3 = ph.now();
        opt.step();
        long t4 = ph.now();
        ph.add(t0, t1, t2, t3, t4);
    }

    private static double accuracy(Module model, ImageDataset test) {
        model.eval();
        int correct = 0;
        try (var g = Grad.off()) {
            DataLoader loader = new DataLoader(test, 1000);
            for (Batch b : loader) {
                float[] predicted = model.forward(b.x()).argmax(1).toArray();
                float[] labels = b.y().toArray();
                for (int i = 0; i < labels.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        }
        model.train();
        return correct / (double) test.size();
    }

    /** Wall time per phase of the step, summed over an epoch. */
    private static final class Phases {
        final boolean on;
        long data;
        long forward;
        long backward;
        long optimizer;

        Phases(boolean on) {
            this.on = on;
        }

        long now() {
            return on ? System.nanoTime() : 0L;
        }

        void add(long t0, long t1, long t2, long t3, long t4) {
            data += t1 - t0;
            forward += t2 - t1;
            backward += t3 - t2;
            optimizer += t4 - t3;
        }

        String report(int steps) {
            long total = data + forward + backward + optimizer;
            return String.format(Locale.ROOT, "  per step: data %.3f ms (%.1f%%), forward+loss %.3f ms (%.1f%%),"
                            + " backward %.3f ms (%.1f%%), optimizer %.3f ms (%.1f%%)",
                    data / 1e6 / steps, 100.0 * data / total, forward / 1e6 / steps, 100.0 * forward / total,
                    backward / 1e6 / steps, 100.0 * backward / total, optimizer / 1e6 / steps,
                    100.0 * optimizer / total);
        }
    }

    // ---------------------------------------------------------------- Flight Recorder

    private static Recording startRecording() {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.start();
            return r;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot start Flight Recorder: " + e.getMessage(), e);
        }
    }

    private static void stopRecording(Recording r, Path file) {
        r.stop();
        try {
            r.dump(file);
            System.out.println("# flight recording of the timed epochs: " + file
                    + " (jfr print --events jdk.ExecutionSample " + file + ")");
        } catch (IOException e) {
            System.err.println("TrainBench: cannot write " + file + ": " + e.getMessage());
        } finally {
            r.close();
        }
    }
}
