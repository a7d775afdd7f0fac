/* Tests of the helpers under the elementwise ops: broadcast shapes, loop
 * plans and ranges (kernels/broadcast.h), gemmlowp-style fixed point
 * (kernels/fixedpoint.h) and lookup tables (kernels/lut.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels/broadcast.h"
#include "kernels/fixedpoint.h"
#include "kernels/lut.h"
#include "test.h"

static void test_bcast_shape(void)
{
    int32_t out[8];
    int n;
    const int32_t a[3] = {2, 1, 3}, b[2] = {4, 1};
    CHECK(tfl__bcast_shape(a, 3, b, 2, out, &n));
    CHECK_EQ_INT(n, 3);
    CHECK(out[0] == 2 && out[1] == 4 && out[2] == 3);
    const int32_t z[2] = {0, 1}, c[1] = {3};
    CHECK(tfl__bcast_shape(z, 2, c, 1, out, &n));
    CHECK(n == 2 && out[0] == 0 && out[1] == 3);
    const int32_t d[2] = {2, 3}, e[1] = {2};
    CHECK(!tfl__bcast_shape(d, 2, e, 1, out, &n));
    const int32_t f[1] = {0}, g[1] = {3};
    CHECK(!tfl__bcast_shape(f, 1, g, 1, out, &n)); /* 0 only broadcasts against 1 */
    CHECK(tfl__bcast_shape(NULL, 0, c, 1, out, &n));
    CHECK(n == 1 && out[0] == 3);
    CHECK(tfl__bcast_shape(NULL, 0, NULL, 0, out, &n));
    CHECK_EQ_INT(n, 0);
}

static void test_bcast_plan(void)
{
    tfl__bcast p;
    const int32_t s[3] = {2, 3, 4};
    tfl__bcast_plan(&p, s, 3, s, 3);
    CHECK(p.total == 24 && p.inner == 24 && p.nloops == 0 && p.a_step == 1 && p.b_step == 1);

    const int32_t a[2] = {2, 3}, b[1] = {3};
    tfl__bcast_plan(&p, a, 2, b, 1);
    CHECK(p.inner == 3 && p.a_step == 1 && p.b_step == 1 && p.nloops == 1);
    CHECK(p.extent[0] == 2 && p.a_stride[0] == 3 && p.b_stride[0] == 0);

    const int32_t c[2] = {3, 1}, d[2] = {1, 4};
    tfl__bcast_plan(&p, c, 2, d, 2);
    CHECK(p.total == 12 && p.inner == 4 && p.a_step == 0 && p.b_step == 1 && p.nloops == 1);
    CHECK(p.extent[0] == 3 && p.a_stride[0] == 1 && p.b_stride[0] == 0);

    /* Size-1 dimensions are skipped and equal-pattern ones merged. */
    const int32_t e[5] = {2, 1, 3, 5, 1}, f[3] = {1, 5, 1};
    tfl__bcast_plan(&p, e, 5, f, 3);
    CHECK(p.total == 30 && p.inner == 5 && p.a_step == 1 && p.b_step == 1 && p.nloops == 1);
    CHECK(p.extent[0] == 6 && p.a_stride[0] == 5 && p.b_stride[0] == 0);

    const int32_t one[1] = {1};
    tfl__bcast_plan(&p, one, 1, NULL, 0);
    CHECK(p.total == 1 && p.inner == 1 && p.nloops == 0 && p.a_step == 0 && p.b_step == 0);
}

/* out[i] = a * 1000 + b, recording which elements were paired. */
static void pair_fn(const void *params, const void *a, int as, const void *b, int bs, void *out,
                    size_t n)
{
    const int32_t *x = a, *y = b;
    int32_t *o = out;
    (void)params;
    for (size_t i = 0; i < n; ++i)
        o[i] = x[i * as] * 1000 + y[i * bs];
}

/* Broadcast by explicit multi-indices, independent of the plan. */
static int32_t naive_pair(const int32_t *ad, int an, const int32_t *bd, int bn, const int32_t *od,
                          int on, size_t flat)
{
    size_t ia = 0, ib = 0, sa = 1, sb = 1;
    for (int k = on - 1; k >= 0; --k) {
        size_t idx = flat % (size_t)od[k];
        flat /= (size_t)od[k];
        int ka = k - (on - an), kb = k - (on - bn);
        if (ka >= 0) {
            ia += (ad[ka] == 1 ? 0 : idx) * sa;
            sa *= (size_t)ad[ka];
        }
        if (kb >= 0) {
            ib += (bd[kb] == 1 ? 0 : idx) * sb;
            sb *= (size_t)bd[kb];
        }
    }
    return (int32_t)ia * 1000 + (int32_t)ib;
}

