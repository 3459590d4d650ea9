package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.scalar.ScalarGemm;

/** Vector API SGEMM (placeholder delegating to the reference until the packed kernel lands). */
public final class SimdGemm {
    private SimdGemm() {
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int offA, int lda, float[] b, int offB, int ldb,
                            float beta, float[] c, int offC, int ldc) {
        ScalarGemm.gemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }
}
