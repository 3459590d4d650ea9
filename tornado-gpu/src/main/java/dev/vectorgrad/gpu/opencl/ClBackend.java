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
 *       {@link #toArray} downloads (counted). A single host value used as an operand (a 0-D tensor
 *       such as {@code Tensor.scalar(2)}, broadcast) goes to the kernel as an argument, not as an
 *       upload. Nothing ever falls back to a CPU kernel.</li>
 *   <li><b>Buffers.</b> Device buffers come in size classes and go back to a pool when their storage
 *       is released or collected; allocations of the same class reuse them ({@link #poolStats()}).
 *       {@link #allocate} defers its zero fill until something reads the storage or writes only part
 *       of it, so kernel outputs, which are overwritten whole, are never filled; GEMM with
 *       {@code beta == 0} does not zero C either (CLBlast does not read it then).</li>
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
    private final ClBufferPool pool;
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
        this.pool = new ClBufferPool(ClBufferPool.defaultLimit(device.globalMemBytes()));
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

    /**
     * Bytes of device buffers held by storages of this backend now (not yet released; buffers come in
     * size classes, so this is their capacity). Free buffers kept for reuse are {@link #pooledBytes()}.
     */
    public long deviceBytesInUse() {
        return pool.liveBytes();
    }

    /** Bytes of free device buffers kept for reuse (see {@link #poolStats()}). */
    public long pooledBytes() {
        return pool.pooledBytes();
    }

    /**
     * What the buffer pool has done so far: allocations served from it, buffers the driver created,
     * bytes held and pooled. Device buffers given back by released or collected storages are kept, up
     * to {@code -Dvectorgrad.gpu.poolBytes} (default an eighth of the device's memory, at most 1 GiB;
     * 0 turns pooling off), and reused by later allocations of the same size class.
     */
    public PoolStats poolStats() {
        return pool.stats();
    }

    /** Releases every pooled free buffer to the driver now; returns the bytes freed. */
    public long trimPool() {
        return pool.trim();
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

    /**
     * Zeros, as the SPI says; the fill is deferred (see {@link ClStorage}): an operation that
     * overwrites the whole storage, as every kernel output does, never runs it.
     */
    @Override
    public Storage allocate(int size) {
        ClStorage s = allocateRaw(size);
        s.setZeroPending(size > 0);
        return s;
    }

    /** A device storage holding {@code data}; a single value stays on the host until a kernel needs it there. */
    @Override
    public Storage fromArray(float[] data) {
        if (data.length == 1) {
            return new ClStorage(this, data[0]);
        }
        return upload(data);
    }

    /** Gives a storage that holds its single value on the host a buffer, and uploads the value (counted). */
    cl_mem materialize(ClStorage s) {
        synchronized (s) {
            float[] v = s.hostValue();
            if (s.buffer() == null && v != null) {
                long capacity = pool.enabled() ? 4L * ClBufferPool.capacityFloats(1) : 4L;
                cl_mem m = pool.take(capacity);
                s.attach(m != null ? m : createBuffer(capacity), capacity, pool);
                write(s, v, 0, 1);
                s.clearHostValue();
            }
            return s.buffer();
        }
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
        ClStorage t = own(target, "upload");
        if (t.size() != data.length) {
            throw new IllegalArgumentException("gpu: upload of " + data.length + " floats into a storage of " + t.size());
        }
        write(overwritten(t, "upload", data.length), data, 0, data.length);
    }

    @Override
    public float[] download(Storage s) {
        if (!(s instanceof ClStorage c) || c.backend() != this) {
            throw new IllegalArgumentException("gpu: download needs a storage of this device, got " + s);
        }
        float[] v = c.hostValue();
        if (v != null) {
            return v.clone(); // never left the host
        }
        ensureZeroed(c);
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
        float[] v = c.hostValue();
        if (v != null) {
            float[] out = new float[n]; // every element of a view of one value is that value
            java.util.Arrays.fill(out, v[0]);
            return out;
        }
        ensureZeroed(c);
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
            gather(src, layout, Strided.merge("copy", layout), overwritten(out, "copy", n), 0);
        }
    }

    @Override
    public void fill(Storage out, int offset, int count, float value) {
        if (count <= 0) {
            return;
        }
        ClStorage o = own(out, "fill");
        if (o.zeroPending() && Float.floatToRawIntBits(value) == 0) {
            return; // zeros over zeros that are still to be written
        }
        ClStorage dst = offset == 0 ? overwritten(o, "fill", count) : output(o, "fill");
        launch("vg_fill", count, count, value, dst.mem(), offset);
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
                    m.strides()[0], overwritten(out, "unary", n).mem());
        }
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        int n = la.size();
        if (n == 0) {
            return;
        }
        float[] scalarB = hostScalar(b, lb);
        float[] scalarA = scalarB == null ? hostScalar(a, la) : null;
        try (Inputs in = new Inputs()) {
            if (scalarA != null || scalarB != null) {
                // One operand is a single host value (a 0-D tensor, broadcast): a kernel argument, no upload.
                boolean first = scalarA != null;
                Storage t = first ? b : a;
                Layout lt = first ? lb : la;
                ClStorage st = in.get(t);
                Strided.Merged m = Strided.merge("binary " + op, lt);
                launch("vg_binary_scalar", n, n, code(op), first ? 1 : 0, first ? scalarA[0] : scalarB[0], m.rank(),
                        m.shape(), st.mem(), lt.offset(), m.strides()[0], overwritten(out, "binary", n).mem());
                return;
            }
            ClStorage sa = in.get(a);
            ClStorage sb = in.get(b);
            Strided.Merged m = Strided.merge("binary " + op, la, lb);
            launch("vg_binary", n, n, code(op), m.rank(), m.shape(), sa.mem(), la.offset(), m.strides()[0],
                    sb.mem(), lb.offset(), m.strides()[1], overwritten(out, "binary", n).mem());
        }
    }

    @Override
    public void where(Storage cond, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage out) {
        int n = lc.size();
        if (n == 0) {
            return;
        }
        float[] va = hostScalar(a, la);
        float[] vb = hostScalar(b, lb);
        try (Inputs in = new Inputs()) {
            ClStorage sc = in.get(cond);
            if (va != null || vb != null) {
                // A single host value on either side: a kernel argument, no upload.
                Strided.Merged m = Strided.merge("where", lc, la, lb);
                cl_mem ma = va != null ? sc.mem() : in.get(a).mem();
                cl_mem mb = vb != null ? sc.mem() : in.get(b).mem();
                launch("vg_where_scalar", n, n, m.rank(), m.shape(), sc.mem(), lc.offset(), m.strides()[0],
                        ma, la.offset(), m.strides()[1], va != null ? 1 : 0, va != null ? va[0] : 0f,
                        mb, lb.offset(), m.strides()[2], vb != null ? 1 : 0, vb != null ? vb[0] : 0f,
                        overwritten(out, "where", n).mem());
                return;
            }
            ClStorage sa = in.get(a);
            ClStorage sb = in.get(b);
            Strided.Merged m = Strided.merge("where", lc, la, lb);
            launch("vg_where", n, n, m.rank(), m.shape(), sc.mem(), lc.offset(), m.strides()[0],
                    sa.mem(), la.offset(), m.strides()[1], sb.mem(), lb.offset(), m.strides()[2],
                    overwritten(out, "where", n).mem());
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
            cl_mem dst = overwritten(out, "reduce", outputs).mem();
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
                    overwritten(out, "softmax", (long) rows * len).mem());
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
            // With beta == 0 a block covering the whole storage is overwritten (C is never read).
            boolean whole = beta == 0f && offC == 0 && ldc == n;
            ClStorage cc = whole ? overwritten(c, "gemm", (long) m * n) : output(c, "gemm");
            if (k == 0) {
                launch("vg_scale2d", (long) m * n, m, n, beta, cc.mem(), offC, ldc);
                return;
            }
            deviceGemm(transA, transB, m, n, k, alpha, in.get(a), offA, lda, in.get(b), offB, ldb, beta, cc, offC, ldc);
        }
    }

    /**
     * CLBlast SGEMM on device buffers. With {@code beta == 0} CLBlast's kernels store
     * {@code alpha * A * B} without reading C, so whatever C held (stale pooled data, even NaN) cannot
     * leak into the result and no zeroing pass is needed (the tests check this with NaN-filled C on
     * both of CLBlast's paths, direct and padded).
     */
    private void deviceGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            ClStorage a, int offA, int lda, ClStorage b, int offB, int ldb,
                            float beta, ClStorage c, int offC, int ldc) {
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
            ClStorage dst = colOffset == 0 ? overwritten(col, "im2col", total) : output(col, "im2col");
            launch("vg_im2col", total, (int) total, pack(g), in.get(x).mem(), image, 1, dst.mem(), colOffset, p);
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
            ClStorage dst = overwritten(out, "conv2d", g.outputSize());
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
            ClStorage gi = overwritten(gradInput, "conv2dBackwardInput", g.inputSize());
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
        ClStorage gw = overwritten(gradWeight, "conv2dBackwardWeight", g.weightSize());
        ClStorage gb = gradBias == null ? null : overwritten(gradBias, "conv2dBackwardWeight", g.k());
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
            launch("vg_maxpool", total, total, pack(g, false), in.get(x).mem(),
                    overwritten(out, "maxPool2d", total).mem());
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
                    overwritten(gradInput, "maxPool2dBackward", inputs).mem());
        }
    }

    @Override
    public void avgPool2d(PoolGeometry g, boolean countIncludePad, Storage x, Storage out) {
        int total = g.outputSize();
        try (Inputs in = new Inputs()) {
            launch("vg_avgpool", total, total, pack(g, countIncludePad), in.get(x).mem(),
                    overwritten(out, "avgPool2d", total).mem());
        }
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, Storage gradOut, Storage gradInput) {
        int inputs = g.inputSize();
        try (Inputs in = new Inputs()) {
            launch("vg_avgpool_backward", inputs, inputs, pack(g, countIncludePad), in.get(gradOut).mem(),
                    overwritten(gradInput, "avgPool2dBackward", inputs).mem());
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
                    ensureZeroed(c);
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

    /**
     * A value read from the host for free: when {@code s} is host memory and every element of the view
     * is the same storage slot (a 0-D tensor or a single value broadcast), that value; else null.
     */
    private float[] hostScalar(Storage s, Layout l) {
        if (s instanceof ClStorage c && c.backend() == this) {
            return c.hostValue(); // one element: every view of it reads that value
        }
        if (!(s instanceof HostStorage h)) {
            return null;
        }
        for (int d = 0; d < l.rank(); d++) {
            if (l.stride(d) != 0 && l.dim(d) != 1) {
                return null;
            }
        }
        return new float[] {h.array()[l.offset()]};
    }

    /** An output the operation writes only in part, or accumulates into: its zeros must be there first. */
    private ClStorage output(Storage s, String op) {
        ClStorage c = own(s, op);
        ensureZeroed(c);
        return c;
    }

    /**
     * An output the operation writes from index 0 for {@code count} elements: when that covers the
     * storage, a pending zero fill is dropped instead of run.
     */
    private ClStorage overwritten(Storage s, String op, long count) {
        ClStorage c = own(s, op);
        if (c.zeroPending()) {
            if (count >= c.size()) {
                c.setZeroPending(false);
            } else {
                ensureZeroed(c);
            }
        }
        return c;
    }

    /** Runs the deferred zero fill of a storage from {@link #allocate} if it is still pending. */
    private void ensureZeroed(ClStorage c) {
        if (c.zeroPending()) {
            synchronized (c) {
                if (c.zeroPending()) {
                    launch("vg_fill", c.size(), c.size(), 0f, c.mem(), 0);
                    c.setZeroPending(false);
                }
            }
        }
    }

    private ClStorage own(Storage s, String op) {
        if (s instanceof ClStorage c && c.backend() == this) {
            if (c.hostValue() != null) {
                materialize(c); // about to be written: the value must be in the buffer first
            }
            return c;
        }
        throw new IllegalArgumentException("gpu: " + op + " must write into a storage of this device ("
                + deviceName() + "), got one on '" + s.location() + "'; outputs are allocated by the backend that"
                + " runs the operation (was another backend current when it was allocated?)");
    }

    /**
     * A storage of {@code size} floats with whatever its buffer holds: a pooled buffer of its size class
     * when there is one, else a new one from the driver.
     */
    ClStorage allocateRaw(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("gpu: storage size must be >= 0, got " + size);
        }
        if (size == 0) {
            return new ClStorage(this, null, 0, 0, pool);
        }
        long bytes = 4L * size;
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalArgumentException("gpu: a buffer of " + size + " floats (" + ClDevice.formatBytes(bytes)
                    + ") is larger than the largest buffer " + device.name() + " allows ("
                    + ClDevice.formatBytes(device.maxAllocBytes()) + ")");
        }
        long capacity = pool.enabled() ? 4L * ClBufferPool.capacityFloats(size) : bytes;
        if (capacity > device.maxAllocBytes()) {
            capacity = bytes;
        }
        cl_mem mem = pool.take(capacity);
        if (mem == null) {
            relievePressure(capacity);
            mem = pool.take(capacity); // a collection may have brought one back
        }
        if (mem == null) {
            mem = createBuffer(capacity);
        }
        return new ClStorage(this, mem, size, capacity, pool);
    }

    private cl_mem createBuffer(long bytes) {
        cl_mem mem;
        try {
            mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (!outOfMemory(e)) {
                throw e;
            }
            pool.trim();
            collectGarbage();
            pool.trim(); // what the collection gave back, for this allocation to use
            try {
                mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
            } catch (CLException again) {
                throw new IllegalStateException("gpu: out of device memory allocating " + ClDevice.formatBytes(bytes)
                        + " on " + device.name() + " (" + ClDevice.formatBytes(pool.liveBytes()) + " held by live"
                        + " tensors); use smaller batches or release tensors", again);
            }
        }
        pool.created(bytes);
        return mem;
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
        long high = device.globalMemBytes() / 4 * 3;
        if (pool.liveBytes() + pool.pooledBytes() + bytes > high) {
            pool.trim();
            if (pool.liveBytes() + bytes > high && System.nanoTime() - lastGc > 200_000_000L) {
                collectGarbage();
            }
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
        cl_mem from = src.mem(); // outside the lock: a value still on the host is uploaded here
        cl_mem to = dst.mem();
        synchronized (lock) {
            ClRecorder r = recorder;
            cl_event ev = r != null ? new cl_event() : null;
            CL.clEnqueueCopyBuffer(queue, from, to, 4L * srcOffset, 4L * dstOffset, 4L * count, 0, null, ev);
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
