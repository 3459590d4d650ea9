package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BackendUnavailableException;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.ConvGeometry;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.PoolGeometry;
import dev.vectorgrad.backend.ReduceOp;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;
import dev.vectorgrad.gpu.plan.Accelerator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The "auto" backend: tensors stay in host memory and every kernel runs on the host backend (SIMD),
 * except GEMM and conv2d forward calls large enough that the device, transfers included, was measured
 * to be faster ({@link Crossover}); those upload their operands, run on the device and download the
 * result into the host output.
 *
 * <pre>{@code
 * Backends.use("auto");     // calibrates on creation (a few seconds), then picks per call
 * }</pre>
 *
 * <p>The rule is deliberately simple: a call goes to the device when its floating-point work reaches
 * the work of the measured crossover (the smallest size from which the device won at every larger
 * size measured, with transfers). GEMM is calibrated on square sizes and conv2d on LeNet-5's first
 * layer over batch sizes, so other shapes are placed by their work alone. With no crossover (the host
 * won at the largest size measured, as it does when the "device" is PoCL on the same CPU) or no
 * device at all, everything runs on the host. {@code -Dvectorgrad.auto.gemmMinFlops} and
 * {@code -Dvectorgrad.auto.convMinFlops} (a number, or {@code never}) skip the calibration.
 */
public final class AutoBackend implements Backend {

    /** System property: least GEMM work (flops) sent to the device, or {@code never}. */
    public static final String GEMM_PROPERTY = "vectorgrad.auto.gemmMinFlops";
    /** System property: least conv2d work (flops) sent to the device, or {@code never}. */
    public static final String CONV_PROPERTY = "vectorgrad.auto.convMinFlops";

    private final Backend host;
    private final Accelerator device;
    private final double gemmMinFlops;
    private final double convMinFlops;
    private final String basis;
    private final LongAdder offloaded = new LongAdder();

    /**
     * An auto backend with given thresholds ({@code Double.POSITIVE_INFINITY}: never); {@code device}
     * may be null (everything on the host). {@code basis} says where the thresholds come from.
     */
    public AutoBackend(Backend host, Accelerator device, double gemmMinFlops, double convMinFlops, String basis) {
        this.host = Objects.requireNonNull(host, "AutoBackend: host is null");
        if (host instanceof Accelerator) {
            throw new IllegalArgumentException("AutoBackend: the host backend must keep data in host memory, got "
                    + host.name());
        }
        this.device = device;
        this.gemmMinFlops = device == null ? Double.POSITIVE_INFINITY : gemmMinFlops;
        this.convMinFlops = device == null ? Double.POSITIVE_INFINITY : convMinFlops;
        this.basis = Objects.requireNonNull(basis, "AutoBackend: basis is null");
    }

    /**
     * The backend {@code Backends.use("auto")} makes: the default host backend, the "gpu" device when
     * there is one, thresholds from the system properties or else measured now.
     */
    public static AutoBackend create() {
        Backend h = Backends.host();
        Accelerator dev;
        try {
            dev = (Accelerator) Backends.get("gpu");
        } catch (BackendUnavailableException e) {
            return new AutoBackend(h, null, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "no device (" + e.getMessage() + ")");
        }
        Double g = threshold(GEMM_PROPERTY);
        Double c = threshold(CONV_PROPERTY);
        if (g != null && c != null) {
            return new AutoBackend(h, dev, g, c, "thresholds from -D" + GEMM_PROPERTY + " and -D" + CONV_PROPERTY);
        }
        return calibrate(h, dev, new int[] {128, 256, 512, 1024}, new int[] {1, 16, 64, 256}, Duration.ofMillis(300), 3);
    }

    /**
     * Measures the crossovers with transfers ({@link Crossover}) for square GEMM of the given sizes and
     * LeNet-5's first convolution layer over the given batch sizes, and makes the thresholds from them.
     */
    public static AutoBackend calibrate(Backend host, Accelerator device, int[] gemmSizes, int[] convBatches,
                                        Duration warmUp, int repeats) {
        Crossover.Report gemm = Crossover.gemm(gemmSizes).host(host).device(device).warmUp(1).warmUpTime(warmUp)
                .repeats(repeats).budget(Duration.ofSeconds(1)).run();
        ConvGeometry lenet1 = new ConvGeometry(1, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2);
        Crossover.Report conv = Crossover.conv2d(lenet1, convBatches).host(host).device(device).warmUp(1)
                .warmUpTime(warmUp).repeats(repeats).budget(Duration.ofSeconds(1)).run();
        return new AutoBackend(host, device, flopsAt(gemm), flopsAt(conv), "measured on " + gemm.device() + ": "
                + gemm.summary().lines().skip(1).findFirst().orElse("") + "; "
                + conv.summary().lines().skip(1).findFirst().orElse(""));
    }

