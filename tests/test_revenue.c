/* tests/test_revenue.c - revenue churn (gross, net, simple), net and gross
 * revenue retention and the SaaS quick ratio from MRR movement totals
 * (libcs_revenue(3)), with their batch twins.
 *
 * Expected values are computed by hand from the formulas in libcs.h (the
 * arithmetic is in the comments); none is copied from the library's output. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "testutil.h"

#define NB 8   /* length of the small batches used for error paths */
#include "batchutil.h"
#define NR 300 /* length of the random batches compared with scalar calls */

/* ---- helpers ----------------------------------------------------------- */

/* a scale for random money: mostly everyday amounts, sometimes near 2^60 */
static int64_t rng_scale(size_t i)
{
    return (i % 4 == 0) ? (INT64_C(1) << 60) : 10000000;
}

/* One random set of MRR movements: churned + contraction <= start. */
static void rng_movements(size_t i, int64_t *start, int64_t *churned,
                          int64_t *contraction, int64_t *expansion,
                          int64_t *reactivation)
{
    int64_t scale = rng_scale(i);
    *start = 1 + rng_int(scale);
    *churned = rng_int(*start / 4);
    *contraction = rng_int(*start - *churned);
    if (i % 7 == 0)
        *contraction = *start - *churned; /* everything lost */
    *expansion = rng_int(scale / 2);
    *reactivation = rng_int(scale / 8);
    if (i % 5 == 0)
        *expansion = *reactivation = 0;
}

/* Worked example, in minor units (cents) for one month:
 *   MRR at start 100000, new 8000, expansion 3000, reactivation 1000,
 *   churned 4000, contraction 2000.
 *   gross churn  = (4000 + 2000) / 100000                 = 0.06
 *   net churn    = (4000 + 2000 - 3000 - 1000) / 100000   = 0.02
 *   NRR          = (100000 - 6000 + 4000) / 100000 = 0.98 = 1 - 0.02
 *   GRR          = (100000 - 6000) / 100000        = 0.94 = 1 - 0.06
 *   quick ratio  = (8000 + 3000 + 1000) / (4000 + 2000)   = 2
 * Net expansion: the same with expansion 9000:
 *   net churn    = (6000 - 10000) / 100000 = -0.04, NRR = 1.04. */
#define EX_START 100000
#define EX_NEW 8000
#define EX_EXP 3000
#define EX_REACT 1000
#define EX_CHURNED 4000
#define EX_CONTR 2000

/* ---- libcs_revenue_churn_gross ------------------------------------------ */

