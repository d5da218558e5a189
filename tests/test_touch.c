/* tests/test_touch.c - touch-model segmentation (libcs_touch_*): thresholds,
 * shares and capacity policies, their summaries, deterministic ties and every
 * error path.
 *
 * Semantics checked (from lib/touch.c):
 *   thresholds: value >= high_min -> high, else value >= low_min -> low, else
 *               tech; high_min == low_min is allowed (no low tier),
 *               high_min < low_min is LIBCS_EDOMAIN.
 *   shares:     high = round(p n), top = round((p + q) n), low = top - high,
 *               where round(x n) = floor(x n + 0.5) capped at n (halves go
 *               up); p, q in [0, 1] and p + q <= 1, else LIBCS_EDOMAIN.
 *   capacity:   high = min(csms x accounts_per_csm, n) (an overflowing
 *               product is unlimited), low = min(low_capacity, n - high).
 *   ranking:    by priority (value when priority is NULL) descending, ties by
 *               index ascending; -0.0 ranks equal to +0.0.
 *   summary:    customers and value sums per tier, customer shares (of n) and
 *               value shares (of the total value; all 0 when it is 0).
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define TECH LIBCS_TOUCH_TECH
#define LOW LIBCS_TOUCH_LOW
#define HIGH LIBCS_TOUCH_HIGH

/* An int no function writes: tier outputs must keep it on error. */
#define TIER_SENTINEL ((int)SENTINEL)
#define BAD_SENTINEL ((size_t)999999)

/* ---- helpers ------------------------------------------------------------ */

static void fill_tiers(int *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        t[i] = TIER_SENTINEL;
}

static int tiers_untouched(const int *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != TIER_SENTINEL)
            return 0;
    return 1;
}

static void poison_summary(libcs_touch_summary *s)
{
    for (int t = 0; t < 3; t++) {
        s->customers[t] = 777777;
        s->value[t] = SENTINEL;
        s->customer_share[t] = SENTINEL;
        s->value_share[t] = SENTINEL;
    }
}

static int summary_untouched(const libcs_touch_summary *s)
{
    for (int t = 0; t < 3; t++)
        if (s->customers[t] != 777777 || s->value[t] != SENTINEL ||
            s->customer_share[t] != SENTINEL || s->value_share[t] != SENTINEL)
            return 0;
    return 1;
}

/* `call` fails with `code`, leaving tiers[0..nt) and the summary `sum` as
 * they were (the summary's high value sum goes through ck_assert_fails). */
#define TOUCH_FAILS(call, code, tiers, nt, sum)                                \
    do {                                                                       \
        fill_tiers((tiers), (nt));                                             \
        poison_summary(&(sum));                                                \
        ck_assert_fails(call, code, (sum).value[HIGH]);                        \
        ck_assert_msg(tiers_untouched((tiers), (nt)),                          \
                      "%s wrote its tiers on error", #call);                   \
        ck_assert_msg(summary_untouched(&(sum)),                               \
                      "%s wrote its summary on error", #call);                 \
    } while (0)

static void ck_tiers_eq(const int *got, const int *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i], "tier[%zu] = %d, want %d", i, got[i],
                      want[i]);
}

/* Exact equality: both come from the same tiers and values. */
static void ck_summary_eq(const libcs_touch_summary *a,
                          const libcs_touch_summary *b)
{
    for (int t = 0; t < 3; t++) {
        ck_assert_msg(a->customers[t] == b->customers[t],
                      "customers[%d]: %llu vs %llu", t,
                      (unsigned long long)a->customers[t],
                      (unsigned long long)b->customers[t]);
        ck_assert_msg(a->value[t] == b->value[t], "value[%d]: %.17g vs %.17g",
                      t, a->value[t], b->value[t]);
        ck_assert_msg(a->customer_share[t] == b->customer_share[t],
                      "customer_share[%d]: %.17g vs %.17g", t,
                      a->customer_share[t], b->customer_share[t]);
        ck_assert_msg(a->value_share[t] == b->value_share[t],
                      "value_share[%d]: %.17g vs %.17g", t, a->value_share[t],
                      b->value_share[t]);
    }
}

/* The summary agrees with a plain recount of tiers, and the partition
 * invariants hold: customers sum to n, customer shares to 1, value shares to
 * 1 (or are all 0 when the total value is 0). */
static void ck_summary_consistent(size_t n, const double *value,
                                  const int *tiers,
                                  const libcs_touch_summary *s)
{
    uint64_t count[3] = {0, 0, 0};
    double sum[3] = {0, 0, 0}, total = 0.0;
    /* no assertion per element: Check records every passing one */
    for (size_t i = 0; i < n; i++) {
        if (tiers[i] < TECH || tiers[i] > HIGH)
            ck_abort_msg("tier[%zu] = %d is not a tier", i, tiers[i]);
        count[tiers[i]]++;
        sum[tiers[i]] += value[i];
        total += value[i];
    }
    ck_assert_uint_eq(s->customers[0] + s->customers[1] + s->customers[2], n);
    double cs = 0.0, vs = 0.0;
    for (int t = 0; t < 3; t++) {
        ck_assert_uint_eq(s->customers[t], count[t]);
        ck_assert_close(s->value[t], sum[t], 1e-9);
        ck_assert_close(s->customer_share[t], (double)count[t] / (double)n,
                        1e-15);
        ck_assert_msg(s->value_share[t] >= 0.0 && s->value_share[t] <= 1.0,
                      "value_share[%d] = %.17g", t, s->value_share[t]);
        cs += s->customer_share[t];
        vs += s->value_share[t];
    }
    ck_assert_close(cs, 1.0, 1e-12);
    if (total > 0.0) {
        ck_assert_close(vs, 1.0, 1e-12);
        for (int t = 0; t < 3; t++)
            ck_assert_close(s->value_share[t], sum[t] / total, 1e-9);
    } else {
        for (int t = 0; t < 3; t++)
            ck_assert_msg(s->value_share[t] == 0.0,
                          "value_share[%d] = %.17g with zero total value", t,
                          s->value_share[t]);
    }
}

/* The summary a policy returned equals libcs_touch_summarize of its tiers. */
static void ck_summarize_matches(size_t n, const double *value,
                                 const int *tiers,
                                 const libcs_touch_summary *from_policy)
{
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;
    ck_assert_ok(libcs_touch_summarize(n, value, tiers, &s, &bad));
    ck_assert_uint_eq(bad, BAD_SENTINEL);
    ck_summary_eq(&s, from_policy);
}

/* splitmix64: a small, fixed-seed generator so failures reproduce. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static size_t rng_below(size_t m) /* uniform enough in [0, m), m > 0 */
{
    return (size_t)(rng_next() % (uint64_t)m);
}

static double rng_unit(void) /* [0, 1) */
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

/* ---- brute-force reference: a full sort of the indices ------------------ */

static const double *ref_priority;

/* priority descending, then index ascending; -0.0 == +0.0 under < and > */
static int ref_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double pi = ref_priority[i], pj = ref_priority[j];
    if (pi > pj)
        return -1;
    if (pi < pj)
        return 1;
    return (i > j) - (i < j);
}

