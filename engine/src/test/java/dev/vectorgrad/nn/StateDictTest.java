package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDictTest {

    private static Sequential mlp() {
        return new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
    }

    @Test
    void keysFollowPyTorchIncludingBuffers() {
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                        "1.num_batches_tracked", "3.weight", "3.bias"),
                List.copyOf(mlp().stateDict().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
                List.copyOf(mlp().namedBuffers().keySet()));
    }

    @Test
    void roundTripCopiesParametersAndRunningStatistics() {
        Rng.seed(1);
        Sequential a = mlp();
        a.forward(Tensor.randn(8, 3)); // moves the running statistics
        Rng.seed(2);
        Sequential b = mlp();
        Tensor x = Tensor.randn(5, 3);
        a.eval();
        b.eval();
        assertNotEquals(a.forward(x), b.forward(x));

        b.loadStateDict(a.stateDict());
        NnChecks.assertClose(b.forward(x), a.forward(x), 0);
        assertEquals(1f, ((BatchNorm) b.get(1)).numBatchesTracked().item());

        // Values were copied, not shared.
        Tensor before = b.stateDict().get("0.weight").clone();
        a.parameter("0.weight").set(Tensor.zeros(4, 3));
        assertEquals(before, b.stateDict().get("0.weight"));
    }

    @Test
    void loadingIntoAFreshModelNeedsNoInitialisation() {
        Sequential a = mlp();
        Map<String, Tensor> state = a.stateDict();
        Sequential b = mlp();
        assertFalse(b.parameter("0.weight").isMaterialized());
        b.loadStateDict(state);
        assertTrue(b.parameter("0.weight").isMaterialized());
        assertEquals(state.get("0.weight"), b.parameter("0.weight").value());
        assertTrue(b.parameter("0.weight").value().isRequiresGrad());
    }

    @Test
    void stateDictValuesAreTheLiveTensors() {
        Sequential m = mlp();
        Map<String, Tensor> state = m.stateDict();
        assertSame(((BatchNorm) m.get(1)).runningMean(), state.get("1.running_mean"));
        assertFalse(state.get("0.weight").isRequiresGrad());
    }

    @Test
    void everyMismatchIsReportedAtOnceAndNothingChanges() {
        Sequential model = new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new Flatten(), new Linear(10, 2));
        Sequential other = new Sequential(new Conv2d(1, 6, 3), new ReLU(), new Flatten(), new Linear(10, 3, false));
        Map<String, Tensor> state = new LinkedHashMap<>(other.stateDict());
        state.put("4.weight", Tensor.zeros(2, 2));
        Tensor before = model.parameter("0.weight").value().clone();

        StateDictException e = assertThrows(StateDictException.class, () -> model.loadStateDict(state));
        assertEquals("""
                loadStateDict: the state does not fit Sequential (4 problems):
                  missing keys (1): 3.bias
                  unexpected keys (1): 4.weight
                  shape mismatches (2): 0.weight: checkpoint (6,1,3,3) vs model (6,1,5,5); \
                3.weight: checkpoint (3,10) vs model (2,10)""", e.getMessage());
        assertEquals(List.of("3.bias"), e.missingKeys());
        assertEquals(List.of("4.weight"), e.unexpectedKeys());
        assertEquals(2, e.shapeMismatches().size());
        assertEquals(before, model.parameter("0.weight").value());
    }

    @Test
    void nonStrictLoadingIgnoresKeysButNotShapes() {
        Linear lin = new Linear(2, 2);
        Map<String, Tensor> partial = new LinkedHashMap<>();
        partial.put("weight", Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        partial.put("extra", Tensor.zeros(1));
        lin.loadStateDict(partial, false);
        NnChecks.assertClose(lin.weight().value(), 0, 1, 2, 3, 4);

        StateDictException strict = assertThrows(StateDictException.class, () -> lin.loadStateDict(partial));
        assertEquals("loadStateDict: the state does not fit Linear (2 problems):\n"
                + "  missing keys (1): bias\n  unexpected keys (1): extra", strict.getMessage());

        partial.put("weight", Tensor.zeros(3, 2));
        StateDictException shapes = assertThrows(StateDictException.class, () -> lin.loadStateDict(partial, false));
        assertEquals("loadStateDict: the state does not fit Linear (1 problem):\n"
                + "  shape mismatches (1): weight: checkpoint (3,2) vs model (2,2)", shapes.getMessage());
    }
}
