package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.UnaryOp;
import dev.vectorgrad.tensor.Tensor;

import java.util.List;

/**
 * The table from the tensor package's recording hook to the op classes of this package: which class
 * differentiates which operation. The autograd hook calls these with grad mode off; user code calls
 * the {@code Tensor} methods, which come here by themselves when they must record.
 */
public final class Ops {

    private Ops() {
    }

    public static Tensor unary(Tensor x, UnaryOp op, float alpha, float beta) {
        return switch (op) {
            case NEG -> Neg.forward(x);
            case ABS -> Abs.forward(x);
            case EXP -> Exp.forward(x);
            case LOG -> Log.forward(x);
            case SQRT -> Sqrt.forward(x);
            case SQUARE -> Square.forward(x);
            case RECIPROCAL -> Reciprocal.forward(x);
            case POW -> PowScalar.forward(x, alpha);
            case RELU -> Relu.forward(x);
            case LEAKY_RELU -> LeakyRelu.forward(x, alpha);
            case SIGMOID -> Sigmoid.forward(x);
            case TANH -> Tanh.forward(x);
            case STEP -> PiecewiseConstant.step(x);
            case SIGN -> PiecewiseConstant.sign(x);
            case CLAMP -> Clamp.forward(x, alpha, beta);
            case ADD_SCALAR -> Affine.addScalar(x, alpha);
            case MUL_SCALAR -> Affine.mulScalar(x, alpha);
            case AFFINE -> Affine.affine(x, alpha, beta);
        };
    }

    public static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        return switch (op) {
            case ADD -> Add.forward(a, b);
            case SUB -> Sub.forward(a, b);
            case MUL -> Mul.forward(a, b);
            case DIV -> Div.forward(a, b);
            case POW -> Pow.forward(a, b);
            case MAXIMUM -> Maximum.maximum(a, b);
            case MINIMUM -> Maximum.minimum(a, b);
            case EQ, NE, GT, GE, LT, LE -> throw new IllegalArgumentException(name + " is a comparison: not differentiable");
        };
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Where.forward(cond, a, b);
    }

    public static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        return switch (op) {
            case SUM -> Sum.forward(x, dims, keepDim);
            case MAX, MIN -> Max.forward(op, x, dims, keepDim);
            case ARGMAX, ARGMIN -> throw new IllegalArgumentException(op + " is not differentiable");
        };
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        return Mean.forward(x, dims, keepDim);
    }

    public static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
        return Var.forward(x, dims, unbiased, keepDim);
    }

    public static Tensor softmax(Tensor x, int dim, boolean log) {
        return log ? Softmax.logSoftmax(x, dim) : Softmax.softmax(x, dim);
    }

    public static Tensor matmul(String name, Tensor a, Tensor b) {
        return Matmul.forward(name, a, b);
    }

    public static Tensor cat(String name, List<Tensor> tensors, int dim) {
        return Cat.forward(name, tensors, dim);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        return Conv2d.forward(x, weight, bias, stride, padding);
    }

    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return MaxPool2d.forward(x, kernel, stride, padding);
    }

    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return AvgPool2d.forward(x, kernel, stride, padding, countIncludePad);
    }

    // ---------------------------------------------------------------- views, already computed by the tensor package

    public static Tensor reshaped(String name, Tensor x, Tensor view) {
        return Reshape.record(name, x, view);
    }

    public static Tensor permuted(String name, Tensor x, int[] order, Tensor view) {
        return Permute.record(name, x, order, view);
    }

    public static Tensor sliced(String name, Tensor x, int dim, int start, int step, boolean dropDim, Tensor view) {
        return Slice.record(name, x, dim, start, step, dropDim, view);
    }

    public static Tensor expanded(String name, Tensor x, Tensor view) {
        return Expand.record(name, x, view);
    }

    public static Tensor copied(String name, Tensor x, Tensor copy) {
        return Copy.record(name, x, copy);
    }

    /** {@code "mul"} to {@code "MulBackward"}, the names nodes show. */
    static String nodeName(String op) {
        return Character.toUpperCase(op.charAt(0)) + op.substring(1) + "Backward";
    }
}
