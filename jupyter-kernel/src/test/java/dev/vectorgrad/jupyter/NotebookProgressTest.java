package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.MimeBundle;
import dev.vectorgrad.train.EpochSummary;
import dev.vectorgrad.train.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training in a cell: one display, updated in place and throttled, instead of printed lines. */
class NotebookProgressTest {

    static Session session;
    static int count;

    @BeforeAll
    static void start() {
        session = new Session();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void fitInACellDrawsOneDisplayUpdatedInPlace() throws Exception {
        RecordingOutput setup = new RecordingOutput();
        session.eval("var data = Synthetic.circle(2000, 0.1, 7L);\n"
                + "var model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));\n"
                + "var opt = new Adam(model.parameters(), 1e-2);", ++count, setup);
        RecordingOutput out = new RecordingOutput();
        long t0 = System.nanoTime();
        session.eval("Trainer.fit(model, data, Loss.crossEntropy(), opt, Fit.epochs(40).batchSize(4));", ++count, out);
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertFalse(out.out.toString().contains("Epoch"), "no progress lines printed: " + out.out);
        List<RecordingOutput.Shown> shown = out.displays;
        assertFalse(shown.get(0).update(), "first a display");
        String id = shown.get(0).id();
        assertTrue(shown.stream().skip(1).allMatch(s -> s.update() && s.id().equals(id)), "then updates of it");
        int updates = shown.size() - 1;
        assertTrue(updates <= NotebookProgress.MAX_UPDATES_PER_SECOND * seconds + 2,
                updates + " updates in " + seconds + " s");
        assertTrue(updates >= 2, "updated while running and at the end: " + updates);

        MimeBundle last = shown.get(shown.size() - 1).bundle();
        String text = (String) last.get(MimeBundle.TEXT);
        assertTrue(text.startsWith("Epoch 40/40 [==============================] 500/500"), text);
        assertTrue(text.contains("Done: 40 epochs in "), text);
        assertTrue(text.contains("\n  ...") && text.contains("\n   40 ") && text.contains("\n    1 "),
                "a long table keeps its first and last rows: " + text);
        String html = (String) last.get(MimeBundle.HTML);
        assertTrue(html.startsWith("<div class=\"vg-progress\"") && html.contains("width:100.0%"), html);
    }

    private static Progress batch(int epoch, int epochs, int batch, int batches) {
        return new Progress(epoch, epochs, batch, batches, (batch + 1) * 32L, 0.5, 0.75, 1234.5, 1.0, 2.0);
    }

    private static EpochSummary epoch(int epoch, int epochs) {
        return new EpochSummary(epoch, epochs, 10, 320, Map.of("loss", 0.25, "accuracy", 0.9), 1.5, 213.3);
    }

    @Test
    void runningEpochLineAndEndings() {
        NotebookProgress p = new NotebookProgress(session, 0);
        p.onTrainBegin(3, 10, 320);
        p.onEpochBegin(0, 3);
        p.onBatch(batch(0, 3, 4, 10));
        assertEquals("Epoch 1/3 [===============...............] 5/10 · ETA 2.00s · loss 0.5000 · accuracy 0.7500"
                + " · 1,235 samples/s", p.text());
        assertTrue(p.html().contains("width:50.0%"), p.html());
        p.onEpochEnd(epoch(0, 3));
        p.onEpochBegin(1, 3);
        p.onBatch(batch(1, 3, 2, 10));
        p.onTrainEnd(null, new IllegalStateException("out of paper\nand more"));
        String text = p.text();
        assertTrue(text.startsWith("Epoch 2/3 [=========..."), text);
        assertTrue(text.contains("\nepoch    loss  accuracy   time  samples/s\n    1  0.2500    0.9000  1.50s        213"), text);
        assertTrue(text.endsWith("\nStopped by IllegalStateException: out of paper"), text);
        assertTrue(p.html().contains("color:#b00") && p.html().contains("background:#d9534f"), "shown as stopped");
        assertTrue(p.draws() >= 4, "drawn at every step without throttling: " + p.draws());
    }

    @Test
    void anInterruptStopsFitAndTheDisplaySaysWhere() throws Exception {
        session.eval("var slow = Synthetic.circle(400, 0.1, 7L);\n"
                + "var slowModel = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));", ++count,
                new RecordingOutput());
        RecordingOutput out = new RecordingOutput();
        CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> {
            try {
                return session.eval("Trainer.fit(slowModel, slow, Loss.crossEntropy(), new SGD(slowModel.parameters(), 0.01),"
                        + " Fit.epochs(100000).batchSize(8))", ++count, out);
            } catch (CellException e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (out.displays.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        session.interrupt();
        Object r = cell.get(5, TimeUnit.SECONDS);
        assertTrue(r instanceof CellException e && e.name().equals("Interrupted"), "interrupted: " + r);
        String text;
        synchronized (out) {
            text = (String) out.displays.get(out.displays.size() - 1).bundle().get(MimeBundle.TEXT);
        }
        assertTrue(text.contains("\nInterrupted in epoch ") && text.contains(" of 50 batches; the model keeps the weights"),
                text);
    }

    @Test
    void throttledBetweenStartAndEnd() {
        NotebookProgress p = new NotebookProgress(session, 60_000_000_000L);
        p.onTrainBegin(1, 1000, 32000);
        p.onEpochBegin(0, 1);
        for (int b = 0; b < 1000; b++) {
            p.onBatch(batch(0, 1, b, 1000));
        }
        p.onEpochEnd(epoch(0, 1));
        assertEquals(1, p.draws(), "only the first display within the interval");
        p.onTrainEnd(null, null);
        assertEquals(2, p.draws(), "the end always draws");
        assertTrue(p.text().contains("Done: 1 epoch in "), p.text());
    }
}
