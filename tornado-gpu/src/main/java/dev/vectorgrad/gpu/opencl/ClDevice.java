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
