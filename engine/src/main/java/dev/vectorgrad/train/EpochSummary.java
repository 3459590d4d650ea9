package dev.vectorgrad.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished epoch, for {@link ProgressListener}s.
 *
 * @param epoch            the epoch, from 0
 * @param epochs           the number of epochs asked for
 * @param batches          batches trained in this epoch
 * @param samples          samples trained on in this epoch
 * @param logs             the epoch's metrics by name: {@code loss}, and {@code accuracy},
 *                         {@code val_loss}, {@code val_accuracy}, {@code lr} when measured
 * @param seconds          wall time of the epoch, validation included
 * @param samplesPerSecond training throughput (validation excluded)
 */
public record EpochSummary(int epoch, int epochs, int batches, long samples, Map<String, Double> logs,
                           double seconds, double samplesPerSecond) {

    public EpochSummary {
        logs = Collections.unmodifiableMap(new LinkedHashMap<>(logs));
    }
}
