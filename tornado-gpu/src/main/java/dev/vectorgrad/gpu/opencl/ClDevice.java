package dev.vectorgrad.gpu.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as found on this machine: where it is (platform and device index), what it is,
 * and the capabilities the kernels care about.
 *
 * @param platformIndex      index of its platform in the loader's list
 * @param deviceIndex        index within its platform
 * @param name               the device's own name ({@code NVIDIA H100}, {@code pthread-...} for PoCL)
 * @param type               "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param computeUnits       compute units (streaming multiprocessors, cores)
 * @param globalMemBytes     global memory
 * @param maxAllocBytes      largest single buffer
 * @param maxWorkGroupSize   largest work-group
 * @param fp64               double precision available (sums and transcendentals then use it)
 * @param correctlyRoundedDivSqrt whether float division and sqrt can be asked to round correctly
 */
public record ClDevice(int platformIndex, int deviceIndex, String platformName, String platformVersion,
                       String name, String vendor, String version, String driverVersion, String type,
                       int computeUnits, long globalMemBytes, long maxAllocBytes, long maxWorkGroupSize,
                       boolean fp64, boolean correctlyRoundedDivSqrt,
                       cl_platform_id platform, cl_device_id id) {

    /** {@code platform:device}, the form {@code -Dvectorgrad.gpu.device} accepts. */
    public String address() {
        return platformIndex + ":" + deviceIndex;
    }

    /** One line: {@code 0:0 NVIDIA H100 [GPU, 132 compute units, 80 GiB, fp64] on NVIDIA CUDA (OpenCL 3.0 CUDA ...)}. */
    public String summary() {
        return address() + " " + name + " [" + type + ", " + computeUnits + " compute units, "
                + formatBytes(globalMemBytes) + (fp64 ? ", fp64" : ", no fp64") + "] on " + platformName
                + " (" + platformVersion + ")";
    }

    /** True for a real graphics processor (OpenCL device type GPU). */
    public boolean isGpu() {
        return type.equals("GPU");
    }

    /** True when the driver is PoCL (the Portable Computing Language), which runs OpenCL on the CPU. */
    public boolean isPocl() {
        String p = platformName.toLowerCase(java.util.Locale.ROOT);
        return p.contains("portable computing language") || p.contains("pocl");
    }

    /**
     * What kind of device this is, in a few words for reports, so that a CPU driver is never taken for
     * a GPU: {@code "PoCL on CPU"}, {@code "OpenCL on CPU"}, {@code "GPU"}, {@code "accelerator"}.
     */
    public String kind() {
        return switch (type) {
            case "GPU" -> "GPU";
            case "ACCELERATOR" -> "accelerator";
            case "CPU" -> isPocl() ? "PoCL on CPU" : "OpenCL on CPU";
            default -> "OpenCL device";
        };
    }

    /** {@link #kind()} and the device: {@code PoCL on CPU (pthread-skylake-avx512, 2 compute units), not a GPU}. */
    public String label() {
        return kind() + " (" + name + ", " + computeUnits + " compute units, " + platformName + ")"
                + (isGpu() ? "" : ", not a GPU");
    }

    static String formatBytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    @Override
    public String toString() {
        return summary();
    }
}
