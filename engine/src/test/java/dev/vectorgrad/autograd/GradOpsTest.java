package dev.vectorgrad.autograd;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * GradCheck for every differentiable operation, on both CPU backends, with contiguous, broadcast and
 * strided (transposed, sliced, stepped) inputs. Inputs stay away from kinks by more than the step.
 */
class GradOpsTest {

    private record Case(String name, Function<Tensor[], Tensor> fn, Supplier<Tensor[]> inputs) {
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String name, Function<Tensor[], Tensor> fn, Supplier<Tensor[]> inputs) {
        CASES.add(new Case(name, fn, inputs));
    }

    private static Tensor[] in(Tensor... t) {
        return t;
    }

    // ---------------------------------------------------------------- inputs

    private static Rng rng;

    /** Values in ±[0.2, 1], away from 0 (the kink of relu, abs, sign, step). */
    static Tensor r(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = rng.uniform(n, 0.2f, 1f);
        for (int i = 0; i < n; i++) {
            if (rng.nextFloat() < 0.5f) {
                v[i] = -v[i];
            }
        }
        return Tensor.fromArray(v, shape);
    }

    /** Values in [0.5, 2]: for log, sqrt, reciprocal, powers. */
    static Tensor pos(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.fromArray(rng.uniform(n, 0.5f, 2f), shape);
    }

