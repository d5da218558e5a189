/* tests/test_nps.c - Net Promoter Score: categories, the mergeable tally and
 * its vectorised batch counter, results with Wald and adjusted-Wald
 * intervals, the serialized format, and the one-shot forms.
 *
 * Expected values were computed independently of libcs with python3 and
 * mpmath (40 significant digits), using the definitions quoted next to each
 * test:
 *   NPS = 100 (p - d), p = promoters / n, d = detractors / n
 *   se  = 100 sqrt((p + d - (p - d)^2) / n)
 *   Wald interval: NPS -+ z se, clamped to [-100, 100]
 *   adjusted Wald (Rocks 2016, "Interval Estimation for the Net Promoter
 *   Score", The American Statistician 70(4)): n' = n + 3, promoters and
 *   detractors + 3/4 each, the same formulas on the adjusted counts
 *   z = Phi^-1(0.5 + level / 2): 1.959963984540054 (95 %),
 *   1.6448536269514722 (90 %), 2.5758293035489008 (99 %). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define Z95 1.959963984540054
#define Z90 1.6448536269514722
#define Z99 2.5758293035489008

/* rc == code, with both messages on failure (for calls without a double
 * output, where ck_assert_fails does not apply). */
#define ck_assert_rc(call, code)                                               \
    do {                                                                       \
        int rc2_ = (call);                                                     \
        ck_assert_msg(rc2_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, rc2_, libcs_strerror(rc2_), (int)(code),          \
                      libcs_strerror(code));                                   \
    } while (0)

/* ---- helpers ------------------------------------------------------------ */

/* splitmix64: a small deterministic generator for test data. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* n pseudo-random scores 0..10. */
static void fill_scores(uint8_t *s, size_t n, uint64_t seed)
{
    uint64_t st = seed;
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)(rng_next(&st) % 11);
}

static uint8_t *alloc_scores(size_t n, uint64_t seed)
{
    uint8_t *s = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(s);
    fill_scores(s, n, seed);
    return s;
}

/* The reference: the tally built one score at a time.  (One assertion at
 * the end: each Check assertion records its location, which is slow in a
 * loop of 10^5.) */
static void loop_tally(libcs_nps_tally *t, const uint8_t *s, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += libcs_nps_tally_add(t, s[i]) != LIBCS_OK;
    ck_assert_msg(failed == 0, "tally_add failed %zu times", failed);
}

/* Counting done by the test itself, independent of the library. */
static void plain_counts(const uint8_t *s, size_t n, uint64_t counts[11])
{
    memset(counts, 0, 11 * sizeof counts[0]);
    for (size_t i = 0; i < n; i++)
        counts[s[i]]++;
}

static void assert_tally_eq(const libcs_nps_tally *got,
                            const libcs_nps_tally *want, const char *what)
{
    for (int v = 0; v < 11; v++)
        ck_assert_msg(got->counts[v] == want->counts[v],
                      "%s: counts[%d] = %llu, want %llu", what, v,
                      (unsigned long long)got->counts[v],
                      (unsigned long long)want->counts[v]);
}

/* add_batch on (s, n) equals the loop of tally_add and the plain count,
 * starting from a non-empty tally so that accumulation is checked too. */
static void check_batch_matches(const uint8_t *s, size_t n)
{
    libcs_nps_tally batch, loop;
    uint64_t plain[11];
    ck_assert_ok(libcs_nps_tally_init(&batch));
    for (int v = 0; v < 11; v++)
        batch.counts[v] = (uint64_t)(1000 * v + 7);
    loop = batch;
    size_t bad = 777;
    ck_assert_ok(libcs_nps_tally_add_batch(&batch, n, s, &bad));
    loop_tally(&loop, s, n);
    assert_tally_eq(&batch, &loop, "add_batch vs loop");
    plain_counts(s, n, plain);
    for (int v = 0; v < 11; v++)
        ck_assert_msg(batch.counts[v] == (uint64_t)(1000 * v + 7) + plain[v],
                      "n = %zu: counts[%d] off", n, v);
}

static void assert_result_eq(const libcs_nps_result *a,
                             const libcs_nps_result *b)
{
    ck_assert_uint_eq(a->n, b->n);
    ck_assert_uint_eq(a->promoters, b->promoters);
    ck_assert_uint_eq(a->passives, b->passives);
    ck_assert_uint_eq(a->detractors, b->detractors);
    ck_assert(a->promoter_share == b->promoter_share);
    ck_assert(a->passive_share == b->passive_share);
    ck_assert(a->detractor_share == b->detractor_share);
    ck_assert(a->nps == b->nps);
    ck_assert(a->se == b->se);
    ck_assert(a->level == b->level);
    ck_assert(a->wald_low == b->wald_low);
    ck_assert(a->wald_high == b->wald_high);
    ck_assert(a->adjusted_nps == b->adjusted_nps);
    ck_assert(a->adjusted_low == b->adjusted_low);
    ck_assert(a->adjusted_high == b->adjusted_high);
}

/* Fill a result with a pattern; the failing call must leave it. */
static void poison_result(libcs_nps_result *r)
{
    memset(r, 0xA5, sizeof *r);
}

static void assert_result_poisoned(const libcs_nps_result *r)
{
    libcs_nps_result p;
    poison_result(&p);
    ck_assert_msg(memcmp(r, &p, sizeof p) == 0,
                  "the result was written on error");
}

static libcs_nps_tally tally_of(uint64_t pro, uint64_t pas, uint64_t det)
{
    libcs_nps_tally t;
    memset(&t, 0, sizeof t);
    t.counts[10] = pro;
    t.counts[8] = pas;
    t.counts[0] = det;
    return t;
}

/* ---- categories --------------------------------------------------------- */

