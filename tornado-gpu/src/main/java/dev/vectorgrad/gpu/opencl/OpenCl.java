package dev.vectorgrad.gpu.opencl;

import dev.vectorgrad.backend.BackendUnavailableException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;

/**
 * Finds the OpenCL platforms and devices of this machine, once per process, and explains what is
 * missing when there are none.
 *
 * <p>Three things must be there: the ICD loader ({@code libOpenCL.so.1}, Debian
 * {@code ocl-icd-libopencl1}), at least one platform (a vendor driver registered under
 * {@code /etc/OpenCL/vendors}, or wherever {@code OCL_ICD_VENDORS} points), and at least one device on
 * it. The selected device is the first GPU, else the first accelerator, else the first device of any
 * type (PoCL's CPU device); {@code -Dvectorgrad.gpu.device} or {@code VECTORGRAD_GPU_DEVICE} choose
 * another by {@code platform:device} address, by position in {@link #devices()}, or by a part of its
 * name.
 */
public final class OpenCl {

    /** System property choosing the device. */
    public static final String DEVICE_PROPERTY = "vectorgrad.gpu.device";
    /** Environment variable choosing the device when the property is not set. */
    public static final String DEVICE_ENV = "VECTORGRAD_GPU_DEVICE";

    static final String INSTALL_HINT = "To run on the CPU, install PoCL: apt-get install ocl-icd-libopencl1 "
            + "pocl-opencl-icd (or your distribution's OpenCL ICD loader and PoCL packages). To run on a GPU, "
            + "install its vendor's OpenCL driver (NVIDIA: the driver's OpenCL ICD, e.g. nvidia-opencl-icd; "
            + "AMD: ROCm OpenCL; Intel: intel-opencl-icd).";

    private static volatile Discovery discovery;

    private OpenCl() {
    }

    /** What one search found: the platforms with their devices, or why there is nothing to use. */
    public record Discovery(boolean loaderFound, String loaderProblem, List<PlatformInfo> platforms,
                            List<String> problems) {

        public List<ClDevice> devices() {
            List<ClDevice> all = new ArrayList<>();
            for (PlatformInfo p : platforms) {
                all.addAll(p.devices());
            }
            return all;
        }
    }

    /** A platform and the devices on it. */
    public record PlatformInfo(int index, String name, String version, List<ClDevice> devices) {
    }

    /** The search, done on first use and remembered (drivers do not appear while a JVM runs). */
    public static Discovery discover() {
        Discovery d = discovery;
        if (d == null) {
            synchronized (OpenCl.class) {
                d = discovery;
                if (d == null) {
                    d = search();
                    discovery = d;
                }
            }
        }
        return d;
    }

    /** Every device found, in platform order. */
    public static List<ClDevice> devices() {
        return discover().devices();
    }

    /**
     * The device the "gpu" backend uses: the one chosen by {@value #DEVICE_PROPERTY} /
     * {@value #DEVICE_ENV}, else the first GPU, accelerator, or any device.
     *
     * @throws BackendUnavailableException when there is none, saying what was looked for and what to install
     */
    public static ClDevice select() {
        Discovery d = discover();
        List<ClDevice> all = d.devices();
        if (all.isEmpty()) {
            throw new BackendUnavailableException(unavailableMessage(d));
        }
        String choice = System.getProperty(DEVICE_PROPERTY);
        if (choice == null || choice.isBlank()) {
            choice = System.getenv(DEVICE_ENV);
        }
        if (choice != null && !choice.isBlank()) {
            return choose(all, choice.trim());
        }
        for (String type : new String[] {"GPU", "ACCELERATOR"}) {
            for (ClDevice dev : all) {
                if (dev.type().equals(type)) {
                    return dev;
                }
            }
        }
        return all.get(0);
    }

    static ClDevice choose(List<ClDevice> all, String choice) {
        for (ClDevice dev : all) {
            if (dev.address().equals(choice)) {
                return dev;
            }
        }
        if (choice.matches("\\d+")) {
            int i = Integer.parseInt(choice);
            if (i < all.size()) {
                return all.get(i);
            }
        }
        String lower = choice.toLowerCase(Locale.ROOT);
        for (ClDevice dev : all) {
            if (dev.name().toLowerCase(Locale.ROOT).contains(lower)
                    || dev.platformName().toLowerCase(Locale.ROOT).contains(lower)) {
                return dev;
            }
        }
        StringBuilder sb = new StringBuilder("backend 'gpu': no OpenCL device matches " + DEVICE_PROPERTY + "="
                + choice + "; give a platform:device address, a position, or part of a name. Devices found:");
        for (int i = 0; i < all.size(); i++) {
            sb.append("\n  [").append(i).append("] ").append(all.get(i).summary());
        }
        throw new BackendUnavailableException(sb.toString());
    }

    /** For {@code Backends.info()}: the platforms and devices found, and which one is used. */
    public static String probe() {
        Discovery d = discover();
        List<ClDevice> all = d.devices();
        if (all.isEmpty()) {
            return "unavailable: " + shortReason(d);
        }
        ClDevice selected;
        try {
            selected = select();
        } catch (BackendUnavailableException e) {
            selected = null;
        }
        StringBuilder sb = new StringBuilder("OpenCL, " + d.platforms().size() + " platform(s), " + all.size()
                + " device(s)");
        for (ClDevice dev : all) {
            sb.append("\n        ").append(dev == selected ? "* " : "  ").append(dev.summary());
        }
        return sb.toString();
    }

