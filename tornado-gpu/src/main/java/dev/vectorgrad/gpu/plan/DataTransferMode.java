package dev.vectorgrad.gpu.plan;

/**
 * When a task graph copies a tensor between host and device (TornadoVM's modes).
 */
public enum DataTransferMode {
    /** Host to device once, at the plan's first execution: weights, constants. */
    FIRST_EXECUTION,
    /** At every execution: inputs before the tasks, results after them. */
    EVERY_EXECUTION,
    /** Device to host only when asked for, with {@link ExecutionResult#transferToHost}. */
    UNDER_DEMAND
}
