package dev.vectorgrad.gpu.opencl;

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
import dev.vectorgrad.gpu.plan.Accelerator.DeviceCommand.Kind;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_queue_properties;
import org.jocl.blast.CLBlast;
import org.jocl.blast.CLBlastLayout;
import org.jocl.blast.CLBlastStatusCode;
import org.jocl.blast.CLBlastTranspose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;

/**
 * The "gpu" backend: every {@link Backend} kernel on one OpenCL device, with tensors resident in
 * device memory ({@link ClStorage}).
 *
 * <ul>
 *   <li><b>Residency.</b> Outputs are allocated on the device and stay there, so activations pass
 *       from layer to layer and weights stay put across minibatches. An input held on the host
 *       ({@link HostStorage}) is uploaded for the op that needs it, each time (counted); storages of
 *       this backend are used in place; storages of another device come over through the host.
 *       {@link #toArray} downloads (counted). Nothing ever falls back to a CPU kernel.</li>
 *   <li><b>Kernels.</b> GEMM through CLBlast (row-major, transposes, alpha/beta, offsets and leading
 *       dimensions); everything else in the project's own OpenCL C ({@code kernels/*.cl}), built as one
 *       program per device. convolution is im2col + one GEMM per chunk of images + a kernel that
 *       reorders to NCHW and adds the bias; its gradients are GEMMs and a col2im gather.</li>
 *   <li><b>Semantics</b> are the scalar reference's: the same NaN and signed-zero rules, first index on
 *       ties, padded cells never winning a max, the same average-pool divisors. Sums and
 *       transcendentals run in double on devices that have it.</li>
 *   <li><b>Accounting.</b> {@link #transferStats()} counts every copy in each direction, kernel
 *       launches and compile time; {@link #startRecording()} gives device-side timings for plans.</li>
 * </ul>
 *
 * <p>One instance per device ({@link #open(ClDevice)}); it owns an OpenCL context and one in-order
 * command queue with profiling enabled. Enqueueing is serialised, so several threads may use it.
 */
public final class ClBackend implements Backend, Accelerator {

    /** Axes at least this long, with few enough outputs, are reduced by a work-group per output. */
    static final int GROUP_REDUCE_MIN_LEN = 64;
    static final int GROUP_REDUCE_MAX_OUTPUTS = 16384;
    /**
     * Floats of im2col columns (and GEMM results) a convolution materialises at a time; the batch is
     * processed in chunks of images that fit. {@code -Dvectorgrad.gpu.columnBudget} overrides it.
     */
    public static final String COLUMN_BUDGET_PROPERTY = "vectorgrad.gpu.columnBudget";
    static final long COLUMN_BUDGET_FLOATS = 16L << 20;

    private static final Map<String, ClBackend> OPEN = new HashMap<>();

    private final ClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final int workGroup;
    private final String options;
    private final Object lock = new Object();
    private final Map<String, ClProgram> programs = new ConcurrentHashMap<>();
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private final AtomicLong liveBytes = new AtomicLong();
    private volatile long lastGc;
    private volatile ClRecorder recorder;

    private final LongAdder h2dCount = new LongAdder();
    private final LongAdder h2dBytes = new LongAdder();
    private final LongAdder h2dNanos = new LongAdder();
    private final LongAdder d2hCount = new LongAdder();
    private final LongAdder d2hBytes = new LongAdder();
    private final LongAdder d2hNanos = new LongAdder();
    private final LongAdder launches = new LongAdder();
    private final LongAdder compileNanos = new LongAdder();
    private final LongAdder builds = new LongAdder();

    /** The backend of the device {@link OpenCl#select()} picks. */
    public static ClBackend open() {
        return open(OpenCl.select());
    }

    /** The backend of {@code device}: created on first use, then the same instance. */
    public static synchronized ClBackend open(ClDevice device) {
        return OPEN.computeIfAbsent(device.address() + " " + device.name(), k -> new ClBackend(device));
    }

