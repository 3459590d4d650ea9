package dev.vectorgrad.nn;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.tensor.Tensor;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares the gradients that {@code backward()} leaves on leaf tensors with central differences
 * of the same scalar function, element by element.
 */
final class NumericGradients {

    private NumericGradients() {
    }

    static void check(String what, Supplier<Tensor> f, List<Tensor> leaves) {
        check(what, f, leaves, 1e-2, 2e-3, 1e-2);
    }

    static void check(String what, Supplier<Tensor> f, List<Tensor> leaves, double eps, double atol, double rtol) {
        for (Tensor t : leaves) {
            t.zeroGrad();
        }
        f.get().backward();
        for (int k = 0; k < leaves.size(); k++) {
            Tensor t = leaves.get(k);
            Tensor g = t.grad();
            float[] analytic = g == null ? new float[t.numel()] : g.toArray();
            float[] base = t.toArray();
            for (int i = 0; i < base.length; i++) {
                float saved = base[i];
                base[i] = (float) (saved + eps);
                double plus = evaluate(f, t, base);
                base[i] = (float) (saved - eps);
                double minus = evaluate(f, t, base);
                base[i] = saved;
                write(t, base);
                double numeric = (plus - minus) / (2 * eps);
                if (Math.abs(numeric - analytic[i]) > atol + rtol * Math.abs(numeric)) {
                    fail(what + ": gradient of input " + k + " element " + i + ": backward gives " + analytic[i]
                            + ", central differences " + numeric);
                }
            }
        }
    }

    private static double evaluate(Supplier<Tensor> f, Tensor t, float[] values) {
        write(t, values);
        try (var g = Grad.off()) {
            return f.get().item();
        }
    }

    private static void write(Tensor t, float[] values) {
        try (var g = Grad.off()) {
            t.copyFrom(Tensor.fromArray(values, t.shape()));
        }
    }
}
