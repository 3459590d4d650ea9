package dev.vectorgrad.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads the real Fashion-MNIST files from Debian's {@code dataset-fashion-mnist} package; skipped,
 * with the reason, where it is not installed.
 */
class FashionMnistFilesTest {

    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static Path file(String name) {
        Path f = DIR.resolve(name);
        assumeTrue(Files.isReadable(f), () -> f + " is not installed (Debian package dataset-fashion-mnist); skipped");
        return f;
    }

    @Test
    void trainingSet() throws IOException {
        Path imagesFile = file("train-images-idx3-ubyte.gz");
        Path labelsFile = file("train-labels-idx1-ubyte.gz");
        IdxArray images = Idx.readImages(imagesFile);
        assertEquals(IdxArray.Type.UNSIGNED_BYTE, images.type());
        assertArrayEquals(new int[] {60000, 28, 28}, images.dims());
        assertEquals(47_040_000, images.bytes().length, "kept as bytes, not widened");

        int[] labels = Idx.readLabels(labelsFile);
        assertEquals(60000, labels.length);
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, histogram(labels));
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, java.util.Arrays.copyOf(labels, 10));

        // checksums of the pixel values: every byte decoded, none shifted
        long sum = 0;
        for (byte b : images.bytes()) {
            sum += b & 0xFF;
        }
        assertEquals(3_431_114_169L, sum);
        float[] first = new float[784];
        images.toFloats(0, 784, 1f, first, 0);
        double firstSum = 0;
        for (float v : first) {
            firstSum += v;
        }
        assertEquals(76_247.0, firstSum);
        assertEquals(0.2860, sum / 255.0 / images.size(), 1e-4, "the well-known Fashion-MNIST mean pixel");
    }

    @Test
    void testSet() throws IOException {
        IdxArray images = Idx.readImages(file("t10k-images-idx3-ubyte.gz"));
        assertArrayEquals(new int[] {10000, 28, 28}, images.dims());
        int[] labels = Idx.readLabels(file("t10k-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, histogram(labels));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(labels, 10));
    }

    private static int[] histogram(int[] labels) {
        int[] h = new int[10];
        for (int l : labels) {
            h[l]++;
        }
        return h;
    }
}