static void check_ranges(const int32_t *ad, int an, const int32_t *bd, int bn)
{
    int32_t od[8];
    int on;
    CHECK(tfl__bcast_shape(ad, an, bd, bn, od, &on));
    tfl__bcast p;
    tfl__bcast_plan(&p, ad, an, bd, bn);
    static int32_t a[256], b[256], out[1024];
    for (int i = 0; i < 256; ++i)
        a[i] = b[i] = i;
    memset(out, 0xff, sizeof out);
    /* Uneven chunks cross run boundaries. */
    size_t cuts[] = {0, 1, 5, 6, 13, 14, 40, p.total};
    for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; ++c) {
        size_t s = cuts[c] < p.total ? cuts[c] : p.total;
        size_t e = cuts[c + 1] < p.total ? cuts[c + 1] : p.total;
        if (s < e)
            tfl__bcast_range(&p, pair_fn, NULL, a, b, out, 4, 4, s, e);
    }
    int bad = 0;
    for (size_t i = 0; i < p.total; ++i)
        if (out[i] != naive_pair(ad, an, bd, bn, od, on, i))
            ++bad;
    CHECK_EQ_INT(bad, 0);
}

static void test_bcast_range(void)
{
    const int32_t a1[3] = {2, 1, 3}, b1[2] = {4, 1};
    check_ranges(a1, 3, b1, 2);
    const int32_t a2[4] = {1, 3, 1, 5}, b2[4] = {2, 1, 4, 1};
    check_ranges(a2, 4, b2, 4);
    const int32_t a3[6] = {2, 1, 3, 1, 2, 3}, b3[6] = {1, 2, 1, 3, 1, 1};
    check_ranges(a3, 6, b3, 6);
    const int32_t a4[1] = {7}, b4[1] = {7};
    check_ranges(a4, 1, b4, 1);
    check_ranges(NULL, 0, a4, 1);
    const int32_t a5[8] = {2, 1, 2, 1, 2, 1, 2, 1}, b5[8] = {1, 2, 1, 2, 1, 2, 1, 2};
    check_ranges(a5, 8, b5, 8);
}

static void test_fixedpoint_16bit(void)
{
    CHECK_EQ_INT(tfl__srdhm16(16384, 16384), 8192);
    CHECK_EQ_INT(tfl__srdhm16(INT16_MIN, INT16_MIN), INT16_MAX);
    /* -1.5 rounds toward zero in gemmlowp: (ab + 1 - 2^14) / 2^15 truncates. */
    CHECK_EQ_INT(tfl__srdhm16(-16384, 3), -1);
    CHECK_EQ_INT(tfl__srdhm16(16384, 3), 2);
    CHECK_EQ_INT(tfl__rdbypot16(5, 1), 3);
    CHECK_EQ_INT(tfl__rdbypot16(-5, 1), -3);
    CHECK_EQ_INT(tfl__rdbypot16(-6, 2), -2);
    CHECK_EQ_INT(tfl__rdbypot16(7, 0), 7);
    /* Exponents past 15: gemmlowp's mask truncates to -1 in 16 bits. */
    CHECK_EQ_INT(tfl__rdbypot16(0, 20), 1);
    CHECK_EQ_INT(tfl__rdbypot16(100, 20), 1);
    CHECK_EQ_INT(tfl__rdbypot16(-5, 20), -1);
    CHECK_EQ_INT(tfl__sat_add16(30000, 30000), INT16_MAX);
    CHECK_EQ_INT(tfl__sat_add16(-30000, -30000), INT16_MIN);
    CHECK_EQ_INT(tfl__downscale_multiplier16(1 << 30), 1 << 14);
    CHECK_EQ_INT(tfl__downscale_multiplier16(INT32_MAX), INT16_MAX);
}