static void ref_rank_tiers(size_t n, const double *priority, size_t high,
                           size_t low, int *tiers)
{
    size_t *idx = malloc(n * sizeof *idx);
    ck_assert_ptr_nonnull(idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    ref_priority = priority;
    qsort(idx, n, sizeof *idx, ref_cmp);
    for (size_t r = 0; r < n; r++)
        tiers[idx[r]] = r < high ? HIGH : r < high + low ? LOW : TECH;
    free(idx);
}

/* the documented rounding: floor(x n + 0.5), never above n */
static size_t ref_share_count(double x, size_t n)
{
    double c = floor(x * (double)n + 0.5);
    return c >= (double)n ? n : (size_t)c;
}

/* csms x accounts_per_csm, unlimited when the product overflows */
static size_t ref_high_capacity(uint64_t csms, uint64_t apc, size_t n)
{
    if (apc != 0 && csms > UINT64_MAX / apc)
        return n;
    uint64_t cap = csms * apc;
    return cap < (uint64_t)n ? (size_t)cap : n;
}

static void count_tiers(const int *tiers, size_t n, size_t count[3])
{
    count[0] = count[1] = count[2] = 0;
    for (size_t i = 0; i < n; i++)
        count[tiers[i]]++;
}

/* ---- thresholds --------------------------------------------------------- */

/* Ten accounts by ACV with the common rule ACV >= 50,000 high, >= 10,000 low,
 * else tech:
 *   i     0       1      2      3      4     5     6     7    8    9
 *   ACV 200,000 50,000 40,000 25,000 10,000 9,000 5,000 1,000  0  60,000
 *   tier  high   high   low    low    low   tech  tech  tech tech high
 * high: {0, 1, 9} 3 customers, 200,000 + 50,000 + 60,000 = 310,000
 * low:  {2, 3, 4} 3 customers,  40,000 + 25,000 + 10,000 =  75,000
 * tech: {5,6,7,8} 4 customers,   9,000 +  5,000 +  1,000 + 0 = 15,000
 * total value 400,000, so
 *   customer shares: high 3/10 = 0.3, low 0.3, tech 0.4
 *   value shares: high 310/400 = 0.775, low 75/400 = 0.1875,
 *                 tech 15/400 = 0.0375
 * ("high touch: 30 % of customers, 77.5 % of value"). */
START_TEST(test_thresholds_worked)
{
    const double acv[10] = {200000, 50000, 40000, 25000, 10000,
                            9000,   5000,  1000,  0,     60000};
    const int want[10] = {HIGH, HIGH, LOW,  LOW,  LOW,
                          TECH, TECH, TECH, TECH, HIGH};
    int tiers[10];
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;
    fill_tiers(tiers, 10);
    ck_assert_ok(libcs_touch_thresholds(10, acv, 50000, 10000, tiers, &s,
                                        &bad));
    ck_tiers_eq(tiers, want, 10);
    ck_assert_uint_eq(bad, BAD_SENTINEL);

    ck_assert_uint_eq(s.customers[HIGH], 3);
    ck_assert_uint_eq(s.customers[LOW], 3);
    ck_assert_uint_eq(s.customers[TECH], 4);
    ck_assert_close(s.value[HIGH], 310000, 1e-15);
    ck_assert_close(s.value[LOW], 75000, 1e-15);
    ck_assert_close(s.value[TECH], 15000, 1e-15);
    ck_assert_close(s.customer_share[HIGH], 0.3, 1e-15);
    ck_assert_close(s.customer_share[LOW], 0.3, 1e-15);
    ck_assert_close(s.customer_share[TECH], 0.4, 1e-15);
    ck_assert_close(s.value_share[HIGH], 0.775, 1e-15);
    ck_assert_close(s.value_share[LOW], 0.1875, 1e-15);
    ck_assert_close(s.value_share[TECH], 0.0375, 1e-15);
    ck_summary_consistent(10, acv, tiers, &s);
    ck_summarize_matches(10, acv, tiers, &s);

    /* summary may be NULL: same tiers */
    int again[10];
    fill_tiers(again, 10);
    ck_assert_ok(libcs_touch_thresholds(10, acv, 50000, 10000, again, NULL,
                                        NULL));
    ck_tiers_eq(again, want, 10);
}
END_TEST

/* A value exactly on a threshold belongs to the upper tier; the next double
 * below it does not. */
START_TEST(test_thresholds_on_threshold)
{
    const double v[6] = {50000.0, nextafter(50000.0, 0.0), 10000.0,
                         nextafter(10000.0, 0.0), nextafter(50000.0, 1e9),
                         0.0};
    const int want[6] = {HIGH, LOW, LOW, TECH, HIGH, TECH};
    int tiers[6];
    fill_tiers(tiers, 6);
    ck_assert_ok(libcs_touch_thresholds(6, v, 50000, 10000, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want, 6);

    /* thresholds at 0: every (non-negative) value is high; -0.0 too */
    const double z[3] = {0.0, -0.0, 1.0};
    ck_assert_ok(libcs_touch_thresholds(3, z, 0.0, 0.0, tiers, NULL, NULL));
    ck_assert_int_eq(tiers[0], HIGH);
    ck_assert_int_eq(tiers[1], HIGH);
    ck_assert_int_eq(tiers[2], HIGH);
}
END_TEST

/* high_min == low_min is allowed and leaves the low tier empty;
 * high_min < low_min is LIBCS_EDOMAIN. */
START_TEST(test_thresholds_equal_and_inverted)
{
    const double v[4] = {10000, 9999.5, 20000, 0};
    const int want[4] = {HIGH, TECH, HIGH, TECH};
    int tiers[4];
    libcs_touch_summary s;
    fill_tiers(tiers, 4);
    ck_assert_ok(libcs_touch_thresholds(4, v, 10000, 10000, tiers, &s, NULL));
    ck_tiers_eq(tiers, want, 4);
    /* low: nobody; high 10,000 + 20,000 = 30,000 of 39,999.5 */
    ck_assert_uint_eq(s.customers[LOW], 0);
    ck_assert_close(s.value[LOW], 0.0, 0.0);
    ck_assert_close(s.value_share[LOW], 0.0, 0.0);
    ck_assert_close(s.customer_share[LOW], 0.0, 0.0);
    ck_assert_uint_eq(s.customers[HIGH], 2);
    ck_assert_close(s.value_share[HIGH], 30000.0 / 39999.5, 1e-15);
    ck_summary_consistent(4, v, tiers, &s);

    size_t bad = BAD_SENTINEL;
    TOUCH_FAILS(libcs_touch_thresholds(4, v, 9999, 10000, tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 4, s);
    TOUCH_FAILS(libcs_touch_thresholds(4, v, nextafter(10000, 0), 10000,
                                       tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 4, s);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
}
END_TEST

/* thresholds is per customer: n customers at once equal n calls of one. */
START_TEST(test_thresholds_batch_is_loop)
{
    enum { N = 1000 };
    double *v = malloc(N * sizeof *v);
    int *tiers = malloc(N * sizeof *tiers);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(tiers);
    rng_state = 11;
    for (size_t i = 0; i < N; i++)
        v[i] = rng_below(4) == 0 ? (double)(rng_below(7) * 10000)
                                 : rng_unit() * 80000;
    libcs_touch_summary s;
    ck_assert_ok(libcs_touch_thresholds(N, v, 50000, 10000, tiers, &s, NULL));
    for (size_t i = 0; i < N; i++) {
        int one = TIER_SENTINEL;
        libcs_touch_summary s1;
        ck_assert_ok(libcs_touch_thresholds(1, &v[i], 50000, 10000, &one, &s1,
                                            NULL));
        ck_assert_int_eq(one, tiers[i]);
        ck_assert_uint_eq(s1.customers[one], 1);
        ck_assert_close(s1.customer_share[one], 1.0, 0.0);
    }
    ck_summary_consistent(N, v, tiers, &s);
    ck_summarize_matches(N, v, tiers, &s);
    free(v);
    free(tiers);
}
END_TEST

/* ---- shares ------------------------------------------------------------- */

/* Ten customers, value 1,000 (i + 1), priority a permutation of 1..10:
 *   i         0  1  2  3  4  5  6  7   8  9
 *   priority  5  9  1  7  3  8  2  10  6  4
 *   value(k)  1  2  3  4  5  6  7  8   9  10
 * p = 0.25, q = 0.5: high = round(2.5) = 3 (halves up), top = round(7.5) = 8,
 * low = 8 - 3 = 5, tech = 2.
 *   high: priorities 10, 9, 8 -> i = 7, 1, 5; value 8 + 2 + 6 = 16k
 *   low:  priorities 7, 6, 5, 4, 3 -> i = 3, 8, 0, 9, 4;
 *         value 4 + 9 + 1 + 10 + 5 = 29k
 *   tech: priorities 2, 1 -> i = 6, 2; value 7 + 3 = 10k
 * total 55k: value shares 16/55, 29/55, 10/55; customer shares 0.3, 0.5, 0.2.
 * Without priorities (rank by value) the top 3 values are i = 9, 8, 7, the
 * next five i = 6..2 and tech i = 1, 0: high 10 + 9 + 8 = 27k,
 * low 7 + 6 + 5 + 4 + 3 = 25k, tech 2 + 1 = 3k. */
static const double ex_value[10] = {1000, 2000, 3000, 4000, 5000,
                                    6000, 7000, 8000, 9000, 10000};
static const double ex_priority[10] = {5, 9, 1, 7, 3, 8, 2, 10, 6, 4};

START_TEST(test_shares_worked)
{
    const int want[10] = {LOW, HIGH, TECH, LOW, LOW, HIGH, TECH, HIGH, LOW, LOW};
    int tiers[10];
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;
    fill_tiers(tiers, 10);
    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, 0.25, 0.5,
                                    tiers, &s, &bad));
    ck_tiers_eq(tiers, want, 10);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
    ck_assert_uint_eq(s.customers[HIGH], 3);
    ck_assert_uint_eq(s.customers[LOW], 5);
    ck_assert_uint_eq(s.customers[TECH], 2);
    ck_assert_close(s.value[HIGH], 16000, 1e-15);
    ck_assert_close(s.value[LOW], 29000, 1e-15);
    ck_assert_close(s.value[TECH], 10000, 1e-15);
    ck_assert_close(s.customer_share[HIGH], 0.3, 1e-15);
    ck_assert_close(s.customer_share[LOW], 0.5, 1e-15);
    ck_assert_close(s.customer_share[TECH], 0.2, 1e-15);
    ck_assert_close(s.value_share[HIGH], 16.0 / 55.0, 1e-15);
    ck_assert_close(s.value_share[LOW], 29.0 / 55.0, 1e-15);
    ck_assert_close(s.value_share[TECH], 10.0 / 55.0, 1e-15);
    ck_summary_consistent(10, ex_value, tiers, &s);
    ck_summarize_matches(10, ex_value, tiers, &s);

    /* NULL priority ranks by value */
    const int by_value[10] = {TECH, TECH, LOW, LOW,  LOW,
                              LOW,  LOW,  HIGH, HIGH, HIGH};
    ck_assert_ok(libcs_touch_shares(10, ex_value, NULL, 0.25, 0.5, tiers, &s,
                                    NULL));
    ck_tiers_eq(tiers, by_value, 10);
    ck_assert_close(s.value[HIGH], 27000, 1e-15);
    ck_assert_close(s.value[LOW], 25000, 1e-15);
    ck_assert_close(s.value[TECH], 3000, 1e-15);
    /* ... which is the same as passing the values as priorities */
    int same[10];
    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_value, 0.25, 0.5, same,
                                    NULL, NULL));
    ck_tiers_eq(same, by_value, 10);
}
END_TEST

