package dev.vectorgrad.backend.simd;

import static dev.vectorgrad.backend.simd.GemmKernels.L;
import static dev.vectorgrad.backend.simd.GemmKernels.MR;
import static dev.vectorgrad.backend.simd.GemmKernels.S;

import jdk.incubator.vector.FloatVector;

/**
 * Packs blocks of op(A) and op(B) into the layouts the micro-kernels stream through, resolving the
 * transpose flags here so the kernels only ever see one layout:
 * <ul>
 *   <li>A block (rows {@code i0..i0+mb}, depth {@code p0..p0+kb}): micro-panels of MR rows, each stored
 *       p-major ({@code MR} consecutive floats per p), rows past the block zero-filled, so the kernel
 *       broadcasts consecutive elements.</li>
 *   <li>B block (depth {@code p0..p0+kb}, columns {@code j0..j0+nb}): micro-panels of {@code w} columns, p-major
 *       ({@code w} consecutive floats per p); w is NR except for the last panel, which is rounded up only to
 *       whole vectors; columns past n are zero-filled.</li>
 * </ul>
 * Packed data is contiguous and read once per kernel call in order, which keeps the hardware prefetchers
 * fed and makes every vector load aligned to the panel.
 */
final class GemmPack {
    private GemmPack() {
    }

    /**
     * Packs op(A)[i0:i0+mb, p0:p0+kb] into {@code dst[0 ..)} as ceil(mb/MR) micro-panels of {@code MR*kb}.
     * op(A)(i,p) is {@code a[offA + i*lda + p]}, or {@code a[offA + p*lda + i]} when transposed.
     */
    static void packA(boolean transA, float[] a, int offA, int lda, int i0, int mb, int p0, int kb, float[] dst) {
        int o = 0;
        for (int ip = 0; ip < mb; ip += MR) {
            int rows = Math.min(MR, mb - ip);
            if (transA) {
                // Each p holds the panel's rows contiguously: a short copy per p.
                int src = offA + p0 * lda + i0 + ip;
                for (int p = 0; p < kb; p++, src += lda, o += MR) {
                    for (int r = 0; r < rows; r++) {
                        dst[o + r] = a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        dst[o + r] = 0f;
                    }
                }
            } else {
                // Row by row: reads stream along each row of A, writes stride MR through the panel.
                for (int r = 0; r < rows; r++) {
                    int src = offA + (i0 + ip + r) * lda + p0;
                    for (int p = 0; p < kb; p++) {
                        dst[o + p * MR + r] = a[src + p];
                    }
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0; p < kb; p++) {
                        dst[o + p * MR + r] = 0f;
                    }
                }
                o += MR * kb;
            }
        }
    }

    /** Width in floats of the packed B panel that starts at column {@code j} of a block ending at {@code jEnd}. */
    static int panelWidth(int j, int jEnd) {
        int cols = Math.min(GemmKernels.NR, jEnd - j);
        return (cols + L - 1) / L * L;
    }

    /**
     * Packs the B micro-panels {@code q in [qFrom, qTo)} of op(B)[p0:p0+kb, j0:j0+nb] into {@code dst}; panel q
     * covers columns {@code j0 + q*NR ..} and starts at {@code dst[q*NR*kb]}. op(B)(p,j) is
     * {@code b[offB + p*ldb + j]}, or {@code b[offB + j*ldb + p]} when transposed.
     */
    static void packB(boolean transB, float[] b, int offB, int ldb, int p0, int kb, int j0, int nb,
                      int qFrom, int qTo, float[] dst) {
        int nr = GemmKernels.NR;
        for (int q = qFrom; q < qTo; q++) {
            int j = j0 + q * nr;
            int cols = Math.min(nr, j0 + nb - j);
            int w = panelWidth(j, j0 + nb);
            int o = q * nr * kb;
            if (!transB) {
                int src = offB + p0 * ldb + j;
                if (cols == w) {
                    // Whole vectors: a straight vector copy of each row segment.
                    for (int p = 0; p < kb; p++, src += ldb, o += w) {
                        for (int v = 0; v < w; v += L) {
                            FloatVector.fromArray(S, b, src + v).intoArray(dst, o + v);
                        }
                    }
                } else {
                    for (int p = 0; p < kb; p++, src += ldb, o += w) {
                        for (int x = 0; x < cols; x++) {
                            dst[o + x] = b[src + x];
                        }
                        for (int x = cols; x < w; x++) {
                            dst[o + x] = 0f;
                        }
                    }
                }
            } else {
                // Column x of the panel is row j+x of the stored matrix: read along it, write stride w.
                for (int x = 0; x < cols; x++) {
                    int src = offB + (j + x) * ldb + p0;
                    for (int p = 0; p < kb; p++) {
                        dst[o + p * w + x] = b[src + p];
                    }
                }
                for (int x = cols; x < w; x++) {
                    for (int p = 0; p < kb; p++) {
                        dst[o + p * w + x] = 0f;
                    }
                }
            }
        }
    }
}
