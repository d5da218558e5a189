/* lib/revenue.c - revenue churn, net and gross revenue retention and the
 * quick ratio from MRR movement totals in int64_t minor units.  Sums are
 * formed exactly in unsigned 64-bit integers (overflow is an error); only
 * the final ratio is a double. */
#include "internal.h"

/* Checks in the library's order: negative amounts (LIBCS_EDOMAIN), a loss
 * larger than the MRR at start (LIBCS_EDOMAIN), a zero denominator
 * (LIBCS_EUNDEFINED), and only then integer overflow (LIBCS_EOVERFLOW).
 * Sums of non-negative int64 values are formed in uint64, where two of them
 * cannot overflow. */
static int nonneg(int64_t a, int64_t b, int64_t c)
{
    return a >= 0 && b >= 0 && c >= 0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

/* churned + contraction, no larger than the MRR at start, which is > 0 */
static int lost_mrr(int64_t start, int64_t churned, int64_t contraction,
                    uint64_t *lost)
{
    *lost = (uint64_t)churned + (uint64_t)contraction;
    if (*lost > (uint64_t)start)
        return LIBCS_EDOMAIN;
    return start == 0 ? LIBCS_EUNDEFINED : LIBCS_OK;
}

/* a - b as a double, for uint64 a and b, with one rounding */
static double difference(uint64_t a, uint64_t b)
{
    return a >= b ? (double)(a - b) : -(double)(b - a);
}

static int churn_gross(int64_t start, int64_t churned, int64_t contraction,
                       double *out)
{
    uint64_t lost;
    LIBCS_TRY(nonneg(start, churned, contraction));
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    *out = (double)lost / (double)start;
    return LIBCS_OK;
}

static int churn_net(int64_t start, int64_t churned, int64_t contraction,
                     int64_t expansion, int64_t reactivation, double *out)
{
    uint64_t lost;
    LIBCS_TRY(nonneg(start, churned, contraction));
    LIBCS_TRY(nonneg(expansion, reactivation, 0));
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    uint64_t gained = (uint64_t)expansion + (uint64_t)reactivation;
    *out = difference(lost, gained) / (double)start;
    return LIBCS_OK;
}

static int churn_simple(int64_t price, int64_t cancellations, int64_t total,
                        double *out)
{
    uint64_t lost;
    LIBCS_TRY(nonneg(price, cancellations, total));
    if (total == 0)
        return LIBCS_EUNDEFINED;
    if (__builtin_mul_overflow((uint64_t)price, (uint64_t)cancellations,
                               &lost))
        return LIBCS_EOVERFLOW;
    *out = (double)lost / (double)total;
    return LIBCS_OK;
}

static int nrr(int64_t start, int64_t churned, int64_t contraction,
               int64_t expansion, int64_t reactivation, double *out)
{
    uint64_t lost, kept;
    LIBCS_TRY(nonneg(start, churned, contraction));
    LIBCS_TRY(nonneg(expansion, reactivation, 0));
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    uint64_t gained = (uint64_t)expansion + (uint64_t)reactivation;
    if (__builtin_add_overflow((uint64_t)start - lost, gained, &kept))
        return LIBCS_EOVERFLOW;
    *out = (double)kept / (double)start;
    return LIBCS_OK;
}

static int grr(int64_t start, int64_t churned, int64_t contraction,
               double *out)
{
    uint64_t lost;
    LIBCS_TRY(nonneg(start, churned, contraction));
    LIBCS_TRY(lost_mrr(start, churned, contraction, &lost));
    *out = (double)((uint64_t)start - lost) / (double)start;
    return LIBCS_OK;
}

static int quick_ratio(int64_t new_mrr, int64_t expansion,
                       int64_t reactivation, int64_t churned,
                       int64_t contraction, double *out)
{
    uint64_t gained;
    LIBCS_TRY(nonneg(new_mrr, expansion, reactivation));
    LIBCS_TRY(nonneg(churned, contraction, 0));
    uint64_t lost = (uint64_t)churned + (uint64_t)contraction;
    if (lost == 0)
        return LIBCS_EUNDEFINED;
    if (__builtin_add_overflow((uint64_t)new_mrr + (uint64_t)expansion,
                               (uint64_t)reactivation, &gained))
        return LIBCS_EOVERFLOW;
    *out = (double)gained / (double)lost;
    return LIBCS_OK;
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
