package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;

import java.util.Objects;

/**
 * Small 2-D classification sets of the kind the TensorFlow Playground shows, generated in code:
 * {@link #circle circle}, {@link #xor XOR}, {@link #gaussian Gaussian blobs} (two or
 * {@linkplain #blobs k classes}) and {@link #spiral two spirals}.
 *
 * <pre>{@code
 * TensorDataset ds = Synthetic.circle(500, 0.1, new Rng(0));   // x (500,2), y (500) of 0/1
 * var quad = ds.transformed(Features.of("x^2", "y^2"));        // a linear model now separates it
 * }</pre>
 *
 * <p>Every set returns a {@link TensorDataset}: features {@code (n, 2)} (the point's x and y, about
 * within [-6, 6]) and labels {@code (n)} holding class indices 0, 1, ... as floats. Classes are as
 * balanced as {@code n} allows (sizes differ by at most one) and the samples come in random order, so
 * {@link Dataset#split(double)} is safe to use directly.
 *
 * <p>{@code noise} moves each point after its label is fixed: every coordinate is shifted by a uniform
 * amount in {@code [-noise * 5, noise * 5]} (5 being the radius of the data), so 0 gives clean sets and
 * around 0.1 to 0.3 makes classes touch or overlap. For the Gaussian blobs it widens the clusters
 * instead. The same {@code Rng} state gives the same set on every platform and backend.
 */
public final class Synthetic {

    /** The radius of the data: points lie within about this distance of the origin. */
    public static final double RADIUS = 5;

    private Synthetic() {
    }

    /**
     * Class 1 is a disc of radius 2.5 around the origin, class 0 a ring from radius 3.5 to 5 around
     * it; not linearly separable in (x, y), but it is in (x², y²).
     */
    public static TensorDataset circle(int n, double noise, Rng rng) {
        Gen g = new Gen("circle", n, noise, rng);
        for (int i = 0; i < n; i++) {
            int label = g.label(i, 2);
            double r = label == 1 ? g.uniform(0, 0.5 * RADIUS) : g.uniform(0.7 * RADIUS, RADIUS);
            double angle = g.uniform(0, 2 * Math.PI);
            g.put(i, r * Math.cos(angle), r * Math.sin(angle), label);
        }
        return g.done();
    }

    public static TensorDataset circle(int n, double noise, long seed) {
        return circle(n, noise, new Rng(seed));
    }

    /**
     * XOR: class 1 where x and y have the same sign (first and third quadrants), class 0 where they
     * differ. Points are uniform in each quadrant, kept 0.3 away from the axes.
     */
    public static TensorDataset xor(int n, double noise, Rng rng) {
        Gen g = new Gen("xor", n, noise, rng);
        double pad = 0.3;
        for (int i = 0; i < n; i++) {
            int label = g.label(i, 2);
            double sx = g.rng.nextDouble() < 0.5 ? -1 : 1;
            double sy = label == 1 ? sx : -sx;
            double x = sx * (pad + g.uniform(0, RADIUS));
            double y = sy * (pad + g.uniform(0, RADIUS));
            g.put(i, x, y, label);
        }
        return g.done();
    }

    public static TensorDataset xor(int n, double noise, long seed) {
        return xor(n, noise, new Rng(seed));
    }

    /** Two Gaussian blobs: class 0 around (2, 2), class 1 around (-2, -2); {@link #blobs} with k = 2. */
    public static TensorDataset gaussian(int n, double noise, Rng rng) {
        return blobs(n, 2, noise, rng);
    }

    public static TensorDataset gaussian(int n, double noise, long seed) {
        return gaussian(n, noise, new Rng(seed));
    }

    /**
     * {@code k} Gaussian blobs, class {@code c} centred at angle {@code 45° + c * 360° / k} on a circle of
     * radius 2√2 (larger for more than four classes, so that neighbouring centres stay 4 apart), each
     * with standard deviation {@code 0.5 + 3 * noise} in x and y.
     */
    public static TensorDataset blobs(int n, int k, double noise, Rng rng) {
        if (k < 1) {
            throw new IllegalArgumentException("blobs: k must be at least 1, got " + k);
        }
        Gen g = new Gen("blobs", n, noise, rng);
        double sd = 0.5 + 3 * noise;
        double[][] centres = new double[k][];
        for (int c = 0; c < k; c++) {
            centres[c] = blobCentre(c, k);
        }
        for (int i = 0; i < n; i++) {
            int label = g.label(i, k);
            double[] c = centres[label];
            g.putExact(i, c[0] + sd * g.rng.nextGaussian(), c[1] + sd * g.rng.nextGaussian(), label);
        }
        return g.done();
    }

