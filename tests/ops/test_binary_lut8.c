/* The lookup-table path of 8-bit ADD, SUB and MUL (ops/binary_lut8.h): an
 * op with a small operand (a scalar or a per-channel vector) must give the
 * same bytes as the same op with that operand tiled to the full output
 * shape, which runs the ordinary broadcast kernels. Swept over the three
 * ops, uint8 and int8, periods 1 to 16, the small operand first or second,
 * fused activations, multipliers above one, 1 or 2 threads and a small
 * operand that is constant (tables filled at prepare) or not (at every
 * invoke); and shapes that must not take the path still give the right
 * answer. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/pool.h"
#include "ops/binary_lut8.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_add, tfl__op_sub, tfl__op_mul;

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

typedef struct operand {
    int ndim;
    int32_t dims[4];
    const uint8_t *data;
    float scale;
    int32_t zp;
    bool is_const; /* a constant of the model, else an input fed at invoke */
} operand;

/* Runs op(a, b) into out (bytes of the output); the activation is a fused
 * activation code (field 0 of every one of these ops' options). */
static tfl_status run(const tfl__op *op, tfl_type type, const operand *a, const operand *b,
                      float out_scale, int32_t out_zp, int act, tfl__pool *pool, uint8_t *out,
                      size_t out_bytes)
{
    op_harness h;
    h_init(&h, op, "OP");
    if (pool) {
        h.ctx.pool = pool;
        h.ctx.num_threads = 2;
    }
    int ia = (a->is_const ? h_tensor : h_input)(&h, type, a->ndim, a->dims, a->data, a->scale,
                                                a->zp);
    int ib = (b->is_const ? h_tensor : h_input)(&h, type, b->ndim, b->dims, b->data, b->scale,
                                                b->zp);
    int32_t odims[4] = {0};
    int ondim = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int d = 0; d < ondim; ++d) {
        int da = d - (ondim - a->ndim), db = d - (ondim - b->ndim);
        int32_t x = da >= 0 ? a->dims[da] : 1, y = db >= 0 ? b->dims[db] : 1;
        odims[d] = x > y ? x : y;
    }
    int o = h_tensor(&h, type, ondim, odims, NULL, out_scale, out_zp);
    int ins[2] = {ia, ib};
    h_io(&h, 2, ins, 1, &o);
    if (act)
        h_opt(&h, 0, 1, (uint64_t)act);
    tfl_status s = h_run(&h);
    if (s == TFL_OK) {
        CHECK_EQ_INT(h.tensors[o].bytes, out_bytes);
        if (h.tensors[o].bytes == out_bytes)
            memcpy(out, h.tensors[o].data, out_bytes);
    } else {
        fprintf(stderr, "  builtin op %d failed: %s\n", op->builtin_code, h.error);
    }
    h_free(&h);
    return s;
}

/* The small operand repeated over the large one's shape. */
static void tile(const operand *small, const operand *large, uint8_t *buf, operand *tiled)
{
    size_t n = 1, period = 1;
    for (int d = 0; d < large->ndim; ++d)
        n *= (size_t)large->dims[d];
    for (int d = 0; d < small->ndim; ++d)
        period *= (size_t)small->dims[d];
    for (size_t i = 0; i < n; ++i)
        buf[i] = small->data[i % period];
    *tiled = *small;
    tiled->ndim = large->ndim;
    memcpy(tiled->dims, large->dims, sizeof tiled->dims);
    tiled->data = buf;
}

