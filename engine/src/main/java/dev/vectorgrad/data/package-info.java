/**
 * Data for training: datasets, minibatches, the IDX files of MNIST and Fashion-MNIST, and the small
 * synthetic 2-D sets of the TensorFlow Playground, with PyTorch's names.
 *
 * <pre>{@code
 * var data = Datasets.fashionMnist().normalized();                  // ImageSplit: train(), test(), classNames()
 * var loader = DataLoader.builder(data.train()).batchSize(64).shuffle(0).build();
 * for (Batch b : loader) { ... b.x() (64,1,28,28) ... b.y() (64) ... }
 *
 * TensorDataset circle = Synthetic.circle(500, 0.1, new Rng(0));    // x (500,2), y (500)
 * Split s = circle.randomSplit(0.8, new Rng(1));                    // train / validation
 * TensorDataset quad = circle.transformed(Features.of("x^2", "y^2"));
 * }</pre>
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link dev.vectorgrad.data.Dataset}: {@code size()}, {@code get(i)} returning a
 *       {@link dev.vectorgrad.data.Sample}, and {@code batch(int[])} returning a
 *       {@link dev.vectorgrad.data.Batch}; plus {@code subset}, {@code split}, {@code randomSplit}
 *       and {@code map(Transform)}.</li>
 *   <li>{@link dev.vectorgrad.data.TensorDataset} over two tensors,
 *       {@link dev.vectorgrad.data.ImageDataset} over unsigned-byte images and class labels.</li>
 *   <li>{@link dev.vectorgrad.data.DataLoader}: shuffled (reproducibly, a new order each epoch) or
 *       ordered minibatches, with or without the last partial batch.</li>
 *   <li>{@link dev.vectorgrad.data.Normalize} (per-channel standardization, and {@code fit} to measure
 *       the mean and std), {@link dev.vectorgrad.data.Features} (x, y, x², y², xy, sin, cos columns of
 *       2-D points), both {@link dev.vectorgrad.data.Transform}s.</li>
 *   <li>{@link dev.vectorgrad.data.Datasets} (Fashion-MNIST, MNIST, any IDX pair) and
 *       {@link dev.vectorgrad.data.Synthetic} (circle, XOR, Gaussian blobs, spiral).</li>
 *   <li>{@link dev.vectorgrad.data.Idx} and {@link dev.vectorgrad.data.IdxArray}: the IDX file format
 *       itself.</li>
 * </ul>
 *
 * <h2>Memory and speed</h2>
 * Minibatches are assembled with plain array copies, never with tensor kernels: the datasets keep host
 * arrays and {@code batch} copies the chosen rows into one new contiguous array, which becomes the
 * batch tensor on the current backend. Every batch is a fresh tensor, valid for as long as it is kept
 * (no buffer is recycled behind a tensor that may still be referenced, e.g. by an autograd graph).
 *
 * <p>Fashion-MNIST's images stay unsigned bytes (47 MB for the training set instead of 188 MB of
 * floats) and are converted per batch through a 256-entry table per channel, which already includes
 * any normalization. Measured on the project's 2-core development machine, one epoch of 938 shuffled
 * batches of 64x1x28x28 takes about 70 to 120 ms from the bytes and 40 to 100 ms when the images are
 * converted to floats once ({@link dev.vectorgrad.data.ImageDataset#toTensorDataset()}): a few
 * hundredths of a LeNet-5 epoch either way, so the four times smaller form is the default. Reading the
 * compressed files takes about 0.2 to 0.5 s.
 */
package dev.vectorgrad.data;
