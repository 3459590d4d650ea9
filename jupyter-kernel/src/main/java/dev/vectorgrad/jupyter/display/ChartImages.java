package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.chart.BarChart;
import dev.vectorgrad.chart.Chart;
import dev.vectorgrad.chart.DecisionBoundary;
import dev.vectorgrad.chart.LineChart;
import dev.vectorgrad.chart.ScatterChart;
import dev.vectorgrad.chart.Series;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the engine's chart data ({@code dev.vectorgrad.chart}) as images with XChart: line charts
 * and multi-panel figures (training curves), scatter plots, decision boundaries (the model's class
 * regions as a coloured background under the points) and bar charts. Static pictures, so they show
 * wherever a notebook is viewed; the JVM runs headless.
 */
public final class ChartImages {

    /** Size of one line-chart panel. */
    static final int PANEL_WIDTH = 440;
    static final int PANEL_HEIGHT = 300;
    /** Size of a scatter plot or decision boundary. */
    static final int SCATTER_WIDTH = 420;
    static final int SCATTER_HEIGHT = 400;
    static final int BAR_WIDTH = 560;
    static final int BAR_HEIGHT = 320;
    /** Series longer than this are drawn as lines without markers. */
    static final int MARKER_LIMIT = 60;

    /** A palette that stays apart for common colour blindness (Okabe-Ito order, blue first). */
    static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)};
    /** Class colours of 2-D classification pictures: orange for class 0 and blue for class 1, as the Playground. */
    static final Color[] CLASS_COLORS = {
            new Color(0xF59322), new Color(0x0877BD), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0x56B4E9), new Color(0xD55E00), new Color(0x999999), new Color(0x000000)};

    private static final String FONT = Font.SANS_SERIF;

    private ChartImages() {
    }

    // ------------------------------------------------------------------ line charts

    /** One panel. */
    public static BufferedImage lineChart(LineChart c) {
        return lineChart(c, PANEL_WIDTH, PANEL_HEIGHT);
    }

    static BufferedImage lineChart(LineChart c, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(c.title())
                .xAxisTitle(c.xLabel()).yAxisTitle(c.yLabel()).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(legendCorner(c));
        chart.getStyler().setXAxisDecimalPattern("0.##");
        int i = 0;
        int drawn = 0;
        for (Series s : c.series()) {
            Color color = PALETTE[i++ % PALETTE.length];
            double[][] xy = finite(s.x(), s.y());
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries series = chart.addSeries(s.name(), xy[0], xy[1]);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setMarker(xy[0].length <= MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            drawn++;
        }
        if (drawn == 0) {
            return message(width, height, c.title() + ": no points to draw");
        }
        roundTicks(chart);
        chart.getStyler().setLegendVisible(drawn > 1 || !c.series().get(0).name().equals(c.yLabel()));
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * XChart puts the ticks of an axis whose values are evenly spaced (a curve sampled on a grid) on
     * data values, which gives labels such as -4.3, -3.6, ... One hidden point at an off-grid value
     * makes it choose round numbers instead; axes with a dozen values or fewer (epochs) keep their
     * ticks on the data.
     */
    static void roundTicks(XYChart chart) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        java.util.TreeSet<Double> ys = new java.util.TreeSet<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double v : s.getXData()) {
                xs.add(v);
            }
            for (double v : s.getYData()) {
                ys.add(v);
            }
        }
        boolean evenX = evenlySpaced(xs);
        boolean evenY = evenlySpaced(ys);
        if (!evenX && !evenY) {
            return;
        }
        double x = evenX ? offGrid(xs) : xs.first();
        double y = evenY ? offGrid(ys) : ys.first();
        XYSeries anchor = chart.addSeries("\u0000ticks", new double[] {x}, new double[] {y});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
    }

    static boolean evenlySpaced(java.util.TreeSet<Double> values) {
        if (values.size() <= 12) {
            return false;
        }
        double first = values.first();
        double step = (values.last() - first) / (values.size() - 1);
        int i = 0;
        for (double v : values) {
            if (Math.abs(v - (first + i * step)) > 1e-4) {
                return false;
            }
            i++;
        }
        return true;
    }

    private static double offGrid(java.util.TreeSet<Double> values) {
        double lo = values.first();
        double hi = values.last();
        return lo + (hi - lo) * (0.5 + 0.0073 * Math.sqrt(2));
    }

    /**
     * Top right, unless the curves end in the upper half of the panel (rising accuracy): then bottom
     * right, where they are not.
     */
    static Styler.LegendPosition legendCorner(LineChart c) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double endSum = 0;
        int ends = 0;
        for (Series s : c.series()) {
            double[][] xy = finite(s.x(), s.y());
            double[] y = xy[1];
            for (double v : y) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (y.length > 0) {
                endSum += y[y.length - 1];
                ends++;
            }
        }
        if (ends == 0 || !(hi > lo)) {
            return Styler.LegendPosition.InsideNE;
        }
        return (endSum / ends - lo) / (hi - lo) > 0.5 ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE;
    }

    /** A figure: its panels side by side under its title. */
    public static BufferedImage chart(Chart c) {
        List<BufferedImage> panels = new ArrayList<>();
        for (LineChart p : c.panels()) {
            panels.add(lineChart(p));
        }
        return titledRow(c.title(), panels);
    }

    /** Images side by side on white, under a title band (no band when the title is empty). */
    static BufferedImage titledRow(String title, List<BufferedImage> images) {
        int band = title.isBlank() ? 0 : 30;
        int w = 0;
        int h = 0;
        for (BufferedImage p : images) {
            w += p.getWidth();
            h = Math.max(h, p.getHeight());
        }
        BufferedImage out = new BufferedImage(Math.max(1, w), h + band, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            if (band > 0) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(FONT, Font.BOLD, 15));
                int tw = g.getFontMetrics().stringWidth(title);
                g.drawString(title, Math.max(4, (out.getWidth() - tw) / 2), 21);
            }
            int x = 0;
            for (BufferedImage p : images) {
                g.drawImage(p, x, band, null);
                x += p.getWidth();
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    // ------------------------------------------------------------------ scatter and decision boundary

    public static BufferedImage scatter(ScatterChart c) {
        XYChart chart = scatterChart(c.title(), c.xLabel(), c.yLabel(), c.groups(), true);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * The model's class per grid cell as a background (each class its colour, paler where the model is
     * less sure; interpolated between cells) under the points. XChart draws axes and points on
     * a transparent canvas; the background goes underneath, into the plot rectangle XChart reports for
     * the grid's corners.
     */
    public static BufferedImage decisionBoundary(DecisionBoundary d) {
        XYChart chart = scatterChart(d.title(), d.xLabel(), d.yLabel(), d.points(), true);
        AxesChartStyler st = chart.getStyler();
        st.setXAxisMin(d.xMin()).setXAxisMax(d.xMax()).setYAxisMin(d.yMin()).setYAxisMax(d.yMax());
        st.setPlotContentSize(1.0);
        st.setChartBackgroundColor(new Color(0, 0, 0, 0));
        st.setPlotBackgroundColor(new Color(0, 0, 0, 0));
        st.setPlotGridLinesColor(new Color(255, 255, 255, 90));
        if (chart.getSeriesMap().isEmpty()) {
            // XChart needs a series to lay out axes: an invisible one at a corner of the area
            XYSeries corner = chart.addSeries(" ", new double[] {d.xMin()}, new double[] {d.yMin()});
            corner.setMarker(SeriesMarkers.NONE);
            corner.setShowInLegend(false);
        }
        PlotArea area = new PlotArea(d.xMin(), d.xMax(), d.yMin(), d.yMax());
        chart.addAnnotation(area);

        BufferedImage front = new BufferedImage(SCATTER_WIDTH, SCATTER_HEIGHT, BufferedImage.TYPE_INT_ARGB);
        Graphics2D fg = front.createGraphics();
        try {
            chart.paint(fg, SCATTER_WIDTH, SCATTER_HEIGHT);
        } finally {
            fg.dispose();
        }
        BufferedImage out = new BufferedImage(SCATTER_WIDTH, SCATTER_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SCATTER_WIDTH, SCATTER_HEIGHT);
            if (area.painted) {
                int x0 = Math.min(area.left, area.right);
                int y0 = Math.min(area.top, area.bottom);
                g.drawImage(regions(d, Math.abs(area.right - area.left), Math.abs(area.bottom - area.top)), x0, y0, null);
            }
            g.drawImage(front, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Confidence levels of the background: bands of flat colour, as the Playground draws them. */
    static final int SHADES = 6;

    /**
     * The background at {@code width x height} pixels, top row first. Each cell's class and confidence
     * become a probability per class (the rest shared among the other classes), interpolated
     * bilinearly between cell centres, so boundaries fall between cells where the model changes its
     * mind; each pixel then takes the more probable class's colour, blended with white in
     * {@link #SHADES} steps of certainty (flat bands also keep the PNG small).
     */
    static BufferedImage regions(DecisionBoundary d, int width, int height) {
        int cols = d.columns();
        int rows = d.rows();
        int k = Math.max(2, d.classNames().size());
        int[] cls = d.classes();
        float[] conf = d.confidence();
        float[][] prob = new float[k][cols * rows];
        for (int i = 0; i < cls.length; i++) {
            float rest = (1 - conf[i]) / (k - 1);
            for (int c = 0; c < k; c++) {
                prob[c][i] = c == cls[i] ? conf[i] : rest;
            }
        }
        double chance = 1.0 / k;
        int[][] shades = new int[k][SHADES];
        for (int c = 0; c < k; c++) {
            Color base = CLASS_COLORS[c % CLASS_COLORS.length];
            for (int level = 0; level < SHADES; level++) {
                double a = 0.16 + 0.52 * level / (SHADES - 1);
                int red = (int) Math.round(255 + (base.getRed() - 255) * a);
                int green = (int) Math.round(255 + (base.getGreen() - 255) * a);
                int blue = (int) Math.round(255 + (base.getBlue() - 255) * a);
                shades[c][level] = red << 16 | green << 8 | blue;
            }
        }
        BufferedImage img = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
        for (int py = 0; py < img.getHeight(); py++) {
            // grid coordinates of the pixel centre; cell centres sit at integer + 0.5
            double gy = (1 - (py + 0.5) / img.getHeight()) * rows - 0.5;
            int r0 = Math.clamp((long) Math.floor(gy), 0, rows - 1);
            int r1 = Math.min(r0 + 1, rows - 1);
            double fy = Math.clamp(gy - r0, 0.0, 1.0);
            for (int px = 0; px < img.getWidth(); px++) {
                double gx = (px + 0.5) / img.getWidth() * cols - 0.5;
                int c0 = Math.clamp((long) Math.floor(gx), 0, cols - 1);
                int c1 = Math.min(c0 + 1, cols - 1);
                double fx = Math.clamp(gx - c0, 0.0, 1.0);
                int best = 0;
                double bestP = -1;
                for (int c = 0; c < k; c++) {
                    float[] q = prob[c];
                    double top = q[r1 * cols + c0] * (1 - fx) + q[r1 * cols + c1] * fx;
                    double bottom = q[r0 * cols + c0] * (1 - fx) + q[r0 * cols + c1] * fx;
                    double p = bottom * (1 - fy) + top * fy;
                    if (p > bestP) {
                        bestP = p;
                        best = c;
                    }
                }
                double sure = Math.clamp((bestP - chance) / (1 - chance), 0.0, 1.0);
                int level = (int) Math.min(SHADES - 1, Math.floor(sure * SHADES));
                img.setRGB(px, py, shades[best][level]);
            }
        }
        return img;
    }

    private static XYChart scatterChart(String title, String xLabel, String yLabel, List<Series> groups,
                                        boolean onRegions) {
        XYChart chart = new XYChartBuilder().width(SCATTER_WIDTH).height(SCATTER_HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int total = 0;
        for (Series s : groups) {
            total += s.size();
        }
        chart.getStyler().setMarkerSize(total > 1500 ? 3 : total > 400 ? 5 : 7);
        int i = 0;
        for (Series s : groups) {
            Color color = CLASS_COLORS[i++ % CLASS_COLORS.length];
            if (onRegions) {
                color = color.darker(); // to stand out on the paler region of the same colour
            }
            double[][] xy = finite(s.x(), s.y());
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries series = chart.addSeries(s.name(), xy[0], xy[1]);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(color);
        }
        return chart;
    }

    /** Records where the area's corners land on screen while XChart paints; draws nothing. */
    private static final class PlotArea extends Annotation {
        private final double xMin;
        private final double xMax;
        private final double yMin;
        private final double yMax;
        int left;
        int right;
        int top;
        int bottom;
        boolean painted;

        PlotArea(double xMin, double xMax, double yMin, double yMax) {
            super(false);
            this.xMin = xMin;
            this.xMax = xMax;
            this.yMin = yMin;
            this.yMax = yMax;
        }

        @Override
        public void paint(Graphics2D g) {
            left = getXAxisScreenValue(xMin);
            right = getXAxisScreenValue(xMax);
            top = getYAxisScreenValue(yMax);
            bottom = getYAxisScreenValue(yMin);
            painted = right != left && bottom != top;
        }
    }

    // ------------------------------------------------------------------ bar charts

    public static BufferedImage barChart(BarChart c) {
        CategoryChart chart = new CategoryChartBuilder().width(BAR_WIDTH).height(BAR_HEIGHT).title(c.title())
                .xAxisTitle("").yAxisTitle(c.yLabel()).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisTitleVisible(false);
        chart.getStyler().setLegendVisible(c.groups().size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(new Font(FONT, Font.BOLD, 11));
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.WHITE);
        chart.getStyler().setLabelsPosition(0.93);
        chart.getStyler().setAvailableSpaceFill(c.groups().size() > 1 ? 0.8 : 0.6);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        boolean negative = false;
        for (BarChart.Bars b : c.groups()) {
            for (double v : b.values()) {
                negative |= v < 0;
            }
        }
        if (!negative) {
            chart.getStyler().setYAxisMin(0.0);
        }
        int i = 0;
        for (BarChart.Bars b : c.groups()) {
            List<Number> values = new ArrayList<>();
            for (double v : b.values()) {
                values.add(Double.isFinite(v) ? v : 0.0);
            }
            chart.addSeries(b.name(), c.categories(), values).setFillColor(PALETTE[i++ % PALETTE.length]);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    // ------------------------------------------------------------------ shared

    private static void style(Styler st) {
        st.setAntiAlias(true);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0x999999));
        st.setChartTitleFont(new Font(FONT, Font.BOLD, 13));
        st.setLegendFont(new Font(FONT, Font.PLAIN, 11));
        st.setLegendBorderColor(new Color(0xCCCCCC));
        st.setChartTitleBoxVisible(false);
        st.setChartPadding(8);
        if (st instanceof AxesChartStyler a) {
            a.setAxisTitleFont(new Font(FONT, Font.PLAIN, 12));
            a.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 11));
            a.setPlotGridLinesColor(new Color(0xE5E5E5));
            a.setAxisTickMarkLength(4);
            a.setPlotMargin(4);
            a.setLocale(java.util.Locale.ROOT);
            a.setyAxisTickLabelsFormattingFunction(ChartImages::tickLabel); // XChart's own writes 0.05 as ".05"
        }
    }

    /** A tick value as written by hand: {@code 0.05}, {@code 2.5}, {@code 1000}, {@code 0.00001}. */
    static String tickLabel(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** The points whose coordinates are both finite. */
    static double[][] finite(double[] x, double[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                n++;
            }
        }
        double[] fx = new double[n];
        double[] fy = new double[n];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                fx[k] = x[i];
                fy[k] = y[i];
                k++;
            }
        }
        return new double[][] {fx, fy};
    }

    /** A blank picture with a line of text, for charts that have nothing to draw. */
    static BufferedImage message(int width, int height, String text) {
        BufferedImage img = new BufferedImage(width, Math.min(height, 60), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(FONT, Font.PLAIN, 13));
            g.drawString(text, 10, 34);
        } finally {
            g.dispose();
        }
        return img;
    }
}
