package dev.vectorgrad.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static dev.vectorgrad.data.DataLoaderTest.vals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fashion-MNIST through {@link Datasets#fashionMnist()}, where Debian's {@code dataset-fashion-mnist}
 * is installed (or {@code VECTORGRAD_FASHION_MNIST} points at the files); skipped, with the reason,
 * elsewhere.
 */
class FashionMnistTest {

    private static ImageSplit loaded;

    /** The data, loaded once for all tests; each test is skipped, with the reason, when it is absent. */
    private static synchronized ImageSplit data() {
        Datasets.Location where = Datasets.fashionMnistLocation(null, System.getenv());
        boolean present = Datasets.FILES.stream().allMatch(f -> Datasets.findFile(where.dir(), f) != null);
        assumeTrue(present, () -> "Fashion-MNIST is not in " + where.dir() + " (" + where.why()
                + "); install Debian's dataset-fashion-mnist to run this test");
        if (loaded == null) {
            loaded = Datasets.fashionMnist();
        }
        return loaded;
    }

    @Test
    void shapesRangesAndLabels() {
        ImageSplit data = data();
        ImageDataset train = data.train();
        ImageDataset test = data.test();
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.imageShape());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, train.classCounts());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
        assertEquals(9, train.label(0));
        assertEquals("Ankle boot", data.className(train.label(0)));
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), data.classNames());

        Batch b = train.batch(new int[] {0, 1, 59999});
        assertArrayEquals(new int[] {3, 1, 28, 28}, b.x().shape());
        assertArrayEquals(new float[] {9, 0, train.label(59999)}, vals(b.y()));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double firstSum = 0;
        float[] x = vals(b.x());
        for (int i = 0; i < x.length; i++) {
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
            if (i < 784) {
                firstSum += x[i];
            }
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertEquals(76_247.0 / 255, firstSum, 1e-3, "the first image's pixel sum");
    }

    @Test
    void normalizationMatchesTheKnownStatistics() {
        ImageSplit data = data();
        Normalize measured = Normalize.fit(data.train());
        assertEquals(Datasets.FASHION_MNIST_MEAN, measured.mean()[0], 1e-4);
        assertEquals(Datasets.FASHION_MNIST_STD, measured.std()[0], 1e-4);

        ImageSplit norm = data.normalized();
        float[] x = vals(norm.train().batch(new int[] {0}).x());
        assertEquals((0 - 0.2860f) / 0.3530f, x[0]);
        assertTrue(norm.toString().contains("Normalize(mean=0.286, std=0.353)"), norm.toString());
    }

    @Test
    void anEpochOfShuffledBatches() {
        ImageSplit data = data();
        DataLoader loader = DataLoader.builder(data.train()).batchSize(64).shuffle(0).build();
        assertEquals(938, loader.size());
        int samples = 0;
        int[] counts = new int[10];
        for (Batch b : loader) {
            samples += b.size();
            for (float y : vals(b.y())) {
                counts[(int) y]++;
            }
        }
        assertEquals(60000, samples);
        assertArrayEquals(data.train().classCounts(), counts);
    }

    @Test
    void theDefaultLocationIsDebians() {
        assumeTrue(System.getenv(Datasets.FASHION_MNIST_ENV) == null, "VECTORGRAD_FASHION_MNIST is set");
        data();
        assertTrue(Files.isDirectory(Datasets.FASHION_MNIST_DEFAULT_DIR));
    }
}
