/* tests/test_churn.c - customer churn with each denominator, retention, and
 * conversion of churn rates between period lengths (libcs_churn(3)), with
 * their batch twins.
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

#define START LIBCS_CHURN_DENOM_START
#define START_NEW LIBCS_CHURN_DENOM_START_PLUS_NEW
#define AVERAGE LIBCS_CHURN_DENOM_AVERAGE

/* ---- libcs_churn_customer ----------------------------------------------- */

START_TEST(test_customer_examples)
{
    double out;
    /* 100 customers on 1 July, 10 lost by 31 July -> 10 / 100 = 10 % */
    ck_assert_ok(libcs_churn_customer(100, 0, 10, START, &out));
    ck_assert_close(out, 0.10, 1e-15);
    /* the same month with 20 sign-ups: start, 100 -> 10 / 100 = 0.1;
     * start + new, 120 -> 10 / 120 = 1/12; average of start 100 and end
     * 100 + 20 - 10 = 110, i.e. 105 -> 10 / 105 = 2/21 */
    ck_assert_ok(libcs_churn_customer(100, 20, 10, START, &out));
    ck_assert_close(out, 0.10, 1e-15);
    ck_assert_ok(libcs_churn_customer(100, 20, 10, START_NEW, &out));
    ck_assert_close(out, 1.0 / 12.0, 1e-15);
    ck_assert_ok(libcs_churn_customer(100, 20, 10, AVERAGE, &out));
    ck_assert_close(out, 2.0 / 21.0, 1e-15);
    /* no sign-ups: start and start + new agree; average of 100 and 90 is 95
     * -> 10 / 95 = 2/19 */
    ck_assert_ok(libcs_churn_customer(100, 0, 10, START_NEW, &out));
    ck_assert_close(out, 0.10, 1e-15);
    ck_assert_ok(libcs_churn_customer(100, 0, 10, AVERAGE, &out));
    ck_assert_close(out, 2.0 / 19.0, 1e-15);
    /* 2000 customers, 150 new, 70 lost: 70/2000 = 0.035, 70/2150,
     * average (2000 + 2080) / 2 = 2040 -> 70 / 2040 */
    ck_assert_ok(libcs_churn_customer(2000, 150, 70, START, &out));
    ck_assert_close(out, 0.035, 1e-15);
    ck_assert_ok(libcs_churn_customer(2000, 150, 70, START_NEW, &out));
    ck_assert_close(out, 70.0 / 2150.0, 1e-15);
    ck_assert_ok(libcs_churn_customer(2000, 150, 70, AVERAGE, &out));
    ck_assert_close(out, 70.0 / 2040.0, 1e-15);
    /* nobody lost -> 0 with every denominator */
    ck_assert_ok(libcs_churn_customer(100, 5, 0, START, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_churn_customer(100, 5, 0, START_NEW, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_churn_customer(100, 5, 0, AVERAGE, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* everyone lost: start -> 1; average of 50 and 0 is 25 -> 50/25 = 2 */
    ck_assert_ok(libcs_churn_customer(50, 0, 50, START, &out));
    ck_assert_close(out, 1.0, 0.0);
    ck_assert_ok(libcs_churn_customer(50, 0, 50, AVERAGE, &out));
    ck_assert_close(out, 2.0, 0.0);
    /* with the start denominator, customers gained and lost within the
     * period can push the rate above 1: 10 at start, 10 new, 15 lost -> 1.5;
     * start + new: 15/20 = 0.75 */
    ck_assert_ok(libcs_churn_customer(10, 10, 15, START, &out));
    ck_assert_close(out, 1.5, 0.0);
    ck_assert_ok(libcs_churn_customer(10, 10, 15, START_NEW, &out));
    ck_assert_close(out, 0.75, 0.0);
    /* large counts that do not overflow: (INT64_MAX - 5) + 5 = INT64_MAX */
    ck_assert_ok(libcs_churn_customer(INT64_MAX - 5, 5, 0, START_NEW, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_churn_customer(INT64_MAX, 0, INT64_MAX, START, &out));
    ck_assert_close(out, 1.0, 0.0);
    /* 2^62 at start, 2^61 lost: 0.5 */
    ck_assert_ok(libcs_churn_customer(INT64_C(1) << 62, 0, INT64_C(1) << 61,
                                      START_NEW, &out));
    ck_assert_close(out, 0.5, 0.0);
}
END_TEST

START_TEST(test_customer_errors)
{
    double out;
    ck_assert_int_eq(libcs_churn_customer(100, 0, 10, START, NULL),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_churn_customer(-100, 0, 10, START, NULL),
                     LIBCS_EINVAL);
    /* unknown denominator */
    ck_assert_fails(libcs_churn_customer(100, 0, 10, 3, &out), LIBCS_EINVAL,
                    out);
    ck_assert_fails(libcs_churn_customer(100, 0, 10, -1, &out), LIBCS_EINVAL,
                    out);
    ck_assert_fails(libcs_churn_customer(100, 0, 10, 1000, &out),
                    LIBCS_EINVAL, out);
    /* negative counts, for each denominator */
    for (int den = START; den <= AVERAGE; den++) {
        ck_assert_fails(libcs_churn_customer(-1, 0, 0, den, &out),
                        LIBCS_EDOMAIN, out);
        ck_assert_fails(libcs_churn_customer(100, -1, 10, den, &out),
                        LIBCS_EDOMAIN, out);
        ck_assert_fails(libcs_churn_customer(100, 0, -10, den, &out),
                        LIBCS_EDOMAIN, out);
        ck_assert_fails(libcs_churn_customer(INT64_MIN, 0, 0, den, &out),
                        LIBCS_EDOMAIN, out);
        /* more lost than there were: 100 + 20 < 121 */
        ck_assert_fails(libcs_churn_customer(100, 20, 121, den, &out),
                        LIBCS_EDOMAIN, out);
        ck_assert_fails(libcs_churn_customer(0, 0, 1, den, &out),
                        LIBCS_EDOMAIN, out);
        /* INT64_MAX + 1 customers exposed: counts are summed in uint64, so
         * huge populations still give exact rates, never an overflow */
        ck_assert_ok(libcs_churn_customer(INT64_MAX, 1, 0, den, &out));
        ck_assert_close(out, 0.0, 0.0);
        ck_assert_ok(libcs_churn_customer(INT64_MAX, INT64_MAX, INT64_MAX,
                                          den, &out));
        /* start 2^63 - 1 (2^63 as a double); start + new 2^64 - 2 (2^64);
         * end = 2^63 - 1: start 1, start + new 1/2, average 1 */
        ck_assert_close(out, den == START_NEW ? 0.5 : 1.0, 1e-15);
        /* a negative count is a domain error even beside huge counts */
        ck_assert_fails(libcs_churn_customer(INT64_MAX, 1, -1, den, &out),
                        LIBCS_EDOMAIN, out);
        /* order: an unknown denominator is reported before the rest */
        ck_assert_fails(libcs_churn_customer(-1, 0, 5, den + 3, &out),
                        LIBCS_EINVAL, out);
        /* nobody to lose: 0 / 0 */
        ck_assert_fails(libcs_churn_customer(0, 0, 0, den, &out),
                        LIBCS_EUNDEFINED, out);
    }
    /* zero denominators specific to each form: no customers at the start
     * (start form), none at start or end (average form) */
    ck_assert_fails(libcs_churn_customer(0, 5, 0, START, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_churn_customer(0, 5, 3, START, &out),
                    LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_churn_customer(0, 3, 3, AVERAGE, &out),
                    LIBCS_EUNDEFINED, out);
    /* ... and the same inputs are fine with the other denominators:
     * 3 / (0 + 5) = 0.6; 3 / ((0 + 2) / 2) = 3 */
    ck_assert_ok(libcs_churn_customer(0, 5, 3, START_NEW, &out));
    ck_assert_close(out, 0.6, 1e-15);
    ck_assert_ok(libcs_churn_customer(0, 5, 3, AVERAGE, &out));
    ck_assert_close(out, 3.0, 0.0);
    /* order: more lost than exposed beats the zero denominator */
    ck_assert_fails(libcs_churn_customer(0, 2, 3, START, &out), LIBCS_EDOMAIN,
                    out);
}
END_TEST

/* The average denominator (start + end) / 2 never exceeds max(start, end),
 * so it fits whenever start + new does: only start + new may overflow.
 *   start INT64_MAX, nobody new or lost: 0 / INT64_MAX = 0;
 *   start 2^63 - 11, 10 new, 10 lost: end = start, 10 / start = 1.0842e-18 */
START_TEST(test_customer_average_large)
{
    double out;
    ck_assert_ok(libcs_churn_customer(INT64_MAX, 0, 0, AVERAGE, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_churn_customer(INT64_MAX - 10, 10, 10, AVERAGE, &out));
    ck_assert_close(out, 10.0 / 9223372036854775797.0, 1e-30);
    ck_assert_ok(libcs_churn_customer(INT64_C(1) << 62, 0, INT64_C(1) << 61,
                                      AVERAGE, &out));
    /* 2^61 / ((2^62 + 2^61) / 2) = 2/3 */
    ck_assert_close(out, 2.0 / 3.0, 1e-15);
}
END_TEST

START_TEST(test_customer_batch_errors)
{
    int64_t s[NB], nw[NB], c[NB];
    double out[NB];
    size_t bad;
    fill_i64(s, NB, 100);
    fill_i64(nw, NB, 20);
    fill_i64(c, NB, 10);
    ck_assert_batch_rc(libcs_churn_customer_batch(NB, NULL, nw, c, START, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_churn_customer_batch(NB, s, NULL, c, START, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_churn_customer_batch(NB, s, nw, NULL, START, out,
                                                  &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_churn_customer_batch(NB, s, nw, c, START, NULL,
                                                &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_churn_customer_batch(0, s, nw, c, START, out,
                                                  &bad),
                       LIBCS_EEMPTY, out);
    /* an unknown denominator fails the whole batch */
    ck_assert_batch_rc(libcs_churn_customer_batch(NB, s, nw, c, 7, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_churn_customer_batch(NB, s, nw, c, -1, out,
                                                  NULL),
                       LIBCS_EINVAL, out);
    /* index 3: more lost than exposed; index 6: a huge but valid count */
    c[3] = 121;
    s[6] = INT64_MAX;
    for (int den = START; den <= AVERAGE; den++) {
        ck_assert_batch_fails(libcs_churn_customer_batch(NB, s, nw, c, den,
                                                         out, &bad),
                              LIBCS_EDOMAIN, out, bad, 3);
        ck_assert_batch_rc(libcs_churn_customer_batch(NB, s, nw, c, den, out,
                                                      NULL),
                           LIBCS_EDOMAIN, out);
    }
    c[3] = 10;
    ck_assert_ok(libcs_churn_customer_batch(NB, s, nw, c, START_NEW, out,
                                            &bad));
    s[6] = 100;
    /* a zero denominator in the last element only */
    s[NB - 1] = 0;
    nw[NB - 1] = 0;
    c[NB - 1] = 0;
    ck_assert_batch_fails(libcs_churn_customer_batch(NB, s, nw, c, AVERAGE,
                                                     out, &bad),
                          LIBCS_EUNDEFINED, out, bad, NB - 1);
    /* and without the last element it succeeds: 10 / 105 */
    ck_assert_ok(libcs_churn_customer_batch(NB - 1, s, nw, c, AVERAGE, out,
                                            &bad));
    for (size_t i = 0; i < NB - 1; i++)
        ck_assert_close(out[i], 2.0 / 21.0, 1e-15);
}
END_TEST

START_TEST(test_customer_batch_matches_scalar)
{
    int64_t s[NR], nw[NR], c[NR];
    double out[NR];
    rng_seed(201);
    for (size_t i = 0; i < NR; i++) {
        /* mostly small counts, some near 2^60 */
        int64_t scale = (i % 5 == 0) ? (INT64_C(1) << 60) : 100000;
        s[i] = 1 + rng_int(scale);
        nw[i] = rng_int(scale / 10);
        c[i] = rng_int(s[i] + nw[i]);
    }
    for (int den = START; den <= AVERAGE; den++) {
        fill(out, NR, SENTINEL); /* s >= 1: no zero denominators */
        ck_assert_ok(libcs_churn_customer_batch(NR, s, nw, c, den, out, NULL));
        for (size_t i = 0; i < NR; i++) {
            double one = SENTINEL;
            ck_assert_ok(libcs_churn_customer(s[i], nw[i], c[i], den, &one));
            ck_assert_msg(out[i] == one, "den %d element %zu: %.17g vs %.17g",
                          den, i, out[i], one);
        }
    }
}
END_TEST

/* churn with the start denominator is never below churn over start + new,
 * and start + new churn is in [0, 1] */
START_TEST(test_customer_denominator_order)
{
    rng_seed(202);
    for (int i = 0; i < 2000; i++) {
        int64_t scale = (i % 3 == 0) ? (INT64_C(1) << 61) : 1000;
        int64_t s = 1 + rng_int(scale);
        int64_t nw = rng_int(scale);
        int64_t c = rng_int(s + nw);
        double a, b, avg;
        ck_assert_ok(libcs_churn_customer(s, nw, c, START, &a));
        ck_assert_ok(libcs_churn_customer(s, nw, c, START_NEW, &b));
        ck_assert_ok(libcs_churn_customer(s, nw, c, AVERAGE, &avg));
        ck_assert_msg(a >= b, "start %lld new %lld churned %lld: %.17g < %.17g",
                      (long long)s, (long long)nw, (long long)c, a, b);
        ck_assert(b >= 0.0 && b <= 1.0);
        ck_assert(a >= 0.0 && avg >= 0.0);
        /* with no sign-ups the two agree exactly */
        ck_assert_ok(libcs_churn_customer(s, 0, c > s ? s : c, START, &a));
        ck_assert_ok(libcs_churn_customer(s, 0, c > s ? s : c, START_NEW, &b));
        ck_assert(a == b);
    }
}
END_TEST

/* ---- libcs_churn_retention ---------------------------------------------- */

START_TEST(test_retention_examples)
{
    double out;
    /* retention = 1 - churn: 10 % churn -> 90 % retained */
    ck_assert_ok(libcs_churn_retention(0.10, &out));
    ck_assert_close(out, 0.90, 1e-15);
    ck_assert_ok(libcs_churn_retention(0.25, &out));
    ck_assert_close(out, 0.75, 0.0);
    ck_assert_ok(libcs_churn_retention(0.0, &out));
    ck_assert_close(out, 1.0, 0.0);
    ck_assert_ok(libcs_churn_retention(1.0, &out));
    ck_assert_close(out, 0.0, 0.0);
    /* from a customer churn: 100 at start, 10 lost -> 0.9 retained */
    double c;
    ck_assert_ok(libcs_churn_customer(100, 0, 10, START, &c));
    ck_assert_ok(libcs_churn_retention(c, &out));
    ck_assert_close(out, 0.9, 1e-15);
}
END_TEST

START_TEST(test_retention_errors)
{
    double out;
    ck_assert_int_eq(libcs_churn_retention(0.1, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_churn_retention(NAN, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_churn_retention(x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_churn_retention(-0.01, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_churn_retention(1.01, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_churn_retention(5.0, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_churn_retention(-DBL_MAX, &out), LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_retention_batch_errors)
{
    double c[NB], out[NB];
    size_t bad;
    fill(c, NB, 0.1);
    ck_assert_batch_rc(libcs_churn_retention_batch(NB, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_churn_retention_batch(NB, c, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_churn_retention_batch(0, c, out, &bad),
                       LIBCS_EEMPTY, out);
    c[2] = 1.5;
    c[5] = NAN;
    ck_assert_batch_fails(libcs_churn_retention_batch(NB, c, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 2);
    ck_assert_batch_rc(libcs_churn_retention_batch(NB, c, out, NULL),
                       LIBCS_EDOMAIN, out);
    c[2] = 0.1;
    ck_assert_batch_fails(libcs_churn_retention_batch(NB, c, out, &bad),
                          LIBCS_ENONFINITE, out, bad, 5);
    c[5] = 0.75;
    ck_assert_ok(libcs_churn_retention_batch(NB, c, out, &bad));
    ck_assert_close(out[5], 0.25, 0.0);
    ck_assert_close(out[0], 0.9, 1e-15);
}
END_TEST

START_TEST(test_retention_batch_matches_scalar)
{
    double c[NR], out[NR];
    rng_seed(203);
    for (size_t i = 0; i < NR; i++)
        c[i] = rng_uniform(0.0, 1.0);
    c[0] = 0.0;
    c[1] = 1.0;
    ck_assert_ok(libcs_churn_retention_batch(NR, c, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_churn_retention(c[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
    }
}
END_TEST

/* retention + churn = 1 */
START_TEST(test_retention_plus_churn)
{
    rng_seed(204);
    for (int i = 0; i < 5000; i++) {
        double c = rng_uniform(0.0, 1.0), r;
        if (i % 4 == 0)
            c *= 1e-6; /* small rates too */
        ck_assert_ok(libcs_churn_retention(c, &r));
        ck_assert_close(r + c, 1.0, DBL_EPSILON);
        ck_assert(r >= 0.0 && r <= 1.0);
    }
}
END_TEST

/* ---- libcs_churn_convert ------------------------------------------------ */

START_TEST(test_convert_examples)
{
    double out;
    /* monthly 2 % -> annual 1 - 0.98^12 = 0.21528327626520016 */
    ck_assert_ok(libcs_churn_convert(0.02, 12.0, &out));
    ck_assert_close(out, 0.21528327626520016, 1e-14);
    /* and back with periods = 1/12 */
    double back;
    ck_assert_ok(libcs_churn_convert(out, 1.0 / 12.0, &back));
    ck_assert_close(back, 0.02, 1e-14);
    /* annual 50 % -> monthly 1 - 0.5^(1/12) = 0.05612568731830647 */
    ck_assert_ok(libcs_churn_convert(0.5, 1.0 / 12.0, &out));
    ck_assert_close(out, 0.05612568731830647, 1e-14);
    /* 10 % a period over 2 periods: 1 - 0.9^2 = 0.19; over 3: 0.271 */
    ck_assert_ok(libcs_churn_convert(0.1, 2.0, &out));
    ck_assert_close(out, 0.19, 1e-15);
    ck_assert_ok(libcs_churn_convert(0.1, 3.0, &out));
    ck_assert_close(out, 0.271, 1e-15);
    /* quarterly 25 % -> annual 1 - 0.75^4 = 1 - 0.31640625 = 0.68359375 */
    ck_assert_ok(libcs_churn_convert(0.25, 4.0, &out));
    ck_assert_close(out, 0.68359375, 1e-15);
    /* one period: unchanged */
    ck_assert_ok(libcs_churn_convert(0.037, 1.0, &out));
    ck_assert_close(out, 0.037, 1e-16);
    /* 0 stays 0, 1 stays 1, over any positive number of periods */
    ck_assert_ok(libcs_churn_convert(0.0, 12.0, &out));
    ck_assert_close(out, 0.0, 0.0);
    ck_assert_ok(libcs_churn_convert(1.0, 12.0, &out));
    ck_assert_close(out, 1.0, 0.0);
    ck_assert_ok(libcs_churn_convert(1.0, 1.0 / 12.0, &out));
    ck_assert_close(out, 1.0, 0.0);
    /* a tiny rate is not lost to cancellation: 1 - (1 - 1e-12)^12 is
     * 12e-12 - 66e-24 + ..., i.e. 1.1999999999934e-11 */
    ck_assert_ok(libcs_churn_convert(1e-12, 12.0, &out));
    ck_assert_msg(fabs(out - 1.1999999999934e-11) <= 1e-24, "%.17g", out);
    /* a very long horizon tends to 1 */
    ck_assert_ok(libcs_churn_convert(0.5, 1e6, &out));
    ck_assert_close(out, 1.0, 0.0);
}
END_TEST

START_TEST(test_convert_errors)
{
    double out;
    ck_assert_int_eq(libcs_churn_convert(0.02, 12.0, NULL), LIBCS_EINVAL);
    ck_assert_int_eq(libcs_churn_convert(NAN, -1.0, NULL), LIBCS_EINVAL);
    FOR_NONFINITE(x, ck_assert_fails(libcs_churn_convert(x, 12.0, &out),
                                     LIBCS_ENONFINITE, out));
    FOR_NONFINITE(x, ck_assert_fails(libcs_churn_convert(0.02, x, &out),
                                     LIBCS_ENONFINITE, out));
    ck_assert_fails(libcs_churn_convert(-0.02, 12.0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_churn_convert(1.02, 12.0, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_churn_convert(0.02, 0.0, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_churn_convert(0.02, -12.0, &out), LIBCS_EDOMAIN,
                    out);
    /* order: a non-finite value beats a domain error in the other argument */
    ck_assert_fails(libcs_churn_convert(NAN, -12.0, &out), LIBCS_ENONFINITE,
                    out);
    ck_assert_fails(libcs_churn_convert(2.0, INFINITY, &out),
                    LIBCS_ENONFINITE, out);
    ck_assert_fails(libcs_churn_convert(2.0, 0.0, &out), LIBCS_EDOMAIN, out);
}
END_TEST

START_TEST(test_convert_batch_errors)
{
    double c[NB], k[NB], out[NB];
    size_t bad;
    fill(c, NB, 0.1);
    fill(k, NB, 2.0);
    ck_assert_batch_rc(libcs_churn_convert_batch(NB, NULL, k, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_batch_rc(libcs_churn_convert_batch(NB, c, NULL, out, &bad),
                       LIBCS_EINVAL, out);
    ck_assert_int_eq(libcs_churn_convert_batch(NB, c, k, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_batch_rc(libcs_churn_convert_batch(0, c, k, out, &bad),
                       LIBCS_EEMPTY, out);
    k[1] = 0.0;
    c[4] = -INFINITY;
    ck_assert_batch_fails(libcs_churn_convert_batch(NB, c, k, out, &bad),
                          LIBCS_EDOMAIN, out, bad, 1);
    ck_assert_batch_rc(libcs_churn_convert_batch(NB, c, k, out, NULL),
                       LIBCS_EDOMAIN, out);
    k[1] = 2.0;
    ck_assert_batch_fails(libcs_churn_convert_batch(NB, c, k, out, &bad),
                          LIBCS_ENONFINITE, out, bad, 4);
    c[4] = 0.1;
    ck_assert_ok(libcs_churn_convert_batch(NB, c, k, out, &bad));
    for (size_t i = 0; i < NB; i++)
        ck_assert_close(out[i], 0.19, 1e-15);
}
END_TEST

START_TEST(test_convert_batch_matches_scalar)
{
    double c[NR], k[NR], out[NR];
    rng_seed(205);
    for (size_t i = 0; i < NR; i++) {
        c[i] = rng_uniform(0.0, 1.0);
        k[i] = (i % 2) ? rng_uniform(1e-3, 1.0) : rng_uniform(1.0, 60.0);
    }
    c[0] = 0.0;
    c[1] = 1.0;
    ck_assert_ok(libcs_churn_convert_batch(NR, c, k, out, NULL));
    for (size_t i = 0; i < NR; i++) {
        double one = SENTINEL;
        ck_assert_ok(libcs_churn_convert(c[i], k[i], &one));
        ck_assert_msg(out[i] == one, "element %zu: %.17g vs %.17g", i,
                      out[i], one);
        /* and agrees with the formula 1 - (1 - c)^k */
        ck_assert_close(one, 1.0 - pow(1.0 - c[i], k[i]), 1e-14);
        ck_assert(one >= 0.0 && one <= 1.0);
    }
}
END_TEST

/* convert(convert(c, k), 1/k) = c; convert over k1 then k2 = over k1 k2 */
START_TEST(test_convert_round_trip)
{
    rng_seed(206);
    for (int i = 0; i < 3000; i++) {
        double c = rng_uniform(0.0, 0.5);
        double k = (double)(1 + rng_int(23)); /* 1 .. 24 periods */
        if (i % 3 == 0)
            k = rng_uniform(0.05, 24.0);
        double there, back;
        ck_assert_ok(libcs_churn_convert(c, k, &there));
        ck_assert_ok(libcs_churn_convert(there, 1.0 / k, &back));
        /* a relative error e in `there` moves `back` by
         * e there (1 - c) / (k (1 - there)): the condition of the inverse */
        double cond = there * (1.0 - c) / (k * (1.0 - there));
        double tol = 16 * DBL_EPSILON * (c + cond);
        ck_assert_msg(fabs(back - c) <= tol,
                      "c %.17g k %.17g: back %.17g (tol %g)", c, k, back, tol);
        /* more periods, more churn (k >= 2 keeps clear of rounding at k ~ 1) */
        if (k >= 2.0)
            ck_assert(there >= c);
        /* composition: monthly -> quarterly -> annual = monthly -> annual */
        double q, a1, a2;
        ck_assert_ok(libcs_churn_convert(c, 3.0, &q));
        ck_assert_ok(libcs_churn_convert(q, 4.0, &a1));
        ck_assert_ok(libcs_churn_convert(c, 12.0, &a2));
        ck_assert_close(a1, a2, 1e-14);
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

static Suite *churn_suite(void)
{
    Suite *s = suite_create("churn");
    TCase *tc;

    tc = tcase(s, "customer");
    tcase_add_test(tc, test_customer_examples);
    tcase_add_test(tc, test_customer_errors);
    tcase_add_test(tc, test_customer_average_large);
    tcase_add_test(tc, test_customer_batch_errors);
    tcase_add_test(tc, test_customer_batch_matches_scalar);
    tcase_add_test(tc, test_customer_denominator_order);

    tc = tcase(s, "retention");
    tcase_add_test(tc, test_retention_examples);
    tcase_add_test(tc, test_retention_errors);
    tcase_add_test(tc, test_retention_batch_errors);
    tcase_add_test(tc, test_retention_batch_matches_scalar);
    tcase_add_test(tc, test_retention_plus_churn);

    tc = tcase(s, "convert");
    tcase_add_test(tc, test_convert_examples);
    tcase_add_test(tc, test_convert_errors);
    tcase_add_test(tc, test_convert_batch_errors);
    tcase_add_test(tc, test_convert_batch_matches_scalar);
    tcase_add_test(tc, test_convert_round_trip);

    return s;
}

int main(void)
{
    return run_suite(churn_suite());
}
