package dev.vectorgrad.nn;

/** {@link Linear} under the Keras name: {@code new Dense(in, out)}. */
public class Dense extends Linear {

    public Dense(int inFeatures, int outFeatures) {
        super(inFeatures, outFeatures);
    }

    public Dense(int inFeatures, int outFeatures, boolean bias) {
        super(inFeatures, outFeatures, bias);
    }
}
