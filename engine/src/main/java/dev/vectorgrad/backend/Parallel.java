package dev.vectorgrad.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backends' one thread pool: fixed, sized to the cores (or {@code -Dvectorgrad.threads=N} /
 * {@code VECTORGRAD_THREADS}), daemon threads. Work is split into contiguous pieces that the calling thread
 * and the workers take in turn (see {@link #forRange}); a loop too small to split runs inline at no cost.
 *
 * <p>The calling thread is one of the threads: the pool holds one worker fewer than {@link #maxThreads()}.
 * A worker that has just finished a loop keeps looking for the next one for
 * {@link Thresholds#PARALLEL_WORKER_POLL_NANOS}, yielding its core to any other runnable thread between
 * looks, and only then parks: a training step hands loops to the pool every few hundred microseconds, and
 * waking a parked thread costs 30-50 us on a virtual machine whose idle core the hypervisor has halted,
 * as long as a small product takes.
 */
public final class Parallel {

    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final int MAX_THREADS = configuredThreads();
    private static final Worker[] WORKERS = startWorkers(MAX_THREADS - 1);

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
        // A worker still busy with another caller's loop is skipped: the pieces do not depend on who runs them.
        for (int i = 0, handed = 1; i < WORKERS.length && handed < t; i++) {
            if (WORKERS[i].offer(split)) {
                handed++;
            }
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
        return Thread.currentThread() instanceof Worker || INSIDE.get()[0];
    }

    private static Worker[] startWorkers(int n) {
        Worker[] workers = new Worker[Math.max(0, n)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
        return workers;
    }

    /** A pool thread: runs the loops handed to it, one at a time. */
    private static final class Worker extends Thread {
        /** The next loop to run; a caller hands one over only while this is empty. */
        private final AtomicReference<Runnable> next = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            super("vectorgrad-" + index);
            setDaemon(true);
        }

        /** Hands {@code loop} to this worker unless it already has one waiting. */
        boolean offer(Runnable loop) {
            if (!next.compareAndSet(null, loop)) {
                return false;
            }
            // Either the worker sees the loop before it parks, or this sees it parked (both fields volatile).
            if (parked) {
                LockSupport.unpark(this);
            }
            return true;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Runnable loop = next.getAndSet(null);
                if (loop != null) {
                    try {
                        loop.run();
                    } catch (Throwable ignored) {
                        // Split records its pieces' failures for the caller; nothing else is run here.
                    }
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < Thresholds.PARALLEL_WORKER_POLL_NANOS) {
                    // Not onSpinWait: a spinning thread would keep the core from the JIT and GC threads.
                    Thread.yield();
                } else {
                    parked = true;
                    if (next.get() == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
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
