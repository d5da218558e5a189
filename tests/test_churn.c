/* tests/test_churn.c - customer churn with each denominator, retention, and
 * conversion of churn rates between period lengths (libcs_churn(3)), with
 * their batch twins, and the mergeable churn tally.
 *
 * Expected values are computed by hand from the formulas in libcs.h (the
 * arithmetic is in the comments); none is copied from the library's output. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- the churn tally (libcs_churn_tally_init(3)) ------------------------ */

/* rc == code, with both messages on failure (calls without a double out) */
#define ck_assert_rc(call, code)                                               \
    do {                                                                       \
        int rc2_ = (call);                                                     \
        ck_assert_msg(rc2_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, rc2_, libcs_strerror(rc2_), (int)(code),          \
                      libcs_strerror(code));                                   \
    } while (0)

static libcs_churn_tally tally_of(int64_t s, int64_t nw, int64_t c)
{
    libcs_churn_tally t;
    t.at_start = s;
    t.new_customers = nw;
    t.churned = c;
    return t;
}

#define ck_assert_tally(t, s, nw, c)                                           \
    do {                                                                       \
        const libcs_churn_tally *t_ = (t);                                     \
        ck_assert_msg(t_->at_start == (s) && t_->new_customers == (nw) &&      \
                          t_->churned == (c),                                  \
                      "tally (%lld, %lld, %lld), want (%lld, %lld, %lld)",     \
                      (long long)t_->at_start, (long long)t_->new_customers,   \
                      (long long)t_->churned, (long long)(s), (long long)(nw), \
                      (long long)(c));                                         \
    } while (0)

/* Random per-customer flags: about 80 % active at the start, the rest new or
 * not in the period, and a fifth of the active ones lost. */
static void random_flags(size_t n, uint8_t *s, uint8_t *nw, uint8_t *c)
{
    for (size_t i = 0; i < n; i++) {
        int64_t k = rng_int(10);
        s[i] = k < 8;
        nw[i] = k == 8;
        c[i] = (s[i] || nw[i]) && rng_int(5) == 0;
    }
}

/* The worked example of libcs_churn_tally_init(3): 100 customers at the start
 * of July, of whom 10 leave, and 20 won in July, none of whom leaves: churn
 * 10 / 100 = 10 % (start), 10 / 120 (start + new), 10 / ((100 + 110) / 2) =
 * 10 / 105 (average). */
START_TEST(test_tally_worked_example)
{
    uint8_t s[120], nw[120], c[120];
    for (int i = 0; i < 120; i++) {
        s[i] = i < 100;
        nw[i] = i >= 100;
        c[i] = i % 10 == 3 && i < 100; /* 3, 13, ..., 93: 10 lost */
    }
    libcs_churn_tally t;
    double r;
    ck_assert_ok(libcs_churn_tally_init(&t));
    ck_assert_ok(libcs_churn_tally_add_batch(&t, 120, s, nw, c, NULL));
    ck_assert_tally(&t, 100, 20, 10);
    ck_assert_ok(libcs_churn_tally_result(&t, START, &r));
    ck_assert(r == 0.1);
    ck_assert_ok(libcs_churn_tally_result(&t, START_NEW, &r));
    ck_assert(r == 10.0 / 120.0);
    ck_assert_ok(libcs_churn_tally_result(&t, AVERAGE, &r));
    ck_assert(r == 10.0 / 105.0);

    /* the same from counts, in two parts */
    libcs_churn_tally u;
    ck_assert_ok(libcs_churn_tally_init(&u));
    ck_assert_ok(libcs_churn_tally_add(&u, 60, 20, 4));
    ck_assert_ok(libcs_churn_tally_add(&u, 40, 0, 6));
    ck_assert_tally(&u, 100, 20, 10);

    /* init clears whatever was there */
    ck_assert_ok(libcs_churn_tally_init(&u));
    ck_assert_tally(&u, 0, 0, 0);
}
END_TEST

