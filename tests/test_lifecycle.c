/* tests/test_lifecycle.c - lifecycle stages (libcs_lifecycle_*): defaults,
 * each rule at its window edges, rule precedence (default and custom),
 * policy setters, errors, and batch = loop of singles.
 *
 * Semantics checked (from lib/lifecycle.c):
 *   defaults: onboarding_days 90, renewal_days 90, advocate_days 365;
 *             order ONBOARDING, AT_RISK, RENEWAL, ADVOCATE, EXPANSION;
 *             the first rule that matches wins, ADOPTION otherwise.
 *   onboarding: days_since_start < onboarding_days
 *   renewal:    days_to_renewal <= renewal_days
 *   at risk:    band == LIBCS_HEALTH_RED
 *   expansion:  green, promoter, days_since_start >= onboarding_days
 *   advocate:   green, promoter, days_since_start >= advocate_days
 *   inputs: days finite (ENONFINITE) and >= 0 (EDOMAIN); band in
 *           LIBCS_HEALTH_UNKNOWN..GREEN (0..3), NPS category in
 *           LIBCS_NPS_DETRACTOR..LIBCS_NPS_NO_ANSWER (-1..2), else EDOMAIN.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#define ONB LIBCS_STAGE_ONBOARDING
#define ADO LIBCS_STAGE_ADOPTION
#define REN LIBCS_STAGE_RENEWAL
#define RISK LIBCS_STAGE_AT_RISK
#define EXP LIBCS_STAGE_EXPANSION
#define ADV LIBCS_STAGE_ADVOCATE

#define UNKNOWN LIBCS_HEALTH_UNKNOWN
#define RED LIBCS_HEALTH_RED
#define YELLOW LIBCS_HEALTH_YELLOW
#define GREEN LIBCS_HEALTH_GREEN

#define DET LIBCS_NPS_DETRACTOR
#define PAS LIBCS_NPS_PASSIVE
#define PRO LIBCS_NPS_PROMOTER
#define NOANS LIBCS_NPS_NO_ANSWER

/* An int no function writes: stage outputs must keep it on error. */
#define STAGE_SENTINEL ((int)SENTINEL)
#define BAD_SENTINEL ((size_t)999999)

/* Far from every default window: not onboarding, not in renewal. */
#define MID 200.0
#define FAR 300.0

static libcs_lifecycle_policy *pol;

static void setup(void)
{
    pol = NULL;
    ck_assert_ok(libcs_lifecycle_policy_new(&pol));
    ck_assert_ptr_nonnull(pol);
}

static void teardown(void)
{
    libcs_lifecycle_policy_free(pol);
    pol = NULL;
}

/* The stage of one customer under policy p (the call must succeed). */
static int stage(const libcs_lifecycle_policy *p, double since,
                 double to_renewal, int band, int nps)
{
    int st = STAGE_SENTINEL;
    ck_assert_ok(libcs_lifecycle_stage(p, since, to_renewal, band, nps, &st));
    ck_assert_msg(st >= ADO && st <= ADV, "stage %d out of range", st);
    return st;
}

