package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** What the Vector API gives this JVM on this CPU: species, lanes, FMA. */
public final class SimdInfo {

    /** The species every SIMD kernel uses. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SimdInfo() {
    }

    public static int lanes() {
        return SPECIES.length();
    }

    public static int bits() {
        return SPECIES.vectorBitSize();
    }

    /**
     * Whether the CPU has fused multiply-add. The Vector API always offers {@code fma()}, but without
     * hardware FMA it is emulated and slow; HotSpot exposes the CPU flag as {@code UseFMA}.
     */
    public static boolean hasFma() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public static String describe() {
        return "Vector API, " + SPECIES.vectorShape() + " (" + lanes() + " float lanes, " + bits() + "-bit), FMA "
                + (hasFma() ? "yes" : "no") + ", " + Parallel.threads() + " threads";
    }
}
