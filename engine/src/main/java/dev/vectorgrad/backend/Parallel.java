package dev.vectorgrad.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The CPU backends' one thread pool: fixed, sized to the cores (or {@code -Dvectorgrad.threads=N} /
 * {@code VECTORGRAD_THREADS}), daemon threads. Work is split into at most {@link #threads()} contiguous
 * chunks; the calling thread runs one of them itself, so a split into one chunk costs nothing.
 */
public final class Parallel {

    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final int MAX_THREADS = configuredThreads();
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, MAX_THREADS),
            pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("vectorgrad-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);

    private static volatile int threads = MAX_THREADS;

    private Parallel() {
    }

    private static int configuredThreads() {
        String v = System.getProperty("vectorgrad.threads", System.getenv("VECTORGRAD_THREADS"));
        int cores = Runtime.getRuntime().availableProcessors();
        if (v == null || v.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new IllegalArgumentException("vectorgrad.threads / VECTORGRAD_THREADS must be a positive integer, got '"
                + v + "'");
    }

    /** Threads the kernels currently split work across. */
    public static int threads() {
        return threads;
    }

    /** Threads available in the pool (the upper bound for {@link #setThreads}). */
    public static int maxThreads() {
        return MAX_THREADS;
    }

    /** Limits how many threads kernels use (1 = single-threaded); returns the previous value. */
    public static int setThreads(int n) {
        if (n < 1 || n > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", got " + n);
        }
        int old = threads;
        threads = n;
        return old;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into up to {@link #threads()} chunks, but only when
     * {@code work} (an estimate of the total cost, in the caller's units) reaches {@code threshold};
     * otherwise runs it inline.
     */
    public static void forRange(int n, long work, long threshold, RangeBody body) {
        int t = Math.min(threads, n);
        if (t <= 1 || work < threshold || ForkJoinTask.inForkJoinPool() && Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(t - 1);
        int chunk = n / t;
        int rem = n % t;
        int start = 0;
        int firstEnd = chunk + (rem > 0 ? 1 : 0);
        start = firstEnd;
        for (int i = 1; i < t; i++) {
            int len = chunk + (i < rem ? 1 : 0);
            int from = start;
            int to = start + len;
            tasks.add(POOL.submit(() -> body.run(from, to)));
            start = to;
        }
        Throwable failure = null;
        try {
            body.run(0, firstEnd);
        } catch (Throwable e) {
            failure = e;
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new RuntimeException(failure);
        }
    }
}
