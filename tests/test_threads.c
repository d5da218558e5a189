/* tests/test_threads.c - the library keeps no shared mutable state: the
 * batch functions run from several threads at once on shared, read-only
 * inputs (each thread with its own outputs, several repetitions) give exactly
 * the results of a single-threaded run, bit for bit.  Threads only record
 * mismatches; all assertions are made in the main thread. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NTHREADS 4
#define REPS 6
#define NSCORES 65549 /* 16 blocks of 4080 bytes and a scalar tail */
#define NB 2053       /* rows of the per-customer batches */
#define BAD_AT 40000  /* where the bad copy of the scores has a 200 */

/* ---- shared, read-only inputs ------------------------------------------------ */

static uint8_t scores[NSCORES];     /* 0..10 */
static uint8_t bad_scores[NSCORES]; /* the same with a 200 at BAD_AT */
static uint8_t answers[NSCORES];    /* 1..5 */
static double arpu[NB], margin[NB], churn_rate[NB];
static int64_t at_start[NB], new_customers[NB], churned[NB];
static int64_t mrr_start[NB], mrr_churned[NB], contraction[NB],
    expansion[NB], reactivation[NB];
/* health, touch and lifecycle: one shared model and policy, read-only */
#define HK 4
static libcs_health_model *model;
static libcs_lifecycle_policy *policy;
static double health_values[NB * HK], acv[NB], tenure[NB], to_renewal[NB];
static int nps_category[NB];
/* MRR records and Kaplan-Meier durations: one shared ledger, read-only */
#define NREC 5000
#define NPER 12
static libcs_mrr *ledger;
static int32_t durations[NB];
static uint8_t churn_events[NB];

static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* a double in [0, 1) */
static double rng_unit(uint64_t *state)
{
    return (double)(rng_next(state) >> 11) / 9007199254740992.0;
}

static void make_inputs(void)
{
    uint64_t st = 20240601;
    for (size_t i = 0; i < NSCORES; i++) {
        scores[i] = (uint8_t)(rng_next(&st) % 11);
        answers[i] = (uint8_t)(1 + rng_next(&st) % 5);
    }
    memcpy(bad_scores, scores, sizeof scores);
    bad_scores[BAD_AT] = 200;
    bad_scores[BAD_AT + 100] = 11;
    for (size_t i = 0; i < NB; i++) {
        arpu[i] = 1000.0 * rng_unit(&st);
        margin[i] = rng_unit(&st);
        churn_rate[i] = 0.001 + 0.999 * rng_unit(&st);
        at_start[i] = 1 + (int64_t)(rng_next(&st) % 1000000);
        new_customers[i] = (int64_t)(rng_next(&st) % 100000);
        uint64_t exposed = (uint64_t)(at_start[i] + new_customers[i]);
        churned[i] = (int64_t)(rng_next(&st) % (exposed + 1));
        mrr_start[i] = 1 + (int64_t)(rng_next(&st) % 100000000);
        uint64_t half = (uint64_t)(mrr_start[i] / 2);
        mrr_churned[i] = (int64_t)(rng_next(&st) % (half + 1));
        contraction[i] = (int64_t)(rng_next(&st) % (half + 1));
        expansion[i] = (int64_t)(rng_next(&st) % 50000000);
        reactivation[i] = (int64_t)(rng_next(&st) % 1000000);
        for (size_t j = 0; j < HK; j++) {
            double u = rng_unit(&st);
            health_values[i * HK + j] = u < 0.1 ? NAN
                                        : j == 3 ? (double)(u < 0.55)
                                                 : 100.0 * rng_unit(&st);
        }
        acv[i] = (double)(rng_next(&st) % 100) * 1000.0; /* many ties */
        tenure[i] = (double)(rng_next(&st) % 1000);
        to_renewal[i] = (double)(rng_next(&st) % 365);
        nps_category[i] = (int)(rng_next(&st) % 4) - 1;
    }
    if (!model) {
        const double breaks[2] = {30, 60}, points[3] = {0, 50, 100};
        libcs_health_model_new(&model);
        libcs_health_model_add_linear(model, "usage", 3, 10, 90);
        libcs_health_model_add_linear(model, "tickets", 2, 80, 5);
        libcs_health_model_add_tiers(model, "seats", 1, 3, breaks, points);
        libcs_health_model_add_yesno(model, "sponsor", 1, 100, 0);
        libcs_health_model_set_missing(model, LIBCS_HEALTH_MISSING_DROP, 0.5);
        libcs_lifecycle_policy_new(&policy);
        int64_t cust[NREC], mrr[NREC];
        int32_t per[NREC];
        size_t k = 0;
        for (int64_t c = 0; k < NREC; c++)
            for (int32_t p = 0; p < NPER && k < NREC; p++)
                if (rng_next(&st) % 4) { /* gaps: churn and reactivation */
                    cust[k] = c * 7919;
                    per[k] = p;
                    mrr[k] = (int64_t)(rng_next(&st) % 5) * 1000;
                    k++;
                }
        libcs_mrr_new(0, NPER, &ledger);
        libcs_mrr_add(ledger, NREC, cust, per, mrr, NULL);
    }
    for (size_t i = 0; i < NB; i++) {
        durations[i] = (int32_t)(rng_next(&st) % 48);
        churn_events[i] = (uint8_t)(rng_next(&st) % 3 != 0);
    }
}

