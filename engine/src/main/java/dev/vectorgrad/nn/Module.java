package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Base class of every layer and model, with PyTorch's names and semantics.
 *
 * <pre>{@code
 * class TwoLayer extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(4, 8));
 *     final Linear fc2 = registerModule("fc2", new Linear(8, 3));
 *
 *     @Override
 *     public Tensor forward(Tensor x) {
 *         return fc2.forward(fc1.forward(x).relu());
 *     }
 * }
 * var net = new TwoLayer();
 * net.namedParameters().keySet();   // [fc1.weight, fc1.bias, fc2.weight, fc2.bias]
 * net.forward(x);                    // the one way to run a module
 * }</pre>
 *
 * <ul>
 *   <li><b>Registration is explicit</b> and keeps its order: {@link #registerParameter},
 *       {@link #registerBuffer} and {@link #registerModule}, usually from the constructor. Names
 *       are unique within a module and contain no dots; full names are dotted paths
 *       ({@code conv1.weight}, {@code 0.bias}).</li>
 *   <li><b>Initialisation is separate from construction.</b> Parameters declared by shape get
 *       storage and their default values (PyTorch's defaults, see {@link Init}) when first used; the
 *       values come from a seed each module draws from {@link Rng#global()} when it declares its
 *       first parameter, so they depend only on the seed and the order of construction.
 *       {@link #resetParameters(Rng)} draws new values from an explicit generator.</li>
 *   <li><b>Training mode</b> ({@link #train()}, {@link #eval()}) is recursive and changes what
 *       {@link Dropout} and the batch norms do.</li>
 *   <li><b>State</b>: {@link #stateDict()} maps full names to parameter values and buffers (such as
 *       batch-norm running statistics); {@link #loadStateDict(Map)} checks every key and shape
 *       before it changes anything.</li>
 * </ul>
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean seeded;
    private long initSeed;
    private boolean initializing;

    /** Runs the module on a batch. */
    public abstract Tensor forward(Tensor input);

    /**
     * The shape {@link #forward} would return for an input of shape {@code inputShape}, computed from
     * shapes alone (nothing is allocated or run). Throws a {@link dev.vectorgrad.tensor.ShapeException}
     * for an input that does not fit, and {@link UnsupportedOperationException} when a module does not
     * know (custom modules that do not override it).
     */
    public int[] outputShape(int[] inputShape) {
        throw new UnsupportedOperationException(typeName() + " does not say its output shape; override"
                + " outputShape(int[]) to include it in summaries");
    }

    // ================================================================ registration

    /** Registers {@code parameter} under {@code name} and returns it. */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        Objects.requireNonNull(parameter, () -> "registerParameter: parameter '" + name + "' is null");
        checkName("registerParameter", name);
        if (!parameter.isMaterialized() && !seeded) {
            initSeed = Rng.global().nextLong();
            seeded = true;
        }
        parameter.register(name, this);
        parameters.put(name, parameter);
        return parameter;
    }

    /** Registers a new parameter holding {@code value}'s storage and returns it. */
    protected final Parameter registerParameter(String name, Tensor value) {
        Objects.requireNonNull(value, () -> "registerParameter: value of '" + name + "' is null");
        return registerParameter(name, new Parameter(value));
    }

    /**
     * Registers a buffer: state that is saved in {@link #stateDict()} but not trained (running
     * statistics). The module updates it in place.
     */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        Objects.requireNonNull(buffer, () -> "registerBuffer: buffer '" + name + "' is null");
        checkName("registerBuffer", name);
        buffers.put(name, buffer);
        return buffer;
    }

    /**
     * This module's own buffer {@code name} as it is now. {@link #to(Backend)} replaces buffers by
     * copies on the target backend, so a module that keeps a buffer should read it through this
     * method when it uses it rather than keep the registered tensor in a field.
     */
    protected final Tensor buffer(String name) {
        Tensor b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException(typeName() + " has no buffer '" + name + "'; it has "
                    + buffers.keySet());
        }
        return b;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        Objects.requireNonNull(module, () -> "registerModule: module '" + name + "' is null");
        checkName("registerModule", name);
        if (module == this) {
            throw new IllegalArgumentException("registerModule: a module cannot be its own child ('" + name + "')");
        }
        children.put(name, module);
        return module;
    }

    private void checkName(String op, String name) {
        Objects.requireNonNull(name, () -> op + ": name is null");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": name must be non-empty and without dots, got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(op + ": " + typeName() + " already has a member named '" + name + "'");
        }
    }

    // ================================================================ traversal

    /** Every parameter of this module and its descendants, each once, in registration order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters by full dotted name ({@code 0.weight}, {@code conv1.bias}), in registration order; a
     * parameter shared by several modules appears once, under its first name.
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            for (Map.Entry<String, Parameter> p : e.getValue().parameters.entrySet()) {
                if (seen.add(p.getValue())) {
                    out.put(join(e.getKey(), p.getKey()), p.getValue());
                }
            }
        }
        return out;
    }

    /** The parameter with full dotted name {@code name}; an error listing the names if there is none. */
    public Parameter parameter(String name) {
        Parameter p = namedParameters().get(name);
        if (p == null) {
            throw new IllegalArgumentException(typeName() + " has no parameter '" + name + "'; it has "
                    + namedParameters().keySet());
        }
        return p;
    }

    /** Buffers by full dotted name ({@code 1.running_mean}), in registration order. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                out.put(join(e.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** Every buffer of this module and its descendants. */
    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Direct children, in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** Direct children by name (an unmodifiable view). */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all its descendants, depth first (this one first). */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** This module (name {@code ""}) and all its descendants by full dotted name, depth first. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collect("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collect(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) {
            return;
        }
        out.put(prefix, m);
        for (Map.Entry<String, Module> c : m.children.entrySet()) {
            collect(join(prefix, c.getKey()), c.getValue(), out, seen);
        }
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Number of parameter elements (each shared parameter once), from shapes: nothing is allocated. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    /** Number of elements of the trainable (not frozen) parameters. */
    public long trainableParameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            if (p.trainable()) {
                n += p.numel();
            }
        }
        return n;
    }

    // ================================================================ modes and gradients

    /** Training mode for this module and its descendants (the default); returns this. */
    public Module train() {
        return train(true);
    }

    /** Training ({@code true}) or evaluation mode, recursively; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    /** Evaluation mode, recursively: dropout off, batch norms use their running statistics. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of every parameter. */
    public void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    // ================================================================ device

    /**
     * Moves every parameter and buffer of this module and its descendants to the backend named
     * {@code backendName} ("scalar", "simd", "gpu"), in place, and returns this module:
     * {@code model.to("gpu")} uploads the weights once, and they stay there across minibatches.
     * Operations still run on {@link Backends#current()}, so train and evaluate
     * inside {@code Backends.use("gpu")} as well.
     *
     * <p>Parameters keep their identity (see {@link Parameter}: each gets a new leaf tensor on the target
     * backend, its gradient moved along), so an optimizer made before the move keeps working and
     * creates its state, lazily at a parameter's first update, on the new backend; state it already
     * made stays where it was (make the optimizer, or {@code reset} its state, after moving). Buffers
     * (running statistics) are replaced by copies on the target backend; modules read them through
     * {@link #buffer(String)}. Parameters without storage yet get their initial values first.
     */
    public Module to(String backendName) {
        return to(Backends.get(backendName));
    }

    /** {@link #to(String)} with the backend itself. */
    public Module to(Backend backend) {
        Objects.requireNonNull(backend, "Module.to: backend is null");
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Module m : modules()) {
            for (Parameter p : m.parameters.values()) {
                if (seen.add(p)) {
                    p.moveTo(backend);
                }
            }
        }
        try (var g = Grad.off()) {
            for (Module m : modules()) {
                m.buffers.replaceAll((name, b) -> b.backend() == backend ? b : b.detach().to(backend));
            }
        }
        return this;
    }

    // ================================================================ initialisation

    /**
     * Sets this module's own parameters (not its children's) to their initial values drawn from
     * {@code rng}, typically with {@link Init}. Parameters it leaves without values become zeros.
     * The default does nothing. Override in layers; call {@link #resetParameters(Rng)} to use it.
     */
    protected void initParameters(Rng rng) {
    }

    /** New initial values for every parameter (and reset buffers), drawn from {@link Rng#global()}. */
    public final Module resetParameters() {
        return resetParameters(Rng.global());
    }

    /**
     * New initial values for every parameter of this module and its descendants, drawn from
     * {@code rng} module by module, depth first; running statistics are reset too.
     */
    public final Module resetParameters(Rng rng) {
        Objects.requireNonNull(rng, "resetParameters: rng is null");
        for (Module m : modules()) {
            m.initOwn(rng);
        }
        return this;
    }

    /** Gives storage and default values to this module's unallocated parameters, from its own seed. */
    final synchronized void materializeParameters() {
        if (initializing) {
            throw new IllegalStateException(typeName() + ".initParameters read a parameter before giving it values;"
                    + " set it first (with Init or Parameter.set)");
        }
        boolean missing = false;
        for (Parameter p : parameters.values()) {
            missing |= !p.isMaterialized();
        }
        if (missing) {
            initOwn(new Rng(initSeed));
        }
    }

    private synchronized void initOwn(Rng rng) {
        for (Parameter p : parameters.values()) {
            p.allocatableShape(); // fail before drawing anything if a parameter can never be allocated
        }
        initializing = true;
        try {
            initParameters(rng);
        } finally {
            initializing = false;
        }
        for (Parameter p : parameters.values()) {
            if (!p.isMaterialized()) {
                p.adopt(Tensor.zeros(p.allocatableShape()));
            }
        }
    }

    // ================================================================ state

    /**
     * Parameter values (detached: sharing storage, outside autograd) and buffers by full dotted name,
     * module by module in registration order: each module's parameters, then its buffers, then its
     * children's entries. The tensors are the live ones, not copies; clone them to keep a snapshot.
     * Allocates parameters that have no storage yet.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            Module m = e.getValue();
            for (Map.Entry<String, Parameter> p : m.parameters.entrySet()) {
                out.put(join(e.getKey(), p.getKey()), p.getValue().value().detach());
            }
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                out.put(join(e.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** {@link #loadStateDict(Map, boolean)} in strict mode; returns this. */
    public Module loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies the values of {@code state} into the parameters and buffers of the same full names, in
     * place. Everything is checked first; if anything does not fit, nothing is changed and one
     * {@link StateDictException} lists every problem: missing keys and unexpected keys (both only
     * when {@code strict}) and every shape mismatch.
     */
    public Module loadStateDict(Map<String, Tensor> state, boolean strict) {
        Objects.requireNonNull(state, "loadStateDict: state is null");
        Map<String, Object> targets = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            Module m = e.getValue();
            for (Map.Entry<String, Parameter> p : m.parameters.entrySet()) {
                targets.put(join(e.getKey(), p.getKey()), p.getValue());
            }
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                targets.put(join(e.getKey(), b.getKey()), b.getValue());
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Object> t : targets.entrySet()) {
            String key = t.getKey();
            if (!state.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Tensor v = state.get(key);
            int[] want = t.getValue() instanceof Parameter p ? p.shape() : ((Tensor) t.getValue()).shape();
            if (v == null) {
                mismatched.add(key + ": checkpoint has null, model expects " + Shapes.format(want));
            } else if (!Arrays.equals(v.shape(), want)) {
                mismatched.add(key + ": checkpoint " + Shapes.format(v.shape()) + " vs model " + Shapes.format(want));
            }
        }
        for (String key : state.keySet()) {
            if (!targets.containsKey(key)) {
                unexpected.add(key);
            }
        }
        if (!strict) {
            missing.clear();
            unexpected.clear();
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            throw new StateDictException(typeName(), missing, unexpected, mismatched);
        }
        for (Map.Entry<String, Object> t : targets.entrySet()) {
            Tensor v = state.get(t.getKey());
            if (v == null) {
                continue; // only possible when not strict and the key is absent
            }
            if (t.getValue() instanceof Parameter p) {
                p.set(v);
            } else {
                try (var g = Grad.off()) {
                    ((Tensor) t.getValue()).copyFrom(v);
                }
            }
        }
        return this;
    }

    // ================================================================ description

    /**
     * A table of the layers with the output shapes for an input of shape {@code inputShape} (batch
     * dimension included, such as {@code summary(1, 1, 28, 28)}) and their parameter counts. Shapes
     * are computed from shapes: no data flows and no parameter is allocated.
     */
    public Summary summary(int... inputShape) {
        return Summary.of(this, inputShape);
    }

    /** Parameter counts only, no shapes: {@code summary()} without an input shape. */
    public Summary summary() {
        return Summary.of(this, null);
    }

    /** The class name shown by {@link #toString()} and {@link Summary} ({@code Conv2d}). */
    public String typeName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Module" : n;
    }

    /** The text inside this module's parentheses in {@link #toString()}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    /**
     * PyTorch's layout: {@code Linear(in_features=400, out_features=120, bias=True)} for a layer, and
     * for a container one {@code (name): child} line per child, indented.
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        List<String> lines = new ArrayList<>();
        if (!extra.isEmpty()) {
            lines.addAll(Arrays.asList(extra.split("\n")));
        }
        int extraLines = lines.size();
        for (Map.Entry<String, Module> c : children.entrySet()) {
            lines.add("(" + c.getKey() + "): " + indent(c.getValue().toString()));
        }
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (extraLines == 1 && children.isEmpty()) {
            sb.append(lines.get(0));
        } else if (!lines.isEmpty()) {
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    private static String indent(String s) {
        return s.replace("\n", "\n  ");
    }

    /** Python's {@code repr} of a float, as PyTorch prints hyperparameters: {@code 0.1}, {@code 1e-05}. */
    static String pyFloat(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v == 0 ? (1 / v < 0 ? "-0.0" : "0.0") : Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        String shortest = Float.toString((float) v);
        java.math.BigDecimal d = new java.math.BigDecimal(shortest);
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString().replaceAll("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        int exp = d.precision() - d.scale() - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = exp < 0 ? "-" : "+";
        String e = String.valueOf(Math.abs(exp));
        return (v < 0 ? "-" : "") + mantissa + "e" + sign + (e.length() < 2 ? "0" + e : e);
    }

    /** {@code (5, 5)} or {@code 2}: how PyTorch prints a pair of sizes. */
    static String pair(int[] v) {
        return "(" + v[0] + ", " + v[1] + ")";
    }
}
