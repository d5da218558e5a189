/* lib/sbg.c - the shifted-beta-geometric model of contract renewals (Fader &
 * Hardie 2007, "How to Project Customer Retention"; Fader & Hardie 2010,
 * "Customer-Base Valuation in a Contractual Setting"): the likelihood of
 * survivor counts and of individual durations with its analytic gradient,
 * maximum-likelihood fits, retention, survival, projections, discounted
 * expected (residual) lifetimes and a simulator. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "rng.h"

/* Periods, durations and renewals are whole numbers up to 1e15, where
 * doubles still hold every whole number and t - 1 differs from t. */
#define SBG_MAX_T 1e15

/* The discounted lifetimes' continued fraction: steps before giving up */
#define SBG_CF_MAX 10000000

/* ---- validation ----------------------------------------------------------- */

/* a whole number from lo (0 or 1) to SBG_MAX_T; finite already */
static int whole(double t, double lo)
{
    return t >= lo && t <= SBG_MAX_T && t == floor(t);
}

/* a period t: finite (LIBCS_ENONFINITE), a whole number from lo to
 * SBG_MAX_T (LIBCS_EDOMAIN) */
static int check_period(double t, double lo)
{
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    return whole(t, lo) ? LIBCS_OK : LIBCS_EDOMAIN;
}

/* Survivor counts: finite, >= 0, non-increasing, survivors[0] > 0; each
 * element is checked for non-finite values before its domain. */
static int check_survivors(size_t n, const double *s)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(s[i]))
            return LIBCS_ENONFINITE;
        if (i == 0 ? !(s[0] > 0.0) : !(s[i] >= 0.0 && s[i] <= s[i - 1]))
            return LIBCS_EDOMAIN;
    }
    return LIBCS_OK;
}

/* One duration record: duration and weight finite, then active 0 or 1, the
 * duration a whole number (>= 1 when churned, >= 0 when active), the
 * weight >= 0. */
