package dev.vectorgrad.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.train.Warmup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The idle warm-up steps only while the kernel is quiet, each step under the cell lock, until all have run. */
class IdleWarmupTest {

    @Test
    void stepsOnlyWhileQuietAndUnderTheLockUntilDone() throws InterruptedException {
        Warmup warmup = new Warmup(4);
        AtomicInteger asked = new AtomicInteger();
        AtomicBoolean locked = new AtomicBoolean();
        List<String> trace = new ArrayList<>();
        // Busy for the first three questions (a cell running), then quiet; the fifth question, asked under the
        // lock, says a request came in meanwhile: that step is skipped.
        int steps = IdleWarmup.run(warmup, () -> {
            int n = asked.incrementAndGet();
            boolean quiet = n > 3 && n != 5;
            trace.add((locked.get() ? "locked:" : "free:") + quiet);
            return quiet;
        }, work -> {
            locked.set(true);
            int before = warmup.stepsRun();
            work.run();
            trace.add("steps " + before + "->" + warmup.stepsRun());
            locked.set(false);
        }, 1);
        assertEquals(4, steps);
        assertTrue(warmup.isDone());
        assertEquals(List.of("free:false", "free:false", "free:false", "free:true", "locked:false", "steps 0->0",
                "free:true", "locked:true", "steps 0->1"), trace.subList(0, 9), trace.toString());
        assertEquals(List.of("steps 0->0", "steps 0->1", "steps 1->2", "steps 2->3", "steps 3->4"),
                trace.stream().filter(t -> t.startsWith("steps")).toList(), "one step per turn of the lock: " + trace);
    }

    @Test
    void theEnvironmentOrAPropertyTurnsItOff() {
        String before = System.getProperty("vectorgrad.warmup");
        try {
            System.setProperty("vectorgrad.warmup", "false");
            assertFalse(IdleWarmup.enabled());
            System.setProperty("vectorgrad.warmup", "true");
            assertEquals(!"0".equals(System.getenv(IdleWarmup.ENV)) && !"false".equalsIgnoreCase(System.getenv(IdleWarmup.ENV))
                    && !"off".equalsIgnoreCase(System.getenv(IdleWarmup.ENV)), IdleWarmup.enabled());
        } finally {
            if (before == null) {
                System.clearProperty("vectorgrad.warmup");
            } else {
                System.setProperty("vectorgrad.warmup", before);
            }
        }
    }
}
