package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Maps 2-D points {@code (N, 2)} to chosen feature columns {@code (N, k)}, as the input column of the
 * TensorFlow Playground. The lecture's demonstration that a linear model solves the circle once it sees
 * x² and y²:
 *
 * <pre>{@code
 * TensorDataset circle = Synthetic.circle(500, 0, new Rng(0));
 * TensorDataset squared = circle.transformed(Features.of("x^2", "y^2"));   // x (500,2): x², y²
 * Features.of(Feature.X, Feature.Y, Feature.X_TIMES_Y).names();            // [x, y, xy]
 * }</pre>
 *
 * As a {@link Transform} it can also be applied lazily: {@code dataset.map(Features.of("x", "y", "xy"))}.
 */
public final class Features implements Transform {

    private final List<Feature> features;

    private Features(List<Feature> features) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("Features: choose at least one feature");
        }
        this.features = List.copyOf(features);
    }

    /** The features with these names ({@link Feature#parse} lists the accepted spellings). */
    public static Features of(String... names) {
        Objects.requireNonNull(names, "Features.of: names");
        List<Feature> list = new ArrayList<>(names.length);
        for (String n : names) {
            list.add(Feature.parse(n));
        }
        return new Features(list);
    }

    public static Features of(Feature... features) {
        Objects.requireNonNull(features, "Features.of: features");
        for (Feature f : features) {
            Objects.requireNonNull(f, "Features.of: a feature is null");
        }
        return new Features(Arrays.asList(features));
    }

    /** All nine features, in the order of {@link Feature}. */
    public static Features all() {
        return of(Feature.values());
    }

    public List<Feature> features() {
        return features;
    }

    /** The column names, {@code ["x^2", "y^2"]}. */
    public List<String> names() {
        List<String> names = new ArrayList<>(features.size());
        for (Feature f : features) {
            names.add(f.label());
        }
        return Collections.unmodifiableList(names);
    }

    /** Number of output columns. */
    public int size() {
        return features.size();
    }

    /**
     * The feature columns of points {@code (N, 2)}: a new {@code (N, k)} tensor. A single point
     * {@code (2)} gives {@code (k)}.
     *
     * @throws IllegalArgumentException if the last dimension is not 2
     */
    @Override
    public Tensor apply(Tensor points) {
        Objects.requireNonNull(points, "Features: points");
        int[] shape = points.shape();
        if (shape.length < 1 || shape.length > 2 || shape[shape.length - 1] != 2) {
            throw new IllegalArgumentException("Features: expects points of shape (N,2), got " + HostData.format(shape));
        }
        int n = shape.length == 2 ? shape[0] : 1;
        int k = features.size();
        Feature[] fs = features.toArray(new Feature[0]);
        HostData.View v = HostData.view(points);
        float[] a = v.array();
        int off = v.offset();
        float[] out = new float[Math.multiplyExact(n, k)];
        for (int i = 0; i < n; i++) {
            float x = a[off + 2 * i];
            float y = a[off + 2 * i + 1];
            for (int j = 0; j < k; j++) {
                out[i * k + j] = fs[j].apply(x, y);
            }
        }
        return shape.length == 2 ? HostData.tensor(out, n, k) : HostData.tensor(out, k);
    }

    /** The dataset with its points replaced by these feature columns, computed now. */
    public TensorDataset apply(TensorDataset points) {
        return points.transformed(this);
    }

    @Override
    public String toString() {
        return "Features" + names();
    }
}