static void test_lookup_matches_tiled(void)
{
    const tfl__op *ops[3] = {&tfl__op_add, &tfl__op_sub, &tfl__op_mul};
    const int periods[] = {1, 2, 3, 7, 16};
    tfl__pool *pool = tfl__pool_create(2);
    static uint8_t big[128 * 128 * 16], small_data[16], tiled_buf[128 * 128 * 16];
    static uint8_t got[128 * 128 * 16], want[128 * 128 * 16];
    int cases = 0, mismatches = 0;
    for (int oi = 0; oi < 3; ++oi)
        for (int ti = 0; ti < 2; ++ti)
            for (size_t pi = 0; pi < sizeof periods / sizeof periods[0]; ++pi)
                for (int small_first = 0; small_first < 2; ++small_first)
                    for (int variant = 0; variant < 3; ++variant) {
                        const tfl_type type = ti ? TFL_INT8 : TFL_UINT8;
                        const int32_t lo = ti ? -128 : 0;
                        const int period = periods[pi];
                        /* Large enough to take the path at every period. */
                        operand large = {4, {1, 128, 128, period}, big, 0.05f, lo + 100, false};
                        const size_t n = (size_t)128 * 128 * (size_t)period;
                        for (size_t i = 0; i < n; ++i)
                            big[i] = (uint8_t)rnd();
                        for (int i = 0; i < period; ++i)
                            small_data[i] = (uint8_t)rnd();
                        /* variant 0: rank 1; 1: rank 4 with leading ones;
                         * 2: a scalar of rank 0 when the period is 1. */
                        operand small = {1, {period}, small_data, 0.02f, lo + 30, false};
                        small.is_const = (cases >> 1) & 1;
                        if (variant == 1) {
                            small.ndim = 4;
                            small.dims[0] = small.dims[1] = small.dims[2] = 1;
                            small.dims[3] = period;
                        } else if (variant == 2 && period == 1) {
                            small.ndim = 0;
                        }
                        /* MUL's output multiplier above one on one variant. */
                        float out_scale = variant == 1 ? 0.0004f : 0.07f;
                        int act = variant == 2 ? 3 /* RELU6 */ : (variant == 1 ? 1 : 0);
                        if (oi != 2 && variant == 1)
                            out_scale = 0.03f;
                        operand tiled;
                        tile(&small, &large, tiled_buf, &tiled);
                        const operand *a = small_first ? &small : &large;
                        const operand *b = small_first ? &large : &small;
                        const operand *ta = small_first ? &tiled : &large;
                        const operand *tb = small_first ? &large : &tiled;
                        tfl__pool *p = (cases & 1) ? pool : NULL;
                        tfl_status s1 = run(ops[oi], type, a, b, out_scale, lo + 7, act, p, got, n);
                        tfl_status s2 =
                            run(ops[oi], type, ta, tb, out_scale, lo + 7, act, NULL, want, n);
                        CHECK_EQ_INT(s1, TFL_OK);
                        CHECK_EQ_INT(s2, TFL_OK);
                        ++cases;
                        if (s1 == TFL_OK && s2 == TFL_OK && memcmp(got, want, n) != 0) {
                            ++mismatches;
                            fprintf(stderr,
                                    "  op %d type %d period %d small_first %d variant %d const %d\n",
                                    oi, ti, period, small_first, variant, small.is_const);
                        }
                    }
    CHECK_EQ_INT(mismatches, 0);
    CHECK(cases == 180);
    tfl__pool_free(pool);
}

/* An outer product, which takes the lookup path, and a broadcast that does
 * not (the small operand repeats along a middle axis), against both
 * operands tiled to the output shape. */
