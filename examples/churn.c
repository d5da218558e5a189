/* examples/churn.c - a quarter of customer and revenue churn for a SaaS
 * business, on built-in data.  Run: ./examples/churn */
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
    /* Customers at the start of July, August, September; new; churned. */
    const int64_t start[3] = {100, 98, 103}, added[3] = {8, 12, 6},
                  lost[3] = {10, 7, 5};
    const char *month[3] = {"Jul", "Aug", "Sep"};
    const char *name[3] = {"start", "start+new", "average"};
    double rate[3][3];

    for (int d = 0; d < 3; d++)
        check(libcs_churn_customer_batch(3, start, added, lost, d, rate[d],
                                         NULL),
              "customer churn");
    printf("customer churn by denominator\n      %10s %10s %10s\n", name[0],
           name[1], name[2]);
    for (int m = 0; m < 3; m++)
        printf("%s   %9.2f%% %9.2f%% %9.2f%%\n", month[m], 100 * rate[0][m],
               100 * rate[1][m], 100 * rate[2][m]);

    double annual, monthly;
    check(libcs_churn_convert(rate[0][0], 12.0, &annual), "convert");
    check(libcs_churn_convert(annual, 1.0 / 12.0, &monthly), "convert back");
    printf("July's %.2f%% a month is %.2f%% a year (and back: %.2f%%)\n",
           100 * rate[0][0], 100 * annual, 100 * monthly);

    /* July again, counted where the customers are: EMEA's 60 customers
     * active on 1 July (every tenth lost) and 5 won, from per-customer
     * flags; the Americas' 40 at the start, 3 new and 4 lost arrive as a
     * serialized tally and are merged. */
    uint8_t active[65], is_new[65], gone[65];
    for (int i = 0; i < 65; i++) {
        active[i] = i < 60;
        is_new[i] = i >= 60;
        gone[i] = i < 60 && i % 10 == 0;
    }
    libcs_churn_tally emea, amer, received;
    uint8_t bytes[LIBCS_CHURN_TALLY_SERIALIZED_SIZE];
    size_t used;
    double july;
    check(libcs_churn_tally_init(&emea), "tally");
    check(libcs_churn_tally_add_batch(&emea, 65, active, is_new, gone, NULL),
          "count");
    check(libcs_churn_tally_init(&amer), "tally");
    check(libcs_churn_tally_add(&amer, 40, 3, 4), "add");
    check(libcs_churn_tally_serialize(&amer, bytes, sizeof bytes, &used),
          "serialize");
    check(libcs_churn_tally_init(&received), "tally");
    check(libcs_churn_tally_deserialize(&received, bytes, used), "read");
    check(libcs_churn_tally_merge(&emea, &received), "merge");
    check(libcs_churn_tally_result(&emea, LIBCS_CHURN_DENOM_START, &july),
          "rate");
    printf("July from two regions' tallies (%zu bytes each): %lld at start, "
           "%lld new, %lld lost, %.2f%%\n",
           used, (long long)emea.at_start, (long long)emea.new_customers,
           (long long)emea.churned, 100 * july);

    /* MRR movements for July in cents. */
    const int64_t mrr0 = 1000000, new_mrr = 80000, expansion = 45000,
                  reactivation = 5000, contraction = 15000, churned = 40000;
    double gross, net, nrr, grr, quick;
    check(libcs_revenue_churn_gross(mrr0, churned, contraction, &gross), "g");
    check(libcs_revenue_churn_net(mrr0, churned, contraction, expansion,
                                  reactivation, &net),
          "n");
    check(libcs_revenue_nrr(mrr0, churned, contraction, expansion,
                            reactivation, &nrr),
          "nrr");
    check(libcs_revenue_grr(mrr0, churned, contraction, &grr), "grr");
    check(libcs_revenue_quick_ratio(new_mrr, expansion, reactivation, churned,
                                    contraction, &quick),
          "quick");
    printf("July MRR 10,000.00: gross revenue churn %.2f%%, net %.2f%%\n",
           100 * gross, 100 * net);
    printf("NRR %.2f%%, GRR %.2f%%, quick ratio %.2f\n", 100 * nrr,
           100 * grr, quick);
    return EXIT_SUCCESS;
}
