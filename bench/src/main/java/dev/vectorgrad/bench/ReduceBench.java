package dev.vectorgrad.bench;

import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** Sum of all elements of a contiguous tensor, as {@code reduce(SUM)} over a {@code [1, n, 1]} block. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReduceBench {

    /** Bytes one call reads, for the GB/s columns of the report. */
    static long bytesMoved(String method, long n) {
        if (!method.equals("sum")) {
            throw new IllegalArgumentException("unknown ReduceBench method " + method);
        }
        return (long) Float.BYTES * n;
    }

    @State(Scope.Benchmark)
    public static class Operands {
        @Param({"1024", "65536", "1048576", "16777216"})
        public int size;

        Storage x;
        Storage out;

        @Setup(Level.Trial)
        public void setUp(BackendState backend) {
            x = backend.backend.fromArray(BenchData.uniform(size, BenchData.SEED));
            out = backend.backend.allocate(1);
        }
    }

    @Benchmark
    public Storage sum(Operands o, BackendState s) {
        s.backend.reduce(ReduceOp.SUM, o.x, 0, 1, o.size, 1, o.out);
        return o.out;
    }
}
