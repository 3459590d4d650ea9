package dev.vectorgrad.jupyter;

import dev.vectorgrad.train.Warmup;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the engine's JIT {@link Warmup} (training steps of LeNet-5 and an MLP on random data) while nobody
 * uses the kernel, so that a notebook's first epoch runs with compiled kernels: on a fresh JVM it takes
 * ~2 s longer than the next ones (see {@link Warmup}). About 8.5 s of work on 2 cores, done once.
 *
 * <p>A step runs only when the kernel has been quiet for {@link #QUIET_MILLIS} (no request in flight, none
 * ended more recently), and under the lock cells run under: a cell that arrives meanwhile waits for at
 * most one step (milliseconds once compiled, up to ~0.5 s for the very first). Set the environment
 * variable {@value #ENV} to {@code 0} (or the system property {@code vectorgrad.warmup} to
 * {@code false}) to turn it off.
 */
final class IdleWarmup {

    static final String ENV = "VECTORGRAD_WARMUP";
    static final long QUIET_MILLIS = 1000;
    static final long POLL_MILLIS = 200;

    private IdleWarmup() {
    }

    /** Off when {@value #ENV} is 0/false/off or {@code -Dvectorgrad.warmup=false}. */
    static boolean enabled() {
        String env = System.getenv(ENV);
        if (env != null && (env.equals("0") || env.equalsIgnoreCase("false") || env.equalsIgnoreCase("off"))) {
            return false;
        }
        return !"false".equalsIgnoreCase(System.getProperty("vectorgrad.warmup", "true"));
    }

    /** Starts the warm-up on a daemon thread; it logs one line when done. */
    static void start(Session session, BooleanSupplier quiet, PrintStream log) {
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                int steps = run(new Warmup(), quiet, session::exclusive, POLL_MILLIS);
                log.printf(Locale.ROOT, "vectorgrad kernel: JIT warm-up done: %d training steps, %.1f s after it began%n",
                        steps, (System.nanoTime() - t0) / 1e9);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | OutOfMemoryError e) {
                log.println("vectorgrad kernel: JIT warm-up stopped: " + e);
            }
        }, "vectorgrad-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs every step of {@code warmup}, each through {@code exclusive} (the cell lock) and only while
     * {@code quiet} holds, asked before taking the lock and again once holding it; polls every
     * {@code pollMillis} otherwise. Returns the number of steps run.
     */
    static int run(Warmup warmup, BooleanSupplier quiet, Consumer<Runnable> exclusive, long pollMillis)
            throws InterruptedException {
        while (!warmup.isDone()) {
            if (!quiet.getAsBoolean()) {
                Thread.sleep(pollMillis);
                continue;
            }
            exclusive.accept(() -> {
                if (quiet.getAsBoolean()) {
                    warmup.step();
                }
            });
        }
        return warmup.stepsRun();
    }
}
