package dev.vectorgrad.gpu.plan;

/**
 * One step of a task graph: tensor code that runs with the plan's device as the current backend.
 * It reads the device copies of declared tensors with {@link TaskContext#get} and stores results
 * with {@link TaskContext#write}.
 *
 * <pre>{@code
 * graph.task("forward", ctx -> ctx.write(y, model.forward(ctx.get(x))));
 * }</pre>
 */
@FunctionalInterface
public interface Task {
    void run(TaskContext ctx);
}
