package dev.vectorgrad.bench;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Parallel;
import dev.vectorgrad.backend.scalar.ScalarBackend;
import dev.vectorgrad.backend.simd.SimdBackend;

import java.util.List;

/**
 * The values of the benchmarks' {@code impl} parameter: which backend runs a kernel and on how many
 * threads. Any other value is looked up with {@link Backends#get(String)} and runs on all threads, so a
 * plugged-in backend (such as "gpu") can be benchmarked by passing its name.
 */
final class Impl {

    /** The reference backend, single-threaded. */
    static final String SCALAR = "scalar";
    /** The Vector API backend limited to one thread. */
    static final String SIMD1 = "simd1";
    /** The Vector API backend on every thread of the pool. */
    static final String SIMD_ALL = "simdAll";

    /** The CPU implementations every report table has a column for, in column order. */
    static final List<String> CPU = List.of(SCALAR, SIMD1, SIMD_ALL);

    private Impl() {
    }

    static Backend backend(String impl) {
        return switch (impl) {
            case SCALAR -> new ScalarBackend();
            case SIMD1, SIMD_ALL -> new SimdBackend();
            default -> Backends.get(impl);
        };
    }

    static int threads(String impl) {
        return switch (impl) {
            case SCALAR, SIMD1 -> 1;
            default -> Parallel.maxThreads();
        };
    }

    /** Column heading for an implementation; {@code allThreads} is the pool size of the measured run. */
    static String label(String impl, int allThreads) {
        return switch (impl) {
            case SCALAR -> "scalar";
            case SIMD1 -> "SIMD 1t";
            case SIMD_ALL -> "SIMD " + allThreads + "t";
            default -> impl;
        };
    }
}