/* Reichheld's categories: 0-6 detractors, 7-8 passives, 9-10 promoters. */
START_TEST(test_category_edges)
{
    static const struct {
        int score, cat;
    } cases[] = {
        {0, LIBCS_NPS_DETRACTOR}, {1, LIBCS_NPS_DETRACTOR},
        {5, LIBCS_NPS_DETRACTOR}, {6, LIBCS_NPS_DETRACTOR},
        {7, LIBCS_NPS_PASSIVE},   {8, LIBCS_NPS_PASSIVE},
        {9, LIBCS_NPS_PROMOTER},  {10, LIBCS_NPS_PROMOTER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int cat = 99;
        ck_assert_ok(libcs_nps_category(cases[i].score, &cat));
        ck_assert_msg(cat == cases[i].cat, "score %d: category %d, want %d",
                      cases[i].score, cat, cases[i].cat);
    }
    ck_assert_int_eq(LIBCS_NPS_DETRACTOR, -1);
    ck_assert_int_eq(LIBCS_NPS_PASSIVE, 0);
    ck_assert_int_eq(LIBCS_NPS_PROMOTER, 1);
}
END_TEST

START_TEST(test_category_errors)
{
    static const int bad[] = {-1, 11, 12, 255, -100, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int cat = 99;
        ck_assert_rc(libcs_nps_category(bad[i], &cat), LIBCS_EDOMAIN);
        ck_assert_int_eq(cat, 99);
    }
    ck_assert_rc(libcs_nps_category(5, NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_category(11, NULL), LIBCS_EINVAL);
}
END_TEST

/* ---- the tally, one score at a time --------------------------------------- */

START_TEST(test_tally_init_add)
{
    libcs_nps_tally t;
    memset(&t, 0xFF, sizeof t);
    ck_assert_ok(libcs_nps_tally_init(&t));
    for (int v = 0; v < 11; v++)
        ck_assert_uint_eq(t.counts[v], 0);
    ck_assert_rc(libcs_nps_tally_init(NULL), LIBCS_EINVAL);

    /* score v added v + 1 times */
    for (int v = 0; v <= 10; v++)
        for (int k = 0; k <= v; k++)
            ck_assert_ok(libcs_nps_tally_add(&t, v));
    for (int v = 0; v < 11; v++)
        ck_assert_uint_eq(t.counts[v], (uint64_t)v + 1);
}
END_TEST

START_TEST(test_tally_add_errors)
{
    libcs_nps_tally t, copy;
    libcs_nps_tally_init(&t);
    ck_assert_ok(libcs_nps_tally_add(&t, 3));
    copy = t;
    static const int bad[] = {-1, 11, 200, 255, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_rc(libcs_nps_tally_add(&t, bad[i]), LIBCS_EDOMAIN);
        assert_tally_eq(&t, &copy, "tally_add bad score");
    }
    ck_assert_rc(libcs_nps_tally_add(NULL, 5), LIBCS_EINVAL);
}
END_TEST

START_TEST(test_tally_add_overflow)
{
    libcs_nps_tally t, copy;
    libcs_nps_tally_init(&t);
    t.counts[5] = UINT64_MAX;
    t.counts[10] = UINT64_MAX - 1;
    copy = t;
    ck_assert_rc(libcs_nps_tally_add(&t, 5), LIBCS_EOVERFLOW);
    assert_tally_eq(&t, &copy, "tally_add overflow");
    /* one below the limit still fits, then the next overflows */
    ck_assert_ok(libcs_nps_tally_add(&t, 10));
    ck_assert_uint_eq(t.counts[10], UINT64_MAX);
    copy = t;
    ck_assert_rc(libcs_nps_tally_add(&t, 10), LIBCS_EOVERFLOW);
    assert_tally_eq(&t, &copy, "tally_add overflow at 10");
    ck_assert_ok(libcs_nps_tally_add(&t, 4));
    ck_assert_uint_eq(t.counts[4], 1);
}
END_TEST

/* ---- add_batch ------------------------------------------------------------ */

START_TEST(test_batch_zero_length)
{
    libcs_nps_tally t, copy;
    uint8_t one = 11; /* never read */
    libcs_nps_tally_init(&t);
    t.counts[2] = 42;
    copy = t;
    size_t bad = 12345;
    ck_assert_ok(libcs_nps_tally_add_batch(&t, 0, &one, &bad));
    assert_tally_eq(&t, &copy, "n = 0");
    ck_assert_ok(libcs_nps_tally_add_batch(&t, 0, &one, NULL));
    assert_tally_eq(&t, &copy, "n = 0, bad_index NULL");
}
END_TEST

START_TEST(test_batch_short_lengths)
{
    uint8_t *s = alloc_scores(100 + 3, 1);
    for (size_t n = 1; n <= 100; n++)
        for (size_t off = 0; off < 4; off++) {
            fill_scores(s, n + off, 1000 * n + off);
            check_batch_matches(s + off, n);
        }
    free(s);
}
END_TEST

/* The vector path counts blocks of at most 255 vectors into 8-bit lane
 * counters: 16-byte vectors (4080-byte blocks) everywhere, 32-byte AVX2
 * vectors (8160-byte blocks) where the CPU has them.  The lengths straddle
 * the vectors and the blocks of both widths. */
START_TEST(test_batch_block_boundaries)
{
    static const size_t lengths[] = {
        15,    16,    17,    31,    32,    33,     63,     64,    65,
        4063,  4064,  4065,  4079,  4080,  4081,   4095,   4096,  8127,
        8128,  8159,  8160,  8161,  8176,  8191,   8192,   8193,  12240,
        12241, 16319, 16320, 16321, 24480, 24481,  24513,  100000,
        100003, 131072};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i];
        uint8_t *s = alloc_scores(n, 77 + n);
        check_batch_matches(s, n);
        free(s);
    }
}
END_TEST

START_TEST(test_batch_unaligned)
{
    static const size_t lengths[] = {16,   32,   100,  4079,  4080,
                                     4081, 8159, 8160, 8161,  16321,
                                     100003};
    static const size_t offsets[] = {1, 3, 5, 15};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        for (size_t j = 0; j < sizeof offsets / sizeof offsets[0]; j++) {
            size_t n = lengths[i], off = offsets[j];
            uint8_t *buf = alloc_scores(n + off, 5 * n + off);
            check_batch_matches(buf + off, n);
            free(buf);
        }
}
END_TEST

/* All scores equal: every 8-bit lane counter reaches 255 in a full block of
 * either width (and score 10, derived from the block length, gets every
 * answer).  24513 = 3 x 8160 + 33 = 6 x 4080 + 33. */
START_TEST(test_batch_uniform)
{
    const size_t n = 24513;
    uint8_t *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    for (int v = 0; v <= 10; v++) {
        memset(s, v, n + 1);
        libcs_nps_tally t;
        libcs_nps_tally_init(&t);
        ck_assert_ok(libcs_nps_tally_add_batch(&t, n, s, NULL));
        for (int w = 0; w <= 10; w++)
            ck_assert_uint_eq(t.counts[w], w == v ? n : 0);
        /* and unaligned */
        libcs_nps_tally_init(&t);
        ck_assert_ok(libcs_nps_tally_add_batch(&t, n, s + 1, NULL));
        ck_assert_uint_eq(t.counts[v], n);
        check_batch_matches(s, 4080);
    }
    free(s);
}
END_TEST

/* One bad score (and a second, later one) at position pos of a length-n
 * array: EDOMAIN, bad_index = pos, tally unchanged. */