    static String shortReason(Discovery d) {
        if (!d.loaderFound()) {
            return "the OpenCL ICD loader could not be loaded (" + d.loaderProblem() + ")";
        }
        if (d.platforms().isEmpty()) {
            return "no OpenCL platform (no driver registered" + vendorsLocation() + ")";
        }
        return "OpenCL platforms found but no devices on them";
    }

    static String unavailableMessage(Discovery d) {
        StringBuilder sb = new StringBuilder("backend 'gpu' is unavailable: no OpenCL device was found. Looked for: ");
        if (!d.loaderFound()) {
            sb.append("the OpenCL ICD loader (libOpenCL.so.1): not loadable (").append(d.loaderProblem()).append(").");
        } else {
            sb.append("the OpenCL ICD loader (libOpenCL.so.1): found; OpenCL platforms: ");
            if (d.platforms().isEmpty()) {
                sb.append("none (no driver is registered").append(vendorsLocation()).append(")");
            } else {
                sb.append(d.platforms().size()).append(" (");
                for (int i = 0; i < d.platforms().size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(d.platforms().get(i).name());
                }
                sb.append(")");
            }
            sb.append("; devices: none.");
        }
        for (String p : d.problems()) {
            sb.append(" ").append(p).append('.');
        }
        sb.append(' ').append(INSTALL_HINT).append(" Backends.info() lists what was found.");
        return sb.toString();
    }

    private static String vendorsLocation() {
        String env = System.getenv("OCL_ICD_VENDORS");
        return env != null && !env.isBlank() ? " in OCL_ICD_VENDORS=" + env : " in /etc/OpenCL/vendors";
    }

    // ---------------------------------------------------------------- the search

    private static Discovery search() {
        List<String> problems = new ArrayList<>();
        int[] count = new int[1];
        try {
            CL.setExceptionsEnabled(true);
            CL.clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            if (e.getStatus() != CL.CL_PLATFORM_NOT_FOUND_KHR) {
                problems.add("listing OpenCL platforms failed: " + e.getMessage());
            }
            return new Discovery(true, null, List.of(), problems);
        } catch (LinkageError | RuntimeException e) {
            return new Discovery(false, String.valueOf(e.getMessage()), List.of(), problems);
        }
        if (count[0] == 0) {
            return new Discovery(true, null, List.of(), problems);
        }
        cl_platform_id[] ids = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(ids.length, ids, null);
        List<PlatformInfo> platforms = new ArrayList<>();
        for (int p = 0; p < ids.length; p++) {
            String name = platformString(ids[p], CL_PLATFORM_NAME);
            String version = platformString(ids[p], CL_PLATFORM_VERSION);
            List<ClDevice> devices = new ArrayList<>();
            try {
                int[] n = new int[1];
                CL.clGetDeviceIDs(ids[p], CL_DEVICE_TYPE_ALL, 0, null, n);
                cl_device_id[] devs = new cl_device_id[n[0]];
                if (n[0] > 0) {
                    CL.clGetDeviceIDs(ids[p], CL_DEVICE_TYPE_ALL, n[0], devs, null);
                }
                for (int i = 0; i < devs.length; i++) {
                    devices.add(describe(p, i, name, version, ids[p], devs[i]));
                }
            } catch (CLException e) {
                if (e.getStatus() != CL.CL_DEVICE_NOT_FOUND) {
                    problems.add("listing the devices of platform '" + name + "' failed: " + e.getMessage());
                }
            }
            platforms.add(new PlatformInfo(p, name, version, List.copyOf(devices)));
        }
        return new Discovery(true, null, List.copyOf(platforms), problems);
    }

    private static ClDevice describe(int p, int i, String platformName, String platformVersion,
                                     cl_platform_id platform, cl_device_id dev) {
        long type = deviceLong(dev, CL_DEVICE_TYPE);
        String typeName = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR"
                : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "OTHER";
        long single = deviceLong(dev, CL_DEVICE_SINGLE_FP_CONFIG);
        long dbl;
        try {
            dbl = deviceLong(dev, CL_DEVICE_DOUBLE_FP_CONFIG);
        } catch (CLException e) {
            dbl = 0; // OpenCL 1.0 devices without the query
        }
        return new ClDevice(p, i, platformName, platformVersion,
                deviceString(dev, CL_DEVICE_NAME).trim(), deviceString(dev, CL_DEVICE_VENDOR).trim(),
                deviceString(dev, CL_DEVICE_VERSION).trim(), deviceString(dev, CL_DRIVER_VERSION).trim(), typeName,
                deviceInt(dev, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(dev, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceSizeT(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                dbl != 0, (single & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0, platform, dev);
    }

    static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(id, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(id, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String deviceString(cl_device_id id, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(id, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(id, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static long deviceLong(cl_device_id id, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(id, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static int deviceInt(cl_device_id id, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(id, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    static long deviceSizeT(cl_device_id id, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}