#define ck_stage(p, since, to_renewal, band, nps, want)                        \
    do {                                                                       \
        int got_ = stage((p), (since), (to_renewal), (band), (nps));           \
        ck_assert_msg(got_ == (want),                                          \
                      "stage(since %g, to renewal %g, band %d, nps %d) = %d, " \
                      "want %d (%s)",                                          \
                      (double)(since), (double)(to_renewal), (int)(band),      \
                      (int)(nps), got_, (int)(want), #want);                   \
    } while (0)

/* `call` returns `code` and leaves `out` (an int) at STAGE_SENTINEL. */
#define STAGE_FAILS(call, code, out)                                           \
    do {                                                                       \
        (out) = STAGE_SENTINEL;                                                \
        int lc_rc_ = (call);                                                   \
        ck_assert_msg(lc_rc_ == (code), "%s returned %d (%s), want %d (%s)",   \
                      #call, lc_rc_, libcs_strerror(lc_rc_), (int)(code),      \
                      libcs_strerror(code));                                   \
        ck_assert_msg((out) == STAGE_SENTINEL, "%s wrote its output on error", \
                      #call);                                                  \
    } while (0)

/* ---- defaults ------------------------------------------------------------ */

/* onboarding 90 days, renewal window 90 days, advocate tenure 365 days */
START_TEST(test_default_windows)
{
    /* onboarding: days since start < 90 */
    ck_stage(pol, 0, FAR, YELLOW, PAS, ONB);
    ck_stage(pol, 89, FAR, YELLOW, PAS, ONB);
    ck_stage(pol, 89.999, FAR, YELLOW, PAS, ONB);
    ck_stage(pol, 90, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, 91, FAR, YELLOW, PAS, ADO);
    /* renewal: days to renewal <= 90 */
    ck_stage(pol, MID, 0, YELLOW, PAS, REN);
    ck_stage(pol, MID, 90, YELLOW, PAS, REN);
    ck_stage(pol, MID, 90.001, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 91, YELLOW, PAS, ADO);
    /* advocate: green promoter with tenure >= 365, else expansion */
    ck_stage(pol, 364, FAR, GREEN, PRO, EXP);
    ck_stage(pol, 364.5, FAR, GREEN, PRO, EXP);
    ck_stage(pol, 365, FAR, GREEN, PRO, ADV);
    ck_stage(pol, 3650, FAR, GREEN, PRO, ADV);
    /* expansion starts where onboarding ends (90) */
    ck_stage(pol, 89, FAR, GREEN, PRO, ONB);
    ck_stage(pol, 90, FAR, GREEN, PRO, EXP);
}
END_TEST

/* Default order: ONBOARDING > AT_RISK > RENEWAL > ADVOCATE > EXPANSION.
 * Each adjacent pair is decided by a customer matching both rules. */
START_TEST(test_default_order)
{
    /* red inside onboarding: onboarding wins */
    ck_stage(pol, 10, FAR, RED, DET, ONB);
    /* red, onboarding and renewal all at once: onboarding */
    ck_stage(pol, 10, 30, RED, DET, ONB);
    /* red in the renewal window: at risk wins over renewal */
    ck_stage(pol, MID, 30, RED, PAS, RISK);
    /* green promoter in the renewal window: renewal wins over expansion... */
    ck_stage(pol, MID, 30, GREEN, PRO, REN);
    /* ... and over advocate */
    ck_stage(pol, 400, 30, GREEN, PRO, REN);
    /* advocate over expansion (both match at tenure >= 365) */
    ck_stage(pol, 400, FAR, GREEN, PRO, ADV);
    /* green promoter inside onboarding: onboarding (expansion needs tenure
     * past onboarding) */
    ck_stage(pol, 0, FAR, GREEN, PRO, ONB);
    ck_stage(pol, 10, 30, GREEN, PRO, ONB);
    /* red promoter is never a fan: at risk */
    ck_stage(pol, 400, FAR, RED, PRO, RISK);
}
END_TEST

/* ---- each rule alone ----------------------------------------------------- */

START_TEST(test_rule_at_risk)
{
    /* only the red band is at risk, whatever the NPS category */
    const int nps[4] = {DET, PAS, PRO, NOANS};
    for (int k = 0; k < 4; k++) {
        ck_stage(pol, MID, FAR, RED, nps[k], RISK);
        ck_stage(pol, MID, FAR, YELLOW, nps[k], ADO);
        ck_stage(pol, MID, FAR, UNKNOWN, nps[k], ADO);
    }
}
END_TEST

START_TEST(test_rule_expansion_and_advocate)
{
    /* green and promoter are both needed */
    ck_stage(pol, MID, FAR, GREEN, PRO, EXP);
    ck_stage(pol, MID, FAR, GREEN, PAS, ADO);
    ck_stage(pol, MID, FAR, GREEN, DET, ADO);
    ck_stage(pol, MID, FAR, GREEN, NOANS, ADO);
    ck_stage(pol, MID, FAR, YELLOW, PRO, ADO);
    ck_stage(pol, MID, FAR, UNKNOWN, PRO, ADO);
    ck_stage(pol, 400, FAR, GREEN, PAS, ADO);
    ck_stage(pol, 400, FAR, GREEN, NOANS, ADO);
    ck_stage(pol, 400, FAR, YELLOW, PRO, ADO);
}
END_TEST

/* Custom windows N = 30, M = 60, T = 180, at each edge. */
START_TEST(test_custom_windows)
{
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 30, 60, 180));
    ck_stage(pol, 29, FAR, YELLOW, PAS, ONB);
    ck_stage(pol, 30, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 60, YELLOW, PAS, REN);
    ck_stage(pol, MID, 61, YELLOW, PAS, ADO);
    ck_stage(pol, 179, FAR, GREEN, PRO, EXP);
    ck_stage(pol, 180, FAR, GREEN, PRO, ADV);
    ck_stage(pol, 29, FAR, GREEN, PRO, ONB);
    ck_stage(pol, 30, FAR, GREEN, PRO, EXP);
    /* the old defaults no longer apply */
    ck_stage(pol, 60, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 90, YELLOW, PAS, ADO);
    ck_stage(pol, 300, FAR, GREEN, PRO, ADV);

    /* fractional windows */
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 14.5, 0.5, 100.25));
    ck_stage(pol, 14.25, FAR, YELLOW, PAS, ONB);
    ck_stage(pol, 14.5, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 0.5, YELLOW, PAS, REN);
    ck_stage(pol, MID, 0.75, YELLOW, PAS, ADO);
    ck_stage(pol, 100, FAR, GREEN, PRO, EXP);
    ck_stage(pol, 100.25, FAR, GREEN, PRO, ADV);
}
END_TEST

