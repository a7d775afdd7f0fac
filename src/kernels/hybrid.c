/* Dynamic-range arithmetic shared by the hybrid kernels (see hybrid.h). */
#include <math.h>
#include <string.h>

#include "kernels/hybrid.h"

/* std::minmax_element as libstdc++ runs it (elements in pairs, the first
 * smallest and the last largest under <), so that NaN inputs pick the same
 * bounds as in TFLite. */
static void minmax_element(const float *x, int n, float *lo, float *hi)
{
    if (n <= 0) {
        *lo = *hi = 0.0f;
        return;
    }
    if (n == 1) {
        *lo = *hi = x[0];
        return;
    }
    int mn, mx;
    if (x[1] < x[0])
        mn = 1, mx = 0;
    else
        mn = 0, mx = 1;
    int i = 2;
    while (i < n) {
        if (i + 1 == n) {
            if (x[i] < x[mn])
                mn = i;
            else if (!(x[i] < x[mx]))
                mx = i;
            break;
        }
        if (x[i + 1] < x[i]) {
            if (x[i + 1] < x[mn])
                mn = i + 1;
            if (!(x[i] < x[mx]))
                mx = i;
        } else {
            if (x[i] < x[mn])
                mn = i;
            if (!(x[i + 1] < x[mx]))
                mx = i + 1;
        }
        i += 2;
    }
    *lo = x[mn];
    *hi = x[mx];
}

/* std::max and std::min on floats: (a < b) ? b : a and (b < a) ? b : a. */
static float std_max(float a, float b) { return a < b ? b : a; }
static float std_min(float a, float b) { return b < a ? b : a; }

static void quantize_symmetric(const float *x, int n, int8_t *q, float *scale)
{
    float lo, hi;
    minmax_element(x, n, &lo, &hi);
    const float range = std_max(fabsf(lo), fabsf(hi));
    if (range == 0.0f) {
        memset(q, 0, (size_t)n);
        *scale = 1.0f;
        return;
    }
    *scale = range / 127.0f;
    const float inv = 127.0f / range;
    for (int i = 0; i < n; ++i) {
        /* A NaN converts to INT32_MIN on x86, as in TFLite, then clamps. */
        float r = roundf(x[i] * inv);
        int32_t v = r >= 127.0f ? 127 : (r <= -127.0f || isnan(r) ? -127 : (int32_t)r);
        q[i] = (int8_t)v;
    }
}

static void quantize_asymmetric(const float *x, int n, int8_t *q, float *scale, int32_t *offset)
{
    float lo, hi;
    minmax_element(x, n, &lo, &hi);
    const double rmin = (double)std_min(0.0f, lo), rmax = (double)std_max(0.0f, hi);
    if (rmin == rmax) {
        memset(q, 0, (size_t)n);
        *scale = 1.0f;
        *offset = 0;
        return;
    }
    const double qmin = -128.0, qmax = 127.0;
    /* LiteRT's x86 build (ai-edge-litert 2.3.0) rounds the range to float
     * before the division, though its source keeps it double: follow the
     * binary, which makes hybrid results bit-identical far more often. */
    const double s = (double)(float)(rmax - rmin) / (qmax - qmin);
    const double zp_min = qmin - rmin / s, zp_max = qmax - rmax / s;
    const double err_min = fabs(qmin) + fabs(rmin / s), err_max = fabs(qmax) + fabs(rmax / s);
    const double zp = err_min < err_max ? zp_min : zp_max;
    int32_t nudged = zp <= qmin ? -128 : (zp >= qmax ? 127 : (int32_t)(int8_t)round(zp));
    *scale = (float)s;
    *offset = nudged;
    const float inv = 1.0f / *scale;
    for (int i = 0; i < n; ++i) {
        float r = roundf((float)nudged + x[i] * inv);
        int32_t v = r >= 127.0f ? 127 : (r <= -128.0f || isnan(r) ? -128 : (int32_t)r);
        q[i] = (int8_t)v;
    }
}

void tfl__hybrid_quantize(const float *x, int n_batch, int n, bool asymmetric, int8_t *q,
                          float *scale, int32_t *offset)
{
    for (int b = 0; b < n_batch; ++b) {
        const size_t o = (size_t)b * n;
        if (asymmetric) {
            quantize_asymmetric(x + o, n, q + o, &scale[b], &offset[b]);
        } else {
            quantize_symmetric(x + o, n, q + o, &scale[b]);
            if (offset)
                offset[b] = 0;
        }
    }
}

void tfl__hybrid_row_sums(const int8_t *m, int rows, int cols, int32_t *sums)
{
    for (int r = 0; r < rows; ++r) {
        int32_t s = 0;
        for (int c = 0; c < cols; ++c)
            s += m[(size_t)r * cols + c];
        sums[r] = s;
    }
}

void tfl__hybrid_matvec_acc(const int8_t *m, int rows, int cols, const int8_t *q,
                            const float *scale, const int32_t *offset, const int32_t *row_sums,
                            const float *channel_scale, int n_batch, float *result)
{
    for (int b = 0; b < n_batch; ++b) {
        const int8_t *v = q + (size_t)b * cols;
        float *res = result + (size_t)b * rows;
        for (int r = 0; r < rows; ++r) {
            const int8_t *row = m + (size_t)r * cols;
            uint32_t dot = 0; /* an int32 sum in TFLite; wraps alike */
            for (int c = 0; c < cols; ++c)
                dot += (uint32_t)((int32_t)row[c] * v[c]);
            if (offset && row_sums)
                dot -= (uint32_t)row_sums[r] * (uint32_t)offset[b];
            float s = scale[b];
            if (channel_scale)
                s *= channel_scale[r];
            res[r] += (float)(int32_t)dot * s;
        }
    }
}

bool tfl__all_zero_f32(const float *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (x[i] != 0.0f)
            return false;
    return true;
}
