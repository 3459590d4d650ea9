package dev.vectorgrad.gpu.opencl;

import dev.vectorgrad.gpu.plan.Accelerator;
import dev.vectorgrad.gpu.plan.Accelerator.DeviceCommand;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

/**
 * Collects the OpenCL events of the commands enqueued while a plan runs and turns them into device
 * times. A command timed by one event runs from its START to its END; a library call that may enqueue
 * several kernels (CLBlast GEMM) is timed from the END of a marker enqueued just before it to the END
 * of its last kernel.
 */
final class ClRecorder implements Accelerator.Recording {

    private record Pending(String phase, DeviceCommand.Kind kind, String name, long bytes,
                           cl_event before, cl_event event) {
    }

    private final ClBackend backend;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private String phase = "";
    private boolean stopped;

    ClRecorder(ClBackend backend) {
        this.backend = backend;
    }

    synchronized void add(DeviceCommand.Kind kind, String name, long bytes, cl_event before, cl_event event) {
        pending.add(new Pending(phase, kind, name, bytes, before, event));
        counts.merge(phase, 1, Integer::sum);
    }

    @Override
    public synchronized void phase(String name) {
        this.phase = name;
    }

    @Override
    public synchronized int commandsIn(String phase) {
        return counts.getOrDefault(phase, 0);
    }

    @Override
    public List<DeviceCommand> stop() {
        backend.endRecording(this);
        backend.synchronize();
        List<DeviceCommand> out = new ArrayList<>();
        synchronized (this) {
            for (Pending p : pending) {
                long end = timestamp(p.event(), CL_PROFILING_COMMAND_END);
                long start = p.before() != null ? timestamp(p.before(), CL_PROFILING_COMMAND_END)
                        : timestamp(p.event(), CL_PROFILING_COMMAND_START);
                out.add(new DeviceCommand(p.phase(), p.kind(), p.name(), p.bytes(), Math.max(0, end - start)));
            }
            releaseAll();
            stopped = true;
        }
        return out;
    }

    @Override
    public void close() {
        backend.endRecording(this);
        synchronized (this) {
            if (!stopped) {
                backend.synchronize();
                releaseAll();
                stopped = true;
            }
        }
    }

    private void releaseAll() {
        for (Pending p : pending) {
            CL.clReleaseEvent(p.event());
            if (p.before() != null) {
                CL.clReleaseEvent(p.before());
            }
        }
        pending.clear();
    }

    private static long timestamp(cl_event e, int which) {
        long[] v = new long[1];
        CL.clGetEventProfilingInfo(e, which, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }
}
