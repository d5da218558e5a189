/* examples/mrr.c - MRR movements, per-period rates and revenue cohorts from a
 * billing system's monthly MRR records, on built-in data.
 * Run: ./examples/mrr */
#include <libcs.h>
#include <stdio.h>
#include <stdlib.h>

static void check(int rc, const char *what)
{
    if (rc != LIBCS_OK) {
        fprintf(stderr, "%s: %s\n", what, libcs_strerror(rc));
        exit(EXIT_FAILURE);
    }
}

#define MONTHS 6

int main(void)
{
    /* (customer, month 0..5, MRR in cents), in no particular order, as a
     * billing export would give them; absent months are 0 */
    static const int64_t customer[] = {
        101, 101, 101, 101, 101, 101, /* steady, upgrades in month 3 */
        102, 102, 102,                /* churns after month 2 */
        103, 103, 103, 103, 103,      /* joins in month 1, downgrades */
        104, 104, 104,                /* leaves for a month, comes back */
        105, 105,                     /* joins in month 4 */
    };
    static const int32_t month[] = {
        0, 1, 2, 3, 4, 5,
        0, 1, 2,
        1, 2, 3, 4, 5,
        0, 1, 3,
        4, 5,
    };
    static const int64_t mrr[] = {
        9900, 9900, 9900, 14900, 14900, 14900,
        4900, 4900, 4900,
        29900, 29900, 19900, 19900, 19900,
        9900, 9900, 12900,
        4900, 4900,
    };
    const size_t n = sizeof customer / sizeof customer[0];
    libcs_mrr *ledger;
    libcs_mrr_period rows[MONTHS];
    libcs_mrr_rates rates[MONTHS];
    size_t needed;
    int64_t dup_customer;
    int32_t dup_month;

    check(libcs_mrr_new(0, MONTHS, &ledger), "ledger");
    /* records may arrive in chunks: add them in two */
    check(libcs_mrr_add(ledger, 9, customer, month, mrr, NULL), "add");
    check(libcs_mrr_add(ledger, n - 9, customer + 9, month + 9, mrr + 9, NULL),
          "add");
    check(libcs_mrr_movements(ledger, rows, MONTHS, &needed, &dup_customer,
                              &dup_month),
          "movements");
    check(libcs_mrr_rates_batch(MONTHS, rows, LIBCS_CHURN_DENOM_START, rates),
          "rates");

    printf("month    start      new   expans.  contr.  churned  react.      "
           "end  cust  NRR\n");
    for (int m = 0; m < MONTHS; m++) {
        const libcs_mrr_period *r = &rows[m];
        printf("%5d %8.2f %8.2f %8.2f %7.2f %8.2f %7.2f %8.2f %5lld", r->period,
               r->mrr_start / 100.0, r->new_mrr / 100.0, r->expansion / 100.0,
               r->contraction / 100.0, r->churned / 100.0,
               r->reactivation / 100.0, r->mrr_end / 100.0,
               (long long)r->customers_end);
        if (rates[m].status[LIBCS_RATE_NRR] == LIBCS_OK)
            printf(" %5.1f%%\n", 100 * rates[m].rate[LIBCS_RATE_NRR]);
        else
            printf("     -\n"); /* no MRR at start: undefined */
    }

    /* revenue retained by cohort (first paying month) */
    int64_t revenue[MONTHS * MONTHS];
    double share[MONTHS * MONTHS];
    check(libcs_mrr_cohorts(ledger, MONTHS * MONTHS, NULL, revenue, NULL,
                            share, &needed, NULL, NULL),
          "cohorts");
    printf("\nrevenue retained by cohort (%% of the first month):\n");
    for (int c = 0; c < MONTHS; c++) {
        if (revenue[c * MONTHS] <= 0)
            continue; /* nobody started that month */
        printf("cohort %d:", c);
        for (int o = 0; o + c < MONTHS; o++)
            printf(" %6.1f", 100 * share[c * MONTHS + o]);
        printf("\n");
    }
    libcs_mrr_free(ledger);
    return EXIT_SUCCESS;
}
