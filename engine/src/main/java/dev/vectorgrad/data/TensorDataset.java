package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dataset over two tensors whose first dimension is the sample dimension: sample {@code i} is
 * {@code (x[i], y[i])}, as PyTorch's {@code TensorDataset}.
 *
 * <pre>{@code
 * var ds = new TensorDataset(Tensor.randn(100, 2), Tensor.zeros(100));
 * ds.get(0);                   // Sample(x (2), y ())
 * ds.batch(new int[] {3, 1});  // Batch(x (2,2), y (2))
 * }</pre>
 *
 * <p>The values are read once, when the dataset is made: from the tensors' own arrays when they are
 * contiguous host tensors (nothing copied; tensors are not modified in place, so sharing is safe),
 * otherwise copied to the host. A {@link #batch(int[]) batch} is then one row copy per sample into a
 * new contiguous array.
 */
public final class TensorDataset implements Dataset {

    private final Tensor x;
    private final Tensor y;
    private final int n;
    private final int[] xSample;
    private final int[] ySample;
    private final int xRow;
    private final int yRow;
    private final float[] xData;
    private final int xOff;
    private final float[] yData;
    private final int yOff;

    /**
     * @throws IllegalArgumentException if either tensor is 0-d or their first dimensions differ
     */
    public TensorDataset(Tensor x, Tensor y) {
        Objects.requireNonNull(x, "TensorDataset: x is null");
        Objects.requireNonNull(y, "TensorDataset: y is null");
        if (x.ndim() == 0 || y.ndim() == 0) {
            throw new IllegalArgumentException("TensorDataset: x " + HostData.format(x.shape()) + " and y "
                    + HostData.format(y.shape()) + " must both have a first, sample dimension; "
                    + (x.ndim() == 0 ? "x" : "y") + " is a 0-d scalar");
        }
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("TensorDataset: x has " + x.size(0) + " samples (shape "
                    + HostData.format(x.shape()) + ") but y has " + y.size(0) + " (shape " + HostData.format(y.shape())
                    + "); the first dimensions must be equal");
        }
        this.x = x;
        this.y = y;
        this.n = x.size(0);
        int[] xs = x.shape();
        int[] ys = y.shape();
        this.xSample = Arrays.copyOfRange(xs, 1, xs.length);
        this.ySample = Arrays.copyOfRange(ys, 1, ys.length);
        this.xRow = HostData.numel(xSample);
        this.yRow = HostData.numel(ySample);
        HostData.View xv = HostData.view(x);
        HostData.View yv = HostData.view(y);
        this.xData = xv.array();
        this.xOff = xv.offset();
        this.yData = yv.array();
        this.yOff = yv.offset();
    }

    /** All features, {@code (N, ...)}: the tensor this dataset was made from. */
    public Tensor x() {
        return x;
    }

    /** All targets, {@code (N, ...)}: the tensor this dataset was made from. */
    public Tensor y() {
        return y;
    }

    @Override
    public int size() {
        return n;
    }

    /** The shape of one sample's features. */
    public int[] featureShape() {
        return xSample.clone();
    }

    /** The shape of one sample's target ({@code ()} for class indices). */
    public int[] targetShape() {
        return ySample.clone();
    }

    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, n);
        float[] xs = Arrays.copyOfRange(xData, xOff + index * xRow, xOff + (index + 1) * xRow);
        float[] ys = Arrays.copyOfRange(yData, yOff + index * yRow, yOff + (index + 1) * yRow);
        return new Sample(HostData.tensor(xs, xSample), HostData.tensor(ys, ySample));
    }

    /** One row copy per sample into a new contiguous array for {@code x}, and one for {@code y}. */
    @Override
    public Batch batch(int[] indices) {
        Objects.requireNonNull(indices, "batch: indices");
        HostData.checkIndices("batch", indices, n);
        int b = indices.length;
        float[] xs = new float[Math.multiplyExact(b, xRow)];
        float[] ys = new float[Math.multiplyExact(b, yRow)];
        gather(xData, xOff, xRow, indices, xs);
        gather(yData, yOff, yRow, indices, ys);
        return new Batch(HostData.tensor(xs, HostData.prepend(b, xSample)), HostData.tensor(ys, HostData.prepend(b, ySample)));
    }

    private static void gather(float[] src, int off, int row, int[] indices, float[] dst) {
        if (row == 1) {
            for (int k = 0; k < indices.length; k++) {
                dst[k] = src[off + indices[k]];
            }
            return;
        }
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(src, off + indices[k] * row, dst, k * row, row);
        }
    }

    /**
     * A dataset with {@code transform} applied once, now, to all features (the targets are shared):
     * for instance {@code ds.transformed(Features.of("x^2", "y^2"))}.
     */
    public TensorDataset transformed(Transform transform) {
        Objects.requireNonNull(transform, "transformed: transform");
        Tensor tx = transform.apply(x);
        if (tx.ndim() == 0 || tx.size(0) != n) {
            throw new IllegalStateException("transformed: the transform turned x " + HostData.format(x.shape())
                    + " into " + HostData.format(tx.shape()) + "; a transform must keep the sample dimension");
        }
        return new TensorDataset(tx, y);
    }

    /** The features normalized once, now, with {@code normalize}: {@code (x - mean) / std} per channel. */
    public TensorDataset normalized(Normalize normalize) {
        return transformed(normalize);
    }

    /** The features standardized with the per-channel mean and std measured on this dataset. */
    public TensorDataset normalized() {
        return normalized(Normalize.fit(this));
    }

    @Override
    public String toString() {
        return "TensorDataset(" + n + " samples, x " + HostData.format(x.shape()) + ", y " + HostData.format(y.shape()) + ")";
    }
}
