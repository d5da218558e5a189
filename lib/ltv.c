/* lib/ltv.c - lifetime-value formulas (simple, repeat, subscription,
 * contract, net of costs, discounted) and the ratios built on them. */
#include <float.h>

#include "internal.h"

/* prod(num) / prod(den) of non-negative finite factors (den > 0) as a
 * mantissa in [0.5, 1) and a binary exponent, so an intermediate product
 * neither overflows nor underflows where the true value does not; 0 when a
 * numerator factor is 0 even if the others would overflow together (the
 * true value is 0, not inf x 0 = NaN).  Each step rounds once, as the plain
 * product would. */
static double scaled_ratio(const double *num, int nn, const double *den,
                           int nd, int *exp)
{
    double m = 1.0, f;
    int e = 0, k, j;
    *exp = 0;
    for (int i = 0; i < nn; i++)
        if (num[i] == 0.0)
            return 0.0;
    for (int i = 0; i < nn; i++) {
        f = frexp(num[i], &k);
        m = frexp(m * f, &j);
        e += k + j;
    }
    for (int i = 0; i < nd; i++) {
        f = frexp(den[i], &k);
        m = frexp(m / f, &j);
        e += j - k;
    }
    *exp = e;
    return m;
}

/* prod(num) / prod(den); inf when the true value overflows.  The plain
 * products first: while every intermediate stays in the normal range they
 * round exactly as the scaled ones do, and cost no frexp and no branch;
 * the scaled path (which also answers 0 for a 0 factor) only when one
 * leaves it. */
static __attribute__((noinline)) double
ratio_scaled(const double *num, int nn, const double *den, int nd)
{
    int e;
    double m = scaled_ratio(num, nn, den, nd, &e);
    return ldexp(m, e);
}

static inline double ratio(const double *num, int nn, const double *den,
                           int nd)
{
    double r = 1.0;
    int plain = 1;
    for (int i = 0; i < nn; i++) { /* a 0 factor goes the scaled way */
        r *= num[i];
        plain &= r >= DBL_MIN && r <= DBL_MAX;
    }
    for (int i = 0; i < nd; i++) {
        r /= den[i];
        plain &= r >= DBL_MIN && r <= DBL_MAX;
    }
    return plain ? r : ratio_scaled(num, nn, den, nd);
}

static double product(const double *f, int n)
{
    return ratio(f, n, NULL, 0);
}

static int ltv_simple(double aov, double purchases, double *out)
{
    if (!isfinite(aov) || !isfinite(purchases))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(aov));
    LIBCS_TRY(libcs_check_nonneg(purchases));
    return libcs_store_finite(aov * purchases, out);
}

static int ltv_repeat(double aov, double per_period, double lifetime,
                      double *out)
{
    if (!isfinite(aov) || !isfinite(per_period) || !isfinite(lifetime))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(aov));
    LIBCS_TRY(libcs_check_nonneg(per_period));
    LIBCS_TRY(libcs_check_nonneg(lifetime));
    const double f[3] = {aov, per_period, lifetime};
    return libcs_store_finite(product(f, 3), out);
}

/* A churn rate that divides: in [0, 1], and zero is undefined. */
static int check_divisor_churn(double churn)
{
    LIBCS_TRY(libcs_check_fraction(churn));
    return churn > 0.0 ? LIBCS_OK : LIBCS_EUNDEFINED;
}

static int ltv_subscription(double arpu, double margin, double churn,
                            double *out)
{
    if (!isfinite(arpu) || !isfinite(margin) || !isfinite(churn))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(arpu));
    LIBCS_TRY(libcs_check_fraction(margin));
    LIBCS_TRY(check_divisor_churn(churn));
    /* the plain formula while ARPU x margin is a normal number (the hot
     * path of the batch), the scaled one otherwise */
    const double am = arpu * margin;
    if (am >= DBL_MIN && am <= DBL_MAX)
        return libcs_store_finite(am / churn, out);
    return libcs_store_finite(ratio_scaled((const double[2]){arpu, margin}, 2,
                                           &churn, 1),
                              out);
}

static int ltv_contract(double annual, double margin, double years,
                        double *out)
{
    if (!isfinite(annual) || !isfinite(margin) || !isfinite(years))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(annual));
    LIBCS_TRY(libcs_check_fraction(margin));
    LIBCS_TRY(libcs_check_nonneg(years));
    const double f[3] = {annual, margin, years};
    return libcs_store_finite(product(f, 3), out);
}