/* ---- one run of every batch function --------------------------------------- */

static const int denominators[3] = {LIBCS_CHURN_DENOM_START,
                                    LIBCS_CHURN_DENOM_START_PLUS_NEW,
                                    LIBCS_CHURN_DENOM_AVERAGE};

#define NCALLS 31
#define NPN 512 /* rows of the Pareto/NBD batches (the costliest) */

struct outputs {
    int rc[NCALLS];
    libcs_nps_tally tally;
    libcs_nps_result from_tally, from_scores, from_counts;
    size_t bad_tally, bad_scores;
    libcs_nps_tally tally_after_bad;
    double ltv[NB];
    double churn[3][NB];
    double nrr[NB];
    double csat, ces_mean, ces_share;
    double health[NB], coverage[NB];
    int bands[NB], tiers_shares[NB], tiers_capacity[NB], stages[NB];
    libcs_touch_summary summary_shares, summary_capacity;
    libcs_mrr_period movements[NPER];
    double km_surv[NB], km_lower[NB], km_rmst;
    double bg_cond[NB], bg_alive[NB], gg_value[NB];
    double pn_cond[NPN], pn_alive[NPN], pn_clv[NPN];
    double bb_cond[NB], bb_alive[NB], bb_dert[NB], sbg_derl[NB];
};

