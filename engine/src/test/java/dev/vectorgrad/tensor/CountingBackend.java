package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;

import java.util.ArrayList;
import java.util.List;

/** Delegates to another backend and records copies and gemm calls, to check what Tensor asks for. */
final class CountingBackend implements Backend {

    record GemmCall(boolean transA, boolean transB, int m, int n, int k, int offA, int lda, int offB, int ldb) {
    }

    private final Backend inner;
    int copies;
    final List<GemmCall> gemms = new ArrayList<>();

    CountingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public String describe() {
        return "counting wrapper of " + inner.name();
    }

    @Override
    public Storage allocate(int size) {
        return inner.allocate(size);
    }

    @Override
    public Storage fromArray(float[] data) {
        return inner.fromArray(data);
    }

    @Override
    public float[] toArray(Storage s, Layout layout) {
        return inner.toArray(s, layout);
    }

    @Override
    public void copy(Storage x, Layout layout, Storage out) {
        copies++;
        inner.copy(x, layout, out);
    }

    @Override
    public void fill(Storage out, int offset, int count, float value) {
        inner.fill(out, offset, count, value);
    }

    @Override
    public void unary(UnaryOp op, float alpha, float beta, Storage x, Layout layout, Storage out) {
        inner.unary(op, alpha, beta, x, layout, out);
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        inner.binary(op, a, la, b, lb, out);
    }

    @Override
    public void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        inner.where(cond, lc, a, la, b, lb, out);
    }

    @Override
    public void reduce(ReduceOp op, Storage x, int offset, int outer, int len, int inner, Storage out) {
        this.inner.reduce(op, x, offset, outer, len, inner, out);
    }

    @Override
    public void softmax(Storage x, int offset, int outer, int len, int inner, boolean log, Storage out) {
        this.inner.softmax(x, offset, outer, len, inner, log, out);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int offA, int lda,
                     Storage b, int offB, int ldb, float beta, Storage c, int offC, int ldc) {
        gemms.add(new GemmCall(transA, transB, m, n, k, offA, lda, offB, ldb));
        inner.gemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    @Override
    public void im2col(ConvGeometry g, Storage x, int image, Storage col, int colOffset) {
        inner.im2col(g, x, image, col, colOffset);
    }

    @Override
    public void col2im(ConvGeometry g, Storage col, int colOffset, Storage dx, int image) {
        inner.col2im(g, col, colOffset, dx, image);
    }

    @Override
    public void conv2d(ConvGeometry g, Storage x, Storage weight, Storage bias, Storage out) {
        inner.conv2d(g, x, weight, bias, out);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Storage weight, Storage gradOut, Storage gradInput) {
        inner.conv2dBackwardInput(g, weight, gradOut, gradInput);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Storage x, Storage gradOut, Storage gradWeight, Storage gradBias) {
        inner.conv2dBackwardWeight(g, x, gradOut, gradWeight, gradBias);
    }

    @Override
    public void maxPool2d(PoolGeometry g, Storage x, Storage out) {
        inner.maxPool2d(g, x, out);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage gradOut, Storage gradInput) {
        inner.maxPool2dBackward(g, x, gradOut, gradInput);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out) {
        inner.avgPool2d(g, countIncludePad, x, out);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput) {
        inner.avgPool2dBackward(g, countIncludePad, gradOut, gradInput);
    }
}
