package dev.vectorgrad.backend;

/** Elementwise two-input operations; comparisons produce 1.0 where true and 0.0 where false. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM,
    EQ, NE, GT, GE, LT, LE;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
