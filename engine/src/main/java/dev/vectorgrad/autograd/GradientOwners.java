package dev.vectorgrad.autograd;

import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.tensor.Tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which gradient buffers only the backward pass holds, so that a leaf's first gradient can become its
 * {@code grad()} as it is instead of as a copy. PyTorch's AccumulateGrad does the same by reference count
 * ("steals" a gradient nobody else references); here the engine counts, per storage, the gradient slots
 * that hold it: a pending node gradient, a leaf's sum, a node's result, until the node that received it
 * has run. The copy it saves is one allocation and one pass over every weight per step (for the lectures'
 * MLP, 400 KB of its first layer).
 *
 * <p>Kept when the count is exactly one, the tensor covers its whole storage contiguously, and the buffer
 * came only through the engine's own operations: the caller's seed and any gradient a user-defined
 * {@link Node} returns are foreign (such a node may hand back a tensor its author still holds), and are
 * copied as before.
 */
final class GradientOwners {

    /** The package of the built-in operations, whose backward passes return fresh tensors or views of their input. */
    private static final String BUILT_IN = "dev.vectorgrad.autograd.ops";

    private final Map<Storage, int[]> slots = new IdentityHashMap<>();
    private final Set<Storage> foreign = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Marks a buffer the engine did not make, which must never become a leaf's gradient as it is. */
    void foreign(Tensor t) {
        foreign.add(t.storage());
    }

    /** A gradient {@code node} returned now sits in one more slot. */
    void returned(Node node, Tensor t) {
        if (!node.getClass().getPackageName().equals(BUILT_IN)) {
            foreign(t);
        }
        held(t);
    }

    void held(Tensor t) {
        slots.computeIfAbsent(t.storage(), s -> new int[1])[0]++;
    }

    /** The slot holding {@code t} let it go (its node ran, or it was summed into a new tensor). */
    void released(Tensor t) {
        int[] n = slots.get(t.storage());
        if (n != null) {
            n[0]--;
        }
    }

    /** Sums two contributions to one slot: both are let go, the fresh sum is held. */
    Tensor sum(Tensor a, Tensor b) {
        released(a);
        released(b);
        Tensor s = a.add(b);
        held(s);
        return s;
    }

    /** Whether {@code g}, held by one leaf's slot, can be that leaf's gradient without a copy. */
    boolean solelyHeld(Tensor g) {
        Storage s = g.storage();
        int[] n = slots.get(s);
        return n != null && n[0] == 1 && !foreign.contains(s) && g.isContiguous() && g.storageOffset() == 0
                && s.size() == g.numel();
    }
}
