package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.Objects;

/**
 * Parameter initializers with PyTorch's definitions ({@code torch.nn.init}). Each fills a
 * {@link Parameter} in place (allocating it if it has no storage yet) and returns it. Random ones
 * draw from an explicit {@link Rng}, or from {@link Rng#global()} when none is given, so the same
 * seed always gives the same weights.
 *
 * <pre>{@code
 * Init.kaimingNormal(conv.weight(), 0, Init.Mode.FAN_OUT, Init.Nonlinearity.RELU, new Rng(0));
 * Init.zeros(conv.bias());
 * Init.xavierUniform(linear.weight());           // gain 1, global generator
 * }</pre>
 *
 * <p>Fans follow PyTorch: for a weight of shape {@code (out, in, k1, k2, ...)},
 * {@code fanIn = in * k1 * k2 ...} and {@code fanOut = out * k1 * k2 ...}. The layers' defaults
 * ({@link Linear}, {@link Conv2d}) are {@code kaimingUniform(w, sqrt(5), FAN_IN, LEAKY_RELU)}, which
 * works out to {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}, and the same bound for the bias.
 */
public final class Init {

    private Init() {
    }

    /** Which fan the Kaiming initializers preserve the variance of. */
    public enum Mode {
        /** Forward pass: variance of the activations (the default). */
        FAN_IN,
        /** Backward pass: variance of the gradients. */
        FAN_OUT
    }

    /** The nonlinearity after a layer, for {@link #gain(Nonlinearity, double)}. */
    public enum Nonlinearity {
        LINEAR, CONV2D, SIGMOID, TANH, RELU, LEAKY_RELU, SELU
    }

    /** Fan-in and fan-out of a weight shape. */
    public record Fans(long fanIn, long fanOut) {
    }

    /**
     * The recommended gain for a nonlinearity (PyTorch's {@code calculate_gain}): 1 for linear,
     * convolution and sigmoid, 5/3 for tanh, sqrt(2) for ReLU, {@code sqrt(2 / (1 + slope^2))} for
     * leaky ReLU with negative slope {@code param} (0.01 when NaN), 3/4 for SELU.
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        Objects.requireNonNull(nonlinearity, "gain: nonlinearity is null");
        return switch (nonlinearity) {
            case LINEAR, CONV2D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3.0;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU -> 3.0 / 4.0;
        };
    }

    /** {@link #gain(Nonlinearity, double)} with the default parameter. */
    public static double gain(Nonlinearity nonlinearity) {
        return gain(nonlinearity, Double.NaN);
    }