static int ltv_net(double arpu, double margin, double frequency,
                   double duration, double acquisition, double retention,
                   double *out)
{
    if (!isfinite(arpu) || !isfinite(margin) || !isfinite(frequency) ||
        !isfinite(duration) || !isfinite(acquisition) || !isfinite(retention))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(arpu));
    LIBCS_TRY(libcs_check_fraction(margin));
    LIBCS_TRY(libcs_check_nonneg(frequency));
    LIBCS_TRY(libcs_check_nonneg(duration));
    LIBCS_TRY(libcs_check_nonneg(acquisition));
    LIBCS_TRY(libcs_check_nonneg(retention));
    /* gross - acquisition - retention on the scale of the largest term,
     * so a gross revenue beyond DBL_MAX that the costs bring back into
     * range still gives its true value */
    const double f[4] = {arpu, margin, frequency, duration};
    int eg, ea, er;
    double g = scaled_ratio(f, 4, NULL, 0, &eg);
    (void)frexp(acquisition, &ea);
    (void)frexp(retention, &er);
    int s = g == 0.0 ? 0 : eg;
    if (acquisition != 0.0 && ea > s)
        s = ea;
    if (retention != 0.0 && er > s)
        s = er;
    double d = (ldexp(g, eg - s) - ldexp(acquisition, -s)) -
               ldexp(retention, -s);
    return libcs_store_finite(ldexp(d, s), out);
}

/* Shared validation of the discounted forms: ARPU >= 0, margin and retention
 * fractions, discount rate > -1. */
static int check_discounted(double arpu, double margin, double retention,
                            double discount)
{
    if (!isfinite(arpu) || !isfinite(margin) || !isfinite(retention) ||
        !isfinite(discount))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(arpu));
    LIBCS_TRY(libcs_check_fraction(margin));
    LIBCS_TRY(libcs_check_fraction(retention));
    return discount > -1.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

static int ltv_discounted(double arpu, double margin, double retention,
                          double discount, double *out)
{
    LIBCS_TRY(check_discounted(arpu, margin, retention, discount));
    /* (1 - r) is exact for r in [0.5, 1], so the denominator keeps its
     * precision when r is close to 1 + d. */
    double denom = (1.0 - retention) + discount;
    if (!(denom > 0.0))
        return LIBCS_EUNDEFINED; /* r >= 1 + d: the series diverges */
    const double num[3] = {arpu, margin, 1.0 + discount};
    return libcs_store_finite(ratio(num, 3, &denom, 1), out);
}

static int ltv_discounted_horizon(double arpu, double margin, double retention,
                                  double discount, uint32_t periods,
                                  double *out)
{
    LIBCS_TRY(check_discounted(arpu, margin, retention, discount));
    double sum;
    if (periods == 0 || arpu == 0.0 || margin == 0.0)
        return libcs_store_finite(0.0, out);
    if (retention == 0.0)
        sum = 1.0; /* only the first, certain payment */
    else {
        /* sum_{t<N} q^t with q = r / (1 + d), as expm1(N log q) / expm1(log
         * q): accurate when q is close to 1, exact N when q == 1. */
        double lq = log(retention) - log1p(discount);
        sum = lq == 0.0 ? (double)periods
                        : expm1((double)periods * lq) / expm1(lq);
    }
    const double f[3] = {arpu, margin, sum};
    return libcs_store_finite(product(f, 3), out);
}

static int ltv_lifetime(double churn, double *out)
{
    LIBCS_TRY(check_divisor_churn(churn));
    return libcs_store_finite(1.0 / churn, out);
}

static int ltv_cac_ratio(double ltv, double cac, double *out)
{
    if (!isfinite(ltv) || !isfinite(cac))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(cac));
    if (cac == 0.0)
        return LIBCS_EUNDEFINED;
    return libcs_store_finite(ltv / cac, out);
}

static int ltv_cac_payback(double cac, double arpu, double margin, double *out)
{
    if (!isfinite(cac) || !isfinite(arpu) || !isfinite(margin))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_nonneg(cac));
    LIBCS_TRY(libcs_check_nonneg(arpu));
    LIBCS_TRY(libcs_check_fraction(margin));
    if (arpu == 0.0 || margin == 0.0)
        return LIBCS_EUNDEFINED;
    /* two divisions: ARPU x margin may underflow where the ratio does not */
    return libcs_store_finite(cac / arpu / margin, out);
}

/* ---- public scalar and batch forms --------------------------------------- */

