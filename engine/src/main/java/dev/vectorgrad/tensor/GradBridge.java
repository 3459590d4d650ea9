package dev.vectorgrad.tensor;

import java.util.List;

/**
 * Where tensors meet {@code dev.vectorgrad.autograd} without depending on it: the per-thread grad
 * mode, the installed {@link GradHook}, and the one capability the hook needs to write a tensor's
 * graph slot. Users call {@code Grad.off()} and the {@code Tensor} methods, not this class.
 *
 * <p>Every differentiable operation starts with one test, {@code x.requiresGrad && isEnabled()},
 * that reads a field first, so a tensor that does not require gradients pays one predictable branch
 * and never touches the thread-local.
 */
public final class GradBridge {

    /** The class whose initialisation installs the hook (loaded by name: this package cannot import it). */
    private static final String IMPLEMENTATION = "dev.vectorgrad.autograd.Autograd";

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private static volatile GradHook hook;

    private GradBridge() {
    }

    /** Whether operations on this thread record the graph (true unless inside a no-grad scope). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets this thread's grad mode and returns the previous one, for scopes that restore it. */
    public static boolean setEnabled(boolean enabled) {
        boolean[] state = ENABLED.get();
        boolean previous = state[0];
        state[0] = enabled;
        return previous;
    }

    /**
     * Installs the autograd hook, once, and hands back the capability to attach graph nodes to
     * tensors. Called by the autograd package while it initialises.
     */
    public static synchronized Binder install(GradHook h) {
        if (h == null) {
            throw new IllegalArgumentException("install: hook is null");
        }
        if (hook != null) {
            throw new IllegalStateException("an autograd hook is already installed (" + hook.getClass().getName() + ")");
        }
        hook = h;
        return new Binder();
    }

    /** The installed hook, loading the autograd package on first use. */
    static GradHook hook() {
        GradHook h = hook;
        if (h != null) {
            return h;
        }
        // Not under a lock: class initialisation is itself once-only and thread-safe, and install()
        // takes this class's lock, which a caller holding it here could deadlock against.
        try {
            Class.forName(IMPLEMENTATION, true, GradBridge.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("autograd is unavailable: " + IMPLEMENTATION + " is not on the class path", e);
        }
        h = hook;
        if (h == null) {
            throw new IllegalStateException(IMPLEMENTATION + " was loaded but installed no autograd hook");
        }
        return h;
    }

    static boolean recording(Tensor x) {
        return x.requiresGrad && isEnabled();
    }

    static boolean recording(Tensor a, Tensor b) {
        return (a.requiresGrad || b.requiresGrad) && isEnabled();
    }

    static boolean recording(List<Tensor> tensors) {
        for (Tensor t : tensors) {
            if (t.requiresGrad) {
                return isEnabled();
            }
        }
        return false;
    }

    /**
     * The capability to make a tensor the output of a graph node. Only {@link #install} creates one,
     * so only the installed autograd implementation can set a tensor's {@code gradFn}.
     */
    public static final class Binder {

        private Binder() {
        }

        /** Marks {@code out} as computed by {@code fn}: it requires gradients and is no longer a leaf. */
        public Tensor attach(Tensor out, GradFn fn) {
            if (fn == null) {
                throw new IllegalArgumentException("attach: fn is null");
            }
            out.requiresGrad = true;
            out.gradFn = fn;
            return out;
        }
    }
}
