package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Storage;

import java.util.List;

/**
 * A backend whose storages live on a device, as execution plans need it: explicit copies in and out,
 * waiting for the device, and recording of device-side timings. The OpenCL backend implements it; a
 * TornadoVM backend would implement the same interface and run the same task graphs.
 */
public interface Accelerator extends Backend {

    /** The device's name, as reported by its driver. */
    String deviceName();

    /** True when {@code s} is a storage of this device (used in place, never copied). */
    boolean owns(Storage s);

    /** A new device storage holding {@code data} (one counted host-to-device copy). */
    Storage upload(float[] data);

    /** Overwrites a device storage of this accelerator with {@code data} (one counted copy). */
    void upload(float[] data, Storage target);

    /** All elements of a device storage (one counted device-to-host copy). */
    float[] download(Storage s);

    /** Frees a device storage of this accelerator now (it must not be used afterwards). */
    void release(Storage s);

    /** Commands (kernels and device-side copies) enqueued so far; tells whether a task used the device. */
    long commandCount();

    /** Waits until everything enqueued so far has finished. */
    void synchronize();

    /** Time spent compiling device code so far (program builds and first uses). */
    long compileTimeNanos();

    /**
     * Starts recording every device command (kernels and copies) with the device's own timestamps,
     * until {@link Recording#stop()}. One recording at a time.
     */
    Recording startRecording();

    /** The device commands recorded between {@link #startRecording()} and {@link #stop()}. */
    interface Recording extends AutoCloseable {

        /** Labels the commands that follow (a task name, "copy-in", "copy-out"). */
        void phase(String name);

        /** Commands recorded under the current phase so far (without waiting for them). */
        int commandsIn(String phase);

        /** Waits for the device and returns every recorded command with its device time. */
        List<DeviceCommand> stop();

        /** Stops without reading timings (if {@link #stop()} was not called). */
        @Override
        void close();
    }

    /**
     * One command as the device timed it.
     *
     * @param phase       the phase it was enqueued under
     * @param kind        a kernel or a copy
     * @param name        kernel name ({@code vg_binary}, {@code sgemm}) or copy description
     * @param bytes       bytes moved (copies), 0 for kernels
     * @param deviceNanos time from start to end on the device (profiling events)
     */
    record DeviceCommand(String phase, Kind kind, String name, long bytes, long deviceNanos) {
        public enum Kind { KERNEL, HOST_TO_DEVICE, DEVICE_TO_HOST }
    }
}
