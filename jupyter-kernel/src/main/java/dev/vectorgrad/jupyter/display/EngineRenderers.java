package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.chart.BarChart;
import dev.vectorgrad.chart.Chart;
import dev.vectorgrad.chart.DecisionBoundary;
import dev.vectorgrad.chart.LineChart;
import dev.vectorgrad.chart.ScatterChart;
import dev.vectorgrad.nn.Summary;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.train.History;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Renderers for the engine's display types, which carry data only: model summaries as HTML tables,
 * chart data ({@link Chart}, {@link LineChart}, {@link ScatterChart}, {@link DecisionBoundary},
 * {@link BarChart}) as PNG drawn by {@link ChartImages}, and a training {@link History} as its epoch
 * table with its learning curves. Each keeps the engine's own text form as {@code text/plain}.
 */
public final class EngineRenderers {

    static final String TABLE_STYLE = "border-collapse:collapse;font-family:monospace;font-size:12px;margin:4px 0";
    static final String TH = "text-align:left;padding:2px 10px;border-bottom:1px solid #999;font-weight:bold";
    static final String TD = "text-align:left;padding:1px 10px;border:none";
    static final String TD_NUM = "text-align:right;padding:1px 10px;border:none";

    private EngineRenderers() {
    }

    /** Registers them all (the registry does this once, when it is first used). */
    static void registerAll() {
        Renderers.register(Renderer.of(Summary.class, (s, out) -> out.text(s.toString()).html(summaryHtml(s))));
        Renderers.register(Renderer.of(Chart.class, (c, out) -> png(out, c.toString(), ChartImages.chart(c))));
        Renderers.register(Renderer.of(LineChart.class, (c, out) -> png(out, c.toString(), ChartImages.lineChart(c))));
        Renderers.register(Renderer.of(ScatterChart.class, (c, out) -> png(out, c.toString(), ChartImages.scatter(c))));
        Renderers.register(Renderer.of(DecisionBoundary.class,
                (d, out) -> png(out, d.toString(), ChartImages.decisionBoundary(d))));
        Renderers.register(Renderer.of(BarChart.class, (c, out) -> png(out, c.toString(), ChartImages.barChart(c))));
        Renderers.register(Renderer.of(History.class, EngineRenderers::history));
    }

    private static void png(MimeBundle out, String text, BufferedImage img) {
        out.text(text).png(CompactPng.encode(img), img.getWidth(), img.getHeight());
    }

    // ------------------------------------------------------------------ summary

    /** The summary as a table: layer, type, output shape, parameters; totals underneath. */
    public static String summaryHtml(Summary s) {
        StringBuilder sb = new StringBuilder("<div class=\"vg-summary\">");
        sb.append("<div style=\"font-family:monospace;font-size:12px;color:#555\">").append(esc(s.model()));
        int[] in = s.inputShape();
        if (in != null) {
            sb.append(", input ").append(esc(Shapes.format(in)));
        }
        sb.append("</div><table style=\"").append(TABLE_STYLE).append("\"><thead><tr>");
        for (String h : new String[] {"Layer", "Type", "Output shape", "Params"}) {
            sb.append("<th style=\"").append(h.equals("Params") ? TH.replace("text-align:left", "text-align:right") : TH)
                    .append("\">").append(h).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (Summary.Row r : s.rows()) {
            sb.append("<tr><td style=\"").append(TD).append("\">").append(esc(r.name())).append("</td>")
                    .append("<td style=\"").append(TD).append("\">").append(esc(r.type())).append("</td>")
                    .append("<td style=\"").append(TD).append("\">").append(esc(r.outputShapeText())).append("</td>")
                    .append("<td style=\"").append(TD_NUM).append("\">").append(count(r.params())).append("</td></tr>");
        }
        sb.append("</tbody></table>");
        sb.append("<table style=\"").append(TABLE_STYLE).append(";border-top:1px solid #999\"><tbody>");
        total(sb, "Total params", count(s.totalParams()));
        total(sb, "Trainable params", count(s.trainableParams()));
        total(sb, "Non-trainable params", count(s.nonTrainableParams()));
        total(sb, "Parameter memory", bytes(s.parameterBytes()) + " (float32)");
        sb.append("</tbody></table>");
        if (s.problem() != null) {
            sb.append("<div style=\"font-family:monospace;font-size:12px;color:#b00\">Shapes stop at ")
                    .append(esc(s.problem())).append("</div>");
        }
        return sb.append("</div>").toString();
    }

    private static void total(StringBuilder sb, String label, String value) {
        sb.append("<tr><td style=\"").append(TD).append(";font-weight:bold\">").append(label).append(":</td><td style=\"")
                .append(TD_NUM).append("\">").append(esc(value)).append("</td></tr>");
    }

    // ------------------------------------------------------------------ history

    /** The epoch table and, in the HTML form, the learning curves under it; the PNG alone for front ends without HTML. */
    static void history(History h, MimeBundle out) {
        out.text(h.toString());
        if (h.epochs() == 0) {
            return;
        }
        BufferedImage img = ChartImages.chart(h.plot());
        byte[] png = CompactPng.encode(img);
        out.html(historyTable(h) + "<img alt=\"training history\" width=\"" + img.getWidth() + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"/>");
        out.png(png, img.getWidth(), img.getHeight());
    }

    /** One row per epoch: the metrics, the epoch's time and throughput; the stop reason under it. */
    public static String historyTable(History h) {
        List<String> cols = new ArrayList<>(h.metrics());
        StringBuilder sb = new StringBuilder("<table class=\"vg-history\" style=\"").append(TABLE_STYLE).append("\"><thead><tr>");
        List<String> head = new ArrayList<>();
        head.add("epoch");
        head.addAll(cols);
        head.add("time");
        head.add("samples/s");
        for (String c : head) {
            sb.append("<th style=\"").append(TH.replace("text-align:left", "text-align:right")).append("\">")
                    .append(esc(c)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int e = 0; e < h.epochs(); e++) {
            sb.append("<tr>");
            cell(sb, String.valueOf(e + 1));
            for (String c : cols) {
                double v = h.get(c).get(e);
                cell(sb, c.equals("lr") ? lr(v) : metric(v));
            }
            cell(sb, seconds(h.epochTimes().get(e)));
            cell(sb, rate(h.samplesPerSecond().get(e)));
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
        if (h.stoppedEarly()) {
            sb.append("<div style=\"font-family:monospace;font-size:12px\">Stopped early: ").append(esc(h.stopReason()))
                    .append("</div>");
        }
        return sb.toString();
    }

    static void cell(StringBuilder sb, String text) {
        sb.append("<td style=\"").append(TD_NUM).append("\">").append(esc(text)).append("</td>");
    }

    // ------------------------------------------------------------------ formats

    static String esc(String s) {
        return TensorHtml.escape(s);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    /** A loss or accuracy: four decimals, scientific when tiny or huge. */
    public static String metric(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    static String lr(double v) {
        return v == 0 || !Double.isFinite(v) ? String.valueOf(v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** {@code 0.35s}, {@code 12.3s}, {@code 2m05s}. */
    public static String seconds(double s) {
        if (!Double.isFinite(s) || s < 0) {
            return "?";
        }
        if (s < 10) {
            return String.format(Locale.ROOT, "%.2fs", s);
        }
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", s);
        }
        long t = Math.round(s);
        return t < 3600 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60)
                : String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
    }

    /** {@code 5,123}; one decimal below 10. */
    public static String rate(double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "?";
        }
        return perSecond < 10 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
