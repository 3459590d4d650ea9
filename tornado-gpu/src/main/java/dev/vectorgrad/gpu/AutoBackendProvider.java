package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BackendProvider;

/** Registers {@link AutoBackend} as "auto" through {@link java.util.ServiceLoader}. */
public final class AutoBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "auto";
    }

    /** Measures the crossovers now (a few seconds) unless the thresholds are given as system properties. */
    @Override
    public Backend create() {
        return AutoBackend.create();
    }

    @Override
    public String probe() {
        return "host kernels, with GEMM and conv2d sent to 'gpu' above measured crossovers (measured when first"
                + " selected; -D" + AutoBackend.GEMM_PROPERTY + ", -D" + AutoBackend.CONV_PROPERTY + ")";
    }
}
