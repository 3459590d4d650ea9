package dev.vectorgrad.train;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EarlyStopping on scripted loss sequences: a one-weight model whose training loss (and validation
 * loss) per epoch is read from a script, while its weight still moves at every step so that restored
 * weights can be told apart.
 */
class EarlyStoppingTest {

    /** {@code y = w * x} with one weight. */
    static final class OneWeight extends Module {
        final Parameter w = registerParameter("w", new Parameter(Tensor.of(1f)));

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(w.value());
        }
    }

    /**
     * A loss whose value is the next number of {@code train} (during training, one batch per epoch) or of
     * {@code validation} (during evaluation, which runs without a graph), and whose gradient is that of
     * {@code sum(prediction)}, so the weight changes at every step.
     */
    static Loss scripted(double[] train, double[] validation) {
        int[] calls = new int[2];
        return (prediction, target) -> {
            if (Grad.isEnabled()) {
                Tensor s = prediction.sum();
                return s.sub(s.detach()).add((float) train[calls[0]++]);
            }
            return Tensor.scalar((float) validation[calls[1]++]);
        };
    }

    static final TensorDataset FOUR = new TensorDataset(Tensor.ones(4, 1), Tensor.zeros(4, 1));

    /** Runs up to {@code epochs} epochs; returns the weight after each epoch, then the final weight. */
    static List<Float> run(OneWeight model, Loss loss, EarlyStopping es, int epochs, boolean validation,
                           List<History> out) {
        List<Float> weights = new ArrayList<>();
        Fit fit = Fit.epochs(epochs).batchSize(4).shuffle(false).verbose(0)
                .callbacks(Callback.atEpochEnd((e, logs) -> weights.add(model.w.value().item())), es);
        if (validation) {
            fit = fit.validation(FOUR);
        }
        out.add(Trainer.fit(model, FOUR, loss, new SGD(model.parameters(), 0.1), fit));
        weights.add(model.w.value().item());
        return weights;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementOnTrainingLoss() {
        var model = new OneWeight();
        var es = new EarlyStopping(2);
        List<History> h = new ArrayList<>();
        run(model, scripted(new double[] {1.0, 0.8, 0.9, 0.85, 0.7, 0.6}, null), es, 6, false, h);
        History history = h.get(0);
        assertEquals("loss", es.monitor(), "no validation set: monitors the training loss");
        assertEquals(4, history.epochs(), "best at epoch 1, no better at 2 and 3: stops after epoch 3");
        assertEquals(3, es.stoppedEpoch());
        assertEquals(1, es.bestEpoch());
        assertEquals(0.8, es.bestValue(), 1e-6);
        assertTrue(history.stoppedEarly());
        assertEquals("loss did not improve for 2 epochs (best 0.8000 at epoch 2)", history.stopReason());
        assertFalse(es.restored());
    }

    @Test
    void monitorsValidationLossAndRestoresTheBestWeights() {
        var model = new OneWeight();
        var es = new EarlyStopping(3).restoreBestWeights(true);
        List<History> h = new ArrayList<>();
        double[] train = {5, 5, 5, 5, 5, 5, 5, 5};
        double[] val = {0.9, 0.7, 0.75, 0.72, 0.71, 0.6, 0.5, 0.4};
        List<Float> w = run(model, scripted(train, val), es, 8, true, h);
        History history = h.get(0);
        assertEquals("val_loss", es.monitor());
        assertEquals(5, history.epochs());
        assertEquals(List.of(0.9, 0.7, 0.75, 0.72, 0.71), rounded(history.valLoss()));
        assertEquals(1, es.bestEpoch());
        assertEquals(4, es.stoppedEpoch());
        assertTrue(es.restored());
        float finalWeight = w.get(w.size() - 1);
        assertEquals(w.get(1), finalWeight, "the weights of epoch 2 (index 1) are back");
        assertTrue(w.get(4) != finalWeight, "the weight did move after the best epoch");
        assertTrue(history.stopReason().contains("val_loss did not improve for 3 epochs (best 0.7000 at epoch 2,"
                + " whose weights are restored)"), history.stopReason());
    }

    @Test
    void restoresBestWeightsEvenWhenAllEpochsRan() {
        var model = new OneWeight();
        var es = new EarlyStopping(5).restoreBestWeights(true);
        List<History> h = new ArrayList<>();
        List<Float> w = run(model, scripted(new double[] {1.0, 0.5, 0.6, 0.7}, null), es, 4, false, h);
        assertEquals(4, h.get(0).epochs());
        assertFalse(h.get(0).stoppedEarly());
        assertEquals(w.get(1), w.get(4));
        assertTrue(es.restored());
    }

    @Test
    void aStopAtTheLastEpochIsNotAnEarlyStop() {
        var es = new EarlyStopping(1);
        List<History> h = new ArrayList<>();
        run(new OneWeight(), scripted(new double[] {1.0, 0.5, 0.6}, null), es, 3, false, h);
        assertEquals(2, es.stoppedEpoch());
        assertEquals(3, h.get(0).epochs());
        assertFalse(h.get(0).stoppedEarly(), "nothing was skipped");
    }

    @Test
    void keepsTheLastWeightsWhenTheLastEpochWasBest() {
        var model = new OneWeight();
        var es = new EarlyStopping(1).restoreBestWeights(true);
        List<History> h = new ArrayList<>();
        List<Float> w = run(model, scripted(new double[] {1.0, 0.5, 0.4}, null), es, 3, false, h);
        assertFalse(es.restored());
        assertEquals(w.get(2), w.get(3));
    }

    @Test
    void minDeltaDecidesWhatCountsAsAnImprovement() {
        var model = new OneWeight();
        var es = new EarlyStopping(1).minDelta(0.1);
        List<History> h = new ArrayList<>();
        run(model, scripted(new double[] {1.0, 0.95, 0.5, 0.4}, null), es, 4, false, h);
        assertEquals(2, h.get(0).epochs(), "0.95 is not 0.1 below 1.0");
        assertEquals(0, es.bestEpoch());
    }

    @Test
    void modeMaxAndReuseAcrossRuns() {
        var es = new EarlyStopping(1).mode(EarlyStopping.Mode.MAX);
        List<History> h = new ArrayList<>();
        run(new OneWeight(), scripted(new double[] {0.1, 0.2, 0.15, 0.3}, null), es, 4, false, h);
        assertEquals(3, h.get(0).epochs());
        assertEquals(1, es.bestEpoch());
        // the same instance starts afresh in the next run
        run(new OneWeight(), scripted(new double[] {0.5, 0.6, 0.7, 0.8}, null), es, 4, false, h);
        assertEquals(4, h.get(1).epochs());
        assertEquals(-1, es.stoppedEpoch());
        assertEquals(3, es.bestEpoch());
    }

    @Test
    void autoModeMaximisesAccuracies() {
        var es = new EarlyStopping(1).monitor("val_accuracy");
        var model = new OneWeight();
        Fit fit = Fit.epochs(10).validation(FOUR).callbacks(es);
        var t = new Training(model, new SGD(model.parameters(), 0.1), Loss.mse(), fit, new History(), 1);
        es.onTrainBegin(t);
        es.onEpochEnd(0, Map.of("val_accuracy", 0.5));
        es.onEpochEnd(1, Map.of("val_accuracy", 0.7));
        assertFalse(t.stopRequested());
        es.onEpochEnd(2, Map.of("val_accuracy", 0.6));
        assertTrue(t.stopRequested());
        assertEquals(0.7, es.bestValue());
    }

    @Test
    void aMetricTheLogsLackIsAClearError() {
        var es = new EarlyStopping(1).monitor("val_acc");
        List<History> h = new ArrayList<>();
        var e = assertThrows(IllegalStateException.class,
                () -> run(new OneWeight(), scripted(new double[] {1, 1}, new double[] {1, 1}), es, 2, true, h));
        assertTrue(e.getMessage().contains("'val_acc'") && e.getMessage().contains("[loss, val_loss]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(-1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1).minDelta(-0.1));
    }

    @Test
    void nanNeverImproves() {
        var es = new EarlyStopping(1).monitor("val_loss");
        var model = new OneWeight();
        var t = new Training(model, new SGD(model.parameters(), 0.1), Loss.mse(),
                Fit.epochs(3).validation(FOUR), new History(), 1);
        es.onTrainBegin(t);
        es.onEpochEnd(0, Map.of("val_loss", 1.0));
        es.onEpochEnd(1, Map.of("val_loss", Double.NaN));
        assertTrue(t.stopRequested());
        assertArrayEquals(new int[] {0}, new int[] {es.bestEpoch()});
    }

    private static List<Double> rounded(List<Double> v) {
        return v.stream().map(x -> Math.round(x * 1e6) / 1e6).toList();
    }
}
