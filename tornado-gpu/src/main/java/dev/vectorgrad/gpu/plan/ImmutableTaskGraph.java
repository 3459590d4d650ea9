package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.tensor.Tensor;

import java.util.List;

/** A frozen {@link TaskGraph}: what an {@link ExecutionPlan} runs. */
public final class ImmutableTaskGraph {

    /** A declared tensor and when it moves. */
    record Transfer(Tensor tensor, DataTransferMode mode) {
    }

    /** A task: its name and the operations it runs in order. */
    record NamedTask(String name, List<Task> ops) {
    }

    private final String name;
    private final List<Transfer> toDevice;
    private final List<NamedTask> tasks;
    private final List<Transfer> toHost;

    ImmutableTaskGraph(String name, List<Transfer> toDevice, List<NamedTask> tasks, List<Transfer> toHost) {
        this.name = name;
        this.toDevice = List.copyOf(toDevice);
        this.tasks = List.copyOf(tasks);
        this.toHost = List.copyOf(toHost);
    }

    public String name() {
        return name;
    }

    /** Task names in execution order. */
    public List<String> taskNames() {
        return tasks.stream().map(NamedTask::name).toList();
    }

    List<Transfer> toDevice() {
        return toDevice;
    }

    List<NamedTask> tasks() {
        return tasks;
    }

    List<Transfer> toHost() {
        return toHost;
    }

    @Override
    public String toString() {
        return "ImmutableTaskGraph(" + name + ": " + toDevice.size() + " in, tasks " + taskNames() + ", "
                + toHost.size() + " out)";
    }
}
