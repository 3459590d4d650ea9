package dev.vectorgrad.tensor;

/**
 * Shapes that do not fit together: operands that cannot be broadcast, matrix products whose inner
 * dimensions differ, a reshape to a different number of elements. The message names the operation,
 * every shape involved and what would have been needed, e.g.
 * {@code matmul: (4,3) x (2,3): inner dimensions 3 and 2 differ}.
 */
public class ShapeException extends IllegalArgumentException {

    public ShapeException(String message) {
        super(message);
    }
}
