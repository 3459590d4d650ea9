package dev.vectorgrad.nn;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.io.Json;
import dev.vectorgrad.io.NamedArray;
import dev.vectorgrad.io.SafeTensors;
import dev.vectorgrad.tensor.Tensor;
import dev.vectorgrad.testing.TorchPeer;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential tests against PyTorch (Debian {@code python3-torch}): layers, activations, losses,
 * regularisation and a whole LeNet-5 run forward and backward in vectorgrad, on every CPU backend,
 * and in torch on the same inputs and weights; outputs, gradients (with respect to inputs, targets and
 * parameters) and batch-norm running statistics must agree to float32 accuracy.
 *
 * <p>Each case is a model (possibly empty, for losses), a list of steps (each runs the model once, in
 * train or eval mode, on its own input) and a head: either a random projection {@code sum(y * gy)},
 * which exercises the whole vector-Jacobian product, or a loss against a target. The Java side writes
 * every case's inputs, weights and projections to one safetensors file, one Python process
 * ({@code python/torch_reference.py}) computes all the reference results, and each case then runs here
 * once per backend. Skipped, with a notice, when torch cannot be imported (see {@link TorchPeer}).
 * Dropout is compared in evaluation mode only: in training its masks come from a different generator.
 *
 * <p>Tolerance: {@code |ours - torch| <= atol + rtol * |torch|} elementwise, by default rtol 1e-4 and
 * atol 1e-5; cases with long reductions (a convolution weight's gradient sums over every output
 * position of the batch) scale atol with the magnitude of the compared tensor, see {@link Case#tol}.
 * The worst observed difference is about a quarter of the tolerance (convolution weight gradients),
 * most are below a hundredth.
 */
class TorchDifferentialTest {

    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    @TempDir
    Path dir;

    @TestFactory
    List<DynamicNode> vectorgradAgreesWithPyTorch() throws Exception {
        List<Case> cases = cases();
        Set<String> names = new HashSet<>();
        List<NamedArray> inputs = new ArrayList<>();
        List<Object> manifest = new ArrayList<>();
        for (Case c : cases) {
            if (!names.add(c.name) || c.name.contains("/")) {
                throw new IllegalStateException("case names must be unique and free of '/': " + c.name);
            }
            c.prepare();
            for (Map.Entry<String, NamedArray> e : c.data.entrySet()) {
                NamedArray a = e.getValue();
                inputs.add(new NamedArray(c.name + "/" + e.getKey(), a.shape(), a.data()));
            }
            manifest.add(c.manifest());
        }
        Path casesJson = dir.resolve("cases.json");
        Path in = dir.resolve("inputs.safetensors");
        Path out = dir.resolve("outputs.safetensors");
        Path errors = dir.resolve("errors.json");
        Files.writeString(casesJson, Json.write(Map.of("cases", manifest)), StandardCharsets.UTF_8);
        SafeTensors.write(in, inputs);

        // One Python process computes every reference result. Without torch each test below is
        // reported as skipped, with the reason, rather than the whole factory vanishing from the counts.
        String skipped = null;
        Map<String, Map<String, NamedArray>> reference = new LinkedHashMap<>();
        Map<?, ?> failedInTorch = Map.of();
        try {
            String log = TorchPeer.run(Duration.ofSeconds(180), TorchPeer.script("torch_reference.py"),
                    casesJson.toString(), in.toString(), out.toString(), errors.toString());
            System.out.println("torch_reference.py: " + log);
            for (NamedArray a : SafeTensors.read(out).tensors().values()) {
                int slash = a.name().indexOf('/');
                reference.computeIfAbsent(a.name().substring(0, slash), k -> new LinkedHashMap<>())
                        .put(a.name().substring(slash + 1), a);
            }
            failedInTorch = (Map<?, ?>) Json.parse(Files.readString(errors, StandardCharsets.UTF_8));
        } catch (TestAbortedException e) {
            skipped = e.getMessage();
        }
        String skipReason = skipped;
        Map<?, ?> torchErrors = failedInTorch;

        List<DynamicNode> nodes = new ArrayList<>();
        for (String backend : Backends.simdAvailable() ? List.of("scalar", "simd") : List.of("scalar")) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Case c : cases) {
                tests.add(DynamicTest.dynamicTest(c.name, () -> {
                    if (skipReason != null) {
                        Assumptions.abort(skipReason);
                    }
                    if (torchErrors.containsKey(c.name)) {
                        fail("torch could not run this case:\n" + torchErrors.get(c.name));
                    }
                    Map<String, NamedArray> ours;
                    try (var s = Backends.use(backend)) {
                        ours = c.runOurs();
                    }
                    compare(c, ours, reference.getOrDefault(c.name, Map.of()));
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(backend, tests));
        }
        return nodes;
    }

    // ================================================================ the cases

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();

        // ---- Linear
        cs.add(layer("Linear 5->3", () -> new Linear(5, 3), torch("Linear", List.of(5, 3)), 4, 5));
        cs.add(layer("Linear 7->2 without bias", () -> new Linear(7, 2, false),
                torch("Linear", List.of(7, 2), "bias", false), 3, 7));
        cs.add(layer("Linear 4->6 on 3-D input", () -> new Linear(4, 6), torch("Linear", List.of(4, 6)), 2, 3, 4));
        cs.add(layer("Linear 67->33", () -> new Linear(67, 33), torch("Linear", List.of(67, 33)), 17, 67));
        cs.add(layer("Linear 40->9 without bias, batch 1", () -> new Linear(40, 9, false),
                torch("Linear", List.of(40, 9), "bias", false), 1, 40));

        // ---- Conv2d: stride 1/2, padding 0/1/2, bias on/off, kernels 1/3/5, non-square inputs
        conv(cs, 1, 1, 3, 1, 0, true, 1, 5, 5);
        conv(cs, 3, 4, 3, 1, 1, true, 2, 7, 9);
        conv(cs, 3, 5, 3, 2, 1, false, 2, 8, 11);
        conv(cs, 2, 3, 3, 2, 0, true, 1, 9, 8);
        conv(cs, 2, 3, 3, 1, 2, false, 2, 6, 5);
        conv(cs, 2, 6, 5, 1, 2, true, 2, 10, 7);
        conv(cs, 4, 3, 5, 2, 2, false, 3, 11, 9);
        conv(cs, 2, 4, 5, 1, 0, true, 2, 12, 10);
        conv(cs, 3, 2, 5, 2, 1, true, 1, 13, 12);
        conv(cs, 6, 8, 1, 1, 0, true, 2, 5, 4);
        conv(cs, 3, 2, 1, 2, 0, false, 2, 7, 6);
        conv(cs, 3, 4, 1, 1, 1, true, 1, 4, 6);
        conv(cs, 16, 12, 3, 1, 1, true, 2, 12, 11);
        cs.add(layer("Conv2d 3->4 kernel (3,5) stride (1,2) padding (1,2)",
                () -> new Conv2d(3, 4, new int[] {3, 5}, new int[] {1, 2}, new int[] {1, 2}, true),
                torch("Conv2d", List.of(3, 4, List.of(3, 5)), "stride", List.of(1, 2), "padding", List.of(1, 2)),
                2, 3, 8, 9).tol(1e-4, 1e-5, true));

        // ---- pooling
        for (int[] shape : new int[][] {{2, 3, 8, 8}, {2, 3, 7, 9}}) {
            String s = " on " + Arrays.toString(shape);
            cs.add(layer("MaxPool2d k2 s2" + s, () -> new MaxPool2d(2, 2),
                    torch("MaxPool2d", List.of(2), "stride", 2), shape));
            cs.add(layer("MaxPool2d k3 s2 p1" + s, () -> new MaxPool2d(3, 2, 1),
                    torch("MaxPool2d", List.of(3), "stride", 2, "padding", 1), shape));
            cs.add(layer("MaxPool2d k3 s1" + s, () -> new MaxPool2d(3, 1),
                    torch("MaxPool2d", List.of(3), "stride", 1), shape));
            for (boolean include : new boolean[] {true, false}) {
                String flag = " count_include_pad=" + (include ? "True" : "False");
                cs.add(layer("AvgPool2d k2 s2" + flag + s, () -> avgPool(2, 2, 0, include),
                        torch("AvgPool2d", List.of(2), "stride", 2, "count_include_pad", include), shape));
                cs.add(layer("AvgPool2d k3 s2 p1" + flag + s, () -> avgPool(3, 2, 1, include),
                        torch("AvgPool2d", List.of(3), "stride", 2, "padding", 1, "count_include_pad", include),
                        shape));
                cs.add(layer("AvgPool2d k3 s1" + flag + s, () -> avgPool(3, 1, 0, include),
                        torch("AvgPool2d", List.of(3), "stride", 1, "count_include_pad", include), shape));
            }
        }
        cs.add(layer("AvgPool2d k3 s1 p1 count_include_pad=False", () -> avgPool(3, 1, 1, false),
                torch("AvgPool2d", List.of(3), "stride", 1, "padding", 1, "count_include_pad", false), 1, 2, 5, 6));

        // ---- batch norm: two training steps (running statistics), then evaluation
        cs.add(layer("BatchNorm1d (N,C) train, train, eval", () -> new BatchNorm1d(4),
                torch("BatchNorm1d", List.of(4)), 6, 4).steps("train", "train", "eval").input(shifted(1.5, 2.0)));
        cs.add(layer("BatchNorm1d (N,C,L) train, train, eval", () -> new BatchNorm1d(3),
                torch("BatchNorm1d", List.of(3)), 5, 3, 7).steps("train", "train", "eval").input(shifted(-1, 0.5)));
        cs.add(layer("BatchNorm1d eps 1e-3 momentum 0.3 train, train, eval", () -> new BatchNorm1d(5, 1e-3f, 0.3f),
                torch("BatchNorm1d", List.of(5), "eps", 1e-3, "momentum", 0.3), 3, 5).steps("train", "train", "eval"));
        cs.add(layer("BatchNorm2d train, train, eval", () -> new BatchNorm2d(3),
                torch("BatchNorm2d", List.of(3)), 4, 3, 5, 6).steps("train", "train", "eval").input(shifted(0.7, 3.0)));
        cs.add(layer("BatchNorm2d 16 channels train, train", () -> new BatchNorm2d(16),
                torch("BatchNorm2d", List.of(16)), 8, 16, 9, 7).steps("train", "train").input(shifted(0.3, 1.5))
                .tol(1e-4, 1e-5, true));
        cs.add(layer("BatchNorm1d eval with running statistics", () -> new BatchNorm1d(4),
                torch("BatchNorm1d", List.of(4)), 6, 4).steps("eval")
                .buffer("running_mean", (r, n) -> normal(r, n, 1.0))
                .buffer("running_var", (r, n) -> uniform(r, n, 0.3, 3)));
        cs.add(layer("BatchNorm2d eval with running statistics", () -> new BatchNorm2d(3),
                torch("BatchNorm2d", List.of(3)), 2, 3, 4, 5).steps("eval")
                .buffer("running_mean", (r, n) -> normal(r, n, 1.0))
                .buffer("running_var", (r, n) -> uniform(r, n, 0.3, 3)));

        // ---- dropout in evaluation mode is the identity
        cs.add(layer("Dropout(0.3) eval", () -> new Dropout(0.3f), torch("Dropout", List.of(0.3)), 4, 6).steps("eval"));
        cs.add(layer("Linear, Dropout(0.5) eval", () -> new Sequential(new Linear(6, 5), new Dropout(0.5f)),
                seq(torch("Linear", List.of(6, 5)), torch("Dropout", List.of(0.5))), 3, 6).steps("eval"));

        // ---- activations
        cs.add(layer("ReLU", ReLU::new, torch("ReLU", List.of()), 3, 7));
        cs.add(layer("LeakyReLU default slope", LeakyReLU::new, torch("LeakyReLU", List.of()), 3, 7));
        cs.add(layer("LeakyReLU 0.2", () -> new LeakyReLU(0.2f), torch("LeakyReLU", List.of(0.2)), 2, 3, 5));
        cs.add(layer("Sigmoid", Sigmoid::new, torch("Sigmoid", List.of()), 4, 9).input(scaled(4)));
        cs.add(layer("Tanh", Tanh::new, torch("Tanh", List.of()), 4, 9).input(scaled(3)));
        cs.add(layer("Softmax dim 1", () -> new Softmax(1), torch("Softmax", List.of(), "dim", 1), 4, 6)
                .input(scaled(3)));
        cs.add(layer("Softmax dim -1 on 3-D input", () -> new Softmax(-1), torch("Softmax", List.of(), "dim", -1),
                2, 3, 5).input(scaled(3)));
        cs.add(layer("Softmax dim 0", () -> new Softmax(0), torch("Softmax", List.of(), "dim", 0), 5, 3)
                .input(scaled(3)));
        cs.add(layer("Softmax of large logits", () -> new Softmax(1), torch("Softmax", List.of(), "dim", 1), 3, 4)
                .input(shifted(80, 20)));
        cs.add(layer("LogSoftmax dim 1", () -> new LogSoftmax(1), torch("LogSoftmax", List.of(), "dim", 1), 4, 6)
                .input(scaled(3)));
        cs.add(layer("LogSoftmax dim -1 on 3-D input", () -> new LogSoftmax(),
                torch("LogSoftmax", List.of(), "dim", -1), 2, 3, 5).input(scaled(3)));
        cs.add(layer("LogSoftmax of large logits", () -> new LogSoftmax(1), torch("LogSoftmax", List.of(), "dim", 1),
                3, 4).input(shifted(-60, 25)));

        // ---- losses, on the prediction directly (an empty model) unless composed
        for (Reduction red : Reduction.values()) {
            String r = " reduction=" + red;
            cs.add(loss("MSE" + r, m -> Loss.mse(red), lossSpec("MSELoss", red), 4, 3).target(DENSE, true));
            cs.add(loss("BCE soft targets" + r, m -> Loss.bce(red), lossSpec("BCELoss", red), 5, 3)
                    .input(TorchDifferentialTest::probabilities).target(SOFT_LABELS, true));
            cs.add(loss("BCEWithLogits" + r, m -> Loss.bceWithLogits(red), lossSpec("BCEWithLogitsLoss", red), 5, 3)
                    .input(scaled(3)).target(SOFT_LABELS, true));
            cs.add(loss("CrossEntropy class indices" + r, m -> Loss.crossEntropy(red),
                    lossSpec("CrossEntropyLoss", red), 6, 5).input(scaled(2)).target(CLASS_INDICES, false));
            cs.add(loss("CrossEntropy probability targets" + r, m -> Loss.crossEntropy(red),
                    lossSpec("CrossEntropyLoss", red), 6, 5).input(scaled(2)).target(PROBABILITY_ROWS, true));
            cs.add(loss("NLL" + r, m -> Loss.nll(red), lossSpec("NLLLoss", red), 6, 5)
                    .input(TorchDifferentialTest::logProbabilities).target(CLASS_INDICES, false));
        }
        cs.add(loss("BCE hard targets", m -> Loss.bce(), lossSpec("BCELoss", Reduction.MEAN), 8, 1)
                .input(TorchDifferentialTest::probabilities).target(HARD_LABELS, false));
        cs.add(loss("BCE saturated probabilities 0 and 1", m -> Loss.bce(), lossSpec("BCELoss", Reduction.MEAN),
                2, 4)
                .input((r, n) -> new float[] {0, 0, 1, 1, 0.5f, 1e-30f, 1 - 1e-7f, 0.25f})
                // no target gradient here: torch's is infinite at p = 0 or 1, ours uses the clamped logs (+-100)
                .target((r, s) -> new NamedArray("t", s, new float[] {0, 1, 0, 1, 1, 1, 0, 0}), false));
        cs.add(loss("CrossEntropy of extreme logits", m -> Loss.crossEntropy(),
                lossSpec("CrossEntropyLoss", Reduction.MEAN), 3, 4).input(scaled(500)).target(CLASS_INDICES, false));
        cs.add(loss("BCEWithLogits hard targets, large logits", m -> Loss.bceWithLogits(),
                lossSpec("BCEWithLogitsLoss", Reduction.MEAN), 8, 2).input(scaled(30)).target(HARD_LABELS, true));
        cs.add(loss("CrossEntropy one-hot targets", m -> Loss.crossEntropy(),
                lossSpec("CrossEntropyLoss", Reduction.MEAN), 7, 4).input(scaled(2)).target(ONE_HOT_ROWS, false));
        cs.add(loss("Sigmoid then BCE", m -> Loss.bce(), lossSpec("BCELoss", Reduction.MEAN), 6, 2)
                .model(Sigmoid::new, torch("Sigmoid", List.of())).input(scaled(3)).target(SOFT_LABELS, true));
        cs.add(loss("Sigmoid then BCE, saturated to exactly 0 and 1", m -> Loss.bce(),
                lossSpec("BCELoss", Reduction.MEAN), 2, 3).model(Sigmoid::new, torch("Sigmoid", List.of()))
                // probabilities that round to exactly 1 or 0 in float32 in both libraries
                .input((r, n) -> new float[] {20, -20, 100, -120, 25, -25})
                .target((r, s) -> new NamedArray("t", s, new float[] {1, 0, 0, 1, 0.5f, 0}), false));
        cs.add(loss("LogSoftmax then NLL", m -> Loss.nll(), lossSpec("NLLLoss", Reduction.MEAN), 6, 5)
                .model(() -> new LogSoftmax(1), torch("LogSoftmax", List.of(), "dim", 1)).input(scaled(3))
                .target(CLASS_INDICES, false));
        cs.add(loss("SSE vs half sum (t - o)^2", m -> Loss.sse(), Map.of("type", "sse"), 4, 3)
                .target(DENSE, true));
        cs.add(loss("SSE of a sigmoid layer", m -> Loss.sse(), Map.of("type", "sse"), 3, 2)
                .model(() -> new Sequential(new Linear(4, 2), new Sigmoid()),
                        seq(torch("Linear", List.of(4, 2)), torch("Sigmoid", List.of())))
                .inputShape(3, 4).target(SOFT_LABELS, true));
        cs.add(loss("hinge delta 1 vs explicit sum_{j!=y} max(0, s_j - s_y + 1), mean", m -> Loss.hinge(),
                hingeSpec(1, Reduction.MEAN), 6, 4).input(scaled(1.5)).target(CLASS_INDICES, false));
        cs.add(loss("hinge delta 0.5, sum", m -> Loss.hinge(0.5f, Reduction.SUM),
                hingeSpec(0.5, Reduction.SUM), 5, 3).input(scaled(1.5)).target(CLASS_INDICES, false));
        cs.add(loss("hinge delta 2, none", m -> Loss.hinge(2f, Reduction.NONE),
                hingeSpec(2, Reduction.NONE), 5, 6).input(scaled(1.5)).target(CLASS_INDICES, false));

        // ---- L2 regularisation: lambda * sum(w^2) over weight matrices and kernels only
        cs.add(loss("CrossEntropy + L2 1e-2 (Linear, BatchNorm1d, ReLU, Linear)",
                m -> Loss.crossEntropy().withL2(m, 1e-2f), lossSpec("CrossEntropyLoss", Reduction.MEAN), 6, 3)
                .model(() -> new Sequential(new Linear(5, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 3)),
                        seq(torch("Linear", List.of(5, 4)), torch("BatchNorm1d", List.of(4)), torch("ReLU", List.of()),
                                torch("Linear", List.of(4, 3))))
                .inputShape(6, 5).target(CLASS_INDICES, false).l2(1e-2, "0.weight", "3.weight"));
        cs.add(loss("hinge + L2 1e-3 (Conv2d, ReLU, Flatten, Linear)",
                m -> Loss.hinge(1f).withL2(m, 1e-3f), hingeSpec(1, Reduction.MEAN), 4, 5)
                .model(() -> new Sequential(new Conv2d(2, 3, 3), new ReLU(), new Flatten(), new Linear(48, 5)),
                        seq(torch("Conv2d", List.of(2, 3, 3)), torch("ReLU", List.of()), torch("Flatten", List.of()),
                                torch("Linear", List.of(48, 5))))
                .inputShape(4, 2, 6, 6).target(CLASS_INDICES, false).l2(1e-3, "0.weight", "3.weight"));
        cs.add(loss("MSE + L2 0.5 (Linear without bias, Tanh, Linear)", m -> Loss.mse().withL2(m, 0.5f),
                lossSpec("MSELoss", Reduction.MEAN), 3, 2)
                .model(() -> new Sequential(new Linear(3, 4, false), new Tanh(), new Linear(4, 2)),
                        seq(torch("Linear", List.of(3, 4), "bias", false), torch("Tanh", List.of()),
                                torch("Linear", List.of(4, 2))))
                .inputShape(3, 3).target(DENSE, false).l2(0.5, "0.weight", "2.weight"));

        // ---- LeNet-5, a batch of 8 images, cross-entropy
        cs.add(loss("LeNet-5 forward and backward, batch of 8 28x28 images", m -> Loss.crossEntropy(),
                lossSpec("CrossEntropyLoss", Reduction.MEAN), 8, 10)
                .model(NnChecks::lenet, seq(
                        torch("Conv2d", List.of(1, 6, 5), "stride", 1, "padding", 2), torch("ReLU", List.of()),
                        torch("MaxPool2d", List.of(2)),
                        torch("Conv2d", List.of(6, 16, 5)), torch("ReLU", List.of()), torch("MaxPool2d", List.of(2)),
                        torch("Flatten", List.of()),
                        torch("Linear", List.of(400, 120)), torch("ReLU", List.of()),
                        torch("Linear", List.of(120, 84)), torch("ReLU", List.of()),
                        torch("Linear", List.of(84, 10))))
                .inputShape(8, 1, 28, 28).input((r, n) -> uniform(r, n, 0, 1)).target(CLASS_INDICES, false)
                .tol(1e-4, 1e-7, true)); // its gradients are of order 1e-3 to 1e-1: a tighter floor

        return cs;
    }

    /** A convolution case on a batch of {@code n} inputs of {@code h x w} pixels. */
    private static void conv(List<Case> cs, int in, int out, int k, int stride, int padding, boolean bias,
                             int n, int h, int w) {
        int[] shape = {n, in, h, w};
        String name = String.format(Locale.ROOT, "Conv2d %d->%d k%d s%d p%d %s on %s", in, out, k, stride, padding,
                bias ? "bias" : "no bias", Arrays.toString(shape));
        cs.add(layer(name, () -> new Conv2d(in, out, k, stride, padding, bias),
                torch("Conv2d", List.of(in, out, k), "stride", stride, "padding", padding, "bias", bias), shape)
                .tol(1e-4, 1e-5, true));
    }

    private static AvgPool2d avgPool(int k, int s, int p, boolean countIncludePad) {
        return new AvgPool2d(new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, countIncludePad);
    }

    // ================================================================ case description

    /** Values for a tensor of {@code n} elements. */
    interface Gen {
        float[] values(Random r, int n);
    }

    /** A target for a prediction of shape (N, C) (or any shape for elementwise losses). */
    interface TargetGen {
        NamedArray target(Random r, int[] predictionShape);
    }

    static final TargetGen DENSE = (r, s) -> new NamedArray("t", s, normal(r, numel(s), 1));
    static final TargetGen SOFT_LABELS = (r, s) -> new NamedArray("t", s, uniform(r, numel(s), 0, 1));
    static final TargetGen HARD_LABELS = (r, s) -> {
        float[] v = new float[numel(s)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextBoolean() ? 1f : 0f;
        }
        return new NamedArray("t", s, v);
    };
    static final TargetGen CLASS_INDICES = (r, s) -> {
        float[] v = new float[s[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(s[1]);
        }
        return new NamedArray("t", new int[] {s[0]}, v);
    };
    static final TargetGen ONE_HOT_ROWS = (r, s) -> {
        float[] v = new float[numel(s)];
        for (int i = 0; i < s[0]; i++) {
            v[i * s[1] + r.nextInt(s[1])] = 1f;
        }
        return new NamedArray("t", s, v);
    };
    static final TargetGen PROBABILITY_ROWS =
            (r, s) -> new NamedArray("t", s, softmaxRows(normal(r, numel(s), 1.5), s[1], false));

    /** One comparison: a model, the steps that run it, and what is differentiated. */
    static final class Case {
        final String name;
        Supplier<Module> model;
        Map<String, Object> torchModel;
        int[] inputShape;
        List<String> modes = List.of("train");
        Gen input = scaled(1);
        final Map<String, Gen> buffers = new LinkedHashMap<>();
        // the head: a projection when loss is null
        Function<Module, Loss> loss;
        Map<String, Object> torchLoss;
        Reduction reduction;
        TargetGen target;
        boolean indexTarget;
        boolean targetGrad;
        Map<String, Object> l2;
        // tolerance
        double rtol = RTOL;
        double atol = ATOL;
        boolean scaleAtol;
        // generated inputs, weights and projections, by key (param/NAME, buffer/NAME, xK, gyK, tK, glK)
        final Map<String, NamedArray> data = new LinkedHashMap<>();

        Case(String name) {
            this.name = name;
        }

        Case steps(String... modes) {
            this.modes = List.of(modes);
            return this;
        }

        Case input(Gen gen) {
            this.input = gen;
            return this;
        }

        Case inputShape(int... shape) {
            this.inputShape = shape;
            return this;
        }

        Case model(Supplier<Module> ours, Map<String, Object> theirs) {
            this.model = ours;
            this.torchModel = theirs;
            return this;
        }

        Case buffer(String name, Gen gen) {
            buffers.put(name, gen);
            return this;
        }

        Case target(TargetGen gen, boolean withGradient) {
            this.target = gen;
            this.targetGrad = withGradient;
            this.indexTarget = gen == CLASS_INDICES;
            return this;
        }

        Case l2(double lambda, String... names) {
            l2 = new LinkedHashMap<>();
            l2.put("lambda", lambda);
            l2.put("names", List.of(names));
            return this;
        }

        /**
         * Tolerances: {@code |ours - torch| <= atol' + rtol * |torch|} with {@code atol' = atol}, or, when
         * {@code scaleAtol}, {@code atol' = atol * max(1, max |torch|)} over the compared tensor, for
         * results that are long sums whose terms are as large as the tensor's largest entries.
         */
        Case tol(double rtol, double atol, boolean scaleAtol) {
            this.rtol = rtol;
            this.atol = atol;
            this.scaleAtol = scaleAtol;
            return this;
        }

        /** Draws every input from a generator seeded by the case name. */
        void prepare() {
            Random r = new Random(name.hashCode());
            Module m = model.get();
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                int[] shape = e.getValue().shape();
                float[] v;
                if (shape.length >= 2) {
                    int fanIn = numel(shape) / shape[0];
                    double bound = 1 / Math.sqrt(fanIn);
                    v = uniform(r, numel(shape), -bound, bound);
                } else if (e.getKey().endsWith("weight")) { // a batch-norm scale: keep it away from 0
                    v = uniform(r, numel(shape), 0.5, 1.5);
                } else {
                    v = uniform(r, numel(shape), -0.5, 0.5);
                }
                put("param/" + e.getKey(), shape, v);
            }
            Map<String, Tensor> ownBuffers = m.namedBuffers();
            for (Map.Entry<String, Gen> e : buffers.entrySet()) {
                for (Map.Entry<String, Tensor> b : ownBuffers.entrySet()) {
                    if (b.getKey().equals(e.getKey()) || b.getKey().endsWith("." + e.getKey())) {
                        int[] shape = b.getValue().shape();
                        put("buffer/" + b.getKey(), shape, e.getValue().values(r, numel(shape)));
                    }
                }
            }
            int[] outShape = m.outputShape(inputShape);
            for (int k = 0; k < modes.size(); k++) {
                put("x" + k, inputShape, input.values(r, numel(inputShape)));
                if (loss == null) {
                    put("gy" + k, outShape, normal(r, numel(outShape), 1));
                } else {
                    NamedArray t = target.target(r, outShape);
                    put("t" + k, t.shape(), t.data());
                    if (reduction == Reduction.NONE) {
                        boolean perSample = Arrays.asList("CrossEntropyLoss", "NLLLoss", "hinge")
                                .contains((String) torchLoss.get("type"));
                        int[] lossShape = perSample ? new int[] {outShape[0]} : outShape;
                        put("gl" + k, lossShape, normal(r, numel(lossShape), 1));
                    }
                }
            }
        }

        private void put(String key, int[] shape, float[] values) {
            data.put(key, new NamedArray(key, shape, values));
        }

        private Tensor tensor(String key) {
            NamedArray a = data.get(key);
            return Tensor.fromArray(a.data().clone(), a.shape());
        }

        Map<String, Object> manifest() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("model", torchModel);
            List<Object> steps = new ArrayList<>();
            for (String mode : modes) {
                steps.add(Map.of("mode", mode));
            }
            m.put("steps", steps);
            Map<String, Object> head = new LinkedHashMap<>();
            if (loss == null) {
                head.put("kind", "project");
            } else {
                head.put("kind", "loss");
                head.put("loss", torchLoss);
                head.put("target", indexTarget ? "index" : "dense");
                head.put("target_grad", targetGrad);
                if (l2 != null) {
                    head.put("l2", l2);
                }
            }
            m.put("head", head);
            return m;
        }

        /** Runs the case in vectorgrad on the current backend; keys as the Python side names them. */
        Map<String, NamedArray> runOurs() {
            Module m = model.get();
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (Map.Entry<String, NamedArray> e : data.entrySet()) {
                if (e.getKey().startsWith("param/") || e.getKey().startsWith("buffer/")) {
                    state.put(e.getKey().substring(e.getKey().indexOf('/') + 1), tensor(e.getKey()));
                }
            }
            m.loadStateDict(state, false);
            Loss objective = loss == null ? null : loss.apply(m);
            Map<String, Tensor> out = new LinkedHashMap<>();
            List<Tensor> xs = new ArrayList<>();
            Map<Integer, Tensor> ts = new LinkedHashMap<>();
            Tensor total = null;
            for (int k = 0; k < modes.size(); k++) {
                m.train(modes.get(k).equals("train"));
                Tensor x = tensor("x" + k).requiresGrad();
                xs.add(x);
                Tensor y = m.forward(x);
                out.put("y" + k, y);
                Tensor term;
                if (objective == null) {
                    term = y.mul(tensor("gy" + k)).sum();
                } else {
                    Tensor t = tensor("t" + k);
                    if (targetGrad) {
                        t.requiresGrad();
                        ts.put(k, t);
                    }
                    Tensor l = objective.apply(y, t);
                    out.put("loss" + k, l);
                    term = reduction == Reduction.NONE ? l.mul(tensor("gl" + k)).sum() : l;
                }
                total = total == null ? term : total.add(term);
            }
            total.backward();
            for (int k = 0; k < xs.size(); k++) {
                out.put("grad/x" + k, gradOrZeros(xs.get(k)));
            }
            for (Map.Entry<Integer, Tensor> e : ts.entrySet()) {
                out.put("grad/t" + e.getKey(), gradOrZeros(e.getValue()));
            }
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                out.put("grad/param/" + e.getKey(), gradOrZeros(e.getValue().value()));
            }
            for (Map.Entry<String, Tensor> e : m.namedBuffers().entrySet()) {
                out.put("buffer/" + e.getKey(), e.getValue());
            }
            Map<String, NamedArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : out.entrySet()) {
                arrays.put(e.getKey(), new NamedArray(e.getKey(), e.getValue().shape(), e.getValue().toArray()));
            }
            return arrays;
        }

        private static Tensor gradOrZeros(Tensor t) {
            return t.grad() != null ? t.grad() : Tensor.zeros(t.shape());
        }
    }

    private static Case layer(String name, Supplier<Module> ours, Map<String, Object> theirs, int... inputShape) {
        return new Case(name).model(ours, theirs).inputShape(inputShape);
    }

    private static Case loss(String name, Function<Module, Loss> ours, Map<String, Object> theirs,
                             int... predictionShape) {
        Case c = new Case(name).model(Sequential::new, seq()).inputShape(predictionShape);
        c.loss = ours;
        c.torchLoss = theirs;
        Object red = theirs.get("reduction");
        c.reduction = red == null ? Reduction.SUM : Reduction.valueOf(((String) red).toUpperCase(Locale.ROOT));
        return c;
    }

    /** A torch.nn module: positional arguments, then keyword arguments as name, value pairs. */
    private static Map<String, Object> torch(String type, List<?> args, Object... kwargs) {
        Map<String, Object> kw = new LinkedHashMap<>();
        for (int i = 0; i < kwargs.length; i += 2) {
            kw.put((String) kwargs[i], kwargs[i + 1]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("args", args);
        m.put("kwargs", kw);
        return m;
    }

    @SafeVarargs
    private static Map<String, Object> seq(Map<String, Object>... children) {
        return Map.of("type", "Sequential", "children", List.of(children));
    }

    private static Map<String, Object> lossSpec(String type, Reduction reduction) {
        return Map.of("type", type, "reduction", reduction.toString());
    }

    private static Map<String, Object> hingeSpec(double delta, Reduction reduction) {
        return Map.of("type", "hinge", "delta", delta, "reduction", reduction.toString());
    }

    // ================================================================ comparison

    private static void compare(Case c, Map<String, NamedArray> ours, Map<String, NamedArray> theirs) {
        assertEquals(new TreeSet<>(theirs.keySet()), new TreeSet<>(ours.keySet()),
                "results computed by torch and by us");
        StringBuilder problems = new StringBuilder();
        for (Map.Entry<String, NamedArray> e : theirs.entrySet()) {
            NamedArray want = e.getValue();
            NamedArray got = ours.get(e.getKey());
            assertArrayEquals(want.shape(), got.shape(), () -> e.getKey() + ": shape");
            float[] w = want.data();
            float[] g = got.data();
            double maxAbs = 0;
            for (float v : w) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            double atol = c.scaleAtol ? c.atol * Math.max(1, maxAbs) : c.atol;
            int worst = -1;
            double worstExcess = 0;
            for (int i = 0; i < w.length; i++) {
                double err = Math.abs((double) g[i] - w[i]);
                double allowed = atol + c.rtol * Math.abs(w[i]);
                if (!(err <= allowed) && (Float.isNaN(g[i]) || err - allowed > worstExcess || worst < 0)) {
                    worst = i;
                    worstExcess = Float.isNaN(g[i]) ? Double.POSITIVE_INFINITY : err - allowed;
                }
            }
            if (worst >= 0) {
                problems.append(String.format(Locale.ROOT, "%n  %s %s: element %d is %s here but %s in torch"
                                + " (|difference| %.3g > atol %.3g + rtol %.3g * |torch|)", e.getKey(),
                        NamedArray.shapeString(want.shape()), worst, g[worst], w[worst],
                        Math.abs((double) g[worst] - w[worst]), atol, c.rtol));
            }
        }
        if (!problems.isEmpty()) {
            fail(c.name + ": vectorgrad and torch disagree:" + problems);
        }
    }

    // ================================================================ random values

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static float[] normal(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    static float[] uniform(Random r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    static Gen scaled(double scale) {
        return (r, n) -> normal(r, n, scale);
    }

    static Gen shifted(double mean, double scale) {
        return (r, n) -> {
            float[] v = normal(r, n, scale);
            for (int i = 0; i < n; i++) {
                v[i] += (float) mean;
            }
            return v;
        };
    }

    static float[] probabilities(Random r, int n) {
        return uniform(r, n, 0.02, 0.98);
    }

    /** Rows of log-probabilities over the last dimension, with 5 classes (the NLL cases' width). */
    static float[] logProbabilities(Random r, int n) {
        return softmaxRows(normal(r, n, 2), 5, true);
    }

    static float[] softmaxRows(float[] logits, int width, boolean log) {
        float[] out = new float[logits.length];
        for (int row = 0; row < logits.length; row += width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, logits[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += Math.exp(logits[row + j] - max);
            }
            for (int j = 0; j < width; j++) {
                double z = logits[row + j] - max;
                out[row + j] = (float) (log ? z - Math.log(sum) : Math.exp(z) / sum);
            }
        }
        return out;
    }
}
