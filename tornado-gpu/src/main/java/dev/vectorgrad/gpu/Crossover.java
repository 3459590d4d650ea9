package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.plan.Accelerator;
import dev.vectorgrad.gpu.plan.Accelerator.DeviceCommand;
import dev.vectorgrad.gpu.plan.Accelerator.DeviceCommand.Kind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Measures where offloading an operation to the device pays: the host backend (SIMD on every pool
 * thread, by default) against the device, for GEMM (N×N times N×N) or a conv2d layer over batch sizes.
 *
 * <pre>{@code
 * Crossover.Report r = Crossover.gemm(64, 128, 256, 512, 1024).warmUp(2).repeats(5).run();
 * System.out.println(r);                       // one row per size, then the crossover sizes
 * r.crossoverWithTransfers();                  // smallest N from which the device wins, if any
 * }</pre>
 *
 * <p>For every size, after unmeasured warm-up runs of each kind ({@code warmUp} runs and at least
 * {@code warmUpTime}), {@code repeats} measured runs of each give medians of:
 * <ul>
 *   <li><b>host</b>: the host backend's kernel on host arrays (wall time);</li>
 *   <li><b>device, resident</b>: the device kernel on operands already in device memory, enqueue to
 *       completion (wall time), and the kernels' own device time from the profiling events;</li>
 *   <li><b>device with transfers</b>: what an op on host data costs: upload the operands, run, download
 *       the result (wall time), with the copies' device time apart.</li>
 * </ul>
 * A run whose kernels were not executed by the device is an error, never a device timing: the
 * device's command count and the recorded kernel events are checked at every run. Each size's device
 * result is compared with the host's ({@link Point#maxRelativeError()}). Large sizes stop repeating
 * once a kind of run has used its time budget (at least three runs are always made).
 *
 * <p>The crossover is the smallest measured size from which the device is faster at that size and at
 * every larger one measured; none when the host wins at the largest. {@code Report#device()} says
 * what the device is ("PoCL on CPU ..., not a GPU" on a machine without a GPU).
 */
public final class Crossover {

    private final String op;
    private final String axis;
    private final List<Problem> problems;
    private Backend host;
    private Accelerator device;
    private int warmUp = 2;
    private long warmUpNanos = 1_000_000_000L;
    private int repeats = 5;
    private long budgetNanos = 3_000_000_000L;

    /** One size: operands, output size, work, and the kernel a backend runs on them. */
    private record Problem(String label, long size, double flops, float[][] inputs, int outSize, Kernel kernel) {
    }

    @FunctionalInterface
    private interface Kernel {
        void run(Backend b, Storage[] in, Storage out);
    }

    private Crossover(String op, String axis, List<Problem> problems) {
        this.op = op;
        this.axis = axis;
        this.problems = problems;
    }

    /** Square SGEMM {@code C = A·B} (beta = 0) for each N; flops = 2·N³. */
    public static Crossover gemm(int... sizes) {
        List<Problem> list = new ArrayList<>();
        for (int n : sortedPositive("gemm", sizes)) {
            float[] a = random(n * n, n);
            float[] b = random(n * n, n + 1);
            list.add(new Problem("N=" + n, n, 2.0 * n * n * n, new float[][] {a, b}, n * n,
                    (be, in, out) -> be.gemm(false, false, n, n, n, 1f, in[0], 0, n, in[1], 0, n, 0f, out, 0, n)));
        }
        return new Crossover("gemm", "N", list);
    }

    /**
     * Forward conv2d with bias of the layer {@code layer} (its batch size ignored) for each batch size;
     * flops = {@link ConvGeometry#flops()}.
     */
    public static Crossover conv2d(ConvGeometry layer, int... batches) {
        Objects.requireNonNull(layer, "conv2d: layer is null");
        List<Problem> list = new ArrayList<>();
        for (int n : sortedPositive("conv2d", batches)) {
            ConvGeometry g = new ConvGeometry(n, layer.c(), layer.h(), layer.w(), layer.k(), layer.kh(), layer.kw(),
                    layer.strideH(), layer.strideW(), layer.padH(), layer.padW());
            float[] x = random(g.inputSize(), n);
            float[] w = random(g.weightSize(), n + 1);
            float[] bias = random(g.k(), n + 2);
            list.add(new Problem("batch " + n, n, g.flops(), new float[][] {x, w, bias}, g.outputSize(),
                    (be, in, out) -> be.conv2d(g, in[0], in[1], in[2], out)));
        }
        return new Crossover("conv2d " + layer.c() + "→" + layer.k() + " " + layer.kh() + "x" + layer.kw() + " on "
                + layer.h() + "x" + layer.w(), "batch", list);
    }

    private static int[] sortedPositive(String what, int[] sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException(what + ": give at least one size");
        }
        int[] s = sizes.clone();
        Arrays.sort(s);
        if (s[0] <= 0) {
            throw new IllegalArgumentException(what + ": sizes must be > 0, got " + Arrays.toString(sizes));
        }
        return Arrays.stream(s).distinct().toArray();
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 7);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }

    /** The host side (default {@link Backends#host()}: SIMD on every pool thread when available). */
    public Crossover host(Backend backend) {
        this.host = Objects.requireNonNull(backend, "host: backend is null");
        return this;
    }

    /** The device side (default the "gpu" backend). */
    public Crossover device(Accelerator accelerator) {
        this.device = Objects.requireNonNull(accelerator, "device: accelerator is null");
        return this;
    }

    /** The device backend registered under {@code name}, which must be a device backend. */
    public Crossover device(String name) {
        Backend b = Backends.get(name);
        if (!(b instanceof Accelerator a)) {
            throw new IllegalArgumentException("device: backend '" + name + "' runs on the host, not on a device");
        }
        return device(a);
    }

    /** Unmeasured runs of each kind before the measured ones (default 2). */
    public Crossover warmUp(int runs) {
        if (runs < 0) {
            throw new IllegalArgumentException("warmUp: runs must be >= 0, got " + runs);
        }
        this.warmUp = runs;
        return this;
    }

    /**
     * Warm-up also lasts at least this long per size and kind (default 1 s), so that the JIT has
     * compiled the host kernels (the Vector API is very slow until it has) and lazy drivers have built
     * theirs; 0 leaves only the {@link #warmUp(int)} runs.
     */
    public Crossover warmUpTime(Duration atLeast) {
        Objects.requireNonNull(atLeast, "warmUpTime: duration is null");
        this.warmUpNanos = Math.max(0, atLeast.toNanos());
        return this;
    }

    /** Measured runs of each kind per size (default 5); medians are reported. */
    public Crossover repeats(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("repeats: runs must be >= 1, got " + runs);
        }
        this.repeats = runs;
        return this;
    }

    /**
     * Time after which a kind of run stops repeating at one size (default 3 s); at least
     * {@code min(3, repeats)} measured runs are made regardless.
     */
    public Crossover budget(Duration perKind) {
        Objects.requireNonNull(perKind, "budget: duration is null");
        this.budgetNanos = Math.max(0, perKind.toNanos());
        return this;
    }

    // ================================================================ results

    /**
     * One size, times in milliseconds (medians of the measured runs).
     *
     * @param label            {@code N=256}, {@code batch 64}
     * @param size             the size on the measured axis (N, batch)
     * @param flops            floating-point operations of one run
     * @param hostMs           the host backend
     * @param hostRuns         measured host runs
     * @param residentMs       the device on resident operands, enqueue to completion (host clock)
     * @param kernelMs         the device's own time for the kernels of a resident run (profiling events)
     * @param kernels          device kernels per run (GEMM calls and own kernels)
     * @param withTransfersMs  upload of the operands, run, download of the result (host clock)
     * @param copyInMs         device time of the uploads in a run with transfers
     * @param copyOutMs        device time of the download in a run with transfers
     * @param transferBytes    bytes moved by a run with transfers (both ways)
     * @param deviceRuns       measured device runs of each kind
     * @param maxRelativeError largest |device - host| / max(|host|, 1e-3 · largest |host|) over the output
     */
    public record Point(String label, long size, double flops, double hostMs, int hostRuns, double residentMs,
                        double kernelMs, int kernels, double withTransfersMs, double copyInMs, double copyOutMs,
                        long transferBytes, int deviceRuns, double maxRelativeError) {

        /** GFLOP/s of a run taking {@code ms}. */
        public double gflops(double ms) {
            return flops / (ms * 1e-3) / 1e9;
        }

        public boolean deviceWinsResident() {
            return residentMs < hostMs;
        }

        public boolean deviceWinsWithTransfers() {
            return withTransfersMs < hostMs;
        }
    }

    /**
     * Everything one {@link #run()} measured.
     *
     * @param op          "gemm" or the conv2d layer
     * @param axis        "N" or "batch"
     * @param device      what the device is, e.g. {@code PoCL on CPU (pthread-..., 2 compute units, ...), not a GPU}
     * @param deviceIsGpu whether the device is a GPU
     * @param host        the host backend's own description
     * @param warmUp      unmeasured runs of each kind per size (at least)
     * @param warmUpMs    least time spent warming up per size and kind
     * @param repeats     measured runs of each kind asked for per size
     * @param points      one per size, ascending
     */
    public record Report(String op, String axis, String device, boolean deviceIsGpu, String host, int warmUp,
                         double warmUpMs, int repeats, List<Point> points) {

        public Report {
            points = List.copyOf(points);
        }

        /** Smallest size from which the device wins on resident operands at every larger size measured. */
        public OptionalLong crossoverResident() {
            return crossover(true);
        }

        /** Smallest size from which the device wins, transfers included, at every larger size measured. */
        public OptionalLong crossoverWithTransfers() {
            return crossover(false);
        }

        private OptionalLong crossover(boolean resident) {
            int from = points.size();
            for (int i = points.size() - 1; i >= 0; i--) {
                Point p = points.get(i);
                if (resident ? p.deviceWinsResident() : p.deviceWinsWithTransfers()) {
                    from = i;
                } else {
                    break;
                }
            }
            return from == points.size() ? OptionalLong.empty() : OptionalLong.of(points.get(from).size());
        }

        /** One sentence per comparison: where the device starts to win, or that it does not. */
        public String summary() {
            return sentence("with operands resident on the device", crossoverResident()) + "\n"
                    + sentence("with transfers (operands uploaded, result downloaded)", crossoverWithTransfers());
        }

        private String sentence(String how, OptionalLong at) {
            if (points.isEmpty()) {
                return op + ": nothing measured";
            }
            long largest = points.get(points.size() - 1).size();
            String dev = deviceIsGpu ? "the GPU" : "the device";
            if (at.isEmpty()) {
                return op + ", " + how + ": the host wins at " + axis + " = " + largest + ", the largest size measured;"
                        + " no crossover";
            }
            long first = points.get(0).size();
            return op + ", " + how + ": " + dev + " wins from " + axis + " = " + at.getAsLong()
                    + (at.getAsLong() == first ? " (the smallest size measured)" : "") + " on";
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(op).append(": host ").append(host).append('\n');
            sb.append("device: ").append(device).append('\n');
            sb.append(String.format(Locale.ROOT, "medians of up to %d runs after at least %d warm-up runs and %.0f ms;"
                    + " ms (GFLOP/s)%n", repeats, warmUp, warmUpMs));
            sb.append(String.format(Locale.ROOT, "%-12s %18s %18s %10s %18s %10s %8s%n", axis, "host", "device resident",
                    "kernels", "device + copies", "copies", "winner"));
            for (Point p : points) {
                String winner = (p.deviceWinsResident() ? "dev" : "host") + "/" + (p.deviceWinsWithTransfers() ? "dev" : "host");
                sb.append(String.format(Locale.ROOT, "%-12s %9.3f (%6.1f) %9.3f (%6.1f) %10.3f %9.3f (%6.1f) %10.3f %8s%n",
                        p.label(), p.hostMs(), p.gflops(p.hostMs()), p.residentMs(), p.gflops(p.residentMs()),
                        p.kernelMs(), p.withTransfersMs(), p.gflops(p.withTransfersMs()),
                        p.copyInMs() + p.copyOutMs(), winner));
            }
            return sb.append(summary()).toString();
        }
    }

    // ================================================================ measuring

    /**
     * Measures every size.
     *
     * @throws dev.vectorgrad.backend.BackendUnavailableException when no device is given and there is
     *         no "gpu" backend (no OpenCL device)
     * @throws IllegalStateException when a device run did not execute on the device
     */
    public Report run() {
        Backend h = host != null ? host : Backends.host();
        Accelerator dev = device != null ? device : (Accelerator) Backends.get("gpu");
        if (dev instanceof ClBackend cl) {
            cl.compile(); // program build time is not part of any measurement
        }
        String label = dev instanceof ClBackend cl ? cl.device().label() : dev.deviceName();
        boolean gpu = dev instanceof ClBackend cl && cl.device().isGpu();
        List<Point> points = new ArrayList<>();
        for (Problem p : problems) {
            points.add(measure(p, h, dev));
        }
        return new Report(op, axis, label, gpu, h.describe(), warmUp, warmUpNanos / 1e6, repeats, points);
    }

    private Point measure(Problem p, Backend h, Accelerator dev) {
        // Host: operands and output in host memory.
        Storage[] hin = new Storage[p.inputs().length];
        for (int i = 0; i < hin.length; i++) {
            hin[i] = h.fromArray(p.inputs()[i].clone());
        }
        Storage hout = h.allocate(p.outSize());
        long start = System.nanoTime();
        for (int i = 0; i < warmUp || System.nanoTime() - start < warmUpNanos; i++) {
            p.kernel().run(h, hin, hout);
        }
        List<Long> hostTimes = new ArrayList<>();
        start = System.nanoTime();
        while (more(hostTimes.size(), start)) {
            long t0 = System.nanoTime();
            p.kernel().run(h, hin, hout);
            hostTimes.add(System.nanoTime() - t0);
        }
        float[] expected = h.toArray(hout, Layout.contiguous(p.outSize()));

        // Device, resident operands.
        Storage[] din = new Storage[hin.length];
        for (int i = 0; i < din.length; i++) {
            din[i] = dev.upload(p.inputs()[i]);
        }
        Storage dout = dev.allocate(p.outSize());
        start = System.nanoTime();
        for (int i = 0; i < warmUp || System.nanoTime() - start < warmUpNanos; i++) {
            p.kernel().run(dev, din, dout);
            dev.synchronize();
        }
        List<Long> resident = new ArrayList<>();
        List<Long> kernel = new ArrayList<>();
        int kernels = 0;
        start = System.nanoTime();
        while (more(resident.size(), start)) {
            long[] wall = new long[1];
            List<DeviceCommand> cmds = recorded(p, dev, () -> {
                long t0 = System.nanoTime();
                p.kernel().run(dev, din, dout);
                dev.synchronize();
                wall[0] = System.nanoTime() - t0;
            });
            resident.add(wall[0]);
            kernel.add(sum(cmds, Kind.KERNEL));
            kernels = count(cmds, Kind.KERNEL);
        }
        float[] actual = dev.download(dout);
        double error = maxRelativeError(expected, actual);
        for (Storage s : din) {
            dev.release(s);
        }
        dev.release(dout);

        // Device with transfers: what an op on host data costs.
        start = System.nanoTime();
        for (int i = 0; i < warmUp || System.nanoTime() - start < warmUpNanos; i++) {
            withTransfers(p, dev);
        }
        List<Long> whole = new ArrayList<>();
        List<Long> copyIn = new ArrayList<>();
        List<Long> copyOut = new ArrayList<>();
        long bytes = 0;
        start = System.nanoTime();
        while (more(whole.size(), start)) {
            long[] wall = new long[1];
            List<DeviceCommand> cmds = recorded(p, dev, () -> {
                long t0 = System.nanoTime();
                withTransfers(p, dev);
                wall[0] = System.nanoTime() - t0;
            });
            whole.add(wall[0]);
            copyIn.add(sum(cmds, Kind.HOST_TO_DEVICE));
            copyOut.add(sum(cmds, Kind.DEVICE_TO_HOST));
            bytes = cmds.stream().filter(c -> c.kind() != Kind.KERNEL).mapToLong(DeviceCommand::bytes).sum();
        }
        return new Point(p.label(), p.size(), p.flops(), ms(median(hostTimes)), hostTimes.size(),
                ms(median(resident)), ms(median(kernel)), kernels, ms(median(whole)), ms(median(copyIn)),
                ms(median(copyOut)), bytes, resident.size(), error);
    }

    private boolean more(int done, long start) {
        if (done >= repeats) {
            return false;
        }
        return done < Math.min(3, repeats) || System.nanoTime() - start < budgetNanos;
    }

    /** Upload the operands, run, download the result, free the device copies. */
    private static void withTransfers(Problem p, Accelerator dev) {
        Storage[] in = new Storage[p.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = dev.upload(p.inputs()[i]);
        }
        Storage out = dev.allocate(p.outSize());
        p.kernel().run(dev, in, out);
        dev.download(out);
        for (Storage s : in) {
            dev.release(s);
        }
        dev.release(out);
    }

    /** Runs {@code body} while recording device commands; fails if no kernel ran on the device. */
    private List<DeviceCommand> recorded(Problem p, Accelerator dev, Runnable body) {
        long before = dev.commandCount();
        List<DeviceCommand> cmds;
        try (Accelerator.Recording rec = dev.startRecording()) {
            rec.phase(op);
            body.run();
            cmds = rec.stop();
        }
        if (dev.commandCount() == before || count(cmds, Kind.KERNEL) == 0) {
            throw new IllegalStateException(op + " " + p.label() + ": no kernel ran on " + dev.deviceName()
                    + "; refusing to report a device time for it");
        }
        return cmds;
    }

    private static long sum(List<DeviceCommand> cmds, Kind kind) {
        return cmds.stream().filter(c -> c.kind() == kind).mapToLong(DeviceCommand::deviceNanos).sum();
    }

    private static int count(List<DeviceCommand> cmds, Kind kind) {
        return (int) cmds.stream().filter(c -> c.kind() == kind).count();
    }

    private static long median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double maxRelativeError(float[] expected, float[] actual) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double floor = Math.max(1e-3 * scale, Float.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
            worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        return worst;
    }
}
