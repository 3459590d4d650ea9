package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;

import java.util.Objects;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * Factories behind {@code Tensor.of/zeros/arange/rand/...}. Host data is copied into an array the
 * tensor owns and handed to the current backend; random values come from an {@link Rng} on the host.
 */
final class Creation {

    private Creation() {
    }

    /** Takes ownership of {@code data} (which must not be used by the caller afterwards). */
    static Tensor own(float[] data, int[] shape) {
        Backend b = Backends.current();
        return new Tensor(b.fromArray(data), Layout.contiguous(shape), b);
    }

    static Tensor of(float[] values) {
        Objects.requireNonNull(values, "of: values is null");
        return own(values.clone(), new int[] {values.length});
    }

    static Tensor of(float[][] rows) {
        Objects.requireNonNull(rows, "of: rows is null");
        int cols = rows.length == 0 ? 0 : rowLength(rows[0], "[0]");
        float[] data = new float[Shapes.numel(rows.length, cols)];
        for (int i = 0; i < rows.length; i++) {
            int len = rowLength(rows[i], "[" + i + "]");
            if (len != cols) {
                throw ragged("[" + i + "]", len, "[0]", cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return own(data, new int[] {rows.length, cols});
    }

    static Tensor of(float[][][] blocks) {
        Objects.requireNonNull(blocks, "of: blocks is null");
        int rows = 0;
        int cols = 0;
        if (blocks.length > 0) {
            Objects.requireNonNull(blocks[0], "of: element [0] is null");
            rows = blocks[0].length;
            cols = rows == 0 ? 0 : rowLength(blocks[0][0], "[0][0]");
        }
        float[] data = new float[Shapes.numel(blocks.length, rows, cols)];
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] == null) {
                throw new IllegalArgumentException("of: element [" + i + "] is null");
            }
            if (blocks[i].length != rows) {
                throw ragged("[" + i + "]", blocks[i].length, "[0]", rows);
            }
            for (int j = 0; j < rows; j++) {
                int len = rowLength(blocks[i][j], "[" + i + "][" + j + "]");
                if (len != cols) {
                    throw ragged("[" + i + "][" + j + "]", len, "[0][0]", cols);
                }
                System.arraycopy(blocks[i][j], 0, data, (i * rows + j) * cols, cols);
            }
        }
        return own(data, new int[] {blocks.length, rows, cols});
    }

    private static int rowLength(float[] row, String where) {
        if (row == null) {
            throw new IllegalArgumentException("of: element " + where + " is null");
        }
        return row.length;
    }

    private static ShapeException ragged(String where, int len, String first, int expected) {
        return new ShapeException("of: ragged nested array: element " + where + " has length " + len + " but element "
                + first + " has length " + expected + "; every row must have the same length");
    }

    static Tensor fromArray(float[] data, int[] shape) {
        Objects.requireNonNull(data, "fromArray: data is null");
        int[] s = Shapes.check("fromArray", shape);
        int n = Shapes.numel(s);
        if (data.length != n) {
            throw new ShapeException("fromArray: " + data.length + " values cannot fill shape " + format(s)
                    + ", which needs " + n);
        }
        return own(data.clone(), s);
    }

    static Tensor full(String op, float value, int[] shape) {
        int[] s = Shapes.check(op, shape);
        int n = Shapes.numel(s);
        Backend b = Backends.current();
        Storage st = b.allocate(n);
        if (n > 0 && Float.floatToRawIntBits(value) != 0) { // allocate() already zero-fills
            b.fill(st, 0, n, value);
        }
        return new Tensor(st, Layout.contiguous(s), b);
    }

    static Tensor arange(float start, float end, float step) {
        if (!Float.isFinite(start) || !Float.isFinite(end) || !Float.isFinite(step)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite, got " + start + ", "
                    + end + ", " + step);
        }
        if (step == 0f) {
            throw new IllegalArgumentException("arange: step must not be 0");
        }
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("arange: end " + end + " cannot be reached from start " + start
                    + " with step " + step);
        }
        double count = Math.ceil(((double) end - start) / step);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: " + (long) count + " elements are too many for one tensor");
        }
        int n = (int) count;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (start + (double) i * step);
        }
        return own(data, new int[] {n});
    }

    static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        float[] data = new float[steps];
        if (steps == 1) {
            data[0] = start;
        } else if (steps > 1) {
            double step = ((double) end - start) / (steps - 1);
            // Fill the two halves from their own ends so that both end points come out exact.
            for (int i = 0; i < steps; i++) {
                data[i] = i < steps / 2 ? (float) (start + step * i) : (float) (end - step * (steps - 1 - i));
            }
        }
        return own(data, new int[] {steps});
    }

    static Tensor eye(int n, int m) {
        int[] s = Shapes.check("eye", n, m);
        float[] data = new float[Shapes.numel(s)];
        for (int i = 0; i < Math.min(n, m); i++) {
            data[i * m + i] = 1f;
        }
        return own(data, s);
    }

    static Tensor rand(Rng rng, int[] shape) {
        int[] s = Shapes.check("rand", shape);
        return own(requireRng("rand", rng).floats(Shapes.numel(s)), s);
    }

    static Tensor randn(Rng rng, int[] shape) {
        int[] s = Shapes.check("randn", shape);
        return own(requireRng("randn", rng).gaussians(Shapes.numel(s)), s);
    }

    static Tensor uniform(Rng rng, float lo, float hi, int[] shape) {
        int[] s = Shapes.check("uniform", shape);
        return own(requireRng("uniform", rng).uniform(Shapes.numel(s), lo, hi), s);
    }

    private static Rng requireRng(String op, Rng rng) {
        return Objects.requireNonNull(rng, () -> op + ": rng is null; use Rng.global() for the global generator");
    }
}
