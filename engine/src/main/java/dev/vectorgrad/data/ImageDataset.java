package dev.vectorgrad.data;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.Thresholds;
import dev.vectorgrad.io.FileFormatException;
import dev.vectorgrad.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Labelled images kept as unsigned bytes, as MNIST and Fashion-MNIST ship them: features are
 * {@code (C, H, W)} floats, by default the pixel value / 255 in [0, 1], optionally standardized;
 * targets are class indices as 0-d float tensors.
 *
 * <h2>Memory and speed</h2>
 * The pixels stay bytes: Fashion-MNIST's 60,000 training images take 47 MB instead of the 188 MB
 * of floats. A {@link #batch(int[]) batch} converts its rows into a new float array with the host
 * backend's {@link dev.vectorgrad.backend.Backend#bytesToStandardized} (vector code: ~20 us for 64
 * Fashion-MNIST images on a 2-core machine, against ~52 us through a 256-entry table), giving the same
 * bits as {@link Normalize} applied to the floats: small beside a training step, and as fast as a copy of
 * floats converted up front ({@link #toTensorDataset()}), hence the four times smaller form by default.
 */
public final class ImageDataset implements Dataset {

    private final byte[] pixels;
    private final int[] labels;
    private final int n;
    private final int[] imageShape; // (C, H, W)
    private final int itemSize;
    private final int plane;
    private final Normalize normalize; // null: plain [0, 1]
    private final float[] mean;        // per channel; 0 when not normalized
    private final float[] std;         // per channel; 1 when not normalized

    private ImageDataset(byte[] pixels, int[] labels, int[] imageShape, Normalize normalize) {
        this.pixels = pixels;
        this.labels = labels;
        this.n = labels.length;
        this.imageShape = imageShape;
        this.itemSize = HostData.numel(imageShape);
        this.plane = imageShape[1] * imageShape[2];
        this.normalize = normalize;
        int channels = imageShape[0];
        this.mean = new float[channels];
        this.std = new float[channels];
        for (int c = 0; c < channels; c++) {
            // (v - 0) / 1 is v: the unnormalized pixels go through the same conversion.
            mean[c] = normalize == null ? 0f : normalize.mean()[normalize.channels() == 1 ? 0 : c];
            std[c] = normalize == null ? 1f : normalize.std()[normalize.channels() == 1 ? 0 : c];
        }
    }

    /**
     * Images from unsigned bytes: {@code pixels} holds {@code labels.length} images of
     * {@code channels x height x width}, row-major. The arrays are shared, not copied.
     *
     * @throws IllegalArgumentException if the sizes disagree or a label is negative
     */
    public static ImageDataset of(byte[] pixels, int[] labels, int channels, int height, int width) {
        Objects.requireNonNull(pixels, "ImageDataset: pixels");
        Objects.requireNonNull(labels, "ImageDataset: labels");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageDataset: image size " + channels + "x" + height + "x" + width
                    + " must be at least 1x1x1");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("ImageDataset: " + labels.length + " labels of " + channels + "x" + height
                    + "x" + width + " images need " + expected + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("ImageDataset: label " + i + " is " + labels[i] + "; class indices are >= 0");
            }
        }
        return new ImageDataset(pixels, labels, new int[] {channels, height, width}, null);
    }

    /**
     * Images from an IDX images array ({@code (N, H, W)}, one channel, or {@code (N, C, H, W)}) of
     * unsigned bytes and its labels.
     */
    public static ImageDataset of(IdxArray images, int[] labels) {
        Objects.requireNonNull(images, "ImageDataset: images");
        if (images.type() != IdxArray.Type.UNSIGNED_BYTE) {
            throw new IllegalArgumentException("ImageDataset: images must be unsigned bytes, got " + images);
        }
        if (images.rank() != 3 && images.rank() != 4) {
            throw new IllegalArgumentException("ImageDataset: images must have 3 (N, H, W) or 4 (N, C, H, W) dimensions, got "
                    + images);
        }
        if (images.dim(0) != labels.length) {
            throw new IllegalArgumentException("ImageDataset: " + images.dim(0) + " images but " + labels.length + " labels");
        }
        int r = images.rank();
        int c = r == 4 ? images.dim(1) : 1;
        return of(images.bytes(), labels, c, images.dim(r - 2), images.dim(r - 1));
    }

    /**
     * Reads an IDX images file and its labels file (raw or gzip-compressed), such as MNIST's
     * {@code train-images-idx3-ubyte.gz} and {@code train-labels-idx1-ubyte.gz}.
     *
     * @throws FileFormatException if a file is damaged, or the two disagree in count
     */
    public static ImageDataset read(Path imagesFile, Path labelsFile) throws IOException {
        IdxArray images = Idx.readImages(imagesFile);
        int[] labels = Idx.readLabels(labelsFile);
        return checked(imagesFile, images, labelsFile, labels);
    }

    static ImageDataset checked(Path imagesFile, IdxArray images, Path labelsFile, int[] labels)
            throws FileFormatException {
        if (images.type() != IdxArray.Type.UNSIGNED_BYTE) {
            throw new FileFormatException(imagesFile, "images must be unsigned bytes (IDX type 0x08), "
                    + "this file holds " + images.type().name().toLowerCase().replace('_', ' ') + " values");
        }
        if (images.dim(0) != labels.length) {
            throw new FileFormatException(imagesFile, "holds " + images.dim(0) + " images but "
                    + labelsFile + " holds " + labels.length + " labels; the two files do not belong together");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new FileFormatException(labelsFile, "label " + i + " is " + labels[i]
                        + "; class indices are >= 0");
            }
        }
        return of(images, labels);
    }

    @Override
    public int size() {
        return n;
    }

    /** The shape of one image, {@code (C, H, W)}. */
    public int[] imageShape() {
        return imageShape.clone();
    }

    public int channels() {
        return imageShape[0];
    }

    public int height() {
        return imageShape[1];
    }

    public int width() {
        return imageShape[2];
    }

    /** The class index of image {@code i}. */
    public int label(int i) {
        return labels[Objects.checkIndex(i, n)];
    }

    /** All class indices (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** How many images each class has: {@code counts[c]} for classes 0 .. the largest label. */
    public int[] classCounts() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] counts = new int[max + 1];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** Pixel {@code (c, row, col)} of image {@code i} as the byte value 0..255. */
    public int pixel(int i, int c, int row, int col) {
        Objects.checkIndex(i, n);
        Objects.checkIndex(c, imageShape[0]);
        Objects.checkIndex(row, imageShape[1]);
        Objects.checkIndex(col, imageShape[2]);
        return pixels[i * itemSize + c * plane + row * imageShape[2] + col] & 0xFF;
    }

    /** The normalization applied on top of the [0, 1] scaling, or null. */
    public Normalize normalization() {
        return normalize;
    }

    /** The same images (shared bytes) with features {@code (pixel / 255 - mean) / std} per channel. */
    public ImageDataset normalized(Normalize normalize) {
        Objects.requireNonNull(normalize, "normalized: normalize");
        if (normalize.channels() != 1 && normalize.channels() != imageShape[0]) {
            throw new IllegalArgumentException("normalized: " + normalize + " is for " + normalize.channels()
                    + " channels but the images have " + imageShape[0]);
        }
        return new ImageDataset(pixels, labels, imageShape, normalize);
    }

    /** The same images (shared bytes) with features {@code (pixel / 255 - mean) / std}. */
    public ImageDataset normalized(float mean, float std) {
        return normalized(new Normalize(mean, std));
    }

    /** The same images scaled to [0, 1] only, without normalization. */
    public ImageDataset unnormalized() {
        return normalize == null ? this : new ImageDataset(pixels, labels, imageShape, null);
    }

    /** Image {@code i} as a {@code (C, H, W)} tensor, converted as batches are. */
    public Tensor image(int i) {
        Objects.checkIndex(i, n);
        float[] out = new float[itemSize];
        convert(i, out, 0);
        return HostData.tensor(out, imageShape.clone());
    }

    @Override
    public Sample get(int index) {
        return new Sample(image(index), HostData.tensor(new float[] {labels[index]}));
    }

    /**
     * Converts the images at {@code indices} straight from bytes into one new {@code (B, C, H, W)} array,
     * split across the kernel threads (each image's bytes are a random read from the whole set).
     */
    @Override
    public Batch batch(int[] indices) {
        Objects.requireNonNull(indices, "batch: indices");
        HostData.checkIndices("batch", indices, n);
        int b = indices.length;
        float[] xs = new float[Math.multiplyExact(b, itemSize)];
        float[] ys = new float[b];
        Parallel.forRange(b, (long) b * itemSize, Thresholds.PARALLEL_PIXEL_CONVERSION, (k0, k1) -> {
            for (int k = k0; k < k1; k++) {
                convert(indices[k], xs, k * itemSize);
            }
        });
        for (int k = 0; k < b; k++) {
            ys[k] = labels[indices[k]];
        }
        return new Batch(HostData.tensor(xs, HostData.prepend(b, imageShape)), HostData.tensor(ys, b));
    }

    private void convert(int image, float[] dst, int dstOff) {
        Backend host = Backends.host();
        int src = image * itemSize;
        for (int c = 0; c < imageShape[0]; c++) {
            host.bytesToStandardized(plane, pixels, src, dst, dstOff, mean[c], std[c]);
            src += plane;
            dstOff += plane;
        }
    }

    /** All images as one {@code (N, C, H, W)} tensor (4 bytes per pixel: 188 MB for 60,000 28x28 images). */
    public Tensor images() {
        return all().x();
    }

    /** All labels as an {@code (N)} tensor of class indices. */
    public Tensor targets() {
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            ys[i] = labels[i];
        }
        return HostData.tensor(ys, n);
    }

    /** The images converted once to floats, as a {@link TensorDataset}. */
    public TensorDataset toTensorDataset() {
        return new TensorDataset(images(), targets());
    }

    @Override
    public String toString() {
        return "ImageDataset(" + n + " images " + imageShape[0] + "x" + imageShape[1] + "x" + imageShape[2]
                + (normalize == null ? ", values in [0, 1]" : ", " + normalize) + ")";
    }
}
