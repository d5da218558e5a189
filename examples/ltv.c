/* examples/ltv.c - lifetime value of a small SaaS plan, every way libcs
 * computes it, on built-in data.  Run: ./examples/ltv */
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
    /* A plan at 100.00 a month, 80 % gross margin, 5 % monthly churn,
     * customers acquired for 450.00 and retained for 20.00 each. */
    const double arpu = 100.0, margin = 0.8, churn = 0.05, cac = 450.0;
    double v, lifetime, ltv, horizon;

    check(libcs_ltv_lifetime(churn, &lifetime), "lifetime");
    printf("expected lifetime          %10.2f months (1 / %.2f)\n", lifetime,
           churn);
    check(libcs_ltv_subscription(arpu, margin, churn, &ltv), "subscription");
    printf("subscription LTV           %10.2f (ARPU x margin / churn)\n", ltv);
    check(libcs_ltv_discounted(arpu, margin, 1.0 - churn, 0.01, &v),
          "discounted");
    printf("discounted LTV, 1 %%/month  %10.2f\n", v);
    check(libcs_ltv_discounted_horizon(arpu, margin, 1.0 - churn, 0.01, 36,
                                       &horizon),
          "horizon");
    printf("  of which first 36 months %10.2f\n", horizon);
    check(libcs_ltv_net(arpu, margin, 1.0, lifetime, cac, 20.0, &v), "net");
    printf("LTV net of CAC and costs   %10.2f\n", v);
    check(libcs_ltv_cac_ratio(ltv, cac, &v), "ratio");
    printf("LTV : CAC                  %10.2f\n", v);
    check(libcs_ltv_cac_payback(cac, arpu, margin, &v), "payback");
    printf("CAC payback                %10.2f months\n", v);
    check(libcs_ltv_contract(12000.0, margin, 3.0, &v), "contract");
    printf("3-year contract LTV        %10.2f (12,000 a year)\n", v);

    /* Repeat-purchase shop: the batch form over three customer segments. */
    const double aov[3] = {35.0, 60.0, 120.0}, per_year[3] = {4.0, 2.5, 1.2},
                 years[3] = {3.0, 2.0, 5.0};
    double seg[3];
    size_t bad;
    check(libcs_ltv_repeat_batch(3, aov, per_year, years, seg, &bad),
          "repeat batch");
    for (int i = 0; i < 3; i++)
        printf("segment %d repeat LTV       %10.2f\n", i + 1, seg[i]);

    /* Bad input gets a code, not a NaN: churn 0 would divide by zero. */
    int rc = libcs_ltv_subscription(arpu, margin, 0.0, &v);
    printf("churn 0 -> %s\n", libcs_strerror(rc));
    return rc == LIBCS_EUNDEFINED ? EXIT_SUCCESS : EXIT_FAILURE;
}
