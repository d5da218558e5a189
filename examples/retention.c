/* examples/retention.c - a Kaplan-Meier retention curve of subscription
 * lifetimes in months, its median and restricted mean, an LTV from the curve,
 * and the time to first value of new accounts, on built-in data.
 * Run: ./examples/retention */
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

int main(void)
{
    /* months subscribed; churned = 1, still active = 0 (censored) */
    static const int32_t months[] = {1, 2, 2, 3, 3, 3, 5, 6, 6, 8,
                                     9, 11, 12, 12, 14, 15, 18, 20, 24, 24};
    static const uint8_t churned[] = {1, 1, 0, 1, 1, 0, 1, 1, 0, 1,
                                      0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
    const size_t n = sizeof months / sizeof months[0];
    libcs_km *km;
    double t[32], risk[32], events[32], surv[32], lo[32], hi[32];
    size_t m;

    check(libcs_km_fit_int(n, months, churned, NULL, 0.95, &km, NULL), "fit");
    check(libcs_km_curve(km, 32, t, risk, events, NULL, surv, NULL, lo, hi,
                         &m),
          "curve");
    printf("month  at risk  churned  retained  95%% interval\n");
    for (size_t i = 0; i < m; i++)
        if (events[i] > 0)
            printf("%5.0f  %7.0f  %7.0f  %7.1f%%  %5.1f%% - %5.1f%%\n", t[i],
                   risk[i], events[i], 100 * surv[i], 100 * lo[i],
                   100 * hi[i]);

    double median, rmst, ltv;
    int rc = libcs_km_median(km, &median);
    if (rc == LIBCS_OK)
        printf("median lifetime: %.1f months\n", median);
    else /* never below 50 %: report it, don't invent a number */
        printf("median lifetime: not reached (%s)\n", libcs_strerror(rc));
    check(libcs_km_rmst(km, 24.0, &rmst), "rmst");
    check(libcs_km_ltv(km, 80.0, 24.0, &ltv), "ltv");
    printf("mean months retained in the first 24: %.2f\n", rmst);
    printf("24-month LTV at 80.00 margin a month: %.2f\n", ltv);
    libcs_km_free(km);

    /* time to value: days to the first report shared; accounts that have
     * not shared one yet are censored at their age */
    static const double days[] = {3, 5, 5, 7, 8, 12, 14, 14, 20, 30, 30, 45};
    static const uint8_t reached[] = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0};
    double q;
    check(libcs_km_fit(sizeof days / sizeof days[0], days, reached, NULL, 0.95,
                       &km, NULL),
          "ttv");
    printf("\ntime to value:");
    const double p[3] = {0.25, 0.5, 0.75};
    for (int i = 0; i < 3; i++) {
        rc = libcs_km_quantile(km, p[i], &q);
        if (rc == LIBCS_OK)
            printf(" %.0f%% by day %.1f;", 100 * p[i], q);
        else
            printf(" %.0f%% not reached;", 100 * p[i]);
    }
    printf("\n");
    libcs_km_free(km);
    return EXIT_SUCCESS;
}
