/* Public tensor accessors, type names and sizes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/tensor.h"

const char *tfl_version(void) { return TFL_VERSION_STRING; }

size_t tfl__num_elements(const tfl_tensor *t)
{
    size_t n = 1;
    for (int i = 0; i < t->ndim; ++i)
        n *= (size_t)t->dims[i];
    return n;
}

bool tfl__same_shape(const tfl_tensor *a, const tfl_tensor *b)
{
    if (a->ndim != b->ndim)
        return false;
    for (int i = 0; i < a->ndim; ++i)
        if (a->dims[i] != b->dims[i])
            return false;
    return true;
}

int32_t tfl__dim(const tfl_tensor *t, int i)
{
    if (i < 0)
        i += t->ndim;
    if (i < 0 || i >= t->ndim)
        return 1;
    return t->dims[i];
}

const char *tfl__describe(const tfl_tensor *t, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s[", tfl_type_name(t->type));
    for (int i = 0; i < t->ndim && n > 0 && (size_t)n < size; ++i)
        n += snprintf(buf + n, size - (size_t)n, i ? ",%d" : "%d", (int)t->dims[i]);
    if (n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "]");
    return buf;
}

bool tfl__is_const(const tfl_tensor *t) { return t && t->alloc == TFL__ALLOC_CONST; }

const char *tfl_status_name(tfl_status s)
{
    switch (s) {
    case TFL_OK: return "ok";
    case TFL_ERROR_IO: return "io error";
    case TFL_ERROR_BAD_MODEL: return "bad model";
    case TFL_ERROR_UNSUPPORTED: return "unsupported";
    case TFL_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case TFL_ERROR_STATE: return "bad state";
    case TFL_ERROR_NO_MEMORY: return "out of memory";
    case TFL_ERROR_RUNTIME: return "runtime error";
    case TFL_ERROR_LIMIT: return "limit exceeded";
    }
    return "unknown status";
}

const char *tfl_type_name(tfl_type t)
{
    switch (t) {
    case TFL_FLOAT32: return "float32";
    case TFL_FLOAT16: return "float16";
    case TFL_INT32: return "int32";
    case TFL_UINT8: return "uint8";
    case TFL_INT64: return "int64";
    case TFL_STRING: return "string";
    case TFL_BOOL: return "bool";
    case TFL_INT16: return "int16";
    case TFL_COMPLEX64: return "complex64";
    case TFL_INT8: return "int8";
    case TFL_FLOAT64: return "float64";
    case TFL_COMPLEX128: return "complex128";
    case TFL_UINT64: return "uint64";
    case TFL_RESOURCE: return "resource";
    case TFL_VARIANT: return "variant";
    case TFL_UINT32: return "uint32";
    case TFL_UINT16: return "uint16";
    case TFL_INT4: return "int4";
    }
    return "unknown";
}

size_t tfl__elem_size(tfl_type t) { return t == TFL_RESOURCE ? sizeof(int32_t) : tfl_type_size(t); }

size_t tfl_type_size(tfl_type t)
{
    switch (t) {
    case TFL_BOOL:
    case TFL_UINT8:
    case TFL_INT8: return 1;
    case TFL_FLOAT16:
    case TFL_INT16:
    case TFL_UINT16: return 2;
    case TFL_FLOAT32:
    case TFL_INT32:
    case TFL_UINT32: return 4;
    case TFL_INT64:
    case TFL_UINT64:
    case TFL_FLOAT64:
    case TFL_COMPLEX64: return 8;
    case TFL_COMPLEX128: return 16;
    default: return 0;
    }
}

const char *tfl_tensor_name(const tfl_tensor *t) { return t && t->name ? t->name : ""; }
int tfl_tensor_index(const tfl_tensor *t) { return t ? t->index : -1; }
tfl_type tfl_tensor_type(const tfl_tensor *t) { return t ? t->type : TFL_FLOAT32; }
int tfl_tensor_ndim(const tfl_tensor *t) { return t ? t->ndim : 0; }
const int32_t *tfl_tensor_dims(const tfl_tensor *t) { return t ? t->dims : NULL; }

const int32_t *tfl_tensor_shape_signature(const tfl_tensor *t, int *ndim)
{
    if (!t) {
        *ndim = 0;
        return NULL;
    }
    if (t->sig) {
        *ndim = t->sig_ndim;
        return t->sig;
    }
    *ndim = t->ndim;
    return t->dims;
}

size_t tfl_tensor_num_elements(const tfl_tensor *t) { return t ? tfl__num_elements(t) : 0; }
size_t tfl_tensor_byte_size(const tfl_tensor *t) { return t ? t->bytes : 0; }

tfl_quantization tfl_tensor_quantization(const tfl_tensor *t)
{
    tfl_quantization q = {0};
    if (t)
        q = t->quant;
    return q;
}

int tfl_tensor_is_constant(const tfl_tensor *t) { return t && t->alloc == TFL__ALLOC_CONST; }
int tfl_tensor_is_variable(const tfl_tensor *t) { return t && t->is_variable; }
void *tfl_tensor_data(tfl_tensor *t) { return t ? t->data : NULL; }
const void *tfl_tensor_data_const(const tfl_tensor *t) { return t ? t->data : NULL; }

tfl_status tfl_tensor_copy_from(tfl_tensor *t, const void *src, size_t size)
{
    char desc[128];
    if (!t)
        return TFL_ERROR_INVALID_ARGUMENT;
    if (!src && size) {
        tfl__tensor_error(t, "copy from a NULL pointer");
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (!t->data && t->bytes) {
        tfl__tensor_error(t, "has no memory yet: call tfl_interpreter_allocate first");
        return TFL_ERROR_STATE;
    }
    if (t->alloc == TFL__ALLOC_CONST) {
        tfl__tensor_error(t, "is a constant and cannot be written");
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (size != t->bytes) {
        tfl__tensor_error(t, "expects %s (%zu bytes), got %zu bytes",
                          tfl__describe(t, desc, sizeof desc), t->bytes, size);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (size)
        memcpy(t->data, src, size);
    return TFL_OK;
}

tfl_status tfl_tensor_copy_to(const tfl_tensor *t, void *dst, size_t size)
{
    char desc[128];
    if (!t)
        return TFL_ERROR_INVALID_ARGUMENT;
    if (!dst && size) {
        tfl__tensor_error(t, "copy to a NULL pointer");
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (!t->data && t->bytes) {
        tfl__tensor_error(t, "has no memory yet: call tfl_interpreter_allocate first");
        return TFL_ERROR_STATE;
    }
    if (size != t->bytes) {
        tfl__tensor_error(t, "holds %s (%zu bytes), destination has %zu bytes",
                          tfl__describe(t, desc, sizeof desc), t->bytes, size);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (size)
        memcpy(dst, t->data, size);
    return TFL_OK;
}

/* Where per-channel parameters apply: element i belongs to channel
 * (i / inner) % size. Computed once per call, not per element. */