static int check_record(double d, uint8_t act, const double *w)
{
    if (!isfinite(d) || (w && !isfinite(*w)))
        return LIBCS_ENONFINITE;
    if (act > 1 || !whole(d, act ? 0.0 : 1.0) || (w && !(*w >= 0.0)))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

static int check_records(size_t n, const double *d, const uint8_t *act,
                         const double *w)
{
    for (size_t i = 0; i < n; i++)
        LIBCS_TRY(check_record(d[i], act[i], w ? &w[i] : NULL));
    return LIBCS_OK;
}

/* ---- lgamma and digamma differences ---------------------------------------- */

/* ---- the model's probabilities ------------------------------------------------ */

/* log(a / (a + b)) for a, b > 0, without overflow or underflow in between */
static double log_share(double a, double b)
{
    if (a >= b)
        return -log1p(b / a);
    return (log(a) - log(b)) - log1p(a / b);
}

/* Up to this many periods, log S(t) and its derivatives are sums over the
 * periods, every term accurate to a rounding; beyond, closed forms. */
#define SBG_SUM_T 64

/* log S(t) = log B(alpha, beta + t) / B(alpha, beta) for whole t >= 0, and
 * its derivatives with respect to log alpha and log beta (ga, gb may be
 * NULL):
 *   log S(t)   = sum_{j < t} log((b + j)/(a + b + j))
 *              = [lg(beta + t) - lg(beta)] - [lg(a + b + t) - lg(a + b)]
 *              = [lg(a + b) - lg(beta)] - [lg(a + b + t) - lg(beta + t)]
 *   a dlogS/da = -sum_j a/(a + b + j) = -a [psi(a + b + t) - psi(a + b)]
 *   b dlogS/db =  sum_j a b/((b + j)(a + b + j))
 *              =  b ([psi(b + t) - psi(b)] - [psi(a + b + t) - psi(a + b)])
 * The sums serve up to SBG_SUM_T periods.  Of the two closed forms, the
 * one whose shift (t or alpha) is smaller has the smaller terms, so their
 * difference keeps its digits: with t = 1e9 and alpha = 0.7 the first
 * would subtract two numbers near 2e10 to get one near -15. */
static double log_surv(double a, double b, double t, double *ga, double *gb)
{
    if (t <= SBG_SUM_T) {
        double ls = 0.0, sa = 0.0, sb = 0.0;
        for (double j = 0.0; j < t; j += 1.0) {
            const double bj = b + j, q = 1.0 / (1.0 + bj / a); /* a/(a+bj) */
            ls += log_share(bj, a);
            sa += q;
            sb += q * (b / bj);
        }
        if (ga)
            *ga = -sa, *gb = sb;
        return ls;
    }
    const double ab = a + b;
    if (ga) {
        *ga = -a * libcs__digamma_diff(ab, t);
        *gb = t <= a ? b * (libcs__digamma_diff(b, t) - libcs__digamma_diff(ab, t))
                     : b * (libcs__digamma_diff(b, a) - libcs__digamma_diff(b + t, a));
    }
    if (t <= a)
        return libcs__lgamma_diff(b, t) - libcs__lgamma_diff(ab, t);
    return libcs__lgamma_diff(b, a) - libcs__lgamma_diff(b + t, a);
}

/* log S(t) for one (alpha, beta) and many t (S over periods): the sums for
 * t = 0..SBG_SUM_T are the partial sums of one loop, and the closed form's
 * lgamma difference at beta is shared; the same operations as log_surv, so
 * the same values */
struct surv_table {
    double a, b, ls[SBG_SUM_T + 1], lba;
};

static void surv_table_init(struct surv_table *S, double a, double b)
{
    double ls = 0.0;
    S->a = a, S->b = b;
    S->ls[0] = 0.0;
    for (double j = 0.0; j < SBG_SUM_T; j += 1.0) {
        ls += log_share(b + j, a);
        S->ls[(int)j + 1] = ls;
    }
    S->lba = libcs__lgamma_diff(b, a);
}

static double log_surv_table(const struct surv_table *S, double t)
{
    const double a = S->a, b = S->b, ab = a + b;
    if (t <= SBG_SUM_T)
        return S->ls[(int)t];
    if (t <= a)
        return libcs__lgamma_diff(b, t) - libcs__lgamma_diff(ab, t);
    return S->lba - libcs__lgamma_diff(b + t, a);
}

/* log of the probability of a record: churned in period t, P(T = t) =
 * S(t - 1) alpha / (alpha + beta + t - 1), or still active after t periods,
 * S(t); and the derivatives with respect to log alpha and log beta. */
static double log_record(double a, double b, double t, int active, double *ga,
                         double *gb)
{
    if (active)
        return log_surv(a, b, t, ga, gb);
    const double bt = b + (t - 1.0);
    double ls = log_surv(a, b, t - 1.0, ga, gb);
    if (ga) {
        /* a d/da log(a/(a + bt)) = bt/(a + bt), b d/db = -b/(a + bt),
         * as ratios that cannot overflow (an infinite ratio gives 0) */
        *ga += 1.0 / (1.0 + a / bt);
        *gb -= 1.0 / (a / b + bt / b);
    }
    return ls + log_share(a, bt);
}

/* ---- the log-likelihood -------------------------------------------------------- */

/* Weighted records (duration, active) with the mean -LL per unit weight as
 * the optimiser's objective. */
struct sbg_data {
    size_t n;
    const double *t, *w; /* w may be NULL: weight 1 */
    const uint8_t *act;
    double scale;        /* multiplies -LL */
};

/* -LL x scale and its gradient with respect to (log alpha, log beta) */
static int sbg_eval(const struct sbg_data *d, double a, double b, double *f,
                    double *grad)
{
    double ll = 0.0, g0 = 0.0, g1 = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0;
        if (w == 0.0)
            continue;
        double ga, gb;
        ll += w * log_record(a, b, d->t[i], d->act[i], grad ? &ga : NULL,
                             grad ? &gb : NULL);
        if (grad) {
            g0 += w * ga;
            g1 += w * gb;
        }
    }
    if (!isfinite(ll))
        return LIBCS_ENONFINITE;
    *f = -ll * d->scale;
    if (grad) {
        grad[0] = -g0 * d->scale;
        grad[1] = -g1 * d->scale;
        if (!isfinite(grad[0]) || !isfinite(grad[1]))
            return LIBCS_ENONFINITE;
    }
    return LIBCS_OK;
}