/* Round half up: n = 6, p = 0.25 -> 1.5 -> 2 high; n = 10, p = 0.125 ->
 * 1.25 -> 1; n = 10, p = 0.375 -> 3.75 -> 4; n = 4, p = 0.125 -> 0.5 -> 1;
 * n = 4, p = 0.0625 -> 0.25 -> 0.  Low is round((p + q) n) - round(p n), not
 * round(q n): n = 10, p = q = 0.25 -> top = round(5) = 5, high = 3, low = 2
 * (round(2.5) alone would have been 3). */
START_TEST(test_shares_rounding)
{
    static const struct {
        size_t n;
        double p, q;
        size_t high, low;
    } cases[] = {
        {6, 0.25, 0.0, 2, 0},    {10, 0.125, 0.0, 1, 0},
        {10, 0.375, 0.0, 4, 0},  {4, 0.125, 0.0, 1, 0},
        {4, 0.0625, 0.0, 0, 0},  {10, 0.25, 0.25, 3, 2},
        {10, 0.0, 0.25, 0, 3},   {10, 0.125, 0.125, 1, 2},
        {3, 0.5, 0.5, 2, 1},     {1, 0.5, 0.0, 1, 0},
        {1, 0.25, 0.25, 0, 1},   {1, 0.0, 0.5, 0, 1},
        {7, 0.0, 0.0, 0, 0},     {5, 1.0, 0.0, 5, 0},
    };
    double v[10], pr[10];
    int tiers[10], want[10];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = cases[c].n;
        for (size_t i = 0; i < n; i++) {
            v[i] = 100.0 * (double)(i + 1);
            pr[i] = (double)((i * 7) % n); /* a permutation of 0..n-1 for n
                                              coprime with 7 */
        }
        fill_tiers(tiers, n);
        libcs_touch_summary s;
        ck_assert_ok(libcs_touch_shares(n, v, pr, cases[c].p, cases[c].q,
                                        tiers, &s, NULL));
        ck_assert_msg(s.customers[HIGH] == cases[c].high &&
                          s.customers[LOW] == cases[c].low,
                      "case %zu: n %zu p %g q %g: high %llu low %llu, want %zu "
                      "%zu",
                      c, n, cases[c].p, cases[c].q,
                      (unsigned long long)s.customers[HIGH],
                      (unsigned long long)s.customers[LOW], cases[c].high,
                      cases[c].low);
        ref_rank_tiers(n, pr, cases[c].high, cases[c].low, want);
        ck_tiers_eq(tiers, want, n);
        ck_summary_consistent(n, v, tiers, &s);
    }
}
END_TEST

/* p = 0: no high tier; p + q = 1: no tech tier; p = 1: all high;
 * p = q = 0: all tech; p + q > 1: LIBCS_EDOMAIN. */
START_TEST(test_shares_edges)
{
    int tiers[10];
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;

    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, 0.0, 0.5, tiers,
                                    &s, NULL));
    ck_assert_uint_eq(s.customers[HIGH], 0);
    ck_assert_uint_eq(s.customers[LOW], 5);
    ck_assert_uint_eq(s.customers[TECH], 5);
    ck_assert_close(s.value[HIGH], 0.0, 0.0);
    ck_assert_close(s.value_share[HIGH], 0.0, 0.0);
    /* low: priorities 10, 9, 8, 7, 6 -> i = 7, 1, 5, 3, 8 */
    const int want0[10] = {TECH, LOW, TECH, LOW, TECH,
                           LOW,  TECH, LOW, LOW, TECH};
    ck_tiers_eq(tiers, want0, 10);

    /* 0.3 + 0.7 is exactly 1.0 in doubles: high 3, low 7, no tech */
    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, 0.3, 0.7, tiers,
                                    &s, NULL));
    ck_assert_uint_eq(s.customers[HIGH], 3);
    ck_assert_uint_eq(s.customers[LOW], 7);
    ck_assert_uint_eq(s.customers[TECH], 0);
    ck_assert_close(s.value_share[TECH], 0.0, 0.0);
    ck_assert_close(s.customer_share[TECH], 0.0, 0.0);
    ck_summary_consistent(10, ex_value, tiers, &s);

    /* 0.25 + 0.75: high round(2.5) = 3, low 10 - 3 = 7 */
    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, 0.25, 0.75,
                                    tiers, &s, NULL));
    ck_assert_uint_eq(s.customers[HIGH], 3);
    ck_assert_uint_eq(s.customers[LOW], 7);
    ck_assert_uint_eq(s.customers[TECH], 0);

    /* every (p, 1 - p) with p = k / 100 is accepted and leaves no tech */
    for (int k = 0; k <= 100; k++) {
        double p = k / 100.0;
        ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, p, 1.0 - p,
                                        tiers, &s, NULL));
        ck_assert_uint_eq(s.customers[TECH], 0);
        ck_assert_uint_eq(s.customers[HIGH], ref_share_count(p, 10));
    }

    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, 1.0, 0.0, tiers,
                                    &s, NULL));
    ck_assert_uint_eq(s.customers[HIGH], 10);
    ck_assert_close(s.customer_share[HIGH], 1.0, 0.0);
    ck_assert_close(s.value_share[HIGH], 1.0, 1e-15);

    ck_assert_ok(libcs_touch_shares(10, ex_value, ex_priority, 0.0, 0.0, tiers,
                                    &s, NULL));
    ck_assert_uint_eq(s.customers[TECH], 10);
    ck_assert_close(s.value_share[TECH], 1.0, 1e-15);

    TOUCH_FAILS(libcs_touch_shares(10, ex_value, ex_priority, 0.5, 0.75, tiers,
                                   &s, &bad),
                LIBCS_EDOMAIN, tiers, 10, s);
    /* the smallest excess: (0.5 + 2^-53) + (0.5 + 2^-53) = 1 + 2^-52 */
    TOUCH_FAILS(libcs_touch_shares(10, ex_value, ex_priority,
                                   nextafter(0.5, 1.0), nextafter(0.5, 1.0),
                                   tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 10, s);
    TOUCH_FAILS(libcs_touch_shares(10, ex_value, NULL, 0.6, 0.5, tiers, &s,
                                   &bad),
                LIBCS_EDOMAIN, tiers, 10, s);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
}
END_TEST

/* ---- capacity ----------------------------------------------------------- */

/* The ten customers of the shares example (priorities 5 9 1 7 3 8 2 10 6 4).
 * 1 CSM x 2 accounts: high = priorities 10, 9 -> i = 7, 1;
 * low capacity 3: priorities 8, 7, 6 -> i = 5, 3, 8; the other five tech.
 * high value 8 + 2 = 10k, low 6 + 4 + 9 = 19k, tech 1 + 3 + 5 + 7 + 10 = 26k
 * of 55k. */