typedef struct channel_map {
    size_t inner, size;
    int count;
} channel_map;

static channel_map channels_of(const tfl_tensor *t)
{
    channel_map m = {1, 1, 1};
    int qd = t->quant.quantized_dimension;
    if (t->quant.count <= 1 || qd < 0 || qd >= t->ndim)
        return m;
    for (int d = qd + 1; d < t->ndim; ++d)
        m.inner *= (size_t)t->dims[d];
    m.size = (size_t)t->dims[qd];
    m.count = t->quant.count;
    return m;
}

static int channel_at(const channel_map *m, size_t i)
{
    int c = (int)((i / m->inner) % m->size);
    return c < m->count ? c : 0;
}

/* Element i as a float, with channel c's parameters (no bounds check). */
static float dequantize_one(const tfl_tensor *t, size_t i, int c)
{
    const uint8_t *d = t->data;
    double q;
    switch (t->type) {
    case TFL_FLOAT32: {
        float f;
        memcpy(&f, d + 4 * i, 4);
        return f;
    }
    case TFL_UINT8: q = d[i]; break;
    case TFL_INT8: q = (int8_t)d[i]; break;
    case TFL_INT16: { int16_t v; memcpy(&v, d + 2 * i, 2); q = v; break; }
    case TFL_INT32: { int32_t v; memcpy(&v, d + 4 * i, 4); q = v; break; }
    case TFL_INT64: { int64_t v; memcpy(&v, d + 8 * i, 8); q = (double)v; break; }
    case TFL_BOOL: q = d[i] != 0; break;
    default: return NAN;
    }
    if (t->quant.count == 0)
        return (float)q;
    /* As TFLite's Dequantize: scale * (q - zero_point) in double. */
    return (float)((q - (double)t->quant.zero_points[c]) * t->quant.scales[c]);
}

