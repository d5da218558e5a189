/* tests/test_mrr.c - MRR movements and cohorts (libcs_mrr_new(3)): the
 * ledger of (customer, period, MRR) records, its movements per period, the
 * reactivation window, the rates computed through the churn and revenue
 * functions, cohort matrices, the subscription-capped GRR, merging,
 * serialization and every error path.
 *
 * Every expected number is worked out by hand from the definitions in the
 * issue and libcs.h (the arithmetic is in the comments) or computed by an
 * independent reference written here (a dense customer x period table walked
 * one period at a time); none is copied from the library's output.
 *
 * Definitions used throughout (a customer absent from a period has MRR 0):
 *   before = the customer's MRR in the previous period (0 in the first),
 *   now    = its MRR in this period;
 *   before = 0 < now : new business, or a reactivation when the customer
 *                      paid before and was inactive for at most K periods
 *                      (K = LIBCS_MRR_ANY_GAP: any gap);
 *   before > 0 = now : churn of `before`;
 *   0 < before < now : expansion of now - before;
 *   0 < now < before : contraction of before - now;
 *   mrr_end = mrr_start + new + expansion - contraction - churned
 *             + reactivation, and the same for customers. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* rc == code, with both messages on failure (for calls without a double
 * output, where ck_assert_fails does not apply). */
#define ck_assert_rc(call, code)                                               \
    do {                                                                       \
        int rc2_ = (call);                                                     \
        ck_assert_msg(rc2_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, rc2_, libcs_strerror(rc2_), (int)(code),          \
                      libcs_strerror(code));                                   \
    } while (0)

#define LL(x) ((long long)(x))

/* ---- helpers ------------------------------------------------------------ */

/* splitmix64: a small deterministic generator for test data. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* uniform in [0, n) (n > 0; the modulo bias is irrelevant here) */
static uint64_t rng_below(uint64_t *state, uint64_t n)
{
    return rng_next(state) % n;
}

/* the splitmix64 finaliser, a bijection of uint64: distinct customer ids */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* zeroed, so that no byte handed to the library is indeterminate */
static void *xmalloc(size_t size)
{
    void *p = calloc(size ? size : 1, 1);
    ck_assert_ptr_nonnull(p);
    return p;
}

struct rec {
    int64_t c;
    int32_t p;
    int64_t v;
};

/* libcs_mrr_add on an array of records (split into the three arrays). */
static int add_recs_rc(libcs_mrr *m, const struct rec *r, size_t n,
                       size_t *bad)
{
    int64_t *c = xmalloc(n * sizeof *c);
    int32_t *p = xmalloc(n * sizeof *p);
    int64_t *v = xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        c[i] = r[i].c;
        p[i] = r[i].p;
        v[i] = r[i].v;
    }
    int rc = libcs_mrr_add(m, n, c, p, v, bad);
    free(c);
    free(p);
    free(v);
    return rc;
}

static void add_recs(libcs_mrr *m, const struct rec *r, size_t n)
{
    ck_assert_ok(add_recs_rc(m, r, n, NULL));
}

static libcs_mrr *new_ledger(int32_t first, int32_t np, int32_t window)
{
    libcs_mrr *m = NULL;
    ck_assert_ok(libcs_mrr_new(first, np, &m));
    ck_assert_ptr_nonnull(m);
    ck_assert_ok(libcs_mrr_set_reactivation_window(m, window));
    return m;
}

static size_t n_records(const libcs_mrr *m)
{
    size_t n = 0;
    ck_assert_ok(libcs_mrr_records(m, &n));
    return n;
}

/* The movement table (np rows), asserted to succeed; the buffer is filled
 * with a pattern first so that byte comparisons see every byte written. */
static libcs_mrr_period *movements_of(const libcs_mrr *m, int32_t np)
{
    libcs_mrr_period *rows = xmalloc((size_t)np * sizeof *rows);
    memset(rows, 0xA5, (size_t)np * sizeof *rows);
    size_t needed = 0;
    ck_assert_ok(libcs_mrr_movements(m, rows, (size_t)np, &needed, NULL,
                                     NULL));
    ck_assert_uint_eq(needed, (size_t)np);
    return rows;
}

#define NFIELDS 12
static const char *const FIELD[NFIELDS] = {
    "mrr_start",       "new_mrr",         "expansion",
    "contraction",     "churned",         "reactivation",
    "mrr_end",         "customers_start", "customers_new",
    "customers_churned", "customers_reactivated", "customers_end"};

static void fields(const libcs_mrr_period *r, int64_t f[NFIELDS])
{
    f[0] = r->mrr_start;
    f[1] = r->new_mrr;
    f[2] = r->expansion;
    f[3] = r->contraction;
    f[4] = r->churned;
    f[5] = r->reactivation;
    f[6] = r->mrr_end;
    f[7] = r->customers_start;
    f[8] = r->customers_new;
    f[9] = r->customers_churned;
    f[10] = r->customers_reactivated;
    f[11] = r->customers_end;
}

/* Every field of every row equal; the message names the first difference. */
static void check_rows(const libcs_mrr_period *got,
                       const libcs_mrr_period *want, int32_t np,
                       const char *what)
{
    for (int32_t p = 0; p < np; p++) {
        ck_assert_msg(got[p].period == want[p].period,
                      "%s: row %d: period %d, want %d", what, (int)p,
                      (int)got[p].period, (int)want[p].period);
        ck_assert_msg(got[p].reserved == 0, "%s: row %d: reserved %d", what,
                      (int)p, (int)got[p].reserved);
        int64_t g[NFIELDS], w[NFIELDS];
        fields(&got[p], g);
        fields(&want[p], w);
        for (int f = 0; f < NFIELDS; f++)
            ck_assert_msg(g[f] == w[f], "%s: period %d: %s = %lld, want %lld",
                          what, (int)want[p].period, FIELD[f], LL(g[f]),
                          LL(w[f]));
    }
}

/* The identity and the chaining in every period, for MRR and customers;
 * every movement non-negative; the periods numbered from `first`. */
static void check_identity(const libcs_mrr_period *r, int32_t first,
                           int32_t np, const char *what)
{
    for (int32_t p = 0; p < np; p++) {
        const libcs_mrr_period *x = &r[p];
        ck_assert_msg(x->period == first + p, "%s: row %d has period %d",
                      what, (int)p, (int)x->period);
        int64_t f[NFIELDS];
        fields(x, f);
        for (int k = 0; k < NFIELDS; k++)
            ck_assert_msg(f[k] >= 0, "%s: period %d: %s = %lld < 0", what,
                          (int)x->period, FIELD[k], LL(f[k]));
        /* the terms are bounded well below 2^62 in every data set used with
         * this check, so the sums below cannot overflow */
        ck_assert_msg(x->mrr_start + x->new_mrr + x->expansion -
                              x->contraction - x->churned +
                              x->reactivation ==
                          x->mrr_end,
                      "%s: period %d: MRR identity fails", what,
                      (int)x->period);
        ck_assert_msg(x->customers_start + x->customers_new -
                              x->customers_churned +
                              x->customers_reactivated ==
                          x->customers_end,
                      "%s: period %d: customer identity fails", what,
                      (int)x->period);
        int64_t prev_mrr = p ? r[p - 1].mrr_end : 0;
        int64_t prev_cust = p ? r[p - 1].customers_end : 0;
        ck_assert_msg(x->mrr_start == prev_mrr &&
                          x->customers_start == prev_cust,
                      "%s: period %d does not start where the one before "
                      "ended", what, (int)x->period);
    }
}

/* Cohort matrices of one ledger. */
struct cohorts {
    size_t cells;
    int64_t *cust, *rev;
    double *cs, *rs;
};

static void cohorts_alloc(struct cohorts *c, int32_t np)
{
    c->cells = (size_t)np * (size_t)np;
    c->cust = xmalloc(c->cells * sizeof *c->cust);
    c->rev = xmalloc(c->cells * sizeof *c->rev);
    c->cs = xmalloc(c->cells * sizeof *c->cs);
    c->rs = xmalloc(c->cells * sizeof *c->rs);
    memset(c->cust, 0xA5, c->cells * sizeof *c->cust);
    memset(c->rev, 0xA5, c->cells * sizeof *c->rev);
    memset(c->cs, 0xA5, c->cells * sizeof *c->cs);
    memset(c->rs, 0xA5, c->cells * sizeof *c->rs);
}

static void cohorts_free(struct cohorts *c)
{
    free(c->cust);
    free(c->rev);
    free(c->cs);
    free(c->rs);
}

static void cohorts_of(const libcs_mrr *m, int32_t np, struct cohorts *c)
{
    cohorts_alloc(c, np);
    size_t needed = 0;
    ck_assert_ok(libcs_mrr_cohorts(m, c->cells, c->cust, c->rev, c->cs, c->rs,
                                   &needed, NULL, NULL));
    ck_assert_uint_eq(needed, c->cells);
}

static void cohorts_same_bytes(const struct cohorts *a,
                               const struct cohorts *b, const char *what)
{
    ck_assert_msg(a->cells == b->cells, "%s: cell counts differ", what);
    ck_assert_msg(!memcmp(a->cust, b->cust, a->cells * sizeof *a->cust) &&
                      !memcmp(a->rev, b->rev, a->cells * sizeof *a->rev) &&
                      !memcmp(a->cs, b->cs, a->cells * sizeof *a->cs) &&
                      !memcmp(a->rs, b->rs, a->cells * sizeof *a->rs),
                  "%s: cohort matrices differ", what);
}

/* equal, or both NaN */
static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static uint8_t *serialize(const libcs_mrr *m, size_t *len)
{
    size_t needed = 0;
    ck_assert_rc(libcs_mrr_serialize(m, NULL, 0, &needed), LIBCS_EBUFSIZE);
    uint8_t *buf = xmalloc(needed);
    size_t again = 0;
    ck_assert_ok(libcs_mrr_serialize(m, buf, needed, &again));
    ck_assert_uint_eq(again, needed);
    *len = needed;
    return buf;
}

/* ---- the hand-worked data set ------------------------------------------- *
 *
 * Periods 100..106 (P0..P6 below).  MRR per customer ('.' = no record,
 * '0' = an explicit zero record):
 *
 *   customer          P0   P1   P2   P3   P4   P5   P6
 *   A = 1001         100  150  150  120  120  120  120   expansion, contraction
 *   B = 42           200  200    0    .    .    .    .   churn by a 0 record
 *   C = -5           300    .    .  250  250    .    .   churn by absence, back
 *                                                        after a gap of 2
 *   D = INT64_MAX      .   80   80    .    .    .   90   back after a gap of 3
 *   E = INT64_MIN      0    0  500  700  700  400  400   zero records first
 *   F = 7              .    .    .    .   60    .    .   churn after its last
 *                                                        record
 *   G = 0             50    0    0   50    .    .    .   0 records, back after
 *                                                        a gap of 2
 *
 * (The extreme ids check that grouping by customer handles the sign bit.)
 * Direct sums per period (MRR at end; customers with MRR > 0):
 *   P0: A100 + B200 + C300 + G50            =  650, 4 customers
 *   P1: A150 + B200 + D80                   =  430, 3
 *   P2: A150 + D80 + E500                   =  730, 3
 *   P3: A120 + C250 + E700 + G50            = 1120, 4
 *   P4: A120 + C250 + E700 + F60            = 1130, 4
 *   P5: A120 + E400                         =  520, 2
 *   P6: A120 + E400 + D90                   =  610, 3
 *
 * Movements with reactivation after any gap:
 *   P0: new A100 B200 C300 G50 = 650 (4); E's 0 record is nothing.
 *   P1: D new 80 (1); A expansion 50; churned C300 (absent) + G50 (0 record)
 *       = 350 (2).            650 + 80 + 50 - 350 = 430;  4 + 1 - 2 = 3
 *   P2: E new 500 (its first MRR > 0; last active: never); B churned 200 by
 *       its 0 record.         430 + 500 - 200 = 730;      3 + 1 - 1 = 3
 *   P3: C back with 250 (last active P0, gap P1..P2 = 2) and G back with 50
 *       (gap 2): reactivation 300 (2); E expansion 200; A contraction 30;
 *       D absent: churned 80 (1).
 *                             730 + 200 - 30 - 80 + 300 = 1120; 3 - 1 + 2 = 4
 *   P4: F new 60 (1); G absent after its last record: churned 50 (1).
 *                             1120 + 60 - 50 = 1130;      4 + 1 - 1 = 4
 *   P5: E contraction 300; C (absent) 250 and F (absent) 60 churned: 310 (2).
 *                             1130 - 300 - 310 = 520;     4 - 2 = 2
 *   P6: D back with 90 (last active P2, gap P3..P5 = 3): reactivation (1).
 *                             520 + 90 = 610;             2 + 1 = 3
 * With a window K = 2, D's gap of 3 exceeds it: P6 has new 90 (1) and no
 * reactivation.  With K = 1 (or 0), C and G (gap 2) are new business in P3
 * too: new 300 (2), reactivation 0.  K = 3 (D's gap) or more: as any gap. */

#define FIRST 100
#define NP 7
#define A INT64_C(1001)
#define B INT64_C(42)
#define C INT64_C(-5)
#define D INT64_MAX
#define E INT64_MIN
#define F INT64_C(7)
#define G INT64_C(0)

/* the 28 records in an order shuffled by hand */
static const struct rec HAND[] = {
    {E, 104, 700}, {A, 101, 150}, {G, 102, 0},   {D, 106, 90},
    {B, 100, 200}, {C, 103, 250}, {A, 106, 120}, {E, 100, 0},
    {F, 104, 60},  {A, 100, 100}, {G, 100, 50},  {E, 106, 400},
    {B, 102, 0},   {D, 101, 80},  {A, 103, 120}, {E, 102, 500},
    {C, 100, 300}, {G, 103, 50},  {A, 105, 120}, {E, 101, 0},
    {D, 102, 80},  {A, 102, 150}, {E, 105, 400}, {C, 104, 250},
    {B, 101, 200}, {G, 101, 0},   {A, 104, 120}, {E, 103, 700},
};
#define NHAND (sizeof HAND / sizeof HAND[0])
#undef A
#undef B
#undef C
#undef D
#undef E
#undef F
#undef G

/* period, reserved, start, new, expansion, contraction, churned,
 * reactivation, end; customers: start, new, churned, reactivated, end */
static const libcs_mrr_period HAND_ANY[NP] = {
    {100, 0, 0, 650, 0, 0, 0, 0, 650, 0, 4, 0, 0, 4},
    {101, 0, 650, 80, 50, 0, 350, 0, 430, 4, 1, 2, 0, 3},
    {102, 0, 430, 500, 0, 0, 200, 0, 730, 3, 1, 1, 0, 3},
    {103, 0, 730, 0, 200, 30, 80, 300, 1120, 3, 0, 1, 2, 4},
    {104, 0, 1120, 60, 0, 0, 50, 0, 1130, 4, 1, 1, 0, 4},
    {105, 0, 1130, 0, 0, 300, 310, 0, 520, 4, 0, 2, 0, 2},
    {106, 0, 520, 0, 0, 0, 0, 90, 610, 2, 0, 0, 1, 3},
};

/* K = 2: D (gap 3) is new business in P6 */
static const libcs_mrr_period HAND_K2[NP] = {
    {100, 0, 0, 650, 0, 0, 0, 0, 650, 0, 4, 0, 0, 4},
    {101, 0, 650, 80, 50, 0, 350, 0, 430, 4, 1, 2, 0, 3},
    {102, 0, 430, 500, 0, 0, 200, 0, 730, 3, 1, 1, 0, 3},
    {103, 0, 730, 0, 200, 30, 80, 300, 1120, 3, 0, 1, 2, 4},
    {104, 0, 1120, 60, 0, 0, 50, 0, 1130, 4, 1, 1, 0, 4},
    {105, 0, 1130, 0, 0, 300, 310, 0, 520, 4, 0, 2, 0, 2},
    {106, 0, 520, 90, 0, 0, 0, 0, 610, 2, 1, 0, 0, 3},
};

/* K = 1 and K = 0: C and G (gap 2) new in P3, D (gap 3) new in P6 */
static const libcs_mrr_period HAND_K1[NP] = {
    {100, 0, 0, 650, 0, 0, 0, 0, 650, 0, 4, 0, 0, 4},
    {101, 0, 650, 80, 50, 0, 350, 0, 430, 4, 1, 2, 0, 3},
    {102, 0, 430, 500, 0, 0, 200, 0, 730, 3, 1, 1, 0, 3},
    {103, 0, 730, 300, 200, 30, 80, 0, 1120, 3, 2, 1, 0, 4},
    {104, 0, 1120, 60, 0, 0, 50, 0, 1130, 4, 1, 1, 0, 4},
    {105, 0, 1130, 0, 0, 300, 310, 0, 520, 4, 0, 2, 0, 2},
    {106, 0, 520, 90, 0, 0, 0, 0, 610, 2, 1, 0, 0, 3},
};

/* the hand data in one ledger, added in chunks of 5, 0, 9, 1 and 13 */
static libcs_mrr *hand_ledger(int32_t window)
{
    static const size_t chunk[] = {5, 0, 9, 1, 13};
    libcs_mrr *m = new_ledger(FIRST, NP, window);
    size_t at = 0;
    for (size_t k = 0; k < sizeof chunk / sizeof chunk[0]; k++) {
        add_recs(m, HAND + at, chunk[k]);
        at += chunk[k];
    }
    ck_assert_uint_eq(at, NHAND);
    ck_assert_uint_eq(n_records(m), NHAND);
    return m;
}

START_TEST(test_hand_tables_consistent)
{
    /* the expectations themselves obey the identity and chain (a check on
     * the hand arithmetic above) */
    check_identity(HAND_ANY, FIRST, NP, "HAND_ANY");
    check_identity(HAND_K2, FIRST, NP, "HAND_K2");
    check_identity(HAND_K1, FIRST, NP, "HAND_K1");
}
END_TEST