static int sbg_objective(void *ctx, const double *theta, double *f,
                         double *grad)
{
    const double a = exp(theta[0]), b = exp(theta[1]);
    if (!isfinite(a) || !isfinite(b) || a == 0.0 || b == 0.0)
        return LIBCS_EDOMAIN;
    return sbg_eval(ctx, a, b, f, grad);
}

static int loglik_records(const struct sbg_data *d, const double *p,
                          double *loglik)
{
    double f = NAN;
    int rc = sbg_eval(d, p[0], p[1], &f, NULL);
    /* the parameters and data are valid: a log-likelihood beyond the range
     * of a double is an overflow, not a bad input */
    if (rc == LIBCS_OK || rc == LIBCS_ENONFINITE)
        rc = libcs_store_finite(-f, loglik);
    return rc;
}

/* Survivor counts as records: s[t-1] - s[t] churned in period t (t = 1 ..
 * n - 1), s[n-1] still active after n - 1 periods.  t, act, w hold n. */
static void survivor_records(size_t n, const double *s, double *t,
                             uint8_t *act, double *w)
{
    for (size_t i = 1; i < n; i++) {
        t[i - 1] = (double)i;
        act[i - 1] = 0;
        w[i - 1] = s[i - 1] - s[i];
    }
    t[n - 1] = (double)(n - 1);
    act[n - 1] = 1;
    w[n - 1] = s[n - 1];
}

LIBCS_API int libcs_sbg_loglik_survivors(size_t n, const double *survivors,
                                         const double *params,
                                         double *loglik)
{
    if (!survivors || !params || !loglik)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 2));
    LIBCS_TRY(check_survivors(n, survivors));
    double *t = malloc(n * sizeof *t), *w = malloc(n * sizeof *w);
    uint8_t *act = malloc(n);
    int rc = t && w && act ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        survivor_records(n, survivors, t, act, w);
        struct sbg_data d = {n, t, w, act, 1.0};
        rc = loglik_records(&d, params, loglik);
    }
    free(t), free(w), free(act);
    return rc;
}

LIBCS_API int libcs_sbg_loglik_durations(size_t n, const double *duration,
                                         const uint8_t *active,
                                         const double *weights,
                                         const double *params,
                                         double *loglik)
{
    if (!duration || !active || !params || !loglik)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 2));
    LIBCS_TRY(check_records(n, duration, active, weights));
    struct sbg_data d = {n, duration, weights, active, 1.0};
    return loglik_records(&d, params, loglik);
}

/* ---- the fits ------------------------------------------------------------------- */

/* Fit valid records (t, act, w; w not NULL) that are already distinct. */
static int fit_records(size_t n, const double *t, const uint8_t *act,
                       const double *w, const double *start,
                       libcs_clv_fit *out)
{
    double total_w = 0.0;
    for (size_t i = 0; i < n; i++)
        total_w += w[i];
    if (!(total_w > 0.0))
        return LIBCS_EEMPTY; /* every weight is 0 */
    if (!isfinite(total_w))
        return LIBCS_EOVERFLOW; /* the weights' sum is beyond a double */
    /* starts: the caller's, then Fader & Hardie's (1, 1) and a spread of
     * mean churn rates alpha / (alpha + beta) and polarisations */
    static const double spread[5][2] = {
        {1.0, 1.0}, {0.5, 2.0}, {2.0, 8.0}, {0.2, 0.5}, {5.0, 2.0}};
    double starts[6][2];
    int n_starts = 0;
    if (start) {
        starts[0][0] = log(start[0]);
        starts[0][1] = log(start[1]);
        n_starts = 1;
    }
    for (int s = 0; s < 5; s++, n_starts++) {
        starts[n_starts][0] = log(spread[s][0]);
        starts[n_starts][1] = log(spread[s][1]);
    }
    /* the optimiser works on the mean -LL per unit weight, whose gradient
     * is O(1) whatever the cohort size; loglik and standard errors are
     * scaled back */
    struct sbg_data d = {n, t, w, act, 1.0 / total_w};
    libcs_clv_fit r;
    int rc = libcs__optim_fit(sbg_objective, &d, 2, &starts[0][0], n_starts,
                              NULL, NULL, total_w, &r);
    if (rc == LIBCS_OK || rc == LIBCS_ENOCONV) {
        if (isfinite(r.loglik))
            *out = r;
        else
            rc = LIBCS_EOVERFLOW;
    } else if (rc != LIBCS_ENOMEM) {
        /* no start could be evaluated: valid data whose likelihood is
         * beyond the range of a double everywhere tried */
        rc = LIBCS_EOVERFLOW;
    }
    return rc;
}