float tfl_tensor_dequantize_at(const tfl_tensor *t, size_t i)
{
    if (!t || !t->data || i >= tfl__num_elements(t))
        return NAN;
    channel_map m = channels_of(t);
    return dequantize_one(t, i, channel_at(&m, i));
}

int tfl_tensor_is_quantized(const tfl_tensor *t) { return t && t->quant.count > 0; }

tfl_status tfl_tensor_dequantize(const tfl_tensor *t, float *out, size_t count)
{
    if (!t || (!out && count))
        return TFL_ERROR_INVALID_ARGUMENT;
    size_t n = tfl__num_elements(t);
    if (count != n) {
        tfl__tensor_error(t, "has %zu elements, destination holds %zu", n, count);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (!t->data && n) {
        tfl__tensor_error(t, "has no memory yet: call tfl_interpreter_allocate first");
        return TFL_ERROR_STATE;
    }
    switch (t->type) {
    case TFL_FLOAT32: memcpy(out, t->data, n * 4); return TFL_OK;
    case TFL_UINT8:
    case TFL_INT8:
    case TFL_INT16:
    case TFL_INT32:
    case TFL_INT64:
        if (t->quant.count == 0) {
            tfl__tensor_error(t, "is %s but not quantized: it has no scale or zero point",
                              tfl_type_name(t->type));
            return TFL_ERROR_INVALID_ARGUMENT;
        }
        channel_map m = channels_of(t);
        for (size_t i = 0; i < n; ++i)
            out[i] = dequantize_one(t, i, channel_at(&m, i));
        return TFL_OK;
    default:
        tfl__tensor_error(t, "type %s cannot be dequantized", tfl_type_name(t->type));
        return TFL_ERROR_UNSUPPORTED;
    }
}

tfl_status tfl_tensor_quantize(tfl_tensor *t, const float *values, size_t count)
{
    if (!t || (!values && count))
        return TFL_ERROR_INVALID_ARGUMENT;
    size_t n = tfl__num_elements(t);
    if (count != n) {
        tfl__tensor_error(t, "has %zu elements, got %zu values", n, count);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (!t->data && n) {
        tfl__tensor_error(t, "has no memory yet: call tfl_interpreter_allocate first");
        return TFL_ERROR_STATE;
    }
    if (t->alloc == TFL__ALLOC_CONST) {
        tfl__tensor_error(t, "is a constant and cannot be written");
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (t->type == TFL_FLOAT32) {
        memcpy(t->data, values, n * 4);
        return TFL_OK;
    }
    int32_t lo, hi;
    switch (t->type) {
    case TFL_UINT8: lo = 0; hi = 255; break;
    case TFL_INT8: lo = -128; hi = 127; break;
    case TFL_INT16: lo = -32768; hi = 32767; break;
    default:
        tfl__tensor_error(t, "type %s cannot be quantized into", tfl_type_name(t->type));
        return TFL_ERROR_UNSUPPORTED;
    }
    if (t->quant.count == 0) {
        tfl__tensor_error(t, "is %s but not quantized: it has no scale or zero point",
                          tfl_type_name(t->type));
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    channel_map m = channels_of(t);
    for (size_t i = 0; i < n; ++i) {
        int c = channel_at(&m, i);
        float scale = t->quant.scales[c];
        int32_t zp = (int32_t)t->quant.zero_points[c];
        /* As TFLite's AffineQuantize: float division, round half away from zero. */
        float r = roundf(values[i] / scale);
        int64_t q;
        if (!(r == r))
            q = zp; /* NaN */
        else if (r > 1e9f)
            q = hi;
        else if (r < -1e9f)
            q = lo;
        else
            q = (int64_t)r + zp;
        q = q < lo ? lo : (q > hi ? hi : q);
        if (t->type == TFL_UINT8)
            t->data[i] = (uint8_t)q;
        else if (t->type == TFL_INT8)
            ((int8_t *)t->data)[i] = (int8_t)q;
        else {
            int16_t v = (int16_t)q;
            memcpy(t->data + 2 * i, &v, 2);
        }
    }
    return TFL_OK;
}
