package dev.vectorgrad.train;

/**
 * Where training stands after a batch, for {@link ProgressListener}s (a progress bar). Indices count
 * from 0; {@code epoch + 1} of {@code epochs} and {@code batch + 1} of {@code batches} are what a bar
 * shows.
 *
 * @param epoch            the current epoch, from 0
 * @param epochs           the number of epochs asked for
 * @param batch            the batch just finished, from 0
 * @param batches          batches per epoch
 * @param samples          samples trained on so far in this epoch
 * @param loss             mean loss over this epoch's batches so far (weighted by batch size)
 * @param accuracy         mean accuracy over this epoch so far, NaN when not measured
 * @param samplesPerSecond training throughput in this epoch so far
 * @param elapsedSeconds   time spent in this epoch so far
 * @param etaSeconds       estimated time until the epoch's last batch is done
 */
public record Progress(int epoch, int epochs, int batch, int batches, long samples, double loss, double accuracy,
                       double samplesPerSecond, double elapsedSeconds, double etaSeconds) {

    /** The part of the epoch done, 0 to 1. */
    public double fraction() {
        return batches == 0 ? 1 : (batch + 1) / (double) batches;
    }

    /** Whether an accuracy is being measured. */
    public boolean hasAccuracy() {
        return !Double.isNaN(accuracy);
    }
}
