package dev.vectorgrad.nn;

/** How a loss combines its per-element (or per-sample) values, as PyTorch's {@code reduction}. */
public enum Reduction {
    /** The average (the default). */
    MEAN,
    /** The sum. */
    SUM,
    /** No reduction: one value per element or sample. */
    NONE;

    /** PyTorch's spelling: {@code mean}, {@code sum}, {@code none}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
