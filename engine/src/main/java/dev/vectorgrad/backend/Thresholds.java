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

    /**
     * Pieces per thread of a parallel loop, taken dynamically: more pieces let a thread that runs finish
     * the share of one the machine has not scheduled yet (a shared or loaded machine), fewer cost less
     * per-piece setup.
     */
    public static final int PARALLEL_PIECES_PER_THREAD = 4;

    /**
     * How long a pool worker that has finished a loop keeps looking for the next before it parks (see
     * {@link Parallel}). Measured on a 2-core virtual machine, a hand-off 200 us after the last one reaches
     * a parked worker in ~45 us and a looking one in ~1 us; the MLP's training step (~300 us) hands the
     * pool three loops (the batch's conversion and the two large products).
     */
    public static final long PARALLEL_WORKER_POLL_NANOS = 300_000L;

    /**
     * Pixels of a batch of images ({@code ImageDataset.batch}) from which the images are converted from
     * bytes on all threads: 64 random Fashion-MNIST images (50,176 pixels) took 44-50 us on one thread,
     * 33 on two.
     */
    public static final int PARALLEL_PIXEL_CONVERSION = 1 << 14;

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

    /**
     * GEMMs with fewer than this many multiply-adds (m*n*k) run on the calling thread. A hand-off to a
     * worker that has parked costs ~30-50 us (waking it on an idle vCPU), to one still looking for work
     * ~1 us ({@link #PARALLEL_WORKER_POLL_NANOS}); 2^21 multiply-adds take ~40 us on one core. Measured with
     * every GEMM split over 2 threads: the packed path (one hand-off, dynamic units) wins from 128^3 (103 vs
     * 81 GFLOP/s), the direct path loses badly below (64^3: 10 vs 93), and GEMM_SMALL keeps the direct path
     * below 2^20.
     */
    public static final long PARALLEL_GEMM_FLOPS = 1L << 21;

    /**
     * The same for the dot-product form ({@code GemmDot}, a linear layer's forward pass), which shares no
     * packed B between threads: splitting it only splits the FMAs. Measured 200 us after the previous
     * product (as in a training step), one thread against two: 64 x 128 x 784 125 vs 70 us, 64 x 120 x 400
     * 67 vs 43, 16 x 128 x 784 (1.6M multiply-adds) 31 vs 19, 8 x 128 x 784 (0.8M) 17 vs 16, and at 0.5M
     * even or worse.
     */
    public static final long PARALLEL_GEMM_DOT_FLOPS = 1L << 20;

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
     * Floats of one chunk's matrices in the lowered convolution (the column matrix of a few images side by
     * side, 512 KiB): the chunk's GEMM output and the unfolding that reads it then share the per-core L2
     * with the operands, and the chunks are the units split across threads. LeNet's second convolution,
     * input gradient, best of 200: 0.55 ms at 1 MiB, 0.52 ms at 512 KiB, 0.57 ms at 256 KiB.
     */
    public static final int IMAGE_CHUNK_FLOATS = 1 << 17;

    /**
     * Convolution weight gradients with at most this many entries (K*C*kh*kw) are computed as direct dot
     * products of gradOut rows with im2col rows (4 x 4 at a time) instead of a packed GEMM: the inner
     * dimension (positions times images of a chunk) is long and the output small, so packing costs as much
     * as the arithmetic. Measured at 16 x 150 outputs over 6400-long rows: 0.34 ms against 1.1 ms.
     */
    public static final int IMAGE_WGRAD_DOT_OUTPUTS = 4096;

    /**
     * im2col copies runs at least this long with System.arraycopy (a long "same"-padding unfold row),
     * shorter ones (one output row of a valid convolution) with vector moves and a masked tail, which
     * measured about twice as fast as arraycopy on LeNet's 10-wide rows.
     */
    public static final int IMAGE_ARRAYCOPY_RUN = 64;

    /**
     * GEMMs with m*n*k below this skip packing and run {@code GemmDirect}'s vector loops on the operands in
     * place (as do all m == 1 / n == 1 products), unless they fit the dot-product form, which is tried first
     * (16 x 64 x 784 with B transposed: 16 us as dot products, 71 us direct; 64 x 10 x 256: 7 vs 18). Its
     * 4-row x 2-vector tiles stream B from L1/L2; below about 100^3 that beats packing plus the MR/NR edge
     * padding (64^3: ~95 vs ~75 GFLOP/s, 64x10x84: 40 vs 20 on AVX-512), at 128^3 they are even and from
     * 192^3 (or 128^3 with B transposed) packing wins.
     */
    public static final long GEMM_SMALL = 1L << 20;

    /**
     * GEMMs with at most this many rows (m) skip packing whatever their size: packing B for so few rows
     * costs about what using it does (4x512x512: 77 vs 31 GFLOP/s unpacked; 8x1024x1024 even; at 16 rows
     * packing wins by ~15% unless B is transposed).
     */
    public static final int GEMM_DIRECT_ROWS = 8;

    /**
     * Shortest depth k for which {@code A * B^T} (B stored n x k, a linear layer's weight) runs as dot products
     * of rows without packing ({@code GemmDot}): each element of C ends in a horizontal sum (~7 cycles), which
     * its k / lanes FMA steps must amortize. One AVX-512 core: 64 x 128 x 784 ran in ~130 us against ~195 us
     * packed, 64 x 120 x 400 in 75 against 110, 64 x 512 x 256 in 220 against 260; at k = 200 or 120 packing
     * won (27 against 40 us) and at 256 x 256 x 64 by 2x.
     */
    public static final int GEMM_DOT_MIN_K = 256;

    /**
     * Most rows of A for the dot-product form: packing B costs the same whatever m is, and with many rows it
     * is repaid (512 x 256 x 256: 660 us packed against 850; 256 x 128 x 784 about even).
     */
    public static final int GEMM_DOT_MAX_ROWS = 256;

    /**
     * Largest stored B (n x k floats) for the dot-product form: every 4-row block of A streams all of B, which
     * must stay in the per-core L2 (512 KiB of it at this size; the MLP's 128 x 784 weight is 392 KiB).
     * Larger B goes through the cache-blocked packed GEMM.
     */
    public static final long GEMM_DOT_MAX_B = 1L << 17;

    /**
     * Largest packed op(B), in floats (k x n rounded up to whole NR panels), that a multithreaded GEMM packs
     * whole and shares (16 MiB: N = 2048): the threads then need one hand-off to the pool per call and claim
     * units of C dynamically. Bigger products pack and split B block by block (two hand-offs per KC x NC
     * block, negligible at that size).
     */
    public static final long GEMM_PARALLEL_B = 1L << 22;

    /**
     * Depth of one packed block (k-dimension). Every KC block re-reads and re-writes all of C, so long
     * blocks cut that traffic: 512 ran ~7% faster than 256 at N = 1024 / 2048 (AVX-512, 6x64 tile) and 128
     * ~10% slower. One B micro-panel (KC x NR, 128 KiB at NR = 64) then streams from L2 while the A
     * micro-panel (MR x KC, 12 KiB) stays in L1.
     */
    public static final int GEMM_KC = 512;

    /**
     * Rows of A packed per block (rounded down to whole MR micro-panels): the MC x KC packed A block
     * (192 KiB) stays in the per-core L2 next to the B micro-panel being used. A multiple of 6, 8 and
     * 12 so common tiles use it whole.
     */
    public static final int GEMM_MC = 96;

    /**
     * Columns of B packed per block (rounded down to whole NR micro-panels) on one thread and in the
     * block-by-block parallel schedule: the KC x NC packed B block (up to 8 MiB) lives in L3; large so that
     * A is repacked rarely.
     */
    public static final int GEMM_NC = 4096;
}
