package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.BackendUnavailableException;
import dev.vectorgrad.backend.Backends;

/** Run in a child JVM without OpenCL drivers: prints what "gpu" says and what Backends.info() shows. */
public final class NoDeviceMain {

    private NoDeviceMain() {
    }

    public static void main(String[] args) {
        try {
            Backends.use("gpu");
            System.out.println("UNEXPECTED: gpu is available");
        } catch (BackendUnavailableException e) {
            System.out.println("MESSAGE: " + e.getMessage());
        }
        System.out.println("INFO: " + Backends.info().replace('\n', '|'));
    }
}