static void check_bad_at(const uint8_t *base, size_t n, size_t pos,
                         uint8_t badval, size_t second)
{
    uint8_t *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    memcpy(s, base, n);
    libcs_nps_tally t, copy;
    libcs_nps_tally_init(&t);
    for (int v = 0; v < 11; v++)
        t.counts[v] = (uint64_t)(v * v + 1);
    copy = t;
    s[pos] = badval;
    if (second > pos && second < n)
        s[second] = (uint8_t)(badval == 11 ? 255 : 11);
    size_t bad = 999999999;
    ck_assert_rc(libcs_nps_tally_add_batch(&t, n, s, &bad), LIBCS_EDOMAIN);
    ck_assert_msg(bad == pos, "n = %zu, bad %u at %zu (second at %zu): "
                  "bad_index = %zu", n, badval, pos, second, bad);
    assert_tally_eq(&t, &copy, "add_batch with a bad score");
    /* bad_index may be NULL */
    ck_assert_rc(libcs_nps_tally_add_batch(&t, n, s, NULL), LIBCS_EDOMAIN);
    assert_tally_eq(&t, &copy, "add_batch with a bad score, NULL bad_index");
    /* from_scores reports the same index and leaves its output */
    libcs_nps_result r;
    poison_result(&r);
    bad = 999999999;
    ck_assert_rc(libcs_nps_from_scores(n, s, 0.95, &r, &bad), LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, pos);
    assert_result_poisoned(&r);
    free(s);
}

START_TEST(test_batch_bad_scores)
{
    static const uint8_t badvals[] = {11, 200, 255};
    /* n, then positions: first, second, in the first vector, at vector
     * boundaries, middle, the last of the vector part and the first of the
     * scalar tail (for 16- and 32-byte vectors), in a later block, last */
    static const size_t lengths[] = {1,    5,    16,   20,   33,    100,
                                     4079, 4080, 4081, 8160, 8161,  8191,
                                     16321, 100003};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i];
        uint8_t *base = alloc_scores(n, 31 * n);
        size_t end16 = n / 16 * 16, end32 = n / 32 * 32; /* vector parts */
        size_t pos[] = {0,
                        1,
                        7,
                        15,
                        16,
                        31,
                        32,
                        n / 2,
                        end16 ? end16 - 1 : 0,
                        end16,
                        end32 ? end32 - 1 : 0,
                        end32,
                        4080 + 9,
                        8160 + 9,
                        16320 - 1,
                        n - 2,
                        n - 1};
        for (size_t j = 0; j < sizeof pos / sizeof pos[0]; j++) {
            if (pos[j] >= n)
                continue;
            /* every bad value on the shorter arrays, one in turn on the
             * longest (to keep the suite fast under valgrind) */
            size_t nk = n > 20000 ? 1 : 3;
            for (size_t k = 0; k < nk; k++) {
                uint8_t b = badvals[(k + j) % 3];
                /* alone, with a second bad score just after it, with one
                 * at the end */
                check_bad_at(base, n, pos[j], b, n);
                check_bad_at(base, n, pos[j], b, pos[j] + 1);
                check_bad_at(base, n, pos[j], b, n - 1);
            }
        }
        free(base);
    }
}
END_TEST

