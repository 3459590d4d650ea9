package dev.vectorgrad.autograd;

import dev.vectorgrad.autograd.ops.Ops;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.UnaryOp;
import dev.vectorgrad.tensor.GradBridge;
import dev.vectorgrad.tensor.GradHook;
import dev.vectorgrad.tensor.Tensor;

import java.util.List;
import java.util.function.Supplier;

/**
 * The hook the tensor package calls when an operation must be recorded. Its initialisation installs it
 * (the tensor package loads this class by name the first time a tensor requires gradients) and keeps
 * the capability to attach nodes to tensors, which {@link Node#output} uses.
 *
 * <p>Each method turns grad mode off and runs the operation's forward in {@code ops}: the forward
 * calls the ordinary tensor method, which now takes its plain path, and the node is attached to the
 * result.
 */
final class Autograd implements GradHook {

    static final GradBridge.Binder BINDER = GradBridge.install(new Autograd());

    private Autograd() {
    }

    private static Tensor recordingOff(Supplier<Tensor> forward) {
        boolean mode = GradBridge.setEnabled(false);
        try {
            return forward.get();
        } finally {
            GradBridge.setEnabled(mode);
        }
    }

    @Override
    public Tensor unary(Tensor x, UnaryOp op, float alpha, float beta) {
        return recordingOff(() -> Ops.unary(x, op, alpha, beta));
    }

    @Override
    public Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        return recordingOff(() -> Ops.binary(name, op, a, b));
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        return recordingOff(() -> Ops.where(cond, a, b));
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        return recordingOff(() -> Ops.reduce(op, x, dims, keepDim));
    }

    @Override
    public Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        return recordingOff(() -> Ops.mean(x, dims, keepDim));
    }

    @Override
    public Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepDim) {
        return recordingOff(() -> Ops.var(x, dims, unbiased, keepDim));
    }

    @Override
    public Tensor softmax(Tensor x, int dim, boolean log) {
        return recordingOff(() -> Ops.softmax(x, dim, log));
    }

    @Override
    public Tensor matmul(String name, Tensor a, Tensor b) {
        return recordingOff(() -> Ops.matmul(name, a, b));
    }

    @Override
    public Tensor cat(String name, List<Tensor> tensors, int dim) {
        return recordingOff(() -> Ops.cat(name, tensors, dim));
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        return recordingOff(() -> Ops.conv2d(x, weight, bias, stride, padding));
    }

    @Override
    public Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return recordingOff(() -> Ops.maxPool2d(x, kernel, stride, padding));
    }

    @Override
    public Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return recordingOff(() -> Ops.avgPool2d(x, kernel, stride, padding, countIncludePad));
    }

    @Override
    public Tensor reshaped(String name, Tensor x, Tensor view) {
        return Ops.reshaped(name, x, view);
    }

    @Override
    public Tensor permuted(String name, Tensor x, int[] order, Tensor view) {
        return Ops.permuted(name, x, order, view);
    }

    @Override
    public Tensor sliced(String name, Tensor x, int dim, int start, int step, boolean dropDim, Tensor view) {
        return Ops.sliced(name, x, dim, start, step, dropDim, view);
    }

    @Override
    public Tensor expanded(String name, Tensor x, Tensor view) {
        return Ops.expanded(name, x, view);
    }

    @Override
    public Tensor copied(String name, Tensor x, Tensor copy) {
        return Ops.copied(name, x, copy);
    }

    @Override
    public void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Engine.backward(root, gradient, retainGraph);
    }

    @Override
    public void retainGrad(Tensor t) {
        if (t.gradFn() instanceof Node node) {
            node.retained = t;
        }
    }
}
