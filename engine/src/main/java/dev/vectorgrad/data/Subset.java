package dev.vectorgrad.data;

import java.util.Arrays;

/**
 * The samples of a parent dataset at the given indices, in that order, without copying them. Its
 * batches come from the parent's own batch path, so a subset of an array-backed dataset stays as fast
 * as the dataset itself.
 */
public final class Subset implements Dataset {

    private final Dataset parent;
    private final int[] indices;

    /** @throws IndexOutOfBoundsException if an index is outside the parent */
    public Subset(Dataset parent, int[] indices) {
        this.parent = java.util.Objects.requireNonNull(parent, "parent");
        this.indices = indices.clone();
        HostData.checkIndices("Subset", this.indices, parent.size());
    }

    /** The dataset the samples come from. */
    public Dataset parent() {
        return parent;
    }

    /** The parent's indices of the samples, in order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        return parent.get(indices[java.util.Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public Batch batch(int[] batchIndices) {
        int[] mapped = new int[batchIndices.length];
        for (int k = 0; k < mapped.length; k++) {
            int i = batchIndices[k];
            if (i < 0 || i >= indices.length) {
                throw new IndexOutOfBoundsException("batch: index " + i + " (position " + k
                        + ") is out of range for a dataset of " + indices.length + " samples");
            }
            mapped[k] = indices[i];
        }
        return parent.batch(mapped);
    }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + parent.size() + " samples"
                + (indices.length <= 8 ? ": " + Arrays.toString(indices) : "") + ")";
    }
}
