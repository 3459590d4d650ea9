package dev.vectorgrad.bench;

import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.scalar.ScalarGemm;
import dev.vectorgrad.backend.simd.SimdGemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square SGEMM {@code C = A * B} (N x N, float32, beta = 0), time per operation; GFLOP/s = 2 N^3 / time.
 * <ul>
 *   <li>{@code scalar}: the reference triple loop ({@code ScalarGemm});</li>
 *   <li>{@code simd1}: {@code SimdGemm} with {@code Parallel.setThreads(1)};</li>
 *   <li>{@code simdAll}: {@code SimdGemm} on every pool thread.</li>
 * </ul>
 * The scalar loop needs minutes at N = 2048, so it is skipped (the trial fails with a message saying so)
 * above {@code scalarMaxN}; pass {@code -p scalarMaxN=2048} to include it. Compare with
 * {@code bench/peers/numpy_gemm.py}, run in the same session, for the OpenBLAS ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBench {

    /** Name of the size parameter (the field below), as plans and reports refer to it. */
    static final String SIZE = "n";

    @Param({"64", "128", "256", "512", "1024", "2048"})
    public int n;

    @Param({"scalar", "simd1", "simdAll"})
    public String impl;

    /** Largest N the scalar reference is run at. */
    @Param({"512"})
    public int scalarMaxN;

    private float[] a;
    private float[] b;
    private float[] c;
    private int savedThreads;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("scalar") && n > scalarMaxN) {
            throw new IllegalStateException("skipped: scalar at N=" + n + " is above scalarMaxN=" + scalarMaxN
                    + " (pass -p scalarMaxN=" + n + " to run it)");
        }
        savedThreads = Parallel.threads();
        switch (impl) {
            case "scalar", "simd1" -> Parallel.setThreads(1);
            case "simdAll" -> Parallel.setThreads(Parallel.maxThreads());
            default -> throw new IllegalArgumentException("impl must be scalar, simd1 or simdAll: " + impl);
        }
        SplittableRandom rnd = new SplittableRandom(n);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() - 0.5);
            b[i] = (float) (rnd.nextDouble() - 0.5);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public float[] gemm() {
        if (impl.equals("scalar")) {
            ScalarGemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        } else {
            SimdGemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        }
        return c;
    }
}
