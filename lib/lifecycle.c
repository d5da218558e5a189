/* lib/lifecycle.c - lifecycle stages (onboarding, adoption, renewal window,
 * expansion-ready, at risk, advocate) from tenure, days to renewal, health
 * band and NPS category, with configurable windows and rule order. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define N_RULES 5

struct libcs_lifecycle_policy {
    double onboarding_days, renewal_days, advocate_days;
    int order[N_RULES];
};

LIBCS_API int libcs_lifecycle_policy_new(libcs_lifecycle_policy **out)
{
    static const int default_order[N_RULES] = {
        LIBCS_STAGE_ONBOARDING, LIBCS_STAGE_AT_RISK, LIBCS_STAGE_RENEWAL,
        LIBCS_STAGE_ADVOCATE, LIBCS_STAGE_EXPANSION};
    if (!out)
        return LIBCS_EINVAL;
    libcs_lifecycle_policy *p = malloc(sizeof *p);
    if (!p)
        return LIBCS_ENOMEM;
    p->onboarding_days = 90.0;
    p->renewal_days = 90.0;
    p->advocate_days = 365.0;
    memcpy(p->order, default_order, sizeof p->order);
    *out = p;
    return LIBCS_OK;
}

LIBCS_API void libcs_lifecycle_policy_free(libcs_lifecycle_policy *policy)
{
    free(policy);
}

LIBCS_API int libcs_lifecycle_policy_set_windows(
    libcs_lifecycle_policy *policy, double onboarding_days,
    double renewal_days, double advocate_days)
{
    if (!policy)
        return LIBCS_EINVAL;
    if (!isfinite(onboarding_days) || !isfinite(renewal_days) ||
        !isfinite(advocate_days))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(onboarding_days));
    LIBCS_TRY(libcs_check_nonneg(renewal_days));
    LIBCS_TRY(libcs_check_nonneg(advocate_days));
    policy->onboarding_days = onboarding_days;
    policy->renewal_days = renewal_days;
    policy->advocate_days = advocate_days;
    return LIBCS_OK;
}

LIBCS_API int libcs_lifecycle_policy_set_order(libcs_lifecycle_policy *policy,
                                               size_t n, const int *order)
{
    int seen[N_RULES + 1] = {0};
    if (!policy || !order)
        return LIBCS_EINVAL;
    if (n != N_RULES)
        return LIBCS_EDOMAIN;
    for (size_t i = 0; i < n; i++) {
        if (order[i] < LIBCS_STAGE_ONBOARDING ||
            order[i] > LIBCS_STAGE_ADVOCATE || seen[order[i]]++)
            return LIBCS_EDOMAIN;
    }
    memcpy(policy->order, order, sizeof policy->order);
    return LIBCS_OK;
}

static int check_customer(double since, double to_renewal, int band, int nps)
{
    if (!isfinite(since) || !isfinite(to_renewal))
        return LIBCS_ENONFINITE;
    if (since < 0.0 || to_renewal < 0.0 || band < LIBCS_HEALTH_UNKNOWN ||
        band > LIBCS_HEALTH_GREEN || nps < LIBCS_NPS_DETRACTOR ||
        nps > LIBCS_NPS_NO_ANSWER)
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

static int stage_of(const libcs_lifecycle_policy *p, double since,
                    double to_renewal, int band, int nps)
{
    const int fan = band == LIBCS_HEALTH_GREEN && nps == LIBCS_NPS_PROMOTER;
    for (int i = 0; i < N_RULES; i++) {
        int hit;
        switch (p->order[i]) {
        case LIBCS_STAGE_ONBOARDING:
            hit = since < p->onboarding_days;
            break;
        case LIBCS_STAGE_RENEWAL:
            hit = to_renewal <= p->renewal_days;
            break;
        case LIBCS_STAGE_AT_RISK:
            hit = band == LIBCS_HEALTH_RED;
            break;
        case LIBCS_STAGE_EXPANSION:
            hit = fan && since >= p->onboarding_days;
            break;
        default: /* LIBCS_STAGE_ADVOCATE */
            hit = fan && since >= p->advocate_days;
            break;
        }
        if (hit)
            return p->order[i];
    }
    return LIBCS_STAGE_ADOPTION;
}

LIBCS_API int libcs_lifecycle_stage(const libcs_lifecycle_policy *policy,
                                    double days_since_start,
                                    double days_to_renewal, int band,
                                    int nps_category, int *stage)
{
    if (!policy || !stage)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_customer(days_since_start, days_to_renewal, band,
                             nps_category));
    *stage = stage_of(policy, days_since_start, days_to_renewal, band,
                      nps_category);
    return LIBCS_OK;
}

LIBCS_API int libcs_lifecycle_stage_batch(
    const libcs_lifecycle_policy *policy, size_t n,
    const double *days_since_start, const double *days_to_renewal,
    const int *bands, const int *nps_categories, int *stages,
    size_t *bad_index)
{
    if (!policy || !days_since_start || !days_to_renewal || !bands ||
        !nps_categories || !stages)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    for (size_t i = 0; i < n; i++) {
        int rc = check_customer(days_since_start[i], days_to_renewal[i],
                                bands[i], nps_categories[i]);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    for (size_t i = 0; i < n; i++)
        stages[i] = stage_of(policy, days_since_start[i], days_to_renewal[i],
                             bands[i], nps_categories[i]);
    return LIBCS_OK;
}