LIBCS_API int libcs_sbg_fit_survivors(size_t n, const double *survivors,
                                      const double *start,
                                      libcs_clv_fit *out)
{
    if (!survivors || !out)
        return LIBCS_EINVAL;
    if (n < 2)
        return LIBCS_EEMPTY; /* n = 1: the cohort, and no period observed */
    if (start)
        LIBCS_TRY(libcs__check_params(start, 2));
    LIBCS_TRY(check_survivors(n, survivors));
    double *t = malloc(n * sizeof *t), *w = malloc(n * sizeof *w);
    uint8_t *act = malloc(n);
    int rc = t && w && act ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        survivor_records(n, survivors, t, act, w);
        rc = fit_records(n, t, act, w, start, out);
    }
    free(t), free(w), free(act);
    return rc;
}

LIBCS_API int libcs_sbg_fit_durations(size_t n, const double *duration,
                                      const uint8_t *active,
                                      const double *weights,
                                      const double *start, libcs_clv_fit *out)
{
    if (!duration || !active || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (start)
        LIBCS_TRY(libcs__check_params(start, 2));
    LIBCS_TRY(check_records(n, duration, active, weights));
    /* sufficient statistics: identical (duration, active) records become
     * one weighted record */
    double *rows = malloc(2 * n * sizeof *rows), *u = malloc(2 * n * sizeof *u),
           *uw = malloc(n * sizeof *uw);
    uint8_t *ua = malloc(n);
    size_t m = 0;
    int rc = rows && u && uw && ua ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t i = 0; i < n; i++) {
            rows[2 * i] = duration[i];
            rows[2 * i + 1] = active[i];
        }
        rc = libcs__compress(n, 2, rows, weights, u, uw, &m);
    }
    if (rc == LIBCS_OK) {
        for (size_t i = 0; i < m; i++) {
            rows[i] = u[2 * i];
            ua[i] = u[2 * i + 1] != 0.0;
        }
        rc = fit_records(m, rows, ua, uw, start, out);
    }
    free(rows), free(u), free(uw), free(ua);
    return rc;
}

/* ---- retention, survival, projection ----------------------------------------------- */

/* r(t), the scalar function after its parameters */
static int retention_one(const double *p, double t, double *out)
{
    LIBCS_TRY(check_period(t, 1.0));
    /* (beta + t - 1) / (alpha + beta + t - 1), without forming a sum that
     * could overflow */
    *out = 1.0 / (1.0 + p[0] / (p[1] + (t - 1.0)));
    return LIBCS_OK;
}

LIBCS_API int libcs_sbg_retention(const double *params, double t,
                                  double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 2));
    return retention_one(params, t, out);
}

/* a division an element: LIBCS_BATCH's two passes cost less than scratch */
LIBCS_API int libcs_sbg_retention_batch(const double *params, size_t n,
                                        const double *t, double *out,
                                        size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 2, n, t, out);
#define CALL(i, dst) retention_one(params, t[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* S(t), the scalar function after its parameters */
static int survival_one(const double *p, double t, double *out)
{
    LIBCS_TRY(check_period(t, 0.0));
    return libcs_store_finite(exp(log_surv(p[0], p[1], t, NULL, NULL)), out);
}

