package dev.vectorgrad.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backends' one thread pool: fixed, sized to the cores (or {@code -Dvectorgrad.threads=N} /
 * {@code VECTORGRAD_THREADS}), daemon threads. Work is split into contiguous pieces that the calling thread
 * and the workers take in turn (see {@link #forRange}); a loop too small to split runs inline at no cost.
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
     * Runs {@code body} over {@code [0, n)} split across up to {@link #threads()} threads, but only when
     * {@code work} (an estimate of the total cost, in the caller's units) reaches {@code threshold};
     * otherwise runs it inline (as it does when called from inside a parallel loop).
     *
     * <p>The range is cut into {@link Thresholds#PARALLEL_PIECES_PER_THREAD} contiguous pieces per thread,
     * which the calling thread and the pool's workers take one at a time. On a machine shared with other
     * work a pool thread may not be scheduled for a while: the caller then takes its pieces, and waits
     * only for pieces already started elsewhere (a static split would wait for the whole share of a thread
     * that has not run yet). Pieces depend only on {@code n} and the thread count, never on timing, so
     * bodies that keep per-piece partial results (indexed by {@code from}) stay deterministic.
     */
    public static void forRange(int n, long work, long threshold, RangeBody body) {
        int t = Math.min(threads, n);
        if (t <= 1 || work < threshold || insideParallel()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        Split split = new Split(n, Math.min(n, t * Thresholds.PARALLEL_PIECES_PER_THREAD), body);
        for (int i = 1; i < t; i++) {
            POOL.execute(split);
        }
        boolean[] inside = INSIDE.get();
        inside[0] = true;
        try {
            split.run();
        } finally {
            inside[0] = false;
        }
        split.await();
        Throwable failure = split.failure;
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

    /** Set while the calling thread runs pieces of a parallel loop: loops nested in them run inline. */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    private static boolean insideParallel() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL || INSIDE.get()[0];
    }

    /** One parallel loop: its pieces, taken by whoever runs it first. */
    private static final class Split implements Runnable {
        private final int n;
        private final int pieces;
        private final RangeBody body;
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Split(int n, int pieces, RangeBody body) {
            this.n = n;
            this.pieces = pieces;
            this.body = body;
        }

        private int start(int piece) {
            return (int) ((long) piece * n / pieces);
        }

        @Override
        public void run() {
            for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        body.run(start(p), start(p + 1));
                    }
                } catch (Throwable e) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = e;
                        }
                    }
                } finally {
                    if (done.incrementAndGet() == pieces) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Until every piece has finished: a short spin (the last piece is usually nearly done), then park. */
        void await() {
            for (int spin = 0; done.get() < pieces; spin++) {
                if (spin < 2000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
