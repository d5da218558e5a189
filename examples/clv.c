/* examples/clv.c - probabilistic customer lifetime value on built-in data: a
 * shop's transaction log summarised into repeat purchases (x, t_x, T) and
 * mean values, BG/NBD and Gamma-Gamma models fitted to customers simulated
 * from known parameters, and a few customers ranked by their discounted CLV
 * over the next year.  examples/python/clv.py and examples/ruby/clv.rb print
 * the same.  Run: ./examples/clv */
#include <libcs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void check(int rc, const char *what)
{
    if (rc != LIBCS_OK) {
        fprintf(stderr, "%s: %s\n", what, libcs_strerror(rc));
        exit(EXIT_FAILURE);
    }
}

#define NSIM 5000
#define NSPEND 2000

int main(void)
{
    /* a shop's log: customer, day (0 = 1 January), dollars; in no order */
    static const int64_t customer[12] = {101, 102, 101, 104, 103, 101,
                                         106, 102, 102, 103, 101, 103};
    static const double day[12] = {0, 3, 0, 35, 7, 14, 7, 24, 10, 40, 30, 41};
    static const double amount[12] = {20.00, 15.00, 5.00, 50.00, 40.00, 30.00,
                                      22.50, 20.00, 10.00, 25.00, 12.00, 5.00};
    int64_t id[12];
    double x[12], t_x[12], T[12], mean[12], hx[12], hv[12];
    double ux[12], ut_x[12], uT[12], uw[12];
    size_t n, nu;

    /* days, in weeks; calibration days 0..27, holdout days 28..55 */
    check(libcs_clv_summarize(12, customer, day, amount, 1, 7, 27, 55, 12, id,
                              x, t_x, T, mean, hx, hv, &n, NULL),
          "summarize");
    printf("customer  x  t_x      T     mean  holdout  value\n");
    for (size_t i = 0; i < n; i++)
        printf("%8lld %2.0f %4.2f %6.4f %8.2f %8.0f %6.2f\n", (long long)id[i],
               x[i], t_x[i], T[i], mean[i], hx[i], hv[i]);
    check(libcs_clv_compress(n, x, t_x, T, NULL, 12, ux, ut_x, uT, uw, &nu,
                             NULL),
          "compress");
    for (size_t i = 0; i < nu; i++)
        printf("(%.0f, %.2f, %.4f) x %.0f\n", ux[i], ut_x[i], uT[i], uw[i]);

    /* 5,000 customers drawn from the BG/NBD estimates of Fader, Hardie & Lee
     * (2005) on CDNOW, observed for 26 to 39 weeks, and fitted again */
    static const double truth[4] = {0.243, 4.414, 0.793, 2.426};
    static const char *bg_name[4] = {"r", "alpha", "a", "b"};
    static double sT[NSIM], sx[NSIM], st_x[NSIM];
    double repeat = 0;
    libcs_clv_fit bg, gg;
    for (size_t i = 0; i < NSIM; i++)
        sT[i] = 26 + (double)(i % 14);
    check(libcs_bgnbd_simulate(truth, NSIM, sT, 2026, sx, st_x), "simulate");
    for (size_t i = 0; i < NSIM; i++)
        repeat += sx[i];
    check(libcs_bgnbd_fit(NSIM, sx, st_x, sT, NULL, NULL, &bg), "BG/NBD fit");
    printf("\nBG/NBD on %d simulated customers (%.0f repeat purchases):\n",
           NSIM, repeat);
    for (int k = 0; k < 4; k++)
        printf("  %-5s = %6.3f (se %.3f; true %.3f)\n", bg_name[k],
               bg.params[k], bg.se[k], truth[k]);
    printf("  log-likelihood %.2f, %d iterations\n", bg.loglik,
           (int)bg.iterations);

    /* their spend: 2,000 repeat buyers, Gamma-Gamma with p = 6, q = 4,
     * gamma = 15 (the example of libcs_gg_fit(3)) */
    static const double gg_truth[3] = {6, 4, 15};
    static double gx[NSPEND], gm[NSPEND];
    for (size_t i = 0; i < NSPEND; i++)
        gx[i] = 1 + (double)(i % 4);
    check(libcs_gg_simulate(gg_truth, NSPEND, gx, 2026, gm), "simulate");
    check(libcs_gg_fit(NSPEND, gx, gm, NULL, NULL, &gg), "Gamma-Gamma fit");
    printf("Gamma-Gamma: p = %.2f (%.2f), q = %.2f (%.2f), gamma = %.2f "
           "(%.2f)\n",
           gg.params[0], gg.se[0], gg.params[1], gg.se[1], gg.params[2],
           gg.se[2]);
    /* the expected value without repeat transactions (x = 0) is the
     * population mean p gamma / (q - 1) */
    double population_mean;
    check(libcs_gg_expected(gg.params, 0, 0.0, &population_mean), "mean");
    printf("  mean transaction value $%.2f\n", population_mean);

    /* a year ahead in 13 four-week steps, at 10 % a year */
    static const char *who[5] = {"loyal", "lapsed", "new", "one-off",
                                 "steady"};
    static const double px[5] = {12, 12, 0, 1, 5}, pt_x[5] = {37.5, 10, 0, 3, 30},
                        pT[5] = {39, 39, 2, 39, 39},
                        pmean[5] = {45.0, 60.0, 0, 20.0, 30.0};
    double value[5], alive[5], clv[5];
    /* x = 0 ("new"): the population mean, the mean value ignored */
    check(libcs_gg_expected_batch(gg.params, 5, px, pmean, value, NULL),
          "value");
    check(libcs_bgnbd_palive_batch(bg.params, 5, px, pt_x, pT, alive, NULL),
          "P(alive)");
    check(libcs_bgnbd_clv_batch(bg.params, 5, px, pt_x, pT, value, 4, 13,
                                pow(1.1, 4.0 / 52) - 1, clv, NULL),
          "CLV");
    printf("\ncustomer  x   t_x   T  P(alive)  value   CLV\n");
    for (int rank = 0; rank < 5; rank++) { /* by CLV, highest first */
        int best = -1;
        for (int i = 0; i < 5; i++)
            if (clv[i] >= 0 && (best < 0 || clv[i] > clv[best]))
                best = i;
        printf("%-8s %2.0f %5.1f %3.0f %8.3f %6.2f %6.2f\n", who[best],
               px[best], pt_x[best], pT[best], alive[best], value[best],
               clv[best]);
        clv[best] = -1;
    }

    static const double q_below_one[3] = {2, 0.9, 10};
    double v;
    int rc = libcs_gg_expected(q_below_one, 1, 10.0, &v);
    printf("\nq = 0.9: %s\n", libcs_strerror(rc));
    return rc == LIBCS_EUNDEFINED ? EXIT_SUCCESS : EXIT_FAILURE;
}