/* Zero windows: nobody is onboarding (days >= 0), the renewal window is the
 * renewal day itself, and every green promoter is an advocate. */
START_TEST(test_zero_windows)
{
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 0, 0, 0));
    ck_stage(pol, 0, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, -0.0, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 0, YELLOW, PAS, REN);
    ck_stage(pol, MID, 1e-9, YELLOW, PAS, ADO);
    ck_stage(pol, 0, FAR, GREEN, PRO, ADV);
    ck_stage(pol, MID, FAR, GREEN, PRO, ADV);

    /* advocate tenure shorter than onboarding: with the default order
     * onboarding still comes first */
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 90, 90, 30));
    ck_stage(pol, 40, FAR, GREEN, PRO, ONB);
    ck_stage(pol, 90, FAR, GREEN, PRO, ADV);
}
END_TEST

/* ---- custom order -------------------------------------------------------- */

START_TEST(test_custom_order)
{
    /* renewal first, expansion before advocate */
    const int order[5] = {REN, RISK, ONB, EXP, ADV};
    ck_assert_ok(libcs_lifecycle_policy_set_order(pol, 5, order));
    /* red, onboarding, in renewal: default ONB, now REN */
    ck_stage(pol, 10, 30, RED, DET, REN);
    /* red inside onboarding: default ONB, now RISK */
    ck_stage(pol, 10, FAR, RED, DET, RISK);
    /* green promoter, tenure 400: default ADV, now EXP */
    ck_stage(pol, 400, FAR, GREEN, PRO, EXP);
    /* single-rule customers are unchanged */
    ck_stage(pol, 10, FAR, YELLOW, PAS, ONB);
    ck_stage(pol, MID, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 90, YELLOW, PAS, REN);

    /* expansion and advocate first: still need tenure past their windows */
    const int order2[5] = {EXP, ADV, ONB, RISK, REN};
    ck_assert_ok(libcs_lifecycle_policy_set_order(pol, 5, order2));
    ck_stage(pol, MID, 30, GREEN, PRO, EXP);   /* default REN */
    ck_stage(pol, 10, 30, GREEN, PRO, ONB);    /* not past onboarding */
    ck_stage(pol, 400, 30, GREEN, PRO, EXP);   /* EXP before ADV */

    /* advocate tried before onboarding with T < N: a green promoter on day
     * 40 is an advocate though still onboarding */
    const int order3[5] = {ADV, ONB, RISK, REN, EXP};
    ck_assert_ok(libcs_lifecycle_policy_set_order(pol, 5, order3));
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 90, 90, 30));
    ck_stage(pol, 40, FAR, GREEN, PRO, ADV);
    ck_stage(pol, 29, FAR, GREEN, PRO, ONB);

    /* back to the default order: the default outcomes return */
    const int dflt[5] = {ONB, RISK, REN, ADV, EXP};
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 90, 90, 365));
    ck_assert_ok(libcs_lifecycle_policy_set_order(pol, 5, dflt));
    ck_stage(pol, 10, 30, RED, DET, ONB);
    ck_stage(pol, 400, FAR, GREEN, PRO, ADV);
    ck_stage(pol, MID, 30, GREEN, PRO, REN);
}
END_TEST

