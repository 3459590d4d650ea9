package dev.vectorgrad.train;

import dev.vectorgrad.chart.Chart;
import dev.vectorgrad.chart.LineChart;
import dev.vectorgrad.chart.Series;
import dev.vectorgrad.data.Datasets;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.optim.StepLR;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the progress display prints, the listener API a notebook kernel uses, and chart data. */
class ProgressTest {

    private static final String NUMBER = "\\d+\\.\\d{4}";
    private static final String TIME = "[\\d.]+s";
    private static final String RATE = "[\\d,]+(\\.\\d)? samples/s";

    @AfterEach
    void resetDefault() {
        Trainer.setDefaultProgress(null);
    }

    private static TensorDataset xor() {
        return Datasets.xor(40, 0.1, new Rng(8));
    }

    /** Runs fit with System.out captured; returns what it printed. */
    private static String captureStdout(Fit fit) {
        Rng.seed(8);
        var model = FitTest.mlp(3);
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Trainer.fit(model, xor(), Loss.crossEntropy(), new SGD(model.parameters(), 0.1), fit);
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneLinePerEpochWhenNotOnAConsole() {
        String out = captureStdout(Fit.epochs(3).batchSize(16).validation(xor()).verbose(Fit.EPOCH_LINES));
        String[] lines = out.split("\n");
        assertEquals(3, lines.length, out);
        for (int e = 0; e < 3; e++) {
            String re = "Epoch " + (e + 1) + "/3 - " + TIME + " - loss: " + NUMBER + " - accuracy: " + NUMBER
                    + " - val_loss: " + NUMBER + " - val_accuracy: " + NUMBER + " - " + RATE;
            assertTrue(lines[e].matches(re), lines[e]);
        }
        assertFalse(out.contains("\r"));
    }

    @Test
    void theDefaultUnderTestsIsLinesToo() {
        // the test JVM's output is not a terminal, so the default display prints plain lines
        String out = captureStdout(Fit.epochs(2).batchSize(16));
        assertEquals(2, out.split("\n").length, out);
        assertTrue(out.startsWith("Epoch 1/2 - "), out);
        assertEquals("", captureStdout(Fit.epochs(2).verbose(Fit.SILENT)));
    }

    @Test
    void theBarIsRedrawnInPlaceOnAConsole() {
        Rng.seed(8);
        var model = FitTest.mlp(3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var bar = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0);
        var opt = new SGD(model.parameters(), 0.1);
        Trainer.fit(model, xor(), Loss.crossEntropy(), opt,
                Fit.epochs(2).batchSize(16).progress(bar).scheduler(new StepLR(opt, 1, 0.5)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        // each epoch line: an empty bar, one redraw per batch, the final line
        String[] draws = lines[0].split("\r", -1);
        assertEquals("", draws[0]);
        assertEquals("Epoch 1/2 [..............................]", draws[1].strip());
        assertTrue(draws[2].strip().matches("Epoch 1/2 \\[=========>\\.{20}] 1/3 - ETA " + TIME + " - loss: " + NUMBER
                + " - accuracy: " + NUMBER + " - " + RATE), draws[2]);
        assertTrue(draws[3].strip().matches("Epoch 1/2 \\[===================>\\.{10}] 2/3 - ETA .*"), draws[3]);
        String last = draws[draws.length - 1];
        assertTrue(last.matches("Epoch 1/2 \\[={30}] 3/3 - " + TIME + " - loss: " + NUMBER + " - accuracy: "
                + NUMBER + " - lr: 0.1 - " + RATE), last);
        String last2 = lines[1].substring(lines[1].lastIndexOf('\r') + 1);
        assertTrue(last2.matches("Epoch 2/2 \\[={30}] 3/3 - .* - lr: 0.05 - " + RATE), last2);
    }

    @Test
    void shorterRedrawsClearTheRestOfTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var bar = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0);
        bar.onEpochBegin(0, 1);
        bar.onBatch(new Progress(0, 1, 0, 2, 10, 123456.0, 0.5, 1000, 1, 1));
        bar.onBatch(new Progress(0, 1, 1, 2, 20, 0.5, Double.NaN, 1000, 2, 0));
        String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r");
        assertEquals(draws[2].length(), draws[3].length(), "padded to the longer line before it");
        assertTrue(draws[2].contains("loss: 1.235e+05"), draws[2]);
        assertFalse(draws[3].contains("accuracy"), draws[3]);
        bar.onTrainEnd(new History(), new RuntimeException("boom"));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("\n"), "a failure starts on a fresh line");
    }

