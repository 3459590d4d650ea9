package dev.vectorgrad.nn;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayersTest {

    private static final Rng RNG = new Rng(2024);

    // ================================================================ Linear

    @Test
    void linearIsXTimesWTransposedPlusB() {
        Linear lin = new Linear(3, 2);
        lin.loadStateDict(Map.of("weight", Tensor.of(new float[][] {{1, 2, 3}, {-1, 0, 1}}),
                "bias", Tensor.of(10, 20)));
        Tensor y = lin.forward(Tensor.of(new float[][] {{1, 1, 1}, {0, 1, 2}}));
        NnChecks.assertShape(y, 2, 2);
        NnChecks.assertClose(y, 0, 16, 20, 18, 22);
        // a single sample and extra batch dimensions
        NnChecks.assertClose(lin.forward(Tensor.of(1, 1, 1)), 0, 16, 20);
        NnChecks.assertShape(lin.forward(Tensor.zeros(4, 5, 3)), 4, 5, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> lin.forward(Tensor.zeros(2, 4)));
        assertEquals("Linear(in_features=3, out_features=2, bias=True): input (2,4) must end in 3 features",
                e.getMessage());
    }

    @Test
    void linearHandsTheTransposedWeightToGemmWithoutACopy() {
        Linear lin = new Linear(3, 2);
        lin.weight().value();
        List<Object[]> gemms = new ArrayList<>();
        int[] copies = {0};
        Backend inner = Backends.current();
        Backend spy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("gemm")) {
                        gemms.add(args);
                    } else if (method.getName().equals("copy")) {
                        copies[0]++;
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (var scope = Backends.use(spy)) {
            lin.forward(Tensor.randn(4, 3));
        }
        assertEquals(1, gemms.size());
        assertEquals(false, gemms.get(0)[0], "transA");
        assertEquals(true, gemms.get(0)[1], "transB: the weight goes in as stored, flagged transposed");
        assertEquals(0, copies[0], "copies");
    }

    // ================================================================ convolution and pooling

    /** Direct loops: out[n,k,i,j] = b[k] + sum_{c,u,v} x[n,c,i*s-p+u, j*s-p+v] w[k,c,u,v]. */
    private static float[] naiveConv(float[] x, int n, int c, int h, int w, float[] wt, int k, int kh, int kw,
                                     float[] b, int s, int p) {
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        float[] out = new float[n * k * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b[ik];
                        for (int ic = 0; ic < c; ic++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int y = i * s - p + u;
                                    int xx = j * s - p + v;
                                    if (y >= 0 && y < h && xx >= 0 && xx < w) {
                                        sum += x[((in * c + ic) * h + y) * w + xx] * wt[((ik * c + ic) * kh + u) * kw + v];
                                    }
                                }
                            }
                        }
                        out[((in * k + ik) * oh + i) * ow + j] = (float) sum;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void conv2dMatchesDirectLoops() {
        for (int[] cfg : new int[][] {{5, 1, 2}, {3, 2, 1}, {3, 1, 0}, {2, 2, 0}}) {
            int kernel = cfg[0];
            int stride = cfg[1];
            int padding = cfg[2];
            Conv2d conv = new Conv2d(3, 4, kernel, stride, padding);
            conv.resetParameters(RNG);
            Tensor x = Tensor.randn(RNG, 2, 3, 9, 8);
            Tensor y = conv.forward(x);
            int oh = (9 + 2 * padding - kernel) / stride + 1;
            int ow = (8 + 2 * padding - kernel) / stride + 1;
            NnChecks.assertShape(y, 2, 4, oh, ow);
            float[] expected = naiveConv(x.toArray(), 2, 3, 9, 8, conv.weight().value().toArray(), 4, kernel, kernel,
                    conv.bias().value().toArray(), stride, padding);
            NnChecks.assertClose(y, Tensor.fromArray(expected, 2, 4, oh, ow), 1e-4);
        }
        Conv2d noBias = new Conv2d(2, 3, 3, 1, 1, false);
        Tensor x = Tensor.randn(RNG, 1, 2, 5, 5);
        float[] expected = naiveConv(x.toArray(), 1, 2, 5, 5, noBias.weight().value().toArray(), 3, 3, 3, null, 1, 1);
        NnChecks.assertClose(noBias.forward(x), Tensor.fromArray(expected, 1, 3, 5, 5), 1e-4);
    }

    @Test
    void conv2dShapeErrorsNameTheLayer() {
        Conv2d conv = new Conv2d(1, 6, 5);
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 28, 28)));
        assertEquals("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1)): input must be 4-D (N, C, H, W), got (1,28,28);"
                + " add a batch dimension with unsqueeze(0)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 3, 28, 28)));
        assertTrue(e.getMessage().endsWith("input (1,3,28,28) has 3 channels, expected 1"), e.getMessage());
    }

    private static float[] naivePool(float[] x, int n, int c, int h, int w, int k, int s, int p, boolean max) {
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        float[] out = new float[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int y = i * s - p + u;
                            int xx = j * s - p + v;
                            if (y >= 0 && y < h && xx >= 0 && xx < w) {
                                float val = x[(plane * h + y) * w + xx];
                                acc = max ? Math.max(acc, val) : acc + val;
                            }
                        }
                    }
                    out[(plane * oh + i) * ow + j] = (float) (max ? acc : acc / (k * k));
                }
            }
        }
        return out;
    }

    @Test
    void poolingMatchesDirectLoops() {
        Tensor x = Tensor.randn(RNG, 2, 3, 7, 6);
        for (int[] cfg : new int[][] {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}}) {
            int k = cfg[0];
            int s = cfg[1];
            int p = cfg[2];
            int oh = (7 + 2 * p - k) / s + 1;
            int ow = (6 + 2 * p - k) / s + 1;
            NnChecks.assertClose(new MaxPool2d(k, s, p).forward(x),
                    Tensor.fromArray(naivePool(x.toArray(), 2, 3, 7, 6, k, s, p, true), 2, 3, oh, ow), 0);
            NnChecks.assertClose(new AvgPool2d(k, s, p).forward(x),
                    Tensor.fromArray(naivePool(x.toArray(), 2, 3, 7, 6, k, s, p, false), 2, 3, oh, ow), 1e-5);
        }
        Tensor g = new GlobalAvgPool2d().forward(x);
        NnChecks.assertShape(g, 2, 3, 1, 1);
        NnChecks.assertClose(g, x.mean(new int[] {2, 3}, true), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
    }

    @Test
    void flattenKeepsTheBatchDimension() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 2, 2);
        Tensor y = new Flatten().forward(x);
        NnChecks.assertShape(y, 2, 12);
        assertEquals(x.reshape(2, 12), y);
        NnChecks.assertShape(new Flatten(0, -1).forward(x), 24);
        NnChecks.assertShape(new Flatten(1, 2).forward(x), 2, 6, 2);
        assertEquals(List.of(2, 6, 2), java.util.Arrays.stream(new Flatten(1, 2).outputShape(new int[] {2, 3, 2, 2}))
                .boxed().toList());
    }

    // ================================================================ dropout

    @Test
    void dropoutZeroesTheRightFractionAndScalesTheRest() {
        float p = 0.3f;
        Dropout d = new Dropout(p, new Rng(11));
        Tensor x = Tensor.ones(1000, 100);
        float[] y = d.forward(x).toArray();
        float[] u = new Rng(11).floats(y.length); // the mask's draws, in row-major order
        int zeros = 0;
        for (int i = 0; i < y.length; i++) {
            if (u[i] < p) {
                assertEquals(0f, y[i]);
                zeros++;
            } else {
                assertEquals(1f / (1f - p), y[i]);
            }
        }
        assertEquals(p, zeros / (double) y.length, 0.005);
    }

    @Test
    void dropoutIsTheIdentityInEval() {
        Dropout d = new Dropout(0.5f);
        Tensor x = Tensor.randn(4, 4);
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0f).forward(x));
        NnChecks.assertClose(new Dropout(1f).forward(x), Tensor.zeros(4, 4), 0);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f));
    }

    @Test
    void dropoutUsesTheGlobalGeneratorByDefault() {
        Dropout d = new Dropout(0.5f);
        Tensor x = Tensor.ones(50);
        Rng.seed(5);
        Tensor a = d.forward(x);
        Rng.seed(5);
        assertEquals(a, d.forward(x));
    }

    // ================================================================ batch norm

    @Test
    void batchNormRunningStatisticsByHand() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x1 = Tensor.of(new float[][] {{1, 2}, {3, 6}, {5, 10}});
        // channel 0: mean 3, biased var 8/3, unbiased 4; channel 1: mean 6, biased 32/3, unbiased 16
        Tensor y1 = bn.forward(x1);
        double s0 = Math.sqrt(8.0 / 3 + 1e-5);
        double s1 = Math.sqrt(32.0 / 3 + 1e-5);
        NnChecks.assertClose(y1, 1e-5, -2 / s0, -4 / s1, 0, 0, 2 / s0, 4 / s1);
        NnChecks.assertClose(bn.runningMean(), 1e-6, 0.3, 0.6);
        NnChecks.assertClose(bn.runningVar(), 1e-6, 1.3, 2.5);

        // channel 0: mean 1, unbiased var 2; channel 1: mean 2, unbiased var 8
        bn.forward(Tensor.of(new float[][] {{0, 0}, {2, 4}}));
        NnChecks.assertClose(bn.runningMean(), 1e-6, 0.37, 0.74);
        NnChecks.assertClose(bn.runningVar(), 1e-6, 1.37, 3.05);
        assertEquals(2f, bn.numBatchesTracked().item());

        bn.eval();
        Tensor y = bn.forward(Tensor.of(new float[][] {{1, 1}}));
        NnChecks.assertClose(y, 1e-5, (1 - 0.37) / Math.sqrt(1.37 + 1e-5), (1 - 0.74) / Math.sqrt(3.05 + 1e-5));
        NnChecks.assertClose(bn.runningMean(), 1e-6, 0.37, 0.74); // eval leaves them alone
        assertEquals(2f, bn.numBatchesTracked().item());
    }

    @Test
    void batchNorm2dNormalisesEachChannelOverBatchAndSpace() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.weight().set(Tensor.of(1, 2, 3));
        bn.bias().set(Tensor.of(0, 1, -1));
        Tensor x = Tensor.randn(RNG, 4, 3, 5, 5).mul(3).add(2);
        Tensor y = bn.forward(x);
        for (int c = 0; c < 3; c++) {
            Tensor ch = y.select(1, c);
            assertEquals(c == 0 ? 0 : c == 1 ? 1 : -1, ch.mean().item(), 1e-4);
            assertEquals(c + 1, Math.sqrt(ch.var(new int[] {0, 1, 2}, false, false).item()), 1e-3);
            Tensor xc = x.select(1, c);
            double mean = xc.mean().item();
            double unbiased = xc.var(new int[] {0, 1, 2}, true, false).item();
            assertEquals(0.1 * mean, bn.runningMean().get(c), 1e-5);
            assertEquals(0.9 + 0.1 * unbiased, bn.runningVar().get(c), 1e-4);
        }
    }

    @Test
    void batchNormNeedsMoreThanOneValuePerChannelInTraining() {
        BatchNorm1d bn = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        assertEquals(0f, bn.numBatchesTracked().item());
        bn.eval();
        NnChecks.assertShape(bn.forward(Tensor.zeros(1, 3)), 1, 3);
    }

    @Test
    void batchNormWithoutRunningStatisticsAlwaysUsesTheBatch() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5f, 0.1f, false, false);
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new float[][] {{1}, {3}}));
        NnChecks.assertClose(y, 1e-4, -1, 1);
        assertEquals(0, bn.parameterCount());
        assertTrue(bn.stateDict().isEmpty());
    }

    // ================================================================ activations

    @Test
    void activations() {
        Tensor x = Tensor.of(-2, -0.5f, 0, 0.5f, 2);
        NnChecks.assertClose(new ReLU().forward(x), 0, 0, 0, 0, 0.5, 2);
        NnChecks.assertClose(new LeakyReLU().forward(x), 1e-7, -0.02, -0.005, 0, 0.5, 2);
        NnChecks.assertClose(new LeakyReLU(0.2f).forward(x), 1e-7, -0.4, -0.1, 0, 0.5, 2);
        double[] sig = new double[5];
        double[] tanh = new double[5];
        float[] xs = x.toArray();
        for (int i = 0; i < 5; i++) {
            sig[i] = 1 / (1 + Math.exp(-xs[i]));
            tanh[i] = Math.tanh(xs[i]);
        }
        NnChecks.assertClose(new Sigmoid().forward(x), 1e-6, sig);
        NnChecks.assertClose(new Tanh().forward(x), 1e-6, tanh);
        NnChecks.assertClose(new Step().forward(x), 0, 0, 0, 0, 1, 1);
    }

    @Test
    void softmaxAndLogSoftmax() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {1000, 1000, 1000}});
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        NnChecks.assertClose(new Softmax(1).forward(x), 1e-6,
                Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0);
        NnChecks.assertClose(new LogSoftmax(1).forward(x), 1e-5,
                1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z), -Math.log(3), -Math.log(3), -Math.log(3));
        NnChecks.assertClose(new Softmax().forward(x), new Softmax(1).forward(x), 0);
        NnChecks.assertClose(new Softmax(0).forward(Tensor.of(new float[][] {{0}, {0}})), 0, 0.5, 0.5);
        assertThrows(ShapeException.class, () -> new Softmax(2).outputShape(new int[] {2, 3}));
    }

    // ================================================================ lecture networks

    @Test
    void rob102TwoLayerNetworkScoresTheSlidesImage() {
        // ROB 102: f(X) = W2 max(W1 X + b1, 0) + b2 on the 4-pixel image, classes cat, dog, bird.
        Sequential net = new Sequential(new Linear(4, 4), new ReLU(), new Linear(4, 3));
        net.loadStateDict(Map.of(
                "0.weight", Tensor.of(new float[][] {{0.2f, -0.5f, 0.1f, 2.0f}, {-0.2f, 0.0f, 0.4f, 1.3f},
                        {1.1f, 0.7f, -0.9f, -0.2f}, {-1.9f, 1.0f, 0.9f, 2.1f}}),
                "0.bias", Tensor.of(9.1f, 7.3f, -27f, 2.1f),
                "2.weight", Tensor.of(new float[][] {{0.8f, 0.9f, 0.0f, 1.4f}, {0.3f, -0.3f, 2.2f, -1.2f},
                        {0.6f, 0.7f, -0.1f, -0.6f}}),
                "2.bias", Tensor.of(-32, 14, 19)));
        Tensor x = Tensor.of(56, 231, 24, 2);
        NnChecks.assertClose(net.get(1).forward(net.get(0).forward(x)), 1e-3, 0, 8.3, 174.3, 152.5);
        Tensor scores = net.forward(x);
        NnChecks.assertClose(scores, 2e-3, 188.97, 211.97, -84.12);
        assertEquals(1f, scores.argmax().item()); // dog
    }

    @Test
    void mazurBackpropExampleForwardPass() {
        // The backpropagation lecture: inputs 0.05, 0.10, logistic units, targets 0.01, 0.99.
        Sequential net = new Sequential(new Linear(2, 2), new Sigmoid(), new Linear(2, 2), new Sigmoid());
        net.loadStateDict(Map.of(
                "0.weight", Tensor.of(new float[][] {{0.15f, 0.20f}, {0.25f, 0.30f}}),
                "0.bias", Tensor.of(0.35f, 0.35f),
                "2.weight", Tensor.of(new float[][] {{0.40f, 0.45f}, {0.50f, 0.55f}}),
                "2.bias", Tensor.of(0.60f, 0.60f)));
        Tensor out = net.forward(Tensor.of(0.05f, 0.10f));
        NnChecks.assertClose(out, 1e-6, 0.75136507, 0.772928465);
        assertEquals(0.298371109, Loss.sse().apply(out, Tensor.of(0.01f, 0.99f)).item(), 1e-6);
    }
}
