package dev.vectorgrad.autograd;

import dev.vectorgrad.tensor.GradFn;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A recorded operation: the node of the graph that routes a gradient from an operation's output back
 * to its inputs. Each differentiable operation is one small subclass in {@code dev.vectorgrad.autograd.ops}
 * holding its forward (a static method that computes the output and records the node) beside its
 * backward (the override of {@link #backward(Tensor)}):
 *
 * <pre>{@code
 * final class Mul extends Node {
 *     static Tensor forward(Tensor a, Tensor b) {
 *         Mul node = new Mul(a, b);
 *         node.save(a, b);
 *         return node.output(a.mul(b));
 *     }
 *     private Mul(Tensor a, Tensor b) { super("MulBackward", a, b); }
 *     protected Tensor[] backward(Tensor g) {           // d(a*b)/da = b, d(a*b)/db = a
 *         return grads(needsGrad(0) ? g.mul(saved(1)) : null, needsGrad(1) ? g.mul(saved(0)) : null);
 *     }
 * }
 * }</pre>
 *
 * <p>Contract for subclasses:
 * <ul>
 *   <li>The constructor names the node and lists the operation's tensor inputs (null for an absent
 *       optional input); inputs that do not require gradients get no edge.</li>
 *   <li>{@link #save} keeps what the backward pass needs; {@link #saved} reads it back. The engine
 *       releases it after a backward pass unless asked to retain the graph.</li>
 *   <li>{@link #backward} returns one gradient per input, in order; null where {@link #needsGrad} is
 *       false or the gradient is zero by construction. A gradient may have the broadcast shape of the
 *       output: the engine sums it down to the input's shape ({@link Tensor#sumToSize}). It runs with
 *       grad mode off, so it may use any tensor operation.</li>
 * </ul>
 * The forward runs with grad mode off when called through a tensor operation; {@link #output} detaches
 * whatever a forward recorded by itself, so a custom node also works when called directly.
 */
public abstract class Node implements GradFn {

    private final String name;
    /** Per input: the input's Node, the leaf Tensor that accumulates, or null (no gradient needed). */
    private final Object[] next;
    private final int[][] inputShapes;
    private Tensor[] saved;
    private boolean released;
    /** The output, when it asked to retain its gradient. */
    Tensor retained;

    /** A node for an operation on {@code inputs}; {@code name} reads like {@code MulBackward}. */
    protected Node(String name, Tensor... inputs) {
        this.name = name;
        this.next = new Object[inputs.length];
        this.inputShapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null) {
                continue;
            }
            inputShapes[i] = t.shape();
            if (t.isRequiresGrad()) {
                next[i] = t.gradFn() != null ? (Node) t.gradFn() : t;
            }
        }
    }

    protected Node(String name, List<Tensor> inputs) {
        this(name, inputs.toArray(new Tensor[0]));
    }

    // ---------------------------------------------------------------- for subclasses

    /** Keeps tensors for the backward pass (replacing any saved before). */
    protected final void save(Tensor... tensors) {
        this.saved = tensors.clone();
    }

    /** Saved tensor {@code i}. */
    protected final Tensor saved(int i) {
        if (saved == null) {
            throw freed();
        }
        return saved[i];
    }

    /** Whether input {@code i} needs a gradient (it requires grad); others may get null. */
    protected final boolean needsGrad(int i) {
        return next[i] != null;
    }

    /** The shape input {@code i} had (a copy). */
    protected final int[] inputShape(int i) {
        return inputShapes[i].clone();
    }

    /** Number of inputs, as given to the constructor. */
    protected final int inputCount() {
        return inputShapes.length;
    }

    /** Readability helper for {@code return grads(da, db);}. */
    protected static Tensor[] grads(Tensor... perInput) {
        return perInput;
    }

    /**
     * Makes {@code out} the output of this node and returns it. A forward that returned an input
     * unchanged, or that recorded a graph of its own, gets a fresh alias of its output, so a tensor
     * never becomes its own ancestor. With no input requiring gradients nothing is attached.
     */
    protected final Tensor output(Tensor out) {
        boolean any = false;
        for (Object e : next) {
            any |= e != null;
        }
        if (!any) {
            return out;
        }
        if (out.isRequiresGrad()) {
            out = out.detach();
        }
        return Autograd.BINDER.attach(out, this);
    }

    /**
     * The gradients with respect to each input, given {@code grad}, the gradient with respect to the
     * output (the output's shape).
     */
    protected abstract Tensor[] backward(Tensor grad);

    // ---------------------------------------------------------------- GradFn

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<GradFn> nextFunctions() {
        List<GradFn> out = new ArrayList<>(next.length);
        for (Object e : next) {
            out.add(e instanceof Node n ? n : e instanceof Tensor t ? new AccumulateGrad(t) : null);
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return released ? name + " (freed)" : name;
    }

    /** What {@link #nextFunctions()} shows for a leaf: its gradient is accumulated into {@code grad()}. */
    public record AccumulateGrad(Tensor variable) implements GradFn {
        @Override
        public String name() {
            return "AccumulateGrad";
        }

        @Override
        public List<GradFn> nextFunctions() {
            return List.of();
        }

        @Override
        public String toString() {
            return "AccumulateGrad";
        }
    }

    // ---------------------------------------------------------------- for the engine

    final Object[] edges() {
        if (released) {
            throw freed();
        }
        return next;
    }

    final boolean isReleased() {
        return released;
    }

    /**
     * Frees the saved tensors once a backward pass is through (unless the graph is retained). The
     * edges stay, so the graph can still be looked at ({@link #nextFunctions()}), but not run again.
     */
    final void release() {
        released = true;
        saved = null;
    }

    /** The gradient input {@code i} receives, brought to its shape; broadcasting is undone here. */
    final Tensor fit(int i, Tensor g) {
        int[] shape = inputShapes[i];
        if (Arrays.equals(g.shape(), shape)) {
            return g;
        }
        try {
            return g.sumToSize(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " returned a gradient of shape " + Shapes.format(g.shape())
                    + " for input " + i + " of shape " + Shapes.format(shape), e);
        }
    }

    private IllegalStateException freed() {
        return new IllegalStateException("backward: trying to go through " + name + " a second time, but its graph"
                + " was freed by the previous backward(); call backward(gradient, true) (retainGraph) the first time"
                + " if you need to run backward through the same graph twice");
    }
}
