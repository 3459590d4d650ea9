package dev.vectorgrad.bench;

/**
 * The networks of the training comparison, as TrainBench and {@code bench/peers/torch_train.py} build
 * them, with the targets: vectorgrad's best epoch at most {@code maxRatio} times PyTorch's best
 * configuration, and at least {@code minAccuracy} test accuracy after {@link #TARGET_EPOCHS} epochs.
 */
enum TrainModel {
    LENET("lenet", "LeNet-5", "conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, "
            + "400-120-84-10 with ReLU; Adam lr 1e-3", 0.5, 0.89),
    MLP("mlp", "MLP 784-128-10", "784-128-10 with ReLU; SGD lr 0.1", 1.0, 0.85);

    /** Epochs after which the accuracy targets apply. */
    static final int TARGET_EPOCHS = 5;

    /** The name both programs take ({@code --model}, {@code --models}). */
    final String key;
    final String title;
    final String layers;
    final double maxRatio;
    final double minAccuracy;

    TrainModel(String key, String title, String layers, double maxRatio, double minAccuracy) {
        this.key = key;
        this.title = title;
        this.layers = layers;
        this.maxRatio = maxRatio;
        this.minAccuracy = minAccuracy;
    }
}
