package dev.vectorgrad.backend;

/** Elementwise two-input operations; comparisons produce 1.0 where true and 0.0 where false. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM,
    EQ, NE, GT, GE, LT, LE;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    /**
     * The op on one pair: the definition every backend's kernels agree with. MAXIMUM and MINIMUM propagate
     * NaN; comparisons give 1 or 0.
     */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
        };
    }
}
