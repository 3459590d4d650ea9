package dev.vectorgrad.train;

import dev.vectorgrad.chart.Chart;
import dev.vectorgrad.data.DataLoader;
import dev.vectorgrad.data.Datasets;
import dev.vectorgrad.data.Split;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Dropout;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Tanh;
import dev.vectorgrad.optim.Adam;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.optim.StepLR;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Trainer.fit}, {@code evaluate} and {@code predict} on the Playground's synthetic sets. */
class FitTest {

    static Sequential mlp(int hidden) {
        return new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, hidden), new ReLU(),
                new Linear(hidden, 2));
    }

    @Test
    void fitLearnsTheCircleWithASmallMlp() {
        Rng.seed(7);
        Split s = Datasets.circle(600, 0.05, new Rng(1)).randomSplit(0.8, new Rng(2));
        var model = mlp(16);
        var opt = new Adam(model.parameters(), 0.02);
        long t0 = System.nanoTime();
        History h = Trainer.fit(model, s.train(), Loss.crossEntropy(), opt,
                Fit.epochs(25).batchSize(32).shuffle(3).validation(s.validation()).verbose(0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(25, h.epochs());
        assertTrue(h.last("val_accuracy") >= 0.95, "validation accuracy " + h.last("val_accuracy") + "\n" + h);
        assertTrue(h.last("accuracy") >= 0.95, h.toString());
        assertTrue(h.last("loss") < h.loss().get(0) / 4, h.toString());
        Evaluation ev = Trainer.evaluate(model, s.validation(), Loss.crossEntropy());
        assertEquals(h.last("val_loss"), ev.loss(), 1e-5);
        assertEquals(h.last("val_accuracy"), ev.accuracy(), 1e-12);
        assertEquals(s.validation().size(), ev.samples());
        assertTrue(seconds < 20, "took " + seconds + " s");
    }

    @Test
    void theHandWrittenPyTorchLoopTrainsToo() {
        Rng.seed(5);
        TensorDataset xor = Datasets.xor(400, 0.0, new Rng(4));
        var model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
        var lossFn = Loss.crossEntropy();
        var opt = new SGD(model.parameters(), 0.1, 0.9);
        var loader = new DataLoader(xor, 32, 9L);
        List<Double> epochLoss = new ArrayList<>();
        for (int epoch = 0; epoch < 15; epoch++) {
            double sum = 0;
            for (var batch : loader) {
                opt.zeroGrad();
                var loss = lossFn.apply(model.forward(batch.x()), batch.y());
                loss.backward();
                opt.step();
                sum += loss.item() * batch.size();
            }
            epochLoss.add(sum / xor.size());
        }
        assertTrue(epochLoss.get(14) < epochLoss.get(0) / 3, epochLoss.toString());
        assertTrue(Metrics.accuracy(Trainer.predict(model, xor.all().x()), xor.all().y()) > 0.95);
    }

    @Test
    void historyRecordsEveryEpochAndBatch() {
        Rng.seed(1);
        TensorDataset data = Datasets.xor(100, 0.1, new Rng(1));
        Split s = data.split(80);
        var model = mlp(4);
        History h = Trainer.fit(model, s.train(), Loss.crossEntropy(), new SGD(model.parameters(), 0.05),
                Fit.epochs(3).batchSize(32).validation(s.validation()).verbose(0));
        assertEquals(3, h.epochs());
        assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), h.metrics());
        assertEquals(List.of(3, 3, 3), h.batchesPerEpoch());
        assertEquals(9, h.batchLosses().size());
        for (String m : h.metrics()) {
            assertEquals(3, h.get(m).size(), m);
        }
        assertEquals(3, h.epochTimes().size());
        assertTrue(h.epochTimes().stream().allMatch(t -> t > 0));
        assertTrue(h.samplesPerSecond().stream().allMatch(r -> r > 0));
        assertEquals(List.of(0.05, 0.05, 0.05), h.learningRates());
        assertEquals(h.loss(), h.asMap().get("loss"));
        assertFalse(h.stoppedEarly());
        assertNull(h.stopReason());
        // the epoch loss is the size-weighted mean of its batch losses (32, 32, 16 samples)
        List<Double> b = h.batchLosses();
        assertEquals((b.get(0) * 32 + b.get(1) * 32 + b.get(2) * 16) / 80, h.loss().get(0), 1e-9);
        double best = h.best("val_loss");
        assertEquals(best, h.valLoss().get(h.bestEpoch("val_loss")));
        assertEquals(h.valAccuracy().stream().mapToDouble(x -> x).max().orElseThrow(), h.best("val_accuracy"));

        String table = h.toString();
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[0].matches("epoch\\s+loss\\s+accuracy\\s+val_loss\\s+val_accuracy\\s+time\\s+samples/s"),
                lines[0]);
        assertTrue(lines[1].matches("\\s*1\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}\\s+"
                + "[\\d.]+(s|ms)\\s+[\\d,.]+"), lines[1]);

        Chart c = h.plot();
        assertEquals(2, c.panels().size());
        assertEquals(List.of("loss", "val_loss"), c.panel(0).series().stream().map(x -> x.name()).toList());
        assertEquals("epoch", c.panel(0).xLabel());
        assertArrayEquals(new double[] {1, 2, 3}, c.panel(0).series("loss").x());
        assertArrayEquals(h.loss().stream().mapToDouble(x -> x).toArray(), c.panel(0).series("loss").y());
        assertEquals(List.of("accuracy", "val_accuracy"),
                c.panel(1).series().stream().map(x -> x.name()).toList());
        assertEquals(9, h.plotBatches().series("batch_loss").size());
        assertEquals(1, h.plot("lr").panels().get(0).series().size());

        var e = assertThrows(IllegalArgumentException.class, () -> h.get("val_acc"));
        assertTrue(e.getMessage().contains("[loss, accuracy, val_loss, val_accuracy]"), e.getMessage());
    }

    @Test
    void regressionHasNoAccuracy() {
        Rng.seed(2);
        Tensor x = Tensor.randn(new Rng(3), 64, 1);
        Tensor y = x.mul(3f).add(1f);
        var model = new Linear(1, 1);
        History h = Trainer.fit(model, x, y, Loss.mse(), new SGD(model.parameters(), 0.1),
                Fit.epochs(20).batchSize(16).verbose(0));
        assertEquals(List.of("loss"), h.metrics());
        assertTrue(h.last("loss") < 1e-3, h.toString());
        assertEquals(1, h.plot().panels().size());
        Evaluation ev = Trainer.evaluate(model, x, y, Loss.mse());
        assertFalse(ev.hasAccuracy());
        assertTrue(ev.toString().startsWith("loss "), ev.toString());
        assertEquals(Map.of("loss", ev.loss()), ev.asMap());
    }

    @Test
    void oneHotTargetsMeasureAccuracyWhenAsked() {
        Rng.seed(4);
        TensorDataset data = Datasets.blobs(90, 3, 0.05, new Rng(2));
        Tensor x = data.all().x();
        Tensor oneHot = dev.vectorgrad.nn.functional.F.oneHot(data.all().y(), 3);
        var model = new Sequential(new Linear(2, 3));
        History auto = Trainer.fit(model, x, oneHot, Loss.crossEntropy(), new Adam(model.parameters(), 0.05),
                Fit.epochs(2).verbose(0));
        assertFalse(auto.has("accuracy"), "one-hot targets look like regression targets: not measured by default");
        History asked = Trainer.fit(model, x, oneHot, Loss.crossEntropy(), new Adam(model.parameters(), 0.05),
                Fit.epochs(20).accuracy(true).verbose(0));
        assertTrue(asked.last("accuracy") > 0.9, asked.toString());
        History off = Trainer.fit(model, data, Loss.crossEntropy(), new Adam(model.parameters(), 0.05),
                Fit.epochs(1).accuracy(false).verbose(0));
        assertFalse(off.has("accuracy"));
    }

    @Test
    void schedulerStepsEachEpochAndLogsTheRate() {
        Rng.seed(3);
        TensorDataset data = Datasets.xor(64, 0.1, new Rng(3));
        var model = mlp(4);
        var opt = new SGD(model.parameters(), 0.1);
        History h = Trainer.fit(model, data, Loss.crossEntropy(), opt,
                Fit.epochs(5).batchSize(64).scheduler(new StepLR(opt, 2, 0.5)).verbose(0));
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025), h.get("lr"));
        assertEquals(h.get("lr"), h.learningRates());
        assertEquals(0.025, opt.lr(), 1e-15, "five steps: epoch 5 keeps epoch 4's rate");
        assertTrue(h.toString().split("\n")[0].contains("lr"));
    }

    @Test
    void modesArePutBackAfterFitEvaluateAndPredict() {
        Rng.seed(9);
        var drop = new Dropout(0.5f);
        var model = new Sequential(new Linear(2, 4), drop, new Linear(4, 2));
        TensorDataset data = Datasets.xor(32, 0.1, new Rng(1));
        List<Boolean> seenDuringTraining = new ArrayList<>();
        Callback spy = Callback.atBatchEnd((b, logs) -> seenDuringTraining.add(drop.isTraining()));

        model.eval();
        Trainer.fit(model, data, Loss.crossEntropy(), new SGD(model.parameters(), 0.1),
                Fit.epochs(1).batchSize(16).validation(data).callbacks(spy).verbose(0));
        assertEquals(List.of(true, true), seenDuringTraining, "fit trains in training mode");
        assertFalse(model.isTraining(), "eval mode put back");
        assertFalse(drop.isTraining());

        model.train();
        drop.eval(); // a mixed state: only the dropout layer in eval mode
        Trainer.evaluate(model, data, Loss.crossEntropy());
        Trainer.predict(model, data);
        assertTrue(model.isTraining());
        assertFalse(drop.isTraining());
        Trainer.fit(model, data, Loss.crossEntropy(), new SGD(model.parameters(), 0.1), Fit.epochs(1).verbose(0));
        assertTrue(model.isTraining());
        assertFalse(drop.isTraining(), "each module gets its own mode back");
    }

    @Test
    void predictRunsInEvalModeWithoutAGraphAndBatchesAgree() {
        Rng.seed(2);
        var model = new Sequential(new Linear(2, 8), new Dropout(0.9f), new ReLU(), new Linear(8, 3));
        Tensor x = Tensor.randn(new Rng(5), 10, 2);
        Tensor all = Trainer.predict(model, x);
        assertArrayEquals(new int[] {10, 3}, all.shape());
        assertFalse(all.isRequiresGrad());
        assertArrayEquals(all.toArray(), Trainer.predict(model, x).toArray(), "dropout is off: deterministic");
        assertArrayEquals(all.toArray(), Trainer.predict(model, x, 3).toArray(), 1e-6f);
        Tensor y = Tensor.zeros(10);
        assertArrayEquals(all.toArray(), Trainer.predict(model, new TensorDataset(x, y), 4).toArray(), 1e-6f);
        assertTrue(model.isTraining());
    }

    @Test
    void aLossThatIsNotOneNumberIsAClearError() {
        var model = new Linear(1, 1);
        Tensor x = Tensor.ones(4, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(model, x, x,
                Loss.mse(dev.vectorgrad.nn.Reduction.NONE), new SGD(model.parameters(), 0.1), Fit.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("one number per batch") && e.getMessage().contains("(4,1)"),
                e.getMessage());
    }

    @Test
    void fitSettingsAreImmutableAndChecked() {
        Fit base = Fit.epochs(3);
        Fit big = base.batchSize(128).shuffle(7);
        assertEquals(32, base.batchSize());
        assertEquals(128, big.batchSize());
        assertEquals(7L, big.seed());
        assertTrue(base.shuffle());
        assertFalse(big.shuffle(false).shuffle());
        assertEquals(128, big.validationBatchSize());
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(0));
        assertThrows(IllegalArgumentException.class, () -> base.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> base.verbose(3));
        assertTrue(big.toString().startsWith("Fit(epochs=3, batchSize=128, shuffle=seed 7"), big.toString());
    }

    @Test
    void callbacksSeeBatchesAndEpochsInOrder() {
        Rng.seed(6);
        TensorDataset data = Datasets.xor(40, 0.1, new Rng(6));
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin(Training t) {
                events.add("begin " + t.epochs() + "x" + t.batchesPerEpoch());
            }

            @Override
            public void onEpochBegin(int epoch) {
                events.add("epoch " + epoch);
            }

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                events.add("batch " + batch + " " + logs.keySet());
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                events.add("end " + epoch + " " + logs.keySet());
            }

            @Override
            public void onTrainEnd(Training t) {
                events.add("done " + t.history().epochs());
            }
        };
        var model = mlp(3);
        Trainer.fit(model, data, Loss.crossEntropy(), new SGD(model.parameters(), 0.1),
                Fit.epochs(2).batchSize(20).callbacks(recorder).verbose(0));
        assertEquals(List.of("begin 2x2", "epoch 0", "batch 0 [loss, accuracy, batch_loss]",
                "batch 1 [loss, accuracy, batch_loss]", "end 0 [loss, accuracy]", "epoch 1",
                "batch 0 [loss, accuracy, batch_loss]", "batch 1 [loss, accuracy, batch_loss]",
                "end 1 [loss, accuracy]", "done 2"), events);
    }

    @Test
    void aCallbackCanStopTrainingAfterTheCurrentBatch() {
        Rng.seed(6);
        TensorDataset data = Datasets.xor(40, 0.1, new Rng(6));
        var model = mlp(3);
        Callback stopper = new Callback() {
            Training t;

            @Override
            public void onTrainBegin(Training training) {
                t = training;
            }

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                if (t.epoch() == 1 && batch == 0) {
                    t.stop("enough");
                }
            }
        };
        History h = Trainer.fit(model, data, Loss.crossEntropy(), new SGD(model.parameters(), 0.1),
                Fit.epochs(5).batchSize(10).callbacks(stopper).verbose(0));
        assertEquals(2, h.epochs(), "the epoch in which it stopped is closed normally");
        assertEquals(List.of(4, 1), h.batchesPerEpoch());
        assertEquals("enough", h.stopReason());
        assertTrue(h.toString().endsWith("Stopped early: enough"));
    }
}
