package dev.vectorgrad.train;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.data.Datasets;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two ways fit stops by itself: a diverging loss, and an interrupted thread. */
class StoppingTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // never leave the test thread interrupted
    }

    @Test
    void aHugeLearningRateDivergesWithAMessageNamingEpochBatchAndRate() {
        Rng.seed(1);
        Tensor x = Tensor.randn(new Rng(2), 64, 1).mul(3f);
        Tensor y = x.mul(3f).add(1f);
        var model = new Linear(1, 1);
        List<Throwable> ended = new ArrayList<>();
        ProgressListener spy = new ProgressListener() {
            @Override
            public void onBatch(Progress p) {
            }

            @Override
            public void onTrainEnd(History history, Throwable failure) {
                ended.add(failure);
            }
        };
        var e = assertThrows(TrainingDivergedException.class, () -> Trainer.fit(model, x, y, Loss.mse(),
                new SGD(model.parameters(), 1e6), Fit.epochs(5).batchSize(16).shuffle(false).progress(spy)));
        int batches = 4;
        String m = e.getMessage();
        assertTrue(m.startsWith("Training diverged: the loss is "), m);
        assertTrue(m.contains("at epoch " + (e.epoch() + 1) + "/5, batch " + (e.batch() + 1) + "/" + batches), m);
        assertTrue(m.contains("(learning rate 1e+06)"), m);
        assertTrue(m.contains("Try a lower learning rate, such as 100000"), m);
        assertTrue(Double.isNaN(e.loss()) || Double.isInfinite(e.loss()));
        assertEquals(1e6, e.lr());
        assertEquals(e.epoch() * batches + e.batch(), e.history().batchLosses().size(),
                "every batch before the divergent one is in the history");
        assertTrue(e.history().batchLosses().stream().allMatch(Double::isFinite));
        assertEquals(1, ended.size());
        assertSame(e, ended.get(0), "the progress display hears about the failure");
        assertTrue(model.isTraining());
    }

    @Test
    void interruptingTheThreadStopsBetweenBatches() {
        Rng.seed(2);
        TensorDataset data = Datasets.xor(40, 0.1, new Rng(2));
        var model = new Linear(2, 2);
        Callback interruptAtEpoch1Batch1 = new Callback() {
            Training t;

            @Override
            public void onTrainBegin(Training training) {
                t = training;
            }

            @Override
            public void onBatchEnd(int batch, java.util.Map<String, Double> logs) {
                if (t.epoch() == 1 && batch == 1) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        model.eval();
        var e = assertThrows(TrainingInterruptedException.class, () -> Trainer.fit(model, data, Loss.crossEntropy(),
                new SGD(model.parameters(), 0.1), Fit.epochs(5).batchSize(10).callbacks(interruptAtEpoch1Batch1)
                        .verbose(0)));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is left set");
        assertEquals(1, e.epoch());
        assertEquals(2, e.batch(), "batches 0 and 1 of epoch 1 completed");
        assertEquals(1, e.history().epochs());
        assertEquals(4 + 2, e.history().batchLosses().size());
        assertTrue(e.getMessage().startsWith("Training interrupted in epoch 2/5 after 2 of 4 batches."), e.getMessage());
        assertFalse(model.isTraining(), "the module's mode is put back");
    }

    @Test
    void interruptingDuringValidationStopsToo() {
        TensorDataset data = new TensorDataset(Tensor.ones(8, 1), Tensor.zeros(8, 1));
        var model = new Linear(1, 1);
        Loss interruptsWhenValidating = (p, t) -> {
            if (!Grad.isEnabled()) {
                Thread.currentThread().interrupt();
            }
            return p.sub(t).square().mean();
        };
        var e = assertThrows(TrainingInterruptedException.class, () -> Trainer.fit(model, data,
                interruptsWhenValidating, new SGD(model.parameters(), 0.1),
                Fit.epochs(3).batchSize(4).validation(data).verbose(0)));
        assertTrue(e.getMessage().startsWith("Training interrupted in epoch 1/3 while evaluating the validation set"),
                e.getMessage());
        assertEquals(0, e.history().epochs());
        assertEquals(2, e.history().batchLosses().size());
    }

    @Test
    void anInterruptFromAnotherThreadEndsALongRun() throws Exception {
        Rng.seed(3);
        TensorDataset data = Datasets.circle(200, 0.1, new Rng(3));
        var model = FitTest.mlp(8);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                Trainer.fit(model, data, Loss.crossEntropy(), new SGD(model.parameters(), 0.01),
                        Fit.epochs(100_000).batchSize(16).verbose(0)
                                .callbacks(Callback.atBatchEnd((b, logs) -> started.countDown())));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "training");
        worker.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        worker.interrupt();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "training stopped");
        assertInstanceOf(TrainingInterruptedException.class, thrown.get());
    }
}