START_TEST(test_batch_errors)
{
    libcs_nps_tally t;
    uint8_t s[4] = {1, 2, 3, 4};
    size_t bad = 5;
    libcs_nps_tally_init(&t);
    ck_assert_rc(libcs_nps_tally_add_batch(NULL, 4, s, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_add_batch(&t, 4, NULL, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_add_batch(&t, 0, NULL, &bad), LIBCS_EINVAL);
    for (int v = 0; v < 11; v++)
        ck_assert_uint_eq(t.counts[v], 0);
}
END_TEST

START_TEST(test_batch_overflow)
{
    uint8_t s[40];
    libcs_nps_tally t, copy;
    fill_scores(s, sizeof s, 9);
    s[17] = 3;
    libcs_nps_tally_init(&t);
    t.counts[3] = UINT64_MAX;
    t.counts[0] = 5;
    copy = t;
    size_t bad = 0;
    ck_assert_rc(libcs_nps_tally_add_batch(&t, sizeof s, s, &bad),
                 LIBCS_EOVERFLOW);
    assert_tally_eq(&t, &copy, "add_batch overflow");
    /* in the scalar tail only */
    ck_assert_rc(libcs_nps_tally_add_batch(&t, 1, s + 17, &bad),
                 LIBCS_EOVERFLOW);
    assert_tally_eq(&t, &copy, "add_batch overflow, one score");
}
END_TEST

/* ---- merge ---------------------------------------------------------------- */

START_TEST(test_merge_concat)
{
    static const size_t splits[] = {0, 1, 17, 4080, 5000, 9999, 10000};
    const size_t n = 10000;
    uint8_t *s = alloc_scores(n, 2024);
    libcs_nps_tally whole;
    libcs_nps_tally_init(&whole);
    ck_assert_ok(libcs_nps_tally_add_batch(&whole, n, s, NULL));
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        size_t k = splits[i];
        libcs_nps_tally a, b, bcopy;
        libcs_nps_tally_init(&a);
        libcs_nps_tally_init(&b);
        loop_tally(&a, s, k);
        loop_tally(&b, s + k, n - k);
        bcopy = b;
        ck_assert_ok(libcs_nps_tally_merge(&a, &b));
        assert_tally_eq(&a, &whole, "merge vs concatenation");
        assert_tally_eq(&b, &bcopy, "merge changed `from`");
    }
    free(s);
}
END_TEST

START_TEST(test_merge_overflow)
{
    for (int bin = 0; bin <= 10; bin++) {
        libcs_nps_tally into, from, copy;
        libcs_nps_tally_init(&into);
        libcs_nps_tally_init(&from);
        for (int v = 0; v < 11; v++) {
            into.counts[v] = 10 + (uint64_t)v;
            from.counts[v] = 100 + (uint64_t)v;
        }
        into.counts[bin] = UINT64_MAX;
        from.counts[bin] = 1;
        copy = into;
        ck_assert_rc(libcs_nps_tally_merge(&into, &from), LIBCS_EOVERFLOW);
        assert_tally_eq(&into, &copy, "merge overflow");
    }
    /* exactly reaching UINT64_MAX is fine */
    libcs_nps_tally into, from;
    libcs_nps_tally_init(&into);
    libcs_nps_tally_init(&from);
    into.counts[7] = UINT64_MAX - 5;
    from.counts[7] = 5;
    ck_assert_ok(libcs_nps_tally_merge(&into, &from));
    ck_assert_uint_eq(into.counts[7], UINT64_MAX);
}
END_TEST

START_TEST(test_merge_null)
{
    libcs_nps_tally t;
    libcs_nps_tally_init(&t);
    ck_assert_rc(libcs_nps_tally_merge(NULL, &t), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_merge(&t, NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_merge(NULL, NULL), LIBCS_EINVAL);
}
END_TEST

/* ---- results ---------------------------------------------------------------- */

/* The issue's check: n = 1000, 250 promoters, 675 passives, 75 detractors.
 * p = 0.25, d = 0.075, NPS = 17.5;
 * se = 100 sqrt((0.325 - 0.175^2) / 1000) = 100 sqrt(0.000294375)
 *    = 1.7157359936773489511;
 * Wald 95 %: 17.5 -+ 1.959963984540054 se = 14.137219245413353849 to
 *    20.862780754586646151 (about 14.14 to 20.86).
 * Adjusted (Rocks 2016): n' = 1003, P' = 250.75, D' = 75.75,
 *    NPS' = 100 (250.75 - 75.75) / 1003 = 17.447657028913260219,
 *    se' = 1.715222317518794428, 95 %: 14.08588306109709782 to
 *    20.809430996729422619. */
START_TEST(test_result_issue_example)
{
    libcs_nps_tally t;
    libcs_nps_result r;
    libcs_nps_tally_init(&t);
    /* spread over every score of each category */
    t.counts[9] = 125;
    t.counts[10] = 125;
    t.counts[7] = 600;
    t.counts[8] = 75;
    for (int v = 0; v <= 6; v++)
        t.counts[v] = v < 5 ? 11 : 10; /* 5 x 11 + 2 x 10 = 75 */
    ck_assert_ok(libcs_nps_tally_result(&t, 0.95, &r));
    ck_assert_uint_eq(r.n, 1000);
    ck_assert_uint_eq(r.promoters, 250);
    ck_assert_uint_eq(r.passives, 675);
    ck_assert_uint_eq(r.detractors, 75);
    ck_assert_close(r.promoter_share, 0.25, 1e-15);
    ck_assert_close(r.passive_share, 0.675, 1e-15);
    ck_assert_close(r.detractor_share, 0.075, 1e-15);
    ck_assert_close(r.nps, 17.5, 1e-13);
    ck_assert_close(r.se, 1.7157359936773489511, 1e-13);
    ck_assert(r.level == 0.95);
    ck_assert_close(r.wald_low, 14.137219245413353849, 1e-12);
    ck_assert_close(r.wald_high, 20.862780754586646151, 1e-12);
    ck_assert_close(r.wald_low, 17.5 - Z95 * 1.7157359936773489511, 1e-12);
    /* the issue's rounded figures */
    ck_assert_close(r.wald_low, 14.14, 0.005);
    ck_assert_close(r.wald_high, 20.86, 0.005);
}
END_TEST

START_TEST(test_result_adjusted_wald)
{
    libcs_nps_result r;
    ck_assert_ok(libcs_nps_from_counts(250, 675, 75, 0.95, &r));
    ck_assert_close(r.adjusted_nps, 17.447657028913260219, 1e-12);
    ck_assert_close(r.adjusted_low, 14.08588306109709782, 1e-12);
    ck_assert_close(r.adjusted_high, 20.809430996729422619, 1e-12);
    /* centred on the adjusted NPS, half-width z se' */
    ck_assert_close((r.adjusted_low + r.adjusted_high) / 2, r.adjusted_nps,
                    1e-12);
    ck_assert_close((r.adjusted_high - r.adjusted_low) / (2 * Z95),
                    1.715222317518794428, 1e-12);
    /* the unadjusted Wald interval is centred on the NPS */
    ck_assert_close((r.wald_low + r.wald_high) / 2, r.nps, 1e-12);
}
END_TEST

/* 90 %: z = 1.6448536269514722.
 * 250/675/75: Wald 14.67786542790862352 to 20.32213457209137648,
 *   adjusted 14.626367378914360646 to 20.268946678912159792.
 * 40/35/25 (n = 100): NPS 15, se 100 sqrt((0.65 - 0.0225) / 100)
 *   = 7.9214897588774297424, Wald 1.970308839251512632 to
 *   28.029691160748487368; adjusted NPS 100 (40.75 - 25.75) / 103
 *   = 14.563106796116504854, 1.7560902105860086347 to
 *   27.370123381647001074. */
START_TEST(test_result_level_90)
{
    libcs_nps_result r;
    ck_assert_ok(libcs_nps_from_counts(250, 675, 75, 0.90, &r));
    ck_assert(r.level == 0.90);
    ck_assert_close(r.se, 1.7157359936773489511, 1e-13);
    ck_assert_close(r.wald_low, 14.67786542790862352, 1e-12);
    ck_assert_close(r.wald_high, 20.32213457209137648, 1e-12);
    ck_assert_close(r.adjusted_low, 14.626367378914360646, 1e-12);
    ck_assert_close(r.adjusted_high, 20.268946678912159792, 1e-12);
    ck_assert_close((r.wald_high - r.wald_low) / (2 * r.se), Z90, 1e-12);

    ck_assert_ok(libcs_nps_from_counts(40, 35, 25, 0.90, &r));
    ck_assert_close(r.nps, 15.0, 1e-13);
    ck_assert_close(r.se, 7.9214897588774297424, 1e-13);
    ck_assert_close(r.wald_low, 1.970308839251512632, 1e-12);
    ck_assert_close(r.wald_high, 28.029691160748487368, 1e-12);
    ck_assert_close(r.adjusted_nps, 14.563106796116504854, 1e-12);
    ck_assert_close(r.adjusted_low, 1.7560902105860086347, 1e-12);
    ck_assert_close(r.adjusted_high, 27.370123381647001074, 1e-12);
}
END_TEST

/* Intervals are clamped to [-100, 100].
 * All promoters (n = 10): p = 1, d = 0, se = 0, Wald [100, 100]; adjusted:
 *   NPS' = 100 x 10 / 13 = 76.923076923076923077, se' =
 *   15.010237744338251093, low = 47.503551544790208551, high = 76.92 +
 *   29.42 > 100 -> 100.
 * One promoter at 99 % (z = 2.5758293035489008): NPS' = 25, se' = 37.5,
 *   low -71.593598883083778537, high 121.59 -> 100; one detractor is the
 *   mirror image.
 * 1 promoter, 9 detractors: NPS -80, se 18.973665961010275992, Wald low
 *   -117.19 -> -100, high -42.812298061726302136; adjusted low -> -100,
 *   high -22.873630212413191832. */
START_TEST(test_result_clamping)
{
    libcs_nps_result r;
    ck_assert_ok(libcs_nps_from_counts(10, 0, 0, 0.95, &r));
    ck_assert(r.nps == 100.0);
    ck_assert(r.se == 0.0);
    ck_assert(r.wald_low == 100.0);
    ck_assert(r.wald_high == 100.0);
    ck_assert_close(r.adjusted_nps, 76.923076923076923077, 1e-12);
    ck_assert_close(r.adjusted_low, 47.503551544790208551, 1e-12);
    ck_assert(r.adjusted_high == 100.0);
    ck_assert_close(r.promoter_share, 1.0, 0);

    ck_assert_ok(libcs_nps_from_counts(1, 0, 0, 0.99, &r));
    ck_assert(r.wald_low == 100.0 && r.wald_high == 100.0);
    ck_assert_close(r.adjusted_nps, 25.0, 1e-13);
    ck_assert_close(r.adjusted_low, -71.593598883083778537, 1e-12);
    ck_assert_close(r.adjusted_low, 25.0 - Z99 * 37.5, 1e-12);
    ck_assert(r.adjusted_high == 100.0);

    ck_assert_ok(libcs_nps_from_counts(0, 0, 1, 0.99, &r));
    ck_assert(r.nps == -100.0);
    ck_assert(r.wald_low == -100.0 && r.wald_high == -100.0);
    ck_assert_close(r.adjusted_nps, -25.0, 1e-13);
    ck_assert(r.adjusted_low == -100.0);
    ck_assert_close(r.adjusted_high, 71.593598883083778537, 1e-12);

    ck_assert_ok(libcs_nps_from_counts(1, 0, 9, 0.95, &r));
    ck_assert_close(r.nps, -80.0, 1e-13);
    ck_assert_close(r.se, 18.973665961010275992, 1e-13);
    ck_assert(r.wald_low == -100.0);
    ck_assert_close(r.wald_high, -42.812298061726302136, 1e-12);
    ck_assert_close(r.adjusted_nps, -61.538461538461538462, 1e-12);
    ck_assert(r.adjusted_low == -100.0);
    ck_assert_close(r.adjusted_high, -22.873630212413191832, 1e-12);

    /* all passives: NPS 0, se 0, Wald [0, 0] */
    ck_assert_ok(libcs_nps_from_counts(0, 7, 0, 0.95, &r));
    ck_assert(r.nps == 0.0 && r.se == 0.0);
    ck_assert(r.wald_low == 0.0 && r.wald_high == 0.0);
    ck_assert_close(r.adjusted_nps, 0.0, 1e-15);
    ck_assert(r.adjusted_low < 0.0 && r.adjusted_high > 0.0);
}
END_TEST

/* An assertion for hot loops: Check records the location of every passing
 * assertion, which is slow, so call into Check only on failure. */
#define INV(expr)                                                              \
    do {                                                                       \
        if (!(expr))                                                           \
            ck_abort_msg("iteration %d: %s", iter, #expr);                     \
    } while (0)

/* Invariants on random tallies: shares sum to 1, NPS = 100 (p - d) in
 * [-100, 100], the intervals within [-100, 100] and around their centres,
 * the category counts add up. */
START_TEST(test_result_invariants)
{
    uint64_t st = 4242;
    for (int iter = 0; iter < 3000; iter++) {
        libcs_nps_tally t;
        libcs_nps_result r;
        libcs_nps_tally_init(&t);
        int shape = iter % 4;
        for (int v = 0; v < 11; v++) {
            uint64_t x = rng_next(&st);
            if (shape == 0)
                t.counts[v] = x % 50; /* small */
            else if (shape == 1)
                t.counts[v] = x >> 24; /* up to 2^40 */
            else if (shape == 2)
                t.counts[v] = (x % 3 == 0) ? x % 5 : 0; /* sparse */
            else
                t.counts[v] = x >> 8; /* up to 2^56 */
        }
        if (shape == 2 && iter % 8 == 2) {
            /* a single non-empty bin */
            memset(&t, 0, sizeof t);
            t.counts[iter % 11] = 1 + iter;
        }
        uint64_t sum = 0;
        for (int v = 0; v < 11; v++)
            sum += t.counts[v];
        if (sum == 0)
            t.counts[iter % 11] = 1;
        /* a level in [0.5, 0.999) from 53 random bits */
        double level =
            0.5 + 0.499 * (double)(rng_next(&st) >> 11) / 9007199254740992.0;
        if (level <= 0.0 || level >= 1.0)
            level = 0.95;
        int rc = libcs_nps_tally_result(&t, level, &r);
        INV(rc == LIBCS_OK);
        uint64_t det = 0;
        for (int v = 0; v <= 6; v++)
            det += t.counts[v];
        INV(r.detractors == det);
        INV(r.passives == t.counts[7] + t.counts[8]);
        INV(r.promoters == t.counts[9] + t.counts[10]);
        INV(r.n == r.promoters + r.passives + r.detractors);
        INV(r.level == level);
        INV(fabs(r.promoter_share + r.passive_share + r.detractor_share -
                 1.0) <= 1e-14);
        INV(r.promoter_share >= 0 && r.promoter_share <= 1);
        INV(r.passive_share >= 0 && r.passive_share <= 1);
        INV(r.detractor_share >= 0 && r.detractor_share <= 1);
        INV(r.nps >= -100.0 && r.nps <= 100.0);
        INV(fabs(r.nps - 100.0 * (r.promoter_share - r.detractor_share)) <=
            1e-10);
        INV(r.se >= 0.0 && r.se <= 100.0);
        INV(r.wald_low >= -100.0 && r.wald_high <= 100.0);
        INV(r.wald_low <= r.nps && r.nps <= r.wald_high);
        INV(r.adjusted_nps >= -100.0 && r.adjusted_nps <= 100.0);
        INV(r.adjusted_low >= -100.0 && r.adjusted_high <= 100.0);
        INV(r.adjusted_low <= r.adjusted_nps &&
            r.adjusted_nps <= r.adjusted_high);
        /* the adjusted centre is pulled toward 0 */
        INV(fabs(r.adjusted_nps) <= fabs(r.nps) + 1e-9);
    }
}
END_TEST

START_TEST(test_result_sum_overflow)
{
    /* each group's sum, and the total, past UINT64_MAX */
    static const struct {
        int a, b;
    } pairs[] = {{0, 6}, {3, 4}, {7, 8}, {9, 10}, {0, 9}, {6, 7}, {8, 10},
                 {0, 10}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        libcs_nps_tally t;
        libcs_nps_result r;
        libcs_nps_tally_init(&t);
        t.counts[pairs[i].a] = UINT64_MAX;
        t.counts[pairs[i].b] = 1;
        poison_result(&r);
        ck_assert_rc(libcs_nps_tally_result(&t, 0.95, &r), LIBCS_EOVERFLOW);
        assert_result_poisoned(&r);
    }
    /* three bins that only overflow together */
    libcs_nps_tally t;
    libcs_nps_result r;
    libcs_nps_tally_init(&t);
    t.counts[2] = UINT64_MAX / 2;
    t.counts[7] = UINT64_MAX / 2;
    t.counts[10] = 2;
    poison_result(&r);
    ck_assert_rc(libcs_nps_tally_result(&t, 0.95, &r), LIBCS_EOVERFLOW);
    assert_result_poisoned(&r);
    /* exactly UINT64_MAX answers is fine */
    t.counts[10] = 1;
    ck_assert_ok(libcs_nps_tally_result(&t, 0.95, &r));
    ck_assert_uint_eq(r.n, UINT64_MAX);
    ck_assert(r.nps >= -100.0 && r.nps <= 100.0);
    libcs_nps_tally_init(&t);
    t.counts[0] = UINT64_MAX;
    ck_assert_ok(libcs_nps_tally_result(&t, 0.95, &r));
    ck_assert(r.nps == -100.0);
}
END_TEST

START_TEST(test_result_errors)
{
    libcs_nps_tally t;
    libcs_nps_result r;
    libcs_nps_tally_init(&t);

    poison_result(&r);
    ck_assert_rc(libcs_nps_tally_result(NULL, 0.95, &r), LIBCS_EINVAL);
    assert_result_poisoned(&r);
    ck_assert_rc(libcs_nps_tally_result(&t, 0.95, NULL), LIBCS_EINVAL);

    /* empty tally */
    ck_assert_rc(libcs_nps_tally_result(&t, 0.95, &r), LIBCS_EEMPTY);
    assert_result_poisoned(&r);

    libcs_nps_tally_add(&t, 9);
    libcs_nps_tally_add(&t, 3);
    static const double nonfinite[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_rc(libcs_nps_tally_result(&t, nonfinite[i], &r),
                     LIBCS_ENONFINITE);
        assert_result_poisoned(&r);
    }
    static const double outside[] = {0.0, -0.0, 1.0, -0.5, 1.5, -1.0, 2.0,
                                     1e300};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        ck_assert_rc(libcs_nps_tally_result(&t, outside[i], &r),
                     LIBCS_EDOMAIN);
        assert_result_poisoned(&r);
    }
    /* the documented order: non-finite before domain before empty */
    libcs_nps_tally_init(&t);
    ck_assert_rc(libcs_nps_tally_result(&t, NAN, &r), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_nps_tally_result(&t, 1.5, &r), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_nps_tally_result(NULL, NAN, &r), LIBCS_EINVAL);
    assert_result_poisoned(&r);
    /* ... and the level before an overflow of the category sums */
    libcs_nps_tally_init(&t);
    t.counts[9] = UINT64_MAX;
    t.counts[10] = 1;
    ck_assert_rc(libcs_nps_tally_result(&t, 1.5, &r), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_nps_tally_result(&t, 0.95, &r), LIBCS_EOVERFLOW);
    assert_result_poisoned(&r);
    /* from_scores checks the level before the scores: a bad level with a
     * bad score is EDOMAIN without writing *bad_index */
    {
        const uint8_t bad_scores[3] = {9, 11, 3};
        size_t bad = 777;
        ck_assert_rc(libcs_nps_from_scores(3, bad_scores, 1.5, &r, &bad),
                     LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, 777);
        ck_assert_rc(libcs_nps_from_scores(3, bad_scores, 0.95, &r, &bad),
                     LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, 1);
        assert_result_poisoned(&r);
    }
    libcs_nps_tally_init(&t);
    /* levels just inside (0, 1) work */
    libcs_nps_tally_add(&t, 10);
    libcs_nps_tally_add(&t, 0);
    ck_assert_ok(libcs_nps_tally_result(&t, 1e-9, &r));
    ck_assert(r.wald_low <= r.nps && r.nps <= r.wald_high);
    ck_assert_ok(libcs_nps_tally_result(&t, 0.999999, &r));
    ck_assert(r.wald_low == -100.0 && r.wald_high == 100.0);
}
END_TEST

/* ---- serialization ------------------------------------------------------- */

static const uint64_t golden_counts[11] = {
    UINT64_C(0x0102030405060708), 1, 0, 0xFF, 0x100, 5, 6, 7, 8,
    UINT64_MAX, UINT64_C(0x8000000000000000)};

/* "CSNP", version 1, 11 bins, two zero bytes, then the counts as 64-bit
 * little-endian integers (written out by hand; python3's
 * struct.pack('<11Q', ...) gives the same bytes). */
static const uint8_t golden_bytes[96] = {
    'C',  'S',  'N',  'P',  1,    11,   0,    0,                /* header */
    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,             /* [0] */
    0x01, 0,    0,    0,    0,    0,    0,    0,                /* [1] */
    0,    0,    0,    0,    0,    0,    0,    0,                /* [2] */
    0xFF, 0,    0,    0,    0,    0,    0,    0,                /* [3] */
    0x00, 0x01, 0,    0,    0,    0,    0,    0,                /* [4] */
    0x05, 0,    0,    0,    0,    0,    0,    0,                /* [5] */
    0x06, 0,    0,    0,    0,    0,    0,    0,                /* [6] */
    0x07, 0,    0,    0,    0,    0,    0,    0,                /* [7] */
    0x08, 0,    0,    0,    0,    0,    0,    0,                /* [8] */
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,             /* [9] */
    0,    0,    0,    0,    0,    0,    0,    0x80,             /* [10] */
};

static libcs_nps_tally golden_tally(void)
{
    libcs_nps_tally t;
    memcpy(t.counts, golden_counts, sizeof t.counts);
    return t;
}

START_TEST(test_serialize_golden)
{
    libcs_nps_tally t = golden_tally();
    uint8_t buf[96];
    size_t needed = 0;
    ck_assert_int_eq(LIBCS_NPS_TALLY_SERIALIZED_SIZE, 96);
    memset(buf, 0xEE, sizeof buf);
    ck_assert_ok(libcs_nps_tally_serialize(&t, buf, sizeof buf, &needed));
    ck_assert_uint_eq(needed, 96);
    /* specific bytes first, for readable failures */
    ck_assert(memcmp(buf, "CSNP", 4) == 0);
    ck_assert_uint_eq(buf[4], 1);
    ck_assert_uint_eq(buf[5], 11);
    ck_assert_uint_eq(buf[6], 0);
    ck_assert_uint_eq(buf[7], 0);
    ck_assert_uint_eq(buf[8], 0x08);  /* low byte of counts[0] first */
    ck_assert_uint_eq(buf[15], 0x01); /* high byte last */
    ck_assert_uint_eq(buf[16], 0x01); /* counts[1] = 1 */
    ck_assert_uint_eq(buf[23], 0x00);
    ck_assert_uint_eq(buf[40], 0x00); /* counts[4] = 0x100 */
    ck_assert_uint_eq(buf[41], 0x01);
    ck_assert_uint_eq(buf[88], 0x00); /* counts[10] = 2^63 */
    ck_assert_uint_eq(buf[95], 0x80);
    for (size_t i = 0; i < 96; i++)
        ck_assert_msg(buf[i] == golden_bytes[i], "byte %zu = 0x%02x, want "
                      "0x%02x", i, buf[i], golden_bytes[i]);

    /* and the golden bytes decode to the tally */
    libcs_nps_tally back;
    memset(&back, 0x5A, sizeof back);
    ck_assert_ok(libcs_nps_tally_deserialize(&back, golden_bytes, 96));
    assert_tally_eq(&back, &t, "deserialize golden");
}
END_TEST

START_TEST(test_serialize_round_trip)
{
    uint64_t st = 99;
    for (int iter = 0; iter < 200; iter++) {
        libcs_nps_tally t, back;
        for (int v = 0; v < 11; v++) {
            uint64_t x = rng_next(&st);
            t.counts[v] = iter % 3 == 0 ? x : x >> (iter % 64);
        }
        uint8_t buf[96];
        ck_assert_ok(libcs_nps_tally_serialize(&t, buf, sizeof buf, NULL));
        memset(&back, 0, sizeof back);
        ck_assert_ok(libcs_nps_tally_deserialize(&back, buf, sizeof buf));
        assert_tally_eq(&back, &t, "round trip");
    }
    /* an empty tally, from a real batch too */
    libcs_nps_tally t, back;
    libcs_nps_tally_init(&t);
    uint8_t buf[100];
    memset(buf, 0xEE, sizeof buf);
    ck_assert_ok(libcs_nps_tally_serialize(&t, buf, sizeof buf, NULL));
    for (size_t i = 96; i < sizeof buf; i++)
        ck_assert_uint_eq(buf[i], 0xEE); /* nothing past 96 bytes */
    memset(&back, 0x77, sizeof back);
    ck_assert_ok(libcs_nps_tally_deserialize(&back, buf, 96));
    assert_tally_eq(&back, &t, "round trip, empty");

    uint8_t *s = alloc_scores(5000, 5);
    ck_assert_ok(libcs_nps_tally_add_batch(&t, 5000, s, NULL));
    ck_assert_ok(libcs_nps_tally_serialize(&t, buf, 96, NULL));
    ck_assert_ok(libcs_nps_tally_deserialize(&back, buf, 96));
    assert_tally_eq(&back, &t, "round trip, batch");
    free(s);
}
END_TEST

START_TEST(test_serialize_bufsize)
{
    libcs_nps_tally t = golden_tally();
    uint8_t buf[96];
    size_t needed;
    static const size_t caps[] = {0, 1, 8, 95};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        memset(buf, 0xEE, sizeof buf);
        needed = 0;
        ck_assert_rc(libcs_nps_tally_serialize(&t, buf, caps[i], &needed),
                     LIBCS_EBUFSIZE);
        ck_assert_uint_eq(needed, 96);
        for (size_t k = 0; k < sizeof buf; k++)
            ck_assert_uint_eq(buf[k], 0xEE);
        ck_assert_rc(libcs_nps_tally_serialize(&t, buf, caps[i], NULL),
                     LIBCS_EBUFSIZE);
    }
    /* size query */
    needed = 0;
    ck_assert_rc(libcs_nps_tally_serialize(&t, NULL, 0, &needed),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, LIBCS_NPS_TALLY_SERIALIZED_SIZE);
    /* NULL */
    needed = 3;
    ck_assert_rc(libcs_nps_tally_serialize(NULL, buf, 96, &needed),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_serialize(&t, NULL, 96, &needed),
                 LIBCS_EINVAL);
    /* exactly 96 works */
    ck_assert_ok(libcs_nps_tally_serialize(&t, buf, 96, &needed));
    ck_assert_uint_eq(needed, 96);
}
END_TEST

static void check_deserialize_rejects(const uint8_t *buf, size_t len,
                                      const char *what)
{
    libcs_nps_tally t, copy;
    for (int v = 0; v < 11; v++)
        t.counts[v] = (uint64_t)v * 3 + 1;
    copy = t;
    int rc = libcs_nps_tally_deserialize(&t, buf, len);
    ck_assert_msg(rc == LIBCS_EFORMAT, "%s: returned %d (%s)", what, rc,
                  libcs_strerror(rc));
    assert_tally_eq(&t, &copy, what);
}

START_TEST(test_deserialize_errors)
{
    uint8_t good[97], bad[97];
    libcs_nps_tally t = golden_tally();
    ck_assert_ok(libcs_nps_tally_serialize(&t, good, 96, NULL));
    good[96] = 0;

    check_deserialize_rejects(good, 95, "length 95");
    check_deserialize_rejects(good, 97, "length 97");
    check_deserialize_rejects(good, 0, "length 0");
    check_deserialize_rejects(good, 8, "length 8");

    static const char *const magics[] = {"CSNQ", "csnp", "XSNP", "PNSC",
                                         "\0\0\0\0"};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        memcpy(bad, good, 96);
        memcpy(bad, magics[i], 4);
        check_deserialize_rejects(bad, 96, "wrong magic");
    }
    static const uint8_t versions[] = {0, 2, 3, 0x81, 255};
    for (size_t i = 0; i < sizeof versions; i++) {
        memcpy(bad, good, 96);
        bad[4] = versions[i];
        check_deserialize_rejects(bad, 96, "unknown version");
    }
    static const uint8_t bins[] = {0, 10, 12, 255};
    for (size_t i = 0; i < sizeof bins; i++) {
        memcpy(bad, good, 96);
        bad[5] = bins[i];
        check_deserialize_rejects(bad, 96, "wrong bin count");
    }
    for (int pos = 6; pos <= 7; pos++) {
        memcpy(bad, good, 96);
        bad[pos] = 1;
        check_deserialize_rejects(bad, 96, "nonzero reserved byte");
        bad[pos] = 0x80;
        check_deserialize_rejects(bad, 96, "nonzero reserved byte");
    }

    libcs_nps_tally u;
    ck_assert_rc(libcs_nps_tally_deserialize(NULL, good, 96), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_deserialize(&u, NULL, 96), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_tally_deserialize(&u, NULL, 0), LIBCS_EINVAL);
}
END_TEST

