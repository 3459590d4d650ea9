package dev.vectorgrad.optim;

import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.tensor.Tensor;

/**
 * Access to the arrays behind host tensors, for the optimizers' fused update loops: one pass over
 * parameter, gradient and state, in place, allocating nothing. Every loop repeats, element by element,
 * the float operations of the composed tensor path (and of PyTorch) in the same order.
 */
final class Host {

    private Host() {
    }

    /** A contiguous tensor whose elements are a plain {@code float[]}. */
    static boolean isHost(Tensor t) {
        return t.isContiguous() && t.storage() instanceof HostStorage;
    }

    /** The array behind a host tensor (see {@link #isHost}); its elements start at {@link #offset}. */
    static float[] array(Tensor t) {
        return ((HostStorage) t.storage()).array();
    }

    static int offset(Tensor t) {
        return t.storageOffset();
    }
}
