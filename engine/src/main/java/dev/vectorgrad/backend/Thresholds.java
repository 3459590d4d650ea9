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

    /**
     * GEMMs with fewer than this many multiply-adds (m*n*k) run on the calling thread. A hand-off to the
     * pool and back costs ~15-100 us (waking a parked worker on an idle vCPU is the slow part); 2^21
     * multiply-adds take ~40 us on one core. Measured with every GEMM split over 2 threads: the packed path
     * (one hand-off, dynamic units) wins from 128^3 (103 vs 81 GFLOP/s), the direct path loses badly below
     * (64^3: 10 vs 93), and GEMM_SMALL keeps the direct path below 2^20.
     */
    public static final long PARALLEL_GEMM_FLOPS = 1L << 21;

    /** Conv/pool work (multiply-adds) below which the batch is not split across threads. */
    public static final long PARALLEL_IMAGE_WORK = 1L << 16;

    /**
     * GEMMs with m*n*k below this skip packing and run {@code GemmDirect}'s vector loops on the operands in
     * place (as do all m == 1 / n == 1 products). Its 4-row x 2-vector tiles stream B from L1/L2; below about
     * 100^3 that beats packing plus the MR/NR edge padding (64^3: ~95 vs ~75 GFLOP/s, 64x10x84: 40 vs 20 on
     * AVX-512), at 128^3 they are even and from 192^3 (or 128^3 with B transposed) packing wins.
     */
    public static final long GEMM_SMALL = 1L << 20;

    /**
     * GEMMs with at most this many rows (m) skip packing whatever their size: packing B for so few rows
     * costs about what using it does (4x512x512: 77 vs 31 GFLOP/s unpacked; 8x1024x1024 even; at 16 rows
     * packing wins by ~15% unless B is transposed).
     */
    public static final int GEMM_DIRECT_ROWS = 8;

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
