package dev.vectorgrad.optim;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Base class of the optimizers: PyTorch's {@code torch.optim.Optimizer}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1);
 * for (var batch : loader) {
 *     opt.zeroGrad();
 *     var loss = lossFn.apply(model.forward(batch.x()), batch.y());
 *     loss.backward();
 *     opt.step();            // every parameter that has a gradient moves; the others are skipped
 * }
 * opt.setLr(0.01);           // by hand, or with a schedule (StepLR)
 * }</pre>
 *
 * <ul>
 *   <li><b>Parameter groups.</b> Parameters are held in {@link ParamGroup}s, each with its own
 *       learning rate and weight decay (the other hyperparameters belong to the optimizer). The
 *       constructor makes group 0; {@link #addParamGroup} adds more. {@link #lr()} reads group 0,
 *       {@link #setLr(double)} sets every group.</li>
 *   <li><b>State</b> (momentum buffers, running averages, step counts) is kept per parameter and created
 *       at the parameter's first update.</li>
 *   <li><b>Updates</b> run with grad mode off and change each parameter in place: its tensor stays the
 *       same object, so models, graphs built later and device storage keep seeing the live values.
 *       Parameters without a gradient (unused in the loss, or frozen) are skipped, their state
 *       untouched.</li>
 *   <li><b>Speed.</b> When a parameter, its gradient and its state all live in host memory (the scalar
 *       and SIMD backends), an optimizer updates them in one fused pass over the arrays, without
 *       allocating. Elsewhere (a device backend) it composes tensor operations and writes the result
 *       with {@link Parameter#set(Tensor)}. Both paths follow PyTorch's order of floating-point
 *       operations; the tests compare both with PyTorch.</li>
 * </ul>
 *
 * <p>To write an optimizer, extend this class and implement {@link #update}; keep per-parameter state
 * with {@link #state(Parameter, Supplier)}.
 */
public abstract class Optimizer {

    private final List<ParamGroup> groups = new ArrayList<>();
    private final Set<Parameter> all = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Parameter, Object> state = new IdentityHashMap<>();
    private final double defaultLr;
    private final double defaultWeightDecay;
    private long steps;

    /** Whether updates may take the fused host path; the tests turn it off to check the composed one. */
    boolean hostKernels = true;

    /**
     * An optimizer over {@code params} (group 0) with learning rate {@code lr} and weight decay
     * {@code weightDecay} (an L2 penalty {@code weightDecay * w} added to each gradient).
     */
    protected Optimizer(Iterable<Parameter> params, double lr, double weightDecay) {
        Objects.requireNonNull(params, () -> name() + ": params is null");
        this.defaultLr = checkLr(lr);
        this.defaultWeightDecay = checkWeightDecay(weightDecay);
        ParamGroup first = addParamGroup(params);
        if (first.params().isEmpty()) {
            groups.clear();
            throw new IllegalArgumentException(name() + ": got an empty parameter list; pass model.parameters()");
        }
    }

    // ================================================================ the loop

    /**
     * One update of every parameter that has a gradient, with grad mode off. Call it after
     * {@code loss.backward()}.
     */
    public void step() {
        try (var g = Grad.off()) {
            for (ParamGroup group : groups) {
                for (Parameter p : group.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    Tensor value = p.value();
                    if (!Arrays.equals(grad.shape(), value.shape())) {
                        throw new IllegalStateException(name() + ": the gradient of " + describe(p) + " has shape "
                                + Shapes.format(grad.shape()) + " but the parameter has "
                                + Shapes.format(value.shape()));
                    }
                    update(group, p, value, grad);
                }
            }
        }
        steps++;
    }

    /**
     * Clears the gradient of every parameter (to none, as PyTorch's {@code zero_grad(set_to_none=True)}):
     * call it before each {@code backward()}, since gradients accumulate.
     */
    public void zeroGrad() {
        for (ParamGroup group : groups) {
            for (Parameter p : group.params()) {
                p.zeroGrad();
            }
        }
    }

    /**
     * Updates one parameter: {@code value} is its tensor, {@code grad} its gradient (same shape), the
     * hyperparameters of {@code group} apply. Runs with grad mode off. Write the new values with
     * {@code p.set(...)} or in place into {@code value}.
     */
    protected abstract void update(ParamGroup group, Parameter p, Tensor value, Tensor grad);

    /** The state of {@code p}, made by {@code init} at its first use. */
    @SuppressWarnings("unchecked")
    protected final <S> S state(Parameter p, Supplier<S> init) {
        Object s = state.get(p);
        if (s == null) {
            s = Objects.requireNonNull(init.get(), "state: init returned null");
            state.put(p, s);
        }
        return (S) s;
    }

    /** The state of {@code p}, or null when it has not been updated yet. */
    protected final Object stateOf(Parameter p) {
        return state.get(p);
    }

    /** Forgets all per-parameter state (momentum, running averages, step counts); hyperparameters stay. */
    public void resetState() {
        state.clear();
    }

    /** Number of {@link #step()} calls so far. */
    public long stepCount() {
        return steps;
    }

    // ================================================================ groups and learning rate

    /**
     * Adds a parameter group with the optimizer's default learning rate and weight decay (change them
     * on the returned group). A parameter may belong to one group only.
     */
    public ParamGroup addParamGroup(Iterable<Parameter> params) {
        Objects.requireNonNull(params, "addParamGroup: params is null");
        List<Parameter> list = new ArrayList<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Parameter p : params) {
            Objects.requireNonNull(p, () -> name() + ": parameter " + list.size() + " is null");
            if (!seen.add(p)) {
                continue; // listed twice in one group: once is enough
            }
            if (all.contains(p)) {
                throw new IllegalArgumentException(name() + ": " + describe(p)
                        + " already belongs to another parameter group; a parameter may be in one group only");
            }
            list.add(p);
        }
        all.addAll(list);
        ParamGroup group = new ParamGroup(list, defaultLr, defaultWeightDecay, name());
        groups.add(group);
        return group;
    }

    /** The parameter groups (an unmodifiable view; each group's settings can be changed). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Every parameter, group by group. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        for (ParamGroup g : groups) {
            out.addAll(g.params());
        }
        return out;
    }

    /** The learning rate of the first parameter group. */
    public double lr() {
        return groups.get(0).lr();
    }

    /** Sets the learning rate of every parameter group. */
    public void setLr(double lr) {
        checkLr(lr);
        for (ParamGroup g : groups) {
            g.setLr(lr);
        }
    }

    /** The weight decay of the first parameter group. */
    public double weightDecay() {
        return groups.get(0).weightDecay();
    }

    /** The class name, as PyTorch prints it ({@code SGD}, {@code Adam}). */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * The hyperparameters shown by {@link #toString()} besides each group's {@code lr} and
     * {@code weight_decay}, by PyTorch's names, values formatted as Python prints them.
     */
    protected abstract void describe(Map<String, String> hyperparameters);

    /**
     * PyTorch's layout:
     * <pre>
     * SGD (
     * Parameter Group 0
     *     dampening: 0
     *     lr: 0.1
     *     ...
     * )
     * </pre>
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            Map<String, String> h = new TreeMap<>();
            describe(h);
            h.put("lr", py(groups.get(i).lr()));
            h.put("weight_decay", py(groups.get(i).weightDecay()));
            sb.append("\nParameter Group ").append(i);
            for (Map.Entry<String, String> e : h.entrySet()) {
                sb.append("\n    ").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        return sb.append("\n)").toString();
    }

    // ================================================================ helpers for subclasses

    /** A float hyperparameter as Python prints it: {@code 0.1}, {@code 1e-08}, {@code 0}. */
    protected static String py(double v) {
        return PyFormat.number(v);
    }

    /** A boolean as Python prints it. */
    protected static String py(boolean v) {
        return v ? "True" : "False";
    }

    /** A zero tensor shaped like {@code like}, on its backend: for state buffers. */
    protected static Tensor zerosLike(Tensor like) {
        return Tensor.zeros(like.shape()).to(like.backend());
    }

    /** A tensor shaped like {@code like} filled with {@code value}, on its backend. */
    protected static Tensor fullLike(Tensor like, float value) {
        return Tensor.full(value, like.shape()).to(like.backend());
    }

    /** Whether the fused host path may update these tensors: all contiguous host arrays. */
    final boolean host(Tensor... tensors) {
        if (!hostKernels) {
            return false;
        }
        for (Tensor t : tensors) {
            if (t != null && !Host.isHost(t)) {
                return false;
            }
        }
        return true;
    }

    static String describe(Parameter p) {
        return p.name() == null ? "a parameter of shape " + Shapes.format(p.shape())
                : "parameter '" + p.name() + "' " + Shapes.format(p.shape());
    }

    static double checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("invalid learning rate " + lr + "; it must be a finite number >= 0");
        }
        return lr;
    }

    static double checkWeightDecay(double wd) {
        if (!(wd >= 0) || Double.isInfinite(wd)) {
            throw new IllegalArgumentException("invalid weight decay " + wd + "; it must be a finite number >= 0");
        }
        return wd;
    }

    /** Checks {@code 0 <= value < 1} (or {@code <= 1} when {@code closed}) for a decay rate named {@code what}. */
    static double checkUnit(String optimizer, String what, double value, boolean closed) {
        if (!(value >= 0 && (closed ? value <= 1 : value < 1))) {
            throw new IllegalArgumentException(optimizer + ": invalid " + what + " " + value + "; it must lie in [0, 1"
                    + (closed ? "]" : ")"));
        }
        return value;
    }

    static double checkNonNegative(String optimizer, String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(optimizer + ": invalid " + what + " " + value
                    + "; it must be a finite number >= 0");
        }
        return value;
    }
}