/* add_batch of chunks, and merges of tallies of chunks, equal one pass; the
 * counts equal a plain loop's.  Lengths straddle the 16-customer vectors and
 * the 4080-customer blocks. */
START_TEST(test_tally_chunks_and_merges)
{
    static const size_t lengths[] = {1,    7,    15,   16,    17,    4079,
                                     4080, 4081, 8161, 12289, 100003};
    rng_seed(301);
    for (size_t k = 0; k < N_OF(lengths); k++) {
        size_t n = lengths[k];
        uint8_t *s = malloc(n), *nw = malloc(n), *c = malloc(n);
        ck_assert(s && nw && c);
        random_flags(n, s, nw, c);
        int64_t ws = 0, wn = 0, wc = 0;
        for (size_t i = 0; i < n; i++) {
            ws += s[i];
            wn += nw[i];
            wc += c[i];
        }
        libcs_churn_tally one, chunked, merged, part;
        ck_assert_ok(libcs_churn_tally_init(&one));
        ck_assert_ok(libcs_churn_tally_add_batch(&one, n, s, nw, c, NULL));
        ck_assert_tally(&one, ws, wn, wc);
        ck_assert_ok(libcs_churn_tally_init(&chunked));
        ck_assert_ok(libcs_churn_tally_init(&merged));
        for (size_t lo = 0; lo < n;) {
            size_t m = 1 + (size_t)rng_int(5000);
            if (m > n - lo)
                m = n - lo;
            ck_assert_ok(libcs_churn_tally_add_batch(&chunked, m, s + lo,
                                                     nw + lo, c + lo, NULL));
            ck_assert_ok(libcs_churn_tally_init(&part));
            ck_assert_ok(libcs_churn_tally_add_batch(&part, m, s + lo,
                                                     nw + lo, c + lo, NULL));
            ck_assert_ok(libcs_churn_tally_merge(&merged, &part));
            lo += m;
        }
        ck_assert_tally(&chunked, ws, wn, wc);
        ck_assert_tally(&merged, ws, wn, wc);
        for (int d = START; d <= AVERAGE; d++) {
            double a, b;
            int rc = libcs_churn_tally_result(&one, d, &a);
            ck_assert_int_eq(rc, libcs_churn_customer(ws, wn, wc, d, &b));
            if (rc == LIBCS_OK)
                ck_assert(a == b);
        }
        free(s);
        free(nw);
        free(c);
    }
}
END_TEST