/* ---- one-shot forms ---------------------------------------------------------- */

START_TEST(test_from_scores_agrees)
{
    static const size_t lengths[] = {1, 2, 15, 16, 17, 100, 4079, 4080, 4081,
                                     8161, 100003};
    static const double levels[] = {0.8, 0.9, 0.95, 0.99};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i];
        uint8_t *s = alloc_scores(n + 1, 3 * n);
        for (size_t off = 0; off < 2; off++) {
            libcs_nps_tally t;
            libcs_nps_tally_init(&t);
            loop_tally(&t, s + off, n);
            for (size_t j = 0; j < 4; j++) {
                libcs_nps_result a, b, c;
                size_t bad = 5;
                ck_assert_ok(libcs_nps_tally_result(&t, levels[j], &a));
                ck_assert_ok(
                    libcs_nps_from_scores(n, s + off, levels[j], &b, &bad));
                ck_assert_ok(
                    libcs_nps_from_scores(n, s + off, levels[j], &c, NULL));
                assert_result_eq(&b, &a);
                assert_result_eq(&c, &a);
            }
        }
        free(s);
    }
    /* a hand-counted example: 10, 9, 9, 8, 7, 6, 0, 10 -> 4 promoters,
     * 2 passives, 2 detractors, NPS 100 (4 - 2) / 8 = 25 */
    static const uint8_t hand[] = {10, 9, 9, 8, 7, 6, 0, 10};
    libcs_nps_result r;
    ck_assert_ok(libcs_nps_from_scores(8, hand, 0.95, &r, NULL));
    ck_assert_uint_eq(r.promoters, 4);
    ck_assert_uint_eq(r.passives, 2);
    ck_assert_uint_eq(r.detractors, 2);
    ck_assert_close(r.nps, 25.0, 1e-13);
}
END_TEST