START_TEST(test_capacity_worked)
{
    const int want[10] = {TECH, HIGH, TECH, LOW, TECH,
                          LOW,  TECH, HIGH, LOW, TECH};
    int tiers[10];
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;
    fill_tiers(tiers, 10);
    ck_assert_ok(libcs_touch_capacity(10, ex_value, ex_priority, 1, 2, 3, tiers,
                                      &s, &bad));
    ck_tiers_eq(tiers, want, 10);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
    ck_assert_uint_eq(s.customers[HIGH], 2);
    ck_assert_uint_eq(s.customers[LOW], 3);
    ck_assert_uint_eq(s.customers[TECH], 5);
    ck_assert_close(s.value[HIGH], 10000, 1e-15);
    ck_assert_close(s.value[LOW], 19000, 1e-15);
    ck_assert_close(s.value[TECH], 26000, 1e-15);
    ck_assert_close(s.value_share[HIGH], 10.0 / 55.0, 1e-15);
    ck_assert_close(s.value_share[LOW], 19.0 / 55.0, 1e-15);
    ck_assert_close(s.value_share[TECH], 26.0 / 55.0, 1e-15);
    ck_assert_close(s.customer_share[TECH], 0.5, 1e-15);
    ck_summary_consistent(10, ex_value, tiers, &s);
    ck_summarize_matches(10, ex_value, tiers, &s);

    /* 2 CSMs x 1 account is the same capacity */
    int t2[10];
    ck_assert_ok(libcs_touch_capacity(10, ex_value, ex_priority, 2, 1, 3, t2,
                                      NULL, NULL));
    ck_tiers_eq(t2, want, 10);
}
END_TEST

/* Capacities are filled exactly when n is larger, and cap at n otherwise. */
START_TEST(test_capacity_exact)
{
    enum { N = 100 };
    double v[N], pr[N];
    int tiers[N], want[N];
    libcs_touch_summary s;
    for (size_t i = 0; i < N; i++) {
        v[i] = (double)(i % 13) * 250.0;
        pr[i] = (double)((i * 37) % 11) - 5.0; /* ties and negatives */
    }
    static const struct {
        uint64_t csms, apc, low_cap;
        size_t high, low;
    } cases[] = {
        {3, 7, 40, 21, 40},       /* both exact */
        {5, 20, 0, 100, 0},       /* high exactly n */
        {5, 20, 10, 100, 0},      /* no room left for low */
        {6, 20, 10, 100, 0},      /* high capacity larger than n */
        {1, 99, 5, 99, 1},        /* low capped at n - high */
        {0, 50, 30, 0, 30},       /* no CSMs */
        {4, 0, 30, 0, 30},        /* no accounts per CSM */
        {0, 0, 0, 0, 0},          /* zero capacity: all tech */
        {2, 3, 1000, 6, 94},      /* low capacity larger than n */
        {2, 3, UINT64_MAX, 6, 94},
        {1, 1, 99, 1, 99},        /* no tech */
        {UINT64_C(1) << 32, UINT64_C(1) << 31, 0, 100, 0}, /* 2^63: no
                                                               overflow */
        {UINT64_C(1) << 32, UINT64_C(1) << 32, 7, 100, 0}, /* 2^64 overflows:
                                                               unlimited */
        {UINT64_MAX, 2, 7, 100, 0},
        {UINT64_MAX, UINT64_MAX, 7, 100, 0},
        {UINT64_MAX, 0, 7, 0, 7},  /* 0 x anything is 0, not an overflow */
        {0, UINT64_MAX, 7, 0, 7},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fill_tiers(tiers, N);
        ck_assert_ok(libcs_touch_capacity(N, v, pr, cases[c].csms,
                                          cases[c].apc, cases[c].low_cap,
                                          tiers, &s, NULL));
        ck_assert_msg(s.customers[HIGH] == cases[c].high &&
                          s.customers[LOW] == cases[c].low,
                      "case %zu: high %llu low %llu, want %zu %zu", c,
                      (unsigned long long)s.customers[HIGH],
                      (unsigned long long)s.customers[LOW], cases[c].high,
                      cases[c].low);
        ck_assert_uint_eq(ref_high_capacity(cases[c].csms, cases[c].apc, N),
                          cases[c].high);
        ref_rank_tiers(N, pr, cases[c].high, cases[c].low, want);
        ck_tiers_eq(tiers, want, N);
        ck_summary_consistent(N, v, tiers, &s);
        ck_summarize_matches(N, v, tiers, &s);
    }
}
END_TEST

/* ---- ties ----------------------------------------------------------------- */

/* Equal priorities rank by ascending index: all equal -> the first h indices
 * are high, the next l low. */
