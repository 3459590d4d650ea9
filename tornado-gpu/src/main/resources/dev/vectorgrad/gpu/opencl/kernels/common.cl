// Shared definitions of the vectorgrad OpenCL kernels. The kernel files are concatenated in the
// order common, elementwise, reduce, image and built as one program, so the device compiler runs
// once per process (and its own cache makes later processes cheaper still).
//
// Build options set by the host:
//   -DVG_WG=<n>     the work-group size every 1-D launch uses (global sizes are rounded up to it)
//   -DVG_FP64       the device has double precision: sums, transcendentals and divisions are then
//                   computed in double and rounded once, exactly as the scalar reference does
//
// Semantics follow the scalar reference backend (Java): Math.max/min propagate NaN and order -0
// below +0, comparisons are IEEE, multiply-add is never fused (two roundings, as in Java).

#pragma OPENCL FP_CONTRACT OFF

#ifdef VG_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

#ifndef VG_WG
#define VG_WG 64
#endif

#define VG_MAX_RANK 8

// Java's Math.max: NaN if either is NaN, and +0 is larger than -0.
inline float jmax(float a, float b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? b : a;
    return a > b ? a : b;
}

// Java's Math.min: NaN if either is NaN, and -0 is smaller than +0.
inline float jmin(float a, float b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? a : b;
    return a < b ? a : b;
}

// Correctly rounded float division: in double (double rounding is harmless for a quotient of two
// floats), else the device's division, which the host asks to be correctly rounded when it can.
inline float jdiv(float a, float b) {
#ifdef VG_FP64
    return (float) ((double) a / (double) b);
#else
    return a / b;
#endif
}

// Java's Math.pow special cases where C's pow differs: pow(x, NaN) is NaN even for x == 1, and
// pow(+-1, +-inf) is NaN.
inline float jpow(float a, float b) {
    if (b == 0.0f) return 1.0f;
    if (isnan(b)) return b;
    if (isinf(b) && fabs(a) == 1.0f) return NAN;
    return (float) pow((acc_t) a, (acc_t) b);
}

// Java's Math.signum: NaN stays NaN, +-0 stay themselves.
inline float jsign(float x) {
    if (isnan(x) || x == 0.0f) return x;
    return x > 0.0f ? 1.0f : -1.0f;
}

// Storage index of the element at row-major position `flat` of a strided view (last dimension
// fastest), as the scalar reference computes it.
inline int strided_index(int flat, int rank, const int *shape, const int *stride, int offset) {
    int index = offset;
    int rest = flat;
    for (int d = rank - 1; d >= 0; d--) {
        int size = shape[d];
        index += (rest % size) * stride[d];
        rest /= size;
    }
    return index;
}