LIBCS_API int libcs_sbg_survival(const double *params, double t,
                                 double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 2));
    return survival_one(params, t, out);
}

static int survival_tabled(const struct surv_table *S, double t, double *out)
{
    LIBCS_TRY(check_period(t, 0.0));
    return libcs_store_finite(exp(log_surv_table(S, t)), out);
}

/* the sums up to SBG_SUM_T periods tabulated once: a curve over the first
 * periods costs an exp an element */
LIBCS_API int libcs_sbg_survival_batch(const double *params, size_t n,
                                       const double *t, double *out,
                                       size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 2, n, t, out);
    struct surv_table S;
    surv_table_init(&S, params[0], params[1]);
#define CALL(i, dst) survival_tabled(&S, t[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_sbg_project(const double *params, double cohort,
                                size_t n, double *out)
{
    LIBCS_BATCH_ARGS(params, 2, n, out);
    LIBCS_TRY(libcs_check_nonneg(cohort));
    if ((double)(n - 1) > SBG_MAX_T)
        return LIBCS_EDOMAIN;
    /* each S(t) from its closed form (no accumulated rounding); a first
     * pass checks that every value is finite (parameters near the limits
     * of a double), the second writes */
    for (int pass = 0; pass < 2; pass++)
        for (size_t t = 0; t < n; t++) {
            const double v =
                cohort * exp(log_surv(params[0], params[1], (double)t, NULL,
                                      NULL));
            if (pass)
                out[t] = v;
            else if (!isfinite(v))
                return LIBCS_EOVERFLOW;
        }
    return LIBCS_OK;
}

/* ---- discounted expected lifetimes ------------------------------------------------- */

/* F = 2F1(1, B; alpha + B; 1/(1 + d)) for d > 0: the expected discounted
 * number of payments sum_k E[(1 - theta)^k] / (1 + d)^k, theta ~
 * Beta(alpha, B), which is (1 + d) E[1 / (theta + d)].
 *
 * The power series in z = 1/(1 + d) has positive terms but converges like
 * z^k: about 37/d terms for 16 digits, 4e10 at d = 1e-9.  Pfaff's
 * transformation turns it into
 *   F = (1 + d)/d 2F1(1, alpha; alpha + B; -1/d),
 * and Gauss's continued fraction for 2F1(1, b; c; w) = 2F1(1, b; c; w) /
 * 2F1(0, b; c - 1; w) (from the contiguous relations F(a+1, b; c+1) -
 * F(a, b; c) = b (c - a)/(c (c + 1)) w F(a+1, b+1; c+2) and its mirror),
 * at w = -1/d, is
 *   2F1(1, alpha; C; -1/d) = 1 / (1 + (k1/d) / (1 + (k2/d) / (1 + ...)))
 *   k(2j+1) = (alpha + j)(C - 1 + j) / ((C - 1 + 2j)(C + 2j)),
 *   k(2j+2) = (j + 1)(B + j) / ((C + 2j)(C + 2j + 1)),    C = alpha + B,
 * with every element positive: no cancellation anywhere, and successive
 * approximants bracket the value, so the change of the last step bounds
 * the error.  k tends to 1/4, so the steps needed grow like 1/sqrt(d)
 * (about 2e4 at d = 1e-6) instead of 1/d.  The fraction is evaluated
 * forwards by Lentz's method; D stays in (0, 1], C >= 1.
 * LIBCS_ENOCONV when SBG_CF_MAX steps do not get there (d below about
 * 3e-12 for parameters of ordinary size, after 0.15 s). */
/* k(j) of the fraction, j >= 1: it depends on alpha and B alone, so that a
 * batch over discount rates can tabulate it */
