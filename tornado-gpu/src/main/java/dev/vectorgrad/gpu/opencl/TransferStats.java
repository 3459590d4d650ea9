package dev.vectorgrad.gpu.opencl;

import java.util.Locale;

/**
 * What a device backend has moved and compiled so far: every host-to-device and device-to-host copy
 * (count, bytes, wall time of the copy calls), kernel launches, and the time spent compiling programs
 * and first-using library routines. Immutable; take one before and one after a piece of work and
 * {@link #minus} them:
 *
 * <pre>{@code
 * TransferStats before = gpu.transferStats();
 * model.forward(x);
 * TransferStats step = gpu.transferStats().minus(before);   // step.hostToDeviceBytes(), ...
 * }</pre>
 *
 * @param hostToDeviceCount  uploads (a host tensor an op needed, {@code fromArray}, {@code to("gpu")})
 * @param hostToDeviceBytes  bytes uploaded
 * @param hostToDeviceNanos  wall time of the uploads
 * @param deviceToHostCount  downloads ({@code toArray}, printing, {@code item()}, {@code to("simd")})
 * @param deviceToHostBytes  bytes downloaded
 * @param deviceToHostNanos  wall time of the downloads
 * @param kernelLaunches     kernels enqueued (own kernels and library GEMM calls)
 * @param compileTimeNanos   building the kernel program, plus the first launch of each of its kernels
 *                           and the first call of each GEMM transpose variant, timed to completion:
 *                           drivers such as PoCL, and CLBlast, compile lazily on first use. Lazy
 *                           compilation a driver does later (CLBlast's multi-kernel path, first taken
 *                           at larger sizes) is not separable and lands in that first call's time;
 *                           warm-up runs keep it out of measurements.
 * @param programBuilds      programs built (at most one per build-option set and device)
 */
public record TransferStats(long hostToDeviceCount, long hostToDeviceBytes, long hostToDeviceNanos,
                            long deviceToHostCount, long deviceToHostBytes, long deviceToHostNanos,
                            long kernelLaunches, long compileTimeNanos, long programBuilds) {

    /** The difference {@code this - earlier}: what happened between two readings. */
    public TransferStats minus(TransferStats earlier) {
        return new TransferStats(hostToDeviceCount - earlier.hostToDeviceCount,
                hostToDeviceBytes - earlier.hostToDeviceBytes, hostToDeviceNanos - earlier.hostToDeviceNanos,
                deviceToHostCount - earlier.deviceToHostCount, deviceToHostBytes - earlier.deviceToHostBytes,
                deviceToHostNanos - earlier.deviceToHostNanos, kernelLaunches - earlier.kernelLaunches,
                compileTimeNanos - earlier.compileTimeNanos, programBuilds - earlier.programBuilds);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "host->device %d copies, %d bytes (%.3f ms); device->host %d copies, %d bytes"
                        + " (%.3f ms); %d kernel launches; compile %.1f ms (%d program builds)",
                hostToDeviceCount, hostToDeviceBytes, hostToDeviceNanos / 1e6, deviceToHostCount, deviceToHostBytes,
                deviceToHostNanos / 1e6, kernelLaunches, compileTimeNanos / 1e6, programBuilds);
    }
}
