package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.opencl.TransferStats;
import dev.vectorgrad.gpu.plan.DataTransferMode;
import dev.vectorgrad.gpu.plan.ExecutionPlan;
import dev.vectorgrad.gpu.plan.ExecutionResult;
import dev.vectorgrad.gpu.plan.ImmutableTaskGraph;
import dev.vectorgrad.gpu.plan.ProfilerResult;
import dev.vectorgrad.gpu.plan.TaskGraph;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task graphs and execution plans: transfer modes, results, device-timed profiles, no CPU fallback. */
class PlanTest {

    private ClBackend gpu;
    private Tensor w1;
    private Tensor b1;
    private Tensor w2;
    private Tensor x;
    private Tensor out;

    @BeforeEach
    void setUp() {
        gpu = Gpu.device();
        Rng rng = new Rng(21);
        w1 = Tensor.randn(rng, 8, 16);
        b1 = Tensor.randn(rng, 16);
        w2 = Tensor.randn(rng, 16, 3);
        x = Tensor.randn(rng, 5, 8);
        out = Tensor.zeros(5, 3);
    }

    private Tensor mlp(Tensor in, Tensor a, Tensor b, Tensor c) {
        return in.matmul(a).add(b).relu().matmul(c);
    }

    private ImmutableTaskGraph graph(DataTransferMode outMode) {
        return new TaskGraph("mlp")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, w1, b1, w2)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("forward", ctx -> ctx.write(out, mlp(ctx.get(x), ctx.get(w1), ctx.get(b1), ctx.get(w2))))
                .transferToHost(outMode, out)
                .snapshot();
    }

    @Test
    void weightsGoOnceInputsEveryTimeAndResultsComeBack() {
        long weightBytes = 4L * (w1.numel() + b1.numel() + w2.numel());
        long inputBytes = 4L * x.numel();
        try (ExecutionPlan plan = new ExecutionPlan(graph(DataTransferMode.EVERY_EXECUTION)).withDevice("gpu")
                .withProfiler()) {
            ProfilerResult first = plan.execute().profile();
            assertTrue(first.firstExecution());
            assertEquals(weightBytes + inputBytes, first.copyInBytes(), first.toString());
            assertEquals(4, first.copyInCount());
            assertTrue(out.allClose(mlp(x, w1, b1, w2), 1e-5, 1e-5), out.toString());
            assertEquals(4L * out.numel(), first.copyOutBytes());

            // The host refills the input in place; only it travels on later executions.
            x.copyFrom(Tensor.randn(new Rng(8), 5, 8));
            TransferStats before = gpu.transferStats();
            ProfilerResult second = plan.execute().profile();
            TransferStats moved = gpu.transferStats().minus(before);
            assertEquals(inputBytes, second.copyInBytes(), second.toString());
            assertEquals(1, second.copyInCount());
            assertEquals(inputBytes + second.taskCopyBytes(), moved.hostToDeviceBytes(), moved.toString());
            assertTrue(out.allClose(mlp(x, w1, b1, w2), 1e-5, 1e-5), "second result follows the new input");

            assertEquals(gpu.deviceName(), second.deviceName());
            assertTrue(second.kernelNanos() > 0 && second.kernelCount() >= 4, second.toString());
            assertTrue(second.taskKernelNanos().get("mlp.forward") > 0, second.toString());
            assertTrue(second.copyInNanos() > 0 && second.copyOutNanos() > 0, second.toString());
            assertTrue(second.toString().contains("kernels"), second.toString());
            assertEquals(2, plan.executions());
        }
    }

    @Test
    void warmUpRunsFirstAndUnderDemandResultsWaitUntilAskedFor() {
        try (ExecutionPlan plan = new ExecutionPlan(graph(DataTransferMode.UNDER_DEMAND)).withWarmUp(2).withProfiler()) {
            ExecutionResult r = plan.execute();
            ProfilerResult p = r.profile();
            assertFalse(p.firstExecution());
            assertEquals(2, p.warmUpExecutions());
            assertEquals(4L * x.numel(), p.copyInBytes(), "weights went during the warm-up: " + p);
            assertEquals(0, p.copyOutBytes());
            assertArrayEquals(new float[15], out.toArray(), "not copied back yet");
            r.transferToHost(out);
            assertTrue(out.allClose(mlp(x, w1, b1, w2), 1e-5, 1e-5), out.toString());
            assertThrows(IllegalArgumentException.class, () -> r.transferToHost(x), "x is not declared to come back");
        }
    }

    @Test
    void withoutTheProfilerThereIsNoProfile() {
        try (ExecutionPlan plan = new ExecutionPlan(graph(DataTransferMode.EVERY_EXECUTION))) {
            ExecutionResult r = plan.execute();
            assertFalse(r.isProfiled());
            IllegalStateException e = assertThrows(IllegalStateException.class, r::profile);
            assertTrue(e.getMessage().contains("withProfiler"), e.getMessage());
            assertTrue(out.allClose(mlp(x, w1, b1, w2), 1e-5, 1e-5));
        }
    }

    @Test
    void stepsThatDoNotRunOnTheDeviceAreErrorsNotTimings() {
        ImmutableTaskGraph idle = new TaskGraph("idle").transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("nothing", ctx -> ctx.get(x).reshape(40)).snapshot();
        try (ExecutionPlan plan = new ExecutionPlan(idle).withProfiler()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, plan::execute);
            assertTrue(e.getMessage().contains("ran nothing on"), e.getMessage());
        }
        ImmutableTaskGraph onCpu = new TaskGraph("cpu").transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("sneaky", ctx -> {
                    try (var s = Backends.use("simd")) {
                        ctx.get(x).exp();
                    }
                })
                .snapshot();
        try (ExecutionPlan plan = new ExecutionPlan(onCpu).withProfiler()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, plan::execute);
            assertTrue(e.getMessage().contains(gpu.deviceName()), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExecutionPlan(idle).withDevice("simd"));
        assertTrue(e.getMessage().contains("not on a device"), e.getMessage());
    }

    @Test
    void graphsAreCheckedWhenBuilt() {
        TaskGraph g = new TaskGraph("g");
        assertThrows(IllegalStateException.class, g::snapshot, "no task");
        assertThrows(IllegalArgumentException.class, () -> g.transferToDevice(DataTransferMode.UNDER_DEMAND, x));
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, x);
        assertThrows(IllegalArgumentException.class, () -> g.transferToDevice(DataTransferMode.EVERY_EXECUTION, x));
        g.task("t", ctx -> { });
        assertThrows(IllegalArgumentException.class, () -> g.task("t", ctx -> { }), "duplicate task name");
        assertEquals("[t]", g.snapshot().taskNames().toString());
    }
}
