package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Module#summary(int...)} returns: one row per layer with its output shape and parameter
 * count, and the totals. Everything is computed from shapes: no data flows and no parameter is
 * allocated, so even a model far too large for memory can be summarised.
 *
 * <pre>
 * Sequential, input (1,1,28,28)
 * Layer   Type       Output shape    Params
 * ==========================================
 * 0       Conv2d     (1,6,28,28)        156
 * 1       ReLU       (1,6,28,28)          0
 * ...
 * ==========================================
 * Total params: 61,706
 * Trainable params: 61,706
 * Non-trainable params: 0
 * Parameter memory: 241.04 KiB (float32)
 * </pre>
 *
 * <p>The rows of a {@link Sequential} are its layers (nested sequentials are expanded, with dotted
 * names); any other container is one row with all its parameters. A module that cannot say its
 * output shape ({@link Module#outputShape}) shows {@code ?} there and after it.
 */
public final class Summary {

    /**
     * One layer: its dotted name, type, output shape (null when unknown) and the number of parameter
     * elements it holds (trainable ones separately).
     */
    public record Row(String name, String type, int[] outputShape, long params, long trainableParams) {

        /** The output shape as text: {@code (1,6,28,28)}, or {@code ?} when unknown. */
        public String outputShapeText() {
            return outputShape == null ? "?" : Shapes.format(outputShape);
        }
    }

    private final String model;
    private final int[] inputShape;
    private final List<Row> rows;
    private final long totalParams;
    private final long trainableParams;
    private final String problem;

    private Summary(String model, int[] inputShape, List<Row> rows, long totalParams, long trainableParams,
                    String problem) {
        this.model = model;
        this.inputShape = inputShape;
        this.rows = List.copyOf(rows);
        this.totalParams = totalParams;
        this.trainableParams = trainableParams;
        this.problem = problem;
    }

    static Summary of(Module root, int[] inputShape) {
        List<Row> rows = new ArrayList<>();
        String[] problem = new String[1];
        int[] in = inputShape == null ? null : inputShape.clone();
        if (root instanceof Sequential) {
            visitChildren(root, "", in, rows, problem);
        } else {
            visit(root, root.typeName(), in, rows, problem);
        }
        return new Summary(root.typeName(), in, rows, root.parameterCount(), root.trainableParameterCount(),
                problem[0]);
    }

    private static int[] visitChildren(Module seq, String prefix, int[] in, List<Row> rows, String[] problem) {
        int[] s = in;
        for (Map.Entry<String, Module> c : seq.namedChildren().entrySet()) {
            s = visit(c.getValue(), prefix + c.getKey(), s, rows, problem);
        }
        return s;
    }

    private static int[] visit(Module m, String name, int[] in, List<Row> rows, String[] problem) {
        if (m instanceof Sequential && !m.namedChildren().isEmpty()) {
            return visitChildren(m, name + ".", in, rows, problem);
        }
        int[] out = null;
        if (in != null) {
            try {
                out = m.outputShape(in);
            } catch (UnsupportedOperationException e) {
                out = null;
            } catch (IllegalArgumentException e) {
                if (problem[0] == null) {
                    problem[0] = "layer " + name + ": " + e.getMessage();
                }
                out = null;
            }
        }
        rows.add(new Row(name, m.typeName(), out, m.parameterCount(), m.trainableParameterCount()));
        return out;
    }

    /** The model's type name. */
    public String model() {
        return model;
    }

    /** The input shape given to {@code summary}, or null. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** The output shape of the whole model, or null when unknown. */
    public int[] outputShape() {
        if (rows.isEmpty()) {
            return inputShape();
        }
        int[] s = rows.get(rows.size() - 1).outputShape();
        return s == null ? null : s.clone();
    }

    public List<Row> rows() {
        return rows;
    }

    /** All parameter elements (each shared parameter once). */
    public long totalParams() {
        return totalParams;
    }

    public long trainableParams() {
        return trainableParams;
    }

    public long nonTrainableParams() {
        return totalParams - trainableParams;
    }

    /** Bytes the parameters take as float32. */
    public long parameterBytes() {
        return totalParams * Float.BYTES;
    }

    /** Why shapes stop at some layer (the input does not fit it), or null when they do not. */
    public String problem() {
        return problem;
    }

    @Override
    public String toString() {
        String[] head = {"Layer", "Type", "Output shape", "Params"};
        int[] w = {head[0].length(), head[1].length(), head[2].length(), head[3].length()};
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            String[] c = {r.name(), r.type(), r.outputShapeText(), String.format(Locale.ROOT, "%,d", r.params())};
            for (int i = 0; i < 4; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
            cells.add(c);
        }
        StringBuilder sb = new StringBuilder(model);
        sb.append(inputShape == null ? "" : ", input " + Shapes.format(inputShape)).append('\n');
        String fmt = "%-" + w[0] + "s   %-" + w[1] + "s   %-" + w[2] + "s   %" + w[3] + "s%n";
        int width = w[0] + w[1] + w[2] + w[3] + 9;
        String rule = "=".repeat(width) + "\n";
        sb.append(String.format(Locale.ROOT, fmt, (Object[]) head)).append(rule);
        for (String[] c : cells) {
            sb.append(String.format(Locale.ROOT, fmt, (Object[]) c));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", totalParams));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainableParams));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", nonTrainableParams()));
        sb.append("Parameter memory: ").append(bytes(parameterBytes())).append(" (float32)");
        if (problem != null) {
            sb.append("\nShapes stop at ").append(problem);
        }
        return sb.toString();
    }

    private static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