START_TEST(test_gross_examples)
{
    double out;
    ck_assert_ok(libcs_revenue_churn_gross(EX_START, EX_CHURNED, EX_CONTR,
                                           &out));
    ck_assert_close(out, 0.06, 1e-15);
    /* 50000 at start, 1500 churned, 500 contraction: 2000 / 50000 = 0.04 */
    ck_assert_ok(libcs_revenue_churn_gross(50000, 1500, 500, &out));
    ck_assert_close(out, 0.04, 1e-15);
    /* nothing lost / everything lost */
    ck_assert_ok(libcs_revenue_churn_gross(50000, 0, 0, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_revenue_churn_gross(50000, 30000, 20000, &out));
    ck_assert_close(out, 1.0, 0.0);
    /* large amounts without overflow: (2^62 + 2^61) / 2^63-1 ~ 0.75 */
    ck_assert_ok(libcs_revenue_churn_gross(INT64_MAX, INT64_C(1) << 62,
                                           INT64_C(1) << 61, &out));
    ck_assert_close(out, 0.75, 1e-15);
}
END_TEST

START_TEST(test_gross_errors)
{
    double out;
    ck_assert_int_eq(libcs_revenue_churn_gross(100, 1, 1, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_revenue_churn_gross(-100, 1, 1, NULL),
                     LIBCS_EINVAL);
    ck_assert_fails(libcs_revenue_churn_gross(-100, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_gross(100, -1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_gross(100, 1, -1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_gross(INT64_MIN, 0, 0, &out),
                    LIBCS_EDOMAIN, out);
    /* lost more than there was: 60 + 41 > 100 */
    ck_assert_fails(libcs_revenue_churn_gross(100, 60, 41, &out),
                    LIBCS_EDOMAIN, out);
    /* churned + contraction = INT64_MAX + 1: summed in uint64 without
     * overflow, and more than the MRR at start */
    ck_assert_fails(libcs_revenue_churn_gross(INT64_MAX, INT64_MAX, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_gross(10, INT64_MAX, INT64_MAX, &out),
                    LIBCS_EDOMAIN, out);
    /* the largest valid loss: all of INT64_MAX */
    ck_assert_ok(libcs_revenue_churn_gross(INT64_MAX, INT64_MAX - 1, 1, &out));
    ck_assert_close(out, 1.0, 0.0);
    /* no MRR at start: 0 / 0 */
    ck_assert_fails(libcs_revenue_churn_gross(0, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
    /* order */
    ck_assert_fails(libcs_revenue_churn_gross(0, 1, 0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_churn_gross(-1, INT64_MAX, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_gross(0, 0, -1, &out), LIBCS_EDOMAIN,
                    out);
}
END_TEST

START_TEST(test_gross_batch_errors)
{
    int64_t s[NB], c[NB], k[NB];
    double out[NB];
    size_t bad;
    fill_i64(s, NB, EX_START);
    fill_i64(c, NB, EX_CHURNED);
    fill_i64(k, NB, EX_CONTR);
    ck_assert_batch_rc(libcs_revenue_churn_gross_batch(NB, NULL, c, k, out,
                                                       &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_gross_batch(NB, s, NULL, k, out,
                                                       &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_gross_batch(NB, s, c, NULL, out,
                                                       &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_revenue_churn_gross_batch(NB, s, c, k, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_revenue_churn_gross_batch(0, s, c, k, out, &bad),
                       LIBCS_EEMPTY, out);
    s[2] = 0;
    c[2] = 0;
    k[2] = 0; /* undefined */
    c[5] = -1; /* domain */
    ck_assert_batch_fails(libcs_revenue_churn_gross_batch(NB, s, c, k, out,
                                                          &bad),
                          LIBCS_EUNDEFINED, out, bad, 2);
    ck_assert_batch_rc(libcs_revenue_churn_gross_batch(NB, s, c, k, out,
                                                       NULL),
                       LIBCS_EUNDEFINED, out);
    s[2] = EX_START;
    c[2] = EX_CHURNED;
    k[2] = EX_CONTR;
    ck_assert_batch_fails(libcs_revenue_churn_gross_batch(NB, s, c, k, out,
                                                          &bad),
                          LIBCS_EDOMAIN, out, bad, 5);
    c[5] = INT64_MAX; /* with contraction 2000: more than the start */
    ck_assert_batch_fails(libcs_revenue_churn_gross_batch(NB, s, c, k, out,
                                                          &bad),
                          LIBCS_EDOMAIN, out, bad, 5);
    c[5] = EX_CHURNED;
    ck_assert_ok(libcs_revenue_churn_gross_batch(NB, s, c, k, out, &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 0.06, 1e-15);
}
END_TEST

START_TEST(test_gross_batch_matches_scalar)
{
    int64_t s[NR], c[NR], k[NR], e, r;
    double out[NR];
    rng_seed(301);
    for (size_t i = 0; i < NR; i++)
        rng_movements(i, &s[i], &c[i], &k[i], &e, &r);
    ck_assert_ok(libcs_revenue_churn_gross_batch(NR, s, c, k, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_revenue_churn_gross(s[i], c[i], k[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        ck_assert(one >= 0.0 && one <= 1.0);
    }
}
END_TEST

/* ---- libcs_revenue_churn_net -------------------------------------------- */

START_TEST(test_net_examples)
{
    double out;
    ck_assert_ok(libcs_revenue_churn_net(EX_START, EX_CHURNED, EX_CONTR,
                                         EX_EXP, EX_REACT, &out));
    ck_assert_close(out, 0.02, 1e-15);
    /* net expansion: (6000 - 9000 - 1000) / 100000 = -0.04 (negative) */
    ck_assert_ok(libcs_revenue_churn_net(EX_START, EX_CHURNED, EX_CONTR, 9000,
                                         EX_REACT, &out));
    ck_assert_close(out, -0.04, 1e-15);
    ck_assert(out < 0.0);
    /* 50000, churned 1500, contraction 500, expansion 2500:
     * (2000 - 2500) / 50000 = -0.01 */
    ck_assert_ok(libcs_revenue_churn_net(50000, 1500, 500, 2500, 0, &out));
    ck_assert_close(out, -0.01, 1e-15);
    /* without expansion or reactivation net churn equals gross churn */
    double gross;
    ck_assert_ok(libcs_revenue_churn_net(50000, 1500, 500, 0, 0, &out));
    ck_assert_ok(libcs_revenue_churn_gross(50000, 1500, 500, &gross));
    ck_assert_close(out, 0.04, 1e-15);
    ck_assert(out == gross);
    /* gains far above the start: (0 - 300000) / 100000 = -3 */
    ck_assert_ok(libcs_revenue_churn_net(100000, 0, 0, 200000, 100000, &out));
    ck_assert_close(out, -3.0, 0.0);
    /* gains exactly cancel losses */
    ck_assert_ok(libcs_revenue_churn_net(100000, 4000, 2000, 5000, 1000,
                                         &out));
    ck_assert_close(out, 0.0, 0.0);
}
END_TEST

START_TEST(test_net_errors)
{
    double out;
    ck_assert_int_eq(libcs_revenue_churn_net(100, 1, 1, 1, 1, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_revenue_churn_net(-100, 1, 1, 1, 1, NULL),
                     LIBCS_EINVAL);
    ck_assert_fails(libcs_revenue_churn_net(-100, 1, 1, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(100, -1, 1, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(100, 1, -1, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(100, 1, 1, -1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(100, 1, 1, 1, -1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(100, 60, 41, 1000, 0, &out),
                    LIBCS_EDOMAIN, out);
    /* churned + contraction, and expansion + reactivation, = INT64_MAX + 1 */
    /* sums are formed in uint64: the loss is a domain error, the gain a
     * valid (if absurd) -2^63 / 100 */
    ck_assert_fails(libcs_revenue_churn_net(INT64_MAX, INT64_MAX, 1, 0, 0,
                                            &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_ok(libcs_revenue_churn_net(100, 0, 0, INT64_MAX, 1, &out));
    ck_assert_close(out, -92233720368547758.08, 1e-15);
    ck_assert_ok(libcs_revenue_churn_net(100, 0, 0, 1, INT64_MAX, &out));
    ck_assert_close(out, -92233720368547758.08, 1e-15);
    ck_assert_fails(libcs_revenue_churn_net(0, 0, 0, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_revenue_churn_net(0, 0, 0, 500, 0, &out),
                    LIBCS_EUNDEFINED, out);
    /* order */
    ck_assert_fails(libcs_revenue_churn_net(0, 0, 0, -500, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(0, 5, 0, 500, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(-1, INT64_MAX, 1, 0, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(100, 0, 0, INT64_MAX, -1, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

/* Validation order (lib/internal.h, libcs.h): domain errors, then undefined
 * results, then overflow.  A negative expansion is a domain error even when
 * churned + contraction overflows ... */
START_TEST(test_net_order_domain_before_overflow)
{
    double out;
    ck_assert_fails(libcs_revenue_churn_net(10, INT64_MAX, 1, -1, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_net(10, INT64_MAX, 1, 0, -1, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

/* ... and no MRR at start leaves the rate undefined even when expansion +
 * reactivation overflows. */
START_TEST(test_net_order_undefined_before_overflow)
{
    double out;
    ck_assert_fails(libcs_revenue_churn_net(0, 0, 0, INT64_MAX, 1, &out),
                    LIBCS_EUNDEFINED, out);
}
END_TEST

START_TEST(test_net_batch_errors)
{
    int64_t s[NB], c[NB], k[NB], e[NB], r[NB];
    double out[NB];
    size_t bad;
    fill_i64(s, NB, EX_START);
    fill_i64(c, NB, EX_CHURNED);
    fill_i64(k, NB, EX_CONTR);
    fill_i64(e, NB, EX_EXP);
    fill_i64(r, NB, EX_REACT);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(NB, NULL, c, k, e, r, out,
                                                     &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(NB, s, NULL, k, e, r, out,
                                                     &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(NB, s, c, NULL, e, r, out,
                                                     &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(NB, s, c, k, NULL, r, out,
                                                     &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(NB, s, c, k, e, NULL, out,
                                                     &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_revenue_churn_net_batch(NB, s, c, k, e, r, NULL,
                                                   &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(0, s, c, k, e, r, out,
                                                     &bad),
                       LIBCS_EEMPTY, out);
    e[1] = INT64_MAX; /* huge but valid: no overflow in uint64 */
    r[4] = -1;        /* domain */
    ck_assert_batch_fails(libcs_revenue_churn_net_batch(NB, s, c, k, e, r, out,
                                                        &bad),
                          LIBCS_EDOMAIN, out, bad, 4);
    ck_assert_batch_rc(libcs_revenue_churn_net_batch(NB, s, c, k, e, r, out,
                                                     NULL),
                       LIBCS_EDOMAIN, out);
    e[1] = 9000;
    ck_assert_batch_fails(libcs_revenue_churn_net_batch(NB, s, c, k, e, r, out,
                                                        &bad),
                          LIBCS_EDOMAIN, out, bad, 4);
    r[4] = EX_REACT;
    ck_assert_ok(libcs_revenue_churn_net_batch(NB, s, c, k, e, r, out, &bad));
    ck_assert_close(out[1], -0.04, 1e-15);
    ck_assert_close(out[4], 0.02, 1e-15);
}
END_TEST

START_TEST(test_net_batch_matches_scalar)
{
    int64_t s[NR], c[NR], k[NR], e[NR], r[NR];
    double out[NR];
    rng_seed(302);
    for (size_t i = 0; i < NR; i++)
        rng_movements(i, &s[i], &c[i], &k[i], &e[i], &r[i]);
    ck_assert_ok(libcs_revenue_churn_net_batch(NR, s, c, k, e, r, out, NULL));
    int negatives = 0;
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL, gross;
        ck_assert_ok(libcs_revenue_churn_net(s[i], c[i], k[i], e[i], r[i],
                                             &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        /* net churn never exceeds gross churn */
        ck_assert_ok(libcs_revenue_churn_gross(s[i], c[i], k[i], &gross));
        ck_assert(one <= gross);
        negatives += one < 0.0;
    }
    ck_assert_int_gt(negatives, 0); /* net expansion is in the sample */
}
END_TEST

/* ---- libcs_revenue_churn_simple ----------------------------------------- */

START_TEST(test_simple_examples)
{
    double out;
    /* (price x cancellations) / total revenue: 50 x 30 / 10000 = 0.15 */
    ck_assert_ok(libcs_revenue_churn_simple(50, 30, 10000, &out));
    ck_assert_close(out, 0.15, 1e-15);
    /* 2999 cents x 12 cancellations / 1199600 = 35988 / 1199600 = 0.03 */
    ck_assert_ok(libcs_revenue_churn_simple(2999, 12, 1199600, &out));
    ck_assert_close(out, 0.03, 1e-15);
    /* no cancellations, or a free plan: 0 */
    ck_assert_ok(libcs_revenue_churn_simple(50, 0, 10000, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_revenue_churn_simple(0, 30, 10000, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* a large product that fits: 2^31 x 2^31 = 2^62, over 2^63 - 1 */
    ck_assert_ok(libcs_revenue_churn_simple(INT64_C(1) << 31, INT64_C(1) << 31,
                                            INT64_MAX, &out));
    ck_assert_close(out, 0.5, 1e-15);
}
END_TEST

START_TEST(test_simple_errors)
{
    double out;
    ck_assert_int_eq(libcs_revenue_churn_simple(50, 30, 10000, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_revenue_churn_simple(-50, 30, 0, NULL),
                     LIBCS_EINVAL);
    ck_assert_fails(libcs_revenue_churn_simple(-50, 30, 10000, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_simple(50, -30, 10000, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_simple(50, 30, -10000, &out),
                    LIBCS_EDOMAIN, out);
    /* price x cancellations is formed in uint64: 2 (2^63 - 1) fits, and
     * 3 (2^63 - 1) or 2^32 x 2^32 do not */
    ck_assert_ok(libcs_revenue_churn_simple(INT64_MAX, 2, 10000, &out));
    ck_assert_close(out, 1844674407370955.1614, 1e-15);
    ck_assert_fails(libcs_revenue_churn_simple(INT64_MAX, 3, 10000, &out),
                    LIBCS_EOVERFLOW, out);
    ck_assert_fails(libcs_revenue_churn_simple(INT64_C(1) << 32,
                                               INT64_C(1) << 32, 10000, &out),
                    LIBCS_EOVERFLOW, out);
    /* no revenue */
    ck_assert_fails(libcs_revenue_churn_simple(50, 30, 0, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_revenue_churn_simple(50, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
    /* order */
    ck_assert_fails(libcs_revenue_churn_simple(-50, 30, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_churn_simple(INT64_MAX, 2, -1, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

/* undefined (no revenue) before overflow (price x cancellations) */
START_TEST(test_simple_order_undefined_before_overflow)
{
    double out;
    ck_assert_fails(libcs_revenue_churn_simple(INT64_MAX, 2, 0, &out),
                    LIBCS_EUNDEFINED, out);
}
END_TEST

START_TEST(test_simple_batch_errors)
{
    int64_t p[NB], c[NB], t[NB];
    double out[NB];
    size_t bad;
    fill_i64(p, NB, 50);
    fill_i64(c, NB, 30);
    fill_i64(t, NB, 10000);
    ck_assert_batch_rc(libcs_revenue_churn_simple_batch(NB, NULL, c, t, out,
                                                        &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_simple_batch(NB, p, NULL, t, out,
                                                        &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_churn_simple_batch(NB, p, c, NULL, out,
                                                        &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_revenue_churn_simple_batch(NB, p, c, t, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_revenue_churn_simple_batch(0, p, c, t, out,
                                                        &bad),
                       LIBCS_EEMPTY, out);
    p[3] = INT64_MAX; /* overflow */
    t[6] = 0;         /* undefined */
    ck_assert_batch_fails(libcs_revenue_churn_simple_batch(NB, p, c, t, out,
                                                           &bad),
                          LIBCS_EOVERFLOW, out, bad, 3);
    ck_assert_batch_rc(libcs_revenue_churn_simple_batch(NB, p, c, t, out,
                                                        NULL),
                       LIBCS_EOVERFLOW, out);
    p[3] = 100;
    ck_assert_batch_fails(libcs_revenue_churn_simple_batch(NB, p, c, t, out,
                                                           &bad),
                          LIBCS_EUNDEFINED, out, bad, 6);
    t[6] = 10000;
    ck_assert_ok(libcs_revenue_churn_simple_batch(NB, p, c, t, out, &bad));
    ck_assert_close(out[3], 0.3, 1e-15); /* 100 x 30 / 10000 */
    ck_assert_close(out[6], 0.15, 1e-15);
}
END_TEST

START_TEST(test_simple_batch_matches_scalar)
{
    int64_t p[NR], c[NR], t[NR];
    double out[NR];
    rng_seed(303);
    for (size_t i = 0; i < NR; i++) {
        int big = i % 4 == 0;
        p[i] = rng_int(big ? INT64_C(1) << 31 : 100000);
        c[i] = rng_int(big ? INT64_C(1) << 31 : 10000);
        t[i] = 1 + rng_int(big ? INT64_C(1) << 62 : 1000000000);
    }
    ck_assert_ok(libcs_revenue_churn_simple_batch(NR, p, c, t, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_revenue_churn_simple(p[i], c[i], t[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        ck_assert(one >= 0.0);
    }
}
END_TEST

/* ---- libcs_revenue_nrr -------------------------------------------------- */

START_TEST(test_nrr_examples)
{
    double out;
    ck_assert_ok(libcs_revenue_nrr(EX_START, EX_CHURNED, EX_CONTR, EX_EXP,
                                   EX_REACT, &out));
    ck_assert_close(out, 0.98, 1e-15);
    /* net expansion: NRR above 100 %: 1 - (-0.04) = 1.04 */
    ck_assert_ok(libcs_revenue_nrr(EX_START, EX_CHURNED, EX_CONTR, 9000,
                                   EX_REACT, &out));
    ck_assert_close(out, 1.04, 1e-15);
    /* 50000, 1500 + 500 lost, 2500 expansion: (50000 - 2000 + 2500) / 50000
     * = 1.01 */
    ck_assert_ok(libcs_revenue_nrr(50000, 1500, 500, 2500, 0, &out));
    ck_assert_close(out, 1.01, 1e-15);
    /* everything lost, nothing gained: 0 */
    ck_assert_ok(libcs_revenue_nrr(50000, 50000, 0, 0, 0, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* nothing moves: 1 */
    ck_assert_ok(libcs_revenue_nrr(50000, 0, 0, 0, 0, &out));
    ck_assert_close(out, 1.0, 0.0);
    /* NRR = 1 - net churn on the worked example */
    double net;
    ck_assert_ok(libcs_revenue_nrr(EX_START, EX_CHURNED, EX_CONTR, EX_EXP,
                                   EX_REACT, &out));
    ck_assert_ok(libcs_revenue_churn_net(EX_START, EX_CHURNED, EX_CONTR,
                                         EX_EXP, EX_REACT, &net));
    ck_assert_close(out, 1.0 - net, 1e-15);
}
END_TEST

START_TEST(test_nrr_errors)
{
    double out;
    ck_assert_int_eq(libcs_revenue_nrr(100, 1, 1, 1, 1, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_revenue_nrr(0, 0, 0, 0, 0, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_revenue_nrr(-100, 1, 1, 1, 1, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_nrr(100, -1, 1, 1, 1, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_nrr(100, 1, -1, 1, 1, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_nrr(100, 1, 1, -1, 1, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_nrr(100, 1, 1, 1, -1, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_nrr(100, 100, 1, 500, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_nrr(INT64_MAX, INT64_MAX, 1, 0, 0, &out),
                    LIBCS_EDOMAIN, out);
    /* (100 + 2^63) / 100 fits; (2^63 - 1) + 2 (2^63 - 1) does not */
    ck_assert_ok(libcs_revenue_nrr(100, 0, 0, INT64_MAX, 1, &out));
    ck_assert_close(out, 92233720368547759.08, 1e-15);
    ck_assert_fails(libcs_revenue_nrr(INT64_MAX, 0, 0, INT64_MAX, INT64_MAX,
                                      &out),
                    LIBCS_EOVERFLOW, out);
    ck_assert_fails(libcs_revenue_nrr(0, 0, 0, 0, 0, &out), LIBCS_EUNDEFINED,
                    out);
    ck_assert_fails(libcs_revenue_nrr(0, 0, 0, 10, 10, &out),
                    LIBCS_EUNDEFINED, out);
    /* order */
    ck_assert_fails(libcs_revenue_nrr(0, 0, -1, 10, 10, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_revenue_nrr(-1, INT64_MAX, 1, 0, 0, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

/* as for net churn: domain, then undefined, before overflow */
START_TEST(test_nrr_order_domain_before_overflow)
{
    double out;
    ck_assert_fails(libcs_revenue_nrr(10, INT64_MAX, 1, -1, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_nrr(10, INT64_MAX, 1, 0, -1, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_nrr_order_undefined_before_overflow)
{
    double out;
    ck_assert_fails(libcs_revenue_nrr(0, 0, 0, INT64_MAX, 1, &out),
                    LIBCS_EUNDEFINED, out);
}
END_TEST

START_TEST(test_nrr_batch_errors)
{
    int64_t s[NB], c[NB], k[NB], e[NB], r[NB];
    double out[NB];
    size_t bad;
    fill_i64(s, NB, EX_START);
    fill_i64(c, NB, EX_CHURNED);
    fill_i64(k, NB, EX_CONTR);
    fill_i64(e, NB, EX_EXP);
    fill_i64(r, NB, EX_REACT);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(NB, NULL, c, k, e, r, out,
                                               &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(NB, s, NULL, k, e, r, out,
                                               &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(NB, s, c, NULL, e, r, out,
                                               &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(NB, s, c, k, NULL, r, out,
                                               &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(NB, s, c, k, e, NULL, out,
                                               &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_revenue_nrr_batch(NB, s, c, k, e, r, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(0, s, c, k, e, r, out, &bad),
                       LIBCS_EEMPTY, out);
    c[0] = EX_START; /* lost 102000 > 100000 */
    s[7] = 0;
    c[7] = 0;
    k[7] = 0; /* undefined */
    ck_assert_batch_fails(libcs_revenue_nrr_batch(NB, s, c, k, e, r, out,
                                                  &bad),
                          LIBCS_EDOMAIN, out, bad, 0);
    ck_assert_batch_rc(libcs_revenue_nrr_batch(NB, s, c, k, e, r, out, NULL),
                       LIBCS_EDOMAIN, out);
    c[0] = EX_CHURNED;
    ck_assert_batch_fails(libcs_revenue_nrr_batch(NB, s, c, k, e, r, out,
                                                  &bad),
                          LIBCS_EUNDEFINED, out, bad, 7);
    s[7] = EX_START;
    c[7] = EX_CHURNED;
    k[7] = EX_CONTR;
    ck_assert_ok(libcs_revenue_nrr_batch(NB, s, c, k, e, r, out, &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 0.98, 1e-15);
}
END_TEST

START_TEST(test_nrr_batch_matches_scalar)
{
    int64_t s[NR], c[NR], k[NR], e[NR], r[NR];
    double out[NR];
    rng_seed(304);
    for (size_t i = 0; i < NR; i++)
        rng_movements(i, &s[i], &c[i], &k[i], &e[i], &r[i]);
    ck_assert_ok(libcs_revenue_nrr_batch(NR, s, c, k, e, r, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_revenue_nrr(s[i], c[i], k[i], e[i], r[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* NRR = 1 - net churn, NRR >= GRR, NRR >= 0, on random movements.  The two
 * sides are rounded differently ((s - l + g) / s against 1 - (l - g) / s),
 * so they agree to a few units in the last place, not bit for bit. */
START_TEST(test_nrr_is_one_minus_net)
{
    rng_seed(305);
    for (size_t i = 0; i < 5000; i++) {
        int64_t s, c, k, e, r;
        rng_movements(i, &s, &c, &k, &e, &r);
        double nrr, net, grr;
        ck_assert_ok(libcs_revenue_nrr(s, c, k, e, r, &nrr));
        ck_assert_ok(libcs_revenue_churn_net(s, c, k, e, r, &net));
        ck_assert_ok(libcs_revenue_grr(s, c, k, &grr));
        ck_assert_close(nrr, 1.0 - net, 4 * DBL_EPSILON);
        ck_assert(nrr >= grr);
        ck_assert(nrr >= 0.0);
    }
}
END_TEST

/* ---- libcs_revenue_grr -------------------------------------------------- */

START_TEST(test_grr_examples)
{
    double out;
    ck_assert_ok(libcs_revenue_grr(EX_START, EX_CHURNED, EX_CONTR, &out));
    ck_assert_close(out, 0.94, 1e-15);
    /* 50000, 2000 lost: 48000 / 50000 = 0.96 */
    ck_assert_ok(libcs_revenue_grr(50000, 1500, 500, &out));
    ck_assert_close(out, 0.96, 1e-15);
    /* bounds: nothing lost -> 1; everything lost -> 0 */
    ck_assert_ok(libcs_revenue_grr(50000, 0, 0, &out));
    ck_assert_close(out, 1.0, 0.0);
    ck_assert_ok(libcs_revenue_grr(50000, 25000, 25000, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* GRR ignores expansion: the net-expansion example still has GRR 0.94
     * while its NRR is 1.04 */
    double nrr;
    ck_assert_ok(libcs_revenue_nrr(EX_START, EX_CHURNED, EX_CONTR, 9000,
                                   EX_REACT, &nrr));
    ck_assert_ok(libcs_revenue_grr(EX_START, EX_CHURNED, EX_CONTR, &out));
    ck_assert_close(out, 0.94, 1e-15);
    ck_assert(out <= 1.0 && nrr > 1.0);
}
END_TEST

START_TEST(test_grr_errors)
{
    double out;
    ck_assert_int_eq(libcs_revenue_grr(100, 1, 1, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_revenue_grr(0, 0, 0, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_revenue_grr(-100, 1, 1, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_grr(100, -1, 1, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_grr(100, 1, -1, &out), LIBCS_EDOMAIN, out);
    /* 60 + 41 > 100 would make GRR negative */
    ck_assert_fails(libcs_revenue_grr(100, 60, 41, &out), LIBCS_EDOMAIN, out);
    /* losses past INT64_MAX: more than the start, not an overflow */
    ck_assert_fails(libcs_revenue_grr(INT64_MAX, INT64_MAX, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_grr(INT64_MAX, 1, INT64_MAX, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_grr(0, 0, 0, &out), LIBCS_EUNDEFINED, out);
    /* order */
    ck_assert_fails(libcs_revenue_grr(0, 0, 1, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_grr(-5, INT64_MAX, INT64_MAX, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_grr_batch_errors)
{
    int64_t s[NB], c[NB], k[NB];
    double out[NB];
    size_t bad;
    fill_i64(s, NB, EX_START);
    fill_i64(c, NB, EX_CHURNED);
    fill_i64(k, NB, EX_CONTR);
    ck_assert_batch_rc(libcs_revenue_grr_batch(NB, NULL, c, k, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_grr_batch(NB, s, NULL, k, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_grr_batch(NB, s, c, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_revenue_grr_batch(NB, s, c, k, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_revenue_grr_batch(0, s, c, k, out, &bad),
                       LIBCS_EEMPTY, out);
    k[2] = INT64_MAX; /* a loss larger than the start */
    s[3] = -1;        /* domain */
    ck_assert_batch_fails(libcs_revenue_grr_batch(NB, s, c, k, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 2);
    ck_assert_batch_rc(libcs_revenue_grr_batch(NB, s, c, k, out, NULL),
                       LIBCS_EDOMAIN, out);
    k[2] = EX_CONTR;
    ck_assert_batch_fails(libcs_revenue_grr_batch(NB, s, c, k, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 3);
    s[3] = EX_START;
    ck_assert_ok(libcs_revenue_grr_batch(NB, s, c, k, out, &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 0.94, 1e-15);
}
END_TEST

START_TEST(test_grr_batch_matches_scalar)
{
    int64_t s[NR], c[NR], k[NR], e, r;
    double out[NR];
    rng_seed(306);
    for (size_t i = 0; i < NR; i++)
        rng_movements(i, &s[i], &c[i], &k[i], &e, &r);
    ck_assert_ok(libcs_revenue_grr_batch(NR, s, c, k, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_revenue_grr(s[i], c[i], k[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* 0 <= GRR <= 1 and GRR = 1 - gross churn, on random movements */
START_TEST(test_grr_bounds)
{
    rng_seed(307);
    for (size_t i = 0; i < 5000; i++) {
        int64_t s, c, k, e, r;
        rng_movements(i, &s, &c, &k, &e, &r);
        double grr, gross;
        ck_assert_ok(libcs_revenue_grr(s, c, k, &grr));
        ck_assert_ok(libcs_revenue_churn_gross(s, c, k, &gross));
        ck_assert_msg(grr >= 0.0 && grr <= 1.0, "GRR %.17g", grr);
        ck_assert_close(grr, 1.0 - gross, 2 * DBL_EPSILON);
    }
}
END_TEST

/* ---- libcs_revenue_quick_ratio ------------------------------------------ */

START_TEST(test_quick_ratio_examples)
{
    double out;
    ck_assert_ok(libcs_revenue_quick_ratio(EX_NEW, EX_EXP, EX_REACT,
                                           EX_CHURNED, EX_CONTR, &out));
    ck_assert_close(out, 2.0, 0.0);
    /* new 4000, expansion 2500, churned 1500, contraction 500:
     * 6500 / 2000 = 3.25 */
    ck_assert_ok(libcs_revenue_quick_ratio(4000, 2500, 0, 1500, 500, &out));
    ck_assert_close(out, 3.25, 0.0);
    /* shrinking: 1000 gained against 4000 lost = 0.25 */
    ck_assert_ok(libcs_revenue_quick_ratio(500, 300, 200, 3000, 1000, &out));
    ck_assert_close(out, 0.25, 0.0);
    /* nothing gained: 0 */
    ck_assert_ok(libcs_revenue_quick_ratio(0, 0, 0, 3000, 0, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* only contraction in the denominator: 900 / 300 = 3 */
    ck_assert_ok(libcs_revenue_quick_ratio(900, 0, 0, 0, 300, &out));
    ck_assert_close(out, 3.0, 0.0);
}
END_TEST

START_TEST(test_quick_ratio_errors)
{
    double out;
    ck_assert_int_eq(libcs_revenue_quick_ratio(1, 1, 1, 1, 1, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_revenue_quick_ratio(1, 1, 1, 0, 0, NULL),
                     LIBCS_EINVAL);
    ck_assert_fails(libcs_revenue_quick_ratio(-1, 1, 1, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_quick_ratio(1, -1, 1, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_quick_ratio(1, 1, -1, 1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_quick_ratio(1, 1, 1, -1, 1, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_quick_ratio(1, 1, 1, 1, -1, &out),
                    LIBCS_EDOMAIN, out);
    /* nothing lost: the ratio is undefined */
    ck_assert_fails(libcs_revenue_quick_ratio(8000, 3000, 1000, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_revenue_quick_ratio(0, 0, 0, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
    /* sums in uint64: INT64_MAX + 1 fits (2^63 / 1, 1 / 2^63); three
     * times INT64_MAX, or 2 INT64_MAX + 2 = 2^64, does not */
    ck_assert_ok(libcs_revenue_quick_ratio(INT64_MAX, 1, 0, 1, 0, &out));
    ck_assert_close(out, 9223372036854775808.0, 1e-15);
    ck_assert_ok(libcs_revenue_quick_ratio(1, 0, 0, INT64_MAX, 1, &out));
    ck_assert_close(out * 9223372036854775808.0, 1.0, 1e-15);
    ck_assert_fails(libcs_revenue_quick_ratio(INT64_MAX, INT64_MAX, INT64_MAX,
                                              1, 0, &out),
                    LIBCS_EOVERFLOW, out);
    ck_assert_fails(libcs_revenue_quick_ratio(INT64_MAX, INT64_MAX, 2, 1, 0,
                                              &out),
                    LIBCS_EOVERFLOW, out);
    /* order */
    ck_assert_fails(libcs_revenue_quick_ratio(-1, 0, 0, 0, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_quick_ratio(INT64_MAX, 1, 0, -1, 0, &out),
                    LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_revenue_quick_ratio(1, 0, -1, INT64_MAX, 1, &out),
                    LIBCS_EDOMAIN, out);
}
END_TEST

/* undefined (nothing lost) before overflow (in the gains) */
START_TEST(test_quick_ratio_order_undefined_before_overflow)
{
    double out;
    ck_assert_fails(libcs_revenue_quick_ratio(INT64_MAX, 1, 0, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_revenue_quick_ratio(0, INT64_MAX, 1, 0, 0, &out),
                    LIBCS_EUNDEFINED, out);
}
END_TEST

START_TEST(test_quick_ratio_batch_errors)
{
    int64_t nw[NB], e[NB], r[NB], c[NB], k[NB];
    double out[NB];
    size_t bad;
    fill_i64(nw, NB, EX_NEW);
    fill_i64(e, NB, EX_EXP);
    fill_i64(r, NB, EX_REACT);
    fill_i64(c, NB, EX_CHURNED);
    fill_i64(k, NB, EX_CONTR);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(NB, NULL, e, r, c, k,
                                                       out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(NB, nw, NULL, r, c, k,
                                                       out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(NB, nw, e, NULL, c, k,
                                                       out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(NB, nw, e, r, NULL, k,
                                                       out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, NULL,
                                                       out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, k, NULL,
                                                     &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(0, nw, e, r, c, k, out,
                                                       &bad),
                       LIBCS_EEMPTY, out);
    c[2] = 0;
    k[2] = 0; /* undefined */
    r[5] = -3; /* domain */
    ck_assert_batch_fails(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, k,
                                                          out, &bad),
                          LIBCS_EUNDEFINED, out, bad, 2);
    ck_assert_batch_rc(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, k,
                                                       out, NULL),
                       LIBCS_EUNDEFINED, out);
    c[2] = EX_CHURNED;
    k[2] = EX_CONTR;
    ck_assert_batch_fails(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, k,
                                                          out, &bad),
                          LIBCS_EDOMAIN, out, bad, 5);
    r[5] = EX_REACT;
    /* overflow in the last element only: new + expansion + reactivation =
     * 3 (2^63 - 1) does not fit in 64 unsigned bits */
    nw[NB - 1] = e[NB - 1] = r[NB - 1] = INT64_MAX;
    ck_assert_batch_fails(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, k,
                                                          out, &bad),
                          LIBCS_EOVERFLOW, out, bad, NB - 1);
    nw[NB - 1] = EX_NEW;
    e[NB - 1] = EX_EXP;
    r[NB - 1] = EX_REACT;
    ck_assert_ok(libcs_revenue_quick_ratio_batch(NB, nw, e, r, c, k, out,
                                                 &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 2.0, 0.0);
}
END_TEST

START_TEST(test_quick_ratio_batch_matches_scalar)
{
    int64_t nw[NR], e[NR], r[NR], c[NR], k[NR];
    double out[NR];
    rng_seed(308);
    for (size_t i = 0; i < NR; i++) {
        int64_t scale = rng_scale(i);
        nw[i] = rng_int(scale);
        e[i] = rng_int(scale);
        r[i] = rng_int(scale / 4);
        c[i] = 1 + rng_int(scale);
        k[i] = rng_int(scale);
    }
    ck_assert_ok(libcs_revenue_quick_ratio_batch(NR, nw, e, r, c, k, out,
                                                 NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_revenue_quick_ratio(nw[i], e[i], r[i], c[i], k[i],
                                               &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        ck_assert(one >= 0.0);
        /* and agrees with the formula, summed in long double */
        long double want = ((long double)nw[i] + e[i] + r[i]) /
                           ((long double)c[i] + k[i]);
        ck_assert_close(one, (double)want, 4 * DBL_EPSILON);
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

static Suite *revenue_suite(void)
{
    Suite *s = suite_create("revenue");
    TCase *tc;

    tc = tcase(s, "churn_gross");
    tcase_add_test(tc, test_gross_examples);
    tcase_add_test(tc, test_gross_errors);
    tcase_add_test(tc, test_gross_batch_errors);
    tcase_add_test(tc, test_gross_batch_matches_scalar);

    tc = tcase(s, "churn_net");
    tcase_add_test(tc, test_net_examples);
    tcase_add_test(tc, test_net_errors);
    tcase_add_test(tc, test_net_order_domain_before_overflow);
    tcase_add_test(tc, test_net_order_undefined_before_overflow);
    tcase_add_test(tc, test_net_batch_errors);
    tcase_add_test(tc, test_net_batch_matches_scalar);

    tc = tcase(s, "churn_simple");
    tcase_add_test(tc, test_simple_examples);
    tcase_add_test(tc, test_simple_errors);
    tcase_add_test(tc, test_simple_order_undefined_before_overflow);
    tcase_add_test(tc, test_simple_batch_errors);
    tcase_add_test(tc, test_simple_batch_matches_scalar);

    tc = tcase(s, "nrr");
    tcase_add_test(tc, test_nrr_examples);
    tcase_add_test(tc, test_nrr_errors);
    tcase_add_test(tc, test_nrr_order_domain_before_overflow);
    tcase_add_test(tc, test_nrr_order_undefined_before_overflow);
    tcase_add_test(tc, test_nrr_batch_errors);
    tcase_add_test(tc, test_nrr_batch_matches_scalar);
    tcase_add_test(tc, test_nrr_is_one_minus_net);

    tc = tcase(s, "grr");
    tcase_add_test(tc, test_grr_examples);
    tcase_add_test(tc, test_grr_errors);
    tcase_add_test(tc, test_grr_batch_errors);
    tcase_add_test(tc, test_grr_batch_matches_scalar);
    tcase_add_test(tc, test_grr_bounds);

    tc = tcase(s, "quick_ratio");
    tcase_add_test(tc, test_quick_ratio_examples);
    tcase_add_test(tc, test_quick_ratio_errors);
    tcase_add_test(tc, test_quick_ratio_order_undefined_before_overflow);
    tcase_add_test(tc, test_quick_ratio_batch_errors);
    tcase_add_test(tc, test_quick_ratio_batch_matches_scalar);

    return s;
}

int main(void)
{
    return run_suite(revenue_suite());
}