/* Policies are independent objects. */
START_TEST(test_two_policies)
{
    libcs_lifecycle_policy *other = NULL;
    ck_assert_ok(libcs_lifecycle_policy_new(&other));
    ck_assert_ok(libcs_lifecycle_policy_set_windows(other, 10, 10, 20));
    const int order[5] = {EXP, ADV, ONB, RISK, REN};
    ck_assert_ok(libcs_lifecycle_policy_set_order(other, 5, order));
    ck_stage(other, 50, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, 50, FAR, YELLOW, PAS, ONB);
    ck_stage(other, 400, FAR, GREEN, PRO, EXP);
    ck_stage(pol, 400, FAR, GREEN, PRO, ADV);
    libcs_lifecycle_policy_free(other);
}
END_TEST

/* ---- setter errors ------------------------------------------------------- */

/* After any failed setter, the policy still classifies as the defaults. */
static void ck_still_default(const libcs_lifecycle_policy *p)
{
    ck_stage(p, 89, FAR, YELLOW, PAS, ONB);
    ck_stage(p, 90, FAR, YELLOW, PAS, ADO);
    ck_stage(p, MID, 90, YELLOW, PAS, REN);
    ck_stage(p, MID, 91, YELLOW, PAS, ADO);
    ck_stage(p, 364, FAR, GREEN, PRO, EXP);
    ck_stage(p, 365, FAR, GREEN, PRO, ADV);
    ck_stage(p, 10, 30, RED, DET, ONB);
    ck_stage(p, MID, 30, RED, PAS, RISK);
    ck_stage(p, 400, 30, GREEN, PRO, REN);
}

START_TEST(test_set_order_errors)
{
    const int ok[6] = {REN, RISK, ONB, EXP, ADV, ADV};
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(NULL, 5, ok),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(pol, 5, NULL),
                     LIBCS_EINVAL);
    /* wrong n */
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(pol, 0, ok),
                     LIBCS_EDOMAIN);
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(pol, 4, ok),
                     LIBCS_EDOMAIN);
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(pol, 6, ok),
                     LIBCS_EDOMAIN);
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(pol, SIZE_MAX, ok),
                     LIBCS_EDOMAIN);
    /* duplicates (at the start, the end, and adjacent) */
    static const int bad[][5] = {
        {ONB, ONB, RISK, REN, ADV},  {REN, RISK, ONB, EXP, REN},
        {ADV, EXP, EXP, ONB, RISK},  {RISK, RISK, RISK, RISK, RISK},
        /* ADOPTION is the fallback, not a rule */
        {ADO, ONB, RISK, REN, ADV},  {ONB, RISK, REN, ADV, ADO},
        /* out of range */
        {ONB, RISK, REN, ADV, 6},    {-1, ONB, RISK, REN, ADV},
        {ONB, RISK, REN, ADV, 1000}, {ONB, INT32_MIN, RISK, REN, ADV},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int rc = libcs_lifecycle_policy_set_order(pol, 5, bad[k]);
        ck_assert_msg(rc == LIBCS_EDOMAIN, "order %zu: rc %d", k, rc);
    }
    /* a failed call changes nothing, even when its prefix was valid */
    ck_still_default(pol);
    /* NULL before domain */
    ck_assert_int_eq(libcs_lifecycle_policy_set_order(NULL, 4, bad[0]),
                     LIBCS_EINVAL);
}
END_TEST