    private static double flopsAt(Crossover.Report r) {
        var at = r.crossoverWithTransfers();
        if (at.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        for (Crossover.Point p : r.points()) {
            if (p.size() == at.getAsLong()) {
                return p.flops();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static Double threshold(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.trim().equalsIgnoreCase("never")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + " must be a number of flops or 'never', got '" + v
                    + "'");
        }
    }

    // ================================================================ identity

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public String describe() {
        return "auto: " + host.name() + " for everything" + (device == null ? ""
                : "; GEMM from " + flops(gemmMinFlops) + " and conv2d from " + flops(convMinFlops) + " on "
                + device.deviceName()) + " (" + basis + ")";
    }

    private static String flops(double f) {
        return Double.isInfinite(f) ? "never" : String.format(Locale.ROOT, "%.3g flops", f);
    }

    /** Least GEMM work sent to the device ({@code +Infinity}: never). */
    public double gemmMinFlops() {
        return gemmMinFlops;
    }

    /** Least conv2d work sent to the device ({@code +Infinity}: never). */
    public double convMinFlops() {
        return convMinFlops;
    }

    /** Calls sent to the device so far. */
    public long offloadedCalls() {
        return offloaded.sum();
    }

    // ================================================================ offloaded kernels

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int offA, int lda,
                     Storage b, int offB, int ldb, float beta, Storage c, int offC, int ldc) {
        double work = 2.0 * m * n * k;
        if (device == null || work < gemmMinFlops || m == 0 || n == 0 || k == 0 || !allHost(a, b, c)) {
            host.gemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return;
        }
        float[] cHost = HostStorage.of(c);
        Storage da = device.upload(HostStorage.of(a));
        Storage db = device.upload(HostStorage.of(b));
        Storage dc = beta == 0f ? device.allocate(cHost.length) : device.upload(cHost);
        try {
            device.gemm(transA, transB, m, n, k, alpha, da, offA, lda, db, offB, ldb, beta, dc, offC, ldc);
            float[] result = device.download(dc);
            for (int i = 0; i < m; i++) {
                System.arraycopy(result, offC + i * ldc, cHost, offC + i * ldc, n); // only the block C is
            }
            offloaded.increment();
        } finally {
            device.release(da);
            device.release(db);
            device.release(dc);
        }
    }

    @Override
    public void conv2d(ConvGeometry g, Storage x, Storage weight, Storage bias, Storage out) {
        if (device == null || g.flops() < convMinFlops || g.outputSize() == 0
                || !allHost(x, weight, out) || bias != null && !(bias instanceof HostStorage)) {
            host.conv2d(g, x, weight, bias, out);
            return;
        }
        Storage dx = device.upload(HostStorage.of(x));
        Storage dw = device.upload(HostStorage.of(weight));
        Storage dbias = bias == null ? null : device.upload(HostStorage.of(bias));
        Storage dout = device.allocate(g.outputSize());
        try {
            device.conv2d(g, dx, dw, dbias, dout);
            System.arraycopy(device.download(dout), 0, HostStorage.of(out), 0, g.outputSize());
            offloaded.increment();
        } finally {
            device.release(dx);
            device.release(dw);
            if (dbias != null) {
                device.release(dbias);
            }
            device.release(dout);
        }
    }

    private static boolean allHost(Storage... s) {
        for (Storage x : s) {
            if (!(x instanceof HostStorage)) {
                return false;
            }
        }
        return true;
    }

    // ================================================================ everything else: the host backend

    @Override
    public Storage allocate(int size) {
        return host.allocate(size);
    }

    @Override
    public Storage fromArray(float[] data) {
        return host.fromArray(data);
    }

    @Override
    public float[] toArray(Storage s, Layout layout) {
        return host.toArray(s, layout);
    }

    @Override
    public void copy(Storage x, Layout layout, Storage out) {
        host.copy(x, layout, out);
    }

    @Override
    public void fill(Storage out, int offset, int count, float value) {
        host.fill(out, offset, count, value);
    }

    @Override
    public void unary(UnaryOp op, float alpha, float beta, Storage x, Layout layout, Storage out) {
        host.unary(op, alpha, beta, x, layout, out);
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        host.binary(op, a, la, b, lb, out);
    }

    @Override
    public void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        host.where(cond, lc, a, la, b, lb, out);
    }

    @Override
    public void reduce(ReduceOp op, Storage x, int offset, int outer, int len, int inner, Storage out) {
        host.reduce(op, x, offset, outer, len, inner, out);
    }

    @Override
    public void softmax(Storage x, int offset, int outer, int len, int inner, boolean log, Storage out) {
        host.softmax(x, offset, outer, len, inner, log, out);
    }

    @Override
    public void im2col(ConvGeometry g, Storage x, int image, Storage col, int colOffset) {
        host.im2col(g, x, image, col, colOffset);
    }

    @Override
    public void col2im(ConvGeometry g, Storage col, int colOffset, Storage dx, int image) {
        host.col2im(g, col, colOffset, dx, image);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Storage weight, Storage gradOut, Storage gradInput) {
        host.conv2dBackwardInput(g, weight, gradOut, gradInput);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Storage x, Storage gradOut, Storage gradWeight, Storage gradBias) {
        host.conv2dBackwardWeight(g, x, gradOut, gradWeight, gradBias);
    }

    @Override
    public void maxPool2d(PoolGeometry g, Storage x, Storage out) {
        host.maxPool2d(g, x, out);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage gradOut, Storage gradInput) {
        host.maxPool2dBackward(g, x, gradOut, gradInput);
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out) {
        host.avgPool2d(g, countIncludePad, x, out);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput) {
        host.avgPool2dBackward(g, countIncludePad, gradOut, gradInput);
    }

    @Override
    public String toString() {
        return describe();
    }
}