START_TEST(test_tally_add_errors)
{
    libcs_churn_tally t = tally_of(5, 6, 7);
    ck_assert_rc(libcs_churn_tally_init(NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_add(NULL, 1, 1, 1), LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_add(&t, -1, 1, 0), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_churn_tally_add(&t, 1, -1, 0), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_churn_tally_add(&t, 1, 1, -1), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_churn_tally_add(&t, INT64_MIN, 0, 0), LIBCS_EDOMAIN);
    /* more lost than there were */
    ck_assert_rc(libcs_churn_tally_add(&t, 3, 4, 8), LIBCS_EDOMAIN);
    ck_assert_tally(&t, 5, 6, 7);
    ck_assert_ok(libcs_churn_tally_add(&t, 3, 4, 7)); /* all lost: fine */
    ck_assert_tally(&t, 8, 10, 14);
    /* churned <= start + new is formed in uint64 and cannot wrap */
    t = tally_of(0, 0, 0);
    ck_assert_ok(libcs_churn_tally_add(&t, INT64_MAX, INT64_MAX, INT64_MAX));
    ck_assert_tally(&t, INT64_MAX, INT64_MAX, INT64_MAX);

    /* overflow of each count past INT64_MAX, tally unchanged */
    t = tally_of(INT64_MAX, 0, 0);
    ck_assert_rc(libcs_churn_tally_add(&t, 1, 0, 0), LIBCS_EOVERFLOW);
    ck_assert_tally(&t, INT64_MAX, 0, 0);
    ck_assert_ok(libcs_churn_tally_add(&t, 0, 1, 1));
    t = tally_of(1, INT64_MAX, 0);
    ck_assert_rc(libcs_churn_tally_add(&t, 0, 1, 0), LIBCS_EOVERFLOW);
    ck_assert_tally(&t, 1, INT64_MAX, 0);
    t = tally_of(INT64_MAX, 1, INT64_MAX);
    ck_assert_rc(libcs_churn_tally_add(&t, 1, 1, 1), LIBCS_EOVERFLOW);
    ck_assert_tally(&t, INT64_MAX, 1, INT64_MAX);

    /* a tally set by hand to an impossible state */
    t = tally_of(1, 1, 3);
    ck_assert_rc(libcs_churn_tally_add(&t, 0, 0, 0), LIBCS_EDOMAIN);
    t = tally_of(-1, 0, 0);
    ck_assert_rc(libcs_churn_tally_add(&t, 1, 0, 0), LIBCS_EDOMAIN);
    ck_assert_tally(&t, -1, 0, 0);
}
END_TEST

START_TEST(test_tally_add_batch_errors)
{
    /* customer 0 is fine, customer k (1..) carries the k-th kind of bad
     * flags; placed at index 5 among good customers, alone */
    static const uint8_t bad_flags[][3] = {
        {2, 0, 0}, {0, 2, 0}, {0, 0, 2}, {255, 0, 0}, {1, 1, 0}, {1, 1, 1},
        {0, 0, 1}, {3, 0, 1}, {1, 0, 128}};
    uint8_t s[NB], nw[NB], c[NB];
    size_t bad;
    for (size_t k = 0; k < N_OF(bad_flags); k++) {
        for (size_t i = 0; i < NB; i++) {
            s[i] = i % 2;
            nw[i] = !s[i];
            c[i] = i % 3 == 0;
        }
        s[5] = bad_flags[k][0];
        nw[5] = bad_flags[k][1];
        c[5] = bad_flags[k][2];
        s[7] = 2; /* a second bad customer: the first is reported */
        libcs_churn_tally t = tally_of(5, 6, 7);
        bad = 99;
        ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, s, nw, c, &bad),
                     LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, 5);
        ck_assert_tally(&t, 5, 6, 7);
        ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, s, nw, c, NULL),
                     LIBCS_EDOMAIN);
        ck_assert_tally(&t, 5, 6, 7);
    }
    /* a bad customer of each kind in the vector part of a block, among
     * customers who are all active and lost (every lane at its largest) */
    for (size_t k = 0; k < N_OF(bad_flags); k++) {
        uint8_t vs[40], vn[40], vc[40];
        for (size_t i = 0; i < 40; i++) {
            vs[i] = vc[i] = 1;
            vn[i] = 0;
        }
        vs[20] = bad_flags[k][0];
        vn[20] = bad_flags[k][1];
        vc[20] = bad_flags[k][2];
        libcs_churn_tally t = tally_of(5, 6, 7);
        bad = 99;
        ck_assert_rc(libcs_churn_tally_add_batch(&t, 40, vs, vn, vc, &bad),
                     LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, 20);
        ck_assert_tally(&t, 5, 6, 7);
    }
    /* a bad customer in a later block, and in the last element */
    {
        size_t n = 3 * 4080 + 5;
        uint8_t *bs = calloc(n, 1), *bn = calloc(n, 1), *bc = calloc(n, 1);
        ck_assert(bs && bn && bc);
        libcs_churn_tally t = tally_of(0, 0, 0);
        bc[n - 1] = 1;
        ck_assert_rc(libcs_churn_tally_add_batch(&t, n, bs, bn, bc, &bad),
                     LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, n - 1);
        bc[n - 1] = 0;
        bn[2 * 4080 + 1] = 1;
        bs[2 * 4080 + 1] = 1;
        ck_assert_rc(libcs_churn_tally_add_batch(&t, n, bs, bn, bc, &bad),
                     LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, 2 * 4080 + 1);
        ck_assert_tally(&t, 0, 0, 0);
        free(bs);
        free(bn);
        free(bc);
    }

    /* whole-call errors: bad_index not written; NULL even with n = 0 */
    libcs_churn_tally t = tally_of(5, 6, 7);
    for (size_t i = 0; i < NB; i++)
        s[i] = nw[i] = c[i] = 0;
    bad = 99;
    ck_assert_rc(libcs_churn_tally_add_batch(NULL, NB, s, nw, c, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, NULL, nw, c, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, s, NULL, c, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, s, nw, NULL, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_add_batch(&t, 0, NULL, nw, c, &bad),
                 LIBCS_EINVAL);
    ck_assert_uint_eq(bad, 99);
    /* n = 0 and all-zero customers (not in the period) are no-ops */
    ck_assert_ok(libcs_churn_tally_add_batch(&t, 0, s, nw, c, &bad));
    ck_assert_ok(libcs_churn_tally_add_batch(&t, NB, s, nw, c, &bad));
    ck_assert_uint_eq(bad, 99);
    ck_assert_tally(&t, 5, 6, 7);

    /* overflow: the batch's counts on top of a full tally */
    s[0] = 1;
    t = tally_of(INT64_MAX, 0, 0);
    ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, s, nw, c, &bad),
                 LIBCS_EOVERFLOW);
    ck_assert_tally(&t, INT64_MAX, 0, 0);
    ck_assert_uint_eq(bad, 99);
    /* an impossible tally */
    t = tally_of(0, 0, 1);
    ck_assert_rc(libcs_churn_tally_add_batch(&t, NB, s, nw, c, &bad),
                 LIBCS_EDOMAIN);
    ck_assert_tally(&t, 0, 0, 1);
}
END_TEST