    /**
     * Distinct values on a grid of spacing 0.1, shuffled, none within 0.05 of 0 or of ±0.5: ties and
     * kinks (max, pooling, clamp at ±0.5) are far from every value.
     */
    static Tensor spaced(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] p = rng.permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (p[i] - n / 2) * 0.1f + 0.05f;
        }
        return Tensor.fromArray(v, shape);
    }

    static {
        // ---------------------------------------------------------------- unary
        add("neg", x -> x[0].neg(), () -> in(r(2, 3)));
        add("abs", x -> x[0].abs(), () -> in(r(2, 3)));
        add("abs of transposed", x -> x[0].abs(), () -> in(r(3, 2).t()));
        add("exp", x -> x[0].exp(), () -> in(r(2, 3)));
        add("exp of stepped slice", x -> x[0].exp(), () -> in(r(5, 3).slice(0, 0, 5, 2)));
        add("log", x -> x[0].log(), () -> in(pos(2, 3)));
        add("sqrt", x -> x[0].sqrt(), () -> in(pos(2, 3)));
        add("square", x -> x[0].square(), () -> in(r(2, 3)));
        add("pow 3", x -> x[0].pow(3f), () -> in(r(2, 3)));
        add("pow 2", x -> x[0].pow(2f), () -> in(r(4)));
        add("pow 0.5", x -> x[0].pow(0.5f), () -> in(pos(2, 3)));
        add("pow -1.5", x -> x[0].pow(-1.5f), () -> in(pos(2, 3)));
        add("pow 0", x -> x[0].pow(0f), () -> in(r(3)));
        add("reciprocal", x -> x[0].reciprocal(), () -> in(pos(2, 3)));
        add("relu", x -> x[0].relu(), () -> in(r(3, 4)));
        add("relu of narrowed", x -> x[0].relu(), () -> in(r(3, 6).narrow(1, 1, 4)));
        add("leakyRelu", x -> x[0].leakyRelu(0.1f), () -> in(r(3, 4)));
        add("sigmoid", x -> x[0].sigmoid(), () -> in(r(3, 4)));
        add("tanh", x -> x[0].tanh(), () -> in(r(3, 4)));
        add("tanh of transposed", x -> x[0].tanh(), () -> in(r(4, 3).t()));
        add("step (zero gradient)", x -> x[0].step(), () -> in(r(2, 3)));
        add("sign (zero gradient)", x -> x[0].sign(), () -> in(r(2, 3)));
        add("clamp", x -> x[0].clamp(-0.5f, 0.5f), () -> in(spaced(3, 4)));

        // ---------------------------------------------------------------- scalar arithmetic
        add("add scalar", x -> x[0].add(2.5f), () -> in(r(2, 3)));
        add("sub scalar", x -> x[0].sub(0.7f), () -> in(r(2, 3)));
        add("mul scalar", x -> x[0].mul(-1.5f), () -> in(r(2, 3)));
        add("div scalar", x -> x[0].div(3f), () -> in(r(2, 3)));
        add("div power of two", x -> x[0].div(4f), () -> in(r(2, 3)));
        add("maximum scalar", x -> x[0].maximum(0.05f), () -> in(spaced(2, 3)));
        add("minimum scalar", x -> x[0].minimum(0.05f), () -> in(spaced(2, 3)));

        // ---------------------------------------------------------------- binary, broadcasting
        add("add", x -> x[0].add(x[1]), () -> in(r(2, 3), r(2, 3)));
        add("add broadcast (2,3)+(3)", x -> x[0].add(x[1]), () -> in(r(2, 3), r(3)));
        add("add broadcast (2,1,3)+(4,1)", x -> x[0].add(x[1]), () -> in(r(2, 1, 3), r(4, 1)));
        add("sub broadcast (3)-(2,3)", x -> x[0].sub(x[1]), () -> in(r(3), r(2, 3)));
        add("sub transposed", x -> x[0].sub(x[1]), () -> in(r(3, 2).t(), r(2, 3)));
        add("mul", x -> x[0].mul(x[1]), () -> in(r(2, 3), r(2, 3)));
        add("mul broadcast (2,3)*(2,1)", x -> x[0].mul(x[1]), () -> in(r(2, 3), r(2, 1)));
        add("mul by 0-D", x -> x[0].mul(x[1]), () -> in(r(2, 3), Tensor.scalar(0.7f)));
        add("mul same tensor", x -> x[0].mul(x[0]), () -> in(r(2, 3)));
        add("div", x -> x[0].div(x[1]), () -> in(r(2, 3), pos(2, 3)));
        add("div broadcast (3)/(2,3)", x -> x[0].div(x[1]), () -> in(r(3), pos(2, 3)));
        add("pow tensor", x -> x[0].pow(x[1]), () -> in(pos(2, 3), r(2, 3)));
        add("pow tensor broadcast", x -> x[0].pow(x[1]), () -> in(pos(2, 3), r(3)));
        add("maximum", x -> x[0].maximum(x[1]), () -> in(spaced(2, 3), spaced(2, 3).add(0.03f)));
        add("minimum broadcast", x -> x[0].minimum(x[1]), () -> in(spaced(2, 3), spaced(3).add(0.03f)));
        add("where broadcast", x -> Tensor.where(Tensor.of(new float[][] {{1, 0, 1}, {0, 0, 1}}), x[0], x[1]),
                () -> in(r(2, 3), r(3)));

        // ---------------------------------------------------------------- reductions
        add("sum", x -> x[0].sum(), () -> in(r(2, 3)));
        add("sum dim", x -> x[0].sum(1), () -> in(r(2, 3)));
        add("sum dim keepDim", x -> x[0].sum(0, true), () -> in(r(2, 3)));
        add("sum dims", x -> x[0].sum(new int[] {0, 2}, false), () -> in(r(2, 3, 4)));
        add("sum of transposed", x -> x[0].sum(-1), () -> in(r(4, 3).t()));
        add("mean", x -> x[0].mean(), () -> in(r(2, 3)));
        add("mean dim", x -> x[0].mean(0), () -> in(r(2, 3)));
        add("mean dims keepDim", x -> x[0].mean(new int[] {1, 2}, true), () -> in(r(2, 3, 4)));
        add("max all", x -> x[0].max(), () -> in(spaced(3, 4)));
        add("min all", x -> x[0].min(), () -> in(spaced(3, 4)));
        add("max dim", x -> x[0].max(1), () -> in(spaced(3, 4)));
        add("max dim keepDim", x -> x[0].max(0, true), () -> in(spaced(3, 4)));
        add("max dims", x -> x[0].max(new int[] {0, 2}, false), () -> in(spaced(2, 3, 4)));
        add("min dim", x -> x[0].min(-1), () -> in(spaced(3, 4)));
        add("min of transposed", x -> x[0].min(0), () -> in(spaced(4, 3).t()));
        add("var", x -> x[0].var(), () -> in(r(2, 3)));
        add("var dim", x -> x[0].var(1), () -> in(r(3, 4)));
        add("var dims biased keepDim", x -> x[0].var(new int[] {0, 2}, false, true), () -> in(r(2, 3, 4)));
        add("std", x -> x[0].std(), () -> in(r(2, 3)));
        add("std dim", x -> x[0].std(0, true, false), () -> in(r(3, 4)));
        add("softmax last", x -> x[0].softmax(-1), () -> in(r(3, 4)));
        add("softmax dim 0", x -> x[0].softmax(0), () -> in(r(3, 4)));
        add("softmax of transposed", x -> x[0].softmax(1), () -> in(r(4, 3).t()));
        add("logSoftmax", x -> x[0].logSoftmax(1), () -> in(r(3, 4)));
        add("logSoftmax 3-D", x -> x[0].logSoftmax(1), () -> in(r(2, 3, 2)));

        // ---------------------------------------------------------------- linear algebra
        add("matmul (3,4)x(4,2)", x -> x[0].matmul(x[1]), () -> in(r(3, 4), r(4, 2)));
        add("matmul (4)x(4,2)", x -> x[0].matmul(x[1]), () -> in(r(4), r(4, 2)));
        add("matmul (3,4)x(4)", x -> x[0].matmul(x[1]), () -> in(r(3, 4), r(4)));
        add("matmul (4)x(4)", x -> x[0].matmul(x[1]), () -> in(r(4), r(4)));
        add("matmul (2,3,4)x(4,2)", x -> x[0].matmul(x[1]), () -> in(r(2, 3, 4), r(4, 2)));
        add("matmul (2,3,4)x(2,4,2)", x -> x[0].matmul(x[1]), () -> in(r(2, 3, 4), r(2, 4, 2)));
        add("matmul (2,1,3,4)x(3,4,2)", x -> x[0].matmul(x[1]), () -> in(r(2, 1, 3, 4), r(3, 4, 2)));
        add("matmul (3,4)x(2,4,2)", x -> x[0].matmul(x[1]), () -> in(r(3, 4), r(2, 4, 2)));
        add("matmul (4)x(2,4,3)", x -> x[0].matmul(x[1]), () -> in(r(4), r(2, 4, 3)));
        add("matmul (2,3,4)x(4)", x -> x[0].matmul(x[1]), () -> in(r(2, 3, 4), r(4)));
        add("matmul transposed operands", x -> x[0].matmul(x[1]), () -> in(r(4, 3).t(), r(2, 4).t()));
        add("matmul sliced operand", x -> x[0].matmul(x[1]), () -> in(r(3, 6).narrow(1, 1, 4), r(4, 2)));
        add("mm", x -> x[0].mm(x[1]), () -> in(r(3, 4), r(4, 2)));
        add("dot", x -> x[0].dot(x[1]), () -> in(r(5), r(5)));
        add("outer", x -> x[0].outer(x[1]), () -> in(r(3), r(4)));

        // ---------------------------------------------------------------- views
        add("reshape", x -> x[0].reshape(3, 2).mul(x[1]), () -> in(r(2, 3), r(3, 2)));
        add("reshape of transposed (copies)", x -> x[0].reshape(-1).mul(x[1]), () -> in(r(2, 3).t(), r(6)));
        add("view", x -> x[0].view(6).mul(x[1]), () -> in(r(2, 3), r(6)));
        add("flatten", x -> x[0].flatten().mul(x[1]), () -> in(r(2, 3), r(6)));
        add("flatten(1,2)", x -> x[0].flatten(1, 2).mul(x[1]), () -> in(r(2, 2, 3), r(2, 6)));
        add("transpose", x -> x[0].transpose(0, 2).mul(x[1]), () -> in(r(2, 3, 4), r(4, 3, 2)));
        add("t", x -> x[0].t().mul(x[1]), () -> in(r(2, 3), r(3, 2)));
        add("mT", x -> x[0].mT().mul(x[1]), () -> in(r(2, 2, 3), r(2, 3, 2)));
        add("permute", x -> x[0].permute(2, 0, 1).mul(x[1]), () -> in(r(2, 3, 4), r(4, 2, 3)));
        add("narrow", x -> x[0].narrow(1, 1, 2).mul(x[1]), () -> in(r(3, 4), r(3, 2)));
        add("select", x -> x[0].select(0, 1).mul(x[1]), () -> in(r(3, 4), r(4)));
        add("select negative", x -> x[0].select(-1, -1).mul(x[1]), () -> in(r(3, 4), r(3)));
        add("slice step 2", x -> x[0].slice(1, 0, 5, 2).mul(x[1]), () -> in(r(2, 5), r(2, 3)));
        add("slice step 3 offset", x -> x[0].slice(0, 1, 7, 3).mul(x[1]), () -> in(r(8, 2), r(2, 2)));
        add("slice negative bounds", x -> x[0].slice(0, -3, -1).mul(x[1]), () -> in(r(5, 2), r(2, 2)));
        add("squeeze", x -> x[0].squeeze().mul(x[1]), () -> in(r(1, 3, 1), r(3)));
        add("squeeze dim", x -> x[0].squeeze(0).mul(x[1]), () -> in(r(1, 3), r(3)));
        add("unsqueeze", x -> x[0].unsqueeze(1).mul(x[1]), () -> in(r(3), r(3, 2)));
        add("expand", x -> x[0].expand(2, 3, 4).mul(x[1]), () -> in(r(3, 1), r(2, 3, 4)));
        add("broadcastTo", x -> x[0].broadcastTo(2, 3).mul(x[1]), () -> in(r(3), r(2, 3)));
        add("contiguous", x -> x[0].contiguous().mul(x[1]), () -> in(r(3, 2).t(), r(2, 3)));
        add("clone", x -> x[0].clone().mul(x[1]), () -> in(r(2, 3), r(2, 3)));
        add("to scalar backend", x -> x[0].to("scalar").mul(x[1]), () -> in(r(2, 3), r(2, 3)));
        add("view chain", x -> x[0].t().reshape(2, 3).select(0, 1).unsqueeze(0).expand(2, 3).mul(x[1]),
                () -> in(r(3, 2), r(2, 3)));

        // ---------------------------------------------------------------- joins
        add("cat dim 0", x -> Tensor.cat(x[0], x[1], x[2]).mul(x[3]), () -> in(r(1, 3), r(2, 3), r(1, 3), r(4, 3)));
        add("cat dim 1", x -> Tensor.cat(List.of(x[0], x[1]), 1).mul(x[2]), () -> in(r(2, 1), r(2, 3), r(2, 4)));
        add("cat of views", x -> Tensor.cat(List.of(x[0].t(), x[1]), 0).mul(x[2]), () -> in(r(3, 2), r(1, 3), r(3, 3)));
        add("stack", x -> Tensor.stack(x[0], x[1]).mul(x[2]), () -> in(r(2, 3), r(2, 3), r(2, 2, 3)));
        add("stack dim 1", x -> Tensor.stack(List.of(x[0], x[1]), 1).mul(x[2]), () -> in(r(3), r(3), r(3, 2)));

        // ---------------------------------------------------------------- images
        add("conv2d with bias", x -> x[0].conv2d(x[1], x[2], 1, 0), () -> in(r(2, 2, 5, 5), r(3, 2, 3, 3), r(3)));
        add("conv2d stride 2 padding 1", x -> x[0].conv2d(x[1], null, 2, 1), () -> in(r(1, 2, 5, 4), r(2, 2, 3, 3)));
        add("conv2d no bias", x -> x[0].conv2d(x[1]), () -> in(r(1, 1, 4, 4), r(2, 1, 2, 2)));
        add("conv2d (h,w) stride/padding", x -> x[0].conv2d(x[1], x[2], new int[] {1, 2}, new int[] {1, 0}),
                () -> in(r(1, 2, 4, 5), r(2, 2, 3, 2), r(2)));
        add("maxPool2d 2", x -> x[0].maxPool2d(2), () -> in(spaced(2, 2, 4, 4)));
        add("maxPool2d 3/2/1", x -> x[0].maxPool2d(3, 2, 1), () -> in(spaced(1, 2, 5, 5)));
        add("avgPool2d 2", x -> x[0].avgPool2d(2), () -> in(r(2, 2, 4, 4)));
        add("avgPool2d 3/2/1 include pad", x -> x[0].avgPool2d(3, 2, 1, true), () -> in(r(1, 2, 5, 5)));
        add("avgPool2d 3/2/1 exclude pad", x -> x[0].avgPool2d(3, 2, 1, false), () -> in(r(1, 2, 5, 5)));
        add("globalAvgPool2d", x -> x[0].globalAvgPool2d(), () -> in(r(2, 3, 3, 2)));
        add("conv2d of permuted input", x -> x[0].permute(0, 3, 1, 2).conv2d(x[1]),
                () -> in(r(1, 4, 4, 2), r(2, 2, 2, 2)));

        // ---------------------------------------------------------------- compositions
        add("two-layer network",
                x -> x[0].matmul(x[1]).add(x[2]).tanh().matmul(x[3]).logSoftmax(1).mean(),
                () -> in(r(4, 3), r(3, 5), r(5), r(5, 2)));
        add("mse with broadcast bias",
                x -> x[0].matmul(x[1]).add(x[2]).sigmoid().sub(x[3]).square().mean(),
                () -> in(r(5, 3), r(3, 2), r(2), r(5, 2)));
        add("reused intermediate", x -> {
            Tensor h = x[0].mul(x[1]);
            return h.exp().add(h.square()).sub(h).sum(0);
        }, () -> in(r(3, 2), r(2)));
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String backend : backends()) {
            for (Case c : CASES) {
                tests.add(DynamicTest.dynamicTest(backend + ": " + c.name(), () -> {
                    try (var s = Backends.use(backend)) {
                        rng = new Rng(c.name().hashCode());
                        Tensor[] inputs = c.inputs().get();
                        GradCheck.check(c.fn(), inputs).assertOk();
                    }
                }));
            }
        }
        return tests.stream();
    }

    static List<String> backends() {
        return Backends.simdAvailable() ? List.of("scalar", "simd") : List.of("scalar");
    }
}
