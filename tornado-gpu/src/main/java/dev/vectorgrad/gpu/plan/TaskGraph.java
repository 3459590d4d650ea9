package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run on a device and which data to move, in TornadoVM's shape: declare the tensors to copy
 * to the device (and when), the tasks, and the tensors to copy back; then {@link #snapshot()} it and
 * run it through an {@link ExecutionPlan}.
 *
 * <pre>{@code
 * Tensor x = Tensor.zeros(64, 784);          // host tensors: the plan keeps device copies
 * Tensor logits = Tensor.zeros(64, 10);
 * TaskGraph g = new TaskGraph("mlp")
 *         .transferToDevice(DataTransferMode.FIRST_EXECUTION, w1, b1, w2, b2)   // weights: copied once
 *         .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)                // the batch: every time
 *         .task("forward", ctx -> ctx.write(logits, ctx.get(x).matmul(ctx.get(w1)).add(ctx.get(b1)).relu()
 *                 .matmul(ctx.get(w2)).add(ctx.get(b2))))
 *         .transferToHost(DataTransferMode.EVERY_EXECUTION, logits);
 * try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withWarmUp(1).withProfiler()) {
 *     ExecutionResult r = plan.execute();
 *     System.out.println(r.profile());       // kernel time, copy-in/out time and bytes, compile time
 * }
 * }</pre>
 *
 * Tensors are matched by identity: a task asks for the device copy of the very tensor object that
 * was declared. A tensor already on the plan's device is used as it is, without copies.
 */
public final class TaskGraph {

    private final String name;
    private final Map<Tensor, DataTransferMode> toDevice = new IdentityHashMap<>();
    private final List<Tensor> toDeviceOrder = new ArrayList<>();
    private final Map<Tensor, DataTransferMode> toHost = new IdentityHashMap<>();
    private final List<Tensor> toHostOrder = new ArrayList<>();
    private final List<ImmutableTaskGraph.NamedTask> tasks = new ArrayList<>();

    public TaskGraph(String name) {
        Objects.requireNonNull(name, "TaskGraph: name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("TaskGraph: the name must not be blank");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Tensors to copy to the device before the tasks: at the first execution only
     * ({@link DataTransferMode#FIRST_EXECUTION}, for weights) or at every execution
     * ({@link DataTransferMode#EVERY_EXECUTION}, for inputs the host refills between executions).
     */
    public TaskGraph transferToDevice(DataTransferMode mode, Tensor... tensors) {
        Objects.requireNonNull(mode, "transferToDevice: mode is null");
        if (mode == DataTransferMode.UNDER_DEMAND) {
            throw new IllegalArgumentException("transferToDevice: UNDER_DEMAND applies to transferToHost only;"
                    + " use FIRST_EXECUTION or EVERY_EXECUTION");
        }
        for (Tensor t : tensors) {
            Objects.requireNonNull(t, "transferToDevice: a tensor is null");
            DataTransferMode before = toDevice.putIfAbsent(t, mode);
            if (before == null) {
                toDeviceOrder.add(t);
            } else if (before != mode) {
                throw new IllegalArgumentException("transferToDevice: " + t.describe() + " is already declared with "
                        + before + "; a tensor has one transfer mode per direction");
            }
        }
        return this;
    }

    /**
     * A named task: {@code ops} run in order with the plan's device as the current backend. Each task
     * must run something on the device (an empty task is an error when the plan executes).
     */
    public TaskGraph task(String taskName, Task... ops) {
        Objects.requireNonNull(taskName, "task: name is null");
        if (ops.length == 0) {
            throw new IllegalArgumentException("task '" + taskName + "': give at least one operation");
        }
        for (ImmutableTaskGraph.NamedTask t : tasks) {
            if (t.name().equals(taskName)) {
                throw new IllegalArgumentException("task '" + taskName + "' is already in graph '" + name + "'");
            }
        }
        for (Task op : ops) {
            Objects.requireNonNull(op, "task '" + taskName + "': an operation is null");
        }
        tasks.add(new ImmutableTaskGraph.NamedTask(taskName, List.of(ops)));
        return this;
    }

    /**
     * Tensors to copy back to the host after the tasks: at every execution
     * ({@link DataTransferMode#EVERY_EXECUTION}) or only when {@link ExecutionResult#transferToHost}
     * asks ({@link DataTransferMode#UNDER_DEMAND}). A tensor not also sent to the device starts as
     * zeros there.
     */
    public TaskGraph transferToHost(DataTransferMode mode, Tensor... tensors) {
        Objects.requireNonNull(mode, "transferToHost: mode is null");
        if (mode == DataTransferMode.FIRST_EXECUTION) {
            throw new IllegalArgumentException("transferToHost: use EVERY_EXECUTION or UNDER_DEMAND");
        }
        for (Tensor t : tensors) {
            Objects.requireNonNull(t, "transferToHost: a tensor is null");
            DataTransferMode before = toHost.putIfAbsent(t, mode);
            if (before == null) {
                toHostOrder.add(t);
            } else if (before != mode) {
                throw new IllegalArgumentException("transferToHost: " + t.describe() + " is already declared with "
                        + before);
            }
        }
        return this;
    }

    /** An immutable copy of the graph as it is now, to hand to an {@link ExecutionPlan}. */
    public ImmutableTaskGraph snapshot() {
        if (tasks.isEmpty()) {
            throw new IllegalStateException("TaskGraph '" + name + "' has no task; add one with task(name, op)");
        }
        List<ImmutableTaskGraph.Transfer> in = new ArrayList<>();
        for (Tensor t : toDeviceOrder) {
            in.add(new ImmutableTaskGraph.Transfer(t, toDevice.get(t)));
        }
        List<ImmutableTaskGraph.Transfer> out = new ArrayList<>();
        for (Tensor t : toHostOrder) {
            out.add(new ImmutableTaskGraph.Transfer(t, toHost.get(t)));
        }
        return new ImmutableTaskGraph(name, in, List.copyOf(tasks), out);
    }
}
