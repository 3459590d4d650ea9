/**
 * TornadoVM-shaped offload plans: a {@link dev.vectorgrad.gpu.plan.TaskGraph} declares transfers
 * ({@link dev.vectorgrad.gpu.plan.DataTransferMode}) and tasks, {@code snapshot()} freezes it, and an
 * {@link dev.vectorgrad.gpu.plan.ExecutionPlan} runs it on an {@link dev.vectorgrad.gpu.plan.Accelerator}
 * with warm-up and a profiler whose times come from the device
 * ({@link dev.vectorgrad.gpu.plan.ProfilerResult}). The OpenCL backend is one accelerator; a TornadoVM
 * backend could be another.
 */
package dev.vectorgrad.gpu.plan;
