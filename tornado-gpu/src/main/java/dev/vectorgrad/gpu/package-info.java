/**
 * Device offload on top of the OpenCL backend ({@code dev.vectorgrad.gpu.opencl}): {@link
 * dev.vectorgrad.gpu.Crossover} measures where the device beats the host backend for GEMM and conv2d,
 * with and without transfers, and {@link dev.vectorgrad.gpu.AutoBackend} ("auto") sends only the calls
 * above those measured sizes to the device.
 */
package dev.vectorgrad.gpu;
