package dev.vectorgrad.bench;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Parallel;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The backend under test, shared by the kernel benchmarks through their {@code impl} parameter (see
 * {@link Impl}). Sets the pool's thread count for the trial and restores it afterwards.
 */
@State(Scope.Benchmark)
public class BackendState {

    @Param({Impl.SCALAR, Impl.SIMD1, Impl.SIMD_ALL})
    public String impl;

    public Backend backend;

    private int previousThreads;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Impl.backend(impl);
        previousThreads = Parallel.setThreads(Impl.threads(impl));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(previousThreads);
    }
}
