package dev.vectorgrad.backend.scalar;

/**
 * Reference SGEMM, row-major: {@code C = alpha * op(A) * op(B) + beta * C}. Triple loop with a
 * {@code double}-free float accumulator in the obvious i-j-p order; the definition, not a fast path.
 */
public final class ScalarGemm {

    private ScalarGemm() {
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int offA, int lda, float[] b, int offB, int ldb,
                            float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    float bv = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                    sum += av * bv;
                }
                int ci = offC + i * ldc + j;
                // beta == 0 means "overwrite": the old value (even NaN) must not leak in.
                c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }
}