START_TEST(test_set_windows_errors)
{
    const double nonfinite[3] = {NAN, INFINITY, -INFINITY};
    ck_assert_int_eq(libcs_lifecycle_policy_set_windows(NULL, 1, 1, 1),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_policy_set_windows(NULL, NAN, 1, 1),
                     LIBCS_EINVAL);
    for (int k = 0; k < 3; k++) {
        double x = nonfinite[k];
        ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, x, 1, 1),
                         LIBCS_ENONFINITE);
        ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, 1, x, 1),
                         LIBCS_ENONFINITE);
        ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, 1, 1, x),
                         LIBCS_ENONFINITE);
        /* non-finite is reported before negative */
        ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, -1, 1, x),
                         LIBCS_ENONFINITE);
    }
    ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, -1, 1, 1),
                     LIBCS_EDOMAIN);
    ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, 1, -1, 1),
                     LIBCS_EDOMAIN);
    ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, 1, 1, -1),
                     LIBCS_EDOMAIN);
    ck_assert_int_eq(libcs_lifecycle_policy_set_windows(pol, 1, 1, -1e-300),
                     LIBCS_EDOMAIN);
    /* nothing was changed, not even the valid leading windows */
    ck_still_default(pol);
    /* -0.0 is not negative */
    ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, -0.0, -0.0, -0.0));
    ck_stage(pol, 0, FAR, YELLOW, PAS, ADO);
    ck_stage(pol, MID, 0, YELLOW, PAS, REN);
}
END_TEST

START_TEST(test_new_free)
{
    ck_assert_int_eq(libcs_lifecycle_policy_new(NULL), LIBCS_EINVAL);
    libcs_lifecycle_policy_free(NULL); /* safe */
    libcs_lifecycle_policy *a = NULL, *b = NULL;
    ck_assert_ok(libcs_lifecycle_policy_new(&a));
    ck_assert_ok(libcs_lifecycle_policy_new(&b));
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_still_default(a);
    libcs_lifecycle_policy_free(a);
    libcs_lifecycle_policy_free(b);
}
END_TEST

/* ---- classify errors ----------------------------------------------------- */

START_TEST(test_stage_errors)
{
    int st;
    const double nonfinite[3] = {NAN, INFINITY, -INFINITY};
    STAGE_FAILS(libcs_lifecycle_stage(NULL, 1, 1, GREEN, PRO, &st),
                LIBCS_EINVAL, st);
    ck_assert_int_eq(libcs_lifecycle_stage(pol, 1, 1, GREEN, PRO, NULL),
                     LIBCS_EINVAL);
    /* NULL before any other check */
    STAGE_FAILS(libcs_lifecycle_stage(NULL, NAN, -1, 9, 9, &st), LIBCS_EINVAL,
                st);

    for (int k = 0; k < 3; k++) {
        double x = nonfinite[k];
        STAGE_FAILS(libcs_lifecycle_stage(pol, x, 1, GREEN, PRO, &st),
                    LIBCS_ENONFINITE, st);
        STAGE_FAILS(libcs_lifecycle_stage(pol, 1, x, GREEN, PRO, &st),
                    LIBCS_ENONFINITE, st);
        /* non-finite before domain */
        STAGE_FAILS(libcs_lifecycle_stage(pol, x, -1, 7, 7, &st),
                    LIBCS_ENONFINITE, st);
    }
    /* negative days */
    STAGE_FAILS(libcs_lifecycle_stage(pol, -1, 1, GREEN, PRO, &st),
                LIBCS_EDOMAIN, st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, -1e-300, 1, GREEN, PRO, &st),
                LIBCS_EDOMAIN, st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, -1, GREEN, PRO, &st),
                LIBCS_EDOMAIN, st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, -0.5, YELLOW, PAS, &st),
                LIBCS_EDOMAIN, st);
    /* band outside 0..3 */
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, 1, -1, PRO, &st), LIBCS_EDOMAIN,
                st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, 1, 4, PRO, &st), LIBCS_EDOMAIN,
                st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, 1, INT32_MIN, PRO, &st),
                LIBCS_EDOMAIN, st);
    /* NPS category outside -1..2 */
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, 1, GREEN, -2, &st),
                LIBCS_EDOMAIN, st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, 1, GREEN, 3, &st),
                LIBCS_EDOMAIN, st);
    STAGE_FAILS(libcs_lifecycle_stage(pol, 1, 1, GREEN, 1000, &st),
                LIBCS_EDOMAIN, st);

    /* the edges of every domain are accepted: 0 days, -0.0, band 0 and 3,
     * NPS -1 and 2 (no answer) */
    ck_stage(pol, 0, 0, UNKNOWN, DET, ONB);
    ck_stage(pol, -0.0, -0.0, GREEN, NOANS, ONB);
    ck_stage(pol, MID, -0.0, GREEN, NOANS, REN);
    ck_stage(pol, 1e300, 1e300, GREEN, PRO, ADV);
}
END_TEST

