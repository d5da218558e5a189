/* examples/touch.c - split a customer base into high-, low- and tech-touch
 * service three ways (ACV thresholds, shares, CSM capacity) on built-in
 * synthetic data.  Run: ./examples/touch */
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

static void show(const char *policy, const libcs_touch_summary *s)
{
    static const char *tier[3] = {"tech", "low", "high"};
    printf("%s\n", policy);
    for (int t = 2; t >= 0; t--)
        printf("  %-4s touch: %5llu customers (%5.1f%%), ACV %12.0f "
               "(%5.1f%% of value)\n",
               tier[t], (unsigned long long)s->customers[t],
               100 * s->customer_share[t], s->value[t],
               100 * s->value_share[t]);
}

int main(void)
{
    enum { N = 2000 };
    static double acv[N], risk_weighted[N];
    static int tiers[N];
    libcs_touch_summary s;
    uint64_t state = 42;

    /* a Pareto ACV distribution (alpha 1.3, from 2,000): most accounts
     * small, a few large */
    for (int i = 0; i < N; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = ((double)(state >> 11) + 1.0) / 9007199254740993.0;
        acv[i] = 2000.0 * pow(u, -1.0 / 1.3);
        double risk = 0.2 + 0.8 * (double)((state >> 7) % 100) / 100.0;
        risk_weighted[i] = acv[i] * risk;
    }
    check(libcs_touch_thresholds(N, acv, 50000, 10000, tiers, &s, NULL),
          "thresholds");
    show("ACV >= 50,000 high, >= 10,000 low:", &s);
    check(libcs_touch_shares(N, acv, NULL, 0.04, 0.16, tiers, &s, NULL),
          "shares");
    show("top 4 % high, next 16 % low:", &s);
    /* 3 CSMs with 25 accounts each, a pooled team for 300 more, filled by
     * ACV x risk so that large accounts at risk come first */
    check(libcs_touch_capacity(N, acv, risk_weighted, 3, 25, 300, tiers, &s,
                               NULL),
          "capacity");
    show("3 CSMs x 25 accounts high, 300 pooled low, by ACV x risk:", &s);
    return EXIT_SUCCESS;
}