static double lifetime_k(double alpha, double B, long j)
{
    const double h = (double)((j - 1) / 2); /* the j of k(2j+1), k(2j+2) */
    const double ah = alpha + h, bh = B + h;
    double k;
    if (j & 1) {
        /* (alpha + h)/(C + 2h) x (C - 1 + h)/(C - 1 + 2h); the sums are
         * ordered so that beta - 1 + h keeps its digits for small beta,
         * and ratios replace sums that could overflow */
        k = 1.0 / (1.0 + bh / ah);
        if (h > 0.0)
            k /= 1.0 + h / (alpha + (B + (h - 1.0)));
    } else {
        k = (1.0 / (1.0 + ah / bh)) * ((h + 1.0) / ((ah + bh) + 1.0));
    }
    return k;
}

/* the fraction with k(j) from ktab[j - 1] for j <= nk (ktab may be NULL) */
static int lifetime_cf_tab(double alpha, double B, double d, const double *ktab,
                           long nk, double *out)
{
    double f = 1.0, flo = 0.0, cc = 1.0, dd = 0.0;
    for (long j = 1; j <= SBG_CF_MAX; j++) {
        const double k = j <= nk ? ktab[j - 1] : lifetime_k(alpha, B, j);
        const double a = k / d;
        if (!isfinite(a))
            return LIBCS_ENOCONV; /* d so small that k/d overflows */
        dd = 1.0 / (1.0 + a * dd);
        cc = 1.0 + a / cc;
        const double delta = cc * dd;
        /* f *= delta with the rounding error carried in flo: over 1e6
         * steps a plain product would lose six digits */
        const double p = f * delta;
        flo = flo * delta + fma(f, delta, -p);
        f = p;
        if (fabs(delta - 1.0) <= 2.0 * DBL_EPSILON) {
            /* F = (1 + d)/d / f */
            *out = (1.0 + d) / (d * (f + flo));
            return LIBCS_OK;
        }
    }
    return LIBCS_ENOCONV;
}

static int lifetime_cf(double alpha, double B, double d, double *out)
{
    return lifetime_cf_tab(alpha, B, d, NULL, 0, out);
}

/* discount: finite; <= -1 is no discount rate, -1 < d < 0 makes every
 * lifetime sum infinite */
static int check_discount(double d)
{
    if (d <= -1.0)
        return LIBCS_EDOMAIN;
    if (d < 0.0)
        return LIBCS_EUNDEFINED;
    return LIBCS_OK;
}

/* The steps of the fraction that the batch tabulates: about 30/sqrt(d)
 * are needed, so 4096 serve rates down to about 1e-4 (beyond, k(j) is
 * computed as the single call does) */
#define DEL_TABLE_MAX 4096

/* DEL after the parameters, k(j) from ktab[j - 1] for j <= nk (the
 * batch's table; NULL, 0 for the single call) */
static int del_tabled(const double *params, double discount,
                      const double *ktab, long nk, double *out)
{
    if (!isfinite(discount))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_discount(discount));
    const double a = params[0], b = params[1];
    if (discount == 0.0) {
        /* E[1/theta] = (alpha + beta - 1)/(alpha - 1), infinite for
         * alpha <= 1 */
        if (!(a > 1.0))
            return LIBCS_EUNDEFINED;
        return libcs_store_finite(1.0 + b / (a - 1.0), out);
    }
    double v;
    LIBCS_TRY(lifetime_cf_tab(a, b, discount, ktab, nk, &v));
    return libcs_store_finite(v, out);
}

LIBCS_API int libcs_sbg_del(const double *params, double discount,
                            double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 2));
    return del_tabled(params, discount, NULL, 0, out);
}

/* DEL over discount rates (a sensitivity curve): a continued fraction an
 * element, computed once, its coefficients k(j) (which do not depend on
 * the rate) tabulated for all; without memory for the table they are
 * computed */
