package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;
import dev.vectorgrad.tensor.TensorFormatter;

import java.util.ArrayList;
import java.util.List;

/**
 * A tensor as an HTML table, truncated the way its text form is ({@link TensorFormatter} options:
 * more than {@code threshold} elements show {@code edgeItems} at each edge of every dimension). A
 * tensor of more than two dimensions is shown as one table per leading index, e.g. {@code [0, 1, :, :]}.
 * The caption gives shape, dtype and backend; row and column headers give the indices.
 */
public final class TensorHtml {

    private static final String TABLE_STYLE = "border-collapse:collapse;font-family:monospace;font-size:12px;margin:2px 0";
    private static final String CELL_STYLE = "text-align:right;padding:1px 6px;border:none";
    private static final String HEAD_STYLE = "text-align:right;padding:1px 6px;color:#888;font-weight:normal;border:none";

    private TensorHtml() {
    }

    public static String html(Tensor t) {
        return html(t, TensorFormatter.options());
    }

    public static String html(Tensor t, TensorFormatter.Options o) {
        int[] shape = t.shape();
        StringBuilder sb = new StringBuilder("<div class=\"vg-tensor\" style=\"overflow-x:auto\">");
        sb.append("<div style=\"font-family:monospace;font-size:12px;color:#555\">")
                .append(escape(caption(t))).append("</div>");
        if (t.numel() == 0) {
            return sb.append("<div style=\"font-family:monospace\">(empty)</div></div>").toString();
        }
        boolean summarize = t.numel() > o.threshold();
        TensorFormatter.Options slice = o.withThreshold(summarize ? 0 : Integer.MAX_VALUE);
        if (shape.length <= 2) {
            table(sb, t, slice, null);
        } else {
            int lead = shape.length - 2;
            List<int[]> indices = leadingIndices(shape, lead, summarize, o.edgeItems());
            for (int[] idx : indices) {
                if (idx == null) {
                    sb.append("<div style=\"font-family:monospace;padding-left:1em\">&#8942;</div>");
                    continue;
                }
                Tensor s = t;
                for (int i : idx) {
                    s = s.select(0, i);
                }
                table(sb, s, slice, label(idx));
            }
        }
        return sb.append("</div>").toString();
    }

    /** {@code Tensor shape=(2,3) dtype=float32 backend=simd}, plus the device when not on the host. */
    static String caption(Tensor t) {
        String where = t.storage().location().equals("host") ? "" : " device=" + t.storage().location();
        return "Tensor shape=" + Shapes.format(t.shape()) + " dtype=float32 backend=" + t.backend().name() + where;
    }

    private static void table(StringBuilder sb, Tensor t, TensorFormatter.Options o, String label) {
        TensorFormatter.Grid g = TensorFormatter.grid(t, o);
        int[] shape = t.shape();
        int rowsN = shape.length == 2 ? shape[0] : 1;
        int colsN = shape.length == 0 ? 1 : shape[shape.length - 1];
        List<String> rowHeads = headers(rowsN, g.rows().size(), g.rowsTruncated());
        List<String> colHeads = headers(colsN, g.rows().isEmpty() ? 0 : g.rows().get(0).size(), g.columnsTruncated());
        sb.append("<table style=\"").append(TABLE_STYLE).append("\">");
        if (label != null) {
            sb.append("<caption style=\"caption-side:top;text-align:left;font-family:monospace;color:#555\">")
                    .append(escape(label)).append("</caption>");
        }
        boolean heads = shape.length > 0;
        if (heads) {
            sb.append("<thead><tr>");
            if (shape.length == 2) {
                sb.append("<th style=\"").append(HEAD_STYLE).append("\"></th>");
            }
            for (String h : colHeads) {
                sb.append("<th style=\"").append(HEAD_STYLE).append("\">").append(h).append("</th>");
            }
            sb.append("</tr></thead>");
        }
        sb.append("<tbody>");
        for (int r = 0; r < g.rows().size(); r++) {
            sb.append("<tr>");
            if (shape.length == 2) {
                sb.append("<th style=\"").append(HEAD_STYLE).append("\">").append(rowHeads.get(r)).append("</th>");
            }
            for (String cell : g.rows().get(r)) {
                sb.append("<td style=\"").append(CELL_STYLE).append("\">")
                        .append(cell.equals("...") ? "&#8230;" : escape(cell)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
    }

    /** Index labels for {@code shown} entries of a dimension of {@code size}, with an ellipsis where cut. */
    private static List<String> headers(int size, int shown, boolean truncated) {
        List<String> out = new ArrayList<>();
        if (!truncated) {
            for (int i = 0; i < shown; i++) {
                out.add(Integer.toString(i));
            }
            return out;
        }
        int edge = (shown - 1) / 2;
        for (int i = 0; i < edge; i++) {
            out.add(Integer.toString(i));
        }
        out.add("&#8230;");
        for (int i = size - edge; i < size; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    /** Index tuples over the leading dimensions, {@code null} marking an elided run. */
    private static List<int[]> leadingIndices(int[] shape, int lead, boolean summarize, int edge) {
        List<int[]> out = new ArrayList<>();
        collect(shape, lead, 0, new int[lead], summarize, edge, out);
        return out;
    }

    private static void collect(int[] shape, int lead, int d, int[] idx, boolean summarize, int edge, List<int[]> out) {
        if (d == lead) {
            out.add(idx.clone());
            return;
        }
        int n = shape[d];
        boolean cut = summarize && n > 2 * edge;
        for (int i = 0; i < n; i++) {
            if (cut && i == edge) {
                out.add(null);
                i = n - edge - 1;
                continue;
            }
            idx[d] = i;
            collect(shape, lead, d + 1, idx, summarize, edge, out);
        }
    }

    private static String label(int[] idx) {
        StringBuilder sb = new StringBuilder("[");
        for (int i : idx) {
            sb.append(i).append(", ");
        }
        return sb.append(":, :]").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
