package dev.vectorgrad.bench;

import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;
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

/**
 * Memory-bound elementwise kernels on contiguous tensors: {@code add} of two tensors and {@code relu}
 * through {@link dev.vectorgrad.backend.Backend}, and {@code copy}, a {@code System.arraycopy} of the
 * same number of floats, measured in the same run as the bandwidth the kernels are compared with, plus
 * {@code copyLoop}, the same copy as a Java loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBench {

    /** Bytes one call reads and writes, for the GB/s columns of the report. */
    static long bytesMoved(String method, long n) {
        return switch (method) {
            case "add" -> 3L * Float.BYTES * n;   // read a, read b, write out
            case "relu", "copy", "copyLoop" -> 2L * Float.BYTES * n;
            default -> throw new IllegalArgumentException("unknown ElementwiseBench method " + method);
        };
    }

    /** Host arrays of {@code size} floats; {@code copy} uses only these, so it runs once per size. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1024", "65536", "1048576", "16777216"})
        public int size;

        float[] a;
        float[] b;
        float[] out;

        @Setup(Level.Trial)
        public void setUp() {
            a = BenchData.uniform(size, BenchData.SEED);
            b = BenchData.uniform(size, BenchData.SEED + 1);
            out = new float[size];
        }
    }

    /** The same data as storages of the backend under test. */
    @State(Scope.Benchmark)
    public static class Operands {
        Storage a;
        Storage b;
        Storage out;
        Layout layout;

        @Setup(Level.Trial)
        public void setUp(Data data, BackendState backend) {
            a = backend.backend.fromArray(data.a);
            b = backend.backend.fromArray(data.b);
            out = backend.backend.allocate(data.size);
            layout = Layout.contiguous(data.size);
        }
    }

    @Benchmark
    public Storage add(Operands o, BackendState s) {
        s.backend.binary(BinaryOp.ADD, o.a, o.layout, o.b, o.layout, o.out);
        return o.out;
    }

    @Benchmark
    public Storage relu(Operands o, BackendState s) {
        s.backend.unary(UnaryOp.RELU, 0f, 0f, o.a, o.layout, o.out);
        return o.out;
    }

    @Benchmark
    public float[] copy(Data d) {
        System.arraycopy(d.a, 0, d.out, 0, d.size);
        return d.out;
    }

    /**
     * The same copy as a Java loop (which C2 vectorizes): the bandwidth a kernel written in Java can reach.
     * {@code System.arraycopy} runs a hand-written JVM stub that may beat any Java loop on large arrays.
     */
    @Benchmark
    public float[] copyLoop(Data d) {
        float[] a = d.a;
        float[] out = d.out;
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
