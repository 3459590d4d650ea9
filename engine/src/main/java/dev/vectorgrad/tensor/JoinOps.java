package dev.vectorgrad.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.vectorgrad.tensor.Shapes.format;

/**
 * {@code cat} and {@code stack}. The pieces are gathered on the host and the result handed to the
 * current backend (the SPI has no offset-copy kernel yet); this is what batching a data set needs.
 */
final class JoinOps {

    private JoinOps() {
    }

    static Tensor cat(String op, List<Tensor> tensors, int dim) {
        Objects.requireNonNull(tensors, () -> op + ": tensors is null");
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(op + ": needs at least one tensor");
        }
        for (int i = 0; i < tensors.size(); i++) {
            Objects.requireNonNull(tensors.get(i), op + ": tensor " + i + " is null");
        }
        if (GradBridge.recording(tensors)) {
            return GradBridge.hook().cat(op, tensors, dim);
        }
        int[] first = tensors.get(0).shape();
        int rank = first.length;
        if (rank == 0) {
            throw new IllegalArgumentException(op + ": cannot concatenate 0-D tensors; use stack()");
        }
        int d = Shapes.wrapDim(op, dim, rank);
        int[] out = first.clone();
        out[d] = 0;
        for (int i = 0; i < tensors.size(); i++) {
            int[] s = tensors.get(i).shape();
            boolean fits = s.length == rank;
            for (int k = 0; fits && k < rank; k++) {
                fits = k == d || s[k] == first[k];
            }
            if (!fits) {
                throw new ShapeException(op + ": tensors 0 and " + i + " have shapes " + format(first) + " and "
                        + format(s) + "; all dimensions except " + d + " must agree");
            }
            out[d] = Math.addExact(out[d], s[d]);
        }
        int outer = Shapes.product(out, 0, d);
        int inner = Shapes.product(out, d + 1, rank);
        float[] data = new float[Shapes.numel(out)];
        int p = 0;
        List<float[]> parts = new ArrayList<>();
        for (Tensor t : tensors) {
            parts.add(t.toArray());
        }
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < tensors.size(); i++) {
                int block = tensors.get(i).layout.dim(d) * inner;
                System.arraycopy(parts.get(i), o * block, data, p, block);
                p += block;
            }
        }
        return Creation.own(data, out);
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        Objects.requireNonNull(tensors, "stack: tensors is null");
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int[] first = Objects.requireNonNull(tensors.get(0), "stack: tensor 0 is null").shape();
        int rank = first.length;
        if (dim < -(rank + 1) || dim > rank) {
            throw new IllegalArgumentException("stack: dim " + dim + " is out of range for stacking " + rank
                    + "-D tensors (valid: " + (-(rank + 1)) + ".." + rank + ")");
        }
        List<Tensor> lifted = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = Objects.requireNonNull(tensors.get(i), "stack: tensor " + i + " is null");
            if (!java.util.Arrays.equals(first, t.shape())) {
                throw new ShapeException("stack: tensors 0 and " + i + " have shapes " + format(first) + " and "
                        + format(t.shape()) + "; stack needs equal shapes");
            }
            lifted.add(t.unsqueeze(dim));
        }
        return cat("stack", lifted, dim < 0 ? dim + rank + 1 : dim);
    }
}
