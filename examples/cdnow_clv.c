/* examples/cdnow_clv.c - fit the BG/NBD and Gamma-Gamma models to the CDNOW
 * sample (Fader, Hardie & Lee 2005) and rank its customers by their
 * discounted value over the next year.  Reads
 * $LIBCS_DATA/cdnow_customers_summary_with_transactions.csv (default
 * ../shared/data).  Run: ./examples/cdnow_clv */
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

#define MAXN 4000

int main(void)
{
    static double x[MAXN], t_x[MAXN], T[MAXN], m[MAXN], value[MAXN],
        clv[MAXN], rx[MAXN], rm[MAXN];
    static long id[MAXN];
    const char *dir = getenv("LIBCS_DATA");
    char path[4096], line[256];
    snprintf(path, sizeof path, "%s/cdnow_customers_summary_with_transactions.csv",
             dir ? dir : "../shared/data");
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open (set LIBCS_DATA to the data folder)\n",
                path);
        return EXIT_FAILURE;
    }
    size_t n = 0, nr = 0;
    if (!fgets(line, sizeof line, f)) /* ID,x,t_x,T,zbar */
        return EXIT_FAILURE;
    while (n < MAXN && fgets(line, sizeof line, f))
        if (sscanf(line, "%ld,%lf,%lf,%lf,%lf", &id[n], &x[n], &t_x[n], &T[n],
                   &m[n]) == 5)
            n++;
    fclose(f);

    libcs_clv_fit bg, gg;
    check(libcs_bgnbd_fit(n, x, t_x, T, NULL, NULL, &bg), "BG/NBD fit");
    printf("BG/NBD on %zu customers (weeks): r %.3f, alpha %.3f, a %.3f, "
           "b %.3f, LL %.1f\n",
           n, bg.params[0], bg.params[1], bg.params[2], bg.params[3],
           bg.loglik);
    for (size_t i = 0; i < n; i++) /* Gamma-Gamma: the repeat buyers */
        if (x[i] > 0) {
            rx[nr] = x[i];
            rm[nr] = m[i];
            nr++;
        }
    check(libcs_gg_fit(nr, rx, rm, NULL, NULL, &gg), "Gamma-Gamma fit");
    printf("Gamma-Gamma on %zu repeat buyers: p %.2f, q %.2f, gamma %.2f\n",
           nr, gg.params[0], gg.params[1], gg.params[2]);

    /* value of a purchase: Gamma-Gamma's expectation, which for a
     * customer without repeat purchases (x = 0, zbar 0) is the population
     * mean p gamma / (q - 1) */
    check(libcs_gg_expected_batch(gg.params, n, x, m, value, NULL), "value");
    /* a year ahead in 13 four-week steps, 10 % a year: 1.1^(4/52) - 1 */
    check(libcs_bgnbd_clv_batch(bg.params, n, x, t_x, T, value, 4.0, 13,
                                0.0073588, clv, NULL),
          "CLV");
    printf("\n    id   x    t_x      T  P(alive)  value     CLV\n");
    for (int rank = 0; rank < 10; rank++) { /* the ten most valuable */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (clv[i] > clv[best])
                best = i;
        double alive;
        check(libcs_bgnbd_palive(bg.params, x[best], t_x[best], T[best],
                                 &alive),
              "P(alive)");
        printf("%6ld %3.0f %6.2f %6.2f %9.3f %6.2f %7.2f\n", id[best], x[best],
               t_x[best], T[best], alive, value[best], clv[best]);
        clv[best] = -1.0;
    }
    return EXIT_SUCCESS;
}