START_TEST(test_ties_by_index)
{
    enum { N = 10 };
    double v[N], pr[N];
    int tiers[N];
    for (size_t i = 0; i < N; i++) {
        v[i] = (double)(N - i); /* values decreasing: must not matter */
        pr[i] = 7.0;
    }
    ck_assert_ok(libcs_touch_capacity(N, v, pr, 1, 3, 4, tiers, NULL, NULL));
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(tiers[i], i < 3 ? HIGH : i < 7 ? LOW : TECH);
    /* shares 0.25, 0.5 of 10: high 3, low 5 */
    ck_assert_ok(libcs_touch_shares(N, v, pr, 0.25, 0.5, tiers, NULL, NULL));
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(tiers[i], i < 3 ? HIGH : i < 8 ? LOW : TECH);

    /* all values equal, no priority: by index too */
    for (size_t i = 0; i < N; i++)
        v[i] = 42.0;
    ck_assert_ok(libcs_touch_capacity(N, v, NULL, 2, 2, 2, tiers, NULL, NULL));
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(tiers[i], i < 4 ? HIGH : i < 6 ? LOW : TECH);

    /* a tie straddling the cuts: priorities 9 5 5 5 5 1 5 0 -> 1 high:
     * i = 0; 3 low: the 5s at i = 1, 2, 3; the 5s at 4 and 6 go tech */
    const double p2[8] = {9, 5, 5, 5, 5, 1, 5, 0};
    const int want2[8] = {HIGH, LOW, LOW, LOW, TECH, TECH, TECH, TECH};
    ck_assert_ok(libcs_touch_capacity(8, v, p2, 1, 1, 3, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want2, 8);
    /* 2 high: 9 and the first 5 (i = 1); low the 5s at 2, 3, 4 */
    const int want3[8] = {HIGH, HIGH, LOW, LOW, LOW, TECH, TECH, TECH};
    ck_assert_ok(libcs_touch_capacity(8, v, p2, 1, 2, 3, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want3, 8);

    /* negative priorities: -1 is the largest of {-5, -1, -3, -1} */
    const double p3[4] = {-5, -1, -3, -1};
    const int want4[4] = {TECH, HIGH, LOW, LOW};
    ck_assert_ok(libcs_touch_capacity(4, v, p3, 1, 1, 2, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want4, 4);
}
END_TEST

/* -0.0 ranks equal to +0.0: the tie goes to the smaller index whichever
 * zero it holds. */
START_TEST(test_ties_signed_zero)
{
    const double v[6] = {1, 1, 1, 1, 1, 1};
    int tiers[6];
    const double a[4] = {+0.0, -0.0, +0.0, -0.0};
    const double b[4] = {-0.0, +0.0, -0.0, +0.0};
    const int want1[4] = {HIGH, LOW, TECH, TECH};
    ck_assert_ok(libcs_touch_capacity(4, v, a, 1, 1, 1, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want1, 4);
    ck_assert_ok(libcs_touch_capacity(4, v, b, 1, 1, 1, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want1, 4);
    ck_assert_ok(libcs_touch_shares(4, v, b, 0.25, 0.25, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want1, 4);

    /* {-0, +0, -0, +0, 1, -1}: 2 high: 1 (i = 4) then the first zero (i = 0,
     * a -0.0); 3 low: the zeros at 1, 2, 3; tech: the -1 at 5. */
    const double c[6] = {-0.0, +0.0, -0.0, +0.0, 1.0, -1.0};
    const int want2[6] = {HIGH, LOW, LOW, LOW, HIGH, TECH};
    ck_assert_ok(libcs_touch_capacity(6, v, c, 2, 1, 3, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want2, 6);

    /* values -0.0 and +0.0 without priorities tie the same way */
    const double z[4] = {-0.0, 0.0, -0.0, 0.0};
    ck_assert_ok(libcs_touch_capacity(4, z, NULL, 1, 1, 1, tiers, NULL, NULL));
    ck_tiers_eq(tiers, want1, 4);
}
END_TEST

/* ---- brute-force reference on random cases ------------------------------ */

static const double special[] = {
    -DBL_MAX, -1e300, -1.0, -DBL_MIN, -4.9406564584124654e-324, -0.0, 0.0,
    4.9406564584124654e-324, DBL_MIN, 1.0, 1e300, DBL_MAX};

/* priorities for one random case; NULL for "rank by value" */
static double *random_priorities(double *pr, size_t n, int mode)
{
    double c = (double)rng_below(5) - 2.0;
    for (size_t i = 0; i < n; i++) {
        switch (mode) {
        case 0: { /* small integers, many ties, both zeros */
            double x = (double)rng_below(7) - 3.0;
            pr[i] = x == 0.0 && rng_below(2) ? -0.0 : x;
            break;
        }
        case 1: /* extreme and subnormal values */
            pr[i] = special[rng_below(sizeof special / sizeof special[0])];
            break;
        case 2: /* continuous, both signs */
            pr[i] = (rng_unit() - 0.5) * 2e6;
            break;
        case 3: /* all equal */
            pr[i] = c;
            break;
        case 4: /* value x risk with a few risk levels */
            pr[i] = (double)rng_below(4) * 0.25;
            break;
        default:
            return NULL;
        }
    }
    return pr;
}

static void random_values(double *v, size_t n)
{
    int dup = rng_below(2) == 0;
    for (size_t i = 0; i < n; i++)
        v[i] = dup ? (double)rng_below(10) * 1000.0 : rng_unit() * 1e5;
}

static size_t random_n(void)
{
    switch (rng_below(4)) {
    case 0:
        return 1 + rng_below(8);
    case 1:
        return 1 + rng_below(500);
    default:
        return 1 + rng_below(120);
    }
}

/* Which fraction to use: exact multiples of 1/n, half-way points, 0, 1 and
 * uniform draws. */
static double random_fraction(size_t n, double max)
{
    double x;
    switch (rng_below(5)) {
    case 0:
        x = (double)rng_below(n + 1) / (double)n;
        break;
    case 1:
        x = ((double)rng_below(n + 1) + 0.5) / (double)n;
        break;
    case 2:
        x = rng_below(2) ? 0.0 : max;
        break;
    default:
        x = rng_unit() * max;
        break;
    }
    return x > max ? max : x;
}

START_TEST(test_shares_reference)
{
    enum { CASES = 4000, NMAX = 500 };
    double *v = malloc(NMAX * sizeof *v), *prbuf = malloc(NMAX * sizeof *prbuf);
    int *tiers = malloc(NMAX * sizeof *tiers), *want = malloc(NMAX * sizeof *want);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(prbuf);
    ck_assert_ptr_nonnull(tiers);
    ck_assert_ptr_nonnull(want);
    rng_state = 20240601;
    for (int c = 0; c < CASES; c++) {
        size_t n = random_n();
        random_values(v, n);
        const double *pr = random_priorities(prbuf, n, (int)rng_below(6));
        double p = random_fraction(n, 1.0);
        double q = random_fraction(n, 1.0 - p);
        if (p + q > 1.0)
            q = 0.0;
        size_t high = ref_share_count(p, n);
        size_t top = ref_share_count(p + q, n);
        ck_assert_msg(top >= high, "case %d", c);
        ref_rank_tiers(n, pr ? pr : v, high, top - high, want);

        libcs_touch_summary s;
        fill_tiers(tiers, n);
        int rc = libcs_touch_shares(n, v, pr, p, q, tiers, &s, NULL);
        ck_assert_msg(rc == LIBCS_OK, "case %d: rc %d", c, rc);
        size_t mismatch = n;
        for (size_t i = 0; i < n && mismatch == n; i++)
            if (tiers[i] != want[i])
                mismatch = i;
        ck_assert_msg(mismatch == n,
                      "case %d (n %zu, p %.17g, q %.17g, %s): tier[%zu] = %d, "
                      "want %d",
                      c, n, p, q, pr ? "priority" : "value", mismatch,
                      mismatch < n ? tiers[mismatch] : 0,
                      mismatch < n ? want[mismatch] : 0);
        ck_assert_uint_eq(s.customers[HIGH], high);
        ck_assert_uint_eq(s.customers[LOW], top - high);
        ck_summary_consistent(n, v, tiers, &s);
        ck_summarize_matches(n, v, tiers, &s);

        /* summary NULL: the same tiers */
        int *t2 = want; /* reuse: want is no longer needed */
        fill_tiers(t2, n);
        ck_assert_ok(libcs_touch_shares(n, v, pr, p, q, t2, NULL, NULL));
        for (size_t i = 0; i < n; i++)
            if (t2[i] != tiers[i])
                ck_abort_msg("case %d: summary NULL changed tier[%zu]", c, i);
    }
    free(v);
    free(prbuf);
    free(tiers);
    free(want);
}
END_TEST

START_TEST(test_capacity_reference)
{
    enum { CASES = 4000, NMAX = 500 };
    double *v = malloc(NMAX * sizeof *v), *prbuf = malloc(NMAX * sizeof *prbuf);
    int *tiers = malloc(NMAX * sizeof *tiers), *want = malloc(NMAX * sizeof *want);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(prbuf);
    ck_assert_ptr_nonnull(tiers);
    ck_assert_ptr_nonnull(want);
    rng_state = 777;
    for (int c = 0; c < CASES; c++) {
        size_t n = random_n();
        random_values(v, n);
        const double *pr = random_priorities(prbuf, n, (int)rng_below(6));
        uint64_t csms, apc, low_cap;
        switch (rng_below(6)) {
        case 0: /* overflowing product */
            csms = UINT64_MAX - rng_below(3);
            apc = 2 + rng_below(100);
            break;
        case 1: /* zero */
            csms = rng_below(2) ? 0 : rng_below(10);
            apc = csms ? 0 : rng_below(10);
            break;
        default:
            csms = rng_below(6);
            apc = rng_below(60);
            break;
        }
        switch (rng_below(5)) {
        case 0:
            low_cap = 0;
            break;
        case 1:
            low_cap = UINT64_MAX - rng_below(2);
            break;
        default:
            low_cap = rng_below(n + 20);
            break;
        }
        size_t high = ref_high_capacity(csms, apc, n);
        size_t low = low_cap < (uint64_t)(n - high) ? (size_t)low_cap : n - high;
        ref_rank_tiers(n, pr ? pr : v, high, low, want);

        libcs_touch_summary s;
        fill_tiers(tiers, n);
        int rc = libcs_touch_capacity(n, v, pr, csms, apc, low_cap, tiers, &s,
                                      NULL);
        ck_assert_msg(rc == LIBCS_OK, "case %d: rc %d", c, rc);
        size_t mismatch = n;
        for (size_t i = 0; i < n && mismatch == n; i++)
            if (tiers[i] != want[i])
                mismatch = i;
        ck_assert_msg(mismatch == n,
                      "case %d (n %zu, csms %llu, apc %llu, low %llu, %s): "
                      "tier[%zu] = %d, want %d",
                      c, n, (unsigned long long)csms, (unsigned long long)apc,
                      (unsigned long long)low_cap, pr ? "priority" : "value",
                      mismatch, mismatch < n ? tiers[mismatch] : 0,
                      mismatch < n ? want[mismatch] : 0);
        ck_assert_uint_eq(s.customers[HIGH], high);
        ck_assert_uint_eq(s.customers[LOW], low);
        ck_summary_consistent(n, v, tiers, &s);
        ck_summarize_matches(n, v, tiers, &s);

        int *t2 = want;
        fill_tiers(t2, n);
        ck_assert_ok(libcs_touch_capacity(n, v, pr, csms, apc, low_cap, t2,
                                          NULL, NULL));
        for (size_t i = 0; i < n; i++)
            if (t2[i] != tiers[i])
                ck_abort_msg("case %d: summary NULL changed tier[%zu]", c, i);
    }
    free(v);
    free(prbuf);
    free(tiers);
    free(want);
}
END_TEST

/* ---- the selection path above 2,048 customers, against a full sort ------- */

/* Above SMALL_N (2,048) customers lib/touch.c selects the cuts with a
 * histogram of the keys' top 16 bits and a radix selection in the cut's
 * bucket; the cases above stay below it.  Here n is 2,049 to 30,000 and
 * every case is compared with ref_rank_tiers (a qsort of all indices). */

/* one mixed priority: continuous of both signs, small integers (ties) with
 * both zeros, subnormals and extremes, and clusters of nearly equal keys
 * (the same top 16 bits, so the bucket's own selection decides) */
static double mixed_priority(void)
{
    switch (rng_below(6)) {
    case 0:
        return (rng_unit() - 0.5) * 2e6;
    case 1: {
        double x = (double)rng_below(7) - 3.0;
        return x == 0.0 && rng_below(2) ? -0.0 : x;
    }
    case 2:
        return special[rng_below(sizeof special / sizeof special[0])];
    case 3: /* subnormals of both signs */
        return (double)(rng_below(1000) + 1) * 4.9406564584124654e-324 *
               (rng_below(2) ? 1.0 : -1.0);
    case 4: /* 1000 + a few ulps: one top-16-bit bucket */
        return 1000.0 + (double)rng_below(64) * 0x1p-43;
    default:
        return (double)rng_below(100) * 0.25;
    }
}

/* one mixed value (>= 0, total finite): as above without the negatives
 * and extremes, -0.0 included */
static double mixed_value(void)
{
    switch (rng_below(5)) {
    case 0:
        return rng_unit() * 1e6;
    case 1:
        return (double)rng_below(4) * 1000.0;
    case 2:
        return rng_below(2) ? -0.0 : 0.0;
    case 3:
        return (double)(rng_below(1000) + 1) * 4.9406564584124654e-324;
    default:
        return 1000.0 + (double)rng_below(64) * 0x1p-43;
    }
}

static size_t large_random_n(int c)
{
    if (c == 0)
        return 2049;
    if (c == 1)
        return 30000;
    return 2049 + rng_below(30000 - 2049 + 1);
}

/* tiers from the policy equal the reference's, element by element */
static void ck_tiers_match(const int *got, const int *want, size_t n,
                           const char *what, int c)
{
    size_t mismatch = n;
    for (size_t i = 0; i < n && mismatch == n; i++)
        if (got[i] != want[i])
            mismatch = i;
    ck_assert_msg(mismatch == n, "%s case %d (n %zu): tier[%zu] = %d, want %d",
                  what, c, n, mismatch, mismatch < n ? got[mismatch] : 0,
                  mismatch < n ? want[mismatch] : 0);
}

START_TEST(test_large_shares_reference)
{
    enum { CASES = 40, NMAX = 30000 };
    double *v = malloc(NMAX * sizeof *v), *pr = malloc(NMAX * sizeof *pr);
    int *tiers = malloc(NMAX * sizeof *tiers), *want = malloc(NMAX * sizeof *want);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(pr);
    ck_assert_ptr_nonnull(tiers);
    ck_assert_ptr_nonnull(want);
    rng_state = 2049;
    for (int c = 0; c < CASES; c++) {
        size_t n = large_random_n(c);
        int by_value = c % 4 == 3;
        for (size_t i = 0; i < n; i++) {
            v[i] = mixed_value();
            pr[i] = mixed_priority();
        }
        double p = random_fraction(n, 1.0);
        double q = random_fraction(n, 1.0 - p);
        if (p + q > 1.0)
            q = 0.0;
        size_t high = ref_share_count(p, n), top = ref_share_count(p + q, n);
        ref_rank_tiers(n, by_value ? v : pr, high, top - high, want);
        libcs_touch_summary s;
        fill_tiers(tiers, n);
        ck_assert_ok(libcs_touch_shares(n, v, by_value ? NULL : pr, p, q,
                                        tiers, &s, NULL));
        ck_tiers_match(tiers, want, n, "shares", c);
        ck_assert_uint_eq(s.customers[HIGH], high);
        ck_assert_uint_eq(s.customers[LOW], top - high);
    }
    free(v);
    free(pr);
    free(tiers);
    free(want);
}
END_TEST

START_TEST(test_large_capacity_reference)
{
    enum { CASES = 40, NMAX = 30000 };
    double *v = malloc(NMAX * sizeof *v), *pr = malloc(NMAX * sizeof *pr);
    int *tiers = malloc(NMAX * sizeof *tiers), *want = malloc(NMAX * sizeof *want);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(pr);
    ck_assert_ptr_nonnull(tiers);
    ck_assert_ptr_nonnull(want);
    rng_state = 30000;
    for (int c = 0; c < CASES; c++) {
        size_t n = large_random_n(c);
        int by_value = c % 4 == 3;
        for (size_t i = 0; i < n; i++) {
            v[i] = mixed_value();
            pr[i] = mixed_priority();
        }
        /* books from empty to more than n; pooled low capacity likewise */
        uint64_t csms = rng_below(60), apc = rng_below(n / 20 + 2);
        uint64_t low_cap = rng_below(5) == 0 ? UINT64_MAX : rng_below(n + 1);
        size_t high = ref_high_capacity(csms, apc, n);
        size_t low = low_cap < (uint64_t)(n - high) ? (size_t)low_cap : n - high;
        ref_rank_tiers(n, by_value ? v : pr, high, low, want);
        libcs_touch_summary s;
        fill_tiers(tiers, n);
        ck_assert_ok(libcs_touch_capacity(n, v, by_value ? NULL : pr, csms, apc,
                                          low_cap, tiers, &s, NULL));
        ck_tiers_match(tiers, want, n, "capacity", c);
        ck_assert_uint_eq(s.customers[HIGH], high);
        ck_assert_uint_eq(s.customers[LOW], low);
    }
    free(v);
    free(pr);
    free(tiers);
    free(want);
}
END_TEST

/* ---- summaries ------------------------------------------------------------ */

/* libcs_touch_summarize on hand-assigned tiers, and zero total value. */
START_TEST(test_summarize)
{
    /* values 10, 30, 0, 60 with tiers tech, high, low, high:
     * high 30 + 60 = 90 (2 of 4, 0.9 of 100), low 0 (1 of 4, 0),
     * tech 10 (1 of 4, 0.1) */
    const double v[4] = {10, 30, 0, 60};
    const int t[4] = {TECH, HIGH, LOW, HIGH};
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;
    ck_assert_ok(libcs_touch_summarize(4, v, t, &s, &bad));
    ck_assert_uint_eq(bad, BAD_SENTINEL);
    ck_assert_uint_eq(s.customers[HIGH], 2);
    ck_assert_uint_eq(s.customers[LOW], 1);
    ck_assert_uint_eq(s.customers[TECH], 1);
    ck_assert_close(s.value[HIGH], 90, 1e-15);
    ck_assert_close(s.value[LOW], 0, 0.0);
    ck_assert_close(s.value[TECH], 10, 1e-15);
    ck_assert_close(s.customer_share[HIGH], 0.5, 1e-15);
    ck_assert_close(s.customer_share[LOW], 0.25, 1e-15);
    ck_assert_close(s.customer_share[TECH], 0.25, 1e-15);
    ck_assert_close(s.value_share[HIGH], 0.9, 1e-15);
    ck_assert_close(s.value_share[LOW], 0.0, 0.0);
    ck_assert_close(s.value_share[TECH], 0.1, 1e-15);

    /* all values 0: value shares all 0, not NaN */
    const double z[3] = {0, -0.0, 0};
    const int tz[3] = {HIGH, LOW, LOW};
    ck_assert_ok(libcs_touch_summarize(3, z, tz, &s, NULL));
    for (int k = 0; k < 3; k++) {
        ck_assert_close(s.value[k], 0.0, 0.0);
        ck_assert_msg(s.value_share[k] == 0.0, "value_share[%d] = %g", k,
                      s.value_share[k]);
    }
    ck_assert_close(s.customer_share[LOW], 2.0 / 3.0, 1e-15);
    ck_summary_consistent(3, z, tz, &s);
    /* and through the policies */
    int tiers[3];
    ck_assert_ok(libcs_touch_shares(3, z, NULL, 0.5, 0.0, tiers, &s, NULL));
    ck_summary_consistent(3, z, tiers, &s);
    ck_assert_ok(libcs_touch_thresholds(3, z, 1, 0, tiers, &s, NULL));
    ck_assert_uint_eq(s.customers[LOW], 3);
    ck_summary_consistent(3, z, tiers, &s);

    /* large and small values in one tier: the sum to double precision */
    double big[5] = {1e16, 1, 1, 1, 1};
    int tb[5] = {HIGH, HIGH, HIGH, HIGH, HIGH};
    ck_assert_ok(libcs_touch_summarize(5, big, tb, &s, NULL));
    ck_assert_close(s.value[HIGH], 1e16 + 4, 1e-15);
    ck_assert_close(s.value_share[HIGH], 1.0, 1e-15);
}
END_TEST

/* Tier sums too large for a double: by the library's convention (libcs.h,
 * lib/internal.h) a result too large for a double is LIBCS_EOVERFLOW with the
 * outputs untouched - not an infinite sum with NaN shares. */
START_TEST(test_summary_sum_overflow)
{
    const double v[2] = {DBL_MAX, DBL_MAX};
    const int t[2] = {HIGH, HIGH};
    libcs_touch_summary s;
    int tiers[2];
    poison_summary(&s);
    ck_assert_fails(libcs_touch_summarize(2, v, t, &s, NULL), LIBCS_EOVERFLOW,
                    s.value[HIGH]);
    ck_assert_msg(summary_untouched(&s), "summary written on error");
    TOUCH_FAILS(libcs_touch_thresholds(2, v, 1, 0, tiers, &s, NULL),
                LIBCS_EOVERFLOW, tiers, 2, s);
}
END_TEST

/* Each tier's sum fits, only the total does not: the value shares are still
 * well defined (0.5 each here) and must sum to 1, not come out all 0. */
START_TEST(test_summary_total_overflow)
{
    /* Each tier's sum fits, but the total value (the denominator of the
     * value shares) does not: the library reports LIBCS_EOVERFLOW rather
     * than shares computed from an infinite total, and writes nothing. */
    const double v[2] = {0.75 * DBL_MAX, 0.75 * DBL_MAX};
    const int t[2] = {HIGH, LOW};
    int tiers[2] = {-7, -7};
    libcs_touch_summary s;
    memset(&s, 0x5a, sizeof s);
    libcs_touch_summary before = s;
    ck_assert_int_eq(libcs_touch_summarize(2, v, t, &s, NULL),
                     LIBCS_EOVERFLOW);
    ck_assert(memcmp(&s, &before, sizeof s) == 0);
    ck_assert_int_eq(libcs_touch_thresholds(2, v, 1, 0, tiers, &s, NULL),
                     LIBCS_EOVERFLOW);
    ck_assert_int_eq(libcs_touch_shares(2, v, NULL, 0.5, 0.5, tiers, &s, NULL),
                     LIBCS_EOVERFLOW);
    ck_assert(tiers[0] == -7 && tiers[1] == -7);
    ck_assert(memcmp(&s, &before, sizeof s) == 0);
    /* half of that is fine: 0.375 DBL_MAX each, shares 1/2 */
    const double w[2] = {0.375 * DBL_MAX, 0.375 * DBL_MAX};
    ck_assert_ok(libcs_touch_summarize(2, w, t, &s, NULL));
    ck_assert_close(s.value_share[HIGH], 0.5, 1e-15);
    ck_assert_close(s.value_share[LOW], 0.5, 1e-15);
    ck_assert_close(s.value_share[TECH], 0.0, 0.0);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(test_errors_null_and_empty)
{
    const double v[3] = {1, 2, 3};
    const int t_ok[3] = {0, 1, 2};
    int tiers[3];
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;

    TOUCH_FAILS(libcs_touch_thresholds(3, NULL, 2, 1, tiers, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_thresholds(3, v, 2, 1, NULL, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(3, NULL, v, 0.5, 0.5, tiers, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(3, v, v, 0.5, 0.5, NULL, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_capacity(3, NULL, v, 1, 1, 1, tiers, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_capacity(3, v, v, 1, 1, 1, NULL, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_summarize(3, NULL, t_ok, &s, &bad), LIBCS_EINVAL,
                tiers, 3, s);
    TOUCH_FAILS(libcs_touch_summarize(3, v, NULL, &s, &bad), LIBCS_EINVAL,
                tiers, 3, s);
    ck_assert_int_eq(libcs_touch_summarize(3, v, t_ok, NULL, &bad),
                     LIBCS_EINVAL);
    /* NULL before emptiness */
    TOUCH_FAILS(libcs_touch_thresholds(0, NULL, 2, 1, tiers, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_capacity(0, v, v, 1, 1, 1, NULL, &s, &bad),
                LIBCS_EINVAL, tiers, 3, s);

    /* n = 0 */
    TOUCH_FAILS(libcs_touch_thresholds(0, v, 2, 1, tiers, &s, &bad),
                LIBCS_EEMPTY, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(0, v, v, 0.5, 0.5, tiers, &s, &bad),
                LIBCS_EEMPTY, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(0, v, NULL, 0.5, 0.5, tiers, &s, &bad),
                LIBCS_EEMPTY, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_capacity(0, v, v, 1, 1, 1, tiers, &s, &bad),
                LIBCS_EEMPTY, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_summarize(0, v, t_ok, &s, &bad), LIBCS_EEMPTY,
                tiers, 3, s);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
}
END_TEST

START_TEST(test_errors_policy_parameters)
{
    const double v[3] = {1, 2, 3};
    int tiers[3];
    libcs_touch_summary s;
    size_t bad = BAD_SENTINEL;
    const double nonfinite[3] = {NAN, INFINITY, -INFINITY};

    for (int k = 0; k < 3; k++) {
        double x = nonfinite[k];
        TOUCH_FAILS(libcs_touch_thresholds(3, v, x, 1, tiers, &s, &bad),
                    LIBCS_ENONFINITE, tiers, 3, s);
        TOUCH_FAILS(libcs_touch_thresholds(3, v, 2, x, tiers, &s, &bad),
                    LIBCS_ENONFINITE, tiers, 3, s);
        TOUCH_FAILS(libcs_touch_shares(3, v, NULL, x, 0.1, tiers, &s, &bad),
                    LIBCS_ENONFINITE, tiers, 3, s);
        TOUCH_FAILS(libcs_touch_shares(3, v, NULL, 0.1, x, tiers, &s, &bad),
                    LIBCS_ENONFINITE, tiers, 3, s);
    }
    /* shares outside [0, 1] */
    TOUCH_FAILS(libcs_touch_shares(3, v, NULL, -0.1, 0.1, tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(3, v, NULL, 0.1, -0.1, tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(3, v, NULL, 1.5, 0.0, tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_shares(3, v, NULL, 0.0, 1.0000001, tiers, &s,
                                   &bad),
                LIBCS_EDOMAIN, tiers, 3, s);
    TOUCH_FAILS(libcs_touch_thresholds(3, v, 1, 2, tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, 3, s);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
}
END_TEST

/* Bad elements: value NaN / +-Inf -> ENONFINITE, negative -> EDOMAIN,
 * priority NaN / +-Inf -> ENONFINITE, each with the first bad index. */
START_TEST(test_errors_elements)
{
    enum { N = 6 };
    double v[N], pr[N];
    int tiers[N];
    libcs_touch_summary s;
    size_t bad;
    const int t_ok[N] = {0, 1, 2, 0, 1, 2};
    const double nonfinite[3] = {NAN, INFINITY, -INFINITY};

    for (int k = 0; k < 3; k++) {
        for (size_t at = 0; at < N; at++) {
            for (size_t i = 0; i < N; i++) {
                v[i] = 10.0 * (double)i;
                pr[i] = (double)i - 2.0;
            }
            /* value[at] non-finite */
            v[at] = nonfinite[k];
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_thresholds(N, v, 20, 10, tiers, &s, &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_shares(N, v, pr, 0.5, 0.25, tiers, &s,
                                           &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_shares(N, v, NULL, 0.5, 0.25, tiers, &s,
                                           &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_capacity(N, v, pr, 1, 1, 1, tiers, &s,
                                             &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_summarize(N, v, t_ok, &s, &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);

            /* priority[at] non-finite (values fine) */
            v[at] = 5.0;
            pr[at] = nonfinite[k];
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_shares(N, v, pr, 0.5, 0.25, tiers, &s,
                                           &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_capacity(N, v, pr, 1, 1, 1, tiers, &s,
                                             &bad),
                        LIBCS_ENONFINITE, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            /* bad_index may be NULL */
            TOUCH_FAILS(libcs_touch_capacity(N, v, pr, 1, 1, 1, tiers, &s,
                                             NULL),
                        LIBCS_ENONFINITE, tiers, N, s);
        }
    }

    /* negative value -> EDOMAIN; -0.0 is not negative */
    for (size_t at = 0; at < N; at++) {
        for (size_t i = 0; i < N; i++) {
            v[i] = i == 0 ? -0.0 : 10.0 * (double)i;
            pr[i] = 1.0;
        }
        v[at] = at % 2 ? -1.0 : -DBL_MIN;
        bad = BAD_SENTINEL;
        TOUCH_FAILS(libcs_touch_thresholds(N, v, 20, 10, tiers, &s, &bad),
                    LIBCS_EDOMAIN, tiers, N, s);
        ck_assert_uint_eq(bad, at);
        bad = BAD_SENTINEL;
        TOUCH_FAILS(libcs_touch_shares(N, v, pr, 0.5, 0.25, tiers, &s, &bad),
                    LIBCS_EDOMAIN, tiers, N, s);
        ck_assert_uint_eq(bad, at);
        bad = BAD_SENTINEL;
        TOUCH_FAILS(libcs_touch_capacity(N, v, NULL, 1, 1, 1, tiers, &s, &bad),
                    LIBCS_EDOMAIN, tiers, N, s);
        ck_assert_uint_eq(bad, at);
        bad = BAD_SENTINEL;
        TOUCH_FAILS(libcs_touch_summarize(N, v, t_ok, &s, &bad), LIBCS_EDOMAIN,
                    tiers, N, s);
        ck_assert_uint_eq(bad, at);
    }

    /* several bad elements: the first is reported */
    for (size_t i = 0; i < N; i++) {
        v[i] = 1.0;
        pr[i] = 1.0;
    }
    v[4] = -3.0;
    v[2] = NAN;
    pr[1] = INFINITY;
    bad = BAD_SENTINEL;
    TOUCH_FAILS(libcs_touch_capacity(N, v, pr, 1, 1, 1, tiers, &s, &bad),
                LIBCS_ENONFINITE, tiers, N, s);
    ck_assert_uint_eq(bad, 1);
    bad = BAD_SENTINEL;
    TOUCH_FAILS(libcs_touch_capacity(N, v, NULL, 1, 1, 1, tiers, &s, &bad),
                LIBCS_ENONFINITE, tiers, N, s);
    ck_assert_uint_eq(bad, 2);
    v[2] = 1.0;
    bad = BAD_SENTINEL;
    TOUCH_FAILS(libcs_touch_shares(N, v, NULL, 0.5, 0.5, tiers, &s, &bad),
                LIBCS_EDOMAIN, tiers, N, s);
    ck_assert_uint_eq(bad, 4);

    /* finite values do not hide a bad priority, even when p = q = 0 */
    for (size_t i = 0; i < N; i++)
        v[i] = 1.0;
    pr[1] = 1.0;
    pr[5] = NAN;
    bad = BAD_SENTINEL;
    TOUCH_FAILS(libcs_touch_shares(N, v, pr, 0.0, 0.0, tiers, &s, &bad),
                LIBCS_ENONFINITE, tiers, N, s);
    ck_assert_uint_eq(bad, 5);
}
END_TEST

/* summarize: tiers outside 0..2 -> EDOMAIN with the first bad index. */
START_TEST(test_errors_summarize_tiers)
{
    enum { N = 5 };
    const double v[N] = {1, 2, 3, 4, 5};
    const int badtier[4] = {-1, 3, INT32_MIN, 1000};
    int t[N], tiers[N];
    libcs_touch_summary s;
    size_t bad;
    for (int k = 0; k < 4; k++) {
        for (size_t at = 0; at < N; at++) {
            for (size_t i = 0; i < N; i++)
                t[i] = (int)(i % 3);
            t[at] = badtier[k];
            bad = BAD_SENTINEL;
            TOUCH_FAILS(libcs_touch_summarize(N, v, t, &s, &bad),
                        LIBCS_EDOMAIN, tiers, N, s);
            ck_assert_uint_eq(bad, at);
            TOUCH_FAILS(libcs_touch_summarize(N, v, t, &s, NULL),
                        LIBCS_EDOMAIN, tiers, N, s);
        }
    }
    /* two bad tiers: the first */
    for (size_t i = 0; i < N; i++)
        t[i] = 0;
    t[3] = 3;
    t[1] = -1;
    bad = BAD_SENTINEL;
    TOUCH_FAILS(libcs_touch_summarize(N, v, t, &s, &bad), LIBCS_EDOMAIN, tiers,
                N, s);
    ck_assert_uint_eq(bad, 1);
}
END_TEST

/* ---- one large case ------------------------------------------------------ */

/* LIBCS_TEST_TOUCH_N overrides the size (e.g. smaller under valgrind). */
static size_t large_n(void)
{
    const char *e = getenv("LIBCS_TEST_TOUCH_N");
    if (e && *e) {
        char *end;
        unsigned long long x = strtoull(e, &end, 10);
        if (*end == '\0' && x > 0)
            return (size_t)x;
    }
    return 2000000;
}

/* Exact counts, the tiers ordered by priority (min high >= max low >= max
 * tech), and ties at each cut broken by index: of the customers whose
 * priority equals the cut value, the upper tier holds the lower indices. */
static void ck_large_tiers(size_t n, const double *p, const int *tiers,
                           size_t want_high, size_t want_low)
{
    size_t count[3];
    count_tiers(tiers, n, count);
    ck_assert_uint_eq(count[HIGH], want_high);
    ck_assert_uint_eq(count[LOW], want_low);
    ck_assert_uint_eq(count[TECH], n - want_high - want_low);

    double min_t[3] = {INFINITY, INFINITY, INFINITY};
    double max_t[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) {
        int t = tiers[i];
        if (p[i] < min_t[t])
            min_t[t] = p[i];
        if (p[i] > max_t[t])
            max_t[t] = p[i];
    }
    if (count[HIGH] && count[LOW])
        ck_assert_msg(min_t[HIGH] >= max_t[LOW], "min high %.17g < max low %.17g",
                      min_t[HIGH], max_t[LOW]);
    if (count[HIGH] && count[TECH])
        ck_assert_msg(min_t[HIGH] >= max_t[TECH],
                      "min high %.17g < max tech %.17g", min_t[HIGH],
                      max_t[TECH]);
    if (count[LOW] && count[TECH])
        ck_assert_msg(min_t[LOW] >= max_t[TECH], "min low %.17g < max tech %.17g",
                      min_t[LOW], max_t[TECH]);

    /* at each cut value: last index of the upper tier < first index below */
    for (int upper = HIGH; upper > TECH; upper--) {
        if (!count[upper])
            continue;
        double cut = min_t[upper];
        size_t last_up = 0, first_down = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            if (p[i] != cut)
                continue;
            if (tiers[i] >= upper)
                last_up = i;
            else if (first_down == SIZE_MAX)
                first_down = i;
        }
        ck_assert_msg(first_down == SIZE_MAX || last_up < first_down,
                      "tie at %.17g: tier >= %d up to index %zu but index %zu "
                      "below",
                      cut, upper, last_up, first_down);
    }
}

START_TEST(test_large)
{
    size_t n = large_n();
    double *v = malloc(n * sizeof *v), *pr = malloc(n * sizeof *pr);
    int *tiers = malloc(n * sizeof *tiers);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(pr);
    ck_assert_ptr_nonnull(tiers);
    rng_state = 4242;
    for (size_t i = 0; i < n; i++) {
        v[i] = (double)rng_below(100000);               /* many duplicates */
        pr[i] = v[i] * (double)(1 + rng_below(5)) * 0.2; /* value x risk */
    }
    libcs_touch_summary s;

    /* shares 4 % high, 20 % low */
    size_t high = ref_share_count(0.04, n), top = ref_share_count(0.24, n);
    fill_tiers(tiers, n);
    ck_assert_ok(libcs_touch_shares(n, v, pr, 0.04, 0.20, tiers, &s, NULL));
    ck_large_tiers(n, pr, tiers, high, top - high);
    ck_assert_uint_eq(s.customers[HIGH], high);
    ck_assert_uint_eq(s.customers[LOW], top - high);
    ck_summary_consistent(n, v, tiers, &s);

    /* the same by value */
    fill_tiers(tiers, n);
    ck_assert_ok(libcs_touch_shares(n, v, NULL, 0.04, 0.20, tiers, &s, NULL));
    ck_large_tiers(n, v, tiers, high, top - high);

    /* capacity: 40 CSMs x 25 accounts, pooled low capacity n / 5 */
    size_t hc = ref_high_capacity(40, 25, n);
    size_t lc = n / 5 < n - hc ? n / 5 : n - hc;
    fill_tiers(tiers, n);
    ck_assert_ok(libcs_touch_capacity(n, v, pr, 40, 25, n / 5, tiers, &s,
                                      NULL));
    ck_large_tiers(n, pr, tiers, hc, lc);
    ck_summary_consistent(n, v, tiers, &s);
    ck_summarize_matches(n, v, tiers, &s);

    free(v);
    free(pr);
    free(tiers);
}
END_TEST

static Suite *touch_suite(void)
{
    Suite *s = suite_create("touch");
    TCase *tc = tcase_create("thresholds");
    tcase_add_test(tc, test_thresholds_worked);
    tcase_add_test(tc, test_thresholds_on_threshold);
    tcase_add_test(tc, test_thresholds_equal_and_inverted);
    tcase_add_test(tc, test_thresholds_batch_is_loop);
    suite_add_tcase(s, tc);

    tc = tcase_create("shares");
    tcase_add_test(tc, test_shares_worked);
    tcase_add_test(tc, test_shares_rounding);
    tcase_add_test(tc, test_shares_edges);
    suite_add_tcase(s, tc);

    tc = tcase_create("capacity");
    tcase_add_test(tc, test_capacity_worked);
    tcase_add_test(tc, test_capacity_exact);
    suite_add_tcase(s, tc);

    tc = tcase_create("ties");
    tcase_add_test(tc, test_ties_by_index);
    tcase_add_test(tc, test_ties_signed_zero);
    suite_add_tcase(s, tc);

    tc = tcase_create("reference");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_shares_reference);
    tcase_add_test(tc, test_capacity_reference);
    tcase_add_test(tc, test_large_shares_reference);
    tcase_add_test(tc, test_large_capacity_reference);
    suite_add_tcase(s, tc);

    tc = tcase_create("summary");
    tcase_add_test(tc, test_summarize);
    tcase_add_test(tc, test_summary_sum_overflow);
    tcase_add_test(tc, test_summary_total_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_errors_null_and_empty);
    tcase_add_test(tc, test_errors_policy_parameters);
    tcase_add_test(tc, test_errors_elements);
    tcase_add_test(tc, test_errors_summarize_tiers);
    suite_add_tcase(s, tc);

    tc = tcase_create("large");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_large);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(touch_suite());
}
