package dev.vectorgrad.backend.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector Adam and SGD steps against the Backend's plain-loop specification: the same floats, bit for bit. */
class SimdOptimTest {

    @Test
    void adamStepMatchesThePlainLoopBitForBit() {
        Backend spec = Backends.scalar();
        Backend simd = Backends.get("simd");
        Random r = new Random(7);
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        for (int n : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 3 * lanes + 5, 61706}) {
            for (int off : new int[] {0, 3}) {
                float[][] a = state(r, n + off);
                float[][] b = {a[0].clone(), a[1].clone(), a[2].clone(), a[3].clone()};
                for (int step = 1; step <= 3; step++) {
                    float negStep = (float) -(1e-3 / (1 - Math.pow(0.9, step)));
                    float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999, step));
                    spec.adamStep(n, a[0], off, a[1], off, a[2], off, a[3], off, 0.9f, (float) (1 - 0.9), 0.999f,
                            (float) (1 - 0.999), negStep, bias2Sqrt, 1e-8f);
                    simd.adamStep(n, b[0], off, b[1], off, b[2], off, b[3], off, 0.9f, (float) (1 - 0.9), 0.999f,
                            (float) (1 - 0.999), negStep, bias2Sqrt, 1e-8f);
                }
                for (int k = 0; k < 4; k++) {
                    assertArrayEquals(a[k], b[k], "array " + k + " at n=" + n + ", offset " + off);
                }
            }
        }
    }

    @Test
    void sgdStepMatchesThePlainLoopBitForBitWithEveryOption() {
        Backend spec = Backends.scalar();
        Backend simd = Backends.get("simd");
        Random r = new Random(11);
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        // {weight decay, momentum, dampening, nesterov}: plain, decay only, heavy ball, dampened, Nesterov.
        float[][] options = {{0, 0, 0, 0}, {5e-4f, 0, 0, 0}, {0, 0.9f, 0, 0}, {1e-2f, 0.9f, 0.1f, 0}, {1e-3f, 0.8f, 0, 1}};
        for (float[] o : options) {
            boolean momentum = o[1] != 0;
            for (int n : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 3 * lanes + 5, 101770}) {
                for (int off : new int[] {0, 5}) {
                    float[][] a = state(r, n + off);
                    float[][] b = {a[0].clone(), a[1].clone(), a[2].clone()};
                    for (int step = 1; step <= 3; step++) {
                        spec.sgdStep(n, a[0], off, a[1], off, momentum ? a[2] : null, off, -0.1f, o[0], o[1],
                                1 - o[2], o[3] != 0, step == 1);
                        simd.sgdStep(n, b[0], off, b[1], off, momentum ? b[2] : null, off, -0.1f, o[0], o[1],
                                1 - o[2], o[3] != 0, step == 1);
                    }
                    String where = " at n=" + n + ", offset " + off + ", options " + java.util.Arrays.toString(o);
                    assertArrayEquals(a[0], b[0], "weights" + where);
                    assertArrayEquals(a[2], b[2], "momentum buffer" + where);
                }
            }
        }
    }

    /** Weights, gradients (some zero, some large), and non-negative second moments. */
    private static float[][] state(Random r, int size) {
        float[] w = new float[size];
        float[] g = new float[size];
        float[] m = new float[size];
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            w[i] = (float) r.nextGaussian();
            g[i] = i % 7 == 0 ? 0f : (float) (r.nextGaussian() * (i % 5 == 0 ? 100 : 0.01));
            m[i] = (float) (r.nextGaussian() * 0.01);
            v[i] = (float) Math.abs(r.nextGaussian() * 1e-4);
        }
        return new float[][] {w, g, m, v};
    }
}
