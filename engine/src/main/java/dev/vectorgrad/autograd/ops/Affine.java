package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * {@code alpha * x + beta} with constant alpha and beta: {@code x + s} ({@code add}/{@code sub} of a
 * scalar), {@code x * s} ({@code mul}/{@code div} of a scalar) and the general affine map. The
 * derivative is alpha.
 */
final class Affine extends Node {

    private final float alpha;

    private Affine(String name, Tensor x, float alpha) {
        super(name, x);
        this.alpha = alpha;
    }

    static Tensor addScalar(Tensor x, float s) {
        return new Affine("AddBackward", x, 1f).output(x.add(s));
    }

    static Tensor mulScalar(Tensor x, float s) {
        return new Affine("MulBackward", x, s).output(x.mul(s));
    }

    /** Not reached from a public method today; the kernel exists, so its derivative does too. */
    static Tensor affine(Tensor x, float alpha, float beta) {
        Tensor y = x.mul(alpha).add(beta);
        return new Affine("AffineBackward", x, alpha).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return grads(alpha == 1f ? g : g.mul(alpha));
    }
}
