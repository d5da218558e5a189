/* bench/bench_mrr.c - MRR movements over 10 million (customer, period)
 * records in three orders (by customer, by period, shuffled; target: under
 * 1 s on one core for each) and Kaplan-Meier over 10 million
 * integer durations (a counting pass: linear), each as items per second and
 * as a ratio to a memory-read pass over the same input in the same run.
 * `make bench` runs it; figures are best of 3. */
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
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000u;
    const int32_t periods = 36;
    uint64_t seed = 0x13198a2e03707344ULL;
    int rc = LIBCS_OK;
    double t, t_read;

    /* customers with random start, random lifetime, occasional gaps and
     * price changes, generated customer after customer */
    int64_t *cust = malloc(n * sizeof *cust), *mrr = malloc(n * sizeof *mrr);
    int32_t *per = malloc(n * sizeof *per);
    if (!cust || !per || !mrr)
        die(LIBCS_ENOMEM, "records");
    size_t i = 0;
    for (int64_t c = 0; i < n; c++) {
        int32_t start = (int32_t)(bench_rand(&seed) % (uint64_t)periods);
        int32_t life = 1 + (int32_t)(bench_rand(&seed) % (uint64_t)periods);
        int64_t price = 1000 * (int64_t)(1 + bench_rand(&seed) % 50);
        int64_t id = (int64_t)(bench_rand(&seed) >> 16); /* sparse ids */
        (void)c;
        for (int32_t p = start; p < periods && p < start + life && i < n; p++) {
            uint64_t r = bench_rand(&seed) % 100;
            if (r < 3)
                continue; /* a gap */
            if (r < 8)
                price += 1000 * (int64_t)(r % 3) - 1000; /* up or down */
            if (price < 0)
                price = 0;
            cust[i] = id;
            per[i] = p;
            mrr[i] = price;
            i++;
        }
    }
    printf("libcs %s benchmarks\n", libcs_version_string());
    libcs_mrr *ledger = NULL;
    libcs_mrr_period rows[36];
    size_t needed;
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(cust, n * sizeof *cust);
        bench_read_pass(per, n * sizeof *per);
        bench_read_pass(mrr, n * sizeof *mrr);
    });
    int64_t *c2 = malloc(n * sizeof *c2), *m2 = malloc(n * sizeof *m2);
    int32_t *p2 = malloc(n * sizeof *p2);
    if (!c2 || !p2 || !m2)
        die(LIBCS_ENOMEM, "records");
    /* the same records in three orders: grouped by customer, by period (as
     * a billing system exports month after month; stable), and shuffled */
    for (int order = 0; order < 3; order++) {
        static const char *const names[] = {"by customer", "by period",
                                            "shuffled"};
        if (order == 0) {
            memcpy(c2, cust, n * sizeof *c2);
            memcpy(p2, per, n * sizeof *p2);
            memcpy(m2, mrr, n * sizeof *m2);
        } else if (order == 1) {
            size_t at[37] = {0};
            for (size_t j = 0; j < n; j++)
                at[per[j] + 1]++;
            for (int q = 0; q < periods; q++)
                at[q + 1] += at[q];
            for (size_t j = 0; j < n; j++) {
                size_t k = at[per[j]]++;
                c2[k] = cust[j], p2[k] = per[j], m2[k] = mrr[j];
            }
        } else {
            for (size_t j = n; j > 1; j--) {
                size_t k = (size_t)(bench_rand(&seed) % j);
                int64_t tc = c2[j - 1], tm = m2[j - 1];
                int32_t tp = p2[j - 1];
                c2[j - 1] = c2[k], p2[j - 1] = p2[k], m2[j - 1] = m2[k];
                c2[k] = tc, p2[k] = tp, m2[k] = tm;
            }
        }
        double t_add;
        BENCH_BEST(REPS, t_add, {
            libcs_mrr_free(ledger);
            libcs_mrr_new(0, periods, &ledger);
            rc = libcs_mrr_add(ledger, n, c2, p2, m2, NULL);
        });
        if (rc != LIBCS_OK)
            die(rc, "add");
        BENCH_BEST(REPS, t, rc = libcs_mrr_movements(ledger, rows, 36,
                                                     &needed, NULL, NULL));
        if (rc != LIBCS_OK)
            die(rc, "movements");
        char label[64];
        snprintf(label, sizeof label, "MRR movements, 1e7, %s", names[order]);
        printf("%-32s %10.3g records/s %8.1f ms  %5.2f of the read pass  "
               "(add %.1f ms; target < 1 s: %s)\n",
               label, (double)n / t, 1e3 * t, t_read / t, 1e3 * t_add,
               t + t_add < 1.0 ? "met" : "MISSED");
    }
    free(c2), free(p2), free(m2);
    libcs_mrr_free(ledger);
    free(cust), free(per), free(mrr);

    /* Kaplan-Meier over n integer durations in months, 30 % censored */
    int32_t *dur = malloc(n * sizeof *dur);
    uint8_t *ev = malloc(n);
    if (!dur || !ev)
        die(LIBCS_ENOMEM, "durations");
    for (size_t j = 0; j < n; j++) {
        dur[j] = (int32_t)(bench_rand(&seed) % 120);
        ev[j] = bench_rand(&seed) % 10 >= 3;
    }
    libcs_km *km = NULL;
    BENCH_BEST(REPS, t_read, {
        bench_read_pass(dur, n * sizeof *dur);
        bench_read_pass(ev, n);
    });
    BENCH_BEST(REPS, t, {
        libcs_km_free(km);
        km = NULL;
        rc = libcs_km_fit_int(n, dur, ev, NULL, 0.95, &km, NULL);
    });
    if (rc != LIBCS_OK)
        die(rc, "km");
    double med;
    rc = libcs_km_median(km, &med);
    printf("%-32s %10.3g durations/s %6.1f ms  %5.2f of the read pass  "
           "(median %s)\n",
           "Kaplan-Meier, 1e7 int durations", (double)n / t, 1e3 * t,
           t_read / t, rc == LIBCS_OK ? "found" : "not reached");
    libcs_km_free(km);
    free(dur), free(ev);
    return EXIT_SUCCESS;
}
