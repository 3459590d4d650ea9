package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A learnable tensor of a {@link Module}: a named holder of one leaf {@link Tensor} that requires
 * grad. ({@code Tensor} is final, so a parameter wraps its tensor instead of being one.)
 *
 * <pre>{@code
 * Parameter w = linear.weight();
 * w.shape();                 // (out, in)
 * w.value();                 // the leaf tensor: use it in expressions, its .grad() after backward()
 * w.grad();                  // shortcut for w.value().grad(); null before the first backward()
 * w.set(w.value().sub(w.grad().mul(0.1f)));   // one SGD step, in place
 * }</pre>
 *
 * <p><b>Updates.</b> {@link #set(Tensor)} is the one way to change a parameter's values: it copies
 * the new values into the existing tensor in place, outside autograd, after checking the shape.
 * The tensor returned by {@link #value()} stays the same object with the same storage, so
 * optimizers, graphs built later and device-resident storage all keep seeing the live values.
 * Optimizers compute the new values from {@link #value()} and {@link #grad()} and call
 * {@code set}.
 *
 * <p><b>Moving to another backend.</b> {@link Module#to(String)} moves a parameter by re-creating its
 * leaf: the {@code Parameter} object stays (so optimizers, which hold parameters, keep working and
 * create their lazily made state on the new backend), and {@link #value()} returns from then on a new
 * leaf tensor on the target backend with the same values, the same trainable flag and the gradient
 * moved along. A tensor taken from {@link #value()} before the move keeps the old storage and no
 * longer follows updates: take {@code value()} again after moving (layers do, at every forward pass).
 * A tensor's storage never changes under it, so views and graphs built earlier stay valid.
 *
 * <p><b>Lazy storage.</b> A parameter declared by shape ({@link #Parameter(int...)}) holds no
 * storage until it is first needed: reading {@link #value()}, a forward pass, {@code stateDict()},
 * an initializer or {@code set}. Shapes, element counts ({@link #numel()}, a {@code long}) and
 * {@code Module.summary(...)} never allocate, which is how a model too large for memory (the
 * lecture's 7.2-billion-weight fully connected layer) can still be described and counted. Until
 * then, the owning module decides the initial values from a seed it drew at construction, so
 * {@code Rng.seed(s)} followed by the same constructions always gives the same weights, whenever
 * they are materialised.
 *
 * <p><b>Regularisation.</b> {@link #regularized()} says whether L2 penalties
 * ({@link Regularization#l2(Module, float)}) include this parameter. By default parameters with two
 * or more dimensions (weight matrices, convolution kernels) are regularised and 1-D ones (biases,
 * normalisation scales and shifts) are not.
 */
public final class Parameter {

    private final int[] shape;
    private final long numel;
    private final boolean regularized;
    private volatile Tensor value;
    private boolean trainable = true;
    private String name;
    private Module owner;

    /**
     * A parameter holding {@code value}'s storage (shared, not copied), detached from any graph, as
     * a leaf that requires grad.
     */
    public Parameter(Tensor value) {
        this(value, Objects.requireNonNull(value, "Parameter: value is null").dim() >= 2);
    }

    /** As {@link #Parameter(Tensor)}, saying whether L2 regularisation includes it. */
    public Parameter(Tensor value, boolean regularized) {
        Objects.requireNonNull(value, "Parameter: value is null");
        this.shape = value.shape();
        this.numel = value.numel();
        this.regularized = regularized;
        this.value = value.detach().requiresGrad();
    }

    /**
     * A parameter of the given shape without storage yet; its owning module initialises it on first
     * use (zeros if it has no owner or its owner does not initialise it).
     */
    public Parameter(int... shape) {
        this(shape.length >= 2, shape);
    }

    /** As {@link #Parameter(int...)}, saying whether L2 regularisation includes it. */
    public Parameter(boolean regularized, int... shape) {
        Objects.requireNonNull(shape, "Parameter: shape is null");
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("Parameter: negative dimension in shape " + Shapes.format(shape));
            }
        }
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            n *= d; // a long: shape-only parameters may exceed what one tensor can hold
        }
        this.numel = n;
        this.regularized = regularized;
    }

    // ---------------------------------------------------------------- description (never allocates)

    /** The name it was first registered under in a module ({@code "weight"}), or null. */
    public String name() {
        return name;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** Number of elements, computed from the shape (a {@code long}: it may exceed one tensor's limit). */
    public long numel() {
        return numel;
    }

    /** Whether L2 regularisation includes this parameter (weights yes, biases no by default). */
    public boolean regularized() {
        return regularized;
    }

    /** True when storage has been allocated (the parameter has been used or initialised). */
    public boolean isMaterialized() {
        return value != null;
    }

    /** Whether the optimizer should train it: its tensor requires grad. True unless frozen. */
    public boolean trainable() {
        return trainable;
    }

    /**
     * Freezes ({@code false}) or unfreezes the parameter: a frozen parameter's tensor does not require
     * grad, so {@code backward()} leaves its gradient empty and optimizers skip it. The tensor object
     * is replaced by a view of the same storage.
     */
    public synchronized Parameter setTrainable(boolean trainable) {
        if (this.trainable != trainable) {
            this.trainable = trainable;
            if (value != null) {
                value = trainable ? value.detach().requiresGrad() : value.detach();
            }
        }
        return this;
    }

    // ---------------------------------------------------------------- values

    /** The leaf tensor (allocated and initialised by the owning module on first use). */
    public Tensor value() {
        Tensor v = value;
        if (v != null) {
            return v;
        }
        Module m = owner;
        if (m != null) {
            m.materializeParameters();
        } else {
            synchronized (this) {
                if (value == null) {
                    adopt(Tensor.zeros(allocatableShape()));
                }
            }
        }
        return value;
    }

    /** Gradient accumulated by {@code backward()}; null before it (and for frozen parameters). */
    public Tensor grad() {
        Tensor v = value;
        return v == null ? null : v.grad();
    }

    /** Clears the gradient (nothing to do before the parameter has values). */
    public void zeroGrad() {
        Tensor v = value;
        if (v != null) {
            v.zeroGrad();
        }
    }

    /**
     * Overwrites the values with {@code values} (same shape), in place and outside autograd: the
     * tensor returned by {@link #value()} stays the same object. The update optimizers use.
     */
    public void set(Tensor values) {
        Objects.requireNonNull(values, "Parameter.set: values is null");
        if (!Arrays.equals(values.shape(), shape)) {
            throw new ShapeException("Parameter.set: " + label() + " has shape " + Shapes.format(shape)
                    + " but the new values have shape " + Shapes.format(values.shape()));
        }
        synchronized (this) {
            if (value == null) {
                Tensor copy;
                try (var g = Grad.off()) {
                    copy = values.detach().clone();
                }
                adopt(copy);
                return;
            }
        }
        try (var g = Grad.off()) {
            value.copyFrom(values);
        }
    }

    /**
     * Takes {@code fresh} (a new tensor nothing else refers to) as the values: adopted as the leaf when
     * the parameter has no storage yet, copied into it otherwise. Used by initializers.
     */
    synchronized void adopt(Tensor fresh) {
        if (value == null) {
            Tensor leaf = fresh.detach();
            value = trainable ? leaf.requiresGrad() : leaf;
        } else {
            try (var g = Grad.off()) {
                value.copyFrom(fresh);
            }
        }
    }

    /**
     * Replaces the leaf by a copy of its values on {@code target} (nothing to do when it is already
     * there), keeping the trainable flag and moving the gradient along; see the class comment.
     * Allocates the parameter first if it has no storage yet.
     */
    void moveTo(Backend target) {
        Objects.requireNonNull(target, "Parameter.moveTo: backend is null");
        Tensor current = value(); // materialises through the owner, outside this lock
        synchronized (this) {
            current = value;
            if (current.backend() == target) {
                return;
            }
            Tensor moved;
            Tensor grad = current.grad();
            Tensor movedGrad = null;
            try (var g = Grad.off()) {
                moved = current.detach().to(target);
                if (grad != null) {
                    movedGrad = grad.detach().to(target);
                }
            }
            Tensor leaf = trainable ? moved.requiresGrad() : moved;
            if (movedGrad != null) {
                leaf.setGrad(movedGrad);
            }
            value = leaf;
        }
    }

    /** The shape, after checking that one float32 tensor can hold it. */
    int[] allocatableShape() {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s of shape %s has %,d elements, more than one float32 tensor can hold (%,d); it can be"
                            + " counted and summarised but not allocated", label(), Shapes.format(shape), numel,
                    Integer.MAX_VALUE - 8));
        }
        return shape.clone();
    }

    // ---------------------------------------------------------------- registration

    void register(String localName, Module module) {
        if (name == null) {
            name = localName;
        }
        if (owner == null) {
            owner = module;
        }
    }

    Module owner() {
        return owner;
    }

    private String label() {
        String who = owner == null ? "" : owner.typeName() + ".";
        return "parameter " + who + (name == null ? "?" : name);
    }

    /** {@code Parameter containing:} and the values, or the shape alone while unallocated. */
    @Override
    public String toString() {
        Tensor v = value;
        if (v == null) {
            return "Parameter(shape=" + Shapes.format(shape) + ", not allocated yet)";
        }
        return "Parameter containing:\n" + v;
    }
}
