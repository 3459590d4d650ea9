// Image kernels over contiguous NCHW data. Geometry arrives packed in one int16:
//   s0 n, s1 c, s2 h, s3 w, s4 k (conv output channels), s5 kh, s6 kw, s7 strideH, s8 strideW,
//   s9 padH, sA padW, sB outH, sC outW, sD countIncludePad (average pooling)
// Output cell (oy, ox) reads input row oy*strideH - padH + i and column ox*strideW - padW + j;
// positions outside the image are padding (zero for convolution, skipped for pooling).
//
// Adjoint kernels (col2im, pooling backward) are written as gathers: one work-item per input pixel
// visits the taps / windows that read it in the order the scalar reference scatters them, so the
// sums are formed in the same order and no atomics are needed.

#define G_N g.s0
#define G_C g.s1
#define G_H g.s2
#define G_W g.s3
#define G_K g.s4
#define G_KH g.s5
#define G_KW g.s6
#define G_SH g.s7
#define G_SW g.s8
#define G_PH g.s9
#define G_PW g.sA
#define G_OH g.sB
#define G_OW g.sC
#define G_INCLUDE_PAD g.sD

// Column matrix of `images` images starting at firstImage: row r = (c*kh + i)*kw + j, column
// (image - firstImage)*P + oy*outW + ox (P = outH*outW), rows rowLen apart, from colOff.
__kernel void vg_im2col(int total, int16 g, __global const float *x, int firstImage, int images,
                        __global float *col, int colOff, int rowLen) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int p_all = G_OH * G_OW;
    int perRow = images * p_all;
    int r = gid / perRow;
    int rem = gid - r * perRow;
    int ni = rem / p_all;
    int p = rem - ni * p_all;
    int j = r % G_KW;
    int i = (r / G_KW) % G_KH;
    int c = r / (G_KW * G_KH);
    int oy = p / G_OW;
    int ox = p - oy * G_OW;
    int iy = oy * G_SH - G_PH + i;
    int ix = ox * G_SW - G_PW + j;
    float v = 0.0f;
    if (iy >= 0 && iy < G_H && ix >= 0 && ix < G_W) {
        v = x[(((firstImage + ni) * G_C + c) * G_H + iy) * G_W + ix];
    }
    col[colOff + r * rowLen + ni * p_all + p] = v;
}

// The adjoint of vg_im2col for `images` images from firstImage: every pixel sums the column entries
// read from it, taps in (i, j) order, onto its current value (accumulate != 0) or onto zero.
__kernel void vg_col2im(int total, int16 g, __global const float *col, int colOff, int rowLen,
                        int firstImage, int images, __global float *dx, int accumulate) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int hw = G_H * G_W;
    int chw = G_C * hw;
    int ni = gid / chw;
    int rem = gid - ni * chw;
    int c = rem / hw;
    rem -= c * hw;
    int y = rem / G_W;
    int xx = rem - y * G_W;
    int p_all = G_OH * G_OW;
    int target = (firstImage + ni) * chw + c * hw + y * G_W + xx;
    float acc = accumulate ? dx[target] : 0.0f;
    for (int i = 0; i < G_KH; i++) {
        int ty = y + G_PH - i;
        if (ty < 0 || ty % G_SH != 0) continue;
        int oy = ty / G_SH;
        if (oy >= G_OH) continue;
        for (int j = 0; j < G_KW; j++) {
            int tx = xx + G_PW - j;
            if (tx < 0 || tx % G_SW != 0) continue;
            int ox = tx / G_SW;
            if (ox >= G_OW) continue;
            int r = (c * G_KH + i) * G_KW + j;
            acc += col[colOff + r * rowLen + ni * p_all + oy * G_OW + ox];
        }
    }
    dx[target] = acc;
}

// out[(firstImage+ni), k, p] = t[k, ni*P + p] (+ bias[k]): the GEMM result [K, images*P] back to NCHW.
__kernel void vg_knp_to_nkp(int total, int K, int P, int images, int firstImage,
                            __global const float *t, int hasBias, __global const float *bias,
                            __global float *out) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int kp = K * P;
    int ni = gid / kp;
    int rem = gid - ni * kp;
    int k = rem / P;
    int p = rem - k * P;
    float v = t[k * (images * P) + ni * P + p];
    if (hasBias) v += bias[k];
    out[(firstImage + ni) * kp + rem] = v;
}

// t[k, ni*P + p] = src[(firstImage+ni), k, p]: NCHW gradients as the [K, images*P] GEMM operand.
__kernel void vg_nkp_to_knp(int total, int K, int P, int images, int firstImage,
                            __global const float *src, __global float *t) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int kp = K * P;
    int ni = gid / kp;
    int rem = gid - ni * kp;
    int k = rem / P;
    int p = rem - k * P;
    t[k * (images * P) + ni * P + p] = src[(firstImage + ni) * kp + rem];
}

