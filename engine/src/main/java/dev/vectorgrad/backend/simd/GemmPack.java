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
        if (transA) {
            packAColumns(a, offA, lda, i0, mb, p0, kb, dst);
        } else {
            packARows(a, offA, lda, i0, mb, p0, kb, dst);
        }
    }

    // In both packers every index is an affine function of the innermost loop variable, so C2 hoists
    // the bounds checks out of the loop; bumping a running offset instead (o += MR) kept them in and
    // made packing 1.5-10x slower.

    /** A stored row-major: read along each row, write with stride MR through the panel. */
    private static void packARows(float[] a, int offA, int lda, int i0, int mb, int p0, int kb, float[] dst) {
        for (int ip = 0; ip < mb; ip += MR) {
            int rows = Math.min(MR, mb - ip);
            int o = ip * kb;
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
        }
    }

    /** A stored transposed: each p holds the panel's MR rows contiguously, a short copy per p. */
    private static void packAColumns(float[] a, int offA, int lda, int i0, int mb, int p0, int kb, float[] dst) {
        for (int ip = 0; ip < mb; ip += MR) {
            int rows = Math.min(MR, mb - ip);
            int o = ip * kb;
            int src = offA + p0 * lda + i0 + ip;
            if (rows == MR) {
                for (int p = 0; p < kb; p++) {
                    for (int r = 0; r < MR; r++) {
                        dst[o + p * MR + r] = a[src + p * lda + r];
                    }
                }
            } else {
                for (int p = 0; p < kb; p++) {
                    for (int r = 0; r < MR; r++) {
                        dst[o + p * MR + r] = r < rows ? a[src + p * lda + r] : 0f;
                    }
                }
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
        if (!transB) {
            // Row p of the block is read once, left to right across all the panels: one long stream
            // (panel by panel, each row segment was a short one).
            for (int p = 0; p < kb; p++) {
                int src = offB + (p0 + p) * ldb;
                for (int q = qFrom; q < qTo; q++) {
                    int j = j0 + q * nr;
                    int cols = Math.min(nr, j0 + nb - j);
                    int w = panelWidth(j, j0 + nb);
                    int o = q * nr * kb + p * w;
                    if (cols == w) {
                        for (int v = 0; v < w; v += L) {
                            FloatVector.fromArray(S, b, src + j + v).intoArray(dst, o + v);
                        }
                    } else {
                        for (int x = 0; x < cols; x++) {
                            dst[o + x] = b[src + j + x];
                        }
                        for (int x = cols; x < w; x++) {
                            dst[o + x] = 0f;
                        }
                    }
                }
            }
            return;
        }
        for (int q = qFrom; q < qTo; q++) {
            int j = j0 + q * nr;
            int cols = Math.min(nr, j0 + nb - j);
            int w = panelWidth(j, j0 + nb);
            int o = q * nr * kb;
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
