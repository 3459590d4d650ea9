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
    SIGN
}