static void test_ineligible_shapes(void)
{
    static uint8_t a_data[40 * 40], b_data[16], got[40 * 40 * 16], want[40 * 40 * 16];
    for (size_t i = 0; i < sizeof a_data; ++i)
        a_data[i] = (uint8_t)rnd();
    for (size_t i = 0; i < sizeof b_data; ++i)
        b_data[i] = (uint8_t)rnd();
    /* [40, 40, 1] - [1, 16] -> [40, 40, 16]: neither input is full size
     * (the outer-product lookup). */
    const operand a = {3, {40, 40, 1}, a_data, 0.1f, 3, false};
    const operand b = {2, {1, 16}, b_data, 0.2f, 5, false};
    CHECK_EQ_INT(run(&tfl__op_sub, TFL_UINT8, &a, &b, 0.3f, 9, 0, NULL, got, sizeof got), TFL_OK);
    /* Expected: the same with both operands tiled to the full shape. */
    static uint8_t ta[40 * 40 * 16], tb[40 * 40 * 16];
    for (size_t i = 0; i < sizeof ta; ++i) {
        ta[i] = a_data[i / 16];
        tb[i] = b_data[i % 16];
    }
    const operand full_a = {3, {40, 40, 16}, ta, 0.1f, 3, false};
    const operand full_b = {3, {40, 40, 16}, tb, 0.2f, 5, false};
    CHECK_EQ_INT(run(&tfl__op_sub, TFL_UINT8, &full_a, &full_b, 0.3f, 9, 0, NULL, want, sizeof want),
                 TFL_OK);
    CHECK(memcmp(got, want, sizeof got) == 0);
    /* [40, 1, 16] against [40, 40, 16]: the small operand (640 elements) is
     * above the period limit and repeats along a middle axis. */
    static uint8_t c_data[40 * 16];
    for (size_t i = 0; i < sizeof c_data; ++i)
        c_data[i] = (uint8_t)rnd();
    const operand c = {3, {40, 1, 16}, c_data, 0.2f, 5, false};
    CHECK_EQ_INT(run(&tfl__op_add, TFL_UINT8, &full_a, &c, 0.3f, 9, 0, NULL, got, sizeof got),
                 TFL_OK);
    for (size_t i = 0; i < sizeof tb; ++i)
        tb[i] = c_data[(i / (40 * 16)) * 16 + i % 16];
    CHECK_EQ_INT(run(&tfl__op_add, TFL_UINT8, &full_a, &full_b, 0.3f, 9, 0, NULL, want, sizeof want),
                 TFL_OK);
    CHECK(memcmp(got, want, sizeof got) == 0);
}

/* Outer products [rows, 1] op [period] for every op, type, period and
 * thread count, against both operands tiled. */
static void test_outer_matches_tiled(void)
{
    const tfl__op *ops[3] = {&tfl__op_add, &tfl__op_sub, &tfl__op_mul};
    const int periods[] = {2, 5, 17, 32};
    tfl__pool *pool = tfl__pool_create(2);
    static uint8_t col[3000], row[32], ta[3000 * 32], tb[3000 * 32], got[3000 * 32],
        want[3000 * 32];
    int mismatches = 0;
    for (int oi = 0; oi < 3; ++oi)
        for (int ti = 0; ti < 2; ++ti)
            for (size_t pi = 0; pi < sizeof periods / sizeof periods[0]; ++pi)
                for (int threads = 1; threads <= 2; ++threads) {
                    const tfl_type type = ti ? TFL_INT8 : TFL_UINT8;
                    const int period = periods[pi], rows = 3000;
                    for (int i = 0; i < rows; ++i)
                        col[i] = (uint8_t)rnd();
                    for (int i = 0; i < period; ++i)
                        row[i] = (uint8_t)rnd();
                    const size_t n = (size_t)rows * (size_t)period;
                    for (size_t i = 0; i < n; ++i) {
                        ta[i] = col[i / (size_t)period];
                        tb[i] = row[i % (size_t)period];
                    }
                    const int32_t zp = ti ? -5 : 120;
                    const operand a = {3, {rows / 50, 50, 1}, col, 0.06f, zp, false};
                    const operand b = {1, {period}, row, 0.02f, zp + 3, threads == 1};
                    const operand fa = {3, {rows / 50, 50, period}, ta, 0.06f, zp, false};
                    const operand fb = {3, {rows / 50, 50, period}, tb, 0.02f, zp + 3, false};
                    CHECK_EQ_INT(run(ops[oi], type, &a, &b, 0.05f, zp, 0,
                                     threads == 2 ? pool : NULL, got, n),
                                 TFL_OK);
                    CHECK_EQ_INT(run(ops[oi], type, &fa, &fb, 0.05f, zp, 0, NULL, want, n), TFL_OK);
                    if (memcmp(got, want, n) != 0) {
                        ++mismatches;
                        fprintf(stderr, "  outer: op %d type %d period %d threads %d\n", oi, ti,
                                period, threads);
                    }
                }
    CHECK_EQ_INT(mismatches, 0);
    tfl__pool_free(pool);
}

