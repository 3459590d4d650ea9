package dev.vectorgrad.tensor;

/**
 * The project's own seedable random number generator: xoshiro256** seeded through SplitMix64, with
 * normal deviates from Marsaglia's polar method.
 *
 * <p>Random tensors are always generated here, on the host, in row-major order, never by a backend:
 * the same seed gives the same numbers on every run, JVM, operating system and backend (scalar,
 * SIMD or GPU). The sequence is part of the project's contract; tests pin its first values.
 *
 * <pre>{@code
 * Rng.seed(0);                          // reseeds the global generator (torch.manual_seed)
 * Tensor w = Tensor.randn(3, 4);        // from the global generator
 * Rng rng = new Rng(7);
 * Tensor x = Tensor.rand(rng, 2, 2);    // from an explicit one
 * Rng child = rng.split();              // an independent stream, e.g. one per data-loader worker
 * }</pre>
 *
 * <p>Methods are synchronized, so one generator may be shared by threads (the order in which
 * threads draw is then, of course, theirs).
 */
public final class Rng {

    /** Seed of the global generator until {@link #seed(long)} is called. */
    public static final long DEFAULT_SEED = 42L;

    private static final Rng GLOBAL = new Rng(DEFAULT_SEED);

    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private long initialSeed;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        setSeed(seed);
    }

    /** The generator that {@code Tensor.rand/randn/uniform} without an explicit {@code Rng} use. */
    public static Rng global() {
        return GLOBAL;
    }

    /** Reseeds the global generator. */
    public static void seed(long seed) {
        GLOBAL.setSeed(seed);
    }

    /** Alias of {@link #seed(long)}, under PyTorch's name. */
    public static void manualSeed(long seed) {
        seed(seed);
    }

    /** Restarts this generator from {@code seed}, as if it had just been created with it. */
    public synchronized void setSeed(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
        initialSeed = seed;
        hasSpare = false;
    }

    /**
     * The generator's whole state, to give back to {@link #setState(long[])} later: what follows is then drawn
     * again, number for number (PyTorch's {@code get_rng_state}).
     */
    public synchronized long[] getState() {
        return new long[] {s0, s1, s2, s3, initialSeed, Double.doubleToRawLongBits(spareGaussian), hasSpare ? 1 : 0};
    }

    /**
     * Puts back a state from {@link #getState()} (PyTorch's {@code set_rng_state}).
     *
     * @throws IllegalArgumentException if {@code state} is not one {@code getState} returned
     */
    public synchronized void setState(long[] state) {
        java.util.Objects.requireNonNull(state, "setState: state is null");
        if (state.length != 7 || (state[6] != 0 && state[6] != 1) || (state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("setState: not a state from Rng.getState() (7 numbers, a non-zero "
                    + "generator state, a 0/1 flag last), got " + java.util.Arrays.toString(state));
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        initialSeed = state[4];
        spareGaussian = Double.longBitsToDouble(state[5]);
        hasSpare = state[6] == 1;
    }

    /** The seed this generator was created with or last reset to. */
    public synchronized long initialSeed() {
        return initialSeed;
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 uniformly distributed bits. */
    public synchronized long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in {@code [0, 1)} with 24 random bits (every float32 multiple of 2^-24). */
    public synchronized float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public synchronized double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [0, bound)}, without modulo bias. */
    public synchronized int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be > 0, got " + bound);
        }
        // Rejection sampling on 31-bit draws: the last incomplete block of size bound is refused.
        while (true) {
            int bits = (int) (nextLong() >>> 33);
            int value = bits % bound;
            if (bits - value + (bound - 1) >= 0) {
                return value;
            }
        }
    }

    /** A standard normal deviate (mean 0, standard deviation 1), Marsaglia's polar method. */
    public synchronized double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * factor;
        hasSpare = true;
        return u * factor;
    }

    /**
     * A new generator with its own stream, seeded from this one (which advances by one draw). Splitting
     * the same generator at the same point always gives the same child.
     */
    public synchronized Rng split() {
        return new Rng(nextLong());
    }

    /** Alias of {@link #split()}. */
    public Rng fork() {
        return split();
    }

    /** {@code n} uniform floats in {@code [0, 1)}. */
    public synchronized float[] floats(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = nextFloat();
        }
        return out;
    }

    /** {@code n} uniform floats in {@code [lo, hi)}. */
    public synchronized float[] uniform(int n, float lo, float hi) {
        if (!(lo <= hi) || !Float.isFinite(lo) || !Float.isFinite(hi)) {
            throw new IllegalArgumentException("uniform: need finite lo <= hi, got lo=" + lo + ", hi=" + hi);
        }
        float[] out = new float[n];
        float width = hi - lo;
        for (int i = 0; i < n; i++) {
            float v = lo + width * nextFloat();
            // Rounding can land exactly on hi; the interval is half-open.
            out[i] = v < hi ? v : Math.nextDown(hi) < lo ? lo : Math.nextDown(hi);
        }
        return out;
    }

    /** {@code n} standard normal floats. */
    public synchronized float[] gaussians(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) nextGaussian();
        }
        return out;
    }

    /** A uniformly random permutation of {@code 0 .. n-1} (Fisher-Yates). */
    public synchronized int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must be >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /** Shuffles {@code values} in place (Fisher-Yates). */
    public synchronized void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    @Override
    public String toString() {
        return "Rng(seed=" + initialSeed + ")";
    }
}
