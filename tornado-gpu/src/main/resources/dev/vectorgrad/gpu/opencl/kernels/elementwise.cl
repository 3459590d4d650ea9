// Copy, fill and elementwise kernels. One work-item per output element; inputs are strided views
// described by (offset, rank, shape, strides) with shape and strides packed in int8 arguments (the
// host merges dimensions first, so any layout of rank <= 8 after merging fits).

// Operation codes: the host maps dev.vectorgrad.backend.UnaryOp / BinaryOp to these explicitly.
#define U_NEG 0
#define U_ABS 1
#define U_EXP 2
#define U_LOG 3
#define U_SQRT 4
#define U_SQUARE 5
#define U_RECIPROCAL 6
#define U_POW 7
#define U_RELU 8
#define U_LEAKY_RELU 9
#define U_SIGMOID 10
#define U_TANH 11
#define U_STEP 12
#define U_CLAMP 13
#define U_ADD_SCALAR 14
#define U_MUL_SCALAR 15
#define U_AFFINE 16
#define U_SIGN 17

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_POW 4
#define B_MAXIMUM 5
#define B_MINIMUM 6
#define B_EQ 7
#define B_NE 8
#define B_GT 9
#define B_GE 10
#define B_LT 11
#define B_LE 12

inline float unary_op(int op, float x, float alpha, float beta) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_EXP: return (float) exp((acc_t) x);
        case U_LOG: return (float) log((acc_t) x);
        case U_SQRT: return (float) sqrt((acc_t) x);
        case U_SQUARE: return x * x;
        case U_RECIPROCAL: return jdiv(1.0f, x);
        case U_POW: return jpow(x, alpha);
        case U_RELU: return jmax(x, 0.0f);
        case U_LEAKY_RELU: return x > 0.0f ? x : alpha * x;
        case U_SIGMOID: return (float) ((acc_t) 1 / ((acc_t) 1 + exp(-(acc_t) x)));
        case U_TANH: return (float) tanh((acc_t) x);
        case U_STEP: return x > 0.0f ? 1.0f : 0.0f;
        case U_CLAMP: return jmin(jmax(x, alpha), beta);
        case U_ADD_SCALAR: return x + alpha;
        case U_MUL_SCALAR: return x * alpha;
        case U_AFFINE: {
            float p = alpha * x; // rounded on its own: FP_CONTRACT is off
            return p + beta;
        }
        case U_SIGN: return jsign(x);
        default: return NAN;
    }
}

inline float binary_op(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return jdiv(a, b);
        case B_POW: return jpow(a, b);
        case B_MAXIMUM: return jmax(a, b);
        case B_MINIMUM: return jmin(a, b);
        case B_EQ: return a == b ? 1.0f : 0.0f;
        case B_NE: return a != b ? 1.0f : 0.0f;
        case B_GT: return a > b ? 1.0f : 0.0f;
        case B_GE: return a >= b ? 1.0f : 0.0f;
        case B_LT: return a < b ? 1.0f : 0.0f;
        case B_LE: return a <= b ? 1.0f : 0.0f;
        default: return NAN;
    }
}

// out[outOff + i] = x[view(i)]
__kernel void vg_copy(int n, __global const float *x, int xOff, int rank, int8 shape, int8 xStrides,
                      __global float *out, int outOff) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    int s[VG_MAX_RANK];
    int sx[VG_MAX_RANK];
    vstore8(shape, 0, s);
    vstore8(xStrides, 0, sx);
    out[outOff + gid] = x[strided_index(gid, rank, s, sx, xOff)];
}

// out[off .. off+n) = value
__kernel void vg_fill(int n, float value, __global float *out, int off) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    out[off + gid] = value;
}

__kernel void vg_unary(int n, int op, float alpha, float beta,
                       __global const float *x, int xOff, int rank, int8 shape, int8 xStrides,
                       __global float *out) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    int s[VG_MAX_RANK];
    int sx[VG_MAX_RANK];
    vstore8(shape, 0, s);
    vstore8(xStrides, 0, sx);
    out[gid] = unary_op(op, x[strided_index(gid, rank, s, sx, xOff)], alpha, beta);
}