/* ---- batch ------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64, fixed seed */
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static size_t rng_below(size_t m)
{
    return (size_t)(rng_next() % (uint64_t)m);
}

/* days near the interesting edges (window - 1, window, window + 1) or
 * anywhere in 0..800, sometimes fractional */
static double random_days(void)
{
    static const double edges[] = {0,   -0.0, 1,   29,  30,  31,  59,
                                   60,  61,  89,  90,  91,  179, 180,
                                   181, 364, 365, 366, 1e6};
    if (rng_below(2))
        return edges[rng_below(sizeof edges / sizeof edges[0])];
    double d = (double)rng_below(800);
    return rng_below(3) == 0 ? d + 0.5 : d;
}

START_TEST(test_batch_equals_singles)
{
    enum { NMAX = 1000, ROUNDS = 60 };
    double *since = malloc(NMAX * sizeof *since);
    double *to_ren = malloc(NMAX * sizeof *to_ren);
    int *bands = malloc(NMAX * sizeof *bands);
    int *nps = malloc(NMAX * sizeof *nps);
    int *stages = malloc(NMAX * sizeof *stages);
    ck_assert_ptr_nonnull(since);
    ck_assert_ptr_nonnull(to_ren);
    ck_assert_ptr_nonnull(bands);
    ck_assert_ptr_nonnull(nps);
    ck_assert_ptr_nonnull(stages);
    rng_state = 31337;
    size_t seen[6] = {0, 0, 0, 0, 0, 0};
    for (int round = 0; round < ROUNDS; round++) {
        /* a third of the rounds with the defaults, the rest with random
         * windows and a random order */
        if (round % 3 != 0) {
            static const double win[] = {0, 30, 60, 90, 180, 365};
            ck_assert_ok(libcs_lifecycle_policy_set_windows(
                pol, win[rng_below(6)], win[rng_below(6)], win[rng_below(6)]));
            int order[5] = {ONB, REN, RISK, EXP, ADV};
            for (int i = 4; i > 0; i--) { /* Fisher-Yates */
                int j = (int)rng_below((size_t)i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            ck_assert_ok(libcs_lifecycle_policy_set_order(pol, 5, order));
        } else {
            const int dflt[5] = {ONB, RISK, REN, ADV, EXP};
            ck_assert_ok(libcs_lifecycle_policy_set_windows(pol, 90, 90, 365));
            ck_assert_ok(libcs_lifecycle_policy_set_order(pol, 5, dflt));
        }
        size_t n = 1 + rng_below(NMAX);
        for (size_t i = 0; i < n; i++) {
            since[i] = random_days();
            to_ren[i] = random_days();
            bands[i] = (int)rng_below(4);
            nps[i] = (int)rng_below(4) - 1;
            stages[i] = STAGE_SENTINEL;
        }
        size_t bad = BAD_SENTINEL;
        ck_assert_ok(libcs_lifecycle_stage_batch(pol, n, since, to_ren, bands,
                                                 nps, stages, &bad));
        ck_assert_uint_eq(bad, BAD_SENTINEL);
        for (size_t i = 0; i < n; i++) {
            int one = STAGE_SENTINEL;
            int rc = libcs_lifecycle_stage(pol, since[i], to_ren[i], bands[i],
                                           nps[i], &one);
            if (rc != LIBCS_OK || one != stages[i])
                ck_abort_msg("round %d, i %zu: batch %d, single %d (rc %d)",
                             round, i, stages[i], one, rc);
            seen[stages[i]]++;
        }
    }
    /* the random inputs reached every stage */
    for (int k = 0; k < 6; k++)
        ck_assert_msg(seen[k] > 0, "stage %d never produced", k);
    free(since);
    free(to_ren);
    free(bands);
    free(nps);
    free(stages);
}
END_TEST

static int stages_untouched(const int *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != STAGE_SENTINEL)
            return 0;
    return 1;
}

/* One bad element at each index: the code, bad_index and untouched stages. */
START_TEST(test_batch_errors)
{
    enum { N = 5 };
    double since[N], to_ren[N];
    int bands[N], nps[N], stages[N];
    static const struct {
        int field; /* 0 since, 1 to_renewal, 2 band, 3 nps */
        double d;
        int v;
        int code;
    } bads[] = {
        {0, NAN, 0, LIBCS_ENONFINITE},      {0, INFINITY, 0, LIBCS_ENONFINITE},
        {0, -INFINITY, 0, LIBCS_ENONFINITE}, {0, -1, 0, LIBCS_EDOMAIN},
        {1, NAN, 0, LIBCS_ENONFINITE},      {1, INFINITY, 0, LIBCS_ENONFINITE},
        {1, -INFINITY, 0, LIBCS_ENONFINITE}, {1, -0.5, 0, LIBCS_EDOMAIN},
        {2, 0, -1, LIBCS_EDOMAIN},          {2, 0, 4, LIBCS_EDOMAIN},
        {3, 0, -2, LIBCS_EDOMAIN},          {3, 0, 3, LIBCS_EDOMAIN},
    };
    for (size_t b = 0; b < sizeof bads / sizeof bads[0]; b++) {
        for (size_t at = 0; at < N; at++) {
            for (size_t i = 0; i < N; i++) {
                since[i] = 100.0 * (double)i;
                to_ren[i] = 50.0 * (double)i;
                bands[i] = (int)(i % 4);
                nps[i] = (int)(i % 4) - 1;
                stages[i] = STAGE_SENTINEL;
            }
            switch (bads[b].field) {
            case 0:
                since[at] = bads[b].d;
                break;
            case 1:
                to_ren[at] = bads[b].d;
                break;
            case 2:
                bands[at] = bads[b].v;
                break;
            default:
                nps[at] = bads[b].v;
                break;
            }
            size_t bad = BAD_SENTINEL;
            int rc = libcs_lifecycle_stage_batch(pol, N, since, to_ren, bands,
                                                 nps, stages, &bad);
            ck_assert_msg(rc == bads[b].code, "bad %zu at %zu: rc %d, want %d",
                          b, at, rc, bads[b].code);
            ck_assert_msg(bad == at, "bad %zu at %zu: bad_index %zu", b, at,
                          bad);
            ck_assert_msg(stages_untouched(stages, N),
                          "bad %zu at %zu: stages written on error", b, at);
            /* bad_index may be NULL */
            rc = libcs_lifecycle_stage_batch(pol, N, since, to_ren, bands, nps,
                                             stages, NULL);
            ck_assert_int_eq(rc, bads[b].code);
            ck_assert(stages_untouched(stages, N));
            /* the batch error is the single call's error */
            int one = STAGE_SENTINEL;
            rc = libcs_lifecycle_stage(pol, since[at], to_ren[at], bands[at],
                                       nps[at], &one);
            ck_assert_int_eq(rc, bads[b].code);
            ck_assert_int_eq(one, STAGE_SENTINEL);
        }
    }

    /* several bad elements: the first one is reported, with its own code */
    for (size_t i = 0; i < N; i++) {
        since[i] = 1;
        to_ren[i] = 1;
        bands[i] = GREEN;
        nps[i] = PRO;
        stages[i] = STAGE_SENTINEL;
    }
    nps[4] = 5;
    bands[3] = 9;
    to_ren[2] = NAN;
    size_t bad = BAD_SENTINEL;
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, since, to_ren, bands,
                                                 nps, stages, &bad),
                     LIBCS_ENONFINITE);
    ck_assert_uint_eq(bad, 2);
    ck_assert(stages_untouched(stages, N));
    to_ren[2] = 1;
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, since, to_ren, bands,
                                                 nps, stages, &bad),
                     LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, 3);
    ck_assert(stages_untouched(stages, N));

    /* NULL policy or arrays -> EINVAL; n = 0 -> EEMPTY; bad_index untouched */
    for (size_t i = 0; i < N; i++) {
        bands[i] = GREEN;
        nps[i] = PRO;
    }
    bad = BAD_SENTINEL;
    const double *d = since;
    ck_assert_int_eq(libcs_lifecycle_stage_batch(NULL, N, d, to_ren, bands,
                                                 nps, stages, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, NULL, to_ren, bands,
                                                 nps, stages, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, d, NULL, bands, nps,
                                                 stages, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, d, to_ren, NULL, nps,
                                                 stages, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, d, to_ren, bands,
                                                 NULL, stages, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, N, d, to_ren, bands, nps,
                                                 NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(NULL, 0, d, to_ren, bands,
                                                 nps, stages, &bad),
                     LIBCS_EINVAL);
    ck_assert_int_eq(libcs_lifecycle_stage_batch(pol, 0, d, to_ren, bands, nps,
                                                 stages, &bad),
                     LIBCS_EEMPTY);
    ck_assert_uint_eq(bad, BAD_SENTINEL);
    ck_assert(stages_untouched(stages, N));

    /* and a good batch still works: every customer is a fan at day 1 in
     * onboarding */
    ck_assert_ok(libcs_lifecycle_stage_batch(pol, N, d, to_ren, bands, nps,
                                             stages, NULL));
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(stages[i], ONB);
}
END_TEST

