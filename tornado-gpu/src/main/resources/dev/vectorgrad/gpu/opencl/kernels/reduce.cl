// Reductions and softmax over the middle axis of a contiguous [outer, len, inner] block: element
// (o, j, i) sits at off + (o*len + j)*inner + i, output (o, i) at o*inner + i.
//
// Two shapes of launch: vg_reduce_rows gives each output to one work-item, which scans the axis in
// order (many outputs, short axes); the vg_reduce_group_* kernels give each output a work-group of
// VG_WG items that stride over the axis and combine in local memory (few outputs, long axes). Both
// give the scalar reference's answer: sums in double where the device has it, MAX/MIN with Java's
// NaN and signed-zero rules (an associative operation, so the tree order does not matter), and
// ARGMAX/ARGMIN by comparing (value, index) pairs so that the first index wins ties and the first
// NaN wins outright, whatever the order of combination.

#define R_SUM 0
#define R_MAX 1
#define R_MIN 2
#define R_ARGMAX 3
#define R_ARGMIN 4

// True when candidate (v, i) should replace (bv, bi) as the ARGMAX (max != 0) or ARGMIN answer.
// Index -1 marks "no element yet". NaN counts as the most extreme value; ties go to the lower index.
inline bool arg_better(int max, float v, int i, float bv, int bi) {
    if (i < 0) return false;
    if (bi < 0) return true;
    bool vn = isnan(v);
    bool bn = isnan(bv);
    if (vn || bn) {
        if (vn && bn) return i < bi;
        return vn;
    }
    if (v == bv) return i < bi;
    return max ? v > bv : v < bv;
}

__kernel void vg_reduce_rows(int op, __global const float *x, int off, int outer, int len, int inner,
                             __global float *out) {
    int gid = get_global_id(0);
    if (gid >= outer * inner) return;
    int o = gid / inner;
    int i = gid - o * inner;
    int first = off + o * len * inner + i;
    if (op == R_SUM) {
        acc_t s = 0;
        for (int j = 0; j < len; j++) s += (acc_t) x[first + j * inner];
        out[gid] = (float) s;
    } else if (op == R_MAX || op == R_MIN) {
        float m = x[first];
        for (int j = 1; j < len; j++) {
            float v = x[first + j * inner];
            m = op == R_MAX ? jmax(m, v) : jmin(m, v);
        }
        out[gid] = m;
    } else {
        // Sequential scan exactly as the reference: a later value replaces the best only when
        // strictly better, or when it is the first NaN.
        float best = x[first];
        int index = 0;
        int isMax = op == R_ARGMAX;
        for (int j = 1; j < len; j++) {
            float v = x[first + j * inner];
            if (!isnan(best) && ((isMax ? v > best : v < best) || isnan(v))) {
                best = v;
                index = j;
            }
        }
        out[gid] = (float) index;
    }
}

__kernel void vg_reduce_group_sum(__global const float *x, int off, int len, int inner, __global float *out) {
    __local acc_t part[VG_WG];
    int g = get_group_id(0);
    int lid = get_local_id(0);
    int o = g / inner;
    int i = g - o * inner;
    int first = off + o * len * inner + i;
    acc_t s = 0;
    for (int j = lid; j < len; j += VG_WG) s += (acc_t) x[first + j * inner];
    part[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int w = VG_WG / 2; w > 0; w >>= 1) {
        if (lid < w) part[lid] += part[lid + w];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[g] = (float) part[0];
}

// MAX (isMax != 0) or MIN of each axis; jmax/jmin are associative, so any tree gives the scan's value.
__kernel void vg_reduce_group_minmax(int isMax, __global const float *x, int off, int len, int inner,
                                     __global float *out) {
    __local float part[VG_WG];
    __local int has[VG_WG];
    int g = get_group_id(0);
    int lid = get_local_id(0);
    int o = g / inner;
    int i = g - o * inner;
    int first = off + o * len * inner + i;
    float m = 0.0f;
    int any = 0;
    for (int j = lid; j < len; j += VG_WG) {
        float v = x[first + j * inner];
        m = any ? (isMax ? jmax(m, v) : jmin(m, v)) : v;
        any = 1;
    }
    part[lid] = m;
    has[lid] = any;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int w = VG_WG / 2; w > 0; w >>= 1) {
        if (lid < w && has[lid + w]) {
            float v = part[lid + w];
            part[lid] = has[lid] ? (isMax ? jmax(part[lid], v) : jmin(part[lid], v)) : v;
            has[lid] = 1;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[g] = part[0];
}

__kernel void vg_reduce_group_arg(int isMax, __global const float *x, int off, int len, int inner,
                                  __global float *out) {
    __local float val[VG_WG];
    __local int idx[VG_WG];
    int g = get_group_id(0);
    int lid = get_local_id(0);
    int o = g / inner;
    int i = g - o * inner;
    int first = off + o * len * inner + i;
    float bv = 0.0f;
    int bi = -1;
    for (int j = lid; j < len; j += VG_WG) {
        float v = x[first + j * inner];
        if (arg_better(isMax, v, j, bv, bi)) {
            bv = v;
            bi = j;
        }
    }
    val[lid] = bv;
    idx[lid] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int w = VG_WG / 2; w > 0; w >>= 1) {
        if (lid < w && arg_better(isMax, val[lid + w], idx[lid + w], val[lid], idx[lid])) {
            val[lid] = val[lid + w];
            idx[lid] = idx[lid + w];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[g] = (float) idx[0];
}

// Stable softmax (or log-softmax) along the axis, one work-item per (o, i):
// out = exp(x - m) / sum(exp(x - m)) or x - m - log(sum(exp(x - m))), m the axis maximum.
__kernel void vg_softmax_rows(int logOut, __global const float *x, int off, int outer, int len, int inner,
                              __global float *out) {
    int gid = get_global_id(0);
    if (gid >= outer * inner) return;
    int o = gid / inner;
    int i = gid - o * inner;
    int first = off + o * len * inner + i;
    int firstOut = o * len * inner + i;
    float mf = x[first];
    for (int j = 1; j < len; j++) mf = jmax(mf, x[first + j * inner]);
    acc_t m = (acc_t) mf;
    acc_t sum = 0;
    for (int j = 0; j < len; j++) sum += exp((acc_t) x[first + j * inner] - m);
    acc_t logSum = log(sum);
    for (int j = 0; j < len; j++) {
        acc_t shifted = (acc_t) x[first + j * inner] - m;
        out[firstOut + j * inner] = logOut ? (float) (shifted - logSum) : (float) (exp(shifted) / sum);
    }
}