// Index into x of the first maximum of window (oy, ox) of plane `plane` (= n*C + c): rows top to
// bottom, columns left to right, padding skipped; a later cell wins only when strictly greater or
// when it is the first NaN.
inline int window_argmax(int16 g, __global const float *x, int plane, int oy, int ox) {
    int best = -1;
    float bestValue = 0.0f;
    for (int i = 0; i < G_KH; i++) {
        int iy = oy * G_SH - G_PH + i;
        if (iy < 0 || iy >= G_H) continue;
        for (int j = 0; j < G_KW; j++) {
            int ix = ox * G_SW - G_PW + j;
            if (ix < 0 || ix >= G_W) continue;
            int idx = (plane * G_H + iy) * G_W + ix;
            float v = x[idx];
            if (best < 0 || v > bestValue || (isnan(v) && !isnan(bestValue))) {
                best = idx;
                bestValue = v;
            }
        }
    }
    return best;
}

__kernel void vg_maxpool(int total, int16 g, __global const float *x, __global float *out) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int ohw = G_OH * G_OW;
    int plane = gid / ohw;
    int rem = gid - plane * ohw;
    int oy = rem / G_OW;
    int ox = rem - oy * G_OW;
    out[gid] = x[window_argmax(g, x, plane, oy, ox)];
}

__kernel void vg_maxpool_argmax(int total, int16 g, __global const float *x, __global int *arg) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int ohw = G_OH * G_OW;
    int plane = gid / ohw;
    int rem = gid - plane * ohw;
    int oy = rem / G_OW;
    int ox = rem - oy * G_OW;
    arg[gid] = window_argmax(g, x, plane, oy, ox);
}

// First and one-past-last output rows (or columns) whose window covers input row y.
inline int2 covering(int y, int k, int stride, int pad, int outSize) {
    int hi = (y + pad) / stride;               // last window starting at or before y
    int lo = y + pad - k + 1;                  // first window whose end reaches y
    lo = lo <= 0 ? 0 : (lo + stride - 1) / stride;
    hi = min(hi, outSize - 1);
    return (int2) (lo, hi + 1);
}

// Each input pixel gathers the gradients of the windows it won, in row-major window order.
__kernel void vg_maxpool_backward(int total, int16 g, __global const int *arg, __global const float *gradOut,
                                  __global float *gradIn) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int hw = G_H * G_W;
    int plane = gid / hw;
    int rem = gid - plane * hw;
    int y = rem / G_W;
    int xx = rem - y * G_W;
    int2 rows = covering(y, G_KH, G_SH, G_PH, G_OH);
    int2 cols = covering(xx, G_KW, G_SW, G_PW, G_OW);
    float acc = 0.0f;
    int ohw = G_OH * G_OW;
    for (int oy = rows.x; oy < rows.y; oy++) {
        for (int ox = cols.x; ox < cols.y; ox++) {
            int o = plane * ohw + oy * G_OW + ox;
            if (arg[o] == gid) acc += gradOut[o];
        }
    }
    gradIn[gid] = acc;
}

// Divisor of window (oy, ox): the full window when padding counts, else its in-bounds cells.
inline int avg_divisor(int16 g, int oy, int ox) {
    if (G_INCLUDE_PAD) return G_KH * G_KW;
    int y0 = oy * G_SH - G_PH;
    int x0 = ox * G_SW - G_PW;
    int rows = min(y0 + G_KH, G_H) - max(y0, 0);
    int cols = min(x0 + G_KW, G_W) - max(x0, 0);
    return rows * cols;
}

__kernel void vg_avgpool(int total, int16 g, __global const float *x, __global float *out) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int ohw = G_OH * G_OW;
    int plane = gid / ohw;
    int rem = gid - plane * ohw;
    int oy = rem / G_OW;
    int ox = rem - oy * G_OW;
    float sum = 0.0f;
    for (int i = 0; i < G_KH; i++) {
        int iy = oy * G_SH - G_PH + i;
        if (iy < 0 || iy >= G_H) continue;
        for (int j = 0; j < G_KW; j++) {
            int ix = ox * G_SW - G_PW + j;
            if (ix < 0 || ix >= G_W) continue;
            sum += x[(plane * G_H + iy) * G_W + ix];
        }
    }
    out[gid] = jdiv(sum, (float) avg_divisor(g, oy, ox));
}

__kernel void vg_avgpool_backward(int total, int16 g, __global const float *gradOut, __global float *gradIn) {
    int gid = get_global_id(0);
    if (gid >= total) return;
    int hw = G_H * G_W;
    int plane = gid / hw;
    int rem = gid - plane * hw;
    int y = rem / G_W;
    int xx = rem - y * G_W;
    int2 rows = covering(y, G_KH, G_SH, G_PH, G_OH);
    int2 cols = covering(xx, G_KW, G_SW, G_PW, G_OW);
    float acc = 0.0f;
    int ohw = G_OH * G_OW;
    for (int oy = rows.x; oy < rows.y; oy++) {
        for (int ox = cols.x; ox < cols.y; ox++) {
            int o = plane * ohw + oy * G_OW + ox;
            acc += jdiv(gradOut[o], (float) avg_divisor(g, oy, ox));
        }
    }
    gradIn[gid] = acc;
}