START_TEST(test_hand_movements)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    libcs_mrr_period *rows = movements_of(m, NP);
    check_rows(rows, HAND_ANY, NP, "hand, chunks");
    free(rows);
    libcs_mrr_free(m);

    /* the same records in one call, and in other orders and chunkings */
    m = new_ledger(FIRST, NP, LIBCS_MRR_ANY_GAP);
    add_recs(m, HAND, NHAND);
    rows = movements_of(m, NP);
    check_rows(rows, HAND_ANY, NP, "hand, one call");
    free(rows);
    libcs_mrr_free(m);

    for (uint64_t seed = 1; seed <= 20; seed++) {
        struct rec r[NHAND];
        memcpy(r, HAND, sizeof r);
        uint64_t st = seed;
        for (size_t i = NHAND - 1; i > 0; i--) {
            size_t j = (size_t)rng_below(&st, i + 1);
            struct rec t = r[i];
            r[i] = r[j];
            r[j] = t;
        }
        m = new_ledger(FIRST, NP, LIBCS_MRR_ANY_GAP);
        for (size_t at = 0; at < NHAND;) {
            size_t k = (size_t)rng_below(&st, 6); /* chunks of 0..5 */
            if (k > NHAND - at)
                k = NHAND - at;
            add_recs(m, r + at, k);
            at += k;
        }
        rows = movements_of(m, NP);
        check_rows(rows, HAND_ANY, NP, "hand, permuted");
        free(rows);
        libcs_mrr_free(m);
    }
}
END_TEST

START_TEST(test_hand_windows)
{
    static const struct {
        int32_t k;
        const libcs_mrr_period *want;
        const char *what;
    } cases[] = {
        {LIBCS_MRR_ANY_GAP, HAND_ANY, "any gap"},
        {INT32_MAX, HAND_ANY, "K = INT32_MAX"},
        {4, HAND_ANY, "K = 4"},
        {3, HAND_ANY, "K = 3 = D's gap: reactivation"},
        {2, HAND_K2, "K = 2 = C's and G's gap; D's gap 3 = K + 1: new"},
        {1, HAND_K1, "K = 1"},
        {0, HAND_K1, "K = 0: every return is new"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        libcs_mrr *m = hand_ledger(cases[i].k);
        libcs_mrr_period *rows = movements_of(m, NP);
        check_rows(rows, cases[i].want, NP, cases[i].what);
        free(rows);
        libcs_mrr_free(m);
    }
    /* the window can be changed after the records are in */
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    ck_assert_ok(libcs_mrr_set_reactivation_window(m, 0));
    libcs_mrr_period *rows = movements_of(m, NP);
    check_rows(rows, HAND_K1, NP, "window set after adding");
    free(rows);
    ck_assert_ok(libcs_mrr_set_reactivation_window(m, LIBCS_MRR_ANY_GAP));
    rows = movements_of(m, NP);
    check_rows(rows, HAND_ANY, NP, "window reset to any gap");
    free(rows);
    libcs_mrr_free(m);
}
END_TEST

/* One customer pays 10 in P0, is inactive for `gap` periods (absent, or
 * with explicit 0 records when `zeros`), returns with 20 in P(gap + 1):
 * with a window K it is a reactivation exactly when gap <= K (or K = -1). */
START_TEST(test_gap_window_rule)
{
    for (int zeros = 0; zeros <= 1; zeros++)
        for (int32_t gap = 1; gap <= 4; gap++)
            for (int32_t k = -1; k <= 5; k++) {
                libcs_mrr *m = new_ledger(0, 8, k);
                struct rec r[8];
                size_t n = 0;
                r[n++] = (struct rec){1, 0, 10};
                if (zeros)
                    for (int32_t p = 1; p <= gap; p++)
                        r[n++] = (struct rec){1, p, 0};
                r[n++] = (struct rec){1, gap + 1, 20};
                add_recs(m, r, n);
                libcs_mrr_period *rows = movements_of(m, 8);
                const libcs_mrr_period *back = &rows[gap + 1];
                int react = k == LIBCS_MRR_ANY_GAP || gap <= k;
                ck_assert_msg(rows[1].churned == 10 &&
                                  rows[1].customers_churned == 1,
                              "gap %d: churn in P1 missing", (int)gap);
                ck_assert_msg(back->reactivation == (react ? 20 : 0) &&
                                  back->customers_reactivated == react &&
                                  back->new_mrr == (react ? 0 : 20) &&
                                  back->customers_new == !react,
                              "zeros %d, gap %d, K %d: want %s", zeros,
                              (int)gap, (int)k,
                              react ? "reactivation" : "new business");
                /* the return is churned after its single record (P gap+2) */
                if (gap + 2 < 8)
                    ck_assert_int_eq(rows[gap + 2].churned, 20);
                check_identity(rows, 0, 8, "gap rule");
                free(rows);
                libcs_mrr_free(m);
            }
}
END_TEST

/* ---- rates -------------------------------------------------------------- */

static void expect_rate(const libcs_mrr_rates *r, int which, int rc, double v,
                        size_t row, const char *what)
{
    ck_assert_msg(r->status[which] == rc,
                  "%s: row %zu rate %d: status %d (%s), want %d (%s)", what,
                  row, which, (int)r->status[which],
                  libcs_strerror(r->status[which]), rc, libcs_strerror(rc));
    if (rc == LIBCS_OK)
        ck_assert_msg(r->rate[which] == v,
                      "%s: row %zu rate %d = %.17g, want %.17g", what, row,
                      which, r->rate[which], v);
    else
        ck_assert_msg(isnan(r->rate[which]),
                      "%s: row %zu rate %d = %.17g, want NaN", what, row,
                      which, r->rate[which]);
}

/* libcs_mrr_rates_batch on rows equals the foundation functions called
 * here on each row's fields. */
static void check_rates_vs_foundation(const libcs_mrr_period *rows, size_t n,
                                      int denom, const char *what)
{
    libcs_mrr_rates *r = xmalloc(n * sizeof *r);
    memset(r, 0xA5, n * sizeof *r);
    ck_assert_ok(libcs_mrr_rates_batch(n, rows, denom, r));
    for (size_t i = 0; i < n; i++) {
        const libcs_mrr_period *p = &rows[i];
        double v = SENTINEL;
        int rc;
        if (p->customers_new > INT64_MAX - p->customers_reactivated)
            rc = LIBCS_EOVERFLOW; /* new + reactivated does not fit */
        else
            rc = libcs_churn_customer(
                p->customers_start,
                p->customers_new + p->customers_reactivated,
                p->customers_churned, denom, &v);
        expect_rate(&r[i], LIBCS_RATE_CUSTOMER_CHURN, rc, v, i, what);
        rc = libcs_revenue_churn_gross(p->mrr_start, p->churned,
                                       p->contraction, &v);
        expect_rate(&r[i], LIBCS_RATE_GROSS_MRR_CHURN, rc, v, i, what);
        rc = libcs_revenue_churn_net(p->mrr_start, p->churned, p->contraction,
                                     p->expansion, p->reactivation, &v);
        expect_rate(&r[i], LIBCS_RATE_NET_MRR_CHURN, rc, v, i, what);
        rc = libcs_revenue_nrr(p->mrr_start, p->churned, p->contraction,
                               p->expansion, p->reactivation, &v);
        expect_rate(&r[i], LIBCS_RATE_NRR, rc, v, i, what);
        rc = libcs_revenue_grr(p->mrr_start, p->churned, p->contraction, &v);
        expect_rate(&r[i], LIBCS_RATE_GRR, rc, v, i, what);
        rc = libcs_revenue_quick_ratio(p->new_mrr, p->expansion,
                                       p->reactivation, p->churned,
                                       p->contraction, &v);
        expect_rate(&r[i], LIBCS_RATE_QUICK_RATIO, rc, v, i, what);
        /* ARPA = MRR at end / customers at end */
        if (p->customers_end > 0 && p->mrr_end >= 0)
            expect_rate(&r[i], LIBCS_RATE_ARPA, LIBCS_OK,
                        (double)p->mrr_end / (double)p->customers_end, i,
                        what);
        else
            ck_assert_msg(r[i].status[LIBCS_RATE_ARPA] != LIBCS_OK &&
                              isnan(r[i].rate[LIBCS_RATE_ARPA]),
                          "%s: row %zu: ARPA should be undefined", what, i);
        ck_assert_msg(r[i].rate[7] == 0.0 && r[i].status[7] == LIBCS_OK,
                      "%s: row %zu: slot 7 not zero", what, i);
    }
    free(r);
}

#define NA NAN
#define UD LIBCS_EUNDEFINED

/* The hand data set's rates (any gap), from the table HAND_ANY:
 *   customer churn (denominator start) = churned / start:
 *     P0: start 0 -> undefined; P1 2/4; P2 1/3; P3 1/3; P4 1/4; P5 2/4;
 *     P6 0/2
 *   gross MRR churn = (churned + contraction) / start:
 *     P0 0/0 undefined; P1 350/650; P2 200/430; P3 (80+30)/730 = 110/730;
 *     P4 50/1120; P5 (310+300)/1130 = 610/1130; P6 0/520
 *   net MRR churn = (churned + contraction - expansion - reactivation)/start:
 *     P1 (350-50)/650; P2 200/430; P3 (110-200-300)/730 = -390/730;
 *     P4 50/1120; P5 610/1130; P6 -90/520
 *   NRR = (start - churned - contraction + expansion + reactivation)/start:
 *     P1 (650-350+50)/650 = 350/650; P2 230/430; P3 (730-110+500)/730 =
 *     1120/730; P4 1070/1120; P5 520/1130; P6 610/520
 *   GRR = (start - churned - contraction) / start:
 *     P1 300/650; P2 230/430; P3 620/730; P4 1070/1120; P5 520/1130; P6 1
 *   quick ratio = (new + expansion + reactivation)/(churned + contraction):
 *     P0 0 lost -> undefined; P1 (80+50)/350; P2 500/200; P3 (200+300)/110;
 *     P4 60/50; P5 0/610; P6 0 lost -> undefined
 *   ARPA = end / customers at end: 650/4, 430/3, 730/3, 1120/4, 1130/4,
 *     520/2, 610/3 */
static const double HAND_RATES[NP][7] = {
    {NA, NA, NA, NA, NA, NA, 650.0 / 4},
    {2.0 / 4, 350.0 / 650, 300.0 / 650, 350.0 / 650, 300.0 / 650,
     130.0 / 350, 430.0 / 3},
    {1.0 / 3, 200.0 / 430, 200.0 / 430, 230.0 / 430, 230.0 / 430,
     500.0 / 200, 730.0 / 3},
    {1.0 / 3, 110.0 / 730, -390.0 / 730, 1120.0 / 730, 620.0 / 730,
     500.0 / 110, 1120.0 / 4},
    {1.0 / 4, 50.0 / 1120, 50.0 / 1120, 1070.0 / 1120, 1070.0 / 1120,
     60.0 / 50, 1130.0 / 4},
    {2.0 / 4, 610.0 / 1130, 610.0 / 1130, 520.0 / 1130, 520.0 / 1130,
     0.0 / 610, 520.0 / 2},
    {0.0 / 2, 0.0 / 520, -90.0 / 520, 610.0 / 520, 520.0 / 520, NA,
     610.0 / 3},
};
static const int HAND_STATUS[NP][7] = {
    {UD, UD, UD, UD, UD, UD, 0}, {0}, {0}, {0}, {0}, {0},
    {0, 0, 0, 0, 0, UD, 0},
};
/* customer churn with the other denominators (new = new + reactivated):
 *   start + new: P0 0/(0+4); P1 2/(4+1); P2 1/(3+1); P3 1/(3+0+2);
 *                P4 1/(4+1); P5 2/(4+0); P6 0/(2+1)
 *   average:     P0 0/((0+4)/2); P1 2/((4+3)/2) = 4/7; P2 1/((3+3)/2);
 *                P3 1/((3+4)/2) = 2/7; P4 1/4; P5 2/((4+2)/2); P6 0 */
static const double HAND_CHURN_SPN[NP] = {0.0, 2.0 / 5, 1.0 / 4, 1.0 / 5,
                                          1.0 / 5, 2.0 / 4, 0.0};
static const double HAND_CHURN_AVG[NP] = {0.0, 4.0 / 7, 1.0 / 3, 2.0 / 7,
                                          1.0 / 4, 2.0 / 3, 0.0};

#undef UD

START_TEST(test_hand_rates)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    libcs_mrr_period *rows = movements_of(m, NP);
    libcs_mrr_rates r[NP];

    ck_assert_ok(libcs_mrr_rates_batch(NP, rows, LIBCS_CHURN_DENOM_START, r));
    for (size_t p = 0; p < NP; p++)
        for (int k = 0; k < 7; k++) {
            ck_assert_msg(r[p].status[k] == HAND_STATUS[p][k],
                          "P%zu rate %d: status %d, want %d", p, k,
                          (int)r[p].status[k], HAND_STATUS[p][k]);
            if (HAND_STATUS[p][k] == LIBCS_OK)
                ck_assert_close(r[p].rate[k], HAND_RATES[p][k], 1e-15);
            else
                ck_assert(isnan(r[p].rate[k]));
        }

    ck_assert_ok(libcs_mrr_rates_batch(NP, rows,
                                       LIBCS_CHURN_DENOM_START_PLUS_NEW, r));
    for (size_t p = 0; p < NP; p++) {
        ck_assert_int_eq(r[p].status[LIBCS_RATE_CUSTOMER_CHURN], LIBCS_OK);
        ck_assert_close(r[p].rate[LIBCS_RATE_CUSTOMER_CHURN],
                        HAND_CHURN_SPN[p], 1e-15);
        /* the MRR rates do not depend on the denominator */
        for (int k = 1; k < 7; k++)
            ck_assert_int_eq(r[p].status[k], HAND_STATUS[p][k]);
    }
    ck_assert_ok(
        libcs_mrr_rates_batch(NP, rows, LIBCS_CHURN_DENOM_AVERAGE, r));
    for (size_t p = 0; p < NP; p++) {
        ck_assert_int_eq(r[p].status[LIBCS_RATE_CUSTOMER_CHURN], LIBCS_OK);
        ck_assert_close(r[p].rate[LIBCS_RATE_CUSTOMER_CHURN],
                        HAND_CHURN_AVG[p], 1e-15);
    }

    /* and exactly the foundation functions, with each denominator */
    check_rates_vs_foundation(rows, NP, LIBCS_CHURN_DENOM_START, "start");
    check_rates_vs_foundation(rows, NP, LIBCS_CHURN_DENOM_START_PLUS_NEW,
                              "start + new");
    check_rates_vs_foundation(rows, NP, LIBCS_CHURN_DENOM_AVERAGE,
                              "average");

    /* a suffix of the table: each row stands alone */
    libcs_mrr_rates one;
    ck_assert_ok(libcs_mrr_rates_batch(1, rows + 3, LIBCS_CHURN_DENOM_START,
                                       &one));
    ck_assert_close(one.rate[LIBCS_RATE_NRR], 1120.0 / 730, 1e-15);
    free(rows);
    libcs_mrr_free(m);
}
END_TEST

/* Rows made by hand that make the foundation functions fail. */
START_TEST(test_rates_edge_rows)
{
    libcs_mrr_period rows[4];
    memset(rows, 0, sizeof rows);
    /* row 0: all zero: every rate undefined (0 at start, nothing lost, no
     * customers at end) */
    /* row 1: churned 150 > 100 at start, 2 customers churned of 1: the MRR
     * rates and the customer churn are EDOMAIN; the quick ratio is
     * (0 + 0 + 0) / 150 = 0; a negative MRR and customer count at end:
     * ARPA is not OK */
    rows[1].mrr_start = 100;
    rows[1].churned = 150;
    rows[1].mrr_end = -50;
    rows[1].customers_start = 1;
    rows[1].customers_churned = 2;
    rows[1].customers_end = -1;
    /* row 2: new + reactivated customers overflow int64 (EOVERFLOW), and so
     * does new + expansion + reactivation MRR in the quick ratio */
    rows[2].mrr_start = 10;
    rows[2].new_mrr = INT64_MAX;
    rows[2].expansion = INT64_MAX;
    rows[2].reactivation = INT64_MAX;
    rows[2].churned = 1;
    rows[2].customers_new = INT64_MAX;
    rows[2].customers_reactivated = 1;
    rows[2].customers_end = 5;
    rows[2].mrr_end = -1;
    /* row 3: an ordinary period: start 1000, new 100, expansion 50,
     * contraction 20, churned 30, reactivation 10, end 1110; customers
     * 10 + 2 - 1 + 1 = 12 */
    rows[3] = (libcs_mrr_period){7, 0, 1000, 100, 50, 20, 30, 10, 1110,
                                 10, 2, 1, 1, 12};
    libcs_mrr_rates r[4];
    ck_assert_ok(libcs_mrr_rates_batch(4, rows, LIBCS_CHURN_DENOM_START, r));
    for (int k = 0; k < 7; k++)
        ck_assert_int_eq(r[0].status[k], LIBCS_EUNDEFINED);
    for (int k = LIBCS_RATE_CUSTOMER_CHURN; k <= LIBCS_RATE_GRR; k++)
        ck_assert_int_eq(r[1].status[k], LIBCS_EDOMAIN);
    ck_assert_int_eq(r[1].status[LIBCS_RATE_QUICK_RATIO], LIBCS_OK);
    ck_assert(r[1].rate[LIBCS_RATE_QUICK_RATIO] == 0.0);
    ck_assert_int_ne(r[1].status[LIBCS_RATE_ARPA], LIBCS_OK);
    ck_assert_int_eq(r[2].status[LIBCS_RATE_CUSTOMER_CHURN], LIBCS_EOVERFLOW);
    ck_assert_int_eq(r[2].status[LIBCS_RATE_QUICK_RATIO], LIBCS_EOVERFLOW);
    ck_assert_int_eq(r[2].status[LIBCS_RATE_ARPA], LIBCS_EDOMAIN);
    /* row 3 by hand: churn 1/10; gross (30+20)/1000; net (50-60)/1000;
     * NRR (1000-50+60)/1000; GRR 950/1000; quick (100+50+10)/(30+20) = 3.2;
     * ARPA 1110/12 = 92.5 */
    static const double want3[7] = {0.1,  0.05, -0.01, 1.01,
                                    0.95, 3.2,  92.5};
    for (int k = 0; k < 7; k++) {
        ck_assert_int_eq(r[3].status[k], LIBCS_OK);
        ck_assert_close(r[3].rate[k], want3[k], 1e-15);
    }
    for (int k = 0; k < 7; k++)
        ck_assert(isnan(r[0].rate[k]));
    for (int d = 0; d <= 2; d++)
        check_rates_vs_foundation(rows, 4, d, "edge rows");
}
END_TEST

