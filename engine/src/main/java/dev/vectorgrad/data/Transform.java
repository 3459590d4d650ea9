package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

/**
 * A function applied to the features of a dataset, such as {@link Normalize} or {@link Features}.
 * It receives a batch, whose first dimension is the sample dimension ({@code (B, C, H, W)} images,
 * {@code (B, F)} feature vectors), and returns a batch of the same length. A single sample is passed
 * as a batch of one.
 *
 * <pre>{@code
 * Dataset normalized = train.map(new Normalize(0.2860f, 0.3530f));   // applied lazily, per batch
 * }</pre>
 */
@FunctionalInterface
public interface Transform {

    /** The transformed batch; {@code batch} itself is not modified. */
    Tensor apply(Tensor batch);

    /** This transform followed by {@code next}. */
    default Transform andThen(Transform next) {
        return b -> next.apply(apply(b));
    }
}
