package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    /** A custom module as a notebook would write one. */
    static final class TwoLayer extends Module {
        final Sequential features = registerModule("features", new Sequential(new Linear(4, 8), new ReLU()));
        final Linear head = registerModule("head", new Linear(8, 3));
        final Parameter scale = registerParameter("scale", Tensor.ones(3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(features.forward(x)).mul(scale.value());
        }
    }

    @Test
    void lenetCountsTheLecturesParameters() {
        Sequential lenet = NnChecks.lenet();
        assertEquals(61_706, lenet.parameterCount());
        assertEquals(61_706, lenet.trainableParameterCount());
        assertEquals(10, lenet.parameters().size());
        assertEquals(12, lenet.size());
    }

    @Test
    void lenetPrintsLikePyTorch() {
        assertEquals("""
                Sequential(
                  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (1): ReLU()
                  (2): MaxPool2d(kernel_size=2, stride=2, padding=0)
                  (3): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
                  (4): ReLU()
                  (5): MaxPool2d(kernel_size=2, stride=2, padding=0)
                  (6): Flatten(start_dim=1, end_dim=-1)
                  (7): Linear(in_features=400, out_features=120, bias=True)
                  (8): ReLU()
                  (9): Linear(in_features=120, out_features=84, bias=True)
                  (10): ReLU()
                  (11): Linear(in_features=84, out_features=10, bias=True)
                )""", NnChecks.lenet().toString());
    }

    @Test
    void layersPrintTheirHyperparameters() {
        assertEquals("Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)",
                new Conv2d(3, 8, 3, 2, 1, false).toString());
        assertEquals("MaxPool2d(kernel_size=3, stride=2, padding=1)", new MaxPool2d(3, 2, 1).toString());
        assertEquals("AvgPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0)",
                new AvgPool2d(new int[] {2, 3}, new int[] {2, 3}, new int[] {0, 0}, true).toString());
        assertEquals("BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm2d(6).toString());
        assertEquals("BatchNorm1d(4, eps=0.001, momentum=0.01, affine=False, track_running_stats=False)",
                new BatchNorm1d(4, 1e-3f, 0.01f, false, false).toString());
        assertEquals("Dropout(p=0.5)", new Dropout().toString());
        assertEquals("Dropout(p=0.25)", new Dropout(0.25f).toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("LeakyReLU(negative_slope=0.2)", new LeakyReLU(0.2f).toString());
        assertEquals("Softmax(dim=1)", new Softmax(1).toString());
        assertEquals("LogSoftmax(dim=-1)", new LogSoftmax().toString());
        assertEquals("Sigmoid()", new Sigmoid().toString());
        assertEquals("Tanh()", new Tanh().toString());
        assertEquals("Step()", new Step().toString());
        assertEquals("GlobalAvgPool2d()", new GlobalAvgPool2d().toString());
        assertEquals("Linear(in_features=3, out_features=2, bias=False)", new Linear(3, 2, false).toString());
        assertEquals("Dense(in_features=3, out_features=2, bias=True)", new Dense(3, 2).toString());
        assertEquals("Sequential()", new Sequential().toString());
    }

    @Test
    void nestedModulesIndentAndNameParametersWithDots() {
        TwoLayer net = new TwoLayer();
        assertEquals("""
                TwoLayer(
                  (features): Sequential(
                    (0): Linear(in_features=4, out_features=8, bias=True)
                    (1): ReLU()
                  )
                  (head): Linear(in_features=8, out_features=3, bias=True)
                )""", net.toString());
        assertEquals(List.of("scale", "features.0.weight", "features.0.bias", "head.weight", "head.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("", "features", "features.0", "features.1", "head"),
                List.copyOf(net.namedModules().keySet()));
        assertEquals(List.of("features", "head"), List.copyOf(net.namedChildren().keySet()));
        assertSame(net.head.weight(), net.parameter("head.weight"));
        assertEquals(3 + 4 * 8 + 8 + 8 * 3 + 3, net.parameterCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.parameter("fc.weight"));
        assertTrue(e.getMessage().contains("head.weight"), e.getMessage());
    }

    @Test
    void forwardRunsTheChildren() {
        TwoLayer net = new TwoLayer();
        Tensor x = Tensor.randn(2, 4);
        Tensor expected = net.head.forward(net.features.get(0).forward(x).relu());
        NnChecks.assertClose(net.forward(x), expected, 1e-6);
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(3, 3);
        Sequential tied = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, tied.parameters().size());
        assertEquals(12, tied.parameterCount());
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(tied.namedParameters().keySet()));
    }

    @Test
    void registrationRejectsBadAndDuplicateNames() {
        class Bad extends Module {
            void add(String name) {
                registerParameter(name, Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        Bad m = new Bad();
        m.add("w");
        assertThrows(IllegalArgumentException.class, () -> m.add("w"));
        assertThrows(IllegalArgumentException.class, () -> m.add("a.b"));
        assertThrows(IllegalArgumentException.class, () -> m.add(""));
    }

    @Test
    void trainAndEvalAreRecursive() {
        TwoLayer net = new TwoLayer();
        assertTrue(net.isTraining());
        assertSame(net, net.eval());
        for (Module m : net.modules()) {
            assertFalse(m.isTraining(), m.typeName());
        }
        net.train();
        for (Module m : net.modules()) {
            assertTrue(m.isTraining(), m.typeName());
        }
    }

    @Test
    void sequentialIndexing() {
        Sequential s = new Sequential(new Linear(2, 3)).add(new ReLU()).add(new Linear(3, 1));
        assertEquals(3, s.size());
        assertTrue(s.get(1) instanceof ReLU);
        assertTrue(s.get(-1) instanceof Linear);
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(3));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
    }

    @Test
    void parametersAreLeavesThatRequireGrad() {
        Linear lin = new Linear(3, 2);
        for (Parameter p : lin.parameters()) {
            assertTrue(p.value().isRequiresGrad(), p.name());
        }
        assertTrue(lin.weight().regularized());
        assertFalse(lin.bias().regularized());
        assertFalse(new BatchNorm1d(3).weight().regularized());
        lin.zeroGrad(); // no gradient yet: nothing to do, and no error
    }

    @Test
    void frozenParametersAreNotTrainable() {
        Linear lin = new Linear(3, 2);
        Tensor before = lin.weight().value();
        lin.weight().setTrainable(false);
        assertFalse(lin.weight().value().isRequiresGrad());
        assertEquals(before, lin.weight().value());
        assertEquals(2, lin.trainableParameterCount());
        assertEquals(8, lin.parameterCount());
        assertEquals(6, lin.summary(1, 3).nonTrainableParams());
        lin.weight().setTrainable(true);
        assertTrue(lin.weight().value().isRequiresGrad());
    }

    @Test
    void setUpdatesInPlaceAndChecksTheShape() {
        Linear lin = new Linear(2, 2);
        Tensor w = lin.weight().value();
        lin.weight().set(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        assertSame(w, lin.weight().value());
        NnChecks.assertClose(w, 0, 1, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lin.weight().set(Tensor.zeros(2, 3)));
        assertEquals("Parameter.set: parameter Linear.weight has shape (2,2) but the new values have shape (2,3)",
                e.getMessage());
    }

    @Test
    void customInitialisationRunsOnFirstUseAndLeftoversAreZeros() {
        class Scaled extends Module {
            final Parameter gain = registerParameter("gain", new Parameter(3));
            final Parameter offset = registerParameter("offset", new Parameter(3));

            @Override
            protected void initParameters(dev.vectorgrad.tensor.Rng rng) {
                Init.constant(gain, 2f);
            }

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(gain.value()).add(offset.value());
            }
        }
        Scaled s = new Scaled();
        assertFalse(s.gain.isMaterialized());
        NnChecks.assertClose(s.forward(Tensor.ones(3)), 0, 2, 2, 2);
        NnChecks.assertClose(s.offset.value(), 0, 0, 0, 0);
    }

    @Test
    void readingAParameterBeforeInitialisingItIsAClearError() {
        class Eager extends Module {
            final Parameter w = registerParameter("w", new Parameter(2));

            @Override
            protected void initParameters(dev.vectorgrad.tensor.Rng rng) {
                w.value();
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Eager().w.value());
        assertTrue(e.getMessage().startsWith("Eager.initParameters read a parameter before giving it values"),
                e.getMessage());
    }

    @Test
    void customModulesWithoutOutputShapeSayWhy() {
        TwoLayer net = new TwoLayer();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> net.outputShape(new int[] {1, 4}));
        assertTrue(e.getMessage().contains("override outputShape"), e.getMessage());
    }
}
