/* bench/bench_nps.c - throughput of the batch APIs: NPS tallying of 100
 * million scores (target >= 1e9 scores/s and >= 0.25 of a memory-read pass
 * over the same bytes), and the LTV and churn batch forms and the churn
 * tally over 10 million customers.  `make bench` runs it; figures are best of 5 in one process. */
#include <libcs.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define REPS 5

static void die(int rc, const char *what)
{
    fprintf(stderr, "%s: %s\n", what, libcs_strerror(rc));
    exit(EXIT_FAILURE);
}

static void report(const char *what, size_t items, size_t bytes, double t,
                   double t_read)
{
    printf("%-34s %12.3g items/s  %8.2f ms  %5.2f of the read pass "
           "(%.1f GB/s read)\n",
           what, (double)items / t, 1e3 * t, t_read / t,
           (double)bytes / t_read / 1e9);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000000u;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    uint8_t *scores = malloc(n);
    if (!scores)
        die(LIBCS_ENOMEM, "scores");
    for (size_t i = 0; i < n; i++)
        scores[i] = (uint8_t)(bench_rand(&seed) % 11);

    double t_read, t;
    libcs_nps_tally tally;
    int rc = LIBCS_OK;
    printf("libcs %s benchmarks\n", libcs_version_string());

    BENCH_BEST(REPS, t_read, bench_read_pass(scores, n));
    BENCH_BEST(REPS, t, {
        libcs_nps_tally_init(&tally);
        rc = libcs_nps_tally_add_batch(&tally, n, scores, NULL);
    });
    if (rc != LIBCS_OK)
        die(rc, "nps");
    report("NPS tally (uint8 scores)", n, n, t, t_read);
    double rate = (double)n / t, ratio = t_read / t;
    printf("  target >= 1e9 scores/s: %s; >= 0.25 of the read pass: %s\n",
           rate >= 1e9 ? "met" : "MISSED", ratio >= 0.25 ? "met" : "MISSED");
    free(scores);

    /* LTV and churn batches over m customers: 3 input arrays of doubles or
     * int64 each, reported against reading those arrays. */
    size_t m = n / 10;
    double *a = malloc(m * sizeof *a), *b = malloc(m * sizeof *b),
           *c = malloc(m * sizeof *c), *out = malloc(m * sizeof *out);
    int64_t *s0 = malloc(m * sizeof *s0), *s1 = malloc(m * sizeof *s1),
            *s2 = malloc(m * sizeof *s2);
    if (!a || !b || !c || !out || !s0 || !s1 || !s2)
        die(LIBCS_ENOMEM, "arrays");
    for (size_t i = 0; i < m; i++) {
        a[i] = 10.0 + (double)(bench_rand(&seed) % 10000) / 10.0;
        b[i] = 0.5 + (double)(bench_rand(&seed) % 500) / 1000.0;
        c[i] = 0.005 + (double)(bench_rand(&seed) % 100) / 1000.0;
        s0[i] = (int64_t)(bench_rand(&seed) % 100000) + 1;
        s1[i] = (int64_t)(bench_rand(&seed) % 1000);
        s2[i] = (int64_t)(bench_rand(&seed) % (uint64_t)s0[i]);
    }
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(a, m * sizeof *a);
        bench_read_pass(b, m * sizeof *b);
        bench_read_pass(c, m * sizeof *c);
    });
    BENCH_BEST(REPS, t,
               rc = libcs_ltv_subscription_batch(m, a, b, c, out, NULL));
    if (rc != LIBCS_OK)
        die(rc, "ltv");
    report("LTV subscription batch", m, 3 * m * sizeof(double), t, t_read);
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(s0, m * sizeof *s0);
        bench_read_pass(s1, m * sizeof *s1);
        bench_read_pass(s2, m * sizeof *s2);
    });
    BENCH_BEST(REPS, t,
               rc = libcs_churn_customer_batch(m, s0, s1, s2,
                                               LIBCS_CHURN_DENOM_AVERAGE, out,
                                               NULL));
    if (rc != LIBCS_OK)
        die(rc, "churn");
    report("customer churn batch", m, 3 * m * sizeof(int64_t), t, t_read);
    free(a), free(b), free(c), free(out), free(s0), free(s1), free(s2);

    /* the churn tally over m customers' 0/1 flags (3 bytes a customer):
     * 80 % active at the start, 10 % new, a sixth of them lost */
    uint8_t *fs = malloc(m), *fn = malloc(m), *fc = malloc(m);
    if (!fs || !fn || !fc)
        die(LIBCS_ENOMEM, "flags");
    for (size_t i = 0; i < m; i++) {
        uint64_t k = bench_rand(&seed) % 10;
        fs[i] = k < 8;
        fn[i] = k == 8;
        fc[i] = (fs[i] || fn[i]) && bench_rand(&seed) % 6 == 0;
    }
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(fs, m);
        bench_read_pass(fn, m);
        bench_read_pass(fc, m);
    });
    libcs_churn_tally ct;
    BENCH_BEST(REPS, t, {
        libcs_churn_tally_init(&ct);
        rc = libcs_churn_tally_add_batch(&ct, m, fs, fn, fc, NULL);
    });
    if (rc != LIBCS_OK)
        die(rc, "churn tally");
    report("churn tally (uint8 flags)", m, 3 * m, t, t_read);
    free(fs), free(fn), free(fc);
    return EXIT_SUCCESS;
}