/* A stand-in row kernel for test_tables_at_prepare: out = a + 2 * b. */
static void add_twice_b(const void *params, const void *a, int a_step, const void *b, int b_step,
                        void *out, size_t n)
{
    (void)params;
    const uint8_t *x = a, *y = b;
    uint8_t *o = out;
    for (size_t i = 0; i < n; ++i)
        o[i] = (uint8_t)(x[i * (size_t)a_step] + 2 * y[i * (size_t)b_step]);
}

static tfl_tensor shaped(tfl_type type, int ndim, int32_t d0, int32_t d1, int32_t d2, int32_t d3)
{
    tfl_tensor t;
    memset(&t, 0, sizeof t);
    t.type = type;
    t.ndim = ndim;
    const int32_t d[4] = {d0, d1, d2, d3};
    for (int i = 0; i < ndim; ++i)
        t.dims[i] = d[i];
    return t;
}

/* Which shapes take the path: the ones the sweep above relies on, and not
 * the ones test_ineligible_shapes runs. */
static void test_eligibility(void)
{
    tfl__lut8_binary l;
    tfl__ctx ctx0;
    memset(&ctx0, 0, sizeof ctx0);
    const tfl_tensor big = shaped(TFL_INT8, 4, 1, 64, 64, 3);
    const tfl_tensor vec = shaped(TFL_INT8, 1, 3, 0, 0, 0);
    const tfl_tensor vec4 = shaped(TFL_INT8, 4, 1, 1, 1, 3);
    const tfl_tensor scalar = shaped(TFL_INT8, 0, 0, 0, 0, 0);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big, &vec, &big);
    CHECK(l.active && !l.a_is_small && l.period == 3);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &vec4, &big, &big);
    CHECK(l.active && l.a_is_small && l.period == 3);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big, &scalar, &big);
    CHECK(l.active && l.period == 1);
    /* Not: wider types, a middle-axis broadcast, neither input full size,
     * too small an output, too long a period. */
    const tfl_tensor big16 = shaped(TFL_INT16, 4, 1, 64, 64, 3);
    const tfl_tensor vec16 = shaped(TFL_INT16, 1, 3, 0, 0, 0);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big16, &vec16, &big16);
    CHECK(!l.active);
    const tfl_tensor mid = shaped(TFL_INT8, 4, 1, 4, 1, 1); /* period 4, but along axis 1 */
    const tfl_tensor big_mid = shaped(TFL_INT8, 4, 1, 4, 80, 80);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big_mid, &mid, &big_mid);
    CHECK(!l.active);
    const tfl_tensor last = shaped(TFL_INT8, 2, 1, 80, 0, 0); /* the same size along the last axis */
    const tfl_tensor big_last = shaped(TFL_INT8, 4, 1, 4, 80, 80);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big_last, &last, &big_last);
    CHECK(!l.active); /* period 80: above the limit */
    const tfl_tensor col = shaped(TFL_INT8, 3, 40, 40, 1, 0);
    const tfl_tensor row = shaped(TFL_INT8, 2, 1, 16, 0, 0);
    const tfl_tensor out = shaped(TFL_INT8, 3, 40, 40, 16, 0);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &col, &row, &out);
    CHECK(l.active && l.outer && !l.a_is_small && l.period == 16); /* an outer product */
    const tfl_tensor col_mid = shaped(TFL_INT8, 3, 40, 1, 16, 0);   /* broadcast mid-axis */
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &col_mid, &row, &out);
    CHECK(!l.active);
    const tfl_tensor tiny = shaped(TFL_INT8, 2, 8, 3, 0, 0);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &tiny, &vec, &tiny);
    CHECK(!l.active);
    const tfl_tensor long_vec = shaped(TFL_INT8, 1, 33, 0, 0, 0);
    const tfl_tensor big33 = shaped(TFL_INT8, 4, 1, 64, 64, 33);
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big33, &long_vec, &big33);
    CHECK(!l.active);
}

