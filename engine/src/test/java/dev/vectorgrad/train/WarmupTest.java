package dev.vectorgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The JIT warm-up runs its steps and leaves no trace: the global generator and the backend are as before. */
class WarmupTest {

    @Test
    void runsItsStepsThenStopsAndLeavesTheGlobalGeneratorAndBackendAlone() {
        Rng.seed(123);
        Tensor.randn(3); // somewhere in the stream, a Gaussian spare possibly pending
        long[] before = Rng.global().getState();
        Backend current = Backends.current();
        Warmup w = new Warmup(5);   // both models, LeNet-5 twice
        try (var scalar = Backends.use("scalar")) {
            int n = 0;
            while (w.step()) {
                n++;
                assertSame(Backends.scalar(), Backends.current(), "the caller's backend is current between steps");
            }
            assertEquals(5, n);
        }
        assertEquals(5, w.stepsRun());
        assertEquals(5, w.steps());
        assertEquals(Warmup.DEFAULT_STEPS, new Warmup().steps());
        assertTrue(w.isDone());
        assertFalse(w.step(), "nothing left to run");
        assertArrayEquals(before, Rng.global().getState(), "building the models drew from the global generator");
        assertSame(current, Backends.current());
        assertThrows(IllegalArgumentException.class, () -> new Warmup(-1));
    }
}
