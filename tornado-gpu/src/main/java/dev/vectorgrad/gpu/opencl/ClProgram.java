package dev.vectorgrad.gpu.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.CL_KERNEL_FUNCTION_NAME;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

/**
 * The project's OpenCL kernels, built as one program for one device and one set of build options.
 * The kernel sources ({@code kernels/*.cl} next to this class) are concatenated, so the device
 * compiler runs once per process; the driver's own cache (PoCL: {@code POCL_CACHE_DIR}, by default
 * {@code ~/.cache/pocl}) makes the next process cheaper still.
 */
final class ClProgram {

    /** Kernel files in the order they are concatenated. */
    static final String[] SOURCES = {"common.cl", "elementwise.cl", "reduce.cl", "image.cl"};

    private final cl_program program;
    private final Map<String, cl_kernel> kernels;
    private final long buildNanos;
    private final String options;

    private ClProgram(cl_program program, Map<String, cl_kernel> kernels, long buildNanos, String options) {
        this.program = program;
        this.kernels = kernels;
        this.buildNanos = buildNanos;
        this.options = options;
    }

    static String source() {
        StringBuilder sb = new StringBuilder();
        for (String name : SOURCES) {
            String path = "kernels/" + name;
            try (InputStream in = ClProgram.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("gpu: kernel source " + path + " is missing from the jar");
                }
                sb.append("// ---- ").append(name).append('\n');
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("gpu: cannot read kernel source " + path, e);
            }
        }
        return sb.toString();
    }

    /** Compiles the kernels for {@code device}; a compiler error comes back with the build log. */
    static ClProgram build(cl_context context, cl_device_id device, String deviceName, String options) {
        long t0 = System.nanoTime();
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source()}, null, null);
        try {
            CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(p, device);
            CL.clReleaseProgram(p);
            throw new IllegalStateException("gpu: the OpenCL kernels did not compile for " + deviceName
                    + " with options '" + options + "' (" + e.getMessage() + "). Build log:\n" + log, e);
        }
        int[] n = new int[1];
        CL.clCreateKernelsInProgram(p, 0, null, n);
        cl_kernel[] ks = new cl_kernel[n[0]];
        CL.clCreateKernelsInProgram(p, n[0], ks, null);
        Map<String, cl_kernel> map = new HashMap<>();
        for (cl_kernel k : ks) {
            map.put(kernelName(k), k);
        }
        return new ClProgram(p, map, System.nanoTime() - t0, options);
    }

    cl_kernel kernel(String name) {
        cl_kernel k = kernels.get(name);
        if (k == null) {
            throw new IllegalStateException("gpu: no kernel named " + name + " in the program; have " + kernels.keySet());
        }
        return k;
    }

    long buildNanos() {
        return buildNanos;
    }

    String options() {
        return options;
    }

    private static String kernelName(cl_kernel k) {
        long[] size = new long[1];
        CL.clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, buf.length, Pointer.to(buf), null);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.US_ASCII);
    }

    private static String buildLog(cl_program p, cl_device_id device) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            return new String(buf, StandardCharsets.UTF_8).trim();
        } catch (RuntimeException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }
}