    private ClBackend(ClDevice device) {
        this.device = device;
        try {
            CLBlast.setExceptionsEnabled(false); // loads the CLBlast natives now, not at the first matmul
        } catch (LinkageError e) {
            throw new BackendUnavailableException("backend 'gpu' is unavailable: the CLBlast library bundled with"
                    + " org.jocl:jocl-blast could not be loaded on this platform (" + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch") + "): " + e.getMessage(), e);
        }
        try {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
            this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, null);
            this.queue = createQueue(context, device);
        } catch (CLException e) {
            throw new BackendUnavailableException("backend 'gpu' is unavailable: OpenCL device " + device.summary()
                    + " was found but could not be opened (" + e.getMessage() + ")", e);
        }
        int wg = 1;
        while (wg * 2 <= Math.min(64, device.maxWorkGroupSize())) {
            wg *= 2;
        }
        this.workGroup = wg;
        StringBuilder opt = new StringBuilder("-DVG_WG=").append(wg);
        if (device.fp64()) {
            opt.append(" -DVG_FP64");
        } else if (device.correctlyRoundedDivSqrt()) {
            opt.append(" -cl-fp32-correctly-rounded-divide-sqrt");
        }
        this.options = opt.toString();
    }

    private static cl_command_queue createQueue(cl_context context, ClDevice device) {
        if (!device.platformVersion().startsWith("OpenCL 1.")) {
            try {
                cl_queue_properties qp = new cl_queue_properties();
                qp.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
                return CL.clCreateCommandQueueWithProperties(context, device.id(), qp, null);
            } catch (CLException | UnsupportedOperationException | LinkageError e) {
                // fall through to the OpenCL 1.x call
            }
        }
        @SuppressWarnings("deprecation")
        cl_command_queue q = CL.clCreateCommandQueue(context, device.id(), CL_QUEUE_PROFILING_ENABLE, null);
        return q;
    }

    // ================================================================ identity and accounting

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public String describe() {
        return "OpenCL on " + device.summary() + "; GEMM by CLBlast, other kernels built with " + options;
    }

    @Override
    public String deviceName() {
        return device.name();
    }

    /** The device this backend runs on. */
    public ClDevice device() {
        return device;
    }

    /** Copies, launches and compile time so far (see {@link TransferStats#minus}). */
    public TransferStats transferStats() {
        return new TransferStats(h2dCount.sum(), h2dBytes.sum(), h2dNanos.sum(), d2hCount.sum(), d2hBytes.sum(),
                d2hNanos.sum(), launches.sum(), compileNanos.sum(), builds.sum());
    }

    @Override
    public long compileTimeNanos() {
        return compileNanos.sum();
    }

    /** Bytes of device buffers currently allocated (not yet released) by this backend. */
    public long deviceBytesInUse() {
        return liveBytes.get();
    }

    /** Build options of the kernel program on this device ({@code -DVG_WG=64 -DVG_FP64}). */
    public String buildOptions() {
        return options;
    }

    /**
     * Builds the kernel program now (it is otherwise built at the first kernel launch), so that
     * timings taken afterwards do not include it. Returns the build time in nanoseconds (0 if it was
     * already built).
     */
    public long compile() {
        long before = compileNanos.sum();
        program();
        return compileNanos.sum() - before;
    }

    @Override
    public String toString() {
        return "ClBackend(" + device.summary() + ")";
    }

    // ================================================================ storage

    @Override
    public Storage allocate(int size) {
        ClStorage s = allocateRaw(size);
        if (size > 0) {
            launch("vg_fill", size, size, 0f, s.mem(), 0);
        }
        return s;
    }

    @Override
    public Storage fromArray(float[] data) {
        return upload(data);
    }

    @Override
    public boolean owns(Storage s) {
        return s instanceof ClStorage c && c.backend() == this;
    }

    @Override
    public ClStorage upload(float[] data) {
        ClStorage s = allocateRaw(data.length);
        write(s, data, 0, data.length);
        return s;
    }

    @Override
    public void upload(float[] data, Storage target) {
        ClStorage t = output(target, "upload");
        if (t.size() != data.length) {
            throw new IllegalArgumentException("gpu: upload of " + data.length + " floats into a storage of " + t.size());
        }
        write(t, data, 0, data.length);
    }

    @Override
    public float[] download(Storage s) {
        if (!(s instanceof ClStorage c) || c.backend() != this) {
            throw new IllegalArgumentException("gpu: download needs a storage of this device, got " + s);
        }
        return read(c, 0, c.size());
    }

    @Override
    public float[] toArray(Storage s, Layout layout) {
        if (!(s instanceof ClStorage c)) {
            return Backends.scalar().toArray(s, layout); // host data: no device involved
        }
        if (c.backend() != this) {
            return c.backend().toArray(s, layout);
        }
        int n = layout.size();
        if (n == 0) {
            return new float[0];
        }
        Strided.Merged m = Strided.merge("toArray", layout);
        if (Strided.isDense(m, 0)) {
            return read(c, layout.offset(), n);
        }
        ClStorage tmp = allocateRaw(n);
        try {
            gather(c, layout, m, tmp, 0);
            return read(tmp, 0, n);
        } finally {
            tmp.release();
        }
    }

    @Override
    public void copy(Storage x, Layout layout, Storage out) {
        int n = layout.size();
        if (n == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            ClStorage src = in.get(x);
            gather(src, layout, Strided.merge("copy", layout), output(out, "copy"), 0);
        }
    }

    @Override
    public void fill(Storage out, int offset, int count, float value) {
        if (count > 0) {
            launch("vg_fill", count, count, value, output(out, "fill").mem(), offset);
        }
    }

    private void gather(ClStorage src, Layout layout, Strided.Merged m, ClStorage dst, int dstOffset) {
        int n = layout.size();
        if (Strided.isDense(m, 0) && src != dst) {
            copyBuffer(src, layout.offset(), dst, dstOffset, n);
        } else {
            launch("vg_copy", n, n, src.mem(), layout.offset(), m.rank(), m.shape(), m.strides()[0], dst.mem(), dstOffset);
        }
    }

    // ================================================================ elementwise

    @Override
    public void unary(UnaryOp op, float alpha, float beta, Storage x, Layout layout, Storage out) {
        int n = layout.size();
        if (n == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            ClStorage src = in.get(x);
            Strided.Merged m = Strided.merge("unary " + op, layout);
            launch("vg_unary", n, n, code(op), alpha, beta, src.mem(), layout.offset(), m.rank(), m.shape(),
                    m.strides()[0], output(out, "unary").mem());
        }
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        int n = la.size();
        if (n == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            ClStorage sa = in.get(a);
            ClStorage sb = in.get(b);
            Strided.Merged m = Strided.merge("binary " + op, la, lb);
            launch("vg_binary", n, n, code(op), m.rank(), m.shape(), sa.mem(), la.offset(), m.strides()[0],
                    sb.mem(), lb.offset(), m.strides()[1], output(out, "binary").mem());
        }
    }

    @Override
    public void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        int n = lc.size();
        if (n == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            ClStorage sc = in.get(cond);
            ClStorage sa = in.get(a);
            ClStorage sb = in.get(b);
            Strided.Merged m = Strided.merge("where", lc, la, lb);
            launch("vg_where", n, n, m.rank(), m.shape(), sc.mem(), lc.offset(), m.strides()[0],
                    sa.mem(), la.offset(), m.strides()[1], sb.mem(), lb.offset(), m.strides()[2],
                    output(out, "where").mem());
        }
    }

    // ================================================================ reductions

    @Override
    public void reduce(ReduceOp op, Storage x, int offset, int outer, int len, int inner, Storage out) {
        int outputs = outer * inner;
        if (outputs == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            cl_mem src = in.get(x).mem();
            cl_mem dst = output(out, "reduce").mem();
            if (len >= GROUP_REDUCE_MIN_LEN && outputs <= GROUP_REDUCE_MAX_OUTPUTS) {
                switch (op) {
                    case SUM -> launchGroups("vg_reduce_group_sum", outputs, src, offset, len, inner, dst);
                    case MAX, MIN -> launchGroups("vg_reduce_group_minmax", outputs, op == ReduceOp.MAX ? 1 : 0,
                            src, offset, len, inner, dst);
                    case ARGMAX, ARGMIN -> launchGroups("vg_reduce_group_arg", outputs, op == ReduceOp.ARGMAX ? 1 : 0,
                            src, offset, len, inner, dst);
                }
            } else {
                launch("vg_reduce_rows", outputs, code(op), src, offset, outer, len, inner, dst);
            }
        }
    }

    @Override
    public void softmax(Storage x, int offset, int outer, int len, int inner, boolean log, Storage out) {
        int rows = outer * inner;
        if (rows == 0 || len == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            launch("vg_softmax_rows", rows, log ? 1 : 0, in.get(x).mem(), offset, outer, len, inner,
                    output(out, "softmax").mem());
        }
    }

    // ================================================================ GEMM

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, int offA, int lda, Storage b, int offB, int ldb,
                     float beta, Storage c, int offC, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            ClStorage cc = output(c, "gemm");
            if (k == 0) {
                launch("vg_scale2d", (long) m * n, m, n, beta, cc.mem(), offC, ldc);
                return;
            }
            deviceGemm(transA, transB, m, n, k, alpha, in.get(a), offA, lda, in.get(b), offB, ldb, beta, cc, offC, ldc);
        }
    }

    /**
     * CLBlast SGEMM on device buffers. With {@code beta == 0} the C block is zeroed first, so that
     * whatever it held (even NaN) cannot leak into the result.
     */
    private void deviceGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            ClStorage a, int offA, int lda, ClStorage b, int offB, int ldb,
                            float beta, ClStorage c, int offC, int ldc) {
        if (beta == 0f) {
            launch("vg_scale2d", (long) m * n, m, n, 0f, c.mem(), offC, ldc);
        }
        String variant = "sgemm" + (transA ? "T" : "N") + (transB ? "T" : "N");
        synchronized (lock) {
            boolean first = used.add(variant);
            long t0 = 0;
            if (first) {
                CL.clFinish(queue);
                t0 = System.nanoTime();
            }
            ClRecorder r = recorder;
            cl_event before = null;
            cl_event done = null;
            if (r != null) {
                before = new cl_event();
                CL.clEnqueueMarkerWithWaitList(queue, 0, null, before);
                done = new cl_event();
            }
            int status = CLBlast.CLBlastSgemm(CLBlastLayout.CLBlastLayoutRowMajor,
                    transA ? CLBlastTranspose.CLBlastTransposeYes : CLBlastTranspose.CLBlastTransposeNo,
                    transB ? CLBlastTranspose.CLBlastTransposeYes : CLBlastTranspose.CLBlastTransposeNo,
                    m, n, k, alpha, a.mem(), offA, lda, b.mem(), offB, ldb, beta, c.mem(), offC, ldc, queue, done);
            if (status != CLBlastStatusCode.CLBlastSuccess) {
                if (before != null) {
                    CL.clReleaseEvent(before);
                }
                throw new IllegalStateException("gpu: CLBlast SGEMM failed with " + CLBlastStatusCode.stringFor(status)
                        + " for " + (transA ? "A^T" : "A") + " x " + (transB ? "B^T" : "B") + ", m=" + m + " n=" + n
                        + " k=" + k + ", lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + ", offsets " + offA + "/"
                        + offB + "/" + offC + ", buffers of " + a.size() + "/" + b.size() + "/" + c.size() + " floats");
            }
            launches.increment();
            if (r != null) {
                r.add(Kind.KERNEL, variant, 0, before, done);
            }
            if (first) {
                CL.clFinish(queue);
                compileNanos.add(System.nanoTime() - t0);
            }
        }
    }

    // ================================================================ images

    @Override
    public void im2col(ConvGeometry g, Storage x, int image, Storage col, int colOffset) {
        int p = g.colCols();
        long total = (long) g.colRows() * p;
        if (total == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            launch("vg_im2col", total, (int) total, pack(g), in.get(x).mem(), image, 1,
                    output(col, "im2col").mem(), colOffset, p);
        }
    }

    @Override
    public void col2im(ConvGeometry g, Storage col, int colOffset, Storage dx, int image) {
        int total = g.c() * g.h() * g.w();
        try (Inputs in = new Inputs()) {
            launch("vg_col2im", total, total, pack(g), in.get(col).mem(), colOffset, g.colCols(), image, 1,
                    output(dx, "col2im").mem(), 1);
        }
    }

    @Override
    public void conv2d(ConvGeometry g, Storage x, Storage weight, Storage bias, Storage out) {
        if (g.outputSize() == 0) {
            return;
        }
        int rows = g.colRows();
        int p = g.colCols();
        int chunk = imagesPerChunk(g);
        try (Inputs in = new Inputs()) {
            ClStorage src = in.get(x);
            ClStorage w = in.get(weight);
            ClStorage bs = bias == null ? null : in.get(bias);
            ClStorage dst = output(out, "conv2d");
            ClStorage col = in.scratch(rows * chunk * p);
            ClStorage prod = in.scratch(g.k() * chunk * p);
            for (int n0 = 0; n0 < g.n(); n0 += chunk) {
                int cnt = Math.min(chunk, g.n() - n0);
                int cols = cnt * p;
                launch("vg_im2col", (long) rows * cols, rows * cols, pack(g), src.mem(), n0, cnt, col.mem(), 0, cols);
                deviceGemm(false, false, g.k(), cols, rows, 1f, w, 0, rows, col, 0, cols, 0f, prod, 0, cols);
                launch("vg_knp_to_nkp", (long) g.k() * cols, g.k() * cols, g.k(), p, cnt, n0, prod.mem(),
                        bs == null ? 0 : 1, bs == null ? prod.mem() : bs.mem(), dst.mem());
            }
        }
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Storage weight, Storage gradOut, Storage gradInput) {
        if (g.inputSize() == 0) {
            return;
        }
        int rows = g.colRows();
        int p = g.colCols();
        int chunk = imagesPerChunk(g);
        try (Inputs in = new Inputs()) {
            ClStorage w = in.get(weight);
            ClStorage go = in.get(gradOut);
            ClStorage gi = output(gradInput, "conv2dBackwardInput");
            ClStorage goT = in.scratch(g.k() * chunk * p);
            ClStorage col = in.scratch(rows * chunk * p);
            for (int n0 = 0; n0 < g.n(); n0 += chunk) {
                int cnt = Math.min(chunk, g.n() - n0);
                int cols = cnt * p;
                launch("vg_nkp_to_knp", (long) g.k() * cols, g.k() * cols, g.k(), p, cnt, n0, go.mem(), goT.mem());
                deviceGemm(true, false, rows, cols, g.k(), 1f, w, 0, rows, goT, 0, cols, 0f, col, 0, cols);
                int pixels = cnt * g.c() * g.h() * g.w();
                launch("vg_col2im", pixels, pixels, pack(g), col.mem(), 0, cols, n0, cnt, gi.mem(), 0);
            }
        }
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Storage x, Storage gradOut, Storage gradWeight, Storage gradBias) {
        ClStorage gw = output(gradWeight, "conv2dBackwardWeight");
        ClStorage gb = gradBias == null ? null : output(gradBias, "conv2dBackwardWeight");
        if (g.outputSize() == 0) {
            fill(gw, 0, g.weightSize(), 0f);
            if (gb != null) {
                fill(gb, 0, g.k(), 0f);
            }
            return;
        }
        int rows = g.colRows();
        int p = g.colCols();
        int chunk = imagesPerChunk(g);
        try (Inputs in = new Inputs()) {
            ClStorage src = in.get(x);
            ClStorage go = in.get(gradOut);
            ClStorage goT = in.scratch(g.k() * chunk * p);
            ClStorage col = in.scratch(rows * chunk * p);
            for (int n0 = 0; n0 < g.n(); n0 += chunk) {
                int cnt = Math.min(chunk, g.n() - n0);
                int cols = cnt * p;
                launch("vg_im2col", (long) rows * cols, rows * cols, pack(g), src.mem(), n0, cnt, col.mem(), 0, cols);
                launch("vg_nkp_to_knp", (long) g.k() * cols, g.k() * cols, g.k(), p, cnt, n0, go.mem(), goT.mem());
                // gradW[K, R] (+)= gradOut^T[K, cols] * col[R, cols]^T
                deviceGemm(false, true, g.k(), rows, cols, 1f, goT, 0, cols, col, 0, cols, n0 == 0 ? 0f : 1f,
                        gw, 0, rows);
            }
            if (gb != null) {
                // Sum over the pixels of every (image, channel), then over the images.
                int nk = g.n() * g.k();
                ClStorage perImage = in.scratch(nk);
                reduceDevice(ReduceOp.SUM, go.mem(), 0, nk, p, 1, perImage.mem());
                reduceDevice(ReduceOp.SUM, perImage.mem(), 0, 1, g.n(), g.k(), gb.mem());
            }
        }
    }

    private void reduceDevice(ReduceOp op, cl_mem src, int offset, int outer, int len, int inner, cl_mem dst) {
        int outputs = outer * inner;
        if (len >= GROUP_REDUCE_MIN_LEN && outputs <= GROUP_REDUCE_MAX_OUTPUTS && op == ReduceOp.SUM) {
            launchGroups("vg_reduce_group_sum", outputs, src, offset, len, inner, dst);
        } else {
            launch("vg_reduce_rows", outputs, code(op), src, offset, outer, len, inner, dst);
        }
    }

    /** Images whose columns fit the column budget together (at least one). */
    private static int imagesPerChunk(ConvGeometry g) {
        long perImage = (long) Math.max(g.colRows(), g.k()) * g.colCols();
        long budget = Long.getLong(COLUMN_BUDGET_PROPERTY, COLUMN_BUDGET_FLOATS);
        long fit = Math.max(1, budget / Math.max(1, perImage));
        int chunk = (int) Math.min(Math.max(1, g.n()), fit);
        if ((long) chunk * perImage > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("gpu: conv2d " + g + " needs " + perImage
                    + " column floats per image, more than one device buffer indexed by int can hold");
        }
        return chunk;
    }

    @Override
    public void maxPool2d(PoolGeometry g, Storage x, Storage out) {
        int total = g.outputSize();
        try (Inputs in = new Inputs()) {
            launch("vg_maxpool", total, total, pack(g, false), in.get(x).mem(), output(out, "maxPool2d").mem());
        }
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage gradOut, Storage gradInput) {
        int outputs = g.outputSize();
        int inputs = g.inputSize();
        if (inputs == 0) {
            return;
        }
        try (Inputs in = new Inputs()) {
            ClStorage winners = in.scratch(Math.max(1, outputs)); // int indices, four bytes like a float
            int[] geo = pack(g, false);
            launch("vg_maxpool_argmax", outputs, outputs, geo, in.get(x).mem(), winners.mem());
            launch("vg_maxpool_backward", inputs, inputs, geo, winners.mem(), in.get(gradOut).mem(),
                    output(gradInput, "maxPool2dBackward").mem());
        }
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out) {
        int total = g.outputSize();
        try (Inputs in = new Inputs()) {
            launch("vg_avgpool", total, total, pack(g, countIncludePad), in.get(x).mem(), output(out, "avgPool2d").mem());
        }
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput) {
        int inputs = g.inputSize();
        try (Inputs in = new Inputs()) {
            launch("vg_avgpool_backward", inputs, inputs, pack(g, countIncludePad), in.get(gradOut).mem(),
                    output(gradInput, "avgPool2dBackward").mem());
        }
    }

    private static int[] pack(ConvGeometry g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.k(), g.kh(), g.kw(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.outH(), g.outW(), 0, 0, 0};
    }

    private static int[] pack(PoolGeometry g, boolean countIncludePad) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), 0, g.kh(), g.kw(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.outH(), g.outW(), countIncludePad ? 1 : 0, 0, 0};
    }

    // ================================================================ operation codes (see elementwise.cl)

    static int code(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case ABS -> 1;
            case EXP -> 2;
            case LOG -> 3;
            case SQRT -> 4;
            case SQUARE -> 5;
            case RECIPROCAL -> 6;
            case POW -> 7;
            case RELU -> 8;
            case LEAKY_RELU -> 9;
            case SIGMOID -> 10;
            case TANH -> 11;
            case STEP -> 12;
            case CLAMP -> 13;
            case ADD_SCALAR -> 14;
            case MUL_SCALAR -> 15;
            case AFFINE -> 16;
            case SIGN -> 17;
        };
    }

    static int code(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case MAXIMUM -> 5;
            case MINIMUM -> 6;
            case EQ -> 7;
            case NE -> 8;
            case GT -> 9;
            case GE -> 10;
            case LT -> 11;
            case LE -> 12;
        };
    }

    static int code(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case MIN -> 2;
            case ARGMAX -> 3;
            case ARGMIN -> 4;
        };
    }

    // ================================================================ plumbing: buffers

    /**
     * The inputs of one operation as device buffers: storages of this backend as they are, anything
     * else uploaded (and released when the operation has been enqueued), plus scratch buffers.
     */
    private final class Inputs implements AutoCloseable {
        private final List<ClStorage> temporary = new ArrayList<>(2);

        ClStorage get(Storage s) {
            if (s instanceof ClStorage c) {
                if (c.backend() == ClBackend.this) {
                    return c;
                }
                ClStorage moved = upload(c.backend().download(c));
                temporary.add(moved);
                return moved;
            }
            if (s instanceof HostStorage h) {
                ClStorage moved = upload(h.array());
                temporary.add(moved);
                return moved;
            }
            throw new IllegalArgumentException("gpu: cannot read a " + s.getClass().getSimpleName() + " held on '"
                    + s.location() + "'; bring the tensor to the host or to this device first");
        }

        ClStorage scratch(int size) {
            ClStorage s = allocateRaw(size);
            temporary.add(s);
            return s;
        }

        @Override
        public void close() {
            for (ClStorage s : temporary) {
                s.release(); // OpenCL keeps the buffer until the commands using it have finished
            }
        }
    }

    private ClStorage output(Storage s, String op) {
        if (s instanceof ClStorage c && c.backend() == this) {
            return c;
        }
        throw new IllegalArgumentException("gpu: " + op + " must write into a storage of this device ("
                + deviceName() + "), got one on '" + s.location() + "'; outputs are allocated by the backend that"
                + " runs the operation (was another backend current when it was allocated?)");
    }

    ClStorage allocateRaw(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("gpu: storage size must be >= 0, got " + size);
        }
        if (size == 0) {
            return new ClStorage(this, null, 0, liveBytes);
        }
        long bytes = 4L * size;
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalArgumentException("gpu: a buffer of " + size + " floats (" + ClDevice.formatBytes(bytes)
                    + ") is larger than the largest buffer " + device.name() + " allows ("
                    + ClDevice.formatBytes(device.maxAllocBytes()) + ")");
        }
        relievePressure(bytes);
        cl_mem mem;
        try {
            mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (!outOfMemory(e)) {
                throw e;
            }
            collectGarbage();
            try {
                mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
            } catch (CLException again) {
                throw new IllegalStateException("gpu: out of device memory allocating " + ClDevice.formatBytes(bytes)
                        + " on " + device.name() + " (" + ClDevice.formatBytes(liveBytes.get()) + " held by live"
                        + " tensors); use smaller batches or release tensors", again);
            }
        }
        liveBytes.addAndGet(bytes);
        return new ClStorage(this, mem, size, liveBytes);
    }

    private static boolean outOfMemory(CLException e) {
        int s = e.getStatus();
        return s == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL.CL_OUT_OF_RESOURCES || s == CL.CL_OUT_OF_HOST_MEMORY;
    }

    /**
     * Device buffers are freed when their tensors are collected, but the Java heap does not feel
     * device memory: when live buffers approach the device's size, ask for a collection (at most
     * every 200 ms) so that unreachable tensors give theirs back.
     */
    private void relievePressure(long bytes) {
        if (liveBytes.get() + bytes > device.globalMemBytes() / 4 * 3
                && System.nanoTime() - lastGc > 200_000_000L) {
            collectGarbage();
        }
    }

    private void collectGarbage() {
        lastGc = System.nanoTime();
        System.gc();
        try {
            Thread.sleep(20); // let the cleaner thread release what the collection found
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(ClStorage s, float[] data, int offset, int count) {
        if (count == 0) {
            return;
        }
        synchronized (lock) {
            ClRecorder r = recorder;
            cl_event ev = r != null ? new cl_event() : null;
            long t0 = System.nanoTime();
            CL.clEnqueueWriteBuffer(queue, s.mem(), true, 0, 4L * count,
                    Pointer.to(data).withByteOffset(4L * offset), 0, null, ev);
            h2dNanos.add(System.nanoTime() - t0);
            h2dCount.increment();
            h2dBytes.add(4L * count);
            if (r != null) {
                r.add(Kind.HOST_TO_DEVICE, "upload " + count + " floats", 4L * count, null, ev);
            }
        }
    }

    private float[] read(ClStorage s, int offset, int count) {
        float[] out = new float[count];
        if (count == 0) {
            return out;
        }
        synchronized (lock) {
            CL.clFinish(queue); // time the copy, not the kernels before it
            ClRecorder r = recorder;
            cl_event ev = r != null ? new cl_event() : null;
            long t0 = System.nanoTime();
            CL.clEnqueueReadBuffer(queue, s.mem(), true, 4L * offset, 4L * count, Pointer.to(out), 0, null, ev);
            d2hNanos.add(System.nanoTime() - t0);
            d2hCount.increment();
            d2hBytes.add(4L * count);
            if (r != null) {
                r.add(Kind.DEVICE_TO_HOST, "download " + count + " floats", 4L * count, null, ev);
            }
        }
        return out;
    }

    private void copyBuffer(ClStorage src, int srcOffset, ClStorage dst, int dstOffset, int count) {
        synchronized (lock) {
            ClRecorder r = recorder;
            cl_event ev = r != null ? new cl_event() : null;
            CL.clEnqueueCopyBuffer(queue, src.mem(), dst.mem(), 4L * srcOffset, 4L * dstOffset, 4L * count, 0, null, ev);
            launches.increment();
            if (r != null) {
                r.add(Kind.KERNEL, "copy buffer", 0, null, ev);
            }
        }
    }

    // ================================================================ plumbing: kernels

    private ClProgram program() {
        ClProgram p = programs.get(options);
        if (p != null) {
            return p;
        }
        synchronized (lock) {
            p = programs.get(options);
            if (p == null) {
                p = ClProgram.build(context, device.id(), device.name(), options);
                programs.put(options, p);
                compileNanos.add(p.buildNanos());
                builds.increment();
            }
            return p;
        }
    }

    /** A 1-D launch of {@code items} work-items (rounded up to whole work-groups; kernels bound-check). */
    private void launch(String kernel, long items, Object... args) {
        if (items <= 0) {
            return;
        }
        long global = (items + workGroup - 1) / workGroup * workGroup;
        enqueue(kernel, global, args);
    }

    /** A launch of one work-group per output. */
    private void launchGroups(String kernel, long groups, Object... args) {
        if (groups > 0) {
            enqueue(kernel, groups * workGroup, args);
        }
    }

    private void enqueue(String name, long global, Object[] args) {
        ClProgram p = program();
        synchronized (lock) {
            cl_kernel k = p.kernel(name);
            for (int i = 0; i < args.length; i++) {
                setArg(k, i, args[i], name);
            }
            boolean first = used.add(name);
            long t0 = 0;
            if (first) {
                CL.clFinish(queue);
                t0 = System.nanoTime();
            }
            ClRecorder r = recorder;
            cl_event ev = r != null ? new cl_event() : null;
            CL.clEnqueueNDRangeKernel(queue, k, 1, null, new long[] {global}, new long[] {workGroup}, 0, null, ev);
            launches.increment();
            if (r != null) {
                r.add(Kind.KERNEL, name, 0, null, ev);
            }
            if (first) {
                // Drivers may generate the kernel's code only now (PoCL does): count the first run as compile time.
                CL.clFinish(queue);
                compileNanos.add(System.nanoTime() - t0);
            }
        }
    }

    private static void setArg(cl_kernel k, int index, Object a, String kernel) {
        switch (a) {
            case Integer i -> CL.clSetKernelArg(k, index, Sizeof.cl_int, Pointer.to(new int[] {i}));
            case Float f -> CL.clSetKernelArg(k, index, Sizeof.cl_float, Pointer.to(new float[] {f}));
            case cl_mem m -> CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(m));
            case int[] v when v.length == 8 -> CL.clSetKernelArg(k, index, Sizeof.cl_int8, Pointer.to(v));
            case int[] v when v.length == 16 -> CL.clSetKernelArg(k, index, Sizeof.cl_int16, Pointer.to(v));
            default -> throw new IllegalArgumentException("gpu: unsupported argument " + a + " for kernel " + kernel);
        }
    }

    // ================================================================ Accelerator

    @Override
    public void release(Storage s) {
        if (s instanceof ClStorage c && c.backend() == this) {
            c.release();
        } else {
            throw new IllegalArgumentException("gpu: release needs a storage of this device, got " + s);
        }
    }

    @Override
    public long commandCount() {
        return launches.sum();
    }

    @Override
    public void synchronize() {
        synchronized (lock) {
            CL.clFinish(queue);
        }
    }

    @Override
    public Recording startRecording() {
        synchronized (lock) {
            if (recorder != null) {
                throw new IllegalStateException("gpu: a recording is already running on " + deviceName()
                        + "; stop it first (one execution plan profiles at a time)");
            }
            ClRecorder r = new ClRecorder(this);
            recorder = r;
            return r;
        }
    }

    void endRecording(ClRecorder r) {
        synchronized (lock) {
            if (recorder == r) {
                recorder = null;
            }
        }
    }
}
