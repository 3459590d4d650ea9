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

    /**
     * Elementwise ops built on a transcendental function (exp, log, tanh, sigmoid, pow) split across
     * threads above this many elements: each element costs several times a plain add, so the pool
     * pays for itself on smaller tensors.
     */
    public static final int PARALLEL_TRANSCENDENTAL = 1 << 14;

    /** Reductions split across threads only above this many input elements. */
    public static final int PARALLEL_REDUCE = 1 << 16;

    /**
     * Softmax / log-softmax split across threads above this many elements (an exp per element, like
     * {@link #PARALLEL_TRANSCENDENTAL}).
     */
    public static final int PARALLEL_SOFTMAX = 1 << 14;

    /**
     * Softmax rows (inner == 1) shorter than this are processed a group at a time: with a row shorter
     * than two vectors most of its exps would fall to the scalar tail (10-class outputs: all of them).
     */
    public static final int SOFTMAX_SHORT_ROW = 32;

    /** Elements per group of short softmax rows (4 KiB of floats plus as much scratch: L1-resident). */
    public static final int SOFTMAX_GROUP = 1024;

    /**
     * Reductions and softmax over a non-innermost axis (inner &gt; 1) work on column blocks of at most
     * this many floats (1 KiB): the unit handed to a thread, and small enough that softmax's running
     * maximum and sum for a block stay in L1.
     */
    public static final int REDUCE_COLUMN_BLOCK = 256;

    /**
     * Side of the square tiles a transposing copy (innermost output dimension strided in the source,
     * the next one contiguous) moves at a time. Measured on 1024x1024 (power-of-two pitch, where every
     * strided access lands in the same cache set), 1000x1000 and tall/wide matrices: 8 to 12 was 4-6x
     * faster than an untiled copy at 1024 and never slower elsewhere; 32 and up lost most of the gain.
     */
    public static final int COPY_TRANSPOSE_TILE = 8;

    /**
     * Copies of contiguous rows use {@link System#arraycopy} from this length on; shorter rows are
     * cheaper as a plain loop than as a call.
     */
    public static final int COPY_ARRAYCOPY_MIN = 16;

    /** GEMMs with fewer than this many multiply-adds (m*n*k) run on the calling thread. */
    public static final long PARALLEL_GEMM_FLOPS = 1L << 18;

    /** Conv/pool work (multiply-adds) below which the batch is not split across threads. */
    public static final long PARALLEL_IMAGE_WORK = 1L << 16;

    /** GEMMs with m*n*k below this skip packing and use a direct vector loop. */
    public static final long GEMM_SMALL = 16L * 16 * 16;

    /** Depth of one packed panel (k-dimension block), sized so an A micro-panel and a B micro-panel fit L1. */
    public static final int GEMM_KC = 256;

    /** Rows of A packed per block: the packed A block (MC x KC floats) fits in L2. */
    public static final int GEMM_MC = 120;

    /** Columns of B packed per block: the packed B block (KC x NC floats) stays in L3 / the L2 of a core. */
    public static final int GEMM_NC = 3072;
}