    /** Fan-in and fan-out of a weight of shape {@code shape} (at least 2 dimensions). */
    public static Fans fans(int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fans: fan in and fan out need a weight with at least 2 dimensions,"
                    + " got shape " + Shapes.format(shape));
        }
        long receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    // ================================================================ constants

    public static Parameter zeros(Parameter p) {
        return constant(p, 0f);
    }

    public static Parameter ones(Parameter p) {
        return constant(p, 1f);
    }

    public static Parameter constant(Parameter p, float value) {
        p.adopt(Tensor.full(value, shapeOf("constant", p)));
        return p;
    }

    // ================================================================ uniform and normal

    /** Uniform in {@code [a, b)}, from the global generator. */
    public static Parameter uniform(Parameter p, float a, float b) {
        return uniform(p, a, b, Rng.global());
    }

    /** Uniform in {@code [a, b)}. */
    public static Parameter uniform(Parameter p, float a, float b, Rng rng) {
        Objects.requireNonNull(rng, "uniform: rng is null");
        p.adopt(Tensor.uniform(rng, a, b, shapeOf("uniform", p)));
        return p;
    }

    /** Normal with the given mean and standard deviation, from the global generator. */
    public static Parameter normal(Parameter p, float mean, float std) {
        return normal(p, mean, std, Rng.global());
    }

    /** Normal with the given mean and standard deviation. */
    public static Parameter normal(Parameter p, float mean, float std, Rng rng) {
        Objects.requireNonNull(rng, "normal: rng is null");
        if (!(std >= 0) || !Float.isFinite(std)) {
            throw new IllegalArgumentException("normal: std must be finite and >= 0, got " + std);
        }
        int[] shape = shapeOf("normal", p);
        float[] v = rng.gaussians(Shapes.numel(shape));
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * v[i];
        }
        p.adopt(Tensor.fromArray(v, shape));
        return p;
    }

    // ================================================================ Xavier / Glorot

    /** Xavier (Glorot) uniform with gain 1, from the global generator. */
    public static Parameter xavierUniform(Parameter p) {
        return xavierUniform(p, 1.0, Rng.global());
    }

    public static Parameter xavierUniform(Parameter p, double gain) {
        return xavierUniform(p, gain, Rng.global());
    }

    /** {@code U(-a, a)} with {@code a = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Parameter xavierUniform(Parameter p, double gain, Rng rng) {
        Fans f = fans(shapeOf("xavierUniform", p));
        double a = gain * Math.sqrt(6.0 / (f.fanIn() + f.fanOut()));
        return uniform(p, (float) -a, (float) a, rng);
    }

    /** Xavier (Glorot) normal with gain 1, from the global generator. */
    public static Parameter xavierNormal(Parameter p) {
        return xavierNormal(p, 1.0, Rng.global());
    }

    public static Parameter xavierNormal(Parameter p, double gain) {
        return xavierNormal(p, gain, Rng.global());
    }

    /** {@code N(0, std^2)} with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Parameter xavierNormal(Parameter p, double gain, Rng rng) {
        Fans f = fans(shapeOf("xavierNormal", p));
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        return normal(p, 0f, (float) std, rng);
    }

    // ================================================================ Kaiming / He

    /** Kaiming (He) uniform for ReLU layers: {@code a = 0}, fan-in, global generator. */
    public static Parameter kaimingUniform(Parameter p) {
        return kaimingUniform(p, 0, Mode.FAN_IN, Nonlinearity.RELU, Rng.global());
    }

    public static Parameter kaimingUniform(Parameter p, double a, Mode mode, Nonlinearity nonlinearity) {
        return kaimingUniform(p, a, mode, nonlinearity, Rng.global());
    }

    /**
     * {@code U(-bound, bound)} with {@code bound = sqrt(3) * gain / sqrt(fan)}, where {@code gain} is
     * {@link #gain(Nonlinearity, double)} of {@code nonlinearity} with parameter {@code a} (the
     * negative slope of a leaky ReLU) and {@code fan} is chosen by {@code mode}.
     */
    public static Parameter kaimingUniform(Parameter p, double a, Mode mode, Nonlinearity nonlinearity, Rng rng) {
        double bound = Math.sqrt(3.0) * kaimingStd("kaimingUniform", p, a, mode, nonlinearity);
        return uniform(p, (float) -bound, (float) bound, rng);
    }

    /** Kaiming (He) normal for ReLU layers: {@code a = 0}, fan-in, global generator. */
    public static Parameter kaimingNormal(Parameter p) {
        return kaimingNormal(p, 0, Mode.FAN_IN, Nonlinearity.RELU, Rng.global());
    }

    public static Parameter kaimingNormal(Parameter p, double a, Mode mode, Nonlinearity nonlinearity) {
        return kaimingNormal(p, a, mode, nonlinearity, Rng.global());
    }

    /** {@code N(0, std^2)} with {@code std = gain / sqrt(fan)} (see {@link #kaimingUniform}). */
    public static Parameter kaimingNormal(Parameter p, double a, Mode mode, Nonlinearity nonlinearity, Rng rng) {
        double std = kaimingStd("kaimingNormal", p, a, mode, nonlinearity);
        return normal(p, 0f, (float) std, rng);
    }

    private static double kaimingStd(String op, Parameter p, double a, Mode mode, Nonlinearity nonlinearity) {
        Objects.requireNonNull(mode, () -> op + ": mode is null");
        Fans f = fans(shapeOf(op, p));
        long fan = mode == Mode.FAN_IN ? f.fanIn() : f.fanOut();
        if (fan == 0) {
            throw new IllegalArgumentException(op + ": cannot initialise a weight of shape "
                    + Shapes.format(p.shape()) + ": its fan is 0");
        }
        return gain(nonlinearity, a) / Math.sqrt(fan);
    }

    // ================================================================ layer defaults

    /**
     * The default of {@link Linear} and {@link Conv2d}: weight {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}
     * (Kaiming uniform with {@code a = sqrt(5)}) and bias from the same range; {@code bias} may be null.
     */
    static void linearDefault(Parameter weight, Parameter bias, Rng rng) {
        kaimingUniform(weight, Math.sqrt(5.0), Mode.FAN_IN, Nonlinearity.LEAKY_RELU, rng);
        if (bias != null) {
            long fanIn = fans(weight.shape()).fanIn();
            float bound = fanIn > 0 ? (float) (1.0 / Math.sqrt(fanIn)) : 0f;
            uniform(bias, -bound, bound, rng);
        }
    }

    private static int[] shapeOf(String op, Parameter p) {
        Objects.requireNonNull(p, () -> op + ": parameter is null");
        return p.allocatableShape();
    }
}
