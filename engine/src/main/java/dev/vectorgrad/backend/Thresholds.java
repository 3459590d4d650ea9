package dev.vectorgrad.backend;

/**
 * Every size threshold and blocking constant of the CPU backends, in one place (EJML style).
 * Values were chosen from the JMH benchmarks in {@code bench/}; change them only with a benchmark.
 */
public final class Thresholds {

    private Thresholds() {
    }

    /**
     * Elementwise ops split across threads only above this many elements: below it, a memory-bound
     * loop finishes faster than the hand-off to the pool (~5-20 us) costs.
     */
    public static final int PARALLEL_ELEMENTWISE = 1 << 16;

    /** Reductions split across threads only above this many input elements. */
    public static final int PARALLEL_REDUCE = 1 << 16;

    /** GEMMs with fewer than this many multiply-adds (m*n*k) run on the calling thread. */
    public static final long PARALLEL_GEMM_FLOPS = 1L << 18;

    /**
     * Conv/pool work below which the batch (convolution, in multiply-adds) or the (image, channel) planes
     * (pooling, in window cells visited) are not split across threads.
     */
    public static final long PARALLEL_IMAGE_WORK = 1L << 16;

    /**
     * Largest per-thread im2col scratch buffer (in floats, 8 MiB) the SIMD convolution keeps between
     * calls; a bigger unfold is allocated for the call and dropped, so one huge layer does not pin memory
     * in every pool thread.
     */
    public static final int IMAGE_SCRATCH_KEEP = 1 << 21;

    /**
     * Convolution weight gradients with at most this many entries (K*C*kh*kw) are computed as direct dot
     * products of gradOut rows with im2col rows instead of a packed GEMM: for a first layer (few filters,
     * one channel, long image rows) packing would cost as much as the arithmetic.
     */
    public static final int IMAGE_WGRAD_DOT_OUTPUTS = 1024;

    /**
     * im2col copies runs at least this long with System.arraycopy (a long "same"-padding unfold row),
     * shorter ones (one output row of a valid convolution) with vector moves and a masked tail, which
     * measured about twice as fast as arraycopy on LeNet's 10-wide rows.
     */
    public static final int IMAGE_ARRAYCOPY_RUN = 64;

    /** GEMMs with m*n*k below this skip packing and use a direct vector loop. */
    public static final long GEMM_SMALL = 16L * 16 * 16;

    /** Depth of one packed panel (k-dimension block), sized so an A micro-panel and a B micro-panel fit L1. */
    public static final int GEMM_KC = 256;

    /** Rows of A packed per block: the packed A block (MC x KC floats) fits in L2. */
    public static final int GEMM_MC = 120;

    /** Columns of B packed per block: the packed B block (KC x NC floats) stays in L3 / the L2 of a core. */
    public static final int GEMM_NC = 3072;
}
