package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Standardizes features channel by channel: {@code (x - mean[c]) / std[c]}, torchvision's
 * {@code Normalize}. The channel is dimension 1 of a batch: the C of {@code (B, C, H, W)} images, the
 * feature of {@code (B, F)} vectors. One mean and std apply to every channel.
 *
 * <pre>{@code
 * var norm = new Normalize(0.2860f, 0.3530f);      // Fashion-MNIST's pixel statistics
 * var norm = Normalize.fit(train);                 // or measured: per-channel mean and std
 * Dataset ds = train.map(norm);                    // applied to each batch as it is read
 * }</pre>
 *
 * <p>Each element is computed in float as {@code (v - mean) / std}, so normalizing at load time
 * ({@link TensorDataset#normalized(Normalize)}, {@link ImageDataset#normalized(Normalize)}) and per
 * batch give the same bits.
 */
public final class Normalize implements Transform {

    private final float[] mean;
    private final float[] std;

    /** The same mean and std for every channel. */
    public Normalize(float mean, float std) {
        this(new float[] {mean}, new float[] {std});
    }

    /**
     * One mean and std per channel ({@code mean.length} channels), or a single one for all.
     *
     * @throws IllegalArgumentException if the lengths differ, a mean is not finite, or a std is not
     *                                  finite and positive
     */
    public Normalize(float[] mean, float[] std) {
        Objects.requireNonNull(mean, "Normalize: mean");
        Objects.requireNonNull(std, "Normalize: std");
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Normalize: mean " + Arrays.toString(mean) + " and std " + Arrays.toString(std)
                    + " must have the same, non-zero length: one entry per channel");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("Normalize: mean[" + c + "] is " + mean[c]);
            }
            if (!(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("Normalize: std[" + c + "] is " + std[c] + "; it must be positive"
                        + (std[c] == 0 ? " (a constant channel cannot be standardized)" : ""));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * The per-channel mean and (population) standard deviation of a dataset's features, channel being
     * dimension 1 of its batches, as a {@code Normalize} that standardizes them. Reads the dataset in
     * batches of about a million values; sums in double.
     *
     * @throws IllegalArgumentException if the dataset is empty or a channel is constant
     */
    public static Normalize fit(Dataset ds) {
        Objects.requireNonNull(ds, "Normalize.fit: dataset");
        if (ds.size() == 0) {
            throw new IllegalArgumentException("Normalize.fit: the dataset is empty");
        }
        Batch first = ds.batch(0, 1);
        Stats stats = new Stats(first.x().shape());
        stats.add(first.x());
        int step = Math.max(1, (1 << 20) / Math.max(1, first.x().numel()));
        for (int from = 1; from < ds.size(); from += step) {
            stats.add(ds.batch(from, Math.min(ds.size(), from + step)).x());
        }
        return stats.normalize();
    }

    /** The per-channel mean and std of a batch of features {@code (N, C, ...)} (channel = dimension 1). */
    public static Normalize fit(Tensor x) {
        Objects.requireNonNull(x, "Normalize.fit: x");
        if (x.ndim() == 0 || x.size(0) == 0) {
            throw new IllegalArgumentException("Normalize.fit: needs at least one sample, got shape " + HostData.format(x.shape()));
        }
        Stats stats = new Stats(x.shape());
        stats.add(x);
        return stats.normalize();
    }

    /** Per-channel sums, shifted by the first values seen so that large means do not cancel the variance. */
    private static final class Stats {
        final int channels;
        final double[] shift;
        final double[] sum;
        final double[] sumSq;
        long perChannel;
        boolean first = true;

        Stats(int[] shape) {
            channels = shape.length < 2 ? 1 : shape[1];
            if (channels == 0) {
                throw new IllegalArgumentException("Normalize.fit: features " + HostData.format(shape) + " have no channels");
            }
            shift = new double[channels];
            sum = new double[channels];
            sumSq = new double[channels];
        }

        void add(Tensor x) {
            int[] shape = x.shape();
            int b = shape[0];
            int c = shape.length < 2 ? 1 : shape[1];
            if (c != channels) {
                throw new IllegalArgumentException("Normalize.fit: batches differ in channels (" + channels + " and " + c + ")");
            }
            int inner = b == 0 ? 0 : x.numel() / b / c;
            HostData.View v = HostData.view(x);
            float[] a = v.array();
            if (first && b > 0) {
                for (int ch = 0; ch < c; ch++) {
                    shift[ch] = inner == 0 ? 0 : a[v.offset() + ch * inner];
                }
                first = false;
            }
            for (int i = 0; i < b; i++) {
                for (int ch = 0; ch < c; ch++) {
                    int base = v.offset() + (i * c + ch) * inner;
                    double k = shift[ch];
                    double s = 0;
                    double sq = 0;
                    for (int j = 0; j < inner; j++) {
                        double d = a[base + j] - k;
                        s += d;
                        sq += d * d;
                    }
                    sum[ch] += s;
                    sumSq[ch] += sq;
                }
            }
            perChannel += (long) b * inner;
        }

        Normalize normalize() {
            if (perChannel == 0) {
                throw new IllegalArgumentException("Normalize.fit: the features hold no values");
            }
            float[] m = new float[channels];
            float[] s = new float[channels];
            for (int ch = 0; ch < channels; ch++) {
                double mu = sum[ch] / perChannel;
                double var = Math.max(0, sumSq[ch] / perChannel - mu * mu);
                m[ch] = (float) (shift[ch] + mu);
                s[ch] = (float) Math.sqrt(var);
                if (s[ch] == 0) {
                    throw new IllegalArgumentException("Normalize.fit: channel " + ch + " is constant (every value is "
                            + m[ch] + "), so it has no spread to standardize by");
                }
            }
            return new Normalize(m, s);
        }
    }

    /** The per-channel means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** Number of channels, or 1 when one mean and std serve all. */
    public int channels() {
        return mean.length;
    }

    /** {@code (batch - mean) / std} per channel (dimension 1), in a new tensor. */
    @Override
    public Tensor apply(Tensor batch) {
        return map(batch, false);
    }

    /** The inverse, {@code batch * std + mean} per channel: back to the original scale, e.g. to show images. */
    public Tensor invert(Tensor batch) {
        return map(batch, true);
    }

    private Tensor map(Tensor batch, boolean inverse) {
        Objects.requireNonNull(batch, "Normalize: batch");
        int[] shape = batch.shape();
        int c = channelsOf(shape);
        int b = shape.length == 0 ? 1 : shape[0];
        int inner = b == 0 || c == 0 ? 0 : batch.numel() / b / c;
        HostData.View v = HostData.view(batch);
        float[] a = v.array();
        float[] out = new float[batch.numel()];
        int p = 0;
        for (int i = 0; i < b; i++) {
            for (int ch = 0; ch < c; ch++) {
                int k = mean.length == 1 ? 0 : ch;
                float m = mean[k];
                float s = std[k];
                int base = v.offset() + p;
                if (inverse) {
                    for (int j = 0; j < inner; j++) {
                        out[p + j] = a[base + j] * s + m;
                    }
                } else {
                    for (int j = 0; j < inner; j++) {
                        out[p + j] = (a[base + j] - m) / s;
                    }
                }
                p += inner;
            }
        }
        return HostData.tensor(out, shape);
    }

    private int channelsOf(int[] shape) {
        int c = shape.length < 2 ? 1 : shape[1];
        if (mean.length != 1 && c != mean.length) {
            throw new IllegalArgumentException("Normalize: a batch of shape " + HostData.format(shape) + " has " + c
                    + " channels (dimension 1) but mean and std are given for " + mean.length);
        }
        return c;
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + (mean.length == 1 ? Float.toString(mean[0]) : Arrays.toString(mean))
                + ", std=" + (std.length == 1 ? Float.toString(std[0]) : Arrays.toString(std)) + ")";
    }
}
