package dev.vectorgrad.gpu.opencl;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.BackendProvider;

/**
 * Registers the OpenCL backend as "gpu" through {@link java.util.ServiceLoader}: with this module on
 * the class path, {@code Backends.use("gpu")} runs tensors on the selected OpenCL device, and
 * {@code Backends.info()} lists the platforms and devices found.
 */
public final class ClBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "gpu";
    }

    /**
     * The backend of the selected device.
     *
     * @throws dev.vectorgrad.backend.BackendUnavailableException when there is no OpenCL loader,
     *         platform or device, with what was looked for and what to install
     */
    @Override
    public Backend create() {
        return ClBackend.open();
    }

    @Override
    public String probe() {
        return OpenCl.probe();
    }
}