static void run_all(struct outputs *o)
{
    int k = 0;
    memset(o, 0, sizeof *o);

    o->rc[k++] = libcs_nps_tally_init(&o->tally);
    o->rc[k++] = libcs_nps_tally_add_batch(&o->tally, NSCORES, scores, NULL);
    o->rc[k++] = libcs_nps_tally_result(&o->tally, 0.95, &o->from_tally);
    o->rc[k++] =
        libcs_nps_from_scores(NSCORES, scores, 0.9, &o->from_scores, NULL);
    o->rc[k++] = libcs_nps_from_counts(o->from_tally.promoters,
                                       o->from_tally.passives,
                                       o->from_tally.detractors, 0.99,
                                       &o->from_counts);
    /* error paths too */
    o->tally_after_bad = o->tally;
    o->rc[k++] = libcs_nps_tally_add_batch(&o->tally_after_bad, NSCORES,
                                           bad_scores, &o->bad_tally);
    libcs_nps_result unused;
    o->rc[k++] = libcs_nps_from_scores(NSCORES, bad_scores, 0.95, &unused,
                                       &o->bad_scores);

    o->rc[k++] = libcs_ltv_subscription_batch(NB, arpu, margin, churn_rate,
                                              o->ltv, NULL);
    for (int d = 0; d < 3; d++)
        o->rc[k++] = libcs_churn_customer_batch(NB, at_start, new_customers,
                                                churned, denominators[d],
                                                o->churn[d], NULL);
    o->rc[k++] = libcs_revenue_nrr_batch(NB, mrr_start, mrr_churned,
                                         contraction, expansion, reactivation,
                                         o->nrr, NULL);
    o->rc[k++] = libcs_csat(NSCORES, answers, 5, 2, &o->csat, NULL);
    o->rc[k++] = libcs_ces(NSCORES, answers, 5, 4, &o->ces_mean,
                           &o->ces_share, NULL);
    o->rc[k++] = libcs_health_score_batch(model, NB, health_values, o->health,
                                          o->bands, o->coverage, NULL);
    o->rc[k++] = libcs_touch_shares(NB, acv, NULL, 0.05, 0.25,
                                    o->tiers_shares, &o->summary_shares, NULL);
    o->rc[k++] = libcs_touch_capacity(NB, acv, tenure,
                                      7, 13, 400, o->tiers_capacity,
                                      &o->summary_capacity, NULL);
    o->rc[k++] = libcs_lifecycle_stage_batch(policy, NB, tenure, to_renewal,
                                             o->bands, nps_category, o->stages,
                                             NULL);
    size_t needed;
    o->rc[k++] = libcs_mrr_movements(ledger, o->movements, NPER, &needed,
                                     NULL, NULL);
    libcs_km *km = NULL;
    o->rc[k++] = libcs_km_fit_int(NB, durations, churn_events, NULL, 0.95, &km,
                                  NULL);
    o->rc[k++] = km ? libcs_km_curve(km, NB, NULL, NULL, NULL, NULL,
                                     o->km_surv, NULL, o->km_lower, NULL,
                                     &needed)
                    : LIBCS_EINVAL;
    if (km && libcs_km_rmst(km, 24.0, &o->km_rmst) != LIBCS_OK)
        o->km_rmst = -1;
    libcs_km_free(km);
    /* BG/NBD and Gamma-Gamma batches at the published CDNOW parameters,
     * on rows made from the shared arrays */
    static const double bg[4] = {0.243, 4.414, 0.793, 2.426},
                        gg[3] = {6.25, 3.74, 15.44};
    double bx[NB], btx[NB], bT[NB], bm[NB];
    for (size_t i = 0; i < NB; i++) {
        bx[i] = (double)(durations[i] % 7);
        bT[i] = 1.0 + (double)durations[i];
        btx[i] = bx[i] > 0.0 ? bT[i] * 0.5 : 0.0;
        bm[i] = 1.0 + arpu[i];
    }
    o->rc[k++] = libcs_bgnbd_conditional_batch(bg, NB, bx, btx, bT, 39.0,
                                               o->bg_cond, NULL);
    o->rc[k++] = libcs_bgnbd_palive_batch(bg, NB, bx, btx, bT, o->bg_alive,
                                          NULL);
    for (size_t i = 0; i < NB; i++)
        bx[i] += 1.0; /* Gamma-Gamma rows are repeat buyers */
    o->rc[k++] = libcs_gg_expected_batch(gg, NB, bx, bm, o->gg_value, NULL);
    /* Pareto/NBD at the published CDNOW parameters (Fader, Hardie & Lee
     * 2005), on the first NPN of the BG/NBD rows (some with x large enough
     * for the quadrature); BG/BB at the donations' and sBG at Fader &
     * Hardie's (2007) regular segment */
    static const double pn[4] = {0.553, 10.578, 0.606, 11.669},
                        bb[4] = {1.204, 0.750, 0.657, 2.783},
                        sbg[2] = {0.668, 3.806};
    double ren[NB];
    for (size_t i = 0; i < NB; i++) {
        bx[i] -= 1.0;
        ren[i] = 1.0 + (double)(durations[i] % 10);
    }
    o->rc[k++] = libcs_pnbd_conditional_batch(pn, NPN, bx, btx, bT, 39.0,
                                              o->pn_cond, NULL);
    o->rc[k++] = libcs_pnbd_palive_batch(pn, NPN, bx, btx, bT, o->pn_alive,
                                         NULL);
    o->rc[k++] = libcs_pnbd_clv_batch(pn, NPN, bx, btx, bT, bm, 4.0, 13,
                                      0.0073588, o->pn_clv, NULL);
    /* BG/BB rows: x <= t_x <= periods, whole numbers */
    for (size_t i = 0; i < NB; i++) {
        bT[i] = 1.0 + (double)(durations[i] % 12);
        bx[i] = (double)(durations[i] % 5);
        if (bx[i] > bT[i])
            bx[i] = bT[i];
        btx[i] = bx[i] > 0.0 ? bT[i] - (double)(i % 2) : 0.0;
        if (btx[i] < bx[i])
            btx[i] = bx[i];
    }
    o->rc[k++] = libcs_bgbb_conditional_batch(bb, NB, bx, btx, bT, 5.0,
                                              o->bb_cond, NULL);
    o->rc[k++] = libcs_bgbb_palive_batch(bb, NB, bx, btx, bT, o->bb_alive,
                                         NULL);
    o->rc[k++] = libcs_bgbb_dert_batch(bb, NB, bx, btx, bT, 0.1, o->bb_dert,
                                       NULL);
    o->rc[k++] = libcs_sbg_derl_batch(sbg, NB, ren, 0.1, o->sbg_derl, NULL);
}

