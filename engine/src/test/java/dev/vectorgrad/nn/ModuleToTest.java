package dev.vectorgrad.nn;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Module.to} and {@code Tensor.toHost}: moving a model's state between the host backends. */
class ModuleToTest {

    private static Sequential net(long seed) {
        Rng.seed(seed);
        return new Sequential(new Linear(4, 6), new BatchNorm1d(6), new ReLU(), new Linear(6, 3));
    }

    private static List<float[]> values(Module m) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : m.stateDict().values()) {
            out.add(t.toArray());
        }
        return out;
    }

    private static void assertAllOn(Module m, Backend b) {
        for (Parameter p : m.parameters()) {
            assertSame(b, p.value().backend(), p.name() + " on " + b.name());
            assertTrue(p.value().isRequiresGrad(), p.name() + " is still a leaf that requires grad");
        }
        for (Tensor t : m.buffers()) {
            assertSame(b, t.backend(), "buffer on " + b.name());
        }
    }

    @Test
    void roundTripKeepsParametersValuesAndGradients() {
        Backend scalar = Backends.scalar();
        Backend host = Backends.host();
        Sequential model = net(3);
        Tensor x = Tensor.randn(new Rng(1), 5, 4);
        model.forward(x).sum().backward();
        List<Parameter> params = model.parameters();
        List<float[]> before = values(model);
        List<float[]> grads = new ArrayList<>();
        for (Parameter p : params) {
            grads.add(p.grad().toArray());
        }
        Tensor oldWeight = params.get(0).value();

        assertSame(model, model.to("scalar"));
        assertAllOn(model, scalar);
        assertEquals(params, model.parameters(), "the same Parameter objects");
        assertNotSame(oldWeight, params.get(0).value(), "a new leaf on the other backend");
        for (int i = 0; i < params.size(); i++) {
            assertSame(scalar, params.get(i).grad().backend(), "gradient moved along");
            assertArrayEquals(grads.get(i), params.get(i).grad().toArray());
        }
        List<float[]> moved = values(model);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), moved.get(i));
        }

        model.to(host);
        assertAllOn(model, host);
        List<float[]> back = values(model);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), back.get(i));
        }
        // Moving to where it already is changes nothing.
        Tensor w = params.get(0).value();
        model.to(host);
        assertSame(w, params.get(0).value());
    }

    @Test
    void movedModelComputesTheSameAndKeepsUpdatingItsBuffers() {
        Tensor x = Tensor.randn(new Rng(2), 8, 4);
        Sequential reference = net(5);
        Tensor expected = reference.forward(x);

        Sequential model = net(5);
        model.to("scalar");
        Tensor out;
        try (var s = Backends.use("scalar")) {
            out = model.forward(x);
        }
        assertTrue(expected.allClose(out, 1e-5, 1e-6), "same output on the scalar backend");
        BatchNorm bn = (BatchNorm) model.get(1);
        BatchNorm bnRef = (BatchNorm) reference.get(1);
        assertSame(Backends.scalar(), bn.runningMean().backend(), "the layer reads the moved buffer");
        assertArrayEquals(bnRef.runningMean().toArray(), bn.runningMean().toArray(), 1e-6f);
        assertEquals(1f, bn.numBatchesTracked().item());
        assertSame(bn.runningMean(), model.stateDict().get("1.running_mean"), "stateDict has the moved buffer");
    }

    @Test
    void optimizerMadeBeforeTheMoveKeepsWorking() {
        Tensor x = Tensor.randn(new Rng(4), 6, 4);
        Tensor y = Tensor.randn(new Rng(5), 6, 3);

        Sequential reference = net(7);
        SGD refOpt = new SGD(reference.parameters(), 0.1, 0.9);
        Sequential model = net(7);
        SGD opt = new SGD(model.parameters(), 0.1, 0.9);
        model.to("scalar");
        for (int step = 0; step < 3; step++) {
            refOpt.zeroGrad();
            Loss.mse().apply(reference.forward(x), y).backward();
            refOpt.step();
            try (var s = Backends.use("scalar")) {
                opt.zeroGrad();
                Loss.mse().apply(model.forward(x), y).backward();
                opt.step();
            }
        }
        for (Parameter p : model.parameters()) {
            assertSame(Backends.scalar(), p.value().backend(), p.name() + " stayed on the scalar backend");
        }
        List<Parameter> ref = reference.parameters();
        List<Parameter> got = model.parameters();
        for (int i = 0; i < ref.size(); i++) {
            assertArrayEquals(ref.get(i).value().toArray(), got.get(i).value().toArray(), 1e-5f,
                    "parameter " + i + " after three momentum steps");
        }
    }

    @Test
    void frozenAndUnmaterializedParametersMoveToo() {
        Rng.seed(9);
        Linear lin = new Linear(3, 2);
        assertFalse(lin.weight().isMaterialized());
        lin.bias().setTrainable(false);
        lin.to("scalar");
        assertTrue(lin.weight().isMaterialized());
        assertSame(Backends.scalar(), lin.weight().value().backend());
        assertSame(Backends.scalar(), lin.bias().value().backend());
        assertFalse(lin.bias().value().isRequiresGrad(), "a frozen parameter stays frozen");
        assertThrows(IllegalArgumentException.class, () -> lin.to("no-such-backend"));
    }

    @Test
    void toHostKeepsHostTensorsAndNamesTheDefaultHostBackend() {
        Tensor t = Tensor.of(1, 2, 3);
        assertSame(t, t.toHost());
        Tensor s = t.to("scalar");
        assertSame(s, s.toHost(), "scalar tensors are in host memory already");
        assertInstanceOf(HostStorage.class, s.toHost().storage());
        assertNotNull(Backends.host());
        assertEquals(Backends.simdAvailable() ? "simd" : "scalar", Backends.host().name());
    }
}
