/**
 * The "gpu" backend on OpenCL: {@link dev.vectorgrad.gpu.opencl.ClBackend} (every backend kernel on
 * one device, tensors resident in {@link dev.vectorgrad.gpu.opencl.ClStorage} buffers, GEMM by
 * CLBlast, the rest in the project's OpenCL C kernels), device discovery and the no-device message
 * ({@link dev.vectorgrad.gpu.opencl.OpenCl}), and transfer accounting
 * ({@link dev.vectorgrad.gpu.opencl.TransferStats}). Registered through
 * {@link dev.vectorgrad.gpu.opencl.ClBackendProvider}.
 */
package dev.vectorgrad.gpu.opencl;