/* ---- the threads ------------------------------------------------------------- */

static struct outputs reference;
static pthread_barrier_t start_line;

struct worker {
    pthread_t id;
    int mismatches;
    int first_bad_rep;
    struct outputs out;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    w->mismatches = 0;
    w->first_bad_rep = -1;
    pthread_barrier_wait(&start_line);
    for (int rep = 0; rep < REPS; rep++) {
        run_all(&w->out);
        /* every member is 8 bytes wide or an int array: no padding bytes,
         * and memset zeroes them anyway */
        if (memcmp(&w->out, &reference, sizeof reference) != 0) {
            w->mismatches++;
            if (w->first_bad_rep < 0)
                w->first_bad_rep = rep;
        }
    }
    return NULL;
}

/* The single-threaded reference is itself sane. */
START_TEST(test_reference_run)
{
    make_inputs();
    run_all(&reference);
    for (int k = 0; k < NCALLS; k++) {
        int want = k == 5 || k == 6 ? LIBCS_EDOMAIN : LIBCS_OK;
        ck_assert_msg(reference.rc[k] == want, "call %d returned %d (%s)", k,
                      reference.rc[k], libcs_strerror(reference.rc[k]));
    }
    uint64_t total = 0;
    for (int v = 0; v < 11; v++)
        total += reference.tally.counts[v];
    ck_assert_uint_eq(total, NSCORES);
    ck_assert_uint_eq(reference.bad_tally, BAD_AT);
    ck_assert_uint_eq(reference.bad_scores, BAD_AT);
    ck_assert_mem_eq(&reference.tally_after_bad, &reference.tally,
                     sizeof reference.tally);
    ck_assert_uint_eq(reference.from_scores.n, NSCORES);
    ck_assert(reference.from_scores.nps == reference.from_tally.nps);
    ck_assert(reference.from_counts.nps == reference.from_tally.nps);
    /* and deterministic */
    struct outputs *again = malloc(sizeof *again);
    ck_assert_ptr_nonnull(again);
    run_all(again);
    ck_assert(memcmp(again, &reference, sizeof reference) == 0);
    free(again);
}
END_TEST

