package dev.vectorgrad.autograd;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Checks the gradients autograd computes against finite differences: one line in a notebook,
 *
 * <pre>{@code
 * GradCheck.check(x -> x[0].matmul(x[1]).tanh(), Tensor.randn(3, 4), Tensor.randn(4, 2)).assertOk();
 * }</pre>
 *
 * <p>How: the output is projected on a fixed random tensor v (so any output shape works), autograd
 * gives v·J for every input in one backward pass, and each input element is perturbed to estimate the
 * same numbers. The estimate is a central difference, refined by Richardson extrapolation
 * (D = (4 D(h/2) - D(h)) / 3, error O(h^4)), with h = eps * max(1, |x|) and the step actually taken
 * in float32 as the divisor. Everything is float32, whose rounding makes a tiny h noisy, hence the
 * default eps = 1e-2 and a pass rule of {@code |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)}
 * with atol = 1e-3, rtol = 1e-2.
 *
 * <p>Inputs keep their layout: a transposed or sliced input reaches {@code fn} strided, as given (an
 * expanded input, whose elements share storage, is copied first). Finite differences are wrong across
 * a kink (relu at 0, max of ties, clamp bounds): keep test inputs more than h away from those.
 */
public final class GradCheck {

    private static final GradCheck DEFAULTS = new GradCheck(1e-2, 1e-3, 1e-2, 20240601L);

    private final double eps;
    private final double atol;
    private final double rtol;
    private final long seed;

