package dev.vectorgrad.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.nn.AvgPool2d;
import dev.vectorgrad.nn.BatchNorm2d;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Dropout;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Sigmoid;
import dev.vectorgrad.nn.Tanh;
import dev.vectorgrad.optim.Adam;
import dev.vectorgrad.optim.Optimizer;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SIMD kernel must be compilable by C1 with full profiling (tier 3). HotSpot compiles a hot method with
 * C1 first and promotes it to C2 from the profile that code gathers; C1 does not intrinsify the Vector API, it
 * inlines the API's Java fallbacks, and a kernel with many live vectors can exhaust C1's virtual registers
 * ("COMPILE SKIPPED: out of virtual registers"). Such a method is left in tier-2 code, gathers no profile and
 * may never reach C2: it then runs the scalar fallbacks (objects per lane, ~100x slower) for the whole run.
 * This happened to a four-row masked GEMM tile and made MLP training 1.5x slower.
 *
 * <p>Child JVMs run (1) a training step of small CNN and MLP models and GEMMs of ragged shapes with every
 * method of {@code dev.vectorgrad} compiled at first call by C1 with profiling ({@code -Xcomp
 * -XX:TieredStopAtLevel=3}), and (2) MLP training steps at normal thresholds, which is where the
 * on-stack-replacement compiles of long loops happen; neither compilation log may show a skipped or failed
 * compile of our code. Only the SIMD species of the machine running the tests is checked.
 */
class JitHealthTest {

    @Test
    void everyKernelCompilesWithC1ProfilingAtFirstCall(@TempDir Path dir) throws IOException, InterruptedException {
        List<String> log = runProbe(dir, List.of("-Xcomp", "-XX:TieredStopAtLevel=3", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=compileonly,dev.vectorgrad.*::*"));
        long kernels = log.stream().filter(l -> l.contains("dev.vectorgrad.backend.simd.")).count();
        assertTrue(kernels > 50, "expected the SIMD kernels in the compilation log, found " + kernels + " lines");
        assertNoFailedCompiles(log);
    }

    /** Normal thresholds: the on-stack-replacement compiles of long kernel loops (the four-row tile failed there). */
    @Test
    void trainingLoopKernelsCompileAtNormalThresholds(@TempDir Path dir) throws IOException, InterruptedException {
        assertNoFailedCompiles(runProbe(dir, List.of(), "train", "300"));
    }

    private static List<String> runProbe(Path dir, List<String> flags, String... args)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-XX:+PrintCompilation", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("compilation.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "probe JVM did not finish");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "probe failed:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        // The JIT's log shares the stream, so the line may carry part of a compilation record too.
        assertTrue(lines.stream().anyMatch(l -> l.contains(Probe.DONE)), "probe did not finish its work");
        return lines;
    }

    private static void assertNoFailedCompiles(List<String> log) {
        List<String> bad = log.stream()
                .filter(l -> l.contains("dev.vectorgrad."))
                .filter(l -> l.contains("COMPILE SKIPPED") || l.contains("COMPILE FAILED")
                        || l.contains("not compilable"))
                .toList();
        assertTrue(bad.isEmpty(), "C1 could not compile these methods (split them into smaller ones):\n"
                + String.join("\n", bad));
    }

    /** The child JVM's work: one pass over the kernels a training run reaches, plus ragged GEMMs. */
    public static final class Probe {
        static final String DONE = "probe done";

        public static void main(String[] args) {
            if (!Backends.current().name().equals("simd")) {
                throw new IllegalStateException("expected the simd backend, got " + Backends.current().name());
            }
            Rng.seed(1);
            if (args.length > 0 && args[0].equals("train")) {
                // Fashion-MNIST-sized MLP steps at normal JIT thresholds: long enough loops for the
                // on-stack-replacement compiles a training run gets.
                Module mlp = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
                Optimizer sgd = new SGD(mlp.parameters(), 0.1);
                Tensor x = Tensor.randn(64, 1, 28, 28);
                for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                    train(mlp, sgd, x);
                }
                System.out.println(DONE);
                return;
            }
            Module cnn = new Sequential(
                    new Conv2d(1, 4, 5, 1, 2), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                    new Conv2d(4, 6, 3), new Tanh(), new AvgPool2d(2),
                    new Flatten(), new Dropout(0.25f), new Linear(6 * 3 * 3, 10));
            train(cnn, new Adam(cnn.parameters(), 1e-3), Tensor.randn(5, 1, 16, 16));
            Module mlp = new Sequential(new Flatten(), new Linear(37, 19), new Sigmoid(), new Linear(19, 10));
            train(mlp, new SGD(mlp.parameters(), 0.1, 0.9), Tensor.randn(9, 37));
            int[] sizes = {1, 3, 7, 9, 17, 33, 70, 130};
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : new int[] {1, 5, 64, 200}) {
                        for (int t = 0; t < 4; t++) {
                            gemm((t & 1) != 0, (t & 2) != 0, m, n, k);
                        }
                    }
                }
            }
            Tensor x = Tensor.randn(3, 17, 33);
            x.softmax(-1).logSoftmax(1).sum(0).mean();
            x.max(1).add(x.min(2).unsqueeze(1).sum()).std(0);
            x.exp().log().sqrt().abs().clamp(-1, 1).pow(2f).maximum(x.transpose(0, 1).transpose(0, 1));
            System.out.println(DONE);
        }

        private static void train(Module model, Optimizer opt, Tensor x) {
            int batch = x.size(0);
            float[] labels = new float[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = i % 10;
            }
            Tensor y = Tensor.of(labels);
            Loss loss = Loss.crossEntropy();
            for (int step = 0; step < 2; step++) {
                opt.zeroGrad();
                loss.apply(model.forward(x), y).backward();
                opt.step();
            }
        }

        private static void gemm(boolean ta, boolean tb, int m, int n, int k) {
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            float[] c = new float[m * n];
            SimdGemm.gemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.5f, c, 0, n);
        }
    }
}