/* A hand-worked batch under the defaults (N = 90, M = 90, T = 365):
 *   i since  to_ren band    nps    stage
 *   0   10    300   yellow  pass   onboarding (10 < 90)
 *   1  120    300   yellow  pass   adoption (no rule)
 *   2  120     60   yellow  pass   renewal (60 <= 90)
 *   3  120     60   red     det    at risk (before renewal)
 *   4  200    300   green   prom   expansion (200 >= 90, < 365)
 *   5  500    300   green   prom   advocate (500 >= 365)
 *   6  500     90   green   prom   renewal (before advocate)
 *   7   89     91   red     none   onboarding (before at risk) */
START_TEST(test_batch_worked)
{
    const double since[8] = {10, 120, 120, 120, 200, 500, 500, 89};
    const double to_ren[8] = {300, 300, 60, 60, 300, 300, 90, 91};
    const int bands[8] = {YELLOW, YELLOW, YELLOW, RED,
                          GREEN,  GREEN,  GREEN,  RED};
    const int nps[8] = {PAS, PAS, PAS, DET, PRO, PRO, PRO, NOANS};
    const int want[8] = {ONB, ADO, REN, RISK, EXP, ADV, REN, ONB};
    int stages[8];
    for (int i = 0; i < 8; i++)
        stages[i] = STAGE_SENTINEL;
    ck_assert_ok(libcs_lifecycle_stage_batch(pol, 8, since, to_ren, bands, nps,
                                             stages, NULL));
    for (int i = 0; i < 8; i++)
        ck_assert_msg(stages[i] == want[i], "stage[%d] = %d, want %d", i,
                      stages[i], want[i]);
}
END_TEST

static Suite *lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_default_windows);
    tcase_add_test(tc, test_default_order);
    tcase_add_test(tc, test_rule_at_risk);
    tcase_add_test(tc, test_rule_expansion_and_advocate);
    tcase_add_test(tc, test_custom_windows);
    tcase_add_test(tc, test_zero_windows);
    tcase_add_test(tc, test_custom_order);
    tcase_add_test(tc, test_two_policies);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_set_order_errors);
    tcase_add_test(tc, test_set_windows_errors);
    tcase_add_test(tc, test_new_free);
    tcase_add_test(tc, test_stage_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("batch");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_batch_worked);
    tcase_add_test(tc, test_batch_equals_singles);
    tcase_add_test(tc, test_batch_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(lifecycle_suite());
}
