package dev.vectorgrad.data;

import dev.vectorgrad.io.FileFormatException;
import dev.vectorgrad.tensor.Rng;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Ready-made datasets: Fashion-MNIST and MNIST from their IDX files, and the small synthetic 2-D sets
 * of {@link Synthetic}.
 *
 * <pre>{@code
 * var data = Datasets.fashionMnist();           // train 60,000 and test 10,000 images (1,28,28)
 * data.train().batch(new int[] {0});            // Batch(x (1,1,28,28), y (1))
 * data.className(data.train().label(0));        // "Ankle boot"
 * var norm = Datasets.fashionMnist().normalized();   // standardized with mean 0.2860, std 0.3530
 * var digits = Datasets.mnist(Path.of("~/data/mnist"));
 * }</pre>
 *
 * <h2>Where Fashion-MNIST is read from</h2>
 * <ol>
 *   <li>the directory passed to {@link #fashionMnist(Path)}, if one is;</li>
 *   <li>otherwise the directory in the environment variable {@value #FASHION_MNIST_ENV}, if it is set;</li>
 *   <li>otherwise {@code /usr/share/datasets/fashion-mnist}, where Debian's package
 *       {@code dataset-fashion-mnist} installs it.</li>
 * </ol>
 * Only that one directory is searched. It must hold the four IDX files
 * {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz}; each may also be
 * uncompressed (no {@code .gz}), or spelled with a dot ({@code train-images.idx3-ubyte}). When files are
 * missing, a {@link DatasetNotFoundException} names them, the directory, why that directory, and how
 * to get them. A damaged file raises an {@link UncheckedIOException} whose message names the file and
 * the problem.
 *
 * <h2>Memory and time</h2>
 * Images stay unsigned bytes ({@link ImageDataset}): 47 MB for the training set, converted to floats
 * batch by batch. Reading all four compressed files takes about 0.2 to 0.5 s, mostly decompression;
 * the training images are read on a second thread while the other three files are read.
 */
public final class Datasets {

    /** The environment variable naming a directory with the Fashion-MNIST files. */
    public static final String FASHION_MNIST_ENV = "VECTORGRAD_FASHION_MNIST";

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path FASHION_MNIST_DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Debian's package with the Fashion-MNIST files. */
    public static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";

    /** Fashion-MNIST's class names, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** MNIST's class names: the digits. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** Mean pixel value (after scaling to [0, 1]) of the Fashion-MNIST training images. */
    public static final float FASHION_MNIST_MEAN = 0.2860f;
    /** Standard deviation of the pixel values (in [0, 1]) of the Fashion-MNIST training images. */
    public static final float FASHION_MNIST_STD = 0.3530f;
    /** Mean pixel value (after scaling to [0, 1]) of the MNIST training images. */
    public static final float MNIST_MEAN = 0.1307f;
    /** Standard deviation of the pixel values (in [0, 1]) of the MNIST training images. */
    public static final float MNIST_STD = 0.3081f;

    /** The four files of an MNIST-style dataset, in the order train images, train labels, test images, test labels. */
    static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private Datasets() {
    }

    // ------------------------------------------------------------------ Fashion-MNIST and MNIST

    /**
     * Fashion-MNIST from {@value #FASHION_MNIST_ENV} if it is set, else from Debian's
     * {@code /usr/share/datasets/fashion-mnist}. Pixels in [0, 1]; see {@link ImageSplit#normalized()}.
     *
     * @throws DatasetNotFoundException if the files are not there (the message says how to get them)
     * @throws UncheckedIOException     if a file cannot be read or is damaged
     */
    public static ImageSplit fashionMnist() {
        return fashionMnist(null, System.getenv());
    }

    /** Fashion-MNIST from the four IDX files in {@code dir}. */
    public static ImageSplit fashionMnist(Path dir) {
        Objects.requireNonNull(dir, "fashionMnist: dir is null (call fashionMnist() for the default location)");
        return fashionMnist(dir, Map.of());
    }

    /** Fashion-MNIST from {@code dir}, or from the directory {@code env} names, or the default. */
    static ImageSplit fashionMnist(Path dir, Map<String, String> env) {
        Location where = fashionMnistLocation(dir, env);
        return load("Fashion-MNIST", where, FASHION_MNIST_CLASSES, new Normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD));
    }

    /** The directory and the reason it was chosen. */
    record Location(Path dir, String why) {
    }

    static Location fashionMnistLocation(Path dir, Map<String, String> env) {
        if (dir != null) {
            return new Location(dir, "the directory passed to Datasets.fashionMnist(dir)");
        }
        String fromEnv = env.get(FASHION_MNIST_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Location(Path.of(fromEnv.strip()), "from the environment variable " + FASHION_MNIST_ENV);
        }
        return new Location(FASHION_MNIST_DEFAULT_DIR, "the default location of Debian's " + FASHION_MNIST_PACKAGE
                + " package; " + FASHION_MNIST_ENV + " is not set");
    }

    /**
     * MNIST from the four IDX files in {@code dir} ({@code train-images-idx3-ubyte.gz},
     * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
     * {@code t10k-labels-idx1-ubyte.gz}, each also accepted uncompressed or spelled with a dot). Pixels
     * in [0, 1]; {@link ImageSplit#normalized()} uses mean 0.1307 and std 0.3081.
     *
     * @throws DatasetNotFoundException if files are missing
     * @throws UncheckedIOException     if a file cannot be read or is damaged
     */
    public static ImageSplit mnist(Path dir) {
        Objects.requireNonNull(dir, "mnist: dir is null");
        return load("MNIST", new Location(dir, "the directory passed to Datasets.mnist(dir)"), MNIST_CLASSES,
                new Normalize(MNIST_MEAN, MNIST_STD));
    }

    /**
     * Any images file and labels file in IDX format (raw or gzip-compressed), e.g. another MNIST-style
     * set; pixels in [0, 1].
     *
     * @throws UncheckedIOException if a file is missing, cannot be read or is damaged
     */
    public static ImageDataset idx(Path imagesFile, Path labelsFile) {
        try {
            return ImageDataset.read(imagesFile, labelsFile);
        } catch (IOException e) {
            throw unchecked(e);
        }
    }

    private static ImageSplit load(String name, Location where, List<String> classes, Normalize standard) {
        Path[] files = find(name, where);
        try {
            // The training images are most of the work: read them on a second thread meanwhile.
            var trainImages = new CompletableFuture<IdxArray>();
            Thread reader = Thread.ofPlatform().name("vectorgrad-idx-reader").daemon().start(() -> {
                try {
                    trainImages.complete(Idx.readImages(files[0]));
                } catch (Throwable t) {
                    trainImages.completeExceptionally(t);
                }
            });
            IdxArray train;
            int[] trainLabels;
            IdxArray testImages;
            int[] testLabels;
            try {
                trainLabels = Idx.readLabels(files[1]);
                testImages = Idx.readImages(files[2]);
                testLabels = Idx.readLabels(files[3]);
            } finally {
                reader.join();
            }
            try {
                train = trainImages.join();
            } catch (CompletionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case RuntimeException re -> throw re;
                    case Error err -> throw err;
                    default -> throw e;
                }
            }
            ImageDataset trainSet = checked(files[0], train, files[1], trainLabels, classes.size());
            ImageDataset testSet = checked(files[2], testImages, files[3], testLabels, classes.size());
            return new ImageSplit(name, trainSet, testSet, classes, standard);
        } catch (IOException e) {
            throw unchecked(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + name, e);
        }
    }

    private static ImageDataset checked(Path imagesFile, IdxArray images, Path labelsFile, int[] labels, int classes)
            throws FileFormatException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new FileFormatException(labelsFile, "label " + i + " is " + labels[i] + " but this dataset has "
                        + classes + " classes, 0.." + (classes - 1));
            }
        }
        return ImageDataset.checked(imagesFile, images, labelsFile, labels);
    }

    private static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }

    /** The four files in {@code where}, or an error naming all that are missing. */
    static Path[] find(String name, Location where) {
        Path dir = where.dir();
        Path[] found = new Path[FILES.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            found[i] = findFile(dir, FILES.get(i));
            if (found[i] == null) {
                missing.add(FILES.get(i) + ".gz");
            }
        }
        if (!missing.isEmpty()) {
            throw notFound(name, where, missing);
        }
        return found;
    }

    /** {@code base.gz}, {@code base}, or the same with a dot before {@code idx}; null if none is a readable file. */
    static Path findFile(Path dir, String base) {
        String dotted = base.replace("-idx", ".idx");
        for (String candidate : new String[] {base + ".gz", base, dotted + ".gz", dotted}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p) && Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }

    private static DatasetNotFoundException notFound(String name, Location where, List<String> missing) {
        Path dir = where.dir();
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" not found in ").append(dir.toAbsolutePath()).append(" (").append(where.why()).append(")");
        if (!Files.isDirectory(dir)) {
            sb.append(": that directory does not exist");
        }
        sb.append(".\nLooked for ").append(String.join(", ", FILES.stream().map(f -> f + ".gz").toList()))
                .append(" (each also accepted without .gz); missing: ").append(String.join(", ", missing)).append(".\n");
        if (name.equals("Fashion-MNIST")) {
            sb.append("To get it: install Debian's package (sudo apt-get install ").append(FASHION_MNIST_PACKAGE)
                    .append("), which puts the files in ").append(FASHION_MNIST_DEFAULT_DIR)
                    .append("; or download the four IDX files into a directory and pass it, Datasets.fashionMnist(Path.of(\"dir\")), "
                            + "or set ").append(FASHION_MNIST_ENV).append("=dir.");
        } else {
            sb.append("To get it: download the four IDX files into a directory and pass it, Datasets.mnist(Path.of(\"dir\")).");
        }
        return new DatasetNotFoundException(sb.toString(), dir, missing);
    }

    // ------------------------------------------------------------------ synthetic 2-D sets

    /** {@link Synthetic#circle}: a disc (class 1) inside a ring (class 0). */
    public static TensorDataset circle(int n, double noise, Rng rng) {
        return Synthetic.circle(n, noise, rng);
    }

    /** {@link Synthetic#xor}: class 1 where x and y have the same sign. */
    public static TensorDataset xor(int n, double noise, Rng rng) {
        return Synthetic.xor(n, noise, rng);
    }

    /** {@link Synthetic#gaussian}: two Gaussian blobs. */
    public static TensorDataset gaussian(int n, double noise, Rng rng) {
        return Synthetic.gaussian(n, noise, rng);
    }

    /** {@link Synthetic#blobs}: {@code k} Gaussian blobs. */
    public static TensorDataset blobs(int n, int k, double noise, Rng rng) {
        return Synthetic.blobs(n, k, noise, rng);
    }

    /** {@link Synthetic#spiral}: two interleaved spirals. */
    public static TensorDataset spiral(int n, double noise, Rng rng) {
        return Synthetic.spiral(n, noise, rng);
    }
}
