/* examples/health.c - score customer health with a Gainsight-style scorecard,
 * explain one score, report band changes since last week and place each
 * customer in a lifecycle stage, on built-in data.  Run: ./examples/health */
#include <libcs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(int rc, const char *what)
{
    if (rc != LIBCS_OK) {
        fprintf(stderr, "%s: %s\n", what, libcs_strerror(rc));
        exit(EXIT_FAILURE);
    }
}

/* The scorecard, in libcs's text form (libcs_health_model_format(3)). */
static const char scorecard[] =
    "libcs-health 1\n"
    "# minimum coverage: half of the weight must be measured\n"
    "missing drop 0.5\n"
    "measure \"Weekly active users %\" 35 linear 10 60\n"
    "measure \"Open P1 tickets\" 20 tiers 100 1 60 3 0\n"
    "measure \"Days since last login\" 25 linear 30 2\n"
    "measure \"Executive sponsor\" 10 yesno 100 0\n"
    "measure \"NPS answer\" 10 tiers 0 7 60 9 100\n";

static const char *band_name[] = {"unknown", "red", "yellow", "green"};
static const char *stage_name[] = {"adoption", "onboarding", "renewal",
                                   "at risk",  "expansion",  "advocate"};

int main(void)
{
    libcs_health_model *model;
    size_t line, col, k;
    if (libcs_health_model_parse(scorecard, strlen(scorecard), &model, &line,
                                 &col) != LIBCS_OK) {
        fprintf(stderr, "scorecard: error at line %zu, column %zu\n", line,
                col);
        return EXIT_FAILURE;
    }
    check(libcs_health_model_measures(model, &k), "measures");

    enum { N = 5 };
    const char *customer[N] = {"Acme", "Globex", "Initech", "Umbrella",
                               "Hooli"};
    /* one row per customer; NaN = not measured */
    const double values[N * 5] = {
        55, 0, 1, 1, 10,   /* Acme */
        30, 2, 9, 1, 8,    /* Globex */
        12, 4, 25, 0, 3,   /* Initech */
        NAN, NAN, NAN, 1, NAN, /* Umbrella: too little measured */
        48, 1, 4, 0, NAN,  /* Hooli: no NPS answer */
    };
    const double last_week[N] = {88.0, 70.0, 52.0, 40.0, 77.0};
    double scores[N], coverage[N], deltas[N];
    int bands[N], events[N];
    size_t changed;

    check(libcs_health_score_batch(model, N, values, scores, bands, coverage,
                                   NULL),
          "score");
    check(libcs_health_changes(model, N, last_week, scores, deltas, events,
                               &changed, NULL),
          "changes");
    printf("%-9s %6s  %-7s %8s  %s\n", "customer", "score", "band",
           "coverage", "since last week");
    for (int i = 0; i < N; i++) {
        printf("%-9s ", customer[i]);
        if (bands[i] == LIBCS_HEALTH_UNKNOWN)
            printf("%6s  ", "-");
        else
            printf("%6.1f  ", scores[i]);
        printf("%-7s %7.0f%%  ", band_name[bands[i]], 100 * coverage[i]);
        if (events[i] & LIBCS_HEALTH_ENTERED_RED)
            printf("ENTERED RED ");
        if (events[i] & LIBCS_HEALTH_LEFT_RED)
            printf("left red ");
        if (events[i] & LIBCS_HEALTH_BECAME_UNKNOWN)
            printf("no longer measurable ");
        if (!isnan(deltas[i]))
            printf("(%+.1f)", deltas[i]);
        printf("\n");
    }
    printf("%zu customers changed band\n\n", changed);

    /* What drives Initech's score? */
    double points[5], contrib[5], score;
    int band;
    check(libcs_health_explain(model, values + 2 * 5, points, contrib, &score,
                               &band),
          "explain");
    printf("Initech %.1f (%s):\n", score, band_name[band]);
    for (size_t j = 0; j < k; j++) {
        char name[64];
        double share;
        check(libcs_health_model_measure_name(model, j, name, sizeof name,
                                              NULL),
              "name");
        check(libcs_health_model_weight(model, j, &share), "weight");
        printf("  %-24s weight %3.0f%%  points %5.1f  contributes %5.1f\n",
               name, 100 * share, points[j], contrib[j]);
    }

    /* Lifecycle stages with the default windows (90/90/365 days). */
    libcs_lifecycle_policy *policy;
    const double tenure[N] = {700, 400, 200, 30, 500};
    const double to_renewal[N] = {200, 60, 300, 335, 150};
    int nps[N], stages[N];
    for (int i = 0; i < N; i++) {
        double a = values[i * 5 + 4];
        if (isnan(a))
            nps[i] = LIBCS_NPS_NO_ANSWER;
        else
            check(libcs_nps_category((int)a, &nps[i]), "nps");
    }
    check(libcs_lifecycle_policy_new(&policy), "policy");
    check(libcs_lifecycle_stage_batch(policy, N, tenure, to_renewal, bands,
                                      nps, stages, NULL),
          "stages");
    printf("\nlifecycle:");
    for (int i = 0; i < N; i++)
        printf(" %s=%s", customer[i], stage_name[stages[i]]);
    printf("\n");
    libcs_lifecycle_policy_free(policy);
    libcs_health_model_free(model);
    return EXIT_SUCCESS;
}
