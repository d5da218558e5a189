/* lib/gg.c - the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and
 * CLV"; Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"):
 * log-likelihood with its analytic gradient, maximum-likelihood fit, the
 * conditional expectation of a customer's mean spend and a simulator. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "rng.h"

/* ---- validation ----------------------------------------------------------- */

/* A repeat buyer: x a whole number >= 1 (and <= 1e15, where doubles still
 * hold every whole number), mean value > 0. */
static int check_x(double x)
{
    if (!isfinite(x))
        return LIBCS_ENONFINITE;
    if (x < 1.0 || x != floor(x) || x > 1e15)
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

static int check_row(double x, double m)
{
    if (!isfinite(x) || !isfinite(m))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_x(x));
    return m > 0.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

static int check_rows(size_t n, const double *x, const double *m,
                      const double *w)
{
    for (size_t i = 0; i < n; i++) {
        LIBCS_TRY(check_row(x[i], m[i]));
        if (w) {
            if (!isfinite(w[i]))
                return LIBCS_ENONFINITE;
            if (w[i] < 0.0)
                return LIBCS_EDOMAIN;
        }
    }
    return LIBCS_OK;
}

/* ---- the log-likelihood ------------------------------------------------- */

/* For a customer with x repeat purchases of mean value m (Fader & Hardie
 * 2013, the density of the mean of x Gamma(p, nu) values, nu ~ Gamma(q,
 * gamma)):
 *
 *   log L = lgamma(px + q) - lgamma(px) - lgamma(q) + q log(gamma)
 *           + (px - 1) log m + px log x - (px + q) log(gamma + x m)
 *
 * With u = log(x m) - log(gamma) the last four terms are
 *
 *   -log m - px log(1 + e^-u) - q log(1 + e^u),
 *
 * which neither overflows for huge x m nor cancels large terms.  The gamma
 * function terms depend on x alone: they are computed once per distinct x
 * and evaluation. */
struct gg_data {
    size_t n;
    const double *w;
    double *lxm;            /* log(x m) per row */
    struct libcs__xtab tab; /* the distinct x and each row's index */
    double *table;    /* 3 x nx scratch for one evaluation */
    double sum_log_m; /* sum of w log m: the constant term */
    double scale;     /* multiplies -LL: 1 / total weight in the fit */
};

static void gg_data_free(struct gg_data *d)
{
    libcs__xtab_free(&d->tab);
    free(d->lxm), free(d->table);
}

static int gg_data_init(struct gg_data *d, size_t n, const double *x,
                        const double *m, const double *w)
{
    memset(d, 0, sizeof *d);
    d->n = n, d->w = w, d->scale = 1.0;
    d->lxm = malloc(n * sizeof *d->lxm);
    if (!d->lxm)
        return LIBCS_ENOMEM;
    int rc = libcs__xtab_init(&d->tab, n, x);
    if (rc != LIBCS_OK) {
        free(d->lxm);
        return rc;
    }
    d->table = malloc(3 * d->tab.nx * sizeof *d->table);
    if (!d->table) {
        gg_data_free(d);
        return LIBCS_ENOMEM;
    }
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double lm = log(m[i]);
        d->lxm[i] = log(x[i]) + lm;
        s += (w ? w[i] : 1.0) * lm;
    }
    d->sum_log_m = s;
    return LIBCS_OK;
}

/* -LL at (p, q, gamma) and its gradient with respect to (log p, log q,
 * log gamma) (grad may be NULL):
 *   dlogL/dp     = x [psi(px + q) - psi(px) - log(1 + e^-u)]
 *   dlogL/dq     = psi(px + q) - psi(q) - log(1 + e^u)
 *   dlogL/dgamma = [q - (px + q) / (1 + e^u)] / gamma */
static int gg_eval(const struct gg_data *d, double p, double q, double g,
                   double *f, double *grad)
{
    const size_t nx = d->tab.nx;
    const double *xs = d->tab.xs;
    double *lb = d->table, *dp = lb + nx, *dq = dp + nx;
    int sign;
    for (size_t j = 0; j < nx; j++) {
        const double px = p * xs[j];
        /* log Gamma(px + q) / (Gamma(px) Gamma(q)), from the larger
         * argument's side */
        lb[j] = px >= q ? libcs__lgamma_diff(px, q) - lgamma_r(q, &sign)
                        : libcs__lgamma_diff(q, px) - lgamma_r(px, &sign);
        if (grad) {
            dp[j] = libcs__digamma_diff(px, q);
            dq[j] = libcs__digamma_diff(q, px);
        }
    }
    const double lg = log(g);
    double ll = 0.0 - d->sum_log_m, g0 = 0.0, g1 = 0.0, g2 = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0;
        if (w == 0.0)
            continue;
        const size_t j = d->tab.xi[i];
        const double x = xs[j], px = p * x, u = d->lxm[i] - lg;
        /* log(1 + e^-u), log(1 + e^u) = that + u, and 1 / (1 + e^u), from
         * one exp and one log1p, without overflow */
        const double t = exp(-fabs(u)), l1 = log1p(t);
        const double sp_neg = u > 0.0 ? l1 : l1 - u, sp_pos = sp_neg + u;
        ll += w * (lb[j] - px * sp_neg - q * sp_pos);
        if (grad) {
            const double s = u > 0.0 ? t / (1.0 + t) : 1.0 / (1.0 + t);
            g0 += w * x * (dp[j] - sp_neg);
            g1 += w * (dq[j] - sp_pos);
            g2 += w * (q - (px + q) * s);
        }
    }
    if (!isfinite(ll))
        return LIBCS_ENONFINITE;
    const double sc = d->scale;
    *f = -ll * sc;
    if (grad) {
        grad[0] = -g0 * p * sc;
        grad[1] = -g1 * q * sc;
        grad[2] = -g2 * sc;
        if (!isfinite(grad[0]) || !isfinite(grad[1]) || !isfinite(grad[2]))
            return LIBCS_ENONFINITE;
    }
    return LIBCS_OK;
}