START_TEST(test_rates_errors)
{
    libcs_mrr_period rows[2];
    memset(rows, 0, sizeof rows);
    libcs_mrr_rates out[2], keep[2];
    memset(out, 0x5A, sizeof out);
    memcpy(keep, out, sizeof out);
    ck_assert_rc(libcs_mrr_rates_batch(2, NULL, 0, out), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_rates_batch(2, rows, 0, NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_rates_batch(0, rows, 0, out), LIBCS_EEMPTY);
    ck_assert_rc(libcs_mrr_rates_batch(2, rows, -1, out), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_rates_batch(2, rows, 3, out), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_rates_batch(2, rows, INT_MAX, out), LIBCS_EINVAL);
    ck_assert_msg(!memcmp(out, keep, sizeof out),
                  "rates_batch wrote its output on error");
}
END_TEST

/* ---- cohorts ------------------------------------------------------------ *
 *
 * Cohort = first period with MRR > 0: A, B, C, G -> P0; D -> P1; E -> P2
 * (its P0 and P1 records are zeros); F -> P4; P3, P5, P6 have none.
 * Retained customers and MRR by offset (cohort P0: A B C G):
 *   P0 row: off0 P0 A100 B200 C300 G50 -> 4, 650; off1 P1 A150 B200 -> 2,
 *     350; off2 P2 A150 -> 1, 150; off3 P3 A120 C250 G50 -> 3, 420;
 *     off4 P4 A120 C250 -> 2, 370; off5 P5 A120 -> 1, 120; off6 P6 A120
 *     -> 1, 120
 *   P1 row (D): P1 80, P2 80, P3..P5 0, P6 90; off6 = P7 not observable
 *   P2 row (E): P2 500, P3 700, P4 700, P5 400, P6 400; off5, off6 not yet
 *   P3 row: empty (0 in the 4 observable cells)
 *   P4 row (F): P4 60, P5 0, P6 0
 *   P5, P6 rows: empty
 * Observable: cohort + offset <= 6.  Fractions of the cohort's start:
 *   customers /4, /1, /1, -, /1; revenue /650, /80, /500, -, /60. */
#define U (-1)
static const int64_t HAND_COH_CUST[NP][NP] = {
    {4, 2, 1, 3, 2, 1, 1}, {1, 1, 0, 0, 0, 1, U}, {1, 1, 1, 1, 1, U, U},
    {0, 0, 0, 0, U, U, U}, {1, 0, 0, U, U, U, U}, {0, 0, U, U, U, U, U},
    {0, U, U, U, U, U, U},
};
static const int64_t HAND_COH_REV[NP][NP] = {
    {650, 350, 150, 420, 370, 120, 120}, {80, 80, 0, 0, 0, 90, U},
    {500, 700, 700, 400, 400, U, U},     {0, 0, 0, 0, U, U, U},
    {60, 0, 0, U, U, U, U},              {0, 0, U, U, U, U, U},
    {0, U, U, U, U, U, U},
};
static const double HAND_COH_CS[NP][NP] = {
    {4.0 / 4, 2.0 / 4, 1.0 / 4, 3.0 / 4, 2.0 / 4, 1.0 / 4, 1.0 / 4},
    {1, 1, 0, 0, 0, 1, NA},
    {1, 1, 1, 1, 1, NA, NA},
    {NA, NA, NA, NA, NA, NA, NA},
    {1, 0, 0, NA, NA, NA, NA},
    {NA, NA, NA, NA, NA, NA, NA},
    {NA, NA, NA, NA, NA, NA, NA},
};
static const double HAND_COH_RS[NP][NP] = {
    {650.0 / 650, 350.0 / 650, 150.0 / 650, 420.0 / 650, 370.0 / 650,
     120.0 / 650, 120.0 / 650},
    {80.0 / 80, 80.0 / 80, 0, 0, 0, 90.0 / 80, NA},
    {500.0 / 500, 700.0 / 500, 700.0 / 500, 400.0 / 500, 400.0 / 500, NA,
     NA},
    {NA, NA, NA, NA, NA, NA, NA},
    {60.0 / 60, 0, 0, NA, NA, NA, NA},
    {NA, NA, NA, NA, NA, NA, NA},
    {NA, NA, NA, NA, NA, NA, NA},
};

#undef U
#undef NA

static void check_hand_cohorts(const struct cohorts *c, const char *what)
{
    for (int i = 0; i < NP; i++)
        for (int j = 0; j < NP; j++) {
            size_t cell = (size_t)i * NP + (size_t)j;
            if (c->cust)
                ck_assert_msg(c->cust[cell] == HAND_COH_CUST[i][j],
                              "%s: customers[%d][%d] = %lld, want %lld", what,
                              i, j, LL(c->cust[cell]),
                              LL(HAND_COH_CUST[i][j]));
            if (c->rev)
                ck_assert_msg(c->rev[cell] == HAND_COH_REV[i][j],
                              "%s: revenue[%d][%d] = %lld, want %lld", what,
                              i, j, LL(c->rev[cell]), LL(HAND_COH_REV[i][j]));
            if (c->cs)
                ck_assert_msg(same_double(c->cs[cell], HAND_COH_CS[i][j]),
                              "%s: customer_share[%d][%d] = %g, want %g",
                              what, i, j, c->cs[cell], HAND_COH_CS[i][j]);
            if (c->rs)
                ck_assert_msg(same_double(c->rs[cell], HAND_COH_RS[i][j]),
                              "%s: revenue_share[%d][%d] = %g, want %g", what,
                              i, j, c->rs[cell], HAND_COH_RS[i][j]);
        }
}

START_TEST(test_hand_cohorts)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    struct cohorts c;
    cohorts_of(m, NP, &c);
    check_hand_cohorts(&c, "hand");
    /* cohorts follow the first paying period, whatever the window */
    libcs_mrr *k0 = hand_ledger(0);
    struct cohorts c0;
    cohorts_of(k0, NP, &c0);
    cohorts_same_bytes(&c, &c0, "window 0 vs any gap");
    cohorts_free(&c0);
    libcs_mrr_free(k0);
    cohorts_free(&c);
    libcs_mrr_free(m);
}
END_TEST

START_TEST(test_cohorts_null_outputs)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    /* each output alone, the others NULL */
    for (int which = 0; which < 4; which++) {
        struct cohorts c;
        cohorts_alloc(&c, NP);
        size_t needed = 0;
        ck_assert_ok(libcs_mrr_cohorts(
            m, c.cells, which == 0 ? c.cust : NULL,
            which == 1 ? c.rev : NULL, which == 2 ? c.cs : NULL,
            which == 3 ? c.rs : NULL, &needed, NULL, NULL));
        ck_assert_uint_eq(needed, (size_t)NP * NP);
        struct cohorts only = {c.cells, which == 0 ? c.cust : NULL,
                               which == 1 ? c.rev : NULL,
                               which == 2 ? c.cs : NULL,
                               which == 3 ? c.rs : NULL};
        check_hand_cohorts(&only, "one output");
        cohorts_free(&c);
    }
    /* no output at all: nothing needs room; needed is still reported */
    size_t needed = 0;
    ck_assert_ok(libcs_mrr_cohorts(m, 0, NULL, NULL, NULL, NULL, &needed,
                                   NULL, NULL));
    ck_assert_uint_eq(needed, (size_t)NP * NP);
    ck_assert_ok(
        libcs_mrr_cohorts(m, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    libcs_mrr_free(m);
}
END_TEST

START_TEST(test_cohorts_bufsize)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    for (int which = 0; which < 4; which++) {
        struct cohorts c, keep;
        cohorts_alloc(&c, NP);
        cohorts_alloc(&keep, NP);
        size_t needed = 0;
        /* 48 cells < 7 x 7 = 49 */
        ck_assert_rc(libcs_mrr_cohorts(m, c.cells - 1,
                                       which == 0 ? c.cust : NULL,
                                       which == 1 ? c.rev : NULL,
                                       which == 2 ? c.cs : NULL,
                                       which == 3 ? c.rs : NULL, &needed,
                                       NULL, NULL),
                     LIBCS_EBUFSIZE);
        ck_assert_uint_eq(needed, 49);
        cohorts_same_bytes(&c, &keep, "EBUFSIZE wrote");
        cohorts_free(&c);
        cohorts_free(&keep);
    }
    ck_assert_rc(libcs_mrr_cohorts(m, 48, NULL, NULL, NULL, NULL, NULL, NULL,
                                   NULL),
                 LIBCS_OK);
    ck_assert_rc(libcs_mrr_cohorts(NULL, 49, NULL, NULL, NULL, NULL, NULL,
                                   NULL, NULL),
                 LIBCS_EINVAL);
    libcs_mrr_free(m);

    /* a 1-period ledger: needed = 1 */
    m = new_ledger(5, 1, LIBCS_MRR_ANY_GAP);
    int64_t one = 777;
    size_t needed = 0;
    ck_assert_rc(libcs_mrr_cohorts(m, 0, &one, NULL, NULL, NULL, &needed,
                                   NULL, NULL),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 1);
    ck_assert_int_eq(one, 777);
    double share = SENTINEL;
    ck_assert_ok(libcs_mrr_cohorts(m, 1, &one, NULL, &share, NULL, &needed,
                                   NULL, NULL));
    ck_assert_int_eq(one, 0);  /* an empty cohort */
    ck_assert(isnan(share));   /* with a NaN fraction */
    libcs_mrr_free(m);

    /* INT32_MAX periods: n_periods^2 cells of 8 bytes exceed SIZE_MAX */
    if (sizeof(size_t) == 8) {
        m = new_ledger(0, INT32_MAX, LIBCS_MRR_ANY_GAP);
        ck_assert_rc(libcs_mrr_cohorts(m, 0, NULL, NULL, NULL, NULL, &needed,
                                       NULL, NULL),
                     LIBCS_EOVERFLOW);
        libcs_mrr_free(m);
    }
}
END_TEST

/* ---- subscription-capped GRR ------------------------------------------- *
 *
 * Σ min(MRR now, MRR before) / Σ MRR before over customers with MRR > 0 the
 * period before.  For the hand data:
 *   P1: before A100 B200 C300 G50 = 650; now A150 B200 C0 G0: min 100 + 200
 *       + 0 + 0 = 300 -> 300/650
 *   P2: before A150 B200 D80 = 430; now A150 B0 D80: 230 -> 230/430
 *   P3: before A150 D80 E500 = 730; now A120 D0 E700 (capped at 500): 620
 *       -> 620/730
 *   P4: before A120 C250 E700 G50 = 1120; now G0: 1070 -> 1070/1120
 *   P5: before A120 C250 E700 F60 = 1130; now A120 C0 E400 F0: 520/1130
 *   P6: before A120 E400 = 520; now the same: 1 (D's return is not counted:
 *       it was not active in P5). */
START_TEST(test_capped_grr_hand)
{
    static const double want[NP] = {0,           300.0 / 650,  230.0 / 430,
                                    620.0 / 730, 1070.0 / 1120, 520.0 / 1130,
                                    1.0};
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    libcs_mrr_period *rows = movements_of(m, NP);
    libcs_mrr_rates r[NP];
    ck_assert_ok(libcs_mrr_rates_batch(NP, rows, 0, r));
    for (int32_t p = 1; p < NP; p++) {
        double g = SENTINEL;
        ck_assert_ok(libcs_mrr_capped_grr(m, FIRST + p, &g));
        ck_assert_close(g, want[p], 1e-15);
        ck_assert(g == r[p].rate[LIBCS_RATE_GRR]);
    }
    free(rows);
    libcs_mrr_free(m);

    /* a window does not change it */
    m = hand_ledger(0);
    double g = SENTINEL;
    ck_assert_ok(libcs_mrr_capped_grr(m, FIRST + 3, &g));
    ck_assert_close(g, 620.0 / 730, 1e-15);
    libcs_mrr_free(m);
}
END_TEST

START_TEST(test_capped_grr_errors)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    double out;
    ck_assert_fails(libcs_mrr_capped_grr(NULL, FIRST + 1, &out), LIBCS_EINVAL,
                    out);
    ck_assert_rc(libcs_mrr_capped_grr(m, FIRST + 1, NULL), LIBCS_EINVAL);
    /* the first period has no period before it in the ledger */
    ck_assert_fails(libcs_mrr_capped_grr(m, FIRST, &out), LIBCS_EDOMAIN, out);
    ck_assert_fails(libcs_mrr_capped_grr(m, FIRST - 1, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_mrr_capped_grr(m, FIRST + NP, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_mrr_capped_grr(m, INT32_MIN, &out), LIBCS_EDOMAIN,
                    out);
    ck_assert_fails(libcs_mrr_capped_grr(m, INT32_MAX, &out), LIBCS_EDOMAIN,
                    out);
    libcs_mrr_free(m);

    /* nobody active the period before: P0 empty, then only a 0 record */
    m = new_ledger(0, 4, LIBCS_MRR_ANY_GAP);
    ck_assert_fails(libcs_mrr_capped_grr(m, 1, &out), LIBCS_EUNDEFINED, out);
    add_recs(m, (const struct rec[]){{1, 1, 0}, {2, 2, 10}, {2, 3, 10}}, 3);
    ck_assert_fails(libcs_mrr_capped_grr(m, 1, &out), LIBCS_EUNDEFINED, out);
    ck_assert_fails(libcs_mrr_capped_grr(m, 2, &out), LIBCS_EUNDEFINED, out);
    out = SENTINEL;
    ck_assert_ok(libcs_mrr_capped_grr(m, 3, &out));
    ck_assert(out == 1.0); /* 10 kept of 10 */

    /* duplicates are reported, as for movements */
    add_recs(m, (const struct rec[]){{2, 2, 11}}, 1);
    ck_assert_fails(libcs_mrr_capped_grr(m, 3, &out), LIBCS_EDUPLICATE, out);
    libcs_mrr_free(m);

    /* Σ MRR before overflows: two customers with 2^62 each */
    m = new_ledger(0, 2, LIBCS_MRR_ANY_GAP);
    add_recs(m,
             (const struct rec[]){{1, 0, INT64_C(1) << 62},
                                  {2, 0, INT64_C(1) << 62},
                                  {3, 0, 1}},
             3);
    ck_assert_fails(libcs_mrr_capped_grr(m, 1, &out), LIBCS_EOVERFLOW, out);
    libcs_mrr_free(m);
}
END_TEST

/* ---- capped GRR against any base period ------------------------------ *
 *
 * Thirteen months, January 2025 (period 24300 = 2025 * 12) to January 2026
 * (period 24312); relative months 0..12.  MRR per customer ('.' = no
 * record, '0' = an explicit zero record):
 *
 *   customer  months 0..12
 *   A = 1     100 in 0..5, 150 in 6..12            expansion (capped away)
 *   B = 2     400 in 0..7, 250 in 8..12            contraction
 *   C = 3     300 in 0..4, then .                  churn
 *   D = 4     . in 0..2, 500 in 3..11, 400 in 12   new after January 2025
 *   E = 5     200 in 0..1, 0 in 2, . in 3..8,      leaves and comes back
 *             120 in 9..12
 *   F = 6     0 in 0, . in 1..9, 70 in 10..12      a zero record at the base
 *
 * Annual capped GRR of January 2026 (base month 0, period 12): customers
 * paying in month 0 are A 100, B 400, C 300, E 200 (F's 0 record does not
 * make it active) = 1000; kept min(150, 100) + min(250, 400) + 0
 * + min(120, 200) = 100 + 250 + 0 + 120 = 470 -> 470/1000 = 0.47.  D, new
 * after the base, is not in it; E counts with what it pays at the end, the
 * definition comparing the two periods only.
 * One-month capped GRR of month 12 (base 11): A 150, B 250, D 500, E 120,
 * F 70 = 1090; kept 150 + 250 + 400 + 120 + 70 = 990 -> 990/1090.
 * Month 12 against month 3: A 100, B 400, C 300, D 500 = 1300 (E pays
 * nothing in month 3); kept 100 + 250 + 0 + 400 = 750 -> 750/1300.
 * Month 6 against month 0: 1000; kept min(150, 100) + 400 + 0 + 0 (E is
 * away) = 500 -> 0.5.
 * Month 9 against month 2: A 100, B 400, C 300 = 800 (E's 0 record);
 * kept 100 + 250 + 0 = 350 -> 350/800. */
#define Y25 24300

static libcs_mrr *year_ledger(void)
{
    struct rec r[80];
    size_t n = 0;
    for (int32_t m = 0; m <= 12; m++) {
        r[n++] = (struct rec){1, Y25 + m, m <= 5 ? 100 : 150};
        r[n++] = (struct rec){2, Y25 + m, m <= 7 ? 400 : 250};
        if (m <= 4)
            r[n++] = (struct rec){3, Y25 + m, 300};
        if (m >= 3)
            r[n++] = (struct rec){4, Y25 + m, m <= 11 ? 500 : 400};
        if (m <= 2 || m >= 9)
            r[n++] = (struct rec){5, Y25 + m, m <= 1 ? 200 : m == 2 ? 0 : 120};
        if (m == 0 || m >= 10)
            r[n++] = (struct rec){6, Y25 + m, m == 0 ? 0 : 70};
    }
    libcs_mrr *l = new_ledger(Y25, 13, LIBCS_MRR_ANY_GAP);
    add_recs(l, r, n);
    return l;
}

static double since(const libcs_mrr *l, int32_t base, int32_t period)
{
    double g = SENTINEL;
    int64_t dc = 77;
    int32_t dp = 77;
    ck_assert_ok(libcs_mrr_capped_grr_since(l, base, period, &g, &dc, &dp));
    ck_assert(dc == 77 && dp == 77); /* written only on a duplicate */
    return g;
}

START_TEST(test_capped_since_hand)
{
    libcs_mrr *l = year_ledger();
    ck_assert(since(l, Y25, Y25 + 12) == 470.0 / 1000);
    ck_assert(since(l, Y25 + 11, Y25 + 12) == 990.0 / 1090);
    ck_assert(since(l, Y25 + 3, Y25 + 12) == 750.0 / 1300);
    ck_assert(since(l, Y25, Y25 + 6) == 0.5);
    ck_assert(since(l, Y25 + 2, Y25 + 9) == 350.0 / 800);

    /* over one month it is libcs_mrr_capped_grr, and the GRR of the
     * movements (per-customer records); over twelve it is not */
    libcs_mrr_period *rows = movements_of(l, 13);
    libcs_mrr_rates r[13];
    ck_assert_ok(libcs_mrr_rates_batch(13, rows, 0, r));
    for (int32_t p = 1; p <= 12; p++) {
        double g1 = SENTINEL, g = since(l, Y25 + p - 1, Y25 + p);
        ck_assert_ok(libcs_mrr_capped_grr(l, Y25 + p, &g1));
        ck_assert(g == g1 && g == r[p].rate[LIBCS_RATE_GRR]);
    }
    ck_assert(r[12].rate[LIBCS_RATE_GRR] == 990.0 / 1090);
    free(rows);

    /* the series: NaN before a base exists, then the values above */
    double s[13];
    size_t needed = 0;
    memset(s, 0xA5, sizeof s);
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 12, s, 13, &needed, NULL,
                                             NULL));
    ck_assert_uint_eq(needed, 13);
    for (int p = 0; p < 12; p++)
        ck_assert_msg(isnan(s[p]), "month %d: %g, want NaN", p, s[p]);
    ck_assert(s[12] == 0.47);
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 9, s, 13, NULL, NULL, NULL));
    ck_assert(s[12] == 750.0 / 1300 && isnan(s[8]));
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 7, s, 20, NULL, NULL, NULL));
    ck_assert(s[9] == 350.0 / 800 && isnan(s[6]));
    /* a lookback as long as the ledger or longer: nothing observable */
    static const int32_t longer[] = {13, 14, 1000, INT32_MAX};
    for (size_t k = 0; k < sizeof longer / sizeof longer[0]; k++) {
        memset(s, 0, sizeof s);
        ck_assert_ok(libcs_mrr_capped_grr_series(l, longer[k], s, 13, NULL,
                                                 NULL, NULL));
        for (int p = 0; p < 13; p++)
            ck_assert(isnan(s[p]));
    }
    libcs_mrr_free(l);

    /* nobody paying at a base is NaN in the series and LIBCS_EUNDEFINED
     * from _since: month 1 has only a 0 record, month 2 nobody */
    l = new_ledger(0, 4, LIBCS_MRR_ANY_GAP);
    add_recs(l, (const struct rec[]){{1, 0, 10}, {1, 1, 0}, {2, 3, 5}}, 3);
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 1, s, 4, NULL, NULL, NULL));
    ck_assert(isnan(s[0]) && s[1] == 0.0 && isnan(s[2]) && isnan(s[3]));
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 2, s, 4, NULL, NULL, NULL));
    ck_assert(isnan(s[0]) && isnan(s[1]) && s[2] == 0.0 && isnan(s[3]));
    double g = SENTINEL;
    ck_assert_fails(libcs_mrr_capped_grr_since(l, 1, 3, &g, NULL, NULL),
                    LIBCS_EUNDEFINED, g);
    ck_assert_fails(libcs_mrr_capped_grr_since(l, 2, 3, &g, NULL, NULL),
                    LIBCS_EUNDEFINED, g);
    libcs_mrr_free(l);

    /* an empty ledger: every cell NaN */
    l = new_ledger(-5, 3, LIBCS_MRR_ANY_GAP);
    memset(s, 0, sizeof s);
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 1, s, 3, NULL, NULL, NULL));
    ck_assert(isnan(s[0]) && isnan(s[1]) && isnan(s[2]));
    ck_assert_fails(libcs_mrr_capped_grr_since(l, -5, -3, &g, NULL, NULL),
                    LIBCS_EUNDEFINED, g);
    libcs_mrr_free(l);
}
END_TEST