START_TEST(test_tally_merge)
{
    libcs_churn_tally a = tally_of(100, 20, 10), b = tally_of(50, 5, 55);
    ck_assert_ok(libcs_churn_tally_merge(&a, &b));
    ck_assert_tally(&a, 150, 25, 65);
    ck_assert_tally(&b, 50, 5, 55);
    ck_assert_ok(libcs_churn_tally_merge(&a, &a)); /* doubles */
    ck_assert_tally(&a, 300, 50, 130);

    ck_assert_rc(libcs_churn_tally_merge(NULL, &b), LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_merge(&a, NULL), LIBCS_EINVAL);
    /* impossible states, on either side */
    libcs_churn_tally bad = tally_of(1, 0, 2);
    ck_assert_rc(libcs_churn_tally_merge(&a, &bad), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_churn_tally_merge(&bad, &a), LIBCS_EDOMAIN);
    bad = tally_of(0, -5, 0);
    ck_assert_rc(libcs_churn_tally_merge(&a, &bad), LIBCS_EDOMAIN);
    ck_assert_tally(&a, 300, 50, 130);
    /* overflow of each count */
    libcs_churn_tally full[3] = {tally_of(INT64_MAX, 0, 0),
                                 tally_of(0, INT64_MAX, 0),
                                 tally_of(INT64_MAX, 0, INT64_MAX)};
    for (int k = 0; k < 3; k++) {
        libcs_churn_tally x = a;
        ck_assert_rc(libcs_churn_tally_merge(&x, &full[k]), LIBCS_EOVERFLOW);
        ck_assert_tally(&x, 300, 50, 130);
        x = full[k];
        ck_assert_rc(libcs_churn_tally_merge(&x, &a), LIBCS_EOVERFLOW);
    }
}
END_TEST

