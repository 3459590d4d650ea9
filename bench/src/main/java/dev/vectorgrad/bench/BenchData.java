package dev.vectorgrad.bench;

import java.util.SplittableRandom;

/** Seeded input data for the benchmarks, so every run measures the same numbers. */
final class BenchData {

    /** The seed every benchmark derives its inputs from. */
    static final long SEED = 20240601L;

    private BenchData() {
    }

    /** {@code n} floats uniform in {@code [-scale, scale)}, reproducible from {@code seed}. */
    static float[] uniform(int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    static float[] uniform(int n, long seed) {
        return uniform(n, seed, 1f);
    }
}