START_TEST(test_from_counts_agrees)
{
    uint64_t st = 17;
    for (int iter = 0; iter < 500; iter++) {
        uint64_t pro = rng_next(&st) % 1000, pas = rng_next(&st) % 1000,
                 det = rng_next(&st) % 1000;
        if (pro + pas + det == 0)
            pro = 1;
        libcs_nps_tally t;
        libcs_nps_result a, b;
        libcs_nps_tally_init(&t);
        /* spread each category over its scores */
        t.counts[9] = pro / 2;
        t.counts[10] = pro - pro / 2;
        t.counts[7] = pas / 3;
        t.counts[8] = pas - pas / 3;
        t.counts[0] = det / 4;
        t.counts[3] = det / 4;
        t.counts[6] = det - 2 * (det / 4);
        ck_assert_ok(libcs_nps_tally_result(&t, 0.95, &a));
        ck_assert_ok(libcs_nps_from_counts(pro, pas, det, 0.95, &b));
        assert_result_eq(&b, &a);
    }
    libcs_nps_tally t = tally_of(250, 675, 75);
    libcs_nps_result a, b;
    ck_assert_ok(libcs_nps_tally_result(&t, 0.9, &a));
    ck_assert_ok(libcs_nps_from_counts(250, 675, 75, 0.9, &b));
    assert_result_eq(&b, &a);
}
END_TEST

