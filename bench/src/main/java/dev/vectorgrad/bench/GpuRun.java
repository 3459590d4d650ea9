package dev.vectorgrad.bench;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BackendUnavailableException;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.gpu.Crossover;
import dev.vectorgrad.gpu.opencl.ClBackend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GEMM and conv2d on the "gpu" backend beside the host SIMD backend, measured in this JVM (not by JMH:
 * a device's kernel and copy times come from its own profiling events, which JMH cannot separate) with
 * {@link Crossover}: medians after warm-up runs, kernel time and transfer time apart, every device
 * run checked to have executed on the device. Without an OpenCL device the result says why.
 */
final class GpuRun {

    /** Sizes and repetitions per mode. */
    record Settings(int[] gemmSizes, int[] convBatches, int warmUp, Duration warmUpTime, int repeats, Duration budget) {
    }

    private GpuRun() {
    }

    static Settings settings(RunMode mode) {
        return switch (mode) {
            case FULL -> new Settings(new int[] {64, 128, 256, 512, 1024, 2048}, new int[] {1, 8, ConvBench.BATCH, 256},
                    3, Duration.ofSeconds(2), 30, Duration.ofSeconds(10));
            case QUICK -> new Settings(new int[] {64, 128, 256, 512, 1024}, new int[] {1, 16, ConvBench.BATCH},
                    2, Duration.ofSeconds(1), 15, Duration.ofSeconds(3));
            case SMOKE -> new Settings(new int[] {64}, new int[] {ConvBench.BATCH}, 1, Duration.ofMillis(200), 3,
                    Duration.ofMillis(500));
        };
    }

    static GpuResult run(Set<Suite> suites, RunMode mode) {
        ClBackend gpu;
        try {
            Backend b = Backends.get("gpu");
            if (!(b instanceof ClBackend cl)) {
                return GpuResult.unavailable("backend 'gpu' is " + b.describe() + ", not the OpenCL backend");
            }
            gpu = cl;
        } catch (BackendUnavailableException | IllegalArgumentException e) {
            return GpuResult.unavailable(e.getMessage());
        } catch (LinkageError e) {
            return GpuResult.unavailable("the OpenCL backend could not be loaded: " + e);
        }
        Settings s = settings(mode);
        String kind = gpu.device().kind();
        System.out.println("# gpu: measuring on " + gpu.device().label());
        List<String> errors = new ArrayList<>();
        Crossover.Report gemm = null;
        if (suites.contains(Suite.GEMM)) {
            try {
                gemm = configure(Crossover.gemm(s.gemmSizes()), gpu, s).run();
                System.out.println(gemm);
            } catch (RuntimeException e) {
                errors.add("gemm: " + e);
            }
        }
        Map<String, Crossover.Report> conv = new LinkedHashMap<>();
        if (suites.contains(Suite.CONV)) {
            for (String layer : List.of("conv1", "conv2")) {
                try {
                    ConvGeometry g = ConvBench.geometry(layer);
                    Crossover.Report r = configure(Crossover.conv2d(g, s.convBatches()), gpu, s).run();
                    conv.put(layer, r);
                    System.out.println(r);
                } catch (RuntimeException e) {
                    errors.add("conv2d " + layer + ": " + e);
                }
            }
        }
        return new GpuResult(null, gpu.device().label(), kind, gpu.device().isGpu(), gemm, conv, errors);
    }

    private static Crossover configure(Crossover c, ClBackend gpu, Settings s) {
        return c.device(gpu).host(Backends.host()).warmUp(s.warmUp()).warmUpTime(s.warmUpTime())
                .repeats(s.repeats()).budget(s.budget());
    }
}
