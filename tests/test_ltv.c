/* tests/test_ltv.c - the LTV family (libcs_ltv(3)): simple, repeat,
 * subscription, contract, net, discounted (infinite and finite horizon),
 * expected lifetime, LTV:CAC and CAC payback, and every batch twin.
 *
 * Expected values are computed by hand from the formulas in libcs.h (the
 * arithmetic is in the comments) or by an independent loop in this file;
 * none is copied from the library's output. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "testutil.h"

#define NB 8   /* length of the small batches used for error paths */
#include "batchutil.h"
#define NR 300 /* length of the random batches compared with scalar calls */

/* ---- helpers ----------------------------------------------------------- */

/* Σ_{t<N} q^t by the explicit loop: the reference for the finite horizon. */
static double geometric_loop(double q, uint32_t n)
{
    double sum = 0.0, term = 1.0;
    for (uint32_t t = 0; t < n; t++) {
        sum += term;
        term *= q;
    }
    return sum;
}

/* ---- libcs_ltv_simple --------------------------------------------------- */

START_TEST(test_simple_examples)
{
    double out;
    /* AOV x purchases: 50 x 4 = 200 */
    ck_assert_ok(libcs_ltv_simple(50.0, 4.0, &out));
    ck_assert_close(out, 200.0, 1e-15);
    /* 19.99 x 3 = 59.97 */
    ck_assert_ok(libcs_ltv_simple(19.99, 3.0, &out));
    ck_assert_close(out, 59.97, 1e-14);
    /* no purchases, no value: 120 x 0 = 0; zero order value: 0 x 7 = 0 */
    ck_assert_ok(libcs_ltv_simple(120.0, 0.0, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_ltv_simple(0.0, 7.0, &out));
    ck_assert_close(out, 0.0, 0.0);
}
END_TEST

START_TEST(test_simple_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_simple(50.0, 4.0, NULL), LIBCS_EINVAL);
    /* NULL is reported before anything else */
    ck_assert_int_eq(libcs_ltv_simple(NAN, -1.0, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_simple(x, 4.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_simple(50.0, x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_simple(-50.0, 4.0, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_simple(50.0, -1.0, &out), LIBCS_EDOMAIN, out);
    /* 1e300 x 1e300 = 1e600 > DBL_MAX */
    ck_assert_fails(libcs_ltv_simple(1e300, 1e300, &out), LIBCS_EOVERFLOW,
                    out);
    /* order: a non-finite value beats a negative one in either position */
    ck_assert_fails(libcs_ltv_simple(-1.0, NAN, &out), LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_simple(INFINITY, -1.0, &out), LIBCS_ENONFINITE,
                    out);
}
END_TEST

START_TEST(test_simple_batch_errors)
{
    double a[NB], p[NB], out[NB];
    size_t bad;
    fill(a, NB, 50.0);
    fill(p, NB, 4.0);
    ck_assert_batch_rc(libcs_ltv_simple_batch(NB, NULL, p, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_simple_batch(NB, a, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_simple_batch(NB, a, p, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_simple_batch(0, a, p, out, &bad),
                       LIBCS_EEMPTY, out);
    /* the first failure (index 2, negative) is reported, not the later
     * non-finite one at index 5 */
    a[2] = -1.0;
    p[5] = NAN;
    ck_assert_batch_fails(libcs_ltv_simple_batch(NB, a, p, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 2);
    ck_assert_batch_rc(libcs_ltv_simple_batch(NB, a, p, out, NULL),
                       LIBCS_EDOMAIN, out);
    /* only the last element fails, on its result */
    a[2] = 50.0;
    p[5] = 4.0;
    a[NB - 1] = 1e300;
    p[NB - 1] = 1e300;
    ck_assert_batch_fails(libcs_ltv_simple_batch(NB, a, p, out, &bad),
                          LIBCS_EOVERFLOW, out, bad, NB - 1);
    /* elements past n are not read */
    ck_assert_ok(libcs_ltv_simple_batch(NB - 1, a, p, out, NULL));
    ck_assert_close(out[0], 200.0, 1e-15);
}
END_TEST

START_TEST(test_simple_batch_matches_scalar)
{
    double a[NR], p[NR], out[NR];
    rng_seed(101);
    for (size_t i = 0; i < NR; i++) {
        a[i] = rng_uniform(0.0, 1000.0);
        p[i] = rng_uniform(0.0, 50.0);
    }
    size_t bad = 12345;
    ck_assert_ok(libcs_ltv_simple_batch(NR, a, p, out, &bad));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_simple(a[i], p[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* ---- libcs_ltv_repeat --------------------------------------------------- */

START_TEST(test_repeat_examples)
{
    double out;
    /* AOV x purchases per period x lifetime: 50 x 2 x 3 = 300 */
    ck_assert_ok(libcs_ltv_repeat(50.0, 2.0, 3.0, &out));
    ck_assert_close(out, 300.0, 1e-15);
    /* 25 per order, 0.5 orders a month, 36 months: 25 x 0.5 x 36 = 450 */
    ck_assert_ok(libcs_ltv_repeat(25.0, 0.5, 36.0, &out));
    ck_assert_close(out, 450.0, 1e-15);
    /* a zero lifetime gives zero */
    ck_assert_ok(libcs_ltv_repeat(25.0, 0.5, 0.0, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* repeat with one period equals simple: 40 x 6 x 1 = 40 x 6 */
    double s;
    ck_assert_ok(libcs_ltv_repeat(40.0, 6.0, 1.0, &out));
    ck_assert_ok(libcs_ltv_simple(40.0, 6.0, &s));
    ck_assert_close(out, s, 1e-15);
    ck_assert_close(out, 240.0, 1e-15);
}
END_TEST

START_TEST(test_repeat_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_repeat(1.0, 1.0, 1.0, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_ltv_repeat(NAN, -1.0, 1.0, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_repeat(x, 2.0, 3.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_repeat(50.0, x, 3.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_repeat(50.0, 2.0, x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_repeat(-50.0, 2.0, 3.0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_ltv_repeat(50.0, -2.0, 3.0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_ltv_repeat(50.0, 2.0, -3.0, &out), LIBCS_EDOMAIN,
                    out);
    /* 1e200^3 = 1e600 */
    ck_assert_fails(libcs_ltv_repeat(1e200, 1e200, 1e200, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_repeat(-50.0, 2.0, NAN, &out), LIBCS_ENONFINITE,
                    out);
    ck_assert_fails(libcs_ltv_repeat(50.0, -INFINITY, -3.0, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_repeat(1e300, 1e300, -1.0, &out), LIBCS_EDOMAIN,
                    out);
}
END_TEST

START_TEST(test_repeat_batch_errors)
{
    double a[NB], f[NB], l[NB], out[NB];
    size_t bad;
    fill(a, NB, 50.0);
    fill(f, NB, 2.0);
    fill(l, NB, 3.0);
    ck_assert_batch_rc(libcs_ltv_repeat_batch(NB, NULL, f, l, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_repeat_batch(NB, a, NULL, l, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_repeat_batch(NB, a, f, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_repeat_batch(NB, a, f, l, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_repeat_batch(0, a, f, l, out, &bad),
                       LIBCS_EEMPTY, out);
    l[3] = INFINITY;
    f[6] = -1.0;
    ck_assert_batch_fails(libcs_ltv_repeat_batch(NB, a, f, l, out, &bad),
                          LIBCS_ENONFINITE, out, bad, 3);
    ck_assert_batch_rc(libcs_ltv_repeat_batch(NB, a, f, l, out, NULL),
                       LIBCS_ENONFINITE, out);
    l[3] = 3.0;
    ck_assert_batch_fails(libcs_ltv_repeat_batch(NB, a, f, l, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 6);
}
END_TEST

START_TEST(test_repeat_batch_matches_scalar)
{
    double a[NR], f[NR], l[NR], out[NR];
    rng_seed(102);
    for (size_t i = 0; i < NR; i++) {
        a[i] = rng_uniform(0.0, 1000.0);
        f[i] = rng_uniform(0.0, 10.0);
        l[i] = rng_uniform(0.0, 120.0);
    }
    ck_assert_ok(libcs_ltv_repeat_batch(NR, a, f, l, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_repeat(a[i], f[i], l[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* ---- libcs_ltv_subscription ---------------------------------------------- */

START_TEST(test_subscription_examples)
{
    double out;
    /* "ARPU x 100 / churn %": ARPU 100, churn 5 %, margin 1 -> 100 / 0.05 =
     * 2000 */
    ck_assert_ok(libcs_ltv_subscription(100.0, 1.0, 0.05, &out));
    ck_assert_close(out, 2000.0, 1e-14);
    /* with a gross margin of 80 %: 100 x 0.8 / 0.05 = 1600 */
    ck_assert_ok(libcs_ltv_subscription(100.0, 0.8, 0.05, &out));
    ck_assert_close(out, 1600.0, 1e-14);
    /* ARPU 30, margin 0.7, churn 2 %: 30 x 0.7 / 0.02 = 1050 */
    ck_assert_ok(libcs_ltv_subscription(30.0, 0.7, 0.02, &out));
    ck_assert_close(out, 1050.0, 1e-14);
    /* everyone leaves after one period: LTV = ARPU x margin = 40 x 0.5 */
    ck_assert_ok(libcs_ltv_subscription(40.0, 0.5, 1.0, &out));
    ck_assert_close(out, 20.0, 1e-15);
    /* margin 0: no value */
    ck_assert_ok(libcs_ltv_subscription(40.0, 0.0, 0.1, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* subscription = ARPU x margin x lifetime (1 / churn) */
    double life;
    ck_assert_ok(libcs_ltv_lifetime(0.04, &life));
    ck_assert_ok(libcs_ltv_subscription(55.0, 0.6, 0.04, &out));
    ck_assert_close(out, 55.0 * 0.6 * life, 1e-14);
    /* ARPU x margin below the normal range does not lose digits:
     * 1e-300 x 1e-10 / 1e-20 = 1e-290 */
    ck_assert_ok(libcs_ltv_subscription(1e-300, 1e-10, 1e-20, &out));
    ck_assert_rel(out, 1e-290, 1e-15);
}
END_TEST

START_TEST(test_subscription_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_subscription(100.0, 1.0, 0.05, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_ltv_subscription(100.0, 1.0, 0.0, NULL),
                     LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_subscription(x, 1.0, 0.05,
                                                            &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_subscription(100.0, x, 0.05,
                                                            &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_subscription(100.0, 1.0, x,
                                                            &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_subscription(-100.0, 1.0, 0.05, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_subscription(100.0, -0.1, 0.05, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_subscription(100.0, 1.1, 0.05, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_subscription(100.0, 1.0, -0.05, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_subscription(100.0, 1.0, 5.0, &out),
                    LIBCS_EDOMAIN, out);
    /* a zero churn divides: undefined */
    ck_assert_fails(libcs_ltv_subscription(100.0, 1.0, 0.0, &out),
                    LIBCS_EUNDEFINED, out);
    /* 1e300 / 1e-10 = 1e310 */
    ck_assert_fails(libcs_ltv_subscription(1e300, 1.0, 1e-10, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_subscription(-100.0, NAN, 0.05, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_subscription(100.0, 2.0, NAN, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_subscription(-100.0, 1.0, 0.0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_subscription(100.0, 1.5, 0.0, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_subscription_batch_errors)
{
    double a[NB], m[NB], c[NB], out[NB];
    size_t bad;
    fill(a, NB, 100.0);
    fill(m, NB, 1.0);
    fill(c, NB, 0.05);
    ck_assert_batch_rc(libcs_ltv_subscription_batch(NB, NULL, m, c, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_subscription_batch(NB, a, NULL, c, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_subscription_batch(NB, a, m, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_subscription_batch(NB, a, m, c, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_subscription_batch(0, a, m, c, out, &bad),
                       LIBCS_EEMPTY, out);
    c[1] = 0.0;  /* undefined */
    m[4] = 2.0;  /* domain */
    ck_assert_batch_fails(libcs_ltv_subscription_batch(NB, a, m, c, out, &bad),
                          LIBCS_EUNDEFINED, out, bad, 1);
    ck_assert_batch_rc(libcs_ltv_subscription_batch(NB, a, m, c, out, NULL),
                       LIBCS_EUNDEFINED, out);
    c[1] = 0.05;
    ck_assert_batch_fails(libcs_ltv_subscription_batch(NB, a, m, c, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 4);
    m[4] = 1.0;
    ck_assert_ok(libcs_ltv_subscription_batch(NB, a, m, c, out, &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 2000.0, 1e-14);
}
END_TEST

START_TEST(test_subscription_batch_matches_scalar)
{
    double a[NR], m[NR], c[NR], out[NR];
    rng_seed(103);
    for (size_t i = 0; i < NR; i++) {
        a[i] = rng_uniform(0.0, 1000.0);
        m[i] = rng_uniform(0.0, 1.0);
        c[i] = rng_uniform(0.001, 1.0);
    }
    ck_assert_ok(libcs_ltv_subscription_batch(NR, a, m, c, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_subscription(a[i], m[i], c[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* ---- libcs_ltv_contract ------------------------------------------------- */

START_TEST(test_contract_examples)
{
    double out;
    /* annual revenue x margin x years: 1200 x 0.75 x 3 = 2700 */
    ck_assert_ok(libcs_ltv_contract(1200.0, 0.75, 3.0, &out));
    ck_assert_close(out, 2700.0, 1e-15);
    /* 10000 a year, margin 0.6, 2.5 years: 10000 x 0.6 x 2.5 = 15000 */
    ck_assert_ok(libcs_ltv_contract(10000.0, 0.6, 2.5, &out));
    ck_assert_close(out, 15000.0, 1e-15);
    /* margin 1, one year: the annual revenue itself */
    ck_assert_ok(libcs_ltv_contract(4321.0, 1.0, 1.0, &out));
    ck_assert_close(out, 4321.0, 0.0);
    ck_assert_ok(libcs_ltv_contract(4321.0, 1.0, 0.0, &out));
    ck_assert_close(out, 0.0, 0.0);
}
END_TEST

START_TEST(test_contract_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_contract(1.0, 1.0, 1.0, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_contract(x, 0.5, 3.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_contract(1200.0, x, 3.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_contract(1200.0, 0.5, x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_contract(-1200.0, 0.5, 3.0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_contract(1200.0, -0.5, 3.0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_contract(1200.0, 1.5, 3.0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_ltv_contract(1200.0, 0.5, -3.0, &out),
                    LIBCS_EDOMAIN, out);
    /* 1e300 x 1 x 1e300 */
    ck_assert_fails(libcs_ltv_contract(1e300, 1.0, 1e300, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_contract(-1200.0, 0.5, INFINITY, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_contract(1e300, 7.0, 1e300, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_contract_batch_errors)
{
    double r[NB], m[NB], y[NB], out[NB];
    size_t bad;
    fill(r, NB, 1200.0);
    fill(m, NB, 0.75);
    fill(y, NB, 3.0);
    ck_assert_batch_rc(libcs_ltv_contract_batch(NB, NULL, m, y, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_contract_batch(NB, r, NULL, y, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_contract_batch(NB, r, m, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_contract_batch(NB, r, m, y, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_contract_batch(0, r, m, y, out, &bad),
                       LIBCS_EEMPTY, out);
    y[0] = 1e300;
    r[0] = 1e300; /* overflow at index 0 */
    m[7] = -1.0;
    ck_assert_batch_fails(libcs_ltv_contract_batch(NB, r, m, y, out, &bad),
                          LIBCS_EOVERFLOW, out, bad, 0);
    ck_assert_batch_rc(libcs_ltv_contract_batch(NB, r, m, y, out, NULL),
                       LIBCS_EOVERFLOW, out);
    r[0] = 1200.0;
    y[0] = 3.0;
    ck_assert_batch_fails(libcs_ltv_contract_batch(NB, r, m, y, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 7);
}
END_TEST

START_TEST(test_contract_batch_matches_scalar)
{
    double r[NR], m[NR], y[NR], out[NR];
    rng_seed(104);
    for (size_t i = 0; i < NR; i++) {
        r[i] = rng_uniform(0.0, 1e6);
        m[i] = rng_uniform(0.0, 1.0);
        y[i] = rng_uniform(0.0, 10.0);
    }
    ck_assert_ok(libcs_ltv_contract_batch(NR, r, m, y, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_contract(r[i], m[i], y[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* ---- libcs_ltv_net ------------------------------------------------------ */

START_TEST(test_net_examples)
{
    double out;
    /* ARPU x margin x frequency x duration - (acquisition + retention):
     * 100 x 0.5 x 12 x 2 - (300 + 200) = 1200 - 500 = 700 */
    ck_assert_ok(libcs_ltv_net(100.0, 0.5, 12.0, 2.0, 300.0, 200.0, &out));
    ck_assert_close(out, 700.0, 1e-14);
    /* net LTV can be negative and is returned as such:
     * 10 x 0.5 x 1 x 2 - (50 + 0) = 10 - 50 = -40 */
    ck_assert_ok(libcs_ltv_net(10.0, 0.5, 1.0, 2.0, 50.0, 0.0, &out));
    ck_assert_close(out, -40.0, 1e-15);
    ck_assert(out < 0.0);
    /* only costs: 0 - (25 + 75) = -100 */
    ck_assert_ok(libcs_ltv_net(0.0, 1.0, 4.0, 5.0, 25.0, 75.0, &out));
    ck_assert_close(out, -100.0, 1e-15);
    /* no costs: equals the gross product 80 x 0.25 x 3 x 4 = 240 */
    ck_assert_ok(libcs_ltv_net(80.0, 0.25, 3.0, 4.0, 0.0, 0.0, &out));
    ck_assert_close(out, 240.0, 1e-15);
    /* break-even: 50 x 1 x 2 x 1 - (60 + 40) = 0 */
    ck_assert_ok(libcs_ltv_net(50.0, 1.0, 2.0, 1.0, 60.0, 40.0, &out));
    ck_assert_close(out, 0.0, 1e-13);
    /* a gross revenue beyond DBL_MAX that the costs bring back into range
     * is its true value, not an overflow: 1e308 x 2 - (1e308 + 1e308) = 0,
     * 1e308 x 3 - (1e308 + 1e308) = 1e308 */
    ck_assert_ok(libcs_ltv_net(1e308, 1.0, 2.0, 1.0, 1e308, 1e308, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_ltv_net(1e308, 1.0, 3.0, 1.0, 1e308, 1e308, &out));
    ck_assert_rel(out, 1e308, 1e-15);
    /* costs whose sum exceeds DBL_MAX against a revenue as large:
     * DBL_MAX x 1 - (DBL_MAX + DBL_MAX) = -DBL_MAX */
    ck_assert_ok(libcs_ltv_net(DBL_MAX, 1.0, 1.0, 1.0, DBL_MAX, DBL_MAX, &out));
    ck_assert_rel(out, -DBL_MAX, 1e-15);
}
END_TEST

START_TEST(test_net_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_net(1, 1, 1, 1, 1, 1, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_net(x, 0.5, 12, 2, 300, 200,
                                                   &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_net(100, x, 12, 2, 300, 200,
                                                   &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_net(100, 0.5, x, 2, 300, 200,
                                                   &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_net(100, 0.5, 12, x, 300, 200,
                                                   &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_net(100, 0.5, 12, 2, x, 200,
                                                   &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_net(100, 0.5, 12, 2, 300, x,
                                                   &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_net(-100, 0.5, 12, 2, 300, 200, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_net(100, -0.5, 12, 2, 300, 200, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_net(100, 1.5, 12, 2, 300, 200, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_net(100, 0.5, -12, 2, 300, 200, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_net(100, 0.5, 12, -2, 300, 200, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_net(100, 0.5, 12, 2, -300, 200, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_net(100, 0.5, 12, 2, 300, -200, &out),
                    LIBCS_EDOMAIN, out);
    /* too large a revenue: 1e300 x 1 x 1e300 x 1 */
    ck_assert_fails(libcs_ltv_net(1e300, 1, 1e300, 1, 0, 0, &out),
                    LIBCS_EOVERFLOW, out);
    /* too large (negative) a cost: -(DBL_MAX + DBL_MAX) */
    ck_assert_fails(libcs_ltv_net(0, 1, 1, 1, DBL_MAX, DBL_MAX, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_net(-100, 0.5, 12, 2, 300, NAN, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_net(100, 0.5, 12, 2, -INFINITY, -200, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_net(1e300, 1, 1e300, 1, -1, 0, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_net_batch_errors)
{
    double a[NB], m[NB], f[NB], d[NB], ac[NB], rc[NB], out[NB];
    size_t bad;
    fill(a, NB, 100.0);
    fill(m, NB, 0.5);
    fill(f, NB, 12.0);
    fill(d, NB, 2.0);
    fill(ac, NB, 300.0);
    fill(rc, NB, 200.0);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, NULL, m, f, d, ac, rc, out,
                                           &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, a, NULL, f, d, ac, rc, out,
                                           &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, a, m, NULL, d, ac, rc, out,
                                           &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, a, m, f, NULL, ac, rc, out,
                                           &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, a, m, f, d, NULL, rc, out,
                                           &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, a, m, f, d, ac, NULL, out,
                                           &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_net_batch(NB, a, m, f, d, ac, rc, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_net_batch(0, a, m, f, d, ac, rc, out, &bad),
                       LIBCS_EEMPTY, out);
    rc[2] = -1.0;
    ac[5] = NAN;
    ck_assert_batch_fails(libcs_ltv_net_batch(NB, a, m, f, d, ac, rc, out,
                                              &bad),
                          LIBCS_EDOMAIN, out, bad, 2);
    ck_assert_batch_rc(libcs_ltv_net_batch(NB, a, m, f, d, ac, rc, out, NULL),
                       LIBCS_EDOMAIN, out);
    rc[2] = 200.0;
    ck_assert_batch_fails(libcs_ltv_net_batch(NB, a, m, f, d, ac, rc, out,
                                              &bad),
                          LIBCS_ENONFINITE, out, bad, 5);
    /* negative results are valid elements */
    ac[5] = 1e6;
    ck_assert_ok(libcs_ltv_net_batch(NB, a, m, f, d, ac, rc, out, &bad));
    ck_assert_close(out[5], 1200.0 - (1e6 + 200.0), 1e-14);
    ck_assert_close(out[4], 700.0, 1e-14);
}
END_TEST

START_TEST(test_net_batch_matches_scalar)
{
    double a[NR], m[NR], f[NR], d[NR], ac[NR], rc[NR], out[NR];
    rng_seed(105);
    for (size_t i = 0; i < NR; i++) {
        a[i] = rng_uniform(0.0, 1000.0);
        m[i] = rng_uniform(0.0, 1.0);
        f[i] = rng_uniform(0.0, 12.0);
        d[i] = rng_uniform(0.0, 5.0);
        ac[i] = rng_uniform(0.0, 5000.0);
        rc[i] = rng_uniform(0.0, 5000.0);
    }
    ck_assert_ok(libcs_ltv_net_batch(NR, a, m, f, d, ac, rc, out, NULL));
    int negatives = 0;
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_net(a[i], m[i], f[i], d[i], ac[i], rc[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        negatives += out[i] < 0.0;
    }
    ck_assert_int_gt(negatives, 0); /* the sample covers both signs */
    ck_assert_int_lt(negatives, NR);
}
END_TEST

/* ---- libcs_ltv_discounted ----------------------------------------------- */

START_TEST(test_discounted_examples)
{
    double out;
    /* ARPU x margin x (1 + d) / (1 + d - r): 100 x 1 x 1.1 / (1.1 - 0.9) =
     * 110 / 0.2 = 550 */
    ck_assert_ok(libcs_ltv_discounted(100.0, 1.0, 0.9, 0.1, &out));
    ck_assert_close(out, 550.0, 1e-13);
    /* margin 0.5 halves it: 275 */
    ck_assert_ok(libcs_ltv_discounted(100.0, 0.5, 0.9, 0.1, &out));
    ck_assert_close(out, 275.0, 1e-13);
    /* no discounting: 100 x 1 / (1 - 0.9) = 1000, the same as the
     * subscription form with churn 1 - r = 0.1 */
    double sub;
    ck_assert_ok(libcs_ltv_discounted(100.0, 1.0, 0.9, 0.0, &out));
    ck_assert_close(out, 1000.0, 1e-13);
    ck_assert_ok(libcs_ltv_subscription(100.0, 1.0, 0.1, &sub));
    ck_assert_close(out, sub, 1e-13);
    /* retention 0: only the first, certain payment: 100 x 1.1 / 1.1 = 100 */
    ck_assert_ok(libcs_ltv_discounted(100.0, 1.0, 0.0, 0.1, &out));
    ck_assert_close(out, 100.0, 1e-15);
    /* full retention is finite when d > 0: 100 x 1.25 / 0.25 = 500 */
    ck_assert_ok(libcs_ltv_discounted(100.0, 1.0, 1.0, 0.25, &out));
    ck_assert_close(out, 500.0, 1e-15);
    /* a negative discount rate above -1: 100 x 0.5 / (0.5 - 0.25) = 200 */
    ck_assert_ok(libcs_ltv_discounted(100.0, 1.0, 0.25, -0.5, &out));
    ck_assert_close(out, 200.0, 1e-15);
    /* monthly 2 % churn, 1 % discount, ARPU 50, margin 0.8:
     * 40 x 1.01 / (1.01 - 0.98) = 40.4 / 0.03 = 1346.666... */
    ck_assert_ok(libcs_ltv_discounted(50.0, 0.8, 0.98, 0.01, &out));
    ck_assert_close(out, 40.4 / 0.03, 1e-12);
    ck_assert_close(out, 1346.6666666666667, 1e-12);
    /* no spurious overflow or underflow in the intermediate products:
     * 1e308 x 1 x (1 + 9) / (1 - 0 + 9) = 1e308;
     * 1e-300 x 1e-10 x (1 + 1e-20) / (1 - 1 + 1e-20) = 1e-290 */
    ck_assert_ok(libcs_ltv_discounted(1e308, 1.0, 0.0, 9.0, &out));
    ck_assert_rel(out, 1e308, 1e-15);
    ck_assert_ok(libcs_ltv_discounted(1e-300, 1e-10, 1.0, 1e-20, &out));
    ck_assert_rel(out, 1e-290, 1e-15);
}
END_TEST

START_TEST(test_discounted_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_discounted(100, 1, 0.9, 0.1, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_ltv_discounted(100, 1, 1.0, 0.0, NULL),
                     LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted(x, 1, 0.9, 0.1,
                                                          &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted(100, x, 0.9, 0.1,
                                                          &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted(100, 1, x, 0.1,
                                                          &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted(100, 1, 0.9, x,
                                                          &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_discounted(-100, 1, 0.9, 0.1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted(100, -0.1, 0.9, 0.1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1.1, 0.9, 0.1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, -0.1, 0.1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, 1.1, 0.1, &out),
                    LIBCS_EDOMAIN, out);
    /* discount <= -1 */
    ck_assert_fails(libcs_ltv_discounted(100, 1, 0.9, -1.0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, 0.9, -2.5, &out),
                    LIBCS_EDOMAIN, out);
    /* retention >= 1 + d: the series diverges */
    ck_assert_fails(libcs_ltv_discounted(100, 1, 1.0, 0.0, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, 0.75, -0.25, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, 0.875, -0.25, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, 0.5, -0.75, &out),
                    LIBCS_EUNDEFINED, out);
    /* 1e308 x 1 x (1 + 1e-10) / 1e-10 */
    ck_assert_fails(libcs_ltv_discounted(1e308, 1, 1.0, 1e-10, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_discounted(-100, 1, 0.9, NAN, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_discounted(100, 1, 1.0, -INFINITY, &out),
                    LIBCS_ENONFINITE, out);
    /* d = -1 is a domain error even though r >= 1 + d as well */
    ck_assert_fails(libcs_ltv_discounted(100, 1, 0.5, -1.0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted(-100, 1, 1.0, 0.0, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_discounted_batch_errors)
{
    double a[NB], m[NB], r[NB], d[NB], out[NB];
    size_t bad;
    fill(a, NB, 100.0);
    fill(m, NB, 1.0);
    fill(r, NB, 0.9);
    fill(d, NB, 0.1);
    ck_assert_batch_rc(libcs_ltv_discounted_batch(NB, NULL, m, r, d, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_batch(NB, a, NULL, r, d, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_batch(NB, a, m, NULL, d, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_batch(NB, a, m, r, NULL, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_discounted_batch(NB, a, m, r, d, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_discounted_batch(0, a, m, r, d, out, &bad),
                       LIBCS_EEMPTY, out);
    r[3] = 1.0;
    d[3] = 0.0;  /* divergent */
    d[6] = -1.0; /* domain */
    ck_assert_batch_fails(libcs_ltv_discounted_batch(NB, a, m, r, d, out,
                                                     &bad),
                          LIBCS_EUNDEFINED, out, bad, 3);
    ck_assert_batch_rc(libcs_ltv_discounted_batch(NB, a, m, r, d, out, NULL),
                       LIBCS_EUNDEFINED, out);
    d[3] = 0.1;
    ck_assert_batch_fails(libcs_ltv_discounted_batch(NB, a, m, r, d, out,
                                                     &bad),
                          LIBCS_EDOMAIN, out, bad, 6);
    d[6] = 0.1;
    ck_assert_ok(libcs_ltv_discounted_batch(NB, a, m, r, d, out, &bad));
    ck_assert_close(out[3], 100.0 * 1.1 / 0.1, 1e-13); /* r = 1: 1100 */
    ck_assert_close(out[6], 550.0, 1e-13);
}
END_TEST

START_TEST(test_discounted_batch_matches_scalar)
{
    double a[NR], m[NR], r[NR], d[NR], out[NR];
    rng_seed(106);
    for (size_t i = 0; i < NR; i++) {
        a[i] = rng_uniform(0.0, 1000.0);
        m[i] = rng_uniform(0.0, 1.0);
        d[i] = rng_uniform(-0.5, 0.5);
        /* r in [0, 0.99 min(1, 1 + d)]: the series converges */
        r[i] = rng_uniform(0.0, 0.99 * fmin(1.0, 1.0 + d[i]));
    }
    ck_assert_ok(libcs_ltv_discounted_batch(NR, a, m, r, d, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_discounted(a[i], m[i], r[i], d[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        /* and the closed form agrees with the formula */
        ck_assert_close(one,
                        a[i] * m[i] * (1.0 + d[i]) / (1.0 + d[i] - r[i]),
                        1e-12);
    }
}
END_TEST

/* ---- libcs_ltv_discounted_horizon --------------------------------------- */

START_TEST(test_horizon_examples)
{
    double out;
    /* q = r / (1 + d) = 0.9 / 1.1 = 9/11, m = 100:
     * N = 1: 100; N = 2: 100 (1 + 9/11) = 2000/11; N = 3: 100 (121 + 99 +
     * 81) / 121 = 30100/121 */
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, 1, &out));
    ck_assert_close(out, 100.0, 1e-14);
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, 2, &out));
    ck_assert_close(out, 2000.0 / 11.0, 1e-14);
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, 3, &out));
    ck_assert_close(out, 30100.0 / 121.0, 1e-14);
    /* zero periods: nothing is paid */
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, 0, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* retention 0: only the first payment, whatever N */
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 0.5, 0.0, 0.1, 12, &out));
    ck_assert_close(out, 50.0, 1e-15);
    /* q = 1 (r = 1, d = 0) gives exactly N payments */
    ck_assert_ok(libcs_ltv_discounted_horizon(1, 1, 1.0, 0.0, 7, &out));
    ck_assert(out == 7.0);
    ck_assert_ok(libcs_ltv_discounted_horizon(1, 1, 1.0, 0.0, 1000000, &out));
    ck_assert(out == 1000000.0);
    ck_assert_ok(libcs_ltv_discounted_horizon(1, 1, 1.0, 0.0, UINT32_MAX,
                                              &out));
    ck_assert(out == 4294967295.0);
    /* q = 0.75 / 0.75 = 1 as well: 100 x 7 */
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 0.75, -0.25, 7, &out));
    ck_assert_close(out, 700.0, 1e-14);
    /* the finite form accepts r >= 1 + d, where the infinite one diverges:
     * r = 1, d = -0.5, q = 2: 2^0 + ... + 2^9 = 1023 */
    ck_assert_ok(libcs_ltv_discounted_horizon(1, 1, 1.0, -0.5, 10, &out));
    ck_assert_close(out, 1023.0, 1e-13);
    /* r = 0.75, d = -0.25 (r = 1 + d) accepted as seen above; r = 1, d = 0
     * too */
    ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 1.0, 0.0, 12, &out));
    ck_assert_close(out, 1200.0, 0.0);
}
END_TEST

/* the closed form equals the explicit loop Σ_{t<N} (r/(1+d))^t */
START_TEST(test_horizon_matches_loop)
{
    static const double rs[] = {0.0, 0.1, 0.5, 0.9, 0.98, 0.999, 1.0};
    static const double ds[] = {-0.5, -0.1, 0.0, 0.01, 0.1, 1.0};
    static const uint32_t ns[] = {1, 2, 3, 12, 36, 100, 250};
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
        for (size_t j = 0; j < sizeof ds / sizeof ds[0]; j++)
            for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
                double out = SENTINEL;
                double q = rs[i] / (1.0 + ds[j]);
                double want = 80.0 * 0.75 * geometric_loop(q, ns[k]);
                ck_assert_ok(libcs_ltv_discounted_horizon(
                    80.0, 0.75, rs[i], ds[j], ns[k], &out));
                ck_assert_msg(fabs(out - want) <= 1e-11 * fmax(1.0, want),
                              "r %g d %g N %u: %.17g, loop %.17g", rs[i],
                              ds[j], ns[k], out, want);
            }
}
END_TEST

/* the horizon sum grows with N and tends to the infinite form */
START_TEST(test_horizon_converges)
{
    double inf_form, prev = 0.0, out;
    ck_assert_ok(libcs_ltv_discounted(100, 1, 0.9, 0.1, &inf_form));
    for (uint32_t n = 1; n <= 400; n++) {
        ck_assert_ok(libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, n, &out));
        ck_assert_msg(out >= prev, "N %u: %.17g < %.17g", n, out, prev);
        ck_assert_msg(out <= inf_form * (1 + 1e-14), "N %u: %.17g > %.17g", n,
                      out, inf_form);
        prev = out;
    }
    /* remainder after N terms is 550 q^N; q^400 = (9/11)^400 ~ 1e-35 */
    ck_assert_close(prev, 550.0, 1e-13);
    ck_assert_ok(
        libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, UINT32_MAX, &out));
    ck_assert_close(out, 550.0, 1e-13);
    /* slow convergence near q = 1: r = 0.999, d = 0.001, q ~ 0.998;
     * infinite form 1.001 / 0.002 = 500.5; after 20000 terms the remainder
     * 500.5 q^20000 is ~ 2e-15 */
    ck_assert_ok(libcs_ltv_discounted(1, 1, 0.999, 0.001, &inf_form));
    ck_assert_close(inf_form, 500.5, 1e-12);
    ck_assert_ok(
        libcs_ltv_discounted_horizon(1, 1, 0.999, 0.001, 20000, &out));
    ck_assert_close(out, inf_form, 1e-11);
}
END_TEST

START_TEST(test_horizon_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_discounted_horizon(100, 1, 0.9, 0.1, 3, NULL),
                     LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted_horizon(
                                         x, 1, 0.9, 0.1, 3, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted_horizon(
                                         100, x, 0.9, 0.1, 3, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted_horizon(
                                         100, 1, x, 0.1, 3, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_discounted_horizon(
                                         100, 1, 0.9, x, 3, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_discounted_horizon(-100, 1, 0.9, 0.1, 3, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, -1, 0.9, 0.1, 3, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, 2, 0.9, 0.1, 3, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, 1, -0.9, 0.1, 3, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, 1, 1.9, 0.1, 3, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, 1, 0.9, -1.0, 3, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, 1, 0.9, -3.0, 3, &out),
                    LIBCS_EDOMAIN, out);
    /* domain errors are found even when nothing would be paid (N = 0) */
    ck_assert_fails(libcs_ltv_discounted_horizon(-100, 1, 0.9, 0.1, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(100, 1, 0.9, NAN, 0, &out),
                    LIBCS_ENONFINITE, out);
    /* q = 2 over 2000 periods: 2^2000 - 1 */
    ck_assert_fails(libcs_ltv_discounted_horizon(1, 1, 1.0, -0.5, 2000, &out),
                    LIBCS_EOVERFLOW, out);
    /* q = 1: 1e300 x 4294967295 */
    ck_assert_fails(
        libcs_ltv_discounted_horizon(1e300, 1, 1.0, 0.0, UINT32_MAX, &out),
        LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_discounted_horizon(-1, 1, INFINITY, 0.1, 3,
                                                 &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_discounted_horizon(1, 1, 1.0, -1.0, 2000, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_horizon_batch_errors)
{
    double a[NB], m[NB], r[NB], d[NB], out[NB];
    uint32_t n[NB];
    size_t bad;
    fill(a, NB, 100.0);
    fill(m, NB, 1.0);
    fill(r, NB, 0.9);
    fill(d, NB, 0.1);
    for (size_t i = 0; i < NB; i++)
        n[i] = 3;
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(NB, NULL, m, r, d,
                                                          n, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(NB, a, NULL, r, d,
                                                          n, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(NB, a, m, NULL, d,
                                                          n, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(NB, a, m, r, NULL,
                                                          n, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(NB, a, m, r, d,
                                                          NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_discounted_horizon_batch(NB, a, m, r, d, n,
                                                        NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(0, a, m, r, d, n,
                                                          out, &bad),
                       LIBCS_EEMPTY, out);
    /* index 2 overflows (q = 2, N = 2000), index 5 has a NaN */
    r[2] = 1.0;
    d[2] = -0.5;
    n[2] = 2000;
    a[5] = NAN;
    ck_assert_batch_fails(libcs_ltv_discounted_horizon_batch(NB, a, m, r, d,
                                                             n, out, &bad),
                          LIBCS_EOVERFLOW, out, bad, 2);
    ck_assert_batch_rc(libcs_ltv_discounted_horizon_batch(NB, a, m, r, d, n,
                                                          out, NULL),
                       LIBCS_EOVERFLOW, out);
    n[2] = 10;
    ck_assert_batch_fails(libcs_ltv_discounted_horizon_batch(NB, a, m, r, d,
                                                             n, out, &bad),
                          LIBCS_ENONFINITE, out, bad, 5);
    a[5] = 100.0;
    ck_assert_ok(libcs_ltv_discounted_horizon_batch(NB, a, m, r, d, n, out,
                                                    &bad));
    ck_assert_close(out[2], 100.0 * 1023.0, 1e-13);
    ck_assert_close(out[0], 30100.0 / 121.0, 1e-14);
}
END_TEST

START_TEST(test_horizon_batch_matches_scalar)
{
    double a[NR], m[NR], r[NR], d[NR], out[NR];
    uint32_t n[NR];
    rng_seed(107);
    for (size_t i = 0; i < NR; i++) {
        a[i] = rng_uniform(0.0, 1000.0);
        m[i] = rng_uniform(0.0, 1.0);
        r[i] = rng_uniform(0.0, 1.0);
        d[i] = rng_uniform(-0.5, 0.5); /* q may exceed 1: still finite */
        n[i] = (uint32_t)(rng_u64() % 241);
    }
    r[0] = 0.0; /* the special cases too */
    n[1] = 0;
    r[2] = 1.0;
    d[2] = 0.0;
    ck_assert_ok(libcs_ltv_discounted_horizon_batch(NR, a, m, r, d, n, out,
                                                    NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(
            libcs_ltv_discounted_horizon(a[i], m[i], r[i], d[i], n[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        double want = a[i] * m[i] * geometric_loop(r[i] / (1.0 + d[i]), n[i]);
        ck_assert_msg(fabs(one - want) <= 1e-11 * fmax(1.0, want),
                      "element %zu: %.17g, loop %.17g", i, one, want);
    }
}
END_TEST

/* ---- libcs_ltv_lifetime ------------------------------------------------- */

START_TEST(test_lifetime_examples)
{
    double out;
    /* expected lifetime 1 / churn: 5 % -> 20 periods */
    ck_assert_ok(libcs_ltv_lifetime(0.05, &out));
    ck_assert_close(out, 20.0, 1e-14);
    /* 25 % -> 4; 100 % -> 1; 3 % -> 33.33... */
    ck_assert_ok(libcs_ltv_lifetime(0.25, &out));
    ck_assert_close(out, 4.0, 0.0);
    ck_assert_ok(libcs_ltv_lifetime(1.0, &out));
    ck_assert_close(out, 1.0, 0.0);
    ck_assert_ok(libcs_ltv_lifetime(0.03, &out));
    ck_assert_close(out, 100.0 / 3.0, 1e-14);
}
END_TEST

START_TEST(test_lifetime_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_lifetime(0.05, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_ltv_lifetime(NAN, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_lifetime(x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_lifetime(-0.05, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_lifetime(1.05, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_lifetime(0.0, &out), LIBCS_EUNDEFINED, out);
    /* 1 / 1e-320 (subnormal) = 1e320 > DBL_MAX */
    ck_assert_fails(libcs_ltv_lifetime(1e-320, &out), LIBCS_EOVERFLOW, out);
}
END_TEST

START_TEST(test_lifetime_batch_errors)
{
    double c[NB], out[NB];
    size_t bad;
    fill(c, NB, 0.05);
    ck_assert_batch_rc(libcs_ltv_lifetime_batch(NB, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_lifetime_batch(NB, c, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_lifetime_batch(0, c, out, &bad),
                       LIBCS_EEMPTY, out);
    c[4] = 0.0;
    c[6] = -INFINITY;
    ck_assert_batch_fails(libcs_ltv_lifetime_batch(NB, c, out, &bad),
                          LIBCS_EUNDEFINED, out, bad, 4);
    ck_assert_batch_rc(libcs_ltv_lifetime_batch(NB, c, out, NULL),
                       LIBCS_EUNDEFINED, out);
    c[4] = 0.5;
    ck_assert_batch_fails(libcs_ltv_lifetime_batch(NB, c, out, &bad),
                          LIBCS_ENONFINITE, out, bad, 6);
    c[6] = 1e-320;
    ck_assert_batch_fails(libcs_ltv_lifetime_batch(NB, c, out, &bad),
                          LIBCS_EOVERFLOW, out, bad, 6);
    c[6] = 0.1;
    ck_assert_ok(libcs_ltv_lifetime_batch(NB, c, out, &bad));
    ck_assert_close(out[0], 20.0, 1e-14);
    ck_assert_close(out[4], 2.0, 0.0);
    ck_assert_close(out[6], 10.0, 1e-14);
}
END_TEST

START_TEST(test_lifetime_batch_matches_scalar)
{
    double c[NR], out[NR];
    rng_seed(108);
    for (size_t i = 0; i < NR; i++)
        c[i] = rng_uniform(1e-6, 1.0);
    ck_assert_ok(libcs_ltv_lifetime_batch(NR, c, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_lifetime(c[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        ck_assert_close(one * c[i], 1.0, 1e-15);
    }
}
END_TEST

/* ---- libcs_ltv_cac_ratio ------------------------------------------------ */

START_TEST(test_cac_ratio_examples)
{
    double out;
    /* LTV : CAC = 3000 / 1000 = 3 (the usual 3:1 target) */
    ck_assert_ok(libcs_ltv_cac_ratio(3000.0, 1000.0, &out));
    ck_assert_close(out, 3.0, 0.0);
    /* 1600 / 500 = 3.2 */
    ck_assert_ok(libcs_ltv_cac_ratio(1600.0, 500.0, &out));
    ck_assert_close(out, 3.2, 1e-15);
    /* a negative (net) LTV gives a negative ratio: -500 / 250 = -2 */
    ck_assert_ok(libcs_ltv_cac_ratio(-500.0, 250.0, &out));
    ck_assert_close(out, -2.0, 0.0);
    ck_assert_ok(libcs_ltv_cac_ratio(0.0, 250.0, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* chained with subscription LTV: 100 / 0.05 = 2000, CAC 800 -> 2.5 */
    double ltv;
    ck_assert_ok(libcs_ltv_subscription(100.0, 1.0, 0.05, &ltv));
    ck_assert_ok(libcs_ltv_cac_ratio(ltv, 800.0, &out));
    ck_assert_close(out, 2.5, 1e-14);
}
END_TEST

START_TEST(test_cac_ratio_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_cac_ratio(3000.0, 1000.0, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_ltv_cac_ratio(3000.0, 0.0, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_cac_ratio(x, 1000.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_cac_ratio(3000.0, x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_cac_ratio(3000.0, -1000.0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_ltv_cac_ratio(3000.0, 0.0, &out), LIBCS_EUNDEFINED,
                    out);
    /* 1e300 / 1e-300 */
    ck_assert_fails(libcs_ltv_cac_ratio(1e300, 1e-300, &out), LIBCS_EOVERFLOW,
                    out);
    ck_assert_fails(libcs_ltv_cac_ratio(-1e300, 1e-300, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_cac_ratio(NAN, -1000.0, &out), LIBCS_ENONFINITE,
                    out);
    ck_assert_fails(libcs_ltv_cac_ratio(INFINITY, 0.0, &out),
                    LIBCS_ENONFINITE, out);
}
END_TEST

START_TEST(test_cac_ratio_batch_errors)
{
    double l[NB], c[NB], out[NB];
    size_t bad;
    fill(l, NB, 3000.0);
    fill(c, NB, 1000.0);
    ck_assert_batch_rc(libcs_ltv_cac_ratio_batch(NB, NULL, c, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_cac_ratio_batch(NB, l, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_cac_ratio_batch(NB, l, c, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_cac_ratio_batch(0, l, c, out, &bad),
                       LIBCS_EEMPTY, out);
    c[1] = -5.0;
    c[2] = 0.0;
    ck_assert_batch_fails(libcs_ltv_cac_ratio_batch(NB, l, c, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 1);
    ck_assert_batch_rc(libcs_ltv_cac_ratio_batch(NB, l, c, out, NULL),
                       LIBCS_EDOMAIN, out);
    c[1] = 1000.0;
    ck_assert_batch_fails(libcs_ltv_cac_ratio_batch(NB, l, c, out, &bad),
                          LIBCS_EUNDEFINED, out, bad, 2);
    c[2] = 1000.0;
    l[3] = -3000.0;
    ck_assert_ok(libcs_ltv_cac_ratio_batch(NB, l, c, out, &bad));
    ck_assert_close(out[3], -3.0, 0.0);
    ck_assert_close(out[7], 3.0, 0.0);
}
END_TEST

START_TEST(test_cac_ratio_batch_matches_scalar)
{
    double l[NR], c[NR], out[NR];
    rng_seed(109);
    for (size_t i = 0; i < NR; i++) {
        l[i] = rng_uniform(-1000.0, 10000.0);
        c[i] = rng_uniform(1.0, 1000.0);
    }
    ck_assert_ok(libcs_ltv_cac_ratio_batch(NR, l, c, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_cac_ratio(l[i], c[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* ---- libcs_ltv_cac_payback ---------------------------------------------- */

START_TEST(test_cac_payback_examples)
{
    double out;
    /* CAC / (ARPU x margin) = 1200 / (100 x 0.8) = 1200 / 80 = 15 periods */
    ck_assert_ok(libcs_ltv_cac_payback(1200.0, 100.0, 0.8, &out));
    ck_assert_close(out, 15.0, 1e-14);
    /* 500 / (50 x 1) = 10 */
    ck_assert_ok(libcs_ltv_cac_payback(500.0, 50.0, 1.0, &out));
    ck_assert_close(out, 10.0, 0.0);
    /* 300 / (40 x 0.75) = 300 / 30 = 10 */
    ck_assert_ok(libcs_ltv_cac_payback(300.0, 40.0, 0.75, &out));
    ck_assert_close(out, 10.0, 1e-15);
    /* free acquisition pays back at once */
    ck_assert_ok(libcs_ltv_cac_payback(0.0, 40.0, 0.75, &out));
    ck_assert_close(out, 0.0, 0.0);
}
END_TEST

START_TEST(test_cac_payback_errors)
{
    double out;
    ck_assert_int_eq(libcs_ltv_cac_payback(1200, 100, 0.8, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_ltv_cac_payback(1200, 0, 0.8, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_cac_payback(x, 100, 0.8, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_cac_payback(1200, x, 0.8,
                                                           &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_ltv_cac_payback(1200, 100, x,
                                                           &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_ltv_cac_payback(-1200, 100, 0.8, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_cac_payback(1200, -100, 0.8, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_cac_payback(1200, 100, -0.8, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_cac_payback(1200, 100, 1.8, &out),
                    LIBCS_EDOMAIN, out);
    /* nothing earned per period: never pays back */
    ck_assert_fails(libcs_ltv_cac_payback(1200, 0, 0.8, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_ltv_cac_payback(1200, 100, 0.0, &out),
                    LIBCS_EUNDEFINED, out);
    /* 1e300 / (1e-10 x 1) */
    ck_assert_fails(libcs_ltv_cac_payback(1e300, 1e-10, 1.0, &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_ltv_cac_payback(-1200, NAN, 0.8, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_ltv_cac_payback(-1200, 0, 0.8, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_ltv_cac_payback(1200, 0, 1.5, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_cac_payback_batch_errors)
{
    double c[NB], a[NB], m[NB], out[NB];
    size_t bad;
    fill(c, NB, 1200.0);
    fill(a, NB, 100.0);
    fill(m, NB, 0.8);
    ck_assert_batch_rc(libcs_ltv_cac_payback_batch(NB, NULL, a, m, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_cac_payback_batch(NB, c, NULL, m, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_ltv_cac_payback_batch(NB, c, a, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_ltv_cac_payback_batch(NB, c, a, m, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_ltv_cac_payback_batch(0, c, a, m, out, &bad),
                       LIBCS_EEMPTY, out);
    m[0] = 0.0;
    a[7] = -1.0;
    ck_assert_batch_fails(libcs_ltv_cac_payback_batch(NB, c, a, m, out, &bad),
                          LIBCS_EUNDEFINED, out, bad, 0);
    ck_assert_batch_rc(libcs_ltv_cac_payback_batch(NB, c, a, m, out, NULL),
                       LIBCS_EUNDEFINED, out);
    m[0] = 0.8;
    ck_assert_batch_fails(libcs_ltv_cac_payback_batch(NB, c, a, m, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 7);
    a[7] = 100.0;
    ck_assert_ok(libcs_ltv_cac_payback_batch(NB, c, a, m, out, &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 15.0, 1e-14);
}
END_TEST

START_TEST(test_cac_payback_batch_matches_scalar)
{
    double c[NR], a[NR], m[NR], out[NR];
    rng_seed(110);
    for (size_t i = 0; i < NR; i++) {
        c[i] = rng_uniform(0.0, 10000.0);
        a[i] = rng_uniform(1.0, 1000.0);
        m[i] = rng_uniform(0.01, 1.0);
    }
    ck_assert_ok(libcs_ltv_cac_payback_batch(NR, c, a, m, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_ltv_cac_payback(c[i], a[i], m[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        ck_assert_close(one, c[i] / (a[i] * m[i]), 1e-14);
    }
}
END_TEST

/* ---- the suite --------------------------------------------------------- */

static TCase *tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *ltv_suite(void)
{
    Suite *s = suite_create("ltv");
    TCase *tc;

    tc = tcase(s, "simple");
    tcase_add_test(tc, test_simple_examples);
    tcase_add_test(tc, test_simple_errors);
    tcase_add_test(tc, test_simple_batch_errors);
    tcase_add_test(tc, test_simple_batch_matches_scalar);

    tc = tcase(s, "repeat");
    tcase_add_test(tc, test_repeat_examples);
    tcase_add_test(tc, test_repeat_errors);
    tcase_add_test(tc, test_repeat_batch_errors);
    tcase_add_test(tc, test_repeat_batch_matches_scalar);

    tc = tcase(s, "subscription");
    tcase_add_test(tc, test_subscription_examples);
    tcase_add_test(tc, test_subscription_errors);
    tcase_add_test(tc, test_subscription_batch_errors);
    tcase_add_test(tc, test_subscription_batch_matches_scalar);

    tc = tcase(s, "contract");
    tcase_add_test(tc, test_contract_examples);
    tcase_add_test(tc, test_contract_errors);
    tcase_add_test(tc, test_contract_batch_errors);
    tcase_add_test(tc, test_contract_batch_matches_scalar);

    tc = tcase(s, "net");
    tcase_add_test(tc, test_net_examples);
    tcase_add_test(tc, test_net_errors);
    tcase_add_test(tc, test_net_batch_errors);
    tcase_add_test(tc, test_net_batch_matches_scalar);

    tc = tcase(s, "discounted");
    tcase_add_test(tc, test_discounted_examples);
    tcase_add_test(tc, test_discounted_errors);
    tcase_add_test(tc, test_discounted_batch_errors);
    tcase_add_test(tc, test_discounted_batch_matches_scalar);

    tc = tcase(s, "discounted_horizon");
    tcase_add_test(tc, test_horizon_examples);
    tcase_add_test(tc, test_horizon_matches_loop);
    tcase_add_test(tc, test_horizon_converges);
    tcase_add_test(tc, test_horizon_errors);
    tcase_add_test(tc, test_horizon_batch_errors);
    tcase_add_test(tc, test_horizon_batch_matches_scalar);

    tc = tcase(s, "lifetime");
    tcase_add_test(tc, test_lifetime_examples);
    tcase_add_test(tc, test_lifetime_errors);
    tcase_add_test(tc, test_lifetime_batch_errors);
    tcase_add_test(tc, test_lifetime_batch_matches_scalar);

    tc = tcase(s, "cac_ratio");
    tcase_add_test(tc, test_cac_ratio_examples);
    tcase_add_test(tc, test_cac_ratio_errors);
    tcase_add_test(tc, test_cac_ratio_batch_errors);
    tcase_add_test(tc, test_cac_ratio_batch_matches_scalar);

    tc = tcase(s, "cac_payback");
    tcase_add_test(tc, test_cac_payback_examples);
    tcase_add_test(tc, test_cac_payback_errors);
    tcase_add_test(tc, test_cac_payback_batch_errors);
    tcase_add_test(tc, test_cac_payback_batch_matches_scalar);

    return s;
}

int main(void)
{
    return run_suite(ltv_suite());
}
