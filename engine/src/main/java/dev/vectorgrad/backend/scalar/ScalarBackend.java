package dev.vectorgrad.backend.scalar;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;

import static dev.vectorgrad.backend.HostStorage.of;

/**
 * The reference backend: plain single-threaded loops written to be read, never optimised. It is the
 * specification of every kernel and the oracle every other backend is tested against.
 */
public final class ScalarBackend implements Backend {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String describe() {
        return "plain Java loops, 1 thread (reference implementation)";
    }

    @Override
    public Storage allocate(int size) {
        return HostStorage.allocate(size);
    }

    @Override
    public Storage fromArray(float[] data) {
        return new HostStorage(data);
    }

    @Override
    public float[] toArray(Storage s, Layout layout) {
        float[] out = new float[layout.size()];
        ScalarElementwise.copy(of(s), layout, out);
        return out;
    }

    @Override
    public void copy(Storage x, Layout layout, Storage out) {
        ScalarElementwise.copy(of(x), layout, of(out));
    }

    @Override
    public void fill(Storage out, int offset, int count, float value) {
        java.util.Arrays.fill(of(out), offset, offset + count, value);
    }

    @Override
    public void unary(UnaryOp op, float alpha, float beta, Storage x, Layout layout, Storage out) {
        ScalarElementwise.unary(op, alpha, beta, of(x), layout, of(out));
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        ScalarElementwise.binary(op, of(a), la, of(b), lb, of(out));
    }

    @Override
    public void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        ScalarElementwise.where(of(cond), lc, of(a), la, of(b), lb, of(out));
    }

    @Override
    public void reduce(ReduceOp op, Storage x, int offset, int outer, int len, int inner, Storage out) {
        ScalarReduce.reduce(op, of(x), offset, outer, len, inner, of(out));
    }

    @Override
    public void softmax(Storage x, int offset, int outer, int len, int inner, boolean log, Storage out) {
        ScalarReduce.softmax(of(x), offset, outer, len, inner, log, of(out));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, int offA, int lda, Storage b, int offB, int ldb,
                     float beta, Storage c, int offC, int ldc) {
        ScalarGemm.gemm(transA, transB, m, n, k, alpha, of(a), offA, lda, of(b), offB, ldb, beta, of(c), offC, ldc);
    }

    @Override
    public void im2col(ConvGeometry g, Storage x, int image, Storage col, int colOffset) {
        ScalarImage.im2col(g, of(x), image, of(col), colOffset);
    }

    @Override
    public void col2im(ConvGeometry g, Storage col, int colOffset, Storage dx, int image) {
        ScalarImage.col2im(g, of(col), colOffset, of(dx), image);
    }

    @Override
    public void conv2d(ConvGeometry g, Storage x, Storage weight, Storage bias, Storage out) {
        ScalarImage.conv2d(g, of(x), of(weight), bias == null ? null : of(bias), of(out));
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Storage weight, Storage gradOut, Storage gradInput) {
        ScalarImage.conv2dBackwardInput(g, of(weight), of(gradOut), of(gradInput));
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Storage x, Storage gradOut, Storage gradWeight, Storage gradBias) {
        ScalarImage.conv2dBackwardWeight(g, of(x), of(gradOut), of(gradWeight), gradBias == null ? null : of(gradBias));
    }

    @Override
    public void maxPool2d(PoolGeometry g, Storage x, Storage out) {
        ScalarImage.maxPool2d(g, of(x), of(out));
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage gradOut, Storage gradInput) {
        ScalarImage.maxPool2dBackward(g, of(x), of(gradOut), of(gradInput));
    }

    @Override
    public boolean recordsPoolIndices() {
        return true;
    }

    @Override
    public void maxPool2dWithIndices(PoolGeometry g, Storage x, Storage out, Storage argmax) {
        ScalarImage.maxPool2dWithIndices(g, of(x), of(out), of(argmax));
    }

    @Override
    public void maxPool2dBackwardIndices(PoolGeometry g, Storage argmax, Storage gradOut, Storage gradInput) {
        ScalarImage.maxPool2dBackwardIndices(g, of(argmax), of(gradOut), of(gradInput));
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out) {
        ScalarImage.avgPool2d(g, countIncludePad, of(x), of(out));
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput) {
        ScalarImage.avgPool2dBackward(g, countIncludePad, of(gradOut), of(gradInput));
    }
}