static int gg_objective(void *ctx, const double *theta, double *f,
                        double *grad)
{
    const double p = exp(theta[0]), q = exp(theta[1]), g = exp(theta[2]);
    if (!isfinite(p) || !isfinite(q) || !isfinite(g) || p == 0.0 ||
        q == 0.0 || g == 0.0)
        return LIBCS_EDOMAIN;
    return gg_eval(ctx, p, q, g, f, grad);
}

LIBCS_API int libcs_gg_loglik(size_t n, const double *x,
                              const double *mean_value, const double *weights,
                              const double *params, double *loglik)
{
    if (!x || !mean_value || !params || !loglik)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 3));
    LIBCS_TRY(check_rows(n, x, mean_value, weights));
    struct gg_data d;
    LIBCS_TRY(gg_data_init(&d, n, x, mean_value, weights));
    double f = NAN;
    int rc = gg_eval(&d, params[0], params[1], params[2], &f, NULL);
    gg_data_free(&d);
    /* the parameters are valid: a log-likelihood beyond the range of a
     * double is an overflow, not a bad input */
    if (rc == LIBCS_OK || rc == LIBCS_ENONFINITE)
        rc = libcs_store_finite(-f, loglik);
    return rc;
}

LIBCS_API int libcs_gg_fit(size_t n, const double *x, const double *mean_value,
                           const double *weights, const double *start,
                           libcs_clv_fit *out)
{
    if (!x || !mean_value || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (start)
        LIBCS_TRY(libcs__check_params(start, 3));
    LIBCS_TRY(check_rows(n, x, mean_value, weights));
    /* starts: the caller's, then a spread of shapes (p, q), with gamma set
     * so that the population mean p gamma / (q - 1) is the data's
     * geometric mean value: the scale follows the currency unit, and in
     * logs it cannot overflow */
    double lmean = 0.0, total_w = 0.0;
    for (size_t i = 0; i < n; i++)
        total_w += weights ? weights[i] : 1.0;
    if (!(total_w > 0.0))
        return LIBCS_EEMPTY; /* every weight is 0 */
    if (!isfinite(total_w))
        return LIBCS_EOVERFLOW; /* the weights' sum is beyond a double */
    for (size_t i = 0; i < n; i++) /* |log m| < 745: no overflow */
        lmean += (weights ? weights[i] / total_w : 1.0 / total_w) *
                 log(mean_value[i]);
    static const double shapes[5][2] = {
        {1.0, 2.0}, {5.0, 3.0}, {0.5, 4.0}, {10.0, 10.0}, {2.0, 1.5}};
    double starts[6][3];
    int n_starts = 0;
    if (start) {
        for (int i = 0; i < 3; i++)
            starts[0][i] = log(start[i]);
        n_starts = 1;
    }
    for (int s = 0; s < 5; s++, n_starts++) {
        starts[n_starts][0] = log(shapes[s][0]);
        starts[n_starts][1] = log(shapes[s][1]);
        starts[n_starts][2] =
            lmean + log((shapes[s][1] - 1.0) / shapes[s][0]);
    }
    /* fit on sufficient statistics: identical (x, m) become one weighted
     * row */
    double *rows = malloc(2 * n * sizeof *rows), *u = malloc(2 * n * sizeof *u),
           *uw = malloc(n * sizeof *uw);
    size_t m = 0;
    int rc = rows && u && uw ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t i = 0; i < n; i++) {
            rows[2 * i] = x[i];
            rows[2 * i + 1] = mean_value[i];
        }
        rc = libcs__compress(n, 2, rows, weights, u, uw, &m);
    }
    double *ux = rows, *um = rows + m;
    if (rc == LIBCS_OK)
        for (size_t i = 0; i < m; i++) {
            ux[i] = u[2 * i];
            um[i] = u[2 * i + 1];
        }
    struct gg_data d;
    if (rc == LIBCS_OK)
        rc = gg_data_init(&d, m, ux, um, uw);
    if (rc == LIBCS_OK) {
        /* the optimiser works on the mean -LL per customer, whose gradient
         * is O(1) whatever the data size, and without the constant
         * -sum w log m: what remains depends on the mean values only
         * through m / gamma, so the fit is the same in any currency unit
         * (cents or dollars), convergence tests included.  The results are
         * scaled back. */
        const double c = d.sum_log_m;
        d.sum_log_m = 0.0;
        d.scale = 1.0 / total_w;
        libcs_clv_fit r;
        rc = libcs__optim_fit(gg_objective, &d, 3, &starts[0][0], n_starts,
                              NULL, NULL, total_w, &r);
        if (rc == LIBCS_OK || rc == LIBCS_ENOCONV) {
            r.loglik -= c;
            if (isfinite(r.loglik))
                *out = r;
            else
                rc = LIBCS_EOVERFLOW;
        } else if (rc != LIBCS_ENOMEM) {
            /* no start could be evaluated: valid data whose likelihood
             * is beyond the range of a double everywhere tried */
            rc = LIBCS_EOVERFLOW;
        }
        gg_data_free(&d);
    }
    free(rows), free(u), free(uw);
    return rc;
}

