package dev.vectorgrad.data;

import java.util.List;
import java.util.Objects;

/**
 * An image classification dataset as published: a training set, a test set and the names of the
 * classes, with the pixel mean and std usually used to normalize it.
 *
 * <pre>{@code
 * var data = Datasets.fashionMnist();       // pixels in [0, 1]
 * var norm = data.normalized();             // (pixel - 0.2860) / 0.3530
 * data.train().get(0);                      // Sample(x (1,28,28), y ())
 * data.className(9);                        // "Ankle boot"
 * }</pre>
 */
public final class ImageSplit {

    private final String name;
    private final ImageDataset train;
    private final ImageDataset test;
    private final List<String> classNames;
    private final Normalize standard;

    /**
     * @param standard the normalization usually applied to this data (its training set's pixel mean and
     *                 std), used by {@link #normalized()}
     */
    public ImageSplit(String name, ImageDataset train, ImageDataset test, List<String> classNames, Normalize standard) {
        this.name = Objects.requireNonNull(name, "name");
        this.train = Objects.requireNonNull(train, "train");
        this.test = Objects.requireNonNull(test, "test");
        this.classNames = List.copyOf(classNames);
        this.standard = Objects.requireNonNull(standard, "standard");
    }

    public String name() {
        return name;
    }

    public ImageDataset train() {
        return train;
    }

    public ImageDataset test() {
        return test;
    }

    /** The class names, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The name of class {@code label}. */
    public String className(int label) {
        return classNames.get(Objects.checkIndex(label, classNames.size()));
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The usual normalization of this dataset (for Fashion-MNIST, mean 0.2860 and std 0.3530). */
    public Normalize standardNormalization() {
        return standard;
    }

    /** Both sets normalized with the usual mean and std of this dataset. */
    public ImageSplit normalized() {
        return normalized(standard);
    }

    /** Both sets normalized with {@code normalize}: {@code (pixel / 255 - mean) / std}. */
    public ImageSplit normalized(Normalize normalize) {
        return new ImageSplit(name, train.normalized(normalize), test.normalized(normalize), classNames, standard);
    }

    /** Both sets as a {@link Split}. */
    public Split split() {
        return new Split(train, test);
    }

    @Override
    public String toString() {
        return name + ": train " + train.size() + ", test " + test.size() + " images " + train.channels() + "x"
                + train.height() + "x" + train.width() + ", " + classNames.size() + " classes"
                + (train.normalization() == null ? ", values in [0, 1]" : ", " + train.normalization());
    }
}