START_TEST(test_capped_since_errors)
{
    libcs_mrr *l = year_ledger();
    double g = SENTINEL;
    ck_assert_fails(libcs_mrr_capped_grr_since(NULL, Y25, Y25 + 1, &g, NULL,
                                               NULL),
                    LIBCS_EINVAL, g);
    ck_assert_rc(libcs_mrr_capped_grr_since(l, Y25, Y25 + 1, NULL, NULL, NULL),
                 LIBCS_EINVAL);
    /* base < period, both in the ledger */
    static const int32_t bad[][2] = {
        {Y25, Y25},           {Y25 + 5, Y25 + 4},   {Y25 + 12, Y25},
        {Y25 - 1, Y25 + 1},   {Y25, Y25 + 13},      {Y25 - 12, Y25},
        {INT32_MIN, Y25 + 1}, {Y25, INT32_MAX},     {INT32_MIN, INT32_MAX},
        {INT32_MAX, INT32_MIN},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_fails(libcs_mrr_capped_grr_since(l, bad[k][0], bad[k][1], &g,
                                                   NULL, NULL),
                        LIBCS_EDOMAIN, g);

    double s[13], keep[13];
    size_t needed = 0;
    memset(s, 0x3C, sizeof s);
    memcpy(keep, s, sizeof s);
    ck_assert_rc(libcs_mrr_capped_grr_series(NULL, 1, s, 13, &needed, NULL,
                                             NULL),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 1, NULL, 13, &needed, NULL,
                                             NULL),
                 LIBCS_EINVAL);
    static const int32_t bad_lookback[] = {0, -1, INT32_MIN};
    for (size_t k = 0; k < 3; k++)
        ck_assert_rc(libcs_mrr_capped_grr_series(l, bad_lookback[k], s, 13,
                                                 &needed, NULL, NULL),
                     LIBCS_EDOMAIN);
    ck_assert_uint_eq(needed, 0); /* not a size query */
    /* a size query, then a buffer too small */
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 12, NULL, 0, &needed, NULL,
                                             NULL),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 13);
    needed = 0;
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 12, s, 12, &needed, NULL,
                                             NULL),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 13);
    ck_assert(!memcmp(s, keep, sizeof s));
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 12, s, 12, NULL, NULL, NULL),
                 LIBCS_EBUFSIZE);
    ck_assert(!memcmp(s, keep, sizeof s));

    /* duplicates: the first repeated record is named, nothing written.
     * Added: (2, month 4, 400) again at index n, then (6, month 0, 0) */
    add_recs(l, (const struct rec[]){{2, Y25 + 4, 400}, {6, Y25, 0}}, 2);
    int64_t dc = 0;
    int32_t dp = 0;
    ck_assert_fails(libcs_mrr_capped_grr_since(l, Y25, Y25 + 12, &g, &dc,
                                               &dp),
                    LIBCS_EDUPLICATE, g);
    ck_assert(dc == 2 && dp == Y25 + 4);
    ck_assert_fails(libcs_mrr_capped_grr_since(l, Y25, Y25 + 12, &g, NULL,
                                               NULL),
                    LIBCS_EDUPLICATE, g);
    dc = 0;
    dp = 0;
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 12, s, 13, &needed, &dc, &dp),
                 LIBCS_EDUPLICATE);
    ck_assert(dc == 2 && dp == Y25 + 4);
    ck_assert(!memcmp(s, keep, sizeof s));
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 12, s, 13, NULL, NULL, NULL),
                 LIBCS_EDUPLICATE);
    /* a duplicate is reported even where no cell is observable */
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 13, s, 13, NULL, &dc, &dp),
                 LIBCS_EDUPLICATE);
    ck_assert(!memcmp(s, keep, sizeof s));
    libcs_mrr_free(l);

    /* the base sum overflows: two customers with 2^62 each at the base */
    l = new_ledger(0, 3, LIBCS_MRR_ANY_GAP);
    add_recs(l,
             (const struct rec[]){{1, 0, INT64_C(1) << 62},
                                  {2, 0, INT64_C(1) << 62},
                                  {3, 1, 1}},
             3);
    ck_assert_fails(libcs_mrr_capped_grr_since(l, 0, 2, &g, NULL, NULL),
                    LIBCS_EOVERFLOW, g);
    ck_assert_rc(libcs_mrr_capped_grr_series(l, 2, s, 3, NULL, NULL, NULL),
                 LIBCS_EOVERFLOW);
    ck_assert(!memcmp(s, keep, sizeof s));
    /* ... but not when month 0 is no base: lookback 3 observes nothing,
     * and against month 1 it is 1 of 1 */
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 3, s, 3, NULL, NULL, NULL));
    ck_assert(since(l, 1, 2) == 0.0);
    /* INT64_MAX at the base alone is fine: kept = base = INT64_MAX */
    libcs_mrr_free(l);
    l = new_ledger(0, 2, LIBCS_MRR_ANY_GAP);
    add_recs(l, (const struct rec[]){{1, 0, INT64_MAX}, {1, 1, INT64_MAX}},
             2);
    ck_assert(since(l, 0, 1) == 1.0);
    ck_assert_ok(libcs_mrr_capped_grr_series(l, 1, s, 2, NULL, NULL, NULL));
    ck_assert(isnan(s[0]) && s[1] == 1.0);
    libcs_mrr_free(l);
}
END_TEST

/* ---- randomized data ---------------------------------------------------- */

struct dataset {
    int32_t first, np;
    size_t ncust, cust_cap;
    int64_t *id;    /* per customer */
    int64_t *dense; /* ncust x np: MRR per customer and period (0 = none) */
    size_t n, rec_cap;
    int64_t *c; /* records, grouped by customer in period order */
    int32_t *p;
    int64_t *v;
};

/* mostly small, sometimes medium, now and then large (10^9..10^12) */
static int64_t rng_amount(uint64_t *st)
{
    uint64_t u = rng_below(st, 100);
    if (u < 50)
        return 1 + (int64_t)rng_below(st, 1000);
    if (u < 90)
        return 1 + (int64_t)rng_below(st, 1000000);
    return INT64_C(1000000000) +
           (int64_t)rng_below(st, UINT64_C(1000000000000));
}

/* Up to max_cust customers over np periods, stopping at max_rec records.
 * Each customer starts paying in a random period (1 in 25 never does),
 * then each period churns (10 %), changes to a new amount (10 %), expands a
 * little (5 %), halves (5 %; 1 halves to a churn) or stays; an inactive
 * customer comes back with 15 % a period.  A period with MRR 0 gets an
 * explicit 0 record 1 time in 4, otherwise no record. */
static void gen_dataset(struct dataset *d, int32_t first, int32_t np,
                        size_t max_cust, size_t max_rec, uint64_t seed)
{
    memset(d, 0, sizeof *d);
    d->first = first;
    d->np = np;
    uint64_t st = seed;
    d->rec_cap = max_rec;
    if (max_cust < SIZE_MAX / (size_t)np && max_cust * (size_t)np < max_rec)
        d->rec_cap = max_cust * (size_t)np;
    d->c = xmalloc(d->rec_cap * sizeof *d->c);
    d->p = xmalloc(d->rec_cap * sizeof *d->p);
    d->v = xmalloc(d->rec_cap * sizeof *d->v);
    int full = 0;
    for (size_t i = 0; i < max_cust && !full; i++) {
        if (d->ncust == d->cust_cap) {
            d->cust_cap = d->cust_cap ? 2 * d->cust_cap : 1024;
            d->id = realloc(d->id, d->cust_cap * sizeof *d->id);
            d->dense = realloc(d->dense,
                               d->cust_cap * (size_t)np * sizeof *d->dense);
            ck_assert_ptr_nonnull(d->id);
            ck_assert_ptr_nonnull(d->dense);
        }
        d->ncust++;
        int64_t id = (int64_t)mix64(seed + i * UINT64_C(0x9E3779B97F4A7C15));
        d->id[i] = id;
        int64_t *row = &d->dense[i * (size_t)np];
        int never = rng_below(&st, 25) == 0;
        int32_t start = (int32_t)rng_below(&st, (uint64_t)np);
        int64_t cur = 0;
        for (int32_t p = 0; p < np; p++) {
            if (!never && p == start)
                cur = rng_amount(&st);
            else if (!never && p > start) {
                if (cur > 0) {
                    uint64_t u = rng_below(&st, 100);
                    if (u < 10)
                        cur = 0;
                    else if (u < 20)
                        cur = rng_amount(&st);
                    else if (u < 25)
                        cur += 1 + (int64_t)rng_below(&st, 50);
                    else if (u < 30)
                        cur /= 2;
                } else if (rng_below(&st, 100) < 15)
                    cur = rng_amount(&st);
            }
            if (cur > 0 || rng_below(&st, 4) == 0) {
                if (d->n == d->rec_cap) { /* out of records: none from here */
                    for (int32_t q = p; q < np; q++)
                        row[q] = 0;
                    full = 1;
                    break;
                }
                d->c[d->n] = id;
                d->p[d->n] = first + p;
                d->v[d->n] = cur;
                d->n++;
            }
            row[p] = cur;
        }
    }
}

static void free_dataset(struct dataset *d)
{
    free(d->id);
    free(d->dense);
    free(d->c);
    free(d->p);
    free(d->v);
}

/* The movements straight from the definitions on the dense table: a
 * customer's MRR in each period next to the one before; mrr_end and
 * customers_end are the direct sums, and each start is the previous end. */
static void reference_movements(const struct dataset *d, int32_t k,
                                libcs_mrr_period *want)
{
    const int32_t np = d->np;
    memset(want, 0, (size_t)np * sizeof *want);
    for (int32_t p = 0; p < np; p++)
        want[p].period = d->first + p;
    for (size_t i = 0; i < d->ncust; i++) {
        const int64_t *row = &d->dense[i * (size_t)np];
        int64_t prev = 0;
        int32_t last_active = -1;
        for (int32_t p = 0; p < np; p++) {
            int64_t cur = row[p];
            libcs_mrr_period *w = &want[p];
            if (prev == 0 && cur > 0) {
                if (last_active >= 0 &&
                    (k == LIBCS_MRR_ANY_GAP || p - last_active - 1 <= k)) {
                    w->reactivation += cur;
                    w->customers_reactivated++;
                } else {
                    w->new_mrr += cur;
                    w->customers_new++;
                }
            } else if (prev > 0 && cur == 0) {
                w->churned += prev;
                w->customers_churned++;
            } else if (cur > prev) {
                w->expansion += cur - prev;
            } else if (cur < prev) {
                w->contraction += prev - cur;
            }
            if (cur > 0) {
                last_active = p;
                w->mrr_end += cur;
                w->customers_end++;
            }
            prev = cur;
        }
    }
    for (int32_t p = 1; p < np; p++) {
        want[p].mrr_start = want[p - 1].mrr_end;
        want[p].customers_start = want[p - 1].customers_end;
    }
}

/* mrr_end and customers_end against sums over the records themselves */
static void check_direct_sums(const libcs_mrr_period *rows,
                              const struct dataset *d)
{
    int64_t *sum = calloc((size_t)d->np, sizeof *sum);
    int64_t *pos = calloc((size_t)d->np, sizeof *pos);
    ck_assert_ptr_nonnull(sum);
    ck_assert_ptr_nonnull(pos);
    for (size_t i = 0; i < d->n; i++) {
        sum[d->p[i] - d->first] += d->v[i];
        pos[d->p[i] - d->first] += d->v[i] > 0;
    }
    for (int32_t p = 0; p < d->np; p++) {
        ck_assert_msg(rows[p].mrr_end == sum[p],
                      "period %d: mrr_end %lld, direct sum %lld",
                      (int)rows[p].period, LL(rows[p].mrr_end), LL(sum[p]));
        ck_assert_msg(rows[p].customers_end == pos[p],
                      "period %d: customers_end %lld, paying %lld",
                      (int)rows[p].period, LL(rows[p].customers_end),
                      LL(pos[p]));
    }
    free(sum);
    free(pos);
}

static void reference_cohorts(const struct dataset *d, struct cohorts *c)
{
    const size_t np = (size_t)d->np;
    cohorts_alloc(c, d->np);
    memset(c->cust, 0, c->cells * sizeof *c->cust);
    memset(c->rev, 0, c->cells * sizeof *c->rev);
    for (size_t i = 0; i < d->ncust; i++) {
        const int64_t *row = &d->dense[i * np];
        size_t c0 = 0;
        while (c0 < np && row[c0] == 0)
            c0++;
        for (size_t q = c0; q < np; q++)
            if (row[q] > 0) {
                c->cust[c0 * np + q - c0]++;
                c->rev[c0 * np + q - c0] += row[q];
            }
    }
    for (size_t r = 0; r < np; r++)
        for (size_t o = 0; o < np; o++) {
            size_t cell = r * np + o;
            int seen = r + o < np;
            c->cs[cell] = seen && c->cust[r * np] > 0
                              ? (double)c->cust[cell] / (double)c->cust[r * np]
                              : NAN;
            c->rs[cell] = seen && c->rev[r * np] > 0
                              ? (double)c->rev[cell] / (double)c->rev[r * np]
                              : NAN;
            if (!seen)
                c->cust[cell] = c->rev[cell] = -1;
        }
}

static libcs_mrr *dataset_ledger(const struct dataset *d, int32_t k)
{
    libcs_mrr *m = new_ledger(d->first, d->np, k);
    ck_assert_ok(libcs_mrr_add(m, d->n, d->c, d->p, d->v, NULL));
    return m;
}

