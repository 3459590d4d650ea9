package dev.vectorgrad.data;

import dev.vectorgrad.io.FileFormatException;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.vectorgrad.data.DataLoaderTest.vals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MNIST-style loading from small IDX files written here, file lookup and its errors. */
class DatasetsTest {

    @TempDir
    Path dir;

    /** n images of 4x3 pixels: pixel j of image i is (i * 16 + j) mod 256; label i mod 10. */
    static void writeSet(Path dir, String prefix, int n, String suffix) throws IOException {
        byte[] px = new byte[n * 12];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 12; j++) {
                px[i * 12 + j] = (byte) ((i * 16 + j) % 256);
            }
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        Idx.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), IdxArray.ofUnsignedBytes(px, n, 4, 3));
        Idx.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), IdxArray.ofUnsignedBytes(labels, n));
    }

    @Test
    void mnistFromADirectoryCompressedOrNot() throws IOException {
        writeSet(dir, "train", 20, ".gz");
        writeSet(dir, "t10k", 5, "");
        ImageSplit data = Datasets.mnist(dir);
        assertEquals("MNIST", data.name());
        assertEquals(20, data.train().size());
        assertEquals(5, data.test().size());
        assertArrayEquals(new int[] {1, 4, 3}, data.train().imageShape());
        assertEquals(Datasets.MNIST_CLASSES, data.classNames());
        assertEquals("7", data.className(7));

        Sample s = data.train().get(3);
        assertArrayEquals(new int[] {1, 4, 3}, s.x().shape());
        assertArrayEquals(new int[] {}, s.y().shape());
        float[] x = vals(s.x());
        for (int j = 0; j < 12; j++) {
            assertEquals((3 * 16 + j) / 255f, x[j]);
        }
        assertArrayEquals(new float[] {3}, vals(s.y()));

        Batch b = data.train().batch(new int[] {19, 0});
        assertArrayEquals(new int[] {2, 1, 4, 3}, b.x().shape());
        assertArrayEquals(new int[] {2}, b.y().shape());
        float[] bx = vals(b.x());
        assertEquals(((19 * 16) % 256) / 255f, bx[0]);
        assertEquals(0f, bx[12]);
        assertArrayEquals(new float[] {9, 0}, vals(b.y()));
        assertEquals(3, data.test().label(3));
        assertEquals(((4 * 16 + 11) % 256), data.test().pixel(4, 0, 3, 2));
        assertEquals("MNIST: train 20, test 5 images 1x4x3, 10 classes, values in [0, 1]", data.toString());
    }

    @Test
    void dottedNamesAreAccepted() throws IOException {
        writeSet(dir, "train", 3, "");
        writeSet(dir, "t10k", 2, ".gz");
        Files.move(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-images.idx3-ubyte"));
        assertEquals(3, Datasets.mnist(dir).train().size());
        assertEquals(dir.resolve("train-images.idx3-ubyte"), Datasets.findFile(dir, "train-images-idx3-ubyte"));
        assertNull(Datasets.findFile(dir, "no-such-idx1-ubyte"));
    }

    @Test
    void aBatchBigEnoughToSplitAcrossThreadsHoldsEveryImageInOrder() {
        // 48 images of 28 x 28 (37,632 pixels, past Thresholds.PARALLEL_PIXEL_CONVERSION), some repeated.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int images = 40;
        byte[] pixels = new byte[images * 784];
        int[] labels = new int[images];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rnd.nextInt(256);
        }
        for (int i = 0; i < images; i++) {
            labels[i] = rnd.nextInt(10);
        }
        float mean = 0.2860f;
        float std = 0.3530f;
        ImageDataset data = ImageDataset.of(pixels, labels, 1, 28, 28).normalized(mean, std);
        int[] idx = new int[48];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = rnd.nextInt(images);
        }
        assertTrue(idx.length * 784 >= dev.vectorgrad.backend.Thresholds.PARALLEL_PIXEL_CONVERSION);
        Batch b = data.batch(idx);
        float[] x = vals(b.x());
        float[] y = vals(b.y());
        for (int k = 0; k < idx.length; k++) {
            for (int p = 0; p < 784; p++) {
                float expected = ((pixels[idx[k] * 784 + p] & 0xFF) / 255f - mean) / std;
                assertEquals(expected, x[k * 784 + p], "image " + k + " (set index " + idx[k] + "), pixel " + p);
            }
            assertEquals(labels[idx[k]], y[k], "label of image " + k);
        }
    }

    @Test
    void normalizedSplitSharesPixelsAndMatchesNormalize() throws IOException {
        writeSet(dir, "train", 10, ".gz");
        writeSet(dir, "t10k", 4, ".gz");
        ImageSplit data = Datasets.mnist(dir);
        ImageSplit norm = data.normalized();
        assertEquals(Datasets.MNIST_MEAN, norm.train().normalization().mean()[0]);
        int[] idx = {2, 7};
        Tensor plain = data.train().batch(idx).x();
        Tensor expected = new Normalize(Datasets.MNIST_MEAN, Datasets.MNIST_STD).apply(plain);
        assertArrayEquals(vals(expected), vals(norm.train().batch(idx).x()), "same bits as normalizing the floats");
        Tensor plainTest = data.test().batch(new int[] {1, 2}).x();
        assertArrayEquals(vals(new Normalize(Datasets.MNIST_MEAN, Datasets.MNIST_STD).apply(plainTest)),
                vals(norm.test().batch(new int[] {1, 2}).x()));
        assertSame(data.train(), data.train().unnormalized());
        assertArrayEquals(vals(plain), vals(norm.train().unnormalized().batch(idx).x()));
        // lazy and eager normalization agree
        Dataset lazy = data.train().map(new Normalize(0.5f, 0.25f));
        assertArrayEquals(vals(lazy.batch(idx).x()), vals(data.train().normalized(0.5f, 0.25f).batch(idx).x()));
        // converting once gives the same values as per batch
        TensorDataset floats = norm.train().toTensorDataset();
        assertArrayEquals(new int[] {10, 1, 4, 3}, floats.x().shape());
        assertArrayEquals(vals(norm.train().batch(idx).x()), vals(floats.batch(idx).x()));
        assertArrayEquals(vals(norm.train().batch(idx).y()), vals(floats.batch(idx).y()));
    }

    @Test
    void missingDirectoryIsAClearError() {
        Path missing = dir.resolve("nowhere");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Datasets.fashionMnist(missing));
        String m = e.getMessage();
        assertTrue(m.contains(missing.toAbsolutePath().toString()), m);
        assertTrue(m.contains("does not exist"), m);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            assertTrue(m.contains(f), f + " in: " + m);
        }
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("Datasets.fashionMnist(Path.of("), m);
        assertTrue(m.contains("VECTORGRAD_FASHION_MNIST"), m);
        assertEquals(missing, e.directory());
        assertEquals(4, e.missingFiles().size());
        assertInstanceOf(UncheckedIOException.class, e);
    }

    @Test
    void partlyMissingFilesAreNamed() throws IOException {
        writeSet(dir, "train", 3, ".gz");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Datasets.mnist(dir));
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"), e.missingFiles());
        assertTrue(e.getMessage().contains("missing: t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("Datasets.mnist("), e.getMessage());
    }

    @Test
    void lookupOrderArgumentThenEnvironmentThenDefault() throws IOException {
        Path arg = dir.resolve("arg");
        Path env = dir.resolve("env");
        Map<String, String> withEnv = Map.of(Datasets.FASHION_MNIST_ENV, env.toString());
        assertEquals(arg, Datasets.fashionMnistLocation(arg, withEnv).dir());
        assertEquals(env, Datasets.fashionMnistLocation(null, withEnv).dir());
        assertTrue(Datasets.fashionMnistLocation(null, withEnv).why().contains(Datasets.FASHION_MNIST_ENV));
        assertEquals(Datasets.FASHION_MNIST_DEFAULT_DIR, Datasets.fashionMnistLocation(null, Map.of()).dir());
        assertEquals(Datasets.FASHION_MNIST_DEFAULT_DIR,
                Datasets.fashionMnistLocation(null, Map.of(Datasets.FASHION_MNIST_ENV, " ")).dir());

        // the environment's directory is used, and named when it lacks the files
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> Datasets.fashionMnist(null, withEnv));
        assertTrue(e.getMessage().contains(env.toString()) && e.getMessage().contains("environment variable"), e.getMessage());
        Files.createDirectories(env);
        writeSet(env, "train", 4, ".gz");
        writeSet(env, "t10k", 2, ".gz");
        ImageSplit data = Datasets.fashionMnist(null, withEnv);
        assertEquals(4, data.train().size());
        assertEquals("Ankle boot", data.className(9));
    }

    @Test
    void damagedOrMismatchedFilesAreNamed() throws IOException {
        writeSet(dir, "train", 6, ".gz");
        writeSet(dir, "t10k", 2, ".gz");
        // test labels for 3 images, images for 2
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3}, 3));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Datasets.mnist(dir));
        assertInstanceOf(FileFormatException.class, e.getCause());
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz") && e.getMessage().contains("3 labels"), e.getMessage());

        // a label outside 0..9
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedBytes(new byte[] {1, 12}, 2));
        e = assertThrows(UncheckedIOException.class, () -> Datasets.mnist(dir));
        assertTrue(e.getMessage().contains("label 1 is 12"), e.getMessage());

        // a truncated training file
        byte[] whole = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedBytes(new byte[] {1, 2}, 2));
        e = assertThrows(UncheckedIOException.class, () -> Datasets.mnist(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void imageDatasetChecks() {
        assertThrows(IllegalArgumentException.class, () -> ImageDataset.of(new byte[10], new int[] {0, 1}, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ImageDataset.of(new byte[4], new int[] {-1}, 1, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of(IdxArray.ofFloats(new float[4], 1, 2, 2), new int[] {0}));
        ImageDataset rgb = ImageDataset.of(new byte[] {0, (byte) 255, 51, 102}, new int[] {4}, 2, 1, 2);
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, vals(rgb.image(0)));
        ImageDataset norm = rgb.normalized(new Normalize(new float[] {0, 0.2f}, new float[] {1, 0.2f}));
        assertArrayEquals(new float[] {0, 1, 0, 1}, vals(norm.batch(new int[] {0}).x()));
        assertThrows(IllegalArgumentException.class,
                () -> rgb.normalized(new Normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1})));
        assertArrayEquals(new int[] {0, 0, 0, 0, 1}, rgb.classCounts());
        assertArrayEquals(new float[] {4}, vals(rgb.targets()));
    }
}