START_TEST(test_oneshot_errors)
{
    libcs_nps_result r;
    uint8_t s[3] = {1, 9, 10};
    size_t bad = 4242;

    poison_result(&r);
    ck_assert_rc(libcs_nps_from_scores(0, s, 0.95, &r, &bad), LIBCS_EEMPTY);
    assert_result_poisoned(&r);
    ck_assert_rc(libcs_nps_from_scores(3, NULL, 0.95, &r, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_from_scores(0, NULL, 0.95, &r, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_from_scores(3, s, 0.95, NULL, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_from_scores(3, s, NAN, &r, &bad),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_nps_from_scores(3, s, 1.0, &r, &bad), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_nps_from_scores(3, s, 0.0, &r, &bad), LIBCS_EDOMAIN);
    assert_result_poisoned(&r);

    ck_assert_rc(libcs_nps_from_counts(0, 0, 0, 0.95, &r), LIBCS_EEMPTY);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, 0.95, NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, NAN, &r), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, -INFINITY, &r),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, 0.0, &r), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, 1.0, &r), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, -0.5, &r), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_nps_from_counts(1, 2, 3, 1.5, &r), LIBCS_EDOMAIN);
    /* sums past UINT64_MAX */
    ck_assert_rc(libcs_nps_from_counts(UINT64_MAX, 1, 0, 0.95, &r),
                 LIBCS_EOVERFLOW);
    ck_assert_rc(libcs_nps_from_counts(UINT64_MAX, 0, 1, 0.95, &r),
                 LIBCS_EOVERFLOW);
    ck_assert_rc(libcs_nps_from_counts(0, UINT64_MAX, 1, 0.95, &r),
                 LIBCS_EOVERFLOW);
    ck_assert_rc(libcs_nps_from_counts(UINT64_MAX / 2 + 1, UINT64_MAX / 2, 1,
                                       0.95, &r),
                 LIBCS_EOVERFLOW);
    ck_assert_rc(libcs_nps_from_counts(UINT64_MAX, UINT64_MAX, UINT64_MAX,
                                       0.95, &r),
                 LIBCS_EOVERFLOW);
    assert_result_poisoned(&r);
    /* exactly UINT64_MAX in all */
    ck_assert_ok(libcs_nps_from_counts(UINT64_MAX, 0, 0, 0.95, &r));
    ck_assert_uint_eq(r.n, UINT64_MAX);
    ck_assert(r.nps == 100.0);
    ck_assert_ok(libcs_nps_from_counts(UINT64_MAX - 1, 0, 1, 0.95, &r));
    ck_assert_uint_eq(r.n, UINT64_MAX);
}
END_TEST

