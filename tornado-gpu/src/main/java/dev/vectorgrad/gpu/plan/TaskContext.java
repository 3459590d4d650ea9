package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.Objects;

/** What a {@link Task} sees while it runs: the device copies of the graph's declared tensors. */
public final class TaskContext {

    private final Accelerator device;
    private final IdentityHashMap<Tensor, Tensor> deviceCopies;
    private final String graph;
    private final String task;

    TaskContext(Accelerator device, IdentityHashMap<Tensor, Tensor> deviceCopies, String graph, String task) {
        this.device = device;
        this.deviceCopies = deviceCopies;
        this.graph = graph;
        this.task = task;
    }

    /** The device copy of a tensor declared with {@code transferToDevice} or {@code transferToHost}. */
    public Tensor get(Tensor declared) {
        Objects.requireNonNull(declared, "get: tensor is null");
        Tensor t = deviceCopies.get(declared);
        if (t == null) {
            throw new IllegalArgumentException("task '" + task + "' of graph '" + graph + "' asked for a tensor "
                    + declared.describe() + " that the graph does not declare; list it in transferToDevice(...) or"
                    + " transferToHost(...)");
        }
        return t;
    }

    /**
     * Stores {@code value} (broadcast to the shape) in the device copy of {@code declared}, in place on
     * the device; a {@code transferToHost} tensor then receives it after the tasks.
     */
    public void write(Tensor declared, Tensor value) {
        Objects.requireNonNull(value, "write: value is null");
        Tensor target = get(declared);
        try (var g = Grad.off()) {
            target.copyFrom(value);
        }
    }

    /** The device the plan runs on (also the current backend while the task runs). */
    public Accelerator device() {
        return device;
    }

    /** The running task's name. */
    public String taskName() {
        return task;
    }
}
