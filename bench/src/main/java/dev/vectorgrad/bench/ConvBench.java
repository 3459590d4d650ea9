package dev.vectorgrad.bench;

import dev.vectorgrad.backend.ConvGeometry;
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

/** Forward conv2d (with bias) of the two LeNet-5 convolution layers on a minibatch of 64. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBench {

    static final int BATCH = 64;

    /** The layer shapes, by the {@code layer} parameter's value. */
    static ConvGeometry geometry(String layer) {
        return switch (layer) {
            // 1 -> 6 channels, 5x5, padding 2, on 28x28 (output 28x28)
            case "conv1" -> new ConvGeometry(BATCH, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2);
            // 6 -> 16 channels, 5x5, no padding, on 14x14 (output 10x10)
            case "conv2" -> new ConvGeometry(BATCH, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0);
            default -> throw new IllegalArgumentException("unknown ConvBench layer " + layer);
        };
    }

    /** One line naming a layer's shapes for the report. */
    static String describe(String layer) {
        ConvGeometry g = geometry(layer);
        return g.c() + "→" + g.k() + " " + g.kh() + "x" + g.kw() + " pad " + g.padH() + " on " + g.h() + "x" + g.w()
                + ", batch " + g.n();
    }

    @State(Scope.Benchmark)
    public static class Operands {
        @Param({"conv1", "conv2"})
        public String layer;

        ConvGeometry g;
        Storage x;
        Storage weight;
        Storage bias;
        Storage out;

        @Setup(Level.Trial)
        public void setUp(BackendState backend) {
            g = geometry(layer);
            float fanIn = (float) Math.sqrt(g.colRows());
            x = backend.backend.fromArray(BenchData.uniform(g.inputSize(), BenchData.SEED));
            weight = backend.backend.fromArray(BenchData.uniform(g.weightSize(), BenchData.SEED + 1, 1f / fanIn));
            bias = backend.backend.fromArray(BenchData.uniform(g.k(), BenchData.SEED + 2, 0.1f));
            out = backend.backend.allocate(g.outputSize());
        }
    }

    @Benchmark
    public Storage forward(Operands o, BackendState s) {
        s.backend.conv2d(o.g, o.x, o.weight, o.bias, o.out);
        return o.out;
    }
}