/* ---- the suite -------------------------------------------------------------- */

static Suite *nps_suite(void)
{
    Suite *s = suite_create("nps");
    TCase *tc;

    tc = tcase_create("category");
    tcase_add_test(tc, test_category_edges);
    tcase_add_test(tc, test_category_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("tally");
    tcase_add_test(tc, test_tally_init_add);
    tcase_add_test(tc, test_tally_add_errors);
    tcase_add_test(tc, test_tally_add_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("add_batch");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_batch_zero_length);
    tcase_add_test(tc, test_batch_short_lengths);
    tcase_add_test(tc, test_batch_block_boundaries);
    tcase_add_test(tc, test_batch_unaligned);
    tcase_add_test(tc, test_batch_uniform);
    tcase_add_test(tc, test_batch_bad_scores);
    tcase_add_test(tc, test_batch_errors);
    tcase_add_test(tc, test_batch_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("merge");
    tcase_add_test(tc, test_merge_concat);
    tcase_add_test(tc, test_merge_overflow);
    tcase_add_test(tc, test_merge_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("result");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_result_issue_example);
    tcase_add_test(tc, test_result_adjusted_wald);
    tcase_add_test(tc, test_result_level_90);
    tcase_add_test(tc, test_result_clamping);
    tcase_add_test(tc, test_result_invariants);
    tcase_add_test(tc, test_result_sum_overflow);
    tcase_add_test(tc, test_result_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("serialize");
    tcase_add_test(tc, test_serialize_golden);
    tcase_add_test(tc, test_serialize_round_trip);
    tcase_add_test(tc, test_serialize_bufsize);
    tcase_add_test(tc, test_deserialize_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("oneshot");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_from_scores_agrees);
    tcase_add_test(tc, test_from_counts_agrees);
    tcase_add_test(tc, test_oneshot_errors);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    return run_suite(nps_suite());
}