static void test_fixedpoint_functions(void)
{
    const double q31 = 2147483648.0;
    const double tol = 1e-6 * q31; /* gemmlowp's approximations are good to ~2^-21 */
    /* exp on Q5.26 inputs, results in Q0.31. */
    CHECK_EQ_INT(tfl__fp_exp_on_negative_values(0, 5), INT32_MAX);
    CHECK_NEAR(tfl__fp_exp_on_negative_values(-(1 << 26), 5), exp(-1.0) * q31, tol);
    CHECK_NEAR(tfl__fp_exp_on_negative_values(-(1 << 28), 5), exp(-4.0) * q31, tol);
    CHECK_NEAR(tfl__fp_exp_on_negative_values(-(3 << 24), 5), exp(-0.75) * q31, tol);
    CHECK_NEAR(tfl__fp_exp_on_negative_values(-(1 << 30), 5), exp(-16.0) * q31, tol);
    /* With 6 integer bits, inputs below -32 give exactly 0. */
    CHECK_EQ_INT(tfl__fp_exp_on_negative_values(-(33 << 25), 6), 0);
    CHECK_NEAR(tfl__fp_one_over_one_plus_x(0), q31, tol);
    CHECK_NEAR(tfl__fp_one_over_one_plus_x(1 << 30), q31 / 1.5, tol);
    int bits;
    /* 1.5 in Q12: 1 / 1.5 with no extra bits; 6.0: 1/6 = (2/3) * 2^-2. */
    CHECK_NEAR(tfl__fp_reciprocal(3 << 18, 12, &bits), q31 / 1.5, tol);
    CHECK_EQ_INT(bits, 0);
    CHECK_NEAR(tfl__fp_reciprocal(6 << 19, 12, &bits), q31 / 1.5, tol);
    CHECK_EQ_INT(bits, 2);
    CHECK_EQ_INT(tfl__fp_mul_pot(1 << 29, 2), INT32_MAX);
    CHECK_EQ_INT(tfl__fp_mul_pot(-(1 << 29), 2), INT32_MIN);
    CHECK_EQ_INT(tfl__fp_mul_pot(3, 2), 12);
    CHECK_EQ_INT(tfl__fp_mul_pot(-6, -2), -2);
    CHECK_EQ_INT(tfl__clz32(0), 32);
    CHECK_EQ_INT(tfl__clz32(1), 31);
    CHECK_EQ_INT(tfl__clrsb32(0), 31);
    CHECK_EQ_INT(tfl__clrsb32(-1), 31);
    CHECK_EQ_INT(tfl__clrsb32(INT32_MIN), 0);
    CHECK_EQ_INT(tfl__clrsb32(255), 23);
    int l;
    CHECK(tfl__checked_log2(0.25f, &l) && l == -2);
    CHECK(!tfl__checked_log2(0.3f, &l));
    CHECK_EQ_INT(tfl__input_radius(5, 20, 31), 1984); /* 31 * 2^26 / 2^20 */
    CHECK_EQ_INT(tfl__f2i_trunc(-2.7f), -2);
    CHECK_EQ_INT(tfl__f2i_trunc(1e10f), INT32_MIN);
    CHECK_EQ_INT(tfl__f2i_trunc(NAN), INT32_MIN);
    CHECK_EQ_INT(tfl__f2i_trunc(-2147483648.0f), INT32_MIN);
}

static float identity_f32(float x, const void *arg)
{
    (void)arg;
    return x;
}

static double twice_f64(double x, const void *arg)
{
    (void)arg;
    return 2 * x;
}

static void test_lut(void)
{
    uint8_t lut[256];
    /* Identity on int8 with equal parameters: table indexed by the byte. */
    tfl__lut_populate8(0.5f, 3, 0.5f, 3, true, identity_f32, NULL, lut);
    int bad = 0;
    for (int v = -128; v < 128; ++v)
        bad += (int8_t)lut[(uint8_t)v] != v;
    CHECK_EQ_INT(bad, 0);
    /* uint8, output at half the scale: doubles around the zero points, then
     * saturates. */
    tfl__lut_populate8(1.0f, 100, 0.5f, 10, false, identity_f32, NULL, lut);
    CHECK_EQ_INT(lut[100], 10);
    CHECK_EQ_INT(lut[101], 12);
    CHECK_EQ_INT(lut[95], 0);
    CHECK_EQ_INT(lut[255], 255);
    /* int16 table of 2x over [-1, 1) with output range [-2, 2): lookups
     * reproduce the input within interpolation error. */
    int16_t t16[TFL__LUT16_SIZE];
    tfl__lut_populate16_f64(1.0 / 32768, 0, 2.0 / 32768, 0, twice_f64, NULL, t16);
    int worst = 0;
    for (int v = -32768; v < 32768; v += 97) {
        int d = abs(tfl__lut_lookup16((int16_t)v, t16) - v);
        worst = d > worst ? d : worst;
    }
    CHECK(worst <= 1);
}

TFL_TEST_MAIN(TEST(test_bcast_shape), TEST(test_bcast_plan), TEST(test_bcast_range),
              TEST(test_fixedpoint_16bit), TEST(test_fixedpoint_functions), TEST(test_lut))
