package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;

/**
 * Runs task graphs on a device (TornadoVM's execution plan): keeps the device copies of the declared
 * tensors between executions, moves data as the transfer modes say, and, with
 * {@link #withProfiler()}, reports device-measured times.
 *
 * <pre>{@code
 * try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot())) {
 *     plan.withDevice("gpu").withWarmUp(2).withProfiler();
 *     ProfilerResult p = plan.execute().profile();
 * }
 * }</pre>
 *
 * <p>Every task runs with the device as the current backend. Nothing silently falls back to the CPU:
 * a CPU kernel handed a device tensor fails, and a task that enqueues nothing on the device is an
 * error, so a reported kernel time is always device time. Closing the plan frees the device copies.
 * A plan is for one thread at a time.
 */
public final class ExecutionPlan implements AutoCloseable {

    static final String COPY_IN = "copy-in";
    static final String COPY_OUT = "copy-out";

    private final List<ImmutableTaskGraph> graphs;
    private final IdentityHashMap<Tensor, Tensor> deviceCopies = new IdentityHashMap<>();
    private final List<Tensor> owned = new ArrayList<>();
    private Accelerator device;
    private int warmUp;
    private boolean warmedUp;
    private boolean profiler;
    private boolean closed;
    private int executions;

    public ExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) {
            throw new IllegalArgumentException("ExecutionPlan: give at least one task graph");
        }
        for (ImmutableTaskGraph g : graphs) {
            Objects.requireNonNull(g, "ExecutionPlan: a graph is null");
        }
        this.graphs = List.of(graphs);
    }

    /** Runs on the backend registered under {@code name} ("gpu"), which must be a device backend. */
    public ExecutionPlan withDevice(String name) {
        return withDevice(Backends.get(name));
    }

    /** Runs on {@code backend}, which must be a device backend ({@link Accelerator}). */
    public ExecutionPlan withDevice(Backend backend) {
        Objects.requireNonNull(backend, "withDevice: backend is null");
        if (!(backend instanceof Accelerator a)) {
            throw new IllegalArgumentException("withDevice: backend '" + backend.name() + "' runs on the host, not on"
                    + " a device; an execution plan needs a device backend such as 'gpu'");
        }
        if (device != null && device != a && !deviceCopies.isEmpty()) {
            throw new IllegalStateException("withDevice: this plan already holds data on " + device.deviceName()
                    + "; close it and make a new plan for another device");
        }
        this.device = a;
        return this;
    }

    /**
     * Runs the graphs {@code executions} times, unmeasured, before the first measured execution:
     * kernels get compiled and FIRST_EXECUTION data copied there, not in the measured run.
     */
    public ExecutionPlan withWarmUp(int executions) {
        if (executions < 0) {
            throw new IllegalArgumentException("withWarmUp: executions must be >= 0, got " + executions);
        }
        this.warmUp = executions;
        return this;
    }

    /** Records device timings of every execution; read them with {@link ExecutionResult#profile()}. */
    public ExecutionPlan withProfiler() {
        this.profiler = true;
        return this;
    }

    public ExecutionPlan withoutProfiler() {
        this.profiler = false;
        return this;
    }

    /** The device the plan runs on (the "gpu" backend unless {@link #withDevice} chose another). */
    public Accelerator device() {
        if (device == null) {
            withDevice(Backends.get("gpu"));
        }
        return device;
    }

    /** Measured executions so far (warm-up runs not counted). */
    public int executions() {
        return executions;
    }

    /** Runs every graph once (after the warm-up runs, the first time) and waits for the device. */
    public ExecutionResult execute() {
        if (closed) {
            throw new IllegalStateException("ExecutionPlan: the plan is closed");
        }
        Accelerator dev = device();
        long compileBefore = dev.compileTimeNanos();
        int warmUps = 0;
        if (!warmedUp) {
            for (int i = 0; i < warmUp; i++) {
                runOnce(dev);
            }
            dev.synchronize();
            warmUps = warmUp;
            warmedUp = true;
        }
        boolean first = executions == 0 && warmUps == 0;
        long compileMeasuredBefore = dev.compileTimeNanos();
        ProfilerResult profile = null;
        long t0 = System.nanoTime();
        if (profiler) {
            try (Accelerator.Recording rec = dev.startRecording()) {
                runOnce(dev, rec);
                List<Accelerator.DeviceCommand> commands = rec.stop();
                long wall = System.nanoTime() - t0;
                profile = ProfilerResult.of(dev.deviceName(), graphNames(), executions + 1, first, warmUps, commands,
                        dev.compileTimeNanos() - compileMeasuredBefore, dev.compileTimeNanos() - compileBefore, wall);
            }
        } else {
            runOnce(dev);
            dev.synchronize();
        }
        executions++;
        return new ExecutionResult(this, profile);
    }

    private String graphNames() {
        return String.join(", ", graphs.stream().map(ImmutableTaskGraph::name).toList());
    }

    private void runOnce(Accelerator dev) {
        runOnce(dev, null);
    }

    private void runOnce(Accelerator dev, Accelerator.Recording rec) {
        for (ImmutableTaskGraph g : graphs) {
            phase(rec, COPY_IN + ":" + g.name());
            for (ImmutableTaskGraph.Transfer t : g.toDevice()) {
                Tensor copy = deviceCopies.get(t.tensor());
                if (copy == null) {
                    deviceCopies.put(t.tensor(), uploadNew(dev, t.tensor()));
                } else if (t.mode() == DataTransferMode.EVERY_EXECUTION && copy != t.tensor()) {
                    dev.upload(hostValues(t.tensor()), copy.storage());
                }
            }
            for (ImmutableTaskGraph.Transfer t : g.toHost()) {
                if (!deviceCopies.containsKey(t.tensor())) {
                    Tensor host = t.tensor();
                    Tensor copy = dev.owns(host.storage()) ? host
                            : Tensor.wrap(dev.allocate(host.numel()), Layout.contiguous(host.shape()), dev);
                    if (copy != host) {
                        owned.add(copy);
                    }
                    deviceCopies.put(host, copy);
                }
            }
            for (ImmutableTaskGraph.NamedTask task : g.tasks()) {
                String phase = "task:" + g.name() + "." + task.name();
                phase(rec, phase);
                long before = dev.commandCount();
                TaskContext ctx = new TaskContext(dev, deviceCopies, g.name(), task.name());
                try (var scope = Backends.use(dev)) {
                    for (Task op : task.ops()) {
                        op.run(ctx);
                    }
                }
                if (dev.commandCount() == before) {
                    throw new IllegalStateException("task '" + task.name() + "' of graph '" + g.name() + "' ran nothing"
                            + " on " + dev.deviceName() + "; a task must compute on the device (write a result with"
                            + " ctx.write(...)), so that its time is device time");
                }
            }
            phase(rec, COPY_OUT + ":" + g.name());
            for (ImmutableTaskGraph.Transfer t : g.toHost()) {
                if (t.mode() == DataTransferMode.EVERY_EXECUTION) {
                    copyBack(dev, t.tensor());
                }
            }
        }
    }

    private static void phase(Accelerator.Recording rec, String name) {
        if (rec != null) {
            rec.phase(name);
        }
    }

    private Tensor uploadNew(Accelerator dev, Tensor host) {
        if (dev.owns(host.storage())) {
            return host; // already there: used in place
        }
        Tensor copy = Tensor.wrap(dev.upload(hostValues(host)), Layout.contiguous(host.shape()), dev);
        owned.add(copy);
        return copy;
    }

    private static float[] hostValues(Tensor t) {
        return t.numel() == 0 ? new float[0] : t.toArray();
    }

    /** Copies the device copy of a declared tensor into the host tensor. */
    void copyBack(Accelerator dev, Tensor host) {
        Tensor copy = deviceCopies.get(host);
        if (copy == null) {
            throw new IllegalStateException("transferToHost: " + host.describe() + " has no device copy yet;"
                    + " execute the plan first");
        }
        if (copy == host || host.numel() == 0) {
            return;
        }
        float[] values = copy.layout().isContiguous() && copy.storageOffset() == 0
                && copy.storage().size() == copy.numel() ? dev.download(copy.storage()) : copy.toArray();
        Storage hs = host.storage();
        if (hs instanceof HostStorage h && host.isContiguous()) {
            System.arraycopy(values, 0, h.array(), host.storageOffset(), values.length);
        } else {
            try (var g = Grad.off()) {
                host.copyFrom(Tensor.wrap(new HostStorage(values), Layout.contiguous(host.shape()), Backends.scalar()));
            }
        }
    }

    /** Whether {@code host} is declared by one of the graphs to come back to the host. */
    boolean declaredToHost(Tensor host) {
        for (ImmutableTaskGraph g : graphs) {
            for (ImmutableTaskGraph.Transfer t : g.toHost()) {
                if (t.tensor() == host) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Frees the device copies this plan made. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (device != null) {
            for (Tensor t : owned) {
                device.release(t.storage());
            }
        }
        owned.clear();
        deviceCopies.clear();
    }
}
