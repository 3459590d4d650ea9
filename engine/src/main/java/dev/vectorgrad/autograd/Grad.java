package dev.vectorgrad.autograd;

import dev.vectorgrad.tensor.GradBridge;
import dev.vectorgrad.tensor.Tensor;

import java.util.function.Supplier;

/**
 * Grad mode: whether tensor operations record the graph. On by default; per thread, like PyTorch's.
 *
 * <pre>{@code
 * try (var g = Grad.off()) {          // torch.no_grad()
 *     Tensor prediction = model.forward(x);       // nothing recorded, no graph kept alive
 *     w.addInPlace(w.grad(), -lr);                // in-place updates are allowed here
 * }
 * Tensor y = Grad.off(() -> x.mul(w));            // the same for one expression
 * }</pre>
 */
public final class Grad {

    private Grad() {
    }

    /** Whether operations on this thread are recorded now. */
    public static boolean isEnabled() {
        return GradBridge.isEnabled();
    }

    /** A no-grad scope: nothing is recorded on this thread until it is closed. */
    public static Scope off() {
        return set(false);
    }

    /** A scope that records again (inside a no-grad scope); PyTorch's {@code enable_grad}. */
    public static Scope on() {
        return set(true);
    }

    /** A scope with grad mode {@code enabled}; closing it restores the mode it found. */
    public static Scope set(boolean enabled) {
        return new Scope(GradBridge.setEnabled(enabled));
    }

    /** Evaluates {@code body} with grad mode off. */
    public static <T> T off(Supplier<T> body) {
        try (Scope s = off()) {
            return body.get();
        }
    }

    /**
     * The backward pass from {@code root}, as {@code root.backward(gradient, retainGraph)}
     * ({@code gradient} may be null for a one-element root): PyTorch's {@code torch.autograd.backward}.
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Engine.backward(root, gradient, retainGraph);
    }

    /** Restores the previous grad mode of its thread when closed (once). */
    public static final class Scope implements AutoCloseable {

        private final boolean previous;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("Grad scope closed on thread " + Thread.currentThread().getName()
                        + " but opened on " + owner.getName() + "; grad mode is per thread");
            }
            closed = true;
            GradBridge.setEnabled(previous);
        }
    }
}