    @Test
    void earlyStoppingReasonIsPrinted() {
        Rng.seed(8);
        var model = FitTest.mlp(3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var lines = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        Callback stop = new Callback() {
            Training t;

            @Override
            public void onTrainBegin(Training training) {
                t = training;
            }

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                t.stop("because");
            }
        };
        Trainer.fit(model, xor(), Loss.crossEntropy(), new SGD(model.parameters(), 0.1),
                Fit.epochs(5).progress(lines).callbacks(stop));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.endsWith("\nStopped early: because\n"), out);
    }

    @Test
    void aKernelCanInstallItsOwnDefaultDisplay() {
        List<String> events = new ArrayList<>();
        Trainer.setDefaultProgress(() -> new ProgressListener() {
            @Override
            public void onTrainBegin(int epochs, int batchesPerEpoch, long samplesPerEpoch) {
                events.add("begin " + epochs + " " + batchesPerEpoch + " " + samplesPerEpoch);
            }

            @Override
            public void onBatch(Progress p) {
                assertTrue(p.samplesPerSecond() > 0 && p.elapsedSeconds() >= 0 && p.etaSeconds() >= 0);
                events.add("batch " + p.epoch() + "." + p.batch() + "/" + p.batches() + " " + p.samples() + " "
                        + (p.hasAccuracy() ? "acc" : "-") + " " + p.fraction());
            }

            @Override
            public void onEpochEnd(EpochSummary s) {
                events.add("epoch " + s.epoch() + " " + s.batches() + " " + s.samples() + " " + s.logs().keySet());
            }

            @Override
            public void onTrainEnd(History history, Throwable failure) {
                events.add("end " + history.epochs() + " " + failure);
            }
        });
        Rng.seed(8);
        var model = FitTest.mlp(3);
        Trainer.fit(model, xor(), Loss.crossEntropy(), new SGD(model.parameters(), 0.1), Fit.epochs(1).batchSize(25));
        assertEquals(List.of("begin 1 2 40", "batch 0.0/2 25 acc 0.5", "batch 0.1/2 40 acc 1.0",
                "epoch 0 2 40 [loss, accuracy]", "end 1 null"), events);
        events.clear();
        Trainer.fit(model, xor(), Loss.crossEntropy(), new SGD(model.parameters(), 0.1),
                Fit.epochs(1).verbose(Fit.SILENT));
        assertTrue(events.isEmpty(), "silent means silent");
    }

    @Test
    void formats() {
        assertEquals("0.6931", Format.metric(0.69314718));
        assertEquals("1.235e+05", Format.metric(123456));
        assertEquals("1.000e-04", Format.metric(1e-4));
        assertEquals("0.0000", Format.metric(0));
        assertEquals("nan", Format.metric(Double.NaN));
        assertEquals("0.1", Format.lr(0.1));
        assertEquals("0.001", Format.lr(1e-3));
        assertEquals("1e-05", Format.lr(1e-5));
        assertEquals("1e+06", Format.lr(1e6));
        assertEquals("0.025", Format.lr(0.025));
        assertEquals("0.35s", Format.seconds(0.35));
        assertEquals("12.3s", Format.seconds(12.34));
        assertEquals("2m05s", Format.seconds(125));
        assertEquals("1h02m", Format.seconds(3725));
        assertEquals("5,123", Format.rate(5123.4));
        assertEquals("[..............................]", ConsoleProgress.bar(0, 10));
        assertEquals("[==============>...............]", ConsoleProgress.bar(5, 10));
        assertEquals("[==============================]", ConsoleProgress.bar(10, 10));
    }

    @Test
    void chartsAreData() {
        Series s = Series.of("loss", List.of(3.0, 2.0, 1.0));
        assertEquals(3, s.size());
        assertEquals(1.0, s.minY());
        assertEquals(3.0, s.maxY());
        assertEquals("█▅▁", s.sparkline(10));
        assertTrue(s.toString().startsWith("loss: 3 points █▅▁ 3.0000 .. 1.0000"), s.toString());
        double[] x = s.x();
        x[0] = 99;
        assertEquals(1.0, s.x()[0], "a series cannot be changed through its arrays");
        assertThrows(IllegalArgumentException.class, () -> new Series("bad", new double[2], new double[3]));
        LineChart c = LineChart.of("Loss", "epoch", "loss", s, Series.of("val_loss", 3.5, Double.NaN, 1.5));
        assertEquals("3.5 1.5", c.series("val_loss").minY() == 1.5 ? "3.5 1.5" : "?");
        assertTrue(c.toString().startsWith("Loss (loss by epoch)\n  loss: 3 points"), c.toString());
        assertThrows(IllegalArgumentException.class, () -> c.series("nope"));
        assertThrows(IllegalArgumentException.class, () -> c.with(Series.of("loss", 1.0)));
        Chart f = Chart.of("Training history", c);
        assertEquals(1, f.panels().size());
        assertTrue(f.toString().startsWith("Training history\n  Loss (loss by epoch)"), f.toString());
        assertThrows(IllegalArgumentException.class, () -> new Chart("empty", List.of()));
    }

    @Test
    void accuracyMetric() {
        Tensor scores = Tensor.of(new float[][] {{0.1f, 0.9f}, {2f, 1f}, {0f, 3f}, {5f, 4f}});
        Tensor labels = Tensor.of(1f, 0f, 0f, 1f);
        assertEquals(0.5, Metrics.accuracy(scores, labels));
        assertEquals(2, Metrics.correct(scores, labels));
        Tensor oneHot = Tensor.of(new float[][] {{0, 1}, {1, 0}, {1, 0}, {0, 1}});
        assertEquals(0.5, Metrics.accuracy(scores, oneHot));
        assertTrue(Metrics.isClassification(scores, labels));
        assertFalse(Metrics.isClassification(scores, oneHot));
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(scores, Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("(4,2)") && e.getMessage().contains("(3)"), e.getMessage());
    }
}