/* ---- the expected mean spend ------------------------------------------------- */

/* A customer to predict for: x a whole number >= 0 (<= 1e15), its mean
 * value finite, > 0 when x >= 1 and >= 0 (and ignored) when x = 0, so
 * that a one-time buyer's row (x = 0, mean 0 or its first amount) is
 * valid. */
static int check_expected_row(double x, double m)
{
    if (!isfinite(x) || !isfinite(m))
        return LIBCS_ENONFINITE;
    if (x < 0.0 || x != floor(x) || x > 1e15)
        return LIBCS_EDOMAIN;
    if (x == 0.0 ? m < 0.0 : !(m > 0.0))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

/* E[M | x, m] = (p (gamma + x m)) / (px + q - 1), written as the weighted
 * average of the population mean p gamma / (q - 1) and the customer's own
 * mean m (Fader, Hardie & Lee 2005):
 *   gamma / (x + (q - 1) / p) + m / (1 + (q - 1) / (px)),
 * two terms that neither overflow before the result does nor turn into
 * inf / inf when px overflows. */
static int expected(const double *p, double x, double m, double *out)
{
    LIBCS_TRY(check_expected_row(x, m));
    if (!(p[1] > 1.0))
        return LIBCS_EUNDEFINED;
    const double qm1 = p[1] - 1.0;
    if (x == 0.0) /* no transaction: the population mean, m ignored */
        return libcs_store_finite(p[2] / (qm1 / p[0]), out);
    return libcs_store_finite(
        p[2] / (x + qm1 / p[0]) + m / (1.0 + qm1 / (p[0] * x)), out);
}

LIBCS_API int libcs_gg_expected(const double *params, double x,
                                double mean_value, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 3));
    return expected(params, x, mean_value, out);
}

LIBCS_API int libcs_gg_expected_batch(const double *params, size_t n,
                                      const double *x,
                                      const double *mean_value, double *out,
                                      size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 3, n, x, mean_value, out);
    /* every row before q <= 1, as a single call checks its row first:
     * a bad row is reported (with its index) whatever q is */
    for (size_t i = 0; i < n; i++) {
        int rc = check_expected_row(x[i], mean_value[i]);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    if (!(params[1] > 1.0))
        return LIBCS_EUNDEFINED;
#define CALL(i, dst) expected(params, x[i], mean_value[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* ---- simulation -------------------------------------------------------------- */

/* log of a Gamma(shape, scale 1) variate; for shape < 1 the boost
 * G(a) = G(a + 1) U^(1/a) is taken in logs, where U^(1/a) would underflow */
static double log_gamma_variate(struct libcs_rng *g, double shape)
{
    if (shape < 1.0)
        return log(libcs_rng_gamma(g, shape + 1.0)) +
               log(libcs_rng_uniform(g)) / shape;
    return log(libcs_rng_gamma(g, shape));
}

/* The mean of x values Gamma(p, rate nu), nu ~ Gamma(q, rate gamma): their
 * sum is Gamma(px, rate nu), so one variate serves for any x. */
static double simulate_one(struct libcs_rng *g, const double *p, double x)
{
    const double lnu = log_gamma_variate(g, p[1]) - log(p[2]);
    const double lsum = log_gamma_variate(g, p[0] * x);
    return exp(lsum - lnu - log(x));
}

LIBCS_API int libcs_gg_simulate(const double *params, size_t n,
                                const double *x, uint64_t seed,
                                double *mean_value)
{
    LIBCS_BATCH_ARGS(params, 3, n, x, mean_value);
    for (size_t i = 0; i < n; i++)
        LIBCS_TRY(check_x(x[i]));
    /* two passes over the same stream: the first checks that every mean
     * is a positive double (extreme parameters can leave that range), the
     * second writes, so that mean_value is untouched on error */
    struct libcs_rng g;
    libcs_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        double v = simulate_one(&g, params, x[i]);
        if (!isfinite(v) || !(v > 0.0))
            return LIBCS_EOVERFLOW;
    }
    libcs_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++)
        mean_value[i] = simulate_one(&g, params, x[i]);
    return LIBCS_OK;
}
