package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;

/**
 * Inverted dropout (the lectures' regularisation I). In training mode each element is zeroed with
 * probability {@code p} and the survivors are scaled by {@code 1/(1-p)}; in evaluation mode
 * ({@link #eval()}) it is the identity. The masks come from {@link Rng#global()} at each forward
 * pass, as in PyTorch, or from the generator given to the constructor.
 */
public class Dropout extends Module {

    private final float p;
    private final Rng rng;

    /** {@code p = 0.5}. */
    public Dropout() {
        this(0.5f);
    }

    public Dropout(float p) {
        this(p, null);
    }

    /** Masks drawn from {@code rng} (null: the global generator). */
    public Dropout(float p, Rng rng) {
        F.checkProbability(typeName(), p);
        this.p = p;
        this.rng = rng;
    }

    /** The probability of zeroing an element. */
    public float p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout(x, p, isTraining(), rng == null ? Rng.global() : rng);
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    protected String extraRepr() {
        return "p=" + pyFloat(p);
    }
}