START_TEST(test_random_invariants)
{
    static const int32_t windows[] = {LIBCS_MRR_ANY_GAP, 0, 1, 3};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct dataset d;
        /* 4000 customers over 24 periods from -7 (negative periods too) */
        gen_dataset(&d, -7, 24, 4000, SIZE_MAX, seed * 1000003);
        ck_assert_uint_gt(d.n, 20000);
        libcs_mrr_period want[24], any[24];
        for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
            libcs_mrr *m = dataset_ledger(&d, windows[w]);
            libcs_mrr_period *rows = movements_of(m, d.np);
            check_identity(rows, d.first, d.np, "random");
            check_direct_sums(rows, &d);
            reference_movements(&d, windows[w], want);
            check_rows(rows, want, d.np, "random vs reference");
            if (w == 0)
                memcpy(any, rows, sizeof any);
            /* a window only moves returns between new and reactivation */
            for (int32_t p = 0; p < d.np; p++) {
                ck_assert(rows[p].new_mrr + rows[p].reactivation ==
                          any[p].new_mrr + any[p].reactivation);
                ck_assert(rows[p].customers_new +
                              rows[p].customers_reactivated ==
                          any[p].customers_new + any[p].customers_reactivated);
                ck_assert(rows[p].reactivation <= any[p].reactivation);
            }
            for (int dn = 0; dn <= 2; dn++)
                check_rates_vs_foundation(rows, (size_t)d.np, dn, "random");
            free(rows);
            libcs_mrr_free(m);
        }
        /* the generator made every kind of movement */
        int64_t kinds[6] = {0};
        for (int32_t p = 0; p < d.np; p++) {
            kinds[0] += any[p].new_mrr > 0;
            kinds[1] += any[p].expansion > 0;
            kinds[2] += any[p].contraction > 0;
            kinds[3] += any[p].churned > 0;
            kinds[4] += any[p].reactivation > 0;
        }
        for (int k = 0; k < 5; k++)
            ck_assert_int_gt(kinds[k], 0);
        free_dataset(&d);
    }
}
END_TEST

START_TEST(test_random_cohorts)
{
    struct dataset d;
    gen_dataset(&d, 3, 18, 3000, SIZE_MAX, 77);
    libcs_mrr *m = dataset_ledger(&d, 2);
    struct cohorts got, want;
    cohorts_of(m, d.np, &got);
    reference_cohorts(&d, &want);
    ck_assert_msg(!memcmp(got.cust, want.cust, got.cells * sizeof *got.cust),
                  "customer counts differ from the reference");
    ck_assert_msg(!memcmp(got.rev, want.rev, got.cells * sizeof *got.rev),
                  "revenue differs from the reference");
    for (size_t i = 0; i < got.cells; i++) {
        ck_assert_msg(same_double(got.cs[i], want.cs[i]) &&
                          same_double(got.rs[i], want.rs[i]),
                      "share cell %zu differs", i);
        /* a cohort's offset-0 cell is all of it */
        if (i % (size_t)d.np == 0 && got.cust[i] > 0)
            ck_assert(got.cs[i] == 1.0 && got.rs[i] == 1.0);
    }
    /* the diagonal sums: the customers paying in period p are spread over
     * the cohorts up to p */
    libcs_mrr_period *rows = movements_of(m, d.np);
    for (int32_t p = 0; p < d.np; p++) {
        int64_t cs = 0, rs = 0;
        for (int32_t r = 0; r <= p; r++) {
            cs += got.cust[(size_t)r * (size_t)d.np + (size_t)(p - r)];
            rs += got.rev[(size_t)r * (size_t)d.np + (size_t)(p - r)];
        }
        ck_assert_int_eq(cs, rows[p].customers_end);
        ck_assert_int_eq(rs, rows[p].mrr_end);
    }
    free(rows);
    cohorts_free(&got);
    cohorts_free(&want);
    libcs_mrr_free(m);
    free_dataset(&d);
}
END_TEST

/* Capped GRR = GRR when the records are per customer: a customer active the
 * period before contributes before - min(now, before) = 0 when it stayed or
 * expanded, before - now when it contracted, before when it churned; its
 * expansion is capped away, and new or returning customers (not active
 * before) are not in the sum.  So Σ min = mrr_start - contraction - churned
 * and Σ before = mrr_start, the same two integers GRR divides. */
START_TEST(test_random_capped_grr)
{
    struct dataset d;
    gen_dataset(&d, 1000, 20, 3000, SIZE_MAX, 4242);
    libcs_mrr *m = dataset_ledger(&d, LIBCS_MRR_ANY_GAP);
    libcs_mrr_period *rows = movements_of(m, d.np);
    libcs_mrr_rates *r = xmalloc((size_t)d.np * sizeof *r);
    ck_assert_ok(libcs_mrr_rates_batch((size_t)d.np, rows, 0, r));
    for (int32_t p = 1; p < d.np; p++) {
        /* Σ min and Σ before straight from the dense table */
        int64_t kept = 0, before = 0;
        for (size_t i = 0; i < d.ncust; i++) {
            int64_t b = d.dense[i * (size_t)d.np + (size_t)p - 1];
            int64_t n = d.dense[i * (size_t)d.np + (size_t)p];
            if (b > 0) {
                kept += n < b ? n : b;
                before += b;
            }
        }
        double g = SENTINEL;
        if (before == 0) {
            ck_assert_fails(libcs_mrr_capped_grr(m, d.first + p, &g),
                            LIBCS_EUNDEFINED, g);
            continue;
        }
        ck_assert_ok(libcs_mrr_capped_grr(m, d.first + p, &g));
        ck_assert(g == (double)kept / (double)before);
        ck_assert_int_eq(r[p].status[LIBCS_RATE_GRR], LIBCS_OK);
        ck_assert_msg(g == r[p].rate[LIBCS_RATE_GRR],
                      "period %d: capped GRR %.17g, GRR %.17g", (int)p, g,
                      r[p].rate[LIBCS_RATE_GRR]);
        ck_assert_close(g, 1.0 - r[p].rate[LIBCS_RATE_GROSS_MRR_CHURN],
                        1e-15);
    }
    free(r);
    free(rows);
    libcs_mrr_free(m);
    free_dataset(&d);
}
END_TEST

/* The capped GRR of every (base, period) pair straight from the dense
 * table, against _since; and the series of several lookbacks against a
 * loop of _since calls, cell by cell (NaN where _since fails). */
START_TEST(test_random_capped_since)
{
    struct dataset d;
    gen_dataset(&d, -3, 20, 2500, SIZE_MAX, 9001);
    libcs_mrr *m = dataset_ledger(&d, 2);
    for (int32_t b = 0; b < d.np; b++)
        for (int32_t p = b + 1; p < d.np; p++) {
            int64_t kept = 0, base = 0;
            for (size_t i = 0; i < d.ncust; i++) {
                int64_t vb = d.dense[i * (size_t)d.np + (size_t)b];
                int64_t vp = d.dense[i * (size_t)d.np + (size_t)p];
                if (vb > 0) {
                    kept += vp < vb ? vp : vb;
                    base += vb;
                }
            }
            double g = SENTINEL;
            int rc = libcs_mrr_capped_grr_since(m, d.first + b, d.first + p,
                                                &g, NULL, NULL);
            if (base == 0) {
                ck_assert_int_eq(rc, LIBCS_EUNDEFINED);
                continue;
            }
            ck_assert_int_eq(rc, LIBCS_OK);
            ck_assert_msg(g == (double)kept / (double)base,
                          "base %d period %d: %.17g, want %lld/%lld", (int)b,
                          (int)p, g, LL(kept), LL(base));
        }
    static const int32_t lookbacks[] = {1, 2, 3, 7, 12, 19, 20, 21};
    for (size_t k = 0; k < sizeof lookbacks / sizeof lookbacks[0]; k++) {
        int32_t lb = lookbacks[k];
        double s[20];
        memset(s, 0xA5, sizeof s);
        ck_assert_ok(libcs_mrr_capped_grr_series(m, lb, s, 20, NULL, NULL,
                                                 NULL));
        int defined = 0;
        for (int32_t p = 0; p < d.np; p++) {
            double g = NAN;
            if (p >= lb) {
                int rc = libcs_mrr_capped_grr_since(m, d.first + p - lb,
                                                    d.first + p, &g, NULL,
                                                    NULL);
                ck_assert(rc == LIBCS_OK || rc == LIBCS_EUNDEFINED);
                if (rc != LIBCS_OK)
                    g = NAN;
            }
            ck_assert_msg(same_double(s[p], g),
                          "lookback %d period %d: series %.17g, _since %.17g",
                          (int)lb, (int)p, s[p], g);
            defined += !isnan(g);
            ck_assert(isnan(g) || (g >= 0.0 && g <= 1.0));
        }
        if (lb < d.np)
            ck_assert_int_gt(defined, 0); /* a test that can fail */
    }
    /* chunked and shuffled records (the same ledger merged from parts)
     * give the same series bytes */
    double whole[20], parts[20];
    ck_assert_ok(libcs_mrr_capped_grr_series(m, 5, whole, 20, NULL, NULL,
                                             NULL));
    libcs_mrr *a = new_ledger(d.first, d.np, 2), *b = new_ledger(d.first, d.np, 2);
    size_t half = d.n / 3;
    ck_assert_ok(libcs_mrr_add(b, d.n - half, d.c + half, d.p + half,
                               d.v + half, NULL));
    ck_assert_ok(libcs_mrr_add(a, half, d.c, d.p, d.v, NULL));
    ck_assert_ok(libcs_mrr_merge(b, a));
    ck_assert_ok(libcs_mrr_capped_grr_series(b, 5, parts, 20, NULL, NULL,
                                             NULL));
    ck_assert(!memcmp(whole, parts, sizeof whole));
    libcs_mrr_free(a);
    libcs_mrr_free(b);
    libcs_mrr_free(m);
    free_dataset(&d);
}
END_TEST

/* ---- chunking and merging ---------------------------------------------- */

/* Add the records idx[0..n) of d to m, in chunks of random sizes (0 to about
 * n/5) when `chunked`, else in one call. */
static void add_selected(libcs_mrr *m, const struct dataset *d,
                         const size_t *idx, size_t n, int chunked,
                         uint64_t *st)
{
    int64_t *c = xmalloc(n * sizeof *c);
    int32_t *p = xmalloc(n * sizeof *p);
    int64_t *v = xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        c[i] = d->c[idx[i]];
        p[i] = d->p[idx[i]];
        v[i] = d->v[idx[i]];
    }
    for (size_t at = 0; at < n || at == 0;) {
        size_t k = chunked ? (size_t)rng_below(st, n / 5 + 2) : n;
        if (k > n - at)
            k = n - at;
        ck_assert_ok(libcs_mrr_add(m, k, c + at, p + at, v + at, NULL));
        at += k;
        if (n == 0)
            break;
    }
    free(c);
    free(p);
    free(v);
}

static void shuffle(size_t *idx, size_t n, uint64_t *st)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(st, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

/* compare m's movements and cohorts with the reference ones, byte for byte */
static void same_as(const libcs_mrr *m, const libcs_mrr_period *rows0,
                    const struct cohorts *c0, int32_t np, const char *what)
{
    libcs_mrr_period *rows = movements_of(m, np);
    ck_assert_msg(!memcmp(rows, rows0, (size_t)np * sizeof *rows),
                  "%s: movement table differs", what);
    free(rows);
    struct cohorts c;
    cohorts_of(m, np, &c);
    cohorts_same_bytes(&c, c0, what);
    cohorts_free(&c);
}

static void check_chunk_merge(int32_t k, uint64_t seed)
{
    struct dataset d;
    gen_dataset(&d, 50, 16, 2500, SIZE_MAX, seed);
    const size_t n = d.n;
    uint64_t st = seed ^ 0xABCDEF;
    size_t *idx = xmalloc(n * sizeof *idx);
    size_t *sel = xmalloc(n * sizeof *sel);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;

    /* one call, in generation order (grouped by customer) */
    libcs_mrr *one = dataset_ledger(&d, k);
    libcs_mrr_period *rows0 = movements_of(one, d.np);
    struct cohorts c0;
    cohorts_of(one, d.np, &c0);
    libcs_mrr_period want[16];
    reference_movements(&d, k, want);
    check_rows(rows0, want, d.np, "one call vs reference");

    /* random chunks in generation order */
    libcs_mrr *m = new_ledger(d.first, d.np, k);
    add_selected(m, &d, idx, n, 1, &st);
    same_as(m, rows0, &c0, d.np, "chunks");
    libcs_mrr_free(m);

    /* random order, one call; random order, random chunks */
    shuffle(idx, n, &st);
    m = new_ledger(d.first, d.np, k);
    add_selected(m, &d, idx, n, 0, &st);
    same_as(m, rows0, &c0, d.np, "shuffled");
    libcs_mrr_free(m);
    m = new_ledger(d.first, d.np, k);
    add_selected(m, &d, idx, n, 1, &st);
    same_as(m, rows0, &c0, d.np, "shuffled chunks");
    ck_assert_uint_eq(n_records(m), n);
    libcs_mrr_free(m);

    /* by customer over three ledgers, merged into a fresh fourth */
    libcs_mrr *part[4];
    for (int j = 0; j < 3; j++) {
        size_t ns = 0;
        for (size_t i = 0; i < n; i++)
            if ((uint64_t)d.c[idx[i]] % 3 == (uint64_t)j)
                sel[ns++] = idx[i];
        part[j] = new_ledger(d.first, d.np, k);
        add_selected(part[j], &d, sel, ns, 1, &st);
    }
    m = new_ledger(d.first, d.np, k);
    for (int j = 0; j < 3; j++)
        ck_assert_ok(libcs_mrr_merge(m, part[j]));
    same_as(m, rows0, &c0, d.np, "merged by customer");
    /* merged in another order, into one of the parts */
    ck_assert_ok(libcs_mrr_merge(part[2], part[0]));
    ck_assert_ok(libcs_mrr_merge(part[2], part[1]));
    same_as(part[2], rows0, &c0, d.np, "merged by customer, into a part");
    for (int j = 0; j < 3; j++)
        libcs_mrr_free(part[j]);
    libcs_mrr_free(m);

    /* by time: the first half of the periods and the second half, the later
     * half merged first */
    for (int j = 0; j < 2; j++) {
        size_t ns = 0;
        for (size_t i = 0; i < n; i++)
            if ((d.p[idx[i]] - d.first < d.np / 2) == (j == 0))
                sel[ns++] = idx[i];
        part[j] = new_ledger(d.first, d.np, k);
        add_selected(part[j], &d, sel, ns, 1, &st);
    }
    ck_assert_ok(libcs_mrr_merge(part[1], part[0]));
    same_as(part[1], rows0, &c0, d.np, "merged by time");
    libcs_mrr_free(part[0]);
    libcs_mrr_free(part[1]);

    /* four ways (customer parity x time), merged as a tree */
    for (int j = 0; j < 4; j++) {
        size_t ns = 0;
        for (size_t i = 0; i < n; i++) {
            int odd = (int)((uint64_t)d.c[idx[i]] & 1);
            int late = d.p[idx[i]] - d.first >= 5;
            if (odd * 2 + late == j)
                sel[ns++] = idx[i];
        }
        part[j] = new_ledger(d.first, d.np, k);
        add_selected(part[j], &d, sel, ns, 1, &st);
    }
    ck_assert_ok(libcs_mrr_merge(part[0], part[3]));
    ck_assert_ok(libcs_mrr_merge(part[2], part[1]));
    ck_assert_ok(libcs_mrr_merge(part[2], part[0]));
    same_as(part[2], rows0, &c0, d.np, "merge tree");
    ck_assert_uint_eq(n_records(part[2]), n);

    /* the merged ledger survives serialization */
    size_t len, len2;
    uint8_t *buf = serialize(part[2], &len);
    ck_assert_uint_eq(len, 32 + 20 * n);
    libcs_mrr *back = NULL;
    ck_assert_ok(libcs_mrr_deserialize(buf, len, &back));
    same_as(back, rows0, &c0, d.np, "merged, serialized and read back");
    uint8_t *buf2 = serialize(back, &len2);
    ck_assert_uint_eq(len2, len);
    ck_assert_msg(!memcmp(buf, buf2, len), "re-serialization differs");
    free(buf);
    free(buf2);
    libcs_mrr_free(back);
    for (int j = 0; j < 4; j++)
        libcs_mrr_free(part[j]);

    free(rows0);
    cohorts_free(&c0);
    libcs_mrr_free(one);
    free(idx);
    free(sel);
    free_dataset(&d);
}

START_TEST(test_chunk_merge_any_gap)
{
    check_chunk_merge(LIBCS_MRR_ANY_GAP, 11);
}
END_TEST

START_TEST(test_chunk_merge_window)
{
    check_chunk_merge(2, 12);
}
END_TEST

START_TEST(test_merge_errors)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    libcs_mrr *other_first = new_ledger(FIRST + 1, NP, LIBCS_MRR_ANY_GAP);
    libcs_mrr *other_np = new_ledger(FIRST, NP + 1, LIBCS_MRR_ANY_GAP);
    libcs_mrr *other_k = new_ledger(FIRST, NP, 2);
    add_recs(other_first, (const struct rec[]){{1, FIRST + 1, 5}}, 1);
    add_recs(other_np, (const struct rec[]){{1, FIRST, 5}}, 1);
    add_recs(other_k, (const struct rec[]){{1, FIRST, 5}}, 1);

    ck_assert_rc(libcs_mrr_merge(m, other_first), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_merge(m, other_np), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_merge(m, other_k), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_merge(other_k, m), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_merge(m, m), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_merge(NULL, m), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_merge(m, NULL), LIBCS_EINVAL);
    ck_assert_uint_eq(n_records(m), NHAND);
    ck_assert_uint_eq(n_records(other_k), 1);
    libcs_mrr_period *rows = movements_of(m, NP);
    check_rows(rows, HAND_ANY, NP, "after rejected merges");
    free(rows);

    /* the same window set after creation makes them compatible */
    ck_assert_ok(libcs_mrr_set_reactivation_window(other_k,
                                                   LIBCS_MRR_ANY_GAP));
    ck_assert_ok(libcs_mrr_merge(m, other_k));
    ck_assert_uint_eq(n_records(m), NHAND + 1);
    libcs_mrr_free(m);
    libcs_mrr_free(other_first);
    libcs_mrr_free(other_np);
    libcs_mrr_free(other_k);
}
END_TEST