/* A constant small operand has its tables filled at prepare, from the op's
 * kernel on every byte value; one fed at invoke does not. */
static void test_tables_at_prepare(void)
{
    tfl__lut8_binary l;
    tfl__ctx ctx0;
    memset(&ctx0, 0, sizeof ctx0);
    const tfl_tensor big = shaped(TFL_UINT8, 4, 1, 64, 64, 3);
    static uint8_t vec_data[3] = {1, 50, 200};
    tfl_tensor vec = shaped(TFL_UINT8, 1, 3, 0, 0, 0);
    vec.data = vec_data;
    vec.alloc = TFL__ALLOC_CONST;
    memset(l.tables, 0, sizeof l.tables);
    tfl__lut8_binary_prepare(&ctx0, &l, add_twice_b, NULL, &big, &vec, &big);
    CHECK(l.active && l.tables_fixed);
    int wrong = 0;
    for (int p = 0; p < 3; ++p)
        for (int v = 0; v < 256; ++v)
            wrong += l.tables[p * 256 + v] != (uint8_t)(v + 2 * vec_data[p]);
    CHECK_EQ_INT(wrong, 0);
    /* Small operand first: tables indexed by the large operand's byte. */
    tfl__lut8_binary_prepare(&ctx0, &l, add_twice_b, NULL, &vec, &big, &big);
    CHECK(l.active && l.a_is_small && l.tables_fixed);
    CHECK_EQ_INT(l.tables[2 * 256 + 7], (uint8_t)(200 + 2 * 7));
    vec.alloc = TFL__ALLOC_ARENA;
    tfl__lut8_binary_prepare(&ctx0, &l, NULL, NULL, &big, &vec, &big);
    CHECK(l.active && !l.tables_fixed);
}

/* The VBMI table lookup against the portable one: every byte value, and
 * lengths around its 64-byte steps. */
static void test_map_vbmi(void)
{
    if ((tfl__cpu_features() & TFL__CPU_AVX512VBMI) == 0) {
        printf("SKIP tfl__lut8_map__vbmi (this CPU lacks it)\n");
        return;
    }
    static uint8_t table[256], in[300], got[300], want[300];
    for (int i = 0; i < 256; ++i)
        table[i] = (uint8_t)(rnd() ^ (unsigned)i);
    for (int i = 0; i < 300; ++i)
        in[i] = (uint8_t)(i < 256 ? (uint32_t)i : rnd());
    static const size_t lengths[] = {0, 1, 63, 64, 65, 127, 128, 200, 256, 300};
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; ++k) {
        memset(got, 0xA5, sizeof got);
        memset(want, 0xA5, sizeof want);
        tfl__lut8_map__vbmi(table, in, got, lengths[k]);
        tfl__lut8_map__ref(table, in, want, lengths[k]);
        CHECK(memcmp(got, want, sizeof got) == 0); /* and nothing written past n */
    }
    /* Periodic tables: every period the VBMI version takes, every starting
     * phase, lengths around its steps (where the phase moves on by 64 % P). */
    static uint8_t tables[TFL__LUT8_PERIODIC_MAX * 256];
    for (size_t i = 0; i < sizeof tables; ++i)
        tables[i] = (uint8_t)rnd();
    for (unsigned period = 2; period <= TFL__LUT8_PERIODIC_MAX; ++period)
        for (unsigned phase = 0; phase < period; ++phase)
            for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; ++k) {
                memset(got, 0xA5, sizeof got);
                memset(want, 0xA5, sizeof want);
                tfl__lut8_map_periodic__vbmi(tables, period, phase, in, got, lengths[k]);
                tfl__lut8_map_periodic__ref(tables, period, phase, in, want, lengths[k]);
                CHECK(memcmp(got, want, sizeof got) == 0);
            }
}

TFL_TEST_MAIN(TEST(test_lookup_matches_tiled), TEST(test_ineligible_shapes),
              TEST(test_eligibility), TEST(test_tables_at_prepare), TEST(test_map_vbmi),
              TEST(test_outer_matches_tiled))
