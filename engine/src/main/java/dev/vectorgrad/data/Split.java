package dev.vectorgrad.data;

/**
 * A dataset cut in two: {@link #train()} and {@link #test()}; for a validation split taken from a
 * training set, {@link #validation()} names the second part.
 *
 * <pre>{@code
 * Split s = data.train().randomSplit(0.9, new Rng(0));   // 54,000 to train on, 6,000 to validate
 * fit(s.train(), ..., validation(s.validation()));
 * }</pre>
 */
public record Split(Dataset train, Dataset test) {

    /** The second part, {@link #test()}, under the name used when it serves for validation. */
    public Dataset validation() {
        return test;
    }

    @Override
    public String toString() {
        return "Split(train " + train.size() + ", test " + test.size() + ")";
    }
}
