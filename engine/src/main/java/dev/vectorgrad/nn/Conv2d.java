package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in every framework) over NCHW input: weight
 * {@code (out, in, kH, kW)}, bias {@code (out)}. Default initialisation as PyTorch: weight and bias
 * uniform in {@code (-1/sqrt(fanIn), 1/sqrt(fanIn))} with {@code fanIn = in * kH * kW}.
 *
 * <pre>{@code
 * new Conv2d(1, 6, 5, 1, 2);   // LeNet-5's first layer: 5x5 kernels, stride 1, padding 2
 * new Conv2d(6, 16, 5);        // stride 1, no padding
 * }</pre>
 */
public class Conv2d extends Module {

    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final Parameter weight;
    private final Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, 1, 0, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride) {
        this(inChannels, outChannels, kernel, stride, 0, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}, bias);
    }

    /** Kernel, stride and padding as (height, width) pairs. */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, boolean bias) {
        this.kernel = Pool.pair(typeName(), "kernel", kernel);
        this.stride = Pool.pair(typeName(), "stride", stride);
        this.padding = Pool.pair(typeName(), "padding", padding);
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(typeName() + ": channel counts must be > 0, got in=" + inChannels
                    + ", out=" + outChannels);
        }
        if (this.kernel[0] <= 0 || this.kernel[1] <= 0 || this.stride[0] <= 0 || this.stride[1] <= 0
                || this.padding[0] < 0 || this.padding[1] < 0) {
            throw new IllegalArgumentException(typeName() + ": need kernel > 0, stride > 0 and padding >= 0, got kernel "
                    + pair(this.kernel) + ", stride " + pair(this.stride) + ", padding " + pair(this.padding));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.weight = registerParameter("weight", new Parameter(outChannels, inChannels, this.kernel[0], this.kernel[1]));
        this.bias = bias ? registerParameter("bias", new Parameter(outChannels)) : null;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int[] kernelSize() {
        return kernel.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    /** The kernels, shape {@code (out, in, kH, kW)}. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, shape {@code (out)}, or null. */
    public Parameter bias() {
        return bias;
    }

    @Override
    protected void initParameters(Rng rng) {
        Init.linearDefault(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape()); // a message that names this layer
        return F.conv2d(x, weight.value(), bias == null ? null : bias.value(), stride, padding);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 4) {
            throw new ShapeException(this + ": input must be 4-D (N, C, H, W), got " + Shapes.format(in)
                    + (in.length == 3 ? "; add a batch dimension with unsqueeze(0)" : ""));
        }
        if (in[1] != inChannels) {
            throw new ShapeException(this + ": input " + Shapes.format(in) + " has " + in[1] + " channels, expected "
                    + inChannels);
        }
        int oh = (in[2] + 2 * padding[0] - kernel[0]) / stride[0] + 1;
        int ow = (in[3] + 2 * padding[1] - kernel[1]) / stride[1] + 1;
        if (in[2] + 2 * padding[0] < kernel[0] || in[3] + 2 * padding[1] < kernel[1]) {
            throw new ShapeException(this + ": kernel " + pair(kernel) + " is larger than the padded input "
                    + (in[2] + 2 * padding[0]) + "x" + (in[3] + 2 * padding[1]) + " (input " + Shapes.format(in) + ")");
        }
        return new int[] {in[0], outChannels, oh, ow};
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(pair(kernel)).append(", stride=").append(pair(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            sb.append(", padding=").append(pair(padding));
        }
        if (bias == null) {
            sb.append(", bias=False");
        }
        return sb.toString();
    }
}
