package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

/**
 * A minibatch: features {@code x} of shape {@code (B, ...)} and targets {@code y} of shape
 * {@code (B, ...)}, both contiguous and freshly allocated on the current backend, so a batch stays
 * valid however long it is kept.
 */
public record Batch(Tensor x, Tensor y) {

    /** Number of samples, {@code B}. */
    public int size() {
        return x.shape()[0];
    }

    @Override
    public String toString() {
        return "Batch(x " + HostData.format(x.shape()) + ", y " + HostData.format(y.shape()) + ")";
    }
}
