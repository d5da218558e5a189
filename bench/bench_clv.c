/* bench/bench_clv.c - BG/NBD fits on CDNOW (2,357 customers; target under
 * 5 ms) and on 1 million simulated customers (target under 1 s), and
 * conditional predictions and P(alive) for 10 million customers (target over
 * 1e7 customers/s; customers acquired on any of 1,095 days, simulated at the
 * CDNOW fit), each as items per second and, for the predictions, as a
 * ratio to a memory-read pass over the same input; the Pareto/NBD fits on
 * the same data (target under 5 s for 1e6) and its predictions and P(alive)
 * for 10 million customers simulated from Pareto/NBD at its CDNOW fit (the
 * same acquisition days and target).  `make bench` runs it. */
#include <libcs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define REPS 3

static void die(int rc, const char *what)
{
    fprintf(stderr, "%s: %s\n", what, libcs_strerror(rc));
    exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
    const char *data = getenv("LIBCS_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/cdnow_customers_summary.csv",
             data ? data : "../shared/data");
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: not found (set LIBCS_DATA)\n", path);
        return EXIT_FAILURE;
    }
    static double cx[4000], ctx[4000], cT[4000];
    size_t cn = 0;
    char line[256];
    if (!fgets(line, sizeof line, f))
        die(LIBCS_EFORMAT, "cdnow header");
    while (cn < 4000 && fgets(line, sizeof line, f)) {
        long id;
        if (sscanf(line, "%ld,%lf,%lf,%lf", &id, &cx[cn], &ctx[cn], &cT[cn]) == 4)
            cn++;
    }
    fclose(f);
    printf("libcs %s benchmarks\n", libcs_version_string());
    libcs_clv_fit fit;
    int rc = LIBCS_OK;
    double t;
    BENCH_BEST(REPS * 3, t, rc = libcs_bgnbd_fit(cn, cx, ctx, cT, NULL, NULL,
                                                 &fit));
    if (rc != LIBCS_OK)
        die(rc, "cdnow fit");
    printf("%-34s %8.2f ms (r %.3f, alpha %.3f, a %.3f, b %.3f, LL %.1f; "
           "target < 5 ms: %s)\n",
           "BG/NBD fit, CDNOW", 1e3 * t, fit.params[0], fit.params[1],
           fit.params[2], fit.params[3], fit.loglik, t < 0.005 ? "met" : "MISSED");

    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000u;
    double *x = malloc(n * sizeof *x), *tx = malloc(n * sizeof *tx),
           *T = malloc(n * sizeof *T);
    if (!x || !tx || !T)
        die(LIBCS_ENOMEM, "arrays");
    uint64_t seed = 42;
    for (size_t i = 0; i < n; i++)
        T[i] = 20.0 + 32.0 * (double)(bench_rand(&seed) >> 11) * 0x1.0p-53;
    const double truth[4] = {0.25, 4.0, 0.8, 2.5};
    if ((rc = libcs_bgnbd_simulate(truth, n, T, 7, x, tx)) != LIBCS_OK)
        die(rc, "simulate");
    BENCH_BEST(REPS, t, rc = libcs_bgnbd_fit(n, x, tx, T, NULL, NULL, &fit));
    if (rc != LIBCS_OK)
        die(rc, "fit 1e6");
    printf("%-34s %8.1f ms (r %.3f, alpha %.3f, a %.3f, b %.3f; target < 1 s: "
           "%s)\n",
           "BG/NBD fit, 1e6 simulated", 1e3 * t, fit.params[0], fit.params[1],
           fit.params[2], fit.params[3], t < 1.0 ? "met" : "MISSED");

    /* Pareto/NBD: the published CDNOW fit, then 1e6 customers simulated at
     * those parameters (target < 5 s) */
    BENCH_BEST(REPS, t, rc = libcs_pnbd_fit(cn, cx, ctx, cT, NULL, NULL,
                                            &fit));
    if (rc != LIBCS_OK)
        die(rc, "cdnow pnbd fit");
    printf("%-34s %8.2f ms (r %.3f, alpha %.3f, s %.3f, beta %.3f, LL %.2f)"
           "\n",
           "Pareto/NBD fit, CDNOW", 1e3 * t, fit.params[0], fit.params[1],
           fit.params[2], fit.params[3], fit.loglik);
    const double pn_truth[4] = {0.553, 10.578, 0.606, 11.669};
    if ((rc = libcs_pnbd_simulate(pn_truth, n, T, 7, x, tx)) != LIBCS_OK)
        die(rc, "simulate");
    BENCH_BEST(1, t, rc = libcs_pnbd_fit(n, x, tx, T, NULL, NULL, &fit));
    if (rc != LIBCS_OK)
        die(rc, "pnbd fit 1e6");
    printf("%-34s %8.1f ms (r %.3f, alpha %.3f, s %.3f, beta %.3f; target < "
           "5 s: %s)\n",
           "Pareto/NBD fit, 1e6 simulated", 1e3 * t, fit.params[0],
           fit.params[1], fit.params[2], fit.params[3],
           t < 5.0 ? "met" : "MISSED");
    free(x), free(tx), free(T);
    /* the predictions are made at the CDNOW fit (r .5533, alpha 10.578, s
     * .6062, beta 11.668), from which their customers are simulated */
    double pn_params[4];
    if ((rc = libcs_pnbd_fit(cn, cx, ctx, cT, NULL, NULL, &fit)) != LIBCS_OK)
        die(rc, "cdnow pnbd fit");
    memcpy(pn_params, fit.params, sizeof pn_params);
    if ((rc = libcs_bgnbd_fit(cn, cx, ctx, cT, NULL, NULL, &fit)) != LIBCS_OK)
        die(rc, "cdnow fit");

    size_t m = 10 * n;
    x = malloc(m * sizeof *x), tx = malloc(m * sizeof *tx),
    T = malloc(m * sizeof *T);
    double *out = malloc(m * sizeof *out);
    if (!x || !tx || !T || !out)
        die(LIBCS_ENOMEM, "prediction arrays");
    /* a customer base as a business has it: acquired on any day of three
     * years (T in weeks, whole days), simulated at the CDNOW fit */
    for (size_t i = 0; i < m; i++)
        T[i] = (double)(1 + (bench_rand(&seed) >> 11) % 1095) / 7.0;
    if ((rc = libcs_bgnbd_simulate(fit.params, m, T, 11, x, tx)) != LIBCS_OK)
        die(rc, "simulate 1e7");
    double t_read;
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(x, m * sizeof *x);
        bench_read_pass(tx, m * sizeof *tx);
        bench_read_pass(T, m * sizeof *T);
    });
    BENCH_BEST(REPS, t, rc = libcs_bgnbd_conditional_batch(
                            fit.params, m, x, tx, T, 39.0, out, NULL));
    if (rc != LIBCS_OK)
        die(rc, "conditional");
    printf("%-34s %10.3g customers/s %7.1f ms  %5.2f of the read pass "
           "(target > 1e7/s: %s)\n",
           "E[Y(39)|x,t_x,T], 1e7 customers", (double)m / t, 1e3 * t,
           t_read / t, (double)m / t > 1e7 ? "met" : "MISSED");
    BENCH_BEST(REPS, t, rc = libcs_bgnbd_palive_batch(fit.params, m, x, tx, T,
                                                      out, NULL));
    if (rc != LIBCS_OK)
        die(rc, "palive");
    printf("%-34s %10.3g customers/s %7.1f ms  %5.2f of the read pass "
           "(target > 1e7/s: %s)\n",
           "P(alive), 1e7 customers", (double)m / t, 1e3 * t, t_read / t,
           (double)m / t > 1e7 ? "met" : "MISSED");
    /* Pareto/NBD: the same customer base (acquisition days), simulated
     * from Pareto/NBD */
    if ((rc = libcs_pnbd_simulate(pn_params, m, T, 13, x, tx)) != LIBCS_OK)
        die(rc, "pnbd simulate 1e7");
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(x, m * sizeof *x);
        bench_read_pass(tx, m * sizeof *tx);
        bench_read_pass(T, m * sizeof *T);
    });
    BENCH_BEST(REPS, t, rc = libcs_pnbd_conditional_batch(
                            pn_params, m, x, tx, T, 39.0, out, NULL));
    if (rc != LIBCS_OK)
        die(rc, "pnbd conditional");
    printf("%-34s %10.3g customers/s %7.1f ms  %5.2f of the read pass "
           "(target > 1e7/s: %s)\n",
           "Pareto/NBD E[Y(39)|...], 1e7", (double)m / t, 1e3 * t,
           t_read / t, (double)m / t > 1e7 ? "met" : "MISSED");
    BENCH_BEST(REPS, t, rc = libcs_pnbd_palive_batch(pn_params, m, x, tx, T,
                                                     out, NULL));
    if (rc != LIBCS_OK)
        die(rc, "pnbd palive");
    printf("%-34s %10.3g customers/s %7.1f ms  %5.2f of the read pass "
           "(target > 1e7/s: %s)\n",
           "Pareto/NBD P(alive), 1e7", (double)m / t, 1e3 * t, t_read / t,
           (double)m / t > 1e7 ? "met" : "MISSED");
    free(x), free(tx), free(T), free(out);
    return EXIT_SUCCESS;
}
