/* bench/bench_health.c - health scoring of 1 million customers x 10 measures
 * (target >= 1e8 measure values/s) and touch segmentation of 10 million
 * customers by shares and by capacity (target < 0.2 s each), reported as
 * items per second and as a ratio to a memory-read pass over the same input
 * in the same run.  `make bench` runs it; figures are best of 5. */
#include <libcs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define REPS 5

static void die(int rc, const char *what)
{
    fprintf(stderr, "%s: %s\n", what, libcs_strerror(rc));
    exit(EXIT_FAILURE);
}

static double uniform(uint64_t *s)
{
    return (double)(bench_rand(s) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000u;
    size_t m = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000u;
    const size_t k = 10;
    uint64_t seed = 0x243f6a8885a308d3ULL;
    int rc;
    double t, t_read;

    /* a 10-measure scorecard mixing the three rules */
    libcs_health_model *model;
    if ((rc = libcs_health_model_new(&model)) != LIBCS_OK)
        die(rc, "model");
    const double breaks[3] = {1, 3, 6}, points[4] = {100, 70, 40, 0};
    for (size_t j = 0; j < k; j++) {
        char name[16];
        snprintf(name, sizeof name, "m%zu", j);
        rc = j % 3 == 0   ? libcs_health_model_add_linear(model, name, 1 + j,
                                                          0, 100)
             : j % 3 == 1 ? libcs_health_model_add_tiers(model, name, 1 + j,
                                                         4, breaks, points)
                          : libcs_health_model_add_yesno(model, name, 1 + j,
                                                         100, 0);
        if (rc != LIBCS_OK)
            die(rc, "measure");
    }
    libcs_health_model_set_missing(model, LIBCS_HEALTH_MISSING_DROP, 0.5);
    double *values = malloc(n * k * sizeof *values);
    double *scores = malloc(n * sizeof *scores), *cov = malloc(n * sizeof *cov);
    int *bands = malloc(n * sizeof *bands);
    if (!values || !scores || !cov || !bands)
        die(LIBCS_ENOMEM, "health arrays");
    for (size_t i = 0; i < n * k; i++) {
        size_t j = i % k;
        double u = uniform(&seed);
        values[i] = u < 0.05              ? NAN /* 5 % missing */
                    : j % 3 == 0 ? 100 * uniform(&seed)
                    : j % 3 == 1 ? floor(8 * uniform(&seed))
                                 : (double)(uniform(&seed) < 0.5);
    }
    printf("libcs %s benchmarks\n", libcs_version_string());
    BENCH_BEST(REPS, t_read, bench_read_pass(values, n * k * sizeof *values));
    BENCH_BEST(REPS, t, rc = libcs_health_score_batch(model, n, values, scores,
                                                      bands, cov, NULL));
    if (rc != LIBCS_OK)
        die(rc, "score");
    printf("%-30s %10.3g values/s %8.2f ms  %5.2f of the read pass  "
           "(target >= 1e8 values/s: %s)\n",
           "health score 1e6 x 10", (double)(n * k) / t, 1e3 * t, t_read / t,
           (double)(n * k) / t >= 1e8 ? "met" : "MISSED");
    free(values), free(scores), free(cov), free(bands);
    libcs_health_model_free(model);

    /* segmentation: Pareto-distributed ACV, priority = ACV x risk */
    double *acv = malloc(m * sizeof *acv), *prio = malloc(m * sizeof *prio);
    int *tiers = malloc(m * sizeof *tiers);
    if (!acv || !prio || !tiers)
        die(LIBCS_ENOMEM, "touch arrays");
    for (size_t i = 0; i < m; i++) {
        acv[i] = floor(2000.0 * pow(1.0 - uniform(&seed), -1.0 / 1.3));
        prio[i] = acv[i] * (0.2 + 0.8 * uniform(&seed));
    }
    libcs_touch_summary s;
    BENCH_BEST(REPS, t_read, bench_read_pass(acv, m * sizeof *acv));
    BENCH_BEST(REPS, t, rc = libcs_touch_shares(m, acv, NULL, 0.04, 0.16,
                                                tiers, &s, NULL));
    if (rc != LIBCS_OK)
        die(rc, "shares");
    printf("%-30s %10.3g customers/s %6.1f ms  %5.2f of the read pass  "
           "(target < 200 ms: %s)\n",
           "touch by shares 1e7", (double)m / t, 1e3 * t, t_read / t,
           t < 0.2 ? "met" : "MISSED");
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(acv, m * sizeof *acv);
        bench_read_pass(prio, m * sizeof *prio);
    });
    BENCH_BEST(REPS, t, rc = libcs_touch_capacity(m, acv, prio, 40, 50, 200000,
                                                  tiers, &s, NULL));
    if (rc != LIBCS_OK)
        die(rc, "capacity");
    printf("%-30s %10.3g customers/s %6.1f ms  %5.2f of the read pass  "
           "(target < 200 ms: %s)\n",
           "touch by capacity 1e7", (double)m / t, 1e3 * t, t_read / t,
           t < 0.2 ? "met" : "MISSED");
    free(acv), free(prio), free(tiers);
    return EXIT_SUCCESS;
}
