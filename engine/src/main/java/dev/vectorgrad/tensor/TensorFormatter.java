package dev.vectorgrad.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Prints tensors the way PyTorch does, so that a notebook cell shows what a PyTorch user expects:
 *
 * <pre>
 * tensor([[ 1.0000,  2.5000],
 *         [ 3.0000, -4.0000]])
 * tensor([1., 2., 3.])
 * tensor([1.0000e-05, 1.0000e+03])
 * </pre>
 *
 * <p>One number format per tensor, chosen from the finite non-zero values shown: whole numbers print
 * as {@code 3.}; otherwise {@code precision} decimals; scientific notation when the magnitudes span
 * more than three decades, exceed 1e8 or drop below 1e-4. Columns are right-aligned to a common
 * width, rows wrap at {@code lineWidth}, and a tensor with more than {@code threshold} elements shows
 * only {@code edgeItems} leading and trailing entries per dimension around {@code ...}. Decimal
 * rounding is done on the exact binary value (round half to even), as Python's formatting does.
 *
 * <p>{@link #grid(Tensor)} gives the same truncated, formatted cells as a table, for renderers such
 * as the Jupyter HTML display.
 */
public final class TensorFormatter {

    private TensorFormatter() {
    }

    /**
     * Print options, as PyTorch's {@code set_printoptions}: decimals, element count above which output
     * is summarized, entries kept at each edge when summarizing, characters per line, and a forced
     * scientific mode ({@code null} chooses automatically).
     */
    public record Options(int precision, int threshold, int edgeItems, int lineWidth, Boolean sciMode) {

        public static final Options DEFAULT = new Options(4, 1000, 3, 80, null);

        public Options {
            if (precision < 0 || precision > 30) {
                throw new IllegalArgumentException("print options: precision must be in 0..30, got " + precision);
            }
            if (threshold < 0 || edgeItems < 0 || lineWidth < 1) {
                throw new IllegalArgumentException("print options: threshold and edgeItems must be >= 0 and lineWidth"
                        + " >= 1, got " + threshold + ", " + edgeItems + ", " + lineWidth);
            }
        }

        public Options withPrecision(int p) {
            return new Options(p, threshold, edgeItems, lineWidth, sciMode);
        }

        public Options withThreshold(int t) {
            return new Options(precision, t, edgeItems, lineWidth, sciMode);
        }

        public Options withEdgeItems(int e) {
            return new Options(precision, threshold, e, lineWidth, sciMode);
        }

        public Options withLineWidth(int w) {
            return new Options(precision, threshold, edgeItems, w, sciMode);
        }

        public Options withSciMode(Boolean s) {
            return new Options(precision, threshold, edgeItems, lineWidth, s);
        }
    }

    private static volatile Options options = Options.DEFAULT;

    /** The options {@link Tensor#toString()} uses. */
    public static Options options() {
        return options;
    }

    public static void setOptions(Options o) {
        options = Objects.requireNonNull(o, "options");
    }

    public static void resetOptions() {
        options = Options.DEFAULT;
    }

    // ---------------------------------------------------------------- text

    /** {@code tensor(...)} with the current options. */
    public static String format(Tensor t) {
        return format(t, options);
    }

    public static String format(Tensor t, Options o) {
        int[] shape = t.shape();
        if (t.numel() == 0) {
            return (shape.length == 1 ? "tensor([]" : "tensor([], size=" + Shapes.format(shape)) + gradSuffix(t) + ")";
        }
        float[] v = t.toArray();
        boolean summarize = v.length > o.threshold();
        int[][] picks = picks(shape, summarize, o.edgeItems());
        NumberFormat nf = new NumberFormat(shown(v, shape, picks), o);
        String prefix = "tensor(";
        String body = shape.length == 0 ? nf.format(v[0])
                : block(v, shape, Shapes.contiguousStrides(shape), 0, 0, prefix.length(), summarize, nf, o);
        return prefix + body + gradSuffix(t) + ")";
    }

    /** PyTorch's trailer for tensors that gradients flow through. */
    private static String gradSuffix(Tensor t) {
        if (t.gradFn != null) {
            return ", grad_fn=<" + t.gradFn.name() + ">";
        }
        return t.requiresGrad ? ", requires_grad=True" : "";
    }

    private static String block(float[] v, int[] shape, int[] strides, int d, int base, int indent,
                                boolean summarize, NumberFormat nf, Options o) {
        int size = shape[d];
        boolean cut = summarize && size > 2 * o.edgeItems();
        if (d == shape.length - 1) {
            List<String> items = new ArrayList<>();
            if (summarize && o.edgeItems() == 0) {
                items.add("...");
            } else {
                for (int i = 0; i < size; i++) {
                    if (cut && i == o.edgeItems()) {
                        items.add(" ...");
                        i = size - o.edgeItems() - 1;
                        continue;
                    }
                    items.add(nf.format(v[base + i]));
                }
            }
            int perLine = Math.max(1, (o.lineWidth() - indent) / (nf.width() + 2));
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                sb.append(items.get(i));
            }
            return sb.append(']').toString();
        }
        String sep = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1);
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (int i = 0; i < size; i++) {
            if (!first) {
                sb.append(sep);
            }
            first = false;
            if (cut && i == o.edgeItems()) {
                sb.append("...");
                i = size - o.edgeItems() - 1;
                continue;
            }
            sb.append(block(v, shape, strides, d + 1, base + i * strides[d], indent + 1, summarize, nf, o));
        }
        return sb.append(']').toString();
    }

    /** Indices shown along each dimension. */
    private static int[][] picks(int[] shape, boolean summarize, int edge) {
        int[][] picks = new int[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            int size = shape[d];
            if (summarize && size > 2 * edge) {
                picks[d] = new int[2 * edge];
                for (int i = 0; i < edge; i++) {
                    picks[d][i] = i;
                    picks[d][edge + i] = size - edge + i;
                }
            } else {
                picks[d] = new int[size];
                for (int i = 0; i < size; i++) {
                    picks[d][i] = i;
                }
            }
        }
        return picks;
    }

    /** The values that will be printed (what the number format is chosen from). */
    private static float[] shown(float[] v, int[] shape, int[][] picks) {
        int n = 1;
        for (int[] p : picks) {
            n *= p.length;
        }
        float[] out = new float[n];
        int[] strides = Shapes.contiguousStrides(shape);
        int[] idx = new int[shape.length];
        for (int k = 0; k < n; k++) {
            int p = 0;
            for (int d = 0; d < shape.length; d++) {
                p += picks[d][idx[d]] * strides[d];
            }
            out[k] = v[p];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < picks[d].length) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- table for renderers

    /**
     * The formatted cells of a tensor of at most two dimensions as rows (a 0-D or 1-D tensor is one
     * row), truncated like the text form; an elided row or column holds {@code "..."} cells.
     */
    public record Grid(List<List<String>> rows, boolean rowsTruncated, boolean columnsTruncated) {
    }

    public static Grid grid(Tensor t) {
        return grid(t, options);
    }

    public static Grid grid(Tensor t, Options o) {
        int[] shape = t.shape();
        if (shape.length > 2) {
            throw new IllegalArgumentException("grid: expects at most 2 dimensions, got " + Shapes.format(shape)
                    + "; select() a 2-D slice first");
        }
        int rowsN = shape.length == 2 ? shape[0] : 1;
        int colsN = shape.length == 0 ? 1 : shape[shape.length - 1];
        float[] v = t.toArray();
        boolean summarize = v.length > o.threshold();
        int[][] picks = picks(new int[] {rowsN, colsN}, summarize, o.edgeItems());
        NumberFormat nf = new NumberFormat(shown(v, new int[] {rowsN, colsN}, picks), o);
        boolean cutRows = picks[0].length < rowsN;
        boolean cutCols = picks[1].length < colsN;
        List<List<String>> rows = new ArrayList<>();
        for (int ri = 0; ri < picks[0].length; ri++) {
            if (cutRows && ri == picks[0].length / 2) {
                rows.add(Collections.nCopies(picks[1].length + (cutCols ? 1 : 0), "..."));
            }
            List<String> row = new ArrayList<>();
            for (int ci = 0; ci < picks[1].length; ci++) {
                if (cutCols && ci == picks[1].length / 2) {
                    row.add("...");
                }
                row.add(nf.format(v[picks[0][ri] * colsN + picks[1][ci]]).strip());
            }
            rows.add(List.copyOf(row));
        }
        return new Grid(List.copyOf(rows), cutRows, cutCols);
    }

    // ---------------------------------------------------------------- numbers

    /** One tensor's number format: integer, fixed or scientific, and the common column width. */
    static final class NumberFormat {
        private final int precision;
        private boolean intMode = true;
        private boolean sciMode;
        private int width = 1;

        NumberFormat(float[] values, Options o) {
            this.precision = o.precision();
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            int count = 0;
            for (float f : values) {
                if (Float.isFinite(f) && f != 0f) {
                    double a = Math.abs((double) f);
                    min = Math.min(min, a);
                    max = Math.max(max, a);
                    count++;
                    if (f != Math.ceil(f)) {
                        intMode = false;
                    }
                }
            }
            if (count > 0) {
                if (intMode) {
                    sciMode = max / min > 1000.0 || max > 1.0e8;
                } else {
                    sciMode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
                }
                for (float f : values) {
                    if (Float.isFinite(f) && f != 0f) {
                        int len = sciMode ? sci(f, precision).length()
                                : intMode ? fixed(f, 0).length() + 1 : fixed(f, precision).length();
                        width = Math.max(width, len);
                    }
                }
            }
            if (o.sciMode() != null) {
                sciMode = o.sciMode();
            }
        }

        int width() {
            return width;
        }

        String format(float f) {
            String s;
            if (sciMode) {
                s = sci(f, precision);
            } else if (intMode) {
                s = fixed(f, 0) + (Float.isFinite(f) ? "." : "");
            } else {
                s = fixed(f, precision);
            }
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }
    }

    private static String nonFinite(float f) {
        return Float.isNaN(f) ? "nan" : f > 0 ? "inf" : "-inf";
    }

    /** {@code f} with {@code decimals} digits after the point, like Python's {@code {:.Nf}}. */
    static String fixed(float f, int decimals) {
        if (!Float.isFinite(f)) {
            return nonFinite(f);
        }
        String digits = new BigDecimal(Math.abs((double) f)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return (Math.copySign(1f, f) < 0 ? "-" : "") + digits;
    }

    /** {@code f} in scientific notation, like Python's {@code {:.Ne}}: {@code 1.2346e+08}. */
    static String sci(float f, int decimals) {
        if (!Float.isFinite(f)) {
            return nonFinite(f);
        }
        String sign = Math.copySign(1f, f) < 0 ? "-" : "";
        String digits;
        int exponent;
        if (f == 0f) {
            digits = "0".repeat(decimals + 1);
            exponent = 0;
        } else {
            BigDecimal bd = new BigDecimal(Math.abs((double) f)).round(new MathContext(decimals + 1, RoundingMode.HALF_EVEN));
            String unscaled = bd.unscaledValue().toString();
            exponent = unscaled.length() - 1 - bd.scale();
            digits = (unscaled + "0".repeat(decimals + 1)).substring(0, decimals + 1);
        }
        StringBuilder sb = new StringBuilder(sign).append(digits.charAt(0));
        if (decimals > 0) {
            sb.append('.').append(digits, 1, decimals + 1);
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }
}
