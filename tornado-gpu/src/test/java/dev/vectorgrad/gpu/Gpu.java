package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BackendUnavailableException;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.scalar.ScalarBackend;
import dev.vectorgrad.gpu.opencl.ClBackend;
import org.junit.jupiter.api.Assumptions;

import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test support: the device backend (tests are skipped, with a notice on the console, when this JVM
 * finds no OpenCL device; CI installs PoCL so that they run), the scalar oracle, random data and
 * comparisons.
 */
final class Gpu {

    static final Backend SCALAR = new ScalarBackend();
    private static volatile String unavailable;
    private static volatile ClBackend backend;

    private Gpu() {
    }

    /** The "gpu" backend, or the calling test is skipped with the reason. */
    static ClBackend device() {
        if (backend != null) {
            return backend;
        }
        if (unavailable == null) {
            synchronized (Gpu.class) {
                if (backend == null && unavailable == null) {
                    try {
                        backend = (ClBackend) Backends.get("gpu");
                    } catch (BackendUnavailableException e) {
                        unavailable = e.getMessage();
                        System.err.println("[vectorgrad-tornado-gpu] NOTICE: device tests are SKIPPED: " + unavailable);
                    }
                }
            }
        }
        Assumptions.assumeTrue(backend != null, () -> "no OpenCL device: " + unavailable);
        return backend;
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 2);
        }
        return v;
    }

    /** Mostly normal values, now and then a special one: NaN, infinities, signed zeros, 1. */
    static float[] mixed(Random r, int n) {
        float[] v = new float[n];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f};
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            v[i] = k < 6 ? specials[r.nextInt(specials.length)]
                    : k < 12 ? (r.nextFloat() * 2 - 1) * 60 : (float) (r.nextGaussian() * 2);
        }
        return v;
    }

    /** Small integers: many ties. */
    static float[] ties(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(4) - 1;
        }
        return v;
    }

    static float[] read(Backend b, Storage s) {
        return b.toArray(s, Layout.contiguous(s.size()));
    }

    /** Bit-for-bit equal (any NaN equals any NaN; -0 differs from +0). */
    static void assertSame(float[] expected, float[] actual, Supplier<String> context) {
        if (expected.length != actual.length) {
            fail(context.get() + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(context.get() + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (of " + expected.length + ")");
            }
        }
    }

    /** {@code |e - a| <= abs + rel * |e|}; NaN must meet NaN and infinities must be equal. */
    static void assertClose(float[] expected, float[] actual, double rel, double abs, Supplier<String> context) {
        if (expected.length != actual.length) {
            fail(context.get() + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok;
            if (Float.isNaN(e) || Float.isNaN(a)) {
                ok = Float.isNaN(e) && Float.isNaN(a);
            } else if (Float.isInfinite(e) || Float.isInfinite(a)) {
                ok = e == a;
            } else {
                ok = Math.abs((double) e - a) <= abs + rel * Math.abs(e);
            }
            if (!ok) {
                fail(context.get() + ": element " + i + " is " + a + ", expected " + e + " (of " + expected.length + ")");
            }
        }
    }
}