    public static TensorDataset blobs(int n, int k, double noise, long seed) {
        return blobs(n, k, noise, new Rng(seed));
    }

    /** Centre of blob {@code c} of {@code k}, as used by {@link #blobs}. */
    public static double[] blobCentre(int c, int k) {
        if (k < 1 || c < 0 || c >= k) {
            throw new IllegalArgumentException("blobCentre: class " + c + " of " + k);
        }
        double centre = Math.max(2 * Math.sqrt(2), k > 1 ? 2 / Math.sin(Math.PI / k) : 0);
        double a = Math.PI / 4 + 2 * Math.PI * c / k;
        return new double[] {centre * Math.cos(a), centre * Math.sin(a)};
    }

    /**
     * Two interleaved spirals of 1.75 turns from the origin out to radius 5: a point at radius
     * {@code r} lies at angle {@code θ = 1.75 · 2π · r / 5} (measured from the y axis towards the x
     * axis: {@code (r sin θ, r cos θ)}), class 1 on one arm and class 0 on the arm turned by half a turn.
     * Along each arm the points are evenly spaced in radius.
     */
    public static TensorDataset spiral(int n, double noise, Rng rng) {
        Gen g = new Gen("spiral", n, noise, rng);
        int[] count = {n / 2, n - n / 2};
        int[] seen = new int[2];
        for (int i = 0; i < n; i++) {
            int label = g.label(i, 2);
            int j = seen[label]++;
            double r = RADIUS * j / count[label];
            double theta = spiralAngle(r) + (label == 1 ? 0 : Math.PI);
            g.put(i, r * Math.sin(theta), r * Math.cos(theta), label);
        }
        return g.done();
    }

    public static TensorDataset spiral(int n, double noise, long seed) {
        return spiral(n, noise, new Rng(seed));
    }

    /** The angle of the class-1 spiral arm at radius {@code r} (class 0 is half a turn further). */
    public static double spiralAngle(double r) {
        return 1.75 * 2 * Math.PI * r / RADIUS;
    }

    /** Fills the rows of one set: labels balanced, noise added, and finally the rows shuffled. */
    private static final class Gen {
        final int n;
        final double noise;
        final Rng rng;
        final float[] xy;
        final float[] y;

        Gen(String name, int n, double noise, Rng rng) {
            if (n < 0) {
                throw new IllegalArgumentException(name + ": n must be >= 0, got " + n);
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException(name + ": noise must be a finite value >= 0, got " + noise);
            }
            this.n = n;
            this.noise = noise;
            this.rng = Objects.requireNonNull(rng, name + ": rng");
            this.xy = new float[2 * n];
            this.y = new float[n];
        }

        /** Sample {@code i}'s class: class {@code i mod k}, so that each class gets n / k samples, one more for the first n mod k. */
        int label(int i, int k) {
            return i % k;
        }

        double uniform(double lo, double hi) {
            return lo + (hi - lo) * rng.nextDouble();
        }

        void put(int i, double x, double yy, int label) {
            double a = noise * RADIUS;
            if (a > 0) {
                x += uniform(-a, a);
                yy += uniform(-a, a);
            }
            putExact(i, x, yy, label);
        }

        void putExact(int i, double x, double yy, int label) {
            xy[2 * i] = (float) x;
            xy[2 * i + 1] = (float) yy;
            y[i] = label;
        }

        TensorDataset done() {
            int[] perm = rng.permutation(n);
            float[] sx = new float[2 * n];
            float[] sy = new float[n];
            for (int k = 0; k < n; k++) {
                int i = perm[k];
                sx[2 * k] = xy[2 * i];
                sx[2 * k + 1] = xy[2 * i + 1];
                sy[k] = y[i];
            }
            return new TensorDataset(HostData.tensor(sx, n, 2), HostData.tensor(sy, n));
        }
    }
}