START_TEST(test_concurrent_batches)
{
    make_inputs();
    run_all(&reference);
    ck_assert_int_eq(reference.rc[1], LIBCS_OK);

    struct worker *w = calloc(NTHREADS, sizeof *w);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(pthread_barrier_init(&start_line, NULL, NTHREADS), 0);
    for (int t = 0; t < NTHREADS; t++)
        ck_assert_int_eq(pthread_create(&w[t].id, NULL, worker_main, &w[t]),
                         0);
    for (int t = 0; t < NTHREADS; t++)
        ck_assert_int_eq(pthread_join(w[t].id, NULL), 0);
    pthread_barrier_destroy(&start_line);

    for (int t = 0; t < NTHREADS; t++) {
        ck_assert_msg(w[t].mismatches == 0,
                      "thread %d: %d of %d repetitions differ from the "
                      "single-threaded run (first: %d)",
                      t, w[t].mismatches, REPS, w[t].first_bad_rep);
        /* piece by piece, for a readable failure */
        const struct outputs *o = &w[t].out;
        ck_assert_mem_eq(o->rc, reference.rc, sizeof o->rc);
        ck_assert_mem_eq(&o->tally, &reference.tally, sizeof o->tally);
        ck_assert_mem_eq(&o->from_tally, &reference.from_tally,
                         sizeof o->from_tally);
        ck_assert_mem_eq(&o->from_scores, &reference.from_scores,
                         sizeof o->from_scores);
        ck_assert_uint_eq(o->bad_tally, reference.bad_tally);
        ck_assert_uint_eq(o->bad_scores, reference.bad_scores);
        ck_assert_mem_eq(o->ltv, reference.ltv, sizeof o->ltv);
        ck_assert_mem_eq(o->churn, reference.churn, sizeof o->churn);
        ck_assert_mem_eq(o->nrr, reference.nrr, sizeof o->nrr);
        ck_assert(o->csat == reference.csat);
        ck_assert(o->ces_mean == reference.ces_mean);
        ck_assert(o->ces_share == reference.ces_share);
        ck_assert_mem_eq(o->health, reference.health, sizeof o->health);
        ck_assert_mem_eq(o->bands, reference.bands, sizeof o->bands);
        ck_assert_mem_eq(o->tiers_shares, reference.tiers_shares,
                         sizeof o->tiers_shares);
        ck_assert_mem_eq(o->tiers_capacity, reference.tiers_capacity,
                         sizeof o->tiers_capacity);
        ck_assert_mem_eq(o->stages, reference.stages, sizeof o->stages);
        ck_assert_mem_eq(o->movements, reference.movements,
                         sizeof o->movements);
        ck_assert_mem_eq(o->km_surv, reference.km_surv, sizeof o->km_surv);
        ck_assert_mem_eq(o->km_lower, reference.km_lower,
                         sizeof o->km_lower);
        ck_assert(o->km_rmst == reference.km_rmst);
        ck_assert_mem_eq(o->bg_cond, reference.bg_cond, sizeof o->bg_cond);
        ck_assert_mem_eq(o->bg_alive, reference.bg_alive,
                         sizeof o->bg_alive);
        ck_assert_mem_eq(o->gg_value, reference.gg_value,
                         sizeof o->gg_value);
        ck_assert_mem_eq(o->pn_cond, reference.pn_cond, sizeof o->pn_cond);
        ck_assert_mem_eq(o->pn_alive, reference.pn_alive,
                         sizeof o->pn_alive);
        ck_assert_mem_eq(o->pn_clv, reference.pn_clv, sizeof o->pn_clv);
        ck_assert_mem_eq(o->bb_cond, reference.bb_cond, sizeof o->bb_cond);
        ck_assert_mem_eq(o->bb_alive, reference.bb_alive,
                         sizeof o->bb_alive);
        ck_assert_mem_eq(o->bb_dert, reference.bb_dert, sizeof o->bb_dert);
        ck_assert_mem_eq(o->sbg_derl, reference.sbg_derl,
                         sizeof o->sbg_derl);
    }
    free(w);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc;

    tc = tcase_create("reference");
    tcase_add_test(tc, test_reference_run);
    suite_add_tcase(s, tc);

    tc = tcase_create("concurrent");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_concurrent_batches);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    int rc = run_suite(threads_suite());
    libcs_health_model_free(model);
    libcs_lifecycle_policy_free(policy);
    libcs_mrr_free(ledger);
    return rc;
}