LIBCS_API int libcs_sbg_del_batch(const double *params, size_t n,
                                  const double *discount, double *out,
                                  size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 2, n, discount, out);
    double dmin = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (discount[i] > 0.0 && discount[i] < dmin)
            dmin = discount[i];
    long nk = dmin < INFINITY ? 64 + (long)fmin(DEL_TABLE_MAX, 30.0 / sqrt(dmin))
                              : 0;
    if (nk > DEL_TABLE_MAX)
        nk = DEL_TABLE_MAX;
    double *ktab = nk ? malloc((size_t)nk * sizeof *ktab) : NULL;
    if (!ktab)
        nk = 0;
    for (long j = 1; j <= nk; j++)
        ktab[j - 1] = lifetime_k(params[0], params[1], j);
    /* as LIBCS_BATCH_ONCE, the table freed on every path */
    double *res = n <= SIZE_MAX / sizeof *res ? malloc(n * sizeof *res) : NULL;
    int rc = res ? LIBCS_OK : LIBCS_ENOMEM;
    for (size_t i = 0; rc == LIBCS_OK && i < n; i++)
        if ((rc = del_tabled(params, discount[i], ktab, nk, &res[i])) !=
                LIBCS_OK &&
            bad_index)
            *bad_index = i;
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    free(res);
    free(ktab);
    return rc;
}

/* A customer who has made m renewals (T > m) has theta ~ Beta(alpha,
 * beta + m); the payment at its next renewal comes now (undiscounted), with
 * probability (beta + m)/(alpha + beta + m), and then
 *   DERL = (beta + m)/(alpha + beta + m)
 *          2F1(1, beta + m + 1; alpha + beta + m + 1; 1/(1 + d)),
 * Fader & Hardie (2010) eq. 6 with n - 1 = m renewals. */
LIBCS_API int libcs_sbg_derl(const double *params, double renewals,
                             double discount, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 2));
    if (!isfinite(renewals) || !isfinite(discount))
        return LIBCS_ENONFINITE;
    if (!whole(renewals, 0.0))
        return LIBCS_EDOMAIN;
    LIBCS_TRY(check_discount(discount));
    const double a = params[0], bm = params[1] + renewals;
    if (discount == 0.0) {
        /* E[(1 - theta)/theta] under Beta(alpha, beta + m) */
        if (!(a > 1.0))
            return LIBCS_EUNDEFINED;
        return libcs_store_finite(bm / (a - 1.0), out);
    }
    double v;
    LIBCS_TRY(lifetime_cf(a, bm + 1.0, discount, &v));
    return libcs_store_finite(v / (1.0 + a / bm), out);
}

LIBCS_API int libcs_sbg_derl_batch(const double *params, size_t n,
                                   const double *renewals, double discount,
                                   double *out, size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 2, n, renewals, out);
    if (!isfinite(discount))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_discount(discount));
#define CALL(i, dst) libcs_sbg_derl(params, renewals[i], discount, dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* ---- simulation ----------------------------------------------------------------------- */

/* One customer: theta ~ Beta(alpha, beta), then the period of churn by
 * inversion, T = ceil(log U / log(1 - theta)), P(T > t) = (1 - theta)^t:
 * one uniform whatever the number of periods. */
static void simulate_one(struct libcs_rng *g, const double *p,
                         uint32_t periods, double *duration, uint8_t *active)
{
    double theta = libcs_rng_beta(g, p[0], p[1]);
    const double u = libcs_rng_uniform(g);
    if (!(theta >= 0.0))
        theta = 0.0;
    if (theta > 1.0)
        theta = 1.0;
    const double lq = log1p(-theta); /* <= 0; -inf when theta = 1 */
    /* theta = 0: never churns (the quotient is +inf) */
    double t = lq == 0.0 ? INFINITY : ceil(log(u) / lq);
    if (t < 1.0)
        t = 1.0;
    if (t > (double)periods) {
        *duration = (double)periods;
        *active = 1;
    } else {
        *duration = t;
        *active = 0;
    }
}

LIBCS_API int libcs_sbg_simulate(const double *params, size_t n,
                                 uint32_t periods, uint64_t seed,
                                 double *duration, uint8_t *active)
{
    LIBCS_BATCH_ARGS(params, 2, n, duration, active);
    struct libcs_rng g;
    libcs_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++)
        simulate_one(&g, params, periods, &duration[i], &active[i]);
    return LIBCS_OK;
}
