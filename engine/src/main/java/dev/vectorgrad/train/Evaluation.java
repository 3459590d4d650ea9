package dev.vectorgrad.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Trainer#evaluate} measured: the mean loss over the samples and, for classifiers, the
 * accuracy (NaN when not measured).
 */
public record Evaluation(double loss, double accuracy, int samples) {

    /** Whether an accuracy was measured (class scores against class labels). */
    public boolean hasAccuracy() {
        return !Double.isNaN(accuracy);
    }

    /** {@code {loss=..., accuracy=...}}, the accuracy only when measured. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        if (hasAccuracy()) {
            m.put("accuracy", accuracy);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss %s%s (%,d samples)", Format.metric(loss),
                hasAccuracy() ? ", accuracy " + Format.metric(accuracy) : "", samples);
    }
}
