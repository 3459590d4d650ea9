package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Tensor;

import java.util.Objects;

/** A dataset whose features pass through a {@link Transform}, batch by batch, when they are read. */
final class MappedDataset implements Dataset {

    private final Dataset parent;
    private final Transform transform;

    MappedDataset(Dataset parent, Transform transform) {
        this.parent = Objects.requireNonNull(parent, "parent");
        this.transform = Objects.requireNonNull(transform, "transform");
    }

    @Override
    public int size() {
        return parent.size();
    }

    @Override
    public Sample get(int index) {
        Sample s = parent.get(index);
        Tensor x = s.x();
        Tensor one = transform.apply(x.reshape(HostData.prepend(1, x.shape())));
        int[] shape = one.shape();
        if (shape.length == 0 || shape[0] != 1) {
            throw new IllegalStateException("map: the transform turned a batch of 1 sample of shape "
                    + HostData.format(x.shape()) + " into shape " + HostData.format(shape)
                    + "; a transform must keep the sample dimension");
        }
        return new Sample(one.reshape(java.util.Arrays.copyOfRange(shape, 1, shape.length)), s.y());
    }

    @Override
    public Batch batch(int[] indices) {
        Batch b = parent.batch(indices);
        Tensor x = transform.apply(b.x());
        if (x.ndim() == 0 || x.shape()[0] != b.size()) {
            throw new IllegalStateException("map: the transform turned a batch of shape " + HostData.format(b.x().shape())
                    + " into shape " + HostData.format(x.shape()) + "; a transform must keep the sample dimension");
        }
        return new Batch(x, b.y());
    }

    @Override
    public String toString() {
        return "Mapped(" + parent + ", " + transform + ")";
    }
}
