package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.gpu.plan.Accelerator.DeviceCommand;
import dev.vectorgrad.gpu.plan.Accelerator.DeviceCommand.Kind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Device-measured timings of one execution. Kernel and copy times come from the device's own
 * profiling timestamps (OpenCL events), never from host clocks around CPU work: a step that did not
 * run on the device has no time here. Compile time is reported apart.
 *
 * @param deviceName        the device, as its driver names it
 * @param graphs            the graphs that ran
 * @param execution         1 for the first measured execution, then 2, ...
 * @param firstExecution    true when no warm-up or earlier execution preceded it (times then include
 *                          FIRST_EXECUTION copies and, on lazy drivers, compilation)
 * @param warmUpExecutions  unmeasured executions run just before this one
 * @param kernelNanos       device time of every kernel (own kernels and GEMM calls)
 * @param kernelCount       kernels run
 * @param copyInNanos       device time of the declared host-to-device copies
 * @param copyInBytes       bytes of those copies
 * @param copyInCount       number of those copies
 * @param copyOutNanos      device time of the declared device-to-host copies (EVERY_EXECUTION)
 * @param copyOutBytes      bytes of those copies
 * @param copyOutCount      number of those copies
 * @param taskCopyNanos     copies that tasks caused themselves (a host tensor an op needed, a scalar
 *                          operand, a value read back): not declared, but real and timed
 * @param taskCopyBytes     bytes of those copies
 * @param taskCopyCount     number of those copies
 * @param compileNanos      compilation during the measured execution
 * @param compileWithWarmUpNanos compilation during the warm-up runs and the measured execution together
 * @param wallNanos         host wall time of the measured execution, for comparison
 * @param taskKernelNanos   kernel time per task ({@code graph.task})
 * @param commands          every device command with its time, in enqueue order
 */
public record ProfilerResult(String deviceName, String graphs, int execution, boolean firstExecution,
                             int warmUpExecutions, long kernelNanos, int kernelCount,
                             long copyInNanos, long copyInBytes, int copyInCount,
                             long copyOutNanos, long copyOutBytes, int copyOutCount,
                             long taskCopyNanos, long taskCopyBytes, int taskCopyCount,
                             long compileNanos, long compileWithWarmUpNanos, long wallNanos,
                             Map<String, Long> taskKernelNanos, List<DeviceCommand> commands) {

    public ProfilerResult {
        taskKernelNanos = Map.copyOf(taskKernelNanos);
        commands = List.copyOf(commands);
    }

    static ProfilerResult of(String device, String graphs, int execution, boolean first, int warmUps,
                             List<DeviceCommand> commands, long compile, long compileWithWarmUp, long wall) {
        long kernel = 0;
        int kernels = 0;
        long inNs = 0;
        long inBytes = 0;
        int ins = 0;
        long outNs = 0;
        long outBytes = 0;
        int outs = 0;
        long taskNs = 0;
        long taskBytes = 0;
        int taskCopies = 0;
        Map<String, Long> perTask = new LinkedHashMap<>();
        for (DeviceCommand c : commands) {
            boolean inTask = c.phase().startsWith("task:");
            if (c.kind() == Kind.KERNEL) {
                kernel += c.deviceNanos();
                kernels++;
                if (inTask) {
                    perTask.merge(c.phase().substring(5), c.deviceNanos(), Long::sum);
                }
            } else if (inTask) {
                taskNs += c.deviceNanos();
                taskBytes += c.bytes();
                taskCopies++;
            } else if (c.kind() == Kind.HOST_TO_DEVICE) {
                inNs += c.deviceNanos();
                inBytes += c.bytes();
                ins++;
            } else {
                outNs += c.deviceNanos();
                outBytes += c.bytes();
                outs++;
            }
        }
        return new ProfilerResult(device, graphs, execution, first, warmUps, kernel, kernels, inNs, inBytes, ins,
                outNs, outBytes, outs, taskNs, taskBytes, taskCopies, compile, compileWithWarmUp, wall, perTask,
                commands);
    }

    /** Kernel time plus every copy: the device's busy time for this execution. */
    public long totalDeviceNanos() {
        return kernelNanos + copyInNanos + copyOutNanos + taskCopyNanos;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "execution %d of [%s] on %s%s%n", execution, graphs, deviceName,
                firstExecution ? " (first: includes one-time copies and compilation)"
                        : warmUpExecutions > 0 ? " (after " + warmUpExecutions + " warm-up runs)" : ""));
        sb.append(String.format(Locale.ROOT, "  kernels     %10.3f ms  %d kernels%n", kernelNanos / 1e6, kernelCount));
        for (Map.Entry<String, Long> e : taskKernelNanos.entrySet()) {
            sb.append(String.format(Locale.ROOT, "    %-20s %10.3f ms%n", e.getKey(), e.getValue() / 1e6));
        }
        sb.append(String.format(Locale.ROOT, "  copy in     %10.3f ms  %d bytes in %d copies%n", copyInNanos / 1e6,
                copyInBytes, copyInCount));
        sb.append(String.format(Locale.ROOT, "  copy out    %10.3f ms  %d bytes in %d copies%n", copyOutNanos / 1e6,
                copyOutBytes, copyOutCount));
        sb.append(String.format(Locale.ROOT, "  task copies %10.3f ms  %d bytes in %d copies%n", taskCopyNanos / 1e6,
                taskCopyBytes, taskCopyCount));
        sb.append(String.format(Locale.ROOT, "  compile     %10.3f ms  (%.3f ms with warm-up)%n", compileNanos / 1e6,
                compileWithWarmUpNanos / 1e6));
        sb.append(String.format(Locale.ROOT, "  wall        %10.3f ms", wallNanos / 1e6));
        return sb.toString();
    }
}
