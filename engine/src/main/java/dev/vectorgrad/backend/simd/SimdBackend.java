package dev.vectorgrad.backend.simd;

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
 * The fast CPU backend: JDK Vector API kernels (preferred species), multithreaded over
 * {@link dev.vectorgrad.backend.Parallel}'s pool above the sizes in {@link dev.vectorgrad.backend.Thresholds}.
 * Tested against {@link dev.vectorgrad.backend.scalar.ScalarBackend} on random shapes.
 */
public final class SimdBackend implements Backend {

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String describe() {
        return SimdInfo.describe();
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
        SimdElementwise.copy(of(s), layout, out);
        return out;
    }

    @Override
    public void copy(Storage x, Layout layout, Storage out) {
        SimdElementwise.copy(of(x), layout, of(out));
    }

    @Override
    public void adamStep(int n, float[] w, int wo, float[] g, int go, float[] m, int mo, float[] v, int vo,
                         float b1, float c1, float b2, float c2, float negStep, float bias2Sqrt, float eps) {
        SimdOptim.adamStep(n, w, wo, g, go, m, mo, v, vo, b1, c1, b2, c2, negStep, bias2Sqrt, eps);
    }

    @Override
    public void sgdStep(int n, float[] w, int wo, float[] g, int go, float[] buf, int bo,
                        float negLr, float wd, float mom, float damp, boolean nesterov, boolean first) {
        SimdOptim.sgdStep(n, w, wo, g, go, buf, bo, negLr, wd, mom, damp, nesterov, first);
    }

    @Override
    public void bytesToStandardized(int n, byte[] src, int s, float[] dst, int d, float mean, float std) {
        PixelConversion.bytesToStandardized(n, src, s, dst, d, mean, std);
    }

    @Override
    public void fill(Storage out, int offset, int count, float value) {
        java.util.Arrays.fill(of(out), offset, offset + count, value);
    }

    @Override
    public void unary(UnaryOp op, float alpha, float beta, Storage x, Layout layout, Storage out) {
        SimdElementwise.unary(op, alpha, beta, of(x), layout, of(out));
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        SimdElementwise.binary(op, of(a), la, of(b), lb, of(out));
    }

    @Override
    public void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        SimdElementwise.where(of(cond), lc, of(a), la, of(b), lb, of(out));
    }

    @Override
    public void reduce(ReduceOp op, Storage x, int offset, int outer, int len, int inner, Storage out) {
        SimdReduce.reduce(op, of(x), offset, outer, len, inner, of(out));
    }

    @Override
    public void softmax(Storage x, int offset, int outer, int len, int inner, boolean log, Storage out) {
        SimdReduce.softmax(of(x), offset, outer, len, inner, log, of(out));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, int offA, int lda, Storage b, int offB, int ldb,
                     float beta, Storage c, int offC, int ldc) {
        SimdGemm.gemm(transA, transB, m, n, k, alpha, of(a), offA, lda, of(b), offB, ldb, beta, of(c), offC, ldc);
    }

    @Override
    public void im2col(ConvGeometry g, Storage x, int image, Storage col, int colOffset) {
        SimdImage.im2col(g, of(x), image, of(col), colOffset);
    }

    @Override
    public void col2im(ConvGeometry g, Storage col, int colOffset, Storage dx, int image) {
        SimdImage.col2im(g, of(col), colOffset, of(dx), image);
    }

    @Override
    public void conv2d(ConvGeometry g, Storage x, Storage weight, Storage bias, Storage out) {
        SimdImage.conv2d(g, of(x), of(weight), bias == null ? null : of(bias), of(out));
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Storage weight, Storage gradOut, Storage gradInput) {
        SimdImage.conv2dBackwardInput(g, of(weight), of(gradOut), of(gradInput));
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Storage x, Storage gradOut, Storage gradWeight, Storage gradBias) {
        SimdImage.conv2dBackwardWeight(g, of(x), of(gradOut), of(gradWeight), gradBias == null ? null : of(gradBias));
    }

    @Override
    public void maxPool2d(PoolGeometry g, Storage x, Storage out) {
        SimdImage.maxPool2d(g, of(x), of(out));
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage gradOut, Storage gradInput) {
        SimdImage.maxPool2dBackward(g, of(x), of(gradOut), of(gradInput));
    }

    @Override
    public boolean recordsPoolIndices() {
        return true;
    }

    @Override
    public void maxPool2dWithIndices(PoolGeometry g, Storage x, Storage out, Storage argmax) {
        SimdImage.maxPool2dWithIndices(g, of(x), of(out), of(argmax));
    }

    @Override
    public void maxPool2dBackwardIndices(PoolGeometry g, Storage argmax, Storage gradOut, Storage gradInput) {
        SimdImage.maxPool2dBackwardIndices(g, of(argmax), of(gradOut), of(gradInput));
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out) {
        SimdImage.avgPool2d(g, countIncludePad, of(x), of(out));
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput) {
        SimdImage.avgPool2dBackward(g, countIncludePad, of(gradOut), of(gradInput));
    }
}