/* A ledger with no records (new, or read back from a bare header) is a
 * valid part: a machine whose partition happened to be empty.  Merging it
 * is a no-op, and merging into it copies. */
START_TEST(test_merge_empty)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    libcs_mrr *empty = new_ledger(FIRST, NP, LIBCS_MRR_ANY_GAP);
    libcs_mrr *e2 = new_ledger(FIRST, NP, LIBCS_MRR_ANY_GAP);
    size_t len;
    uint8_t *buf = serialize(empty, &len);
    libcs_mrr *back = NULL;
    ck_assert_ok(libcs_mrr_deserialize(buf, len, &back));
    free(buf);

    /* every step is tried, the ledgers freed, and then the results checked
     * (so that a failure leaks nothing under CK_FORK=no) */
    int rc[5];
    size_t n[4];
    rc[0] = libcs_mrr_merge(m, empty); /* new, never added to */
    n[0] = n_records(m);
    rc[1] = libcs_mrr_merge(m, back); /* read back from a bare header */
    n[1] = n_records(m);
    rc[2] = libcs_mrr_merge(empty, e2);
    n[2] = n_records(empty);
    rc[3] = libcs_mrr_merge(empty, m); /* into an empty one: a copy */
    n[3] = n_records(empty);
    libcs_mrr_period rows[NP];
    rc[4] = libcs_mrr_movements(empty, rows, NP, NULL, NULL, NULL);
    libcs_mrr_free(e2);
    libcs_mrr_free(back);
    libcs_mrr_free(empty);
    libcs_mrr_free(m);

    static const char *const step[5] = {
        "merge(hand, new empty)", "merge(hand, deserialized empty)",
        "merge(empty, empty)", "merge(empty, hand)", "movements"};
    static const size_t want_n[4] = {NHAND, NHAND, 0, NHAND};
    char failed[400] = "";
    size_t len2 = 0;
    for (int i = 0; i < 5; i++)
        if (rc[i] != LIBCS_OK || (i < 4 && n[i] != want_n[i]))
            len2 += (size_t)snprintf(failed + len2, sizeof failed - len2,
                                     " [%s: rc %d, records %zu]", step[i],
                                     rc[i], i < 4 ? n[i] : (size_t)0);
    ck_assert_msg(len2 == 0, "merging empty ledgers:%s", failed);
    check_rows(rows, HAND_ANY, NP, "merged into an empty ledger");
}
END_TEST

/* ---- input order ------------------------------------------------------- */

struct keypos {
    int64_t c;
    int32_t p;
    size_t i;
};

