package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

/**
 * One example of a {@link Dataset}: its features {@code x} and its target {@code y} (for
 * classification, a 0-d tensor holding the class index as a float).
 */
public record Sample(Tensor x, Tensor y) {

    @Override
    public String toString() {
        return "Sample(x " + HostData.format(x.shape()) + ", y " + HostData.format(y.shape()) + ")";
    }
}
