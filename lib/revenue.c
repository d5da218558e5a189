/* lib/revenue.c - revenue churn, net and gross revenue retention and the
 * quick ratio from MRR movement totals in int64_t minor units.  Sums are
 * formed exactly in integers (overflow is an error); only the final ratio is
 * a double. */
#include "internal.h"

/* MRR at start, and the churned + contraction it lost, checked: all
 * non-negative and the loss no larger than the start. */
static int lost_mrr(int64_t start, int64_t churned, int64_t contraction,
                    int64_t *lost)
{
    if (start < 0 || churned < 0 || contraction < 0)
        return LIBCS_EDOMAIN;
    if (__builtin_add_overflow(churned, contraction, lost))
        return LIBCS_EOVERFLOW;
    return *lost > start ? LIBCS_EDOMAIN : LIBCS_OK;
}

/* expansion + reactivation, checked */
static int gained_mrr(int64_t expansion, int64_t reactivation, int64_t *gained)
{
    if (expansion < 0 || reactivation < 0)
        return LIBCS_EDOMAIN;
    return __builtin_add_overflow(expansion, reactivation, gained)
               ? LIBCS_EOVERFLOW
               : LIBCS_OK;
}

static int ratio_of(int64_t num, int64_t den, double *out)
{
    if (den == 0)
        return LIBCS_EUNDEFINED;
    *out = (double)num / (double)den;
    return LIBCS_OK;
}

static int churn_gross(int64_t start, int64_t churned, int64_t contraction,
                       double *out)
{
    int64_t lost;
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    return ratio_of(lost, start, out);
}

static int churn_net(int64_t start, int64_t churned, int64_t contraction,
                     int64_t expansion, int64_t reactivation, double *out)
{
    int64_t lost, gained, num;
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    LIBCS_TRY(gained_mrr(expansion, reactivation, &gained));
    num = lost - gained; /* both non-negative: cannot overflow */
    return ratio_of(num, start, out);
}

static int churn_simple(int64_t price, int64_t cancellations, int64_t total,
                        double *out)
{
    int64_t lost;
    if (price < 0 || cancellations < 0 || total < 0)
        return LIBCS_EDOMAIN;
    if (__builtin_mul_overflow(price, cancellations, &lost))
        return LIBCS_EOVERFLOW;
    return ratio_of(lost, total, out);
}

static int nrr(int64_t start, int64_t churned, int64_t contraction,
               int64_t expansion, int64_t reactivation, double *out)
{
    int64_t lost, gained, kept;
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    LIBCS_TRY(gained_mrr(expansion, reactivation, &gained));
    if (__builtin_add_overflow(start - lost, gained, &kept))
        return LIBCS_EOVERFLOW;
    return ratio_of(kept, start, out);
}

static int grr(int64_t start, int64_t churned, int64_t contraction,
               double *out)
{
    int64_t lost;
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    return ratio_of(start - lost, start, out);
}

static int quick_ratio(int64_t new_mrr, int64_t expansion,
                       int64_t reactivation, int64_t churned,
                       int64_t contraction, double *out)
{
    int64_t gained, total_gain, lost;
    if (new_mrr < 0 || churned < 0 || contraction < 0)
        return LIBCS_EDOMAIN;
    LIBCS_TRY(gained_mrr(expansion, reactivation, &gained));
    if (__builtin_add_overflow(new_mrr, gained, &total_gain) ||
        __builtin_add_overflow(churned, contraction, &lost))
        return LIBCS_EOVERFLOW;
    return ratio_of(total_gain, lost, out);
}

LIBCS_API int libcs_revenue_churn_gross(int64_t mrr_start, int64_t churned,
                                        int64_t contraction, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_gross(mrr_start, churned, contraction, out);
}

LIBCS_API int libcs_revenue_churn_gross_batch(size_t n,
                                              const int64_t *mrr_start,
                                              const int64_t *churned,
                                              const int64_t *contraction,
                                              double *out, size_t *bad_index)
{
    if (!mrr_start || !churned || !contraction || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) churn_gross(mrr_start[i], churned[i], contraction[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_revenue_churn_net(int64_t mrr_start, int64_t churned,
                                      int64_t contraction, int64_t expansion,
                                      int64_t reactivation, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_net(mrr_start, churned, contraction, expansion, reactivation,
                     out);
}

LIBCS_API int libcs_revenue_churn_net_batch(
    size_t n, const int64_t *mrr_start, const int64_t *churned,
    const int64_t *contraction, const int64_t *expansion,
    const int64_t *reactivation, double *out, size_t *bad_index)
{
    if (!mrr_start || !churned || !contraction || !expansion ||
        !reactivation || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    churn_net(mrr_start[i], churned[i], contraction[i], expansion[i],          \
              reactivation[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_revenue_churn_simple(int64_t price, int64_t cancellations,
                                         int64_t total_revenue, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_simple(price, cancellations, total_revenue, out);
}

LIBCS_API int libcs_revenue_churn_simple_batch(size_t n, const int64_t *price,
                                               const int64_t *cancellations,
                                               const int64_t *total_revenue,
                                               double *out, size_t *bad_index)
{
    if (!price || !cancellations || !total_revenue || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    churn_simple(price[i], cancellations[i], total_revenue[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_revenue_nrr(int64_t mrr_start, int64_t churned,
                                int64_t contraction, int64_t expansion,
                                int64_t reactivation, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return nrr(mrr_start, churned, contraction, expansion, reactivation, out);
}

LIBCS_API int libcs_revenue_nrr_batch(size_t n, const int64_t *mrr_start,
                                      const int64_t *churned,
                                      const int64_t *contraction,
                                      const int64_t *expansion,
                                      const int64_t *reactivation, double *out,
                                      size_t *bad_index)
{
    if (!mrr_start || !churned || !contraction || !expansion ||
        !reactivation || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    nrr(mrr_start[i], churned[i], contraction[i], expansion[i],                \
        reactivation[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_revenue_grr(int64_t mrr_start, int64_t churned,
                                int64_t contraction, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return grr(mrr_start, churned, contraction, out);
}

LIBCS_API int libcs_revenue_grr_batch(size_t n, const int64_t *mrr_start,
                                      const int64_t *churned,
                                      const int64_t *contraction, double *out,
                                      size_t *bad_index)
{
    if (!mrr_start || !churned || !contraction || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) grr(mrr_start[i], churned[i], contraction[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_revenue_quick_ratio(int64_t new_mrr, int64_t expansion,
                                        int64_t reactivation, int64_t churned,
                                        int64_t contraction, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return quick_ratio(new_mrr, expansion, reactivation, churned, contraction,
                       out);
}

LIBCS_API int libcs_revenue_quick_ratio_batch(
    size_t n, const int64_t *new_mrr, const int64_t *expansion,
    const int64_t *reactivation, const int64_t *churned,
    const int64_t *contraction, double *out, size_t *bad_index)
{
    if (!new_mrr || !expansion || !reactivation || !churned || !contraction ||
        !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    quick_ratio(new_mrr[i], expansion[i], reactivation[i], churned[i],         \
                contraction[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}