static int cmp_keypos(const void *a, const void *b)
{
    const struct keypos *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The position of the first record that repeats an earlier record's
 * (customer, period), or SIZE_MAX: independently of the library, by sorting
 * positions. */
static size_t first_repeat(const int64_t *c, const int32_t *p, size_t n)
{
    struct keypos *k = xmalloc(n * sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = (struct keypos){c[i], p[i], i};
    qsort(k, n, sizeof *k, cmp_keypos);
    size_t first = SIZE_MAX;
    for (size_t i = 1; i < n; i++)
        if (k[i].c == k[i - 1].c && k[i].p == k[i - 1].p && k[i].i < first)
            first = k[i].i;
    free(k);
    return first;
}

/* The same records by customer (as generated), by period (stable: as a
 * billing system exports them month after month), shuffled and reversed
 * give byte-identical movements, cohorts (when with_cohorts; they take np^2
 * cells) and capped GRR, equal to the reference; with three repeated
 * records inserted anywhere, every order reports the repeat that comes
 * first in its own ledger.  gen_dataset's customers have a record in most
 * periods, so with np in the thousands a ledger holds long histories. */
static void check_orders(int32_t first, int32_t np, size_t max_cust,
                         uint64_t seed, int with_cohorts)
{
    struct dataset d;
    gen_dataset(&d, first, np, max_cust, SIZE_MAX, seed);
    const size_t n = d.n;
    uint64_t st = seed ^ 0x5EED;
    libcs_mrr_period *want = xmalloc((size_t)np * sizeof *want);
    reference_movements(&d, LIBCS_MRR_ANY_GAP, want);
    libcs_mrr *m0 = dataset_ledger(&d, LIBCS_MRR_ANY_GAP);
    libcs_mrr_period *rows0 = movements_of(m0, np);
    check_rows(rows0, want, np, "by customer vs reference");
    struct cohorts c0;
    if (with_cohorts) {
        struct cohorts ref;
        cohorts_of(m0, np, &c0);
        reference_cohorts(&d, &ref);
        cohorts_same_bytes(&c0, &ref, "by customer vs reference");
        cohorts_free(&ref);
    }
    const int32_t at = first + np / 2;
    double g0 = SENTINEL;
    int grc = libcs_mrr_capped_grr(m0, at, &g0);

    size_t *idx = xmalloc((n + 3) * sizeof *idx);
    for (int order = 1; order < 4; order++) {
        static const char *const name[] = {"", "by period", "shuffled",
                                           "reversed"};
        size_t k = 0;
        if (order == 1) { /* a stable counting sort by period */
            size_t *fill = xmalloc(((size_t)np + 1) * sizeof *fill);
            for (size_t i = 0; i < n; i++)
                fill[d.p[i] - first + 1]++;
            for (int32_t q = 0; q < np; q++)
                fill[q + 1] += fill[q];
            for (size_t i = 0; i < n; i++)
                idx[fill[d.p[i] - first]++] = i;
            free(fill);
        } else {
            for (size_t i = 0; i < n; i++)
                idx[k++] = order == 3 ? n - 1 - i : i;
            if (order == 2)
                shuffle(idx, n, &st);
        }
        libcs_mrr *m = new_ledger(first, np, LIBCS_MRR_ANY_GAP);
        add_selected(m, &d, idx, n, order == 2, &st);
        libcs_mrr_period *rows = movements_of(m, np);
        ck_assert_msg(!memcmp(rows, rows0, (size_t)np * sizeof *rows),
                      "%s: movement table differs", name[order]);
        free(rows);
        if (with_cohorts) {
            struct cohorts c;
            cohorts_of(m, np, &c);
            cohorts_same_bytes(&c, &c0, name[order]);
            cohorts_free(&c);
        }
        double g = SENTINEL;
        ck_assert_int_eq(libcs_mrr_capped_grr(m, at, &g), grc);
        ck_assert_msg(same_double(g, g0), "%s: capped GRR %.17g, want %.17g",
                      name[order], g, g0);
        libcs_mrr_free(m);

        /* three records repeated (another MRR) and inserted anywhere */
        int64_t *c = xmalloc((n + 3) * sizeof *c), *v = xmalloc((n + 3) * sizeof *v);
        int32_t *p = xmalloc((n + 3) * sizeof *p);
        size_t src[3], pos[3];
        for (int j = 0; j < 3; j++) {
            src[j] = idx[rng_below(&st, n)];
            pos[j] = (size_t)rng_below(&st, n + 1);
        }
        for (size_t i = 0, out = 0; i <= n; i++) {
            for (int j = 0; j < 3; j++)
                if (pos[j] == i) {
                    c[out] = d.c[src[j]];
                    p[out] = d.p[src[j]];
                    v[out++] = d.v[src[j]] + 1;
                }
            if (i < n) {
                c[out] = d.c[idx[i]];
                p[out] = d.p[idx[i]];
                v[out++] = d.v[idx[i]];
            }
        }
        size_t dup = first_repeat(c, p, n + 3);
        ck_assert_uint_ne(dup, SIZE_MAX);
        m = new_ledger(first, np, LIBCS_MRR_ANY_GAP);
        ck_assert_ok(libcs_mrr_add(m, n + 3, c, p, v, NULL));
        libcs_mrr_period *keep = xmalloc((size_t)np * sizeof *keep);
        int64_t dc = 0;
        int32_t dp = 0;
        ck_assert_rc(libcs_mrr_movements(m, keep, (size_t)np, NULL, &dc, &dp),
                     LIBCS_EDUPLICATE);
        ck_assert_msg(dc == c[dup] && dp == p[dup],
                      "%s: duplicate (%lld, %d), want (%lld, %d)", name[order],
                      LL(dc), (int)dp, LL(c[dup]), (int)p[dup]);
        if (with_cohorts) {
            struct cohorts cd;
            cohorts_alloc(&cd, np);
            dc = 0;
            dp = 0;
            ck_assert_rc(libcs_mrr_cohorts(m, cd.cells, cd.cust, cd.rev,
                                           cd.cs, cd.rs, NULL, &dc, &dp),
                         LIBCS_EDUPLICATE);
            ck_assert(dc == c[dup] && dp == p[dup]);
            cohorts_free(&cd);
        }
        ck_assert_rc(libcs_mrr_capped_grr(m, at, &g), LIBCS_EDUPLICATE);
        free(keep);
        libcs_mrr_free(m);
        free(c);
        free(p);
        free(v);
    }
    free(idx);
    if (with_cohorts)
        cohorts_free(&c0);
    free(rows0);
    free(want);
    libcs_mrr_free(m0);
    free_dataset(&d);
}

/* 3000 customers over 24 periods: many customers a hash bucket */
START_TEST(test_orders_many_customers)
{
    check_orders(-7, 24, 3000, 21, 1);
}
END_TEST

/* Long histories: 40 customers over 3000 periods (the periods and the
 * customers' hashes share one 64-bit sort key), 8 over 6000 (too many
 * periods for that: a wider record), and one customer alone over 4000 and
 * 6000 periods (thousands of records of one customer, shuffled). */
START_TEST(test_orders_long_histories)
{
    check_orders(100, 3000, 40, 22, 0);
    check_orders(-3000, 6000, 8, 23, 0);
    check_orders(0, 4000, 1, 24, 0);
    check_orders(INT32_MAX - 5999, 6000, 1, 25, 0);
}
END_TEST

/* ---- serialization ------------------------------------------------------ */

/* A ledger over periods -3..1 with window 2 and two records:
 *   customer 0x0102030405060708, period -1, MRR 0x1122334455
 *   customer -2, period 1, MRR 0
 * Format (lib/mrr.c): "CSMR", version 1, 3 zero bytes; first period,
 * n_periods, max_gap (int32) and 4 zero bytes; the record count (uint64);
 * each record: customer (int64), period (int32), MRR (int64); all
 * little-endian.  32 + 2 x 20 = 72 bytes. */
static const uint8_t GOLDEN[72] = {
    'C', 'S', 'M', 'R', 1, 0, 0, 0,             /* magic, version, 0 0 0 */
    0xFD, 0xFF, 0xFF, 0xFF,                     /* first period -3 */
    0x05, 0x00, 0x00, 0x00,                     /* n_periods 5 */
    0x02, 0x00, 0x00, 0x00,                     /* max_gap 2 */
    0x00, 0x00, 0x00, 0x00,                     /* reserved */
    0x02, 0, 0, 0, 0, 0, 0, 0,                  /* 2 records */
    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* customer */
    0xFF, 0xFF, 0xFF, 0xFF,                     /* period -1 */
    0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x00, 0x00, /* MRR */
    0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* customer -2 */
    0x01, 0x00, 0x00, 0x00,                     /* period 1 */
    0, 0, 0, 0, 0, 0, 0, 0,                     /* MRR 0 */
};

static libcs_mrr *golden_ledger(void)
{
    libcs_mrr *m = new_ledger(-3, 5, 2);
    add_recs(m,
             (const struct rec[]){{INT64_C(0x0102030405060708), -1,
                                   INT64_C(0x1122334455)},
                                  {-2, 1, 0}},
             2);
    return m;
}

START_TEST(test_serialize_golden)
{
    libcs_mrr *m = golden_ledger();
    uint8_t buf[80];
    memset(buf, 0xEE, sizeof buf);
    size_t needed = 0;
    ck_assert_ok(libcs_mrr_serialize(m, buf, sizeof buf, &needed));
    ck_assert_uint_eq(needed, sizeof GOLDEN);
    for (size_t i = 0; i < sizeof GOLDEN; i++)
        ck_assert_msg(buf[i] == GOLDEN[i], "byte %zu = 0x%02x, want 0x%02x",
                      i, buf[i], GOLDEN[i]);
    ck_assert_int_eq(buf[72], 0xEE); /* nothing past the end */

    /* read back: the same ledger (its bytes, its window, its movements) */
    libcs_mrr *back = NULL;
    ck_assert_ok(libcs_mrr_deserialize(GOLDEN, sizeof GOLDEN, &back));
    ck_assert_uint_eq(n_records(back), 2);
    size_t len;
    uint8_t *again = serialize(back, &len);
    ck_assert_uint_eq(len, sizeof GOLDEN);
    ck_assert(!memcmp(again, GOLDEN, len));
    free(again);
    libcs_mrr_period *r1 = movements_of(m, 5), *r2 = movements_of(back, 5);
    ck_assert(!memcmp(r1, r2, 5 * sizeof *r1));
    /* P-1: new 0x1122334455; P0: churned by absence; P1: a 0 record only */
    ck_assert_int_eq(r1[2].new_mrr, INT64_C(0x1122334455));
    ck_assert_int_eq(r1[3].churned, INT64_C(0x1122334455));
    ck_assert_int_eq(r1[4].mrr_end, 0);
    free(r1);
    free(r2);
    /* the window came back: it merges with window 2, not with any gap */
    libcs_mrr *k2 = new_ledger(-3, 5, 2), *kany = new_ledger(-3, 5, -1);
    ck_assert_ok(libcs_mrr_merge(k2, back));
    ck_assert_rc(libcs_mrr_merge(kany, back), LIBCS_EINVAL);
    /* records can be added after reading back */
    add_recs(back, (const struct rec[]){{9, 0, 1}, {9, 1, 2}}, 2);
    ck_assert_uint_eq(n_records(back), 4);
    libcs_mrr_free(k2);
    libcs_mrr_free(kany);
    libcs_mrr_free(back);

    /* an empty ledger with the default window: a 32-byte header */
    libcs_mrr *e = new_ledger(7, 1, LIBCS_MRR_ANY_GAP);
    static const uint8_t EMPTY[32] = {
        'C', 'S', 'M', 'R', 1, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    uint8_t *eb = serialize(e, &len);
    ck_assert_uint_eq(len, 32);
    ck_assert(!memcmp(eb, EMPTY, 32));
    libcs_mrr *eback = NULL;
    ck_assert_ok(libcs_mrr_deserialize(eb, len, &eback));
    ck_assert_uint_eq(n_records(eback), 0);
    free(eb);
    libcs_mrr_free(eback);
    libcs_mrr_free(e);
    libcs_mrr_free(m);
}
END_TEST

START_TEST(test_serialize_round_trip)
{
    /* the hand data with a window, and random data */
    libcs_mrr *m = hand_ledger(1);
    size_t len, len2;
    uint8_t *buf = serialize(m, &len);
    ck_assert_uint_eq(len, 32 + 20 * NHAND);
    libcs_mrr *back = NULL;
    ck_assert_ok(libcs_mrr_deserialize(buf, len, &back));
    libcs_mrr_period *rows = movements_of(back, NP);
    check_rows(rows, HAND_K1, NP, "hand, read back");
    free(rows);
    struct cohorts c;
    cohorts_of(back, NP, &c);
    check_hand_cohorts(&c, "hand, read back");
    cohorts_free(&c);
    uint8_t *buf2 = serialize(back, &len2);
    ck_assert_uint_eq(len2, len);
    ck_assert(!memcmp(buf, buf2, len));
    free(buf);
    free(buf2);
    libcs_mrr_free(back);
    libcs_mrr_free(m);

    struct dataset d;
    gen_dataset(&d, INT32_MIN, 12, 2000, SIZE_MAX, 99);
    m = dataset_ledger(&d, 3);
    buf = serialize(m, &len);
    ck_assert_ok(libcs_mrr_deserialize(buf, len, &back));
    libcs_mrr_period *a = movements_of(m, d.np), *b = movements_of(back, d.np);
    ck_assert(!memcmp(a, b, (size_t)d.np * sizeof *a));
    libcs_mrr_period want[12];
    reference_movements(&d, 3, want);
    check_rows(b, want, d.np, "random, read back");
    buf2 = serialize(back, &len2);
    ck_assert_uint_eq(len2, len);
    ck_assert(!memcmp(buf, buf2, len));
    free(a);
    free(b);
    free(buf);
    free(buf2);
    libcs_mrr_free(back);
    libcs_mrr_free(m);
    free_dataset(&d);
}
END_TEST

START_TEST(test_serialize_errors)
{
    libcs_mrr *m = golden_ledger();
    uint8_t buf[72];
    memset(buf, 0x77, sizeof buf);
    size_t needed = 0;
    ck_assert_rc(libcs_mrr_serialize(NULL, buf, sizeof buf, &needed),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_serialize(m, NULL, 72, &needed), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_serialize(m, buf, 71, &needed), LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 72);
    for (size_t i = 0; i < sizeof buf; i++)
        ck_assert_int_eq(buf[i], 0x77);
    needed = 0;
    ck_assert_rc(libcs_mrr_serialize(m, NULL, 0, &needed), LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 72);
    ck_assert_rc(libcs_mrr_serialize(m, buf, 0, NULL), LIBCS_EBUFSIZE);
    ck_assert_ok(libcs_mrr_serialize(m, buf, 72, NULL));
    libcs_mrr_free(m);
}
END_TEST

static void put_le(uint8_t *b, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

/* deserialize(b, len) fails with code and leaves *out alone */
static void expect_reject(const uint8_t *b, size_t len, int code,
                          const char *what)
{
    libcs_mrr *keep = (libcs_mrr *)&keep; /* any non-NULL marker */
    libcs_mrr *out = keep;
    int rc = libcs_mrr_deserialize(b, len, &out);
    ck_assert_msg(rc == code, "%s: deserialize returned %d (%s), want %d",
                  what, rc, libcs_strerror(rc), code);
    ck_assert_msg(out == keep, "%s: *out written on error", what);
}

START_TEST(test_deserialize_errors)
{
    uint8_t b[100];
    char what[64];

    /* truncated anywhere, and extended by one byte or a whole record */
    for (size_t len = 0; len < sizeof GOLDEN; len++) {
        snprintf(what, sizeof what, "truncated to %zu", len);
        expect_reject(GOLDEN, len, LIBCS_EFORMAT, what);
    }
    memset(b, 0, sizeof b);
    memcpy(b, GOLDEN, sizeof GOLDEN);
    expect_reject(b, sizeof GOLDEN + 1, LIBCS_EFORMAT, "one byte extra");
    /* an extra record (customer 0, period 0, MRR 0) but the count still 2 */
    expect_reject(b, sizeof GOLDEN + 20, LIBCS_EFORMAT, "record not counted");
    /* with the count raised to 3 it is accepted (the control) */
    put_le(b + 24, 3, 8);
    libcs_mrr *m3 = NULL;
    ck_assert_ok(libcs_mrr_deserialize(b, sizeof GOLDEN + 20, &m3));
    ck_assert_uint_eq(n_records(m3), 3);
    libcs_mrr_free(m3);

    static const struct {
        size_t at;
        uint8_t value;
        const char *what;
    } bytes[] = {
        {0, 'c', "magic byte 0"},     {1, 's', "magic byte 1"},
        {2, 'm', "magic byte 2"},     {3, 'r', "magic byte 3"},
        {4, 0, "version 0"},          {4, 2, "version 2"},
        {4, 0xFF, "version 255"},     {5, 1, "reserved byte 5"},
        {6, 1, "reserved byte 6"},    {7, 0x80, "reserved byte 7"},
        {20, 1, "reserved byte 20"},  {21, 1, "reserved byte 21"},
        {22, 1, "reserved byte 22"},  {23, 0x80, "reserved byte 23"},
        {12, 0, "n_periods 0"},       /* 00 00 00 00 */
        {15, 0x80, "n_periods < 0"},  /* 05 00 00 80 */
        {19, 0xFF, "max_gap < -1"},   /* 02 00 00 FF = -16777214 */
        {51, 0x80, "record 0 MRR < 0"},         /* byte 32 + 12 + 7 */
        {60, 0x02, "record 1 period 2 > last"}, /* 52 + 8: period 1 -> 2 */
    };
    for (size_t i = 0; i < sizeof bytes / sizeof bytes[0]; i++) {
        memcpy(b, GOLDEN, sizeof GOLDEN);
        b[bytes[i].at] = bytes[i].value;
        expect_reject(b, sizeof GOLDEN, LIBCS_EFORMAT, bytes[i].what);
    }

    /* the record count against the length */
    static const uint64_t counts[] = {0,
                                      1,
                                      3,
                                      UINT64_MAX,
                                      UINT64_C(1) << 62,
                                      /* 20 x this wraps to 40 in uint64 */
                                      (UINT64_C(1) << 62) + 2};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        memcpy(b, GOLDEN, sizeof GOLDEN);
        put_le(b + 24, counts[i], 8);
        snprintf(what, sizeof what, "count %llu",
                 (unsigned long long)counts[i]);
        expect_reject(b, sizeof GOLDEN, LIBCS_EFORMAT, what);
    }

    /* a header whose last period passes INT32_MAX */
    memcpy(b, GOLDEN, sizeof GOLDEN);
    put_le(b + 8, (uint32_t)INT32_MAX - 3, 4); /* first + 5 - 1 > INT32_MAX */
    expect_reject(b, sizeof GOLDEN, LIBCS_EFORMAT, "last period overflows");
    /* record periods just outside -3..1 */
    memcpy(b, GOLDEN, sizeof GOLDEN);
    put_le(b + 40, (uint32_t)-4, 4);
    expect_reject(b, sizeof GOLDEN, LIBCS_EFORMAT, "period -4 < first");
    memcpy(b, GOLDEN, sizeof GOLDEN);
    put_le(b + 40, (uint32_t)INT32_MIN, 4);
    expect_reject(b, sizeof GOLDEN, LIBCS_EFORMAT, "period INT32_MIN");
    /* MRR INT64_MIN */
    memcpy(b, GOLDEN, sizeof GOLDEN);
    put_le(b + 64, UINT64_C(1) << 63, 8);
    expect_reject(b, sizeof GOLDEN, LIBCS_EFORMAT, "record 1 MRR INT64_MIN");

    /* NULL */
    libcs_mrr *out = NULL;
    ck_assert_rc(libcs_mrr_deserialize(NULL, sizeof GOLDEN, &out),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_deserialize(NULL, 0, &out), LIBCS_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_rc(libcs_mrr_deserialize(GOLDEN, sizeof GOLDEN, NULL),
                 LIBCS_EINVAL);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(test_new_errors)
{
    libcs_mrr *keep = (libcs_mrr *)&keep, *m = keep;
    ck_assert_rc(libcs_mrr_new(0, 1, NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_new(0, 0, &m), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_mrr_new(0, -1, &m), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_mrr_new(0, INT32_MIN, &m), LIBCS_EDOMAIN);
    /* the last period, first + n - 1, must not pass INT32_MAX */
    ck_assert_rc(libcs_mrr_new(INT32_MAX, 2, &m), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_mrr_new(INT32_MAX - 9, 11, &m), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_mrr_new(2, INT32_MAX, &m), LIBCS_EDOMAIN);
    ck_assert_ptr_eq(m, keep);
    /* and the edges that fit */
    static const int32_t ok[][2] = {{INT32_MAX, 1},
                                    {INT32_MAX - 9, 10},
                                    {1, INT32_MAX},
                                    {INT32_MIN, INT32_MAX},
                                    {INT32_MIN, 1}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        m = NULL;
        ck_assert_ok(libcs_mrr_new(ok[i][0], ok[i][1], &m));
        ck_assert_ptr_nonnull(m);
        ck_assert_uint_eq(n_records(m), 0);
        libcs_mrr_free(m);
    }
    libcs_mrr_free(NULL); /* safe */
}
END_TEST

START_TEST(test_window_errors)
{
    libcs_mrr *m = golden_ledger(); /* window 2 */
    ck_assert_rc(libcs_mrr_set_reactivation_window(NULL, 0), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_set_reactivation_window(m, -2), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_mrr_set_reactivation_window(m, INT32_MIN),
                 LIBCS_EDOMAIN);
    /* unchanged: still serializes with max_gap 2 */
    size_t len;
    uint8_t *buf = serialize(m, &len);
    ck_assert(!memcmp(buf, GOLDEN, sizeof GOLDEN));
    free(buf);
    ck_assert_ok(libcs_mrr_set_reactivation_window(m, INT32_MAX));
    ck_assert_ok(libcs_mrr_set_reactivation_window(m, 0));
    ck_assert_ok(libcs_mrr_set_reactivation_window(m, LIBCS_MRR_ANY_GAP));
    libcs_mrr_free(m);
}
END_TEST

START_TEST(test_add_errors)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    int64_t c[5] = {1, 2, 3, 4, 5};
    int32_t p[5] = {100, 101, 102, 103, 104};
    int64_t v[5] = {1, 2, 3, 4, 5};
    size_t bad = 999;

    ck_assert_rc(libcs_mrr_add(NULL, 5, c, p, v, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_add(m, 5, NULL, p, v, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_add(m, 5, c, NULL, v, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_add(m, 5, c, p, NULL, &bad), LIBCS_EINVAL);
    ck_assert_uint_eq(bad, 999);

    /* a negative MRR at index 3: nothing added, not even indices 0..2 */
    v[3] = -1;
    ck_assert_rc(libcs_mrr_add(m, 5, c, p, v, &bad), LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, 3);
    v[3] = INT64_MIN;
    ck_assert_rc(libcs_mrr_add(m, 5, c, p, v, &bad), LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, 3);
    ck_assert_rc(libcs_mrr_add(m, 5, c, p, v, NULL), LIBCS_EDOMAIN);
    v[3] = 4;
    /* periods outside 100..106 */
    static const struct {
        size_t at;
        int32_t period;
    } out[] = {{0, 99}, {4, 107}, {2, INT32_MIN}, {1, INT32_MAX}, {4, 0}};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
        int32_t save = p[out[i].at];
        p[out[i].at] = out[i].period;
        bad = 999;
        ck_assert_rc(libcs_mrr_add(m, 5, c, p, v, &bad), LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, out[i].at);
        p[out[i].at] = save;
    }
    /* the first bad element is reported when there are several */
    p[1] = 99;
    v[3] = -5;
    ck_assert_rc(libcs_mrr_add(m, 5, c, p, v, &bad), LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, 1);
    p[1] = 101;
    v[3] = 4;
    ck_assert_uint_eq(n_records(m), NHAND);
    libcs_mrr_period *rows = movements_of(m, NP);
    check_rows(rows, HAND_ANY, NP, "after rejected adds");
    free(rows);

    /* n = 0 is a no-op */
    ck_assert_ok(libcs_mrr_add(m, 0, c, p, v, &bad));
    ck_assert_uint_eq(n_records(m), NHAND);
    /* the edges of the range and INT64_MAX are accepted */
    int64_t c2[2] = {77, 77};
    int32_t p2[2] = {100, 106};
    int64_t v2[2] = {INT64_MAX, 0};
    ck_assert_ok(libcs_mrr_add(m, 2, c2, p2, v2, &bad));
    ck_assert_uint_eq(n_records(m), NHAND + 2);

    ck_assert_rc(libcs_mrr_records(NULL, &bad), LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_records(m, NULL), LIBCS_EINVAL);
    libcs_mrr_free(m);

    /* a long chunk (copied and checked block by block) with one bad record
     * far in, in turn an MRR and a period: none of it is added, and a good
     * chunk after it lands where the bad one would have */
    const size_t big = 50000;
    int64_t *bc = xmalloc(big * sizeof *bc), *bv = xmalloc(big * sizeof *bv);
    int32_t *bp = xmalloc(big * sizeof *bp);
    for (size_t i = 0; i < big; i++) {
        bc[i] = (int64_t)(i / 7);
        bp[i] = 100 + (int32_t)(i % 7);
        bv[i] = (int64_t)(i % 5);
    }
    static const size_t at[] = {8191, 8192, 40000, 49999};
    m = hand_ledger(LIBCS_MRR_ANY_GAP);
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        bv[at[k]] = -1;
        bad = 999;
        ck_assert_rc(libcs_mrr_add(m, big, bc, bp, bv, &bad), LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, at[k]);
        bv[at[k]] = 0;
        bp[at[k]] = 107;
        bad = 999;
        ck_assert_rc(libcs_mrr_add(m, big, bc, bp, bv, &bad), LIBCS_EDOMAIN);
        ck_assert_uint_eq(bad, at[k]);
        bp[at[k]] = 100 + (int32_t)(at[k] % 7);
        ck_assert_uint_eq(n_records(m), NHAND);
    }
    rows = movements_of(m, NP);
    check_rows(rows, HAND_ANY, NP, "after rejected long adds");
    free(rows);
    libcs_mrr *fresh = new_ledger(100, NP, LIBCS_MRR_ANY_GAP);
    ck_assert_ok(libcs_mrr_add(fresh, big, bc, bp, bv, NULL));
    ck_assert_ok(libcs_mrr_add(m, big, bc, bp, bv, NULL));
    ck_assert_uint_eq(n_records(m), NHAND + big);
    size_t len1, len2;
    uint8_t *s1 = serialize(m, &len1), *s2 = serialize(fresh, &len2);
    ck_assert_uint_eq(len1, len2 + 20 * NHAND);
    /* the records after the hand ledger's are the chunk's, byte for byte */
    ck_assert(!memcmp(s1 + 32 + 20 * NHAND, s2 + 32, 20 * big));
    free(s1);
    free(s2);
    libcs_mrr_free(fresh);
    libcs_mrr_free(m);
    free(bc);
    free(bp);
    free(bv);
}
END_TEST

/* Periods whose distance from the first period does not fit in int32 must
 * be rejected, not wrap around into the range.  Every case is tried and the
 * ones that are wrongly accepted are listed in one message. */
START_TEST(test_add_far_periods)
{
    static const struct {
        int32_t first, np, period;
    } cases[] = {
        {-2, 5, INT32_MAX},     /* INT32_MAX - (-2) > INT32_MAX */
        {-2, 5, INT32_MAX - 1}, /* INT32_MAX - 1 + 2 > INT32_MAX */
        {-1, 3, INT32_MAX},     /* INT32_MAX + 1 */
        {INT32_MIN, 3, 0},      /* 0 - INT32_MIN = 2^31 */
        {INT32_MIN, 3, 5},
        {INT32_MIN, 3, 1000000},
        {INT32_MIN, 3, INT32_MAX},
        {INT32_MIN + 10, 3, 100},
    };
    char accepted[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        libcs_mrr *m = new_ledger(cases[i].first, cases[i].np,
                                  LIBCS_MRR_ANY_GAP);
        int64_t c = 1, v = 10;
        int32_t p = cases[i].period;
        /* capped GRR validates its period the same way (asked first, while
         * the ledger is still empty) */
        double g = SENTINEL;
        int rc = libcs_mrr_capped_grr(m, p, &g);
        if (rc != LIBCS_EDOMAIN || g != SENTINEL)
            len += (size_t)snprintf(accepted + len, sizeof accepted - len,
                                    " grr(%d|%d+%d)=%d", (int)p,
                                    (int)cases[i].first, (int)cases[i].np,
                                    rc);
        size_t bad = 999;
        rc = libcs_mrr_add(m, 1, &c, &p, &v, &bad);
        size_t n = n_records(m);
        if (rc != LIBCS_EDOMAIN || bad != 0 || n != 0)
            len += (size_t)snprintf(accepted + len, sizeof accepted - len,
                                    " add(%d|%d+%d)=%d", (int)p,
                                    (int)cases[i].first, (int)cases[i].np,
                                    rc);
        libcs_mrr_free(m); /* no movements: the record may be out of range */
    }
    /* the same through deserialization: GOLDEN's range is -3..1 */
    uint8_t b[sizeof GOLDEN];
    memcpy(b, GOLDEN, sizeof b);
    put_le(b + 40, (uint32_t)INT32_MAX, 4);
    libcs_mrr *out = NULL;
    int rc = libcs_mrr_deserialize(b, sizeof b, &out);
    if (rc != LIBCS_EFORMAT)
        len += (size_t)snprintf(accepted + len, sizeof accepted - len,
                                " deserialize(%d|-3+5)=%d", INT32_MAX, rc);
    libcs_mrr_free(out);
    /* (period|first+n_periods)=returned code */
    ck_assert_msg(len == 0, "far periods accepted:%s", accepted);
}
END_TEST

/* Ledgers at both ends of int32: movements and period labels. */
START_TEST(test_int32_edges)
{
    /* relative periods 0, 1, 2:  customer 1: 5, -, 7; customer 2: -, 3, -
     *   P0: new 5 (1);                          end 5, 1 customer
     *   P1: 1 churned 5 (absent), 2 new 3;      end 3, 1
     *   P2: 1 back after a gap of 1: react 7; 2 churned 3 after its last
     *       record;                             end 7, 1 */
    static const int32_t firsts[] = {INT32_MAX - 2, INT32_MIN, -1};
    for (size_t i = 0; i < sizeof firsts / sizeof firsts[0]; i++) {
        int32_t f = firsts[i];
        libcs_mrr *m = new_ledger(f, 3, LIBCS_MRR_ANY_GAP);
        add_recs(m,
                 (const struct rec[]){{1, f + 2, 7}, {2, f + 1, 3}, {1, f, 5}},
                 3);
        const libcs_mrr_period want[3] = {
            {f, 0, 0, 5, 0, 0, 0, 0, 5, 0, 1, 0, 0, 1},
            {f + 1, 0, 5, 3, 0, 0, 5, 0, 3, 1, 1, 1, 0, 1},
            {f + 2, 0, 3, 0, 0, 0, 3, 7, 7, 1, 0, 1, 1, 1},
        };
        libcs_mrr_period *rows = movements_of(m, 3);
        check_rows(rows, want, 3, "int32 edges");
        free(rows);
        double g = SENTINEL;
        ck_assert_ok(libcs_mrr_capped_grr(m, f + 2, &g));
        ck_assert(g == 0.0); /* 3 before, 0 kept */
        libcs_mrr_free(m);
    }
}
END_TEST

/* Several duplicate (customer, period) pairs: the one reported is the first
 * record, in insertion order, that repeats an earlier record's key. */
START_TEST(test_duplicates)
{
    /* index: 0 (5,1) 1 (9,2) 2 (9,0) 3 (7,1) | 4 (9,2) 5 (5,1) 6 (7,1)
     * 7 (5,1): the first repeat is index 4 -> (9, 2), although (5, 1) was
     * seen first and 5 is the smallest id */
    static const struct rec recs[] = {
        {5, 1, 10}, {9, 2, 20}, {9, 0, 5}, {7, 1, 1},
        {9, 2, 30}, {5, 1, 10}, {7, 1, 2}, {5, 1, 0},
    };
    struct {
        size_t n, skip;
        int64_t c;
        int32_t p;
    } cases[] = {
        {8, 8, 9, 2}, /* all: index 4 */
        {8, 4, 5, 1}, /* without index 4: index 5 (5, 1) */
        {7, 5, 9, 2}, /* without index 5: index 4 again */
        {4, 8, 0, 0}, /* first four only: no duplicate */
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        libcs_mrr *m = new_ledger(0, 3, LIBCS_MRR_ANY_GAP);
        struct rec r[8];
        size_t n = 0;
        for (size_t i = 0; i < cases[t].n; i++)
            if (i != cases[t].skip)
                r[n++] = recs[i];
        add_recs(m, r, 3 < n ? 3 : n); /* in two chunks */
        if (n > 3)
            add_recs(m, r + 3, n - 3);

        libcs_mrr_period out[3], keep[3];
        memset(out, 0x3C, sizeof out);
        memcpy(keep, out, sizeof out);
        int64_t dc = 12345;
        int32_t dp = 12345;
        size_t needed = 0;
        int rc = libcs_mrr_movements(m, out, 3, &needed, &dc, &dp);
        if (cases[t].c == 0) {
            ck_assert_int_eq(rc, LIBCS_OK);
            libcs_mrr_free(m);
            continue;
        }
        ck_assert_int_eq(rc, LIBCS_EDUPLICATE);
        ck_assert_msg(dc == cases[t].c && dp == cases[t].p,
                      "case %zu: duplicate (%lld, %d), want (%lld, %d)", t,
                      LL(dc), (int)dp, LL(cases[t].c), (int)cases[t].p);
        ck_assert_msg(!memcmp(out, keep, sizeof out),
                      "movements written on EDUPLICATE");
        ck_assert_rc(libcs_mrr_movements(m, out, 3, NULL, NULL, NULL),
                     LIBCS_EDUPLICATE);

        /* cohorts report the same one and write nothing */
        struct cohorts c, ck;
        cohorts_alloc(&c, 3);
        cohorts_alloc(&ck, 3);
        dc = 12345;
        dp = 12345;
        ck_assert_rc(libcs_mrr_cohorts(m, 9, c.cust, c.rev, c.cs, c.rs,
                                       &needed, &dc, &dp),
                     LIBCS_EDUPLICATE);
        ck_assert(dc == cases[t].c && dp == cases[t].p);
        cohorts_same_bytes(&c, &ck, "cohorts on EDUPLICATE");
        /* with every output NULL, cohorts is a size query that does not
         * look at the records: it succeeds and says n_periods^2 */
        needed = 0;
        ck_assert_rc(libcs_mrr_cohorts(m, 0, NULL, NULL, NULL, NULL, &needed,
                                       NULL, NULL),
                     LIBCS_OK);
        ck_assert_uint_eq(needed, 9);
        cohorts_free(&c);
        cohorts_free(&ck);
        libcs_mrr_free(m);
    }

    /* a duplicate of a zero record with the same value, across a merge:
     * a = (3,0,0) (4,1,9); b = (6,2,1) (3,0,0): merged, b's (3,0) repeats */
    libcs_mrr *a = new_ledger(0, 3, LIBCS_MRR_ANY_GAP);
    libcs_mrr *b = new_ledger(0, 3, LIBCS_MRR_ANY_GAP);
    add_recs(a, (const struct rec[]){{3, 0, 0}, {4, 1, 9}}, 2);
    add_recs(b, (const struct rec[]){{6, 2, 1}, {3, 0, 0}}, 2);
    ck_assert_ok(libcs_mrr_merge(a, b));
    int64_t dc = 0;
    int32_t dp = -1;
    libcs_mrr_period out[3];
    ck_assert_rc(libcs_mrr_movements(a, out, 3, NULL, &dc, &dp),
                 LIBCS_EDUPLICATE);
    ck_assert_int_eq(dc, 3);
    ck_assert_int_eq(dp, 0);
    libcs_mrr_free(a);
    libcs_mrr_free(b);

    /* extreme ids: INT64_MIN twice in the last period */
    a = new_ledger(10, 2, LIBCS_MRR_ANY_GAP);
    add_recs(a,
             (const struct rec[]){{INT64_MAX, 11, 1},
                                  {INT64_MIN, 11, 1},
                                  {INT64_MIN, 10, 1},
                                  {INT64_MAX, 10, 1},
                                  {INT64_MIN, 11, 2}},
             5);
    ck_assert_rc(libcs_mrr_movements(a, out, 2, NULL, &dc, &dp),
                 LIBCS_EDUPLICATE);
    ck_assert(dc == INT64_MIN && dp == 11);
    libcs_mrr_free(a);
}
END_TEST

START_TEST(test_movements_errors)
{
    libcs_mrr *m = hand_ledger(LIBCS_MRR_ANY_GAP);
    libcs_mrr_period out[NP], keep[NP];
    memset(out, 0x3C, sizeof out);
    memcpy(keep, out, sizeof out);
    size_t needed = 0;
    ck_assert_rc(libcs_mrr_movements(NULL, out, NP, &needed, NULL, NULL),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_movements(m, NULL, NP, &needed, NULL, NULL),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_mrr_movements(m, out, NP - 1, &needed, NULL, NULL),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, NP);
    ck_assert_msg(!memcmp(out, keep, sizeof out), "written on EBUFSIZE");
    needed = 0;
    ck_assert_rc(libcs_mrr_movements(m, NULL, 0, &needed, NULL, NULL),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, NP);
    ck_assert_rc(libcs_mrr_movements(m, out, 0, NULL, NULL, NULL),
                 LIBCS_EBUFSIZE);
    /* more room than needed is fine; only np rows are written */
    libcs_mrr_period big[NP + 2];
    memset(big, 0x3C, sizeof big);
    ck_assert_ok(libcs_mrr_movements(m, big, NP + 2, &needed, NULL, NULL));
    check_rows(big, HAND_ANY, NP, "cap > n_periods");
    ck_assert(!memcmp(&big[NP], keep, 2 * sizeof big[0]));
    libcs_mrr_free(m);

    /* a huge ledger reports its size without allocating per period */
    m = new_ledger(0, INT32_MAX, LIBCS_MRR_ANY_GAP);
    ck_assert_rc(libcs_mrr_movements(m, out, NP, &needed, NULL, NULL),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, (size_t)INT32_MAX);
    libcs_mrr_free(m);

    /* an empty ledger: all zero, periods labelled */
    m = new_ledger(-1, 3, LIBCS_MRR_ANY_GAP);
    libcs_mrr_period *rows = movements_of(m, 3);
    const libcs_mrr_period zero[3] = {{-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0},
                                      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0},
                                      {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0}};
    check_rows(rows, zero, 3, "empty ledger");
    free(rows);
    /* only zero records: still all zero */
    add_recs(m, (const struct rec[]){{1, -1, 0}, {1, 1, 0}, {2, 0, 0}}, 3);
    rows = movements_of(m, 3);
    check_rows(rows, zero, 3, "zero records only");
    free(rows);
    libcs_mrr_free(m);
}
END_TEST

/* movements and cohorts fail with EOVERFLOW and leave out untouched */
static void expect_overflow(const struct rec *r, size_t n, int32_t np,
                            int cohorts_too, const char *what)
{
    libcs_mrr *m = new_ledger(0, np, LIBCS_MRR_ANY_GAP);
    add_recs(m, r, n);
    libcs_mrr_period out[4], keep[4];
    memset(out, 0x3C, sizeof out);
    memcpy(keep, out, sizeof out);
    int rc = libcs_mrr_movements(m, out, (size_t)np, NULL, NULL, NULL);
    ck_assert_msg(rc == LIBCS_EOVERFLOW, "%s: movements returned %d (%s)",
                  what, rc, libcs_strerror(rc));
    ck_assert_msg(!memcmp(out, keep, sizeof out), "%s: written on overflow",
                  what);
    if (cohorts_too) {
        struct cohorts c, ck;
        cohorts_alloc(&c, np);
        cohorts_alloc(&ck, np);
        rc = libcs_mrr_cohorts(m, c.cells, c.cust, c.rev, c.cs, c.rs, NULL,
                               NULL, NULL);
        ck_assert_msg(rc == LIBCS_EOVERFLOW, "%s: cohorts returned %d (%s)",
                      what, rc, libcs_strerror(rc));
        cohorts_same_bytes(&c, &ck, "cohorts on overflow");
        cohorts_free(&c);
        cohorts_free(&ck);
    }
    libcs_mrr_free(m);
}

#define HALF ((INT64_MAX / 2) + 1) /* 2^62: two of them are 2^63 */

START_TEST(test_overflow)
{
    /* two new customers of 2^62 in P0: new MRR (and the period's sum) is
     * 2^63 > INT64_MAX */
    expect_overflow((const struct rec[]){{1, 0, HALF}, {2, 0, HALF}}, 2, 2, 1,
                    "new MRR");
    /* P0: X = INT64_MAX - 10 (fine); P1: X the same and Y new 11: the sum of
     * P1 is INT64_MAX + 1, while the new MRR (11) is small.  (X and Y are in
     * different cohorts, so no cohort cell overflows.) */
    expect_overflow((const struct rec[]){{1, 0, INT64_MAX - 10},
                                         {1, 1, INT64_MAX - 10},
                                         {2, 1, 11}},
                    3, 2, 0, "period sum");
    /* the same through an expansion (11) that makes P1's sum
     * INT64_MAX - 10 + 16 = INT64_MAX + 6; customers 1 and 3 share cohort
     * P0, so its offset-1 revenue cell overflows too */
    expect_overflow((const struct rec[]){{1, 0, INT64_MAX - 10},
                                         {1, 1, INT64_MAX - 10},
                                         {2, 0, 0},
                                         {3, 0, 5},
                                         {3, 1, 16}},
                    5, 2, 1, "expansion past INT64_MAX");
    /* INT64_MAX itself is fine: X = INT64_MAX - 10, Y = 10 */
    libcs_mrr *m = new_ledger(0, 2, LIBCS_MRR_ANY_GAP);
    add_recs(m, (const struct rec[]){{1, 0, INT64_MAX - 10}, {2, 0, 10}}, 2);
    libcs_mrr_period *rows = movements_of(m, 2);
    ck_assert_int_eq(rows[0].mrr_end, INT64_MAX);
    ck_assert_int_eq(rows[1].churned, INT64_MAX);
    ck_assert_int_eq(rows[1].mrr_end, 0);
    free(rows);
    int64_t rev[4];
    ck_assert_ok(
        libcs_mrr_cohorts(m, 4, NULL, rev, NULL, NULL, NULL, NULL, NULL));
    ck_assert_int_eq(rev[0], INT64_MAX);
    libcs_mrr_free(m);
}
END_TEST

/* Every period's MRR is INT64_MAX, and so is every movement, so every
 * number in the table is representable: X pays INT64_MAX in P0 and leaves;
 * Y pays INT64_MAX from P1.  P1: start INT64_MAX, new INT64_MAX, churned
 * INT64_MAX, end INT64_MAX (INT64_MAX + INT64_MAX - INT64_MAX).  The end can
 * always be formed without overflow as (start - contraction - churned) +
 * new + expansion + reactivation: the losses come out of the start, and the
 * partial sums after that only grow to the end. */
START_TEST(test_no_spurious_overflow)
{
    libcs_mrr *m = new_ledger(0, 3, LIBCS_MRR_ANY_GAP);
    add_recs(m,
             (const struct rec[]){{1, 0, INT64_MAX},
                                  {2, 1, INT64_MAX},
                                  {2, 2, INT64_MAX}},
             3);
    libcs_mrr_period out[3];
    int rc = libcs_mrr_movements(m, out, 3, NULL, NULL, NULL);
    libcs_mrr_free(m);
    ck_assert_msg(rc == LIBCS_OK,
                  "movements returned %d (%s) although every period's sum "
                  "and every movement fit in int64",
                  rc, libcs_strerror(rc));
    const libcs_mrr_period want[3] = {
        {0, 0, 0, INT64_MAX, 0, 0, 0, 0, INT64_MAX, 0, 1, 0, 0, 1},
        {1, 0, INT64_MAX, INT64_MAX, 0, 0, INT64_MAX, 0, INT64_MAX, 1, 1, 1,
         0, 1},
        {2, 0, INT64_MAX, 0, 0, 0, 0, 0, INT64_MAX, 1, 0, 0, 0, 1},
    };
    check_rows(out, want, 3, "INT64_MAX hand-over");
}
END_TEST

/* ---- a large case ------------------------------------------------------- */

START_TEST(test_large)
{
    /* 1 000 000 records by default; LIBCS_TEST_MRR_RECORDS shrinks it (for
     * valgrind) */
    size_t target = 1000000;
    const char *env = getenv("LIBCS_TEST_MRR_RECORDS");
    if (env && *env)
        target = (size_t)strtoull(env, NULL, 10);
    if (target < 1000)
        target = 1000;
    struct dataset d;
    gen_dataset(&d, 2024 * 12, 36, SIZE_MAX, target, 31337);
    ck_assert_uint_eq(d.n, target);

    libcs_mrr *m = new_ledger(d.first, d.np, LIBCS_MRR_ANY_GAP);
    /* in ten chunks */
    for (size_t k = 0; k < 10; k++) {
        size_t lo = d.n * k / 10, hi = d.n * (k + 1) / 10;
        ck_assert_ok(libcs_mrr_add(m, hi - lo, d.c + lo, d.p + lo, d.v + lo,
                                   NULL));
    }
    ck_assert_uint_eq(n_records(m), d.n);
    libcs_mrr_period *rows = movements_of(m, d.np);
    check_identity(rows, d.first, d.np, "large");
    check_direct_sums(rows, &d);
    libcs_mrr_period want[36];
    reference_movements(&d, LIBCS_MRR_ANY_GAP, want);
    check_rows(rows, want, d.np, "large vs reference");

    /* records reversed in one call: the same table */
    libcs_mrr *r = new_ledger(d.first, d.np, LIBCS_MRR_ANY_GAP);
    int64_t *c = xmalloc(d.n * sizeof *c), *v = xmalloc(d.n * sizeof *v);
    int32_t *p = xmalloc(d.n * sizeof *p);
    for (size_t i = 0; i < d.n; i++) {
        c[i] = d.c[d.n - 1 - i];
        p[i] = d.p[d.n - 1 - i];
        v[i] = d.v[d.n - 1 - i];
    }
    ck_assert_ok(libcs_mrr_add(r, d.n, c, p, v, NULL));
    libcs_mrr_period *rows2 = movements_of(r, d.np);
    ck_assert(!memcmp(rows, rows2, (size_t)d.np * sizeof *rows));
    free(c);
    free(p);
    free(v);
    free(rows2);
    libcs_mrr_free(r);

    /* cohorts: the diagonals add up to each period's customers and MRR */
    struct cohorts co;
    cohorts_of(m, d.np, &co);
    for (int32_t q = 0; q < d.np; q++) {
        int64_t cs = 0, rs = 0;
        for (int32_t k = 0; k <= q; k++) {
            cs += co.cust[(size_t)k * 36 + (size_t)(q - k)];
            rs += co.rev[(size_t)k * 36 + (size_t)(q - k)];
        }
        ck_assert_int_eq(cs, rows[q].customers_end);
        ck_assert_int_eq(rs, rows[q].mrr_end);
    }
    cohorts_free(&co);

    /* eight duplicates appended (copies of records spread over the data, so
     * over many hash buckets): the first one appended is reported */
    int64_t dc8[8], dv8[8];
    int32_t dp8[8];
    for (size_t k = 0; k < 8; k++) {
        size_t at = d.n - 1 - k * (d.n / 8); /* later records first */
        dc8[k] = d.c[at];
        dp8[k] = d.p[at];
        dv8[k] = d.v[at] + 1;
    }
    ck_assert_ok(libcs_mrr_add(m, 8, dc8, dp8, dv8, NULL));
    int64_t dc = 0;
    int32_t dp = 0;
    libcs_mrr_period *keep = xmalloc(36 * sizeof *keep);
    memcpy(keep, rows, 36 * sizeof *keep);
    ck_assert_rc(libcs_mrr_movements(m, rows, 36, NULL, &dc, &dp),
                 LIBCS_EDUPLICATE);
    ck_assert(dc == dc8[0] && dp == dp8[0]);
    ck_assert(!memcmp(keep, rows, 36 * sizeof *keep));
    free(keep);
    free(rows);
    libcs_mrr_free(m);
    free_dataset(&d);
}
END_TEST

static Suite *mrr_suite(void)
{
    Suite *s = suite_create("mrr");
    TCase *tc = tcase_create("hand");
    tcase_add_test(tc, test_hand_tables_consistent);
    tcase_add_test(tc, test_hand_movements);
    tcase_add_test(tc, test_hand_windows);
    tcase_add_test(tc, test_gap_window_rule);
    suite_add_tcase(s, tc);

    tc = tcase_create("rates");
    tcase_add_test(tc, test_hand_rates);
    tcase_add_test(tc, test_rates_edge_rows);
    tcase_add_test(tc, test_rates_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("cohorts");
    tcase_add_test(tc, test_hand_cohorts);
    tcase_add_test(tc, test_cohorts_null_outputs);
    tcase_add_test(tc, test_cohorts_bufsize);
    suite_add_tcase(s, tc);

    tc = tcase_create("capped_grr");
    tcase_add_test(tc, test_capped_grr_hand);
    tcase_add_test(tc, test_capped_grr_errors);
    tcase_add_test(tc, test_capped_since_hand);
    tcase_add_test(tc, test_capped_since_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random_invariants);
    tcase_add_test(tc, test_random_cohorts);
    tcase_add_test(tc, test_random_capped_grr);
    tcase_add_test(tc, test_random_capped_since);
    suite_add_tcase(s, tc);

    tc = tcase_create("merge");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_chunk_merge_any_gap);
    tcase_add_test(tc, test_chunk_merge_window);
    tcase_add_test(tc, test_merge_errors);
    tcase_add_test(tc, test_merge_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("order");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_orders_many_customers);
    tcase_add_test(tc, test_orders_long_histories);
    suite_add_tcase(s, tc);

    tc = tcase_create("serialize");
    tcase_add_test(tc, test_serialize_golden);
    tcase_add_test(tc, test_serialize_round_trip);
    tcase_add_test(tc, test_serialize_errors);
    tcase_add_test(tc, test_deserialize_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_new_errors);
    tcase_add_test(tc, test_window_errors);
    tcase_add_test(tc, test_add_errors);
    tcase_add_test(tc, test_add_far_periods);
    tcase_add_test(tc, test_int32_edges);
    tcase_add_test(tc, test_duplicates);
    tcase_add_test(tc, test_movements_errors);
    tcase_add_test(tc, test_overflow);
    tcase_add_test(tc, test_no_spurious_overflow);
    suite_add_tcase(s, tc);

    tc = tcase_create("large");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_large);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    return run_suite(mrr_suite());
}
