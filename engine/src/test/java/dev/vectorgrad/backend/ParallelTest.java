package dev.vectorgrad.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool behind every split kernel: each index once, failures reported, workers found again after parking. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    private static void busy(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads = 1; threads <= Parallel.maxThreads(); threads++) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 64, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Parallel.forRange(n, 1, 0, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of " + n + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void belowTheThresholdTheCallerRunsTheWholeRange() {
        Thread caller = Thread.currentThread();
        List<int[]> calls = new ArrayList<>();
        Parallel.forRange(100, 5, 6, (from, to) -> {
            assertSame(caller, Thread.currentThread());
            calls.add(new int[] {from, to});
        });
        assertEquals(1, calls.size());
        assertEquals(0, calls.get(0)[0]);
        assertEquals(100, calls.get(0)[1]);
    }

    @Test
    void loopsNestedInAPieceRunInline() {
        Set<String> mismatches = ConcurrentHashMap.newKeySet();
        Parallel.forRange(8, 1, 0, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(50, 1, 0, (a, b) -> {
                if (Thread.currentThread() != outer || a != 0 || b != 50) {
                    mismatches.add(a + ".." + b + " on " + Thread.currentThread().getName());
                }
            });
        });
        assertTrue(mismatches.isEmpty(), mismatches::toString);
    }

    @Test
    void aFailingPieceIsRethrownAndThePoolKeepsWorking() {
        IllegalStateException boom = new IllegalStateException("piece failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(16, 1, 0, (from, to) -> {
                    busy(20_000);
                    if (from <= 5 && 5 < to) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        everyIndexRunsExactlyOnce();
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        int callers = 4;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            Thread t = new Thread(() -> {
                for (int rep = 0; rep < 300; rep++) {
                    int n = 1 + rep % 37;
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, 1, 0, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        if (hits.get(i) != 1) {
                            throw new AssertionError("index " + i + " of " + n + " ran " + hits.get(i) + " times");
                        }
                    }
                }
            });
            t.setUncaughtExceptionHandler((th, e) -> {
                synchronized (failures) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }

    /**
     * A worker that has parked (no loop for longer than it looks) must be woken by the next hand-off: a lost
     * wake-up would leave it asleep with the loop in its hands, and no later loop could reach it.
     */
    @Test
    void aParkedWorkerIsWokenByTheNextLoop() throws InterruptedException {
        assumeTrue(Parallel.maxThreads() >= 2, "needs a pool worker (more than one core)");
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        for (int round = 0; round < 5; round++) {
            TimeUnit.NANOSECONDS.sleep(Thresholds.PARALLEL_WORKER_POLL_NANOS * 3 + 2_000_000);
            boolean workerRan = false;
            // Pieces long enough (2 ms each, 8 of them) that a woken worker gets to one on a busy machine.
            for (int attempt = 0; attempt < 20 && !workerRan; attempt++) {
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                Parallel.forRange(8, 1, 0, (from, to) -> {
                    ran.add(Thread.currentThread());
                    busy(2_000_000);
                });
                workerRan = ran.stream().anyMatch(t -> t != caller);
            }
            assertTrue(workerRan, "round " + round + ": no piece ran on a pool worker after it had parked");
        }
    }
}
