package dev.vectorgrad.backend;

/** Reductions along one axis. ARGMAX/ARGMIN write the index (first occurrence) as a float. */
public enum ReduceOp {
    SUM, MAX, MIN, ARGMAX, ARGMIN
}