START_TEST(test_tally_result_errors)
{
    libcs_churn_tally t = tally_of(100, 20, 10), zero = tally_of(0, 0, 0);
    double r;
    ck_assert_fails(libcs_churn_tally_result(NULL, START, &r), LIBCS_EINVAL,
                    r);
    ck_assert_rc(libcs_churn_tally_result(&t, START, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_churn_tally_result(&t, 3, &r), LIBCS_EINVAL, r);
    ck_assert_fails(libcs_churn_tally_result(&t, -1, &r), LIBCS_EINVAL, r);
    /* an empty tally: every denominator is 0 */
    for (int d = START; d <= AVERAGE; d++)
        ck_assert_fails(libcs_churn_tally_result(&zero, d, &r),
                        LIBCS_EUNDEFINED, r);
    /* only new customers: start is 0, start + new is not */
    t = tally_of(0, 4, 1);
    ck_assert_fails(libcs_churn_tally_result(&t, START, &r), LIBCS_EUNDEFINED,
                    r);
    ck_assert_ok(libcs_churn_tally_result(&t, START_NEW, &r));
    ck_assert(r == 0.25);
    /* impossible states are the domain errors of libcs_churn_customer */
    t = tally_of(1, 0, 2);
    ck_assert_fails(libcs_churn_tally_result(&t, START, &r), LIBCS_EDOMAIN, r);
    t = tally_of(-1, 3, 0);
    ck_assert_fails(libcs_churn_tally_result(&t, START, &r), LIBCS_EDOMAIN, r);
}
END_TEST

/* Format version 1: "CSCH", 1, 3, 0, 0, then the three counts as uint64
 * little-endian.  Counts with distinct bytes show the byte order. */
static const uint8_t tally_golden[32] = {
    0x43, 0x53, 0x43, 0x48, 0x01, 0x03, 0x00, 0x00,
    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  /* 0x0102030405060708 */
    0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,  /* 0x1122334455667788 */
    0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00}; /* 0x0000000100000002 */

START_TEST(test_tally_serialize)
{
    libcs_churn_tally t = tally_of(INT64_C(0x0102030405060708),
                                   INT64_C(0x1122334455667788),
                                   INT64_C(0x0000000100000002)),
                      back;
    uint8_t buf[40];
    size_t needed = 0;
    ck_assert_int_eq(LIBCS_CHURN_TALLY_SERIALIZED_SIZE, 32);
    memset(buf, 0xAA, sizeof buf);
    ck_assert_ok(libcs_churn_tally_serialize(&t, buf, sizeof buf, &needed));
    ck_assert_uint_eq(needed, 32);
    ck_assert(memcmp(buf, tally_golden, 32) == 0);
    ck_assert_uint_eq(buf[32], 0xAA); /* nothing beyond */
    ck_assert_ok(libcs_churn_tally_deserialize(&back, tally_golden, 32));
    ck_assert_tally(&back, t.at_start, t.new_customers, t.churned);

    /* round trips, including the extremes */
    const libcs_churn_tally cases[] = {
        tally_of(0, 0, 0), tally_of(100, 20, 10), tally_of(0, 1, 1),
        tally_of(INT64_MAX, INT64_MAX, INT64_MAX), tally_of(INT64_MAX, 0, 0)};
    for (size_t k = 0; k < N_OF(cases); k++) {
        ck_assert_ok(libcs_churn_tally_serialize(&cases[k], buf, 32, NULL));
        back = tally_of(9, 9, 9);
        ck_assert_ok(libcs_churn_tally_deserialize(&back, buf, 32));
        ck_assert_tally(&back, cases[k].at_start, cases[k].new_customers,
                        cases[k].churned);
    }

    /* the size alone; a short buffer is not written */
    needed = 0;
    ck_assert_rc(libcs_churn_tally_serialize(&t, NULL, 0, &needed),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 32);
    memset(buf, 0xAA, sizeof buf);
    needed = 0;
    ck_assert_rc(libcs_churn_tally_serialize(&t, buf, 31, &needed),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 32);
    ck_assert_rc(libcs_churn_tally_serialize(&t, buf, 31, NULL),
                 LIBCS_EBUFSIZE);
    for (size_t i = 0; i < sizeof buf; i++)
        ck_assert_uint_eq(buf[i], 0xAA);
    ck_assert_rc(libcs_churn_tally_serialize(NULL, buf, 32, &needed),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_serialize(&t, NULL, 32, &needed),
                 LIBCS_EINVAL);
    /* an impossible state is not written: it could not be read back */
    libcs_churn_tally bad = tally_of(1, 1, 3);
    needed = 0;
    ck_assert_rc(libcs_churn_tally_serialize(&bad, buf, 32, &needed),
                 LIBCS_EDOMAIN);
    bad = tally_of(0, -1, 0);
    ck_assert_rc(libcs_churn_tally_serialize(&bad, buf, 32, &needed),
                 LIBCS_EDOMAIN);
    ck_assert_uint_eq(needed, 0);
    ck_assert_uint_eq(buf[0], 0xAA);
}
END_TEST

static void check_tally_rejects(const uint8_t *buf, size_t len,
                                const char *what)
{
    libcs_churn_tally t = tally_of(5, 6, 7);
    int rc = libcs_churn_tally_deserialize(&t, buf, len);
    ck_assert_msg(rc == LIBCS_EFORMAT, "%s: returned %d (%s)", what, rc,
                  libcs_strerror(rc));
    ck_assert_tally(&t, 5, 6, 7);
}

START_TEST(test_tally_deserialize_errors)
{
    uint8_t bad[33];
    memcpy(bad, tally_golden, 32);
    bad[32] = 0;
    check_tally_rejects(tally_golden, 31, "length 31");
    check_tally_rejects(bad, 33, "length 33");
    check_tally_rejects(tally_golden, 0, "length 0");
    check_tally_rejects(tally_golden, 8, "header only");
    static const char *const magics[] = {"CSNP", "csch", "CSCI", "HCSC",
                                         "\0\0\0\0"};
    for (size_t i = 0; i < N_OF(magics); i++) {
        memcpy(bad, tally_golden, 32);
        memcpy(bad, magics[i], 4);
        check_tally_rejects(bad, 32, "wrong magic");
    }
    static const uint8_t versions[] = {0, 2, 0x81, 255};
    for (size_t i = 0; i < sizeof versions; i++) {
        memcpy(bad, tally_golden, 32);
        bad[4] = versions[i];
        check_tally_rejects(bad, 32, "unknown version");
    }
    static const uint8_t counts[] = {0, 2, 4, 11, 255};
    for (size_t i = 0; i < sizeof counts; i++) {
        memcpy(bad, tally_golden, 32);
        bad[5] = counts[i];
        check_tally_rejects(bad, 32, "wrong number of counts");
    }
    for (int pos = 6; pos <= 7; pos++) {
        memcpy(bad, tally_golden, 32);
        bad[pos] = 1;
        check_tally_rejects(bad, 32, "nonzero reserved byte");
        bad[pos] = 0x80;
        check_tally_rejects(bad, 32, "nonzero reserved byte");
    }
    /* a count above INT64_MAX (top bit set), in each position */
    for (int k = 0; k < 3; k++) {
        memcpy(bad, tally_golden, 32);
        bad[8 + 8 * k + 7] |= 0x80;
        check_tally_rejects(bad, 32, "count above INT64_MAX");
    }
    /* more lost than there were: 1 + 1 < 3 */
    libcs_churn_tally one = tally_of(1, 1, 2);
    ck_assert_ok(libcs_churn_tally_serialize(&one, bad, 32, NULL));
    bad[24] = 3;
    check_tally_rejects(bad, 32, "churned > at_start + new");

    libcs_churn_tally u;
    ck_assert_rc(libcs_churn_tally_deserialize(NULL, tally_golden, 32),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_deserialize(&u, NULL, 32), LIBCS_EINVAL);
    ck_assert_rc(libcs_churn_tally_deserialize(&u, NULL, 0), LIBCS_EINVAL);
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

    tc = tcase(s, "tally");
    tcase_add_test(tc, test_tally_worked_example);
    tcase_add_test(tc, test_tally_chunks_and_merges);
    tcase_add_test(tc, test_tally_add_errors);
    tcase_add_test(tc, test_tally_add_batch_errors);
    tcase_add_test(tc, test_tally_merge);
    tcase_add_test(tc, test_tally_result_errors);
    tcase_add_test(tc, test_tally_serialize);
    tcase_add_test(tc, test_tally_deserialize_errors);

    return s;
}

int main(void)
{
    return run_suite(churn_suite());
}
