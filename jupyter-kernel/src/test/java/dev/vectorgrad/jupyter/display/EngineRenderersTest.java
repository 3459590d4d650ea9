package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.chart.BarChart;
import dev.vectorgrad.chart.Chart;
import dev.vectorgrad.chart.DecisionBoundary;
import dev.vectorgrad.chart.LineChart;
import dev.vectorgrad.chart.ScatterChart;
import dev.vectorgrad.chart.Series;
import dev.vectorgrad.data.Synthetic;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.optim.Adam;
import dev.vectorgrad.train.Fit;
import dev.vectorgrad.train.History;
import dev.vectorgrad.train.Plots;
import dev.vectorgrad.train.Trainer;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's display types in notebooks: summaries as tables, charts as pictures, text always. */
class EngineRenderersTest {

    static BufferedImage png(MimeBundle b) throws Exception {
        assertTrue(b.has(MimeBundle.PNG), "a PNG: " + b.data().keySet());
        byte[] bytes = Base64.getDecoder().decode((String) b.get(MimeBundle.PNG));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 50, "a decodable picture");
        return img;
    }

    @Test
    void summaryIsATableWithTotals() {
        var lenet = new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
        var summary = lenet.summary(1, 1, 28, 28);
        MimeBundle b = Renderers.render(summary);
        assertEquals(summary.toString(), b.get(MimeBundle.TEXT));
        String html = (String) b.get(MimeBundle.HTML);
        assertTrue(html.contains("Sequential, input (1,1,28,28)"), html);
        assertTrue(html.contains(">Conv2d</td>") && html.contains(">(1,16,5,5)</td>") && html.contains(">48,120</td>"), html);
        assertTrue(html.contains("Total params:</td>") && html.contains(">61,706</td>"), html);
        assertTrue(html.contains("241.04 KiB (float32)"), html);
        assertEquals(12 + 1, html.split("<tr>", -1).length - 1 - 4, "12 layer rows and a header row, 4 total rows");
    }

    @Test
    void chartsArePicturesWithTheirTextSketch() throws Exception {
        LineChart loss = LineChart.of("Loss", "epoch", "loss", Series.of("loss", 0.9, 0.5, 0.3), Series.of("val_loss", 1.0, 0.7, 0.6));
        MimeBundle one = Renderers.render(loss);
        assertEquals(loss.toString(), one.get(MimeBundle.TEXT));
        png(one);

        Chart two = Chart.of("Training history", loss, LineChart.of("Accuracy", "epoch", "accuracy", Series.of("accuracy", 0.5, 0.8, 0.9)));
        BufferedImage both = png(Renderers.render(two));
        assertEquals(2 * ChartImages.PANEL_WIDTH, both.getWidth(), "panels side by side");

        ScatterChart points = Plots.scatter(Synthetic.xor(50, 0, 0L));
        png(Renderers.render(points));

        BarChart bars = BarChart.of("GEMM", "GFLOP/s", List.of("scalar", "simd"), 2, 40);
        MimeBundle b = Renderers.render(bars);
        assertTrue(((String) b.get(MimeBundle.TEXT)).contains("simd   ████"), "text bars");
        png(b);
    }

    @Test
    void gapsAndEmptySeriesDoNotBreakACurve() throws Exception {
        LineChart gaps = LineChart.of("Loss", "epoch", "loss", Series.of("loss", 0.9, Double.NaN, 0.3), Series.of("none"));
        png(Renderers.render(gaps));
        LineChart nothing = LineChart.of("Loss", "epoch", "loss", Series.of("none"));
        BufferedImage img = ChartImages.lineChart(nothing);
        assertTrue(img.getHeight() <= 60, "a one-line note instead of a chart");
    }

    @Test
    void decisionBoundaryPaintsTheClassRegionsUnderThePoints() throws Exception {
        // left half class 0 (orange), right half class 1 (blue), all certain
        int cols = 10;
        int rows = 10;
        int[] cls = new int[cols * rows];
        float[] conf = new float[cols * rows];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = i % cols < cols / 2 ? 0 : 1;
            conf[i] = 1f;
        }
        DecisionBoundary d = new DecisionBoundary("halves", "x", "y", -1, 1, -1, 1, cols, rows, cls, conf,
                List.of("class 0", "class 1"), List.of());
        BufferedImage img = png(Renderers.render(d));
        int y = img.getHeight() / 2;
        int left = img.getRGB(img.getWidth() / 4, y);
        int right = img.getRGB(img.getWidth() * 3 / 4, y);
        assertTrue(red(left) > blue(left) + 40, "orange on the left: " + Integer.toHexString(left));
        assertTrue(blue(right) > red(right) + 40, "blue on the right: " + Integer.toHexString(right));
    }

    private static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }

    private static int blue(int rgb) {
        return rgb & 0xFF;
    }

    @Test
    void historyShowsItsTableAndCurves() throws Exception {
        var data = Synthetic.circle(64, 0.1, 1L);
        var model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));
        History h = Trainer.fit(model, data, Loss.crossEntropy(), new Adam(model.parameters(), 0.01),
                Fit.epochs(3).batchSize(16).verbose(0).validation(data));
        MimeBundle b = Renderers.render(h);
        assertEquals(h.toString(), b.get(MimeBundle.TEXT));
        String html = (String) b.get(MimeBundle.HTML);
        assertTrue(html.contains("vg-history") && html.contains(">val_accuracy</th>") && html.contains(">3</td>"), html);
        assertTrue(html.contains("<img alt=\"training history\"") && html.contains("data:image/png;base64,"), "curves inline");
        png(b);
    }

    @Test
    void evenlySpacedAxesAreRecognised() {
        TreeSet<Double> grid = new TreeSet<>();
        for (int i = 0; i <= 100; i++) {
            grid.add(-5 + i * 0.1);
        }
        assertTrue(ChartImages.evenlySpaced(grid));
        TreeSet<Double> epochs = new TreeSet<>(List.of(1.0, 2.0, 3.0, 4.0));
        assertFalse(ChartImages.evenlySpaced(epochs), "a few values keep their ticks on the data");
        grid.add(0.123);
        assertFalse(ChartImages.evenlySpaced(grid));
    }

    @Test
    void tickLabelsAsWrittenByHand() {
        assertEquals("0.05", ChartImages.tickLabel(0.05));
        assertEquals("0.05", ChartImages.tickLabel(0.05000000000000001));
        assertEquals("-2.5", ChartImages.tickLabel(-2.5));
        assertEquals("1000", ChartImages.tickLabel(1000.0));
        assertEquals("0.00001", ChartImages.tickLabel(1e-5));
        assertEquals("0", ChartImages.tickLabel(-0.0));
    }

    @Test
    void compactPngKeepsFewColoursExactly() throws Exception {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 20; y++) {
                img.setRGB(x, y, x < 20 ? 0xF59322 : 0x0877BD);
            }
        }
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(CompactPng.encode(img)));
        assertEquals(0xF59322, back.getRGB(3, 3) & 0xFFFFFF);
        assertEquals(0x0877BD, back.getRGB(33, 3) & 0xFFFFFF);
    }
}