__kernel void vg_binary(int n, int op, int rank, int8 shape,
                        __global const float *a, int aOff, int8 aStrides,
                        __global const float *b, int bOff, int8 bStrides,
                        __global float *out) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    int s[VG_MAX_RANK];
    int sa[VG_MAX_RANK];
    int sb[VG_MAX_RANK];
    vstore8(shape, 0, s);
    vstore8(aStrides, 0, sa);
    vstore8(bStrides, 0, sb);
    float av = a[strided_index(gid, rank, s, sa, aOff)];
    float bv = b[strided_index(gid, rank, s, sb, bOff)];
    out[gid] = binary_op(op, av, bv);
}

// A binary operation with one operand a single value passed as an argument (a host scalar):
// out[i] = op(s, x[view(i)]) when scalarFirst, else op(x[view(i)], s).
__kernel void vg_binary_scalar(int n, int op, int scalarFirst, float s, int rank, int8 shape,
                               __global const float *x, int xOff, int8 xStrides, __global float *out) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    int sh[VG_MAX_RANK];
    int sx[VG_MAX_RANK];
    vstore8(shape, 0, sh);
    vstore8(xStrides, 0, sx);
    float xv = x[strided_index(gid, rank, sh, sx, xOff)];
    out[gid] = scalarFirst ? binary_op(op, s, xv) : binary_op(op, xv, s);
}

__kernel void vg_where(int n, int rank, int8 shape,
                       __global const float *c, int cOff, int8 cStrides,
                       __global const float *a, int aOff, int8 aStrides,
                       __global const float *b, int bOff, int8 bStrides,
                       __global float *out) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    int s[VG_MAX_RANK];
    int st[VG_MAX_RANK];
    vstore8(shape, 0, s);
    vstore8(cStrides, 0, st);
    float cv = c[strided_index(gid, rank, s, st, cOff)];
    if (cv != 0.0f) {
        vstore8(aStrides, 0, st);
        out[gid] = a[strided_index(gid, rank, s, st, aOff)];
    } else {
        vstore8(bStrides, 0, st);
        out[gid] = b[strided_index(gid, rank, s, st, bOff)];
    }
}

// vg_where with either value operand possibly a single value passed as an argument (aScalar,
// bScalar); the buffer of a scalar side is a placeholder that is never read.
__kernel void vg_where_scalar(int n, int rank, int8 shape,
                              __global const float *c, int cOff, int8 cStrides,
                              __global const float *a, int aOff, int8 aStrides, int aScalar, float aValue,
                              __global const float *b, int bOff, int8 bStrides, int bScalar, float bValue,
                              __global float *out) {
    int gid = get_global_id(0);
    if (gid >= n) return;
    int s[VG_MAX_RANK];
    int st[VG_MAX_RANK];
    vstore8(shape, 0, s);
    vstore8(cStrides, 0, st);
    float cv = c[strided_index(gid, rank, s, st, cOff)];
    if (cv != 0.0f) {
        if (aScalar) {
            out[gid] = aValue;
        } else {
            vstore8(aStrides, 0, st);
            out[gid] = a[strided_index(gid, rank, s, st, aOff)];
        }
    } else {
        if (bScalar) {
            out[gid] = bValue;
        } else {
            vstore8(bStrides, 0, st);
            out[gid] = b[strided_index(gid, rank, s, st, bOff)];
        }
    }
}

// C[i*ldc + j] = beta * C[i*ldc + j] over an m x n block at cOff; beta == 0 writes zeros (even over NaN).
__kernel void vg_scale2d(int m, int n, float beta, __global float *c, int cOff, int ldc) {
    int gid = get_global_id(0);
    if (gid >= m * n) return;
    int i = gid / n;
    int j = gid - i * n;
    int idx = cOff + i * ldc + j;
    c[idx] = beta == 0.0f ? 0.0f : beta * c[idx];
}
