package dev.vectorgrad.tensor;

import java.util.Arrays;

/**
 * Shape arithmetic shared by every tensor operation: validation, formatting, dimension wrapping and
 * broadcasting. Every error names the operation it was called for.
 */
public final class Shapes {

    private Shapes() {
    }

    /** A shape as users read it: {@code (2,3)}, {@code (5)} for 1-D, {@code ()} for a scalar. */
    public static String format(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** Number of elements of a validated shape. */
    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + format(shape)
                        + " has too many elements; a float32 tensor holds at most " + (Integer.MAX_VALUE - 8));
            }
        }
        return (int) n;
    }

    /** Checks that no dimension is negative and returns a defensive copy of the shape. */
    public static int[] check(String op, int... shape) {
        if (shape == null) {
            throw new IllegalArgumentException(op + ": shape must not be null");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension " + d + " in shape " + format(shape)
                        + "; sizes must be >= 0");
            }
        }
        numel(shape);
        return shape.clone();
    }

    /**
     * Wraps a possibly negative dimension index into {@code [0, rank)}, or explains what is valid:
     * {@code transpose: dim 3 is out of range for a 2-D tensor (valid: -2..1)}.
     */
    public static int wrapDim(String op, int dim, int rank) {
        if (rank == 0) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a 0-D tensor (it has no dimensions)");
        }
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a " + rank
                    + "-D tensor (valid: " + (-rank) + ".." + (rank - 1) + ")");
        }
        return dim < 0 ? dim + rank : dim;
    }

    /** Wraps each of several dimensions and rejects repeats. The result keeps the given order. */
    public static int[] wrapDims(String op, int[] dims, int rank) {
        int[] out = new int[dims.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < dims.length; i++) {
            int d = wrapDim(op, dims[i], rank);
            if (seen[d]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears more than once in "
                        + Arrays.toString(dims));
            }
            seen[d] = true;
            out[i] = d;
        }
        return out;
    }

    /**
     * The shape two operands broadcast to (numpy rules: align trailing dimensions; sizes must be equal
     * or one of them 1). Otherwise a {@link ShapeException} such as
     * {@code add: shapes (2,3) and (4,3) cannot be broadcast: dimension 0 is 2 vs 4}.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + format(a) + " and " + format(b)
                        + " cannot be broadcast: dimension " + i + " is " + da + " vs " + db);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The common broadcast shape of any number of operands; the error lists all of them. */
    public static int[] broadcast(String op, int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int i = 0; i < rank; i++) {
            for (int[] s : shapes) {
                int j = i - (rank - s.length);
                int d = j >= 0 ? s[j] : 1;
                if (d != 1) {
                    if (out[i] != 1 && out[i] != d) {
                        throw new ShapeException(op + ": shapes " + formatAll(shapes)
                                + " cannot be broadcast: dimension " + i + " is " + out[i] + " vs " + d);
                    }
                    out[i] = d;
                }
            }
        }
        return out;
    }

    private static String formatAll(int[]... shapes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shapes.length; i++) {
            if (i > 0) {
                sb.append(i == shapes.length - 1 ? " and " : ", ");
            }
            sb.append(format(shapes[i]));
        }
        return sb.toString();
    }

    /**
     * Resolves a requested shape with at most one {@code -1} against a number of elements, as
     * {@code reshape} and {@code view} do.
     */
    public static int[] infer(String op, int[] from, int[] requested) {
        int[] shape = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + format(requested));
                }
                unknown = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + shape[i] + " in " + format(requested)
                        + "; sizes must be >= 0 (or -1 once, to infer it)");
            } else {
                known *= shape[i];
            }
        }
        int numel = numel(from);
        if (unknown >= 0) {
            if (known == 0) {
                throw new ShapeException(op + ": cannot reshape " + format(from) + " into " + format(requested)
                        + ": the -1 dimension could be any size when another dimension is 0; give it explicitly");
            }
            if (numel % known != 0) {
                throw new ShapeException(op + ": cannot reshape " + format(from) + " (" + numel + " elements) into "
                        + format(requested) + ": " + numel + " is not a multiple of " + known);
            }
            shape[unknown] = (int) (numel / known);
        } else if (known != numel) {
            throw new ShapeException(op + ": cannot reshape " + format(from) + " (" + numel + " elements) into "
                    + format(requested) + " (" + known + " elements)");
        }
        return shape;
    }

    /** Row-major strides of a shape. */
    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
