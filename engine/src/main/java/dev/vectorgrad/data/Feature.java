package dev.vectorgrad.data;

import java.util.Locale;

/**
 * A feature computed from a 2-D point {@code (x, y)}, as the input column of the TensorFlow
 * Playground: {@code x}, {@code y}, {@code x^2}, {@code y^2}, {@code xy}, {@code sin x},
 * {@code sin y}, {@code cos x}, {@code cos y}. {@link Features} turns a list of them into columns.
 */
public enum Feature {
    X("x"),
    Y("y"),
    X_SQUARED("x^2"),
    Y_SQUARED("y^2"),
    X_TIMES_Y("xy"),
    SIN_X("sin x"),
    SIN_Y("sin y"),
    COS_X("cos x"),
    COS_Y("cos y");

    private final String label;

    Feature(String label) {
        this.label = label;
    }

    /** The name as written in plots and tables: {@code "x^2"}, {@code "sin x"}, ... */
    public String label() {
        return label;
    }

    /** The feature's value at the point {@code (x, y)}. */
    public float apply(float x, float y) {
        return switch (this) {
            case X -> x;
            case Y -> y;
            case X_SQUARED -> x * x;
            case Y_SQUARED -> y * y;
            case X_TIMES_Y -> x * y;
            case SIN_X -> (float) Math.sin(x);
            case SIN_Y -> (float) Math.sin(y);
            case COS_X -> (float) Math.cos(x);
            case COS_Y -> (float) Math.cos(y);
        };
    }

    /**
     * The feature named {@code name}, written freely: case, spaces, parentheses, {@code *} and
     * {@code _} are ignored, so {@code "x^2"}, {@code "x²"}, {@code "x*x"}, {@code "X_SQUARED"} and
     * {@code "xSquared"} all name {@link #X_SQUARED}; {@code "xy"}, {@code "x*y"} and
     * {@code "xTimesY"} name {@link #X_TIMES_Y}; {@code "sin(x)"} and {@code "sinX"} name {@link #SIN_X}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Feature parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Feature: name is null");
        }
        String k = name.toLowerCase(Locale.ROOT).replaceAll("[\\s()*_]", "");
        return switch (k) {
            case "x" -> X;
            case "y" -> Y;
            case "x^2", "x²", "xx", "xsquared" -> X_SQUARED;
            case "y^2", "y²", "yy", "ysquared" -> Y_SQUARED;
            case "xy", "yx", "xtimesy" -> X_TIMES_Y;
            case "sinx" -> SIN_X;
            case "siny" -> SIN_Y;
            case "cosx" -> COS_X;
            case "cosy" -> COS_Y;
            default -> throw new IllegalArgumentException("Feature: unknown feature \"" + name + "\"; known: "
                    + "x, y, x^2, y^2, xy, sin x, sin y, cos x, cos y");
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
