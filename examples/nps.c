/* examples/nps.c - NPS of a survey answered in two regions, tallied
 * separately, merged, serialized and reported with confidence intervals; plus
 * CSAT and CES.  Run: ./examples/nps */
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
    const uint8_t emea[] = {10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 5, 10, 9};
    const uint8_t amer[] = {9, 10, 7, 7, 8, 2, 10, 9, 6, 9, 10, 8};
    libcs_nps_tally a, b, c;
    libcs_nps_result r;
    uint8_t bytes[LIBCS_NPS_TALLY_SERIALIZED_SIZE];
    size_t needed;

    check(libcs_nps_tally_init(&a), "init");
    check(libcs_nps_tally_init(&b), "init");
    check(libcs_nps_tally_add_batch(&a, sizeof emea, emea, NULL), "emea");
    check(libcs_nps_tally_add_batch(&b, sizeof amer, amer, NULL), "amer");

    /* Ship region B's tally as bytes (as a worker would) and merge it. */
    check(libcs_nps_tally_serialize(&b, bytes, sizeof bytes, &needed), "ser");
    check(libcs_nps_tally_deserialize(&c, bytes, needed), "deser");
    check(libcs_nps_tally_merge(&a, &c), "merge");

    check(libcs_nps_tally_result(&a, 0.95, &r), "result");
    printf("%llu answers: %llu promoters, %llu passives, %llu detractors\n",
           (unsigned long long)r.n, (unsigned long long)r.promoters,
           (unsigned long long)r.passives, (unsigned long long)r.detractors);
    printf("NPS %.1f (se %.1f)\n", r.nps, r.se);
    printf("95%% Wald interval          %6.1f to %5.1f\n", r.wald_low,
           r.wald_high);
    printf("95%% adjusted Wald interval %6.1f to %5.1f\n", r.adjusted_low,
           r.adjusted_high);

    /* The reference check: 1000 answers, 250 promoters, 75 detractors. */
    check(libcs_nps_from_counts(250, 675, 75, 0.95, &r), "counts");
    printf("1000/250/75: NPS %.1f, 95%% interval %.1f to %.1f\n", r.nps,
           r.wald_low, r.wald_high);

    const uint8_t csat[] = {5, 4, 4, 3, 5, 2, 4, 5, 1, 4};
    const uint8_t ces[] = {6, 7, 5, 4, 6, 3, 7, 5};
    double share, mean;
    check(libcs_csat(sizeof csat, csat, 5, 2, &share, NULL), "csat");
    printf("CSAT (top 2 of 5) %.0f%%\n", 100 * share);
    check(libcs_ces(sizeof ces, ces, 7, 5, &mean, &share, NULL), "ces");
    printf("CES mean %.2f of 7, %.0f%% at 5 or more\n", mean, 100 * share);

    /* A score off the scale is reported with its position. */
    const uint8_t typo[] = {9, 10, 11, 7};
    size_t bad = 0;
    int rc = libcs_nps_from_scores(sizeof typo, typo, 0.95, &r, &bad);
    printf("scores {9, 10, 11, 7}: %s at index %zu\n", libcs_strerror(rc),
           bad);
    return rc == LIBCS_EDOMAIN && bad == 2 ? EXIT_SUCCESS : EXIT_FAILURE;
}
