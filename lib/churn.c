/* lib/churn.c - customer churn with an explicit denominator, retention, and
 * conversion of rates between period lengths. */
#include "internal.h"

static int churn_customer(int64_t at_start, int64_t new_customers,
                          int64_t churned, int denominator, double *out)
{
    if (denominator != LIBCS_CHURN_DENOM_START &&
        denominator != LIBCS_CHURN_DENOM_START_PLUS_NEW &&
        denominator != LIBCS_CHURN_DENOM_AVERAGE)
        return LIBCS_EINVAL;
    if (at_start < 0 || new_customers < 0 || churned < 0)
        return LIBCS_EDOMAIN;
    /* non-negative int64 terms: start + new fits in uint64, so no count
     * can overflow */
    uint64_t exposed = (uint64_t)at_start + (uint64_t)new_customers;
    if ((uint64_t)churned > exposed)
        return LIBCS_EDOMAIN; /* lost more customers than there were */
    uint64_t end = exposed - (uint64_t)churned;
    double denom;
    switch (denominator) {
    case LIBCS_CHURN_DENOM_START:
        denom = (double)at_start;
        break;
    case LIBCS_CHURN_DENOM_START_PLUS_NEW:
        denom = (double)exposed;
        break;
    default:
        denom = ((double)at_start + (double)end) / 2.0;
        break;
    }
    if (denom == 0.0)
        return LIBCS_EUNDEFINED;
    *out = (double)churned / denom;
    return LIBCS_OK;
}

static int churn_retention(double churn, double *out)
{
    LIBCS_TRY(libcs_check_fraction(churn));
    *out = 1.0 - churn;
    return LIBCS_OK;
}

static int churn_convert(double churn, double periods, double *out)
{
    if (!isfinite(churn) || !isfinite(periods))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_fraction(churn));
    if (!(periods > 0.0))
        return LIBCS_EDOMAIN;
    /* 1 - (1 - c)^k without losing small rates to cancellation */
    *out = churn == 1.0 ? 1.0 : -expm1(periods * log1p(-churn));
    return LIBCS_OK;
}

LIBCS_API int libcs_churn_customer(int64_t at_start, int64_t new_customers,
                                   int64_t churned, int denominator,
                                   double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_customer(at_start, new_customers, churned, denominator, out);
}

LIBCS_API int libcs_churn_customer_batch(size_t n, const int64_t *at_start,
                                         const int64_t *new_customers,
                                         const int64_t *churned,
                                         int denominator, double *out,
                                         size_t *bad_index)
{
    if (!at_start || !new_customers || !churned || !out ||
        (denominator != LIBCS_CHURN_DENOM_START &&
         denominator != LIBCS_CHURN_DENOM_START_PLUS_NEW &&
         denominator != LIBCS_CHURN_DENOM_AVERAGE))
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    churn_customer(at_start[i], new_customers[i], churned[i], denominator, dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_churn_retention(double churn, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_retention(churn, out);
}

LIBCS_API int libcs_churn_retention_batch(size_t n, const double *churn,
                                          double *out, size_t *bad_index)
{
    if (!churn || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) churn_retention(churn[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_churn_convert(double churn, double periods, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_convert(churn, periods, out);
}

LIBCS_API int libcs_churn_convert_batch(size_t n, const double *churn,
                                        const double *periods, double *out,
                                        size_t *bad_index)
{
    if (!churn || !periods || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) churn_convert(churn[i], periods[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}