LIBCS_API int libcs_ltv_simple(double avg_order_value, double purchases,
                               double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_simple(avg_order_value, purchases, out);
}

LIBCS_API int libcs_ltv_simple_batch(size_t n, const double *aov,
                                     const double *purchases, double *out,
                                     size_t *bad_index)
{
    if (!aov || !purchases || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_simple(aov[i], purchases[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_repeat(double avg_order_value,
                               double purchases_per_period,
                               double lifetime_periods, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_repeat(avg_order_value, purchases_per_period, lifetime_periods,
                      out);
}

LIBCS_API int libcs_ltv_repeat_batch(size_t n, const double *aov,
                                     const double *per_period,
                                     const double *lifetime, double *out,
                                     size_t *bad_index)
{
    if (!aov || !per_period || !lifetime || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_repeat(aov[i], per_period[i], lifetime[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_subscription(double arpu, double margin, double churn,
                                     double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_subscription(arpu, margin, churn, out);
}

LIBCS_API int libcs_ltv_subscription_batch(size_t n, const double *arpu,
                                           const double *margin,
                                           const double *churn, double *out,
                                           size_t *bad_index)
{
    if (!arpu || !margin || !churn || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_subscription(arpu[i], margin[i], churn[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_contract(double annual_revenue, double margin,
                                 double years, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_contract(annual_revenue, margin, years, out);
}

LIBCS_API int libcs_ltv_contract_batch(size_t n, const double *annual_revenue,
                                       const double *margin,
                                       const double *years, double *out,
                                       size_t *bad_index)
{
    if (!annual_revenue || !margin || !years || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_contract(annual_revenue[i], margin[i], years[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_net(double arpu, double margin, double frequency,
                            double duration, double acquisition_cost,
                            double retention_cost, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_net(arpu, margin, frequency, duration, acquisition_cost,
                   retention_cost, out);
}

LIBCS_API int libcs_ltv_net_batch(size_t n, const double *arpu,
                                  const double *margin,
                                  const double *frequency,
                                  const double *duration,
                                  const double *acquisition_cost,
                                  const double *retention_cost, double *out,
                                  size_t *bad_index)
{
    if (!arpu || !margin || !frequency || !duration || !acquisition_cost ||
        !retention_cost || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    ltv_net(arpu[i], margin[i], frequency[i], duration[i],                     \
            acquisition_cost[i], retention_cost[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_discounted(double arpu, double margin,
                                   double retention, double discount,
                                   double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_discounted(arpu, margin, retention, discount, out);
}

LIBCS_API int libcs_ltv_discounted_batch(size_t n, const double *arpu,
                                         const double *margin,
                                         const double *retention,
                                         const double *discount, double *out,
                                         size_t *bad_index)
{
    if (!arpu || !margin || !retention || !discount || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    ltv_discounted(arpu[i], margin[i], retention[i], discount[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_discounted_horizon(double arpu, double margin,
                                           double retention, double discount,
                                           uint32_t periods, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_discounted_horizon(arpu, margin, retention, discount, periods,
                                  out);
}

LIBCS_API int libcs_ltv_discounted_horizon_batch(
    size_t n, const double *arpu, const double *margin,
    const double *retention, const double *discount, const uint32_t *periods,
    double *out, size_t *bad_index)
{
    if (!arpu || !margin || !retention || !discount || !periods || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    ltv_discounted_horizon(arpu[i], margin[i], retention[i], discount[i],      \
                           periods[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_lifetime(double churn, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_lifetime(churn, out);
}

LIBCS_API int libcs_ltv_lifetime_batch(size_t n, const double *churn,
                                       double *out, size_t *bad_index)
{
    if (!churn || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_lifetime(churn[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_cac_ratio(double ltv, double cac, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_cac_ratio(ltv, cac, out);
}

LIBCS_API int libcs_ltv_cac_ratio_batch(size_t n, const double *ltv,
                                        const double *cac, double *out,
                                        size_t *bad_index)
{
    if (!ltv || !cac || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_cac_ratio(ltv[i], cac[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_ltv_cac_payback(double cac, double arpu, double margin,
                                    double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return ltv_cac_payback(cac, arpu, margin, out);
}

LIBCS_API int libcs_ltv_cac_payback_batch(size_t n, const double *cac,
                                          const double *arpu,
                                          const double *margin, double *out,
                                          size_t *bad_index)
{
    if (!cac || !arpu || !margin || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) ltv_cac_payback(cac[i], arpu[i], margin[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}
