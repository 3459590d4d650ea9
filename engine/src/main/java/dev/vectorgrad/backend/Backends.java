package dev.vectorgrad.backend;

import dev.vectorgrad.backend.scalar.ScalarBackend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Chooses the backend tensors run on.
 *
 * <p>The default is "simd" when the JDK's Vector API ({@code jdk.incubator.vector}) is available and
 * "scalar" otherwise; the choice and its reason are logged once, in one line. {@link #use(String)}
 * switches the default and returns a scope that switches back when closed:
 *
 * <pre>{@code
 * Backends.use("scalar");                         // from now on
 * try (var s = Backends.use("simd")) { ... }      // only inside the block
 * }</pre>
 */
public final class Backends {

    private static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    private static final Map<String, Backend> CREATED = new LinkedHashMap<>();
    private static final Backend SCALAR = new ScalarBackend();
    private static final Backend SIMD;
    private static final String SIMD_UNAVAILABLE_REASON;
    private static volatile Backend current;

    static {
        Backend simd = null;
        String reason = null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            reason = "the Vector API module is not enabled in this JVM; add " + VECTOR_FLAG + " to the java command";
        } else if (Boolean.getBoolean("vectorgrad.scalar")) {
            reason = "disabled by -Dvectorgrad.scalar=true";
        } else {
            try {
                // Loaded reflectively so that this class links without the incubator module.
                simd = (Backend) Class.forName("dev.vectorgrad.backend.simd.SimdBackend")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                reason = "the Vector API backend failed to load (" + e + ")";
            }
        }
        SIMD = simd;
        SIMD_UNAVAILABLE_REASON = reason;
        CREATED.put("scalar", SCALAR);
        if (simd != null) {
            CREATED.put("simd", simd);
            current = simd;
            EngineLog.info("using the simd backend: " + simd.describe());
        } else {
            current = SCALAR;
            EngineLog.warn("using the scalar backend because " + reason);
        }
    }

    private Backends() {
    }

    /** The backend tensor operations run on now. */
    public static Backend current() {
        return current;
    }

    /** The scalar reference backend (always available; the test oracle). */
    public static Backend scalar() {
        return SCALAR;
    }

    /**
     * The default host backend: "simd" when the Vector API backend could be loaded, else "scalar".
     * Where {@code Tensor.toHost()} brings device data.
     */
    public static Backend host() {
        return SIMD != null ? SIMD : SCALAR;
    }

    /** True when the Vector API backend could be loaded. */
    public static boolean simdAvailable() {
        return SIMD != null;
    }

    /**
     * Makes {@code name} the current backend ("scalar", "simd", or one plugged in through
     * {@link BackendProvider}, such as "gpu"). Close the returned scope to restore the previous one.
     */
    public static Scope use(String name) {
        Backend next = get(name);
        Backend previous = current;
        current = next;
        return new Scope(previous, next);
    }

    /** Makes {@code backend} current; close the scope to restore the previous one. */
    public static Scope use(Backend backend) {
        Backend previous = current;
        current = backend;
        return new Scope(previous, backend);
    }

    /** Looks a backend up by name without making it current. */
    public static synchronized Backend get(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        Backend b = CREATED.get(key);
        if (b != null) {
            return b;
        }
        if (key.equals("simd")) {
            throw new BackendUnavailableException("backend 'simd' is unavailable: " + SIMD_UNAVAILABLE_REASON);
        }
        for (BackendProvider p : providers()) {
            if (p.name().equalsIgnoreCase(key)) {
                b = p.create();
                CREATED.put(key, b);
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + names());
    }

    /** Names of every backend that can be asked for (built in and plugged in). */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add("scalar");
        if (SIMD != null) {
            names.add("simd");
        }
        for (BackendProvider p : providers()) {
            names.add(p.name());
        }
        return names;
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            list.add(p);
        }
        return list;
    }

    /** A multi-line description: the current backend, the SIMD species, lanes, FMA, threads, plug-ins. */
    public static String info() {
        StringBuilder sb = new StringBuilder();
        sb.append("current backend: ").append(current.name()).append('\n');
        sb.append("scalar: ").append(SCALAR.describe()).append('\n');
        if (SIMD != null) {
            sb.append("simd:   ").append(SIMD.describe()).append('\n');
        } else {
            sb.append("simd:   unavailable: ").append(SIMD_UNAVAILABLE_REASON).append('\n');
        }
        for (BackendProvider p : providers()) {
            String probe;
            try {
                probe = p.probe();
            } catch (RuntimeException e) {
                probe = "probe failed: " + e.getMessage();
            }
            sb.append(p.name()).append(":    ").append(probe).append('\n');
        }
        sb.append("threads: ").append(Parallel.threads()).append(" of ").append(Parallel.maxThreads())
                .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores)");
        return sb.toString();
    }

    /** Restores the previously current backend when closed. */
    public static final class Scope implements AutoCloseable {
        private final Backend previous;
        private final Backend backend;

        private Scope(Backend previous, Backend backend) {
            this.previous = previous;
            this.backend = backend;
        }

        public Backend backend() {
            return backend;
        }

        @Override
        public void close() {
            current = previous;
        }
    }
}
