package dev.vectorgrad.backend;

/**
 * Elementwise one-input operations. Parameterised ops read {@code alpha} (and {@code beta}) from the
 * kernel call; the others ignore them.
 */
public enum UnaryOp {
    /** -x */
    NEG,
    /** |x| */
    ABS,
    /** e^x */
    EXP,
    /** natural log */
    LOG,
    SQRT,
    /** x*x */
    SQUARE,
    /** 1/x */
    RECIPROCAL,
    /** x^alpha */
    POW,
    /** max(x, 0) */
    RELU,
    /** x if x > 0 else alpha*x */
    LEAKY_RELU,
    /** 1 / (1 + e^-x) */
    SIGMOID,
    TANH,
    /** Heaviside step: 1 if x > 0 else 0 (the perceptron's threshold). */
    STEP,
    /** min(max(x, alpha), beta) */
    CLAMP,
    /** x + alpha */
    ADD_SCALAR,
    /** x * alpha */
    MUL_SCALAR,
    /** alpha * x + beta */
    AFFINE,
    /** sign(x): -1, 0 or 1 */
    SIGN;

    /**
     * The op on one value: the definition every backend's kernels agree with (the scalar backend loops over
     * it; vector kernels use it for their tails). NaN in gives NaN out for every op except STEP (NaN is not
     * {@code > 0}, so 0). Transcendentals are computed in double and rounded once.
     */
    public float apply(float alpha, float beta, float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case POW -> (float) Math.pow(x, alpha);
            // Math.max, not a comparison, so that relu(NaN) is NaN as in PyTorch.
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            // In double, 1 / (1 + e^-x) neither overflows nor loses precision for any float x.
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-(double) x)));
            case TANH -> (float) Math.tanh(x);
            case STEP -> x > 0 ? 1f : 0f;
            case CLAMP -> Math.min(Math.max(x, alpha), beta);
            case ADD_SCALAR -> x + alpha;
            case MUL_SCALAR -> x * alpha;
            // Two roundings (multiply, then add), not a fused multiply-add.
            case AFFINE -> alpha * x + beta;
            case SIGN -> Math.signum(x);
        };
    }
}