    private GradCheck(double eps, double atol, double rtol, long seed) {
        if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("GradCheck: eps must be > 0 and tolerances >= 0, got eps " + eps
                    + ", atol " + atol + ", rtol " + rtol);
        }
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
    }

    /** Checks {@code fn} at {@code inputs} with the default step and tolerances. */
    public static Result check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return DEFAULTS.run(fn, inputs);
    }

    /** The defaults, to adjust: {@code GradCheck.defaults().eps(1e-3).rtol(5e-2).run(fn, x)}. */
    public static GradCheck defaults() {
        return DEFAULTS;
    }

    /** Relative perturbation step (h = eps * max(1, |x|)). */
    public GradCheck eps(double eps) {
        return new GradCheck(eps, atol, rtol, seed);
    }

    public GradCheck atol(double atol) {
        return new GradCheck(eps, atol, rtol, seed);
    }

    public GradCheck rtol(double rtol) {
        return new GradCheck(eps, atol, rtol, seed);
    }

    /** Seed of the random projection. */
    public GradCheck seed(long seed) {
        return new GradCheck(eps, atol, rtol, seed);
    }

    /** Checks {@code fn} at {@code inputs}; every input is treated as a variable. */
    public Result run(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        Objects.requireNonNull(fn, "GradCheck: fn is null");
        Objects.requireNonNull(inputs, "GradCheck: inputs is null");
        int k = inputs.length;
        float[][] data = new float[k][];
        Layout[] layouts = new Layout[k];
        Backend[] backends = new Backend[k];
        Tensor[] leaves = new Tensor[k];
        try (Grad.Scope s = Grad.off()) {
            for (int i = 0; i < k; i++) {
                Tensor in = Objects.requireNonNull(inputs[i], "GradCheck: input " + i + " is null").detach();
                if (overlaps(in.layout())) {
                    in = in.clone();
                }
                Backend b = in.backend();
                int size = in.storage().size();
                data[i] = b.toArray(in.storage(), new Layout(new int[] {size}, new int[] {1}, 0));
                layouts[i] = in.layout();
                backends[i] = b;
                leaves[i] = Tensor.wrap(b.fromArray(data[i].clone()), layouts[i], b);
            }
        }

        // Analytic: v·J by one backward pass.
        Tensor out;
        try (Grad.Scope s = Grad.on()) {
            for (Tensor leaf : leaves) {
                leaf.requiresGrad();
            }
            out = Objects.requireNonNull(fn.apply(leaves), "GradCheck: fn returned null");
        }
        int[] outShape = out.shape();
        float[] vf = new Rng(seed).uniform(out.numel(), -1f, 1f);
        double[] v = new double[vf.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = vf[j];
        }
        if (out.isRequiresGrad()) {
            out.backward(Tensor.fromArray(vf, outShape));
        }

        // Numeric: perturb one storage element at a time.
        List<InputReport> reports = new ArrayList<>(k);
        try (Grad.Scope s = Grad.off()) {
            Tensor[] args = new Tensor[k];
            for (int i = 0; i < k; i++) {
                args[i] = leaves[i].detach();
            }
            for (int i = 0; i < k; i++) {
                Tensor g = leaves[i].grad();
                int n = leaves[i].numel();
                float[] analytic = g == null ? new float[n] : g.toArray();
                double[] numeric = new double[n];
                for (int e = 0; e < n; e++) {
                    numeric[e] = derivative(fn, args, i, data[i], layouts[i], backends[i], storageIndex(layouts[i], e), v);
                }
                reports.add(compare(i, leaves[i].shape(), analytic, numeric));
            }
        }
        return new Result(reports, outShape, eps, atol, rtol);
    }

    private double derivative(Function<Tensor[], Tensor> fn, Tensor[] args, int i, float[] base, Layout layout,
                              Backend backend, int at, double[] v) {
        float x = base[at];
        double h = eps * Math.max(1.0, Math.abs(x));
        double d1 = central(fn, args, i, base, layout, backend, at, v, x, h);
        double d2 = central(fn, args, i, base, layout, backend, at, v, x, h / 2);
        return (4 * d2 - d1) / 3;
    }

    private static double central(Function<Tensor[], Tensor> fn, Tensor[] args, int i, float[] base, Layout layout,
                                  Backend backend, int at, double[] v, float x, double h) {
        float plus = (float) (x + h);
        float minus = (float) (x - h);
        double fPlus = project(fn, args, i, base, layout, backend, at, plus, v);
        double fMinus = project(fn, args, i, base, layout, backend, at, minus, v);
        return (fPlus - fMinus) / ((double) plus - (double) minus);
    }

    /** v · fn(args with element {@code at} of input i set to {@code value}), in double. */
    private static double project(Function<Tensor[], Tensor> fn, Tensor[] args, int i, float[] base, Layout layout,
                                  Backend backend, int at, float value, double[] v) {
        float[] perturbed = base.clone();
        perturbed[at] = value;
        Tensor[] call = args.clone();
        call[i] = Tensor.wrap(backend.fromArray(perturbed), layout, backend);
        float[] y = fn.apply(call).toArray();
        double sum = 0;
        for (int j = 0; j < y.length; j++) {
            sum += v[j] * y[j];
        }
        return sum;
    }

    private InputReport compare(int index, int[] shape, float[] analytic, double[] numeric) {
        double maxAbs = 0;
        double maxRel = 0;
        double worstRatio = -1;
        int worst = -1;
        for (int e = 0; e < analytic.length; e++) {
            double a = analytic[e];
            double n = numeric[e];
            double abs = Math.abs(a - n);
            double scale = Math.max(Math.abs(a), Math.abs(n));
            double allowed = atol + rtol * scale;
            double ratio = Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs / allowed;
            if (Double.isNaN(abs)) {
                abs = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, abs / Math.max(scale, Math.max(atol, Double.MIN_NORMAL)));
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = e;
            }
        }
        boolean ok = worst < 0 || worstRatio <= 1;
        return new InputReport(index, shape, maxAbs, maxRel, ok ? -1 : worst,
                worst < 0 ? 0 : analytic[worst], worst < 0 ? 0 : numeric[worst], ok);
    }

    private static boolean overlaps(Layout l) {
        for (int d = 0; d < l.rank(); d++) {
            if (l.stride(d) == 0 && l.dim(d) > 1) {
                return true;
            }
        }
        return false;
    }

    /** Storage index of the element at row-major position {@code e} of the view. */
    private static int storageIndex(Layout l, int e) {
        int p = l.offset();
        for (int d = l.rank() - 1; d >= 0; d--) {
            int size = l.dim(d);
            p += (e % size) * l.stride(d);
            e /= size;
        }
        return p;
    }

    /**
     * What the check found for one input: the largest absolute error, the largest relative error
     * (relative to the larger of the two values, floored at atol) and, if it failed, the worst element
     * with both values there ({@code worstElement} is its row-major position, -1 when it passed).
     */
    public record InputReport(int index, int[] shape, double maxAbsError, double maxRelError, int worstElement,
                              double analytic, double numeric, boolean passed) {

        @Override
        public String toString() {
            String line = String.format(Locale.ROOT, "input %d %s: max abs error %.2e, max rel error %.2e",
                    index, Shapes.format(shape), maxAbsError, maxRelError);
            if (passed) {
                return line + "  ok";
            }
            return line + String.format(Locale.ROOT, "  FAILED at %s: analytic %.6g vs numeric %.6g",
                    position(shape, worstElement), analytic, numeric);
        }

        private static String position(int[] shape, int e) {
            int[] idx = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = e % shape[d];
                e /= shape[d];
            }
            StringBuilder sb = new StringBuilder("[");
            for (int d = 0; d < idx.length; d++) {
                sb.append(d > 0 ? "," : "").append(idx[d]);
            }
            return sb.append(']').toString();
        }
    }

    /** The outcome of a check: {@link #passed()}, {@link #assertOk()}, and a readable {@link #toString()}. */
    public static final class Result {

        private final List<InputReport> inputs;
        private final int[] outputShape;
        private final double eps;
        private final double atol;
        private final double rtol;

        private Result(List<InputReport> inputs, int[] outputShape, double eps, double atol, double rtol) {
            this.inputs = List.copyOf(inputs);
            this.outputShape = outputShape;
            this.eps = eps;
            this.atol = atol;
            this.rtol = rtol;
        }

        public boolean passed() {
            return inputs.stream().allMatch(InputReport::passed);
        }

        public List<InputReport> inputs() {
            return inputs;
        }

        /** Throws an {@link AssertionError} carrying this report unless every input passed; returns this. */
        public Result assertOk() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
            return this;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "GradCheck %s: %d input%s, output %s, eps %.0e, pass if |analytic - numeric| <= %.0e + %.0e * |value|",
                    passed() ? "passed" : "FAILED", inputs.size(), inputs.size() == 1 ? "" : "s",
                    Shapes.format(outputShape), eps, atol, rtol));
            for (InputReport r : inputs) {
                sb.append("\n  ").append(r);
            }
            return sb.toString();
        }
    }
}
