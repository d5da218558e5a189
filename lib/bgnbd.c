/* lib/bgnbd.c - the BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your
 * Customers the Easy Way"): log-likelihood with its analytic gradient,
 * maximum-likelihood fit, predictions, discounted CLV and a simulator. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "rng.h"

/* ---- validation ----------------------------------------------------------- */

static int check_params(const double *p, int k)
{
    if (!p)
        return LIBCS_EINVAL;
    for (int i = 0; i < k; i++)
        if (!isfinite(p[i]))
            return LIBCS_ENONFINITE;
    for (int i = 0; i < k; i++)
        if (!(p[i] > 0.0))
            return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

/* One customer: x a whole number >= 0, 0 <= t_x <= T, and no repeat
 * purchase time without repeat purchases. */
static int check_row(double x, double t_x, double T)
{
    if (!isfinite(x) || !isfinite(t_x) || !isfinite(T))
        return LIBCS_ENONFINITE;
    if (x < 0.0 || x != floor(x) || x > 1e15 || t_x < 0.0 || t_x > T ||
        (x == 0.0 && t_x != 0.0))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

static int check_rows(size_t n, const double *x, const double *t_x,
                      const double *T, const double *w, size_t *bad_index)
{
    for (size_t i = 0; i < n; i++) {
        int rc = check_row(x[i], t_x[i], T[i]);
        if (rc == LIBCS_OK && w)
            rc = !isfinite(w[i]) ? LIBCS_ENONFINITE
                 : w[i] < 0.0    ? LIBCS_EDOMAIN
                                 : LIBCS_OK;
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    return LIBCS_OK;
}

/* log(u + v) for u, v >= 0 (not both 0), even when u + v overflows */
static inline double log_sum(double u, double v)
{
    double s = u + v;
    if (isfinite(s))
        return log(s);
    double m = fmax(u, v);
    return log(m) + log1p(fmin(u, v) / m);
}

/* ---- the log-likelihood ------------------------------------------------- */

#define SUBSAMPLE 20000 /* rows of the warm-start fit on large data */

/* Rows with the terms that depend on x alone shared through a table over
 * the distinct x values: each evaluation computes lgamma and digamma
 * differences once per distinct x, by running sums over small gaps. */
struct bg_data {
    size_t n, nx;
    const double *x, *t_x, *T, *w;
    uint32_t *xi;  /* row -> index into xs */
    double *xs;    /* distinct x, ascending */
    double *table; /* 8 x nx scratch for one evaluation */
    double scale;  /* 1 / total weight: the optimiser sees the mean -LL */
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bg_data_init(struct bg_data *d, size_t n, const double *x,
                        const double *t_x, const double *T, const double *w)
{
    memset(d, 0, sizeof *d);
    d->n = n, d->x = x, d->t_x = t_x, d->T = T, d->w = w;
    d->scale = 1.0;
    double *sorted = malloc(n * sizeof *sorted);
    d->xi = malloc(n * sizeof *d->xi);
    if (!sorted || !d->xi) {
        free(sorted), free(d->xi);
        return LIBCS_ENOMEM;
    }
    /* the distinct x: a counting pass when they are not too spread out
     * (they are whole numbers), a sort otherwise */
    double max_x = 0.0;
    for (size_t i = 0; i < n; i++)
        max_x = x[i] > max_x ? x[i] : max_x;
    size_t nx = 0;
    if (max_x <= 4.0 * (double)n + 4096.0) {
        size_t range = (size_t)max_x + 1;
        uint8_t *seen = calloc(range, 1);
        if (!seen) {
            free(sorted), free(d->xi);
            return LIBCS_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            seen[(size_t)x[i]] = 1;
        for (size_t v = 0; v < range; v++)
            if (seen[v])
                sorted[nx++] = (double)v;
        free(seen);
    } else {
        memcpy(sorted, x, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || sorted[i] != sorted[i - 1])
                sorted[nx++] = sorted[i];
    }
    d->xs = sorted;
    d->nx = nx;
    d->table = malloc(8 * nx * sizeof *d->table);
    if (!d->table) {
        free(d->xs), free(d->xi);
        return LIBCS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = nx;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (d->xs[mid] <= x[i])
                lo = mid;
            else
                hi = mid;
        }
        d->xi[i] = (uint32_t)lo;
    }
    return LIBCS_OK;
}

static void bg_data_free(struct bg_data *d)
{
    free(d->xs), free(d->xi), free(d->table);
}

/* lgamma(u + x) - lgamma(u) and digamma(u + x) - digamma(u) for each
 * distinct x: running sums of log(u + i) and 1 / (u + i) over small gaps,
 * lgamma/digamma differences over large ones. */
static void diff_table(const double *xs, size_t nx, double u, double *lg,
                       double *dg)
{
    double cl = 0.0, cd = 0.0, at = 0.0;
    int sign;
    for (size_t j = 0; j < nx; j++) {
        double target = xs[j];
        if (target - at <= 64.0) {
            for (; at < target; at += 1.0) {
                cl += log(u + at);
                cd += 1.0 / (u + at);
            }
        } else {
            cl = lgamma_r(u + target, &sign) - lgamma_r(u, &sign);
            cd = libcs__digamma(u + target) - libcs__digamma(u);
            at = target;
        }
        lg[j] = cl;
        dg[j] = cd;
    }
}

/* -LL and its gradient with respect to log-parameters */
static int bg_objective(void *ctx, const double *theta, double *f,
                        double *grad)
{
    const struct bg_data *d = ctx;
    const double r = exp(theta[0]), alpha = exp(theta[1]), a = exp(theta[2]),
                 b = exp(theta[3]);
    if (!isfinite(r) || !isfinite(alpha) || !isfinite(a) || !isfinite(b) ||
        r == 0.0 || alpha == 0.0 || a == 0.0 || b == 0.0)
        return LIBCS_EDOMAIN;
    double *lr = d->table, *dr = lr + d->nx, *lb = dr + d->nx,
           *db = lb + d->nx, *dab = db + d->nx;
    /* log B(a, b + x) / B(a, b) = [lg(b+x) - lg(b)] - [lg(a+b+x) - lg(a+b)] */
    diff_table(d->xs, d->nx, r, lr, dr);
    diff_table(d->xs, d->nx, b, lb, db);
    double *lab = dab + d->nx, *dgab = lab + d->nx, *lbx = dgab + d->nx;
    diff_table(d->xs, d->nx, a + b, lab, dgab);
    for (size_t j = 0; j < d->nx; j++) {
        lb[j] -= lab[j];
        dab[j] = -dgab[j]; /* d/da of the log B ratio */
        db[j] -= dgab[j];  /* d/db */
        lbx[j] = d->xs[j] > 0.0 ? log(b + d->xs[j] - 1.0) : 0.0;
    }
    const double la = log(a), lalpha = log(alpha);
    double ll = 0.0, g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        if (w == 0.0)
            continue;
        const size_t j = d->xi[i];
        const double x = d->x[i], rx = r + x;
        const double l_aT = log_sum(alpha, d->T[i]);
        const double A3 = -rx * l_aT;
        if (x == 0.0) { /* the common case: L = A3, weight 1 on it */
            ll += w * (lr[j] + r * lalpha + lb[j] + A3);
            if (grad) {
                g0 += w * (dr[j] + lalpha - l_aT);
                g1 += w * (r / alpha - rx / (alpha + d->T[i]));
                g2 += w * dab[j];
                g3 += w * db[j];
            }
            continue;
        }
        /* L = log(e^A3 + e^A4) with one exp and one log1p: e = e^-|A3-A4|,
         * and the weights of the two terms are 1/(1+e) and e/(1+e) */
        const double l_atx = log_sum(alpha, d->t_x[i]);
        const double A4 = la - lbx[j] - rx * l_atx;
        const double e = exp(-fabs(A3 - A4)), big = 1.0 / (1.0 + e);
        const double L = fmax(A3, A4) + log1p(e);
        const double w3 = A3 >= A4 ? big : e * big;
        const double w4 = A3 >= A4 ? e * big : big;
        ll += w * (lr[j] + r * lalpha + lb[j] + L);
        if (grad) {
            g0 += w * (dr[j] + lalpha - w3 * l_aT - w4 * l_atx);
            g1 += w * (r / alpha - w3 * rx / (alpha + d->T[i]) -
                       w4 * rx / (alpha + d->t_x[i]));
            g2 += w * (dab[j] + w4 / a);
            g3 += w * (db[j] - w4 / (b + x - 1.0));
        }
    }
    if (!isfinite(ll))
        return LIBCS_EOVERFLOW; /* finite inputs, a sum past a double */
    const double sc = d->scale;
    *f = -ll * sc;
    if (grad) {
        grad[0] = -g0 * r * sc;
        grad[1] = -g1 * alpha * sc;
        grad[2] = -g2 * a * sc;
        grad[3] = -g3 * b * sc;
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_bgnbd_loglik(size_t n, const double *x, const double *t_x,
                                 const double *T, const double *weights,
                                 const double *params, double *loglik)
{
    if (!x || !t_x || !T || !params || !loglik)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_params(params, 4));
    LIBCS_TRY(check_rows(n, x, t_x, T, weights, NULL));
    struct bg_data d;
    LIBCS_TRY(bg_data_init(&d, n, x, t_x, T, weights));
    double theta[4], f;
    for (int i = 0; i < 4; i++)
        theta[i] = log(params[i]);
    int rc = bg_objective(&d, theta, &f, NULL);
    bg_data_free(&d);
    if (rc == LIBCS_OK)
        rc = libcs_store_finite(-f, loglik);
    return rc;
}

LIBCS_API int libcs_bgnbd_fit(size_t n, const double *x, const double *t_x,
                              const double *T, const double *weights,
                              const double *start, libcs_clv_fit *out)
{
    if (!x || !t_x || !T || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (start)
        LIBCS_TRY(check_params(start, 4));
    LIBCS_TRY(check_rows(n, x, t_x, T, weights, NULL));
    /* starts: the caller's, then a spread that covers CDNOW-like data and
     * more regular buyers; alpha is scaled to the observation length */
    double mean_T = 0.0, total_w = 0.0;
    for (size_t i = 0; i < n; i++) {
        double w = weights ? weights[i] : 1.0;
        mean_T += w * T[i];
        total_w += w;
    }
    if (!(total_w > 0.0))
        return LIBCS_EEMPTY; /* every weight is 0 */
    mean_T = mean_T / total_w > 0.0 ? mean_T / total_w : 1.0;
    double starts[5][4] = {{1.0, mean_T / 4, 1.0, 1.0},
                           {0.5, mean_T / 10, 0.5, 2.0},
                           {0.2, mean_T / 2, 2.0, 5.0},
                           {2.0, mean_T, 0.2, 0.5},
                           {1.0, 1.0, 1.0, 1.0}};
    int n_starts = 5;
    if (start)
        memcpy(starts[0], start, sizeof starts[0]);
    for (int s = 0; s < n_starts; s++)
        for (int i = 0; i < 4; i++)
            starts[s][i] = log(starts[s][i]);
    /* fit on sufficient statistics: identical rows become one weighted row */
    double *rows = malloc(3 * n * sizeof *rows), *u = malloc(3 * n * sizeof *u),
           *uw = malloc(n * sizeof *uw);
    size_t m = 0;
    int rc = rows && u && uw ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t i = 0; i < n; i++) {
            rows[3 * i] = x[i];
            rows[3 * i + 1] = t_x[i];
            rows[3 * i + 2] = T[i];
        }
        rc = libcs__compress(n, 3, rows, weights, u, uw, &m);
    }
    double *ux = rows, *utx = rows + m, *uT = rows + 2 * m;
    if (rc == LIBCS_OK)
        for (size_t i = 0; i < m; i++) {
            ux[i] = u[3 * i];
            utx[i] = u[3 * i + 1];
            uT[i] = u[3 * i + 2];
        }
    /* many distinct rows: find the maximum of an evenly spaced subsample
     * from every start first, then refine it on all rows from there */
    double h0[16];
    int have_h0 = 0;
    if (rc == LIBCS_OK && m > 4 * SUBSAMPLE) {
        size_t stride = m / SUBSAMPLE, k = 0;
        double *sx = u, *stx = u + SUBSAMPLE, *sT = u + 2 * SUBSAMPLE,
               *sw = malloc(SUBSAMPLE * sizeof *sw);
        if (!sw)
            rc = LIBCS_ENOMEM;
        for (size_t i = 0; rc == LIBCS_OK && k < SUBSAMPLE; i += stride, k++) {
            sx[k] = ux[i], stx[k] = utx[i], sT[k] = uT[i];
            sw[k] = uw[i];
        }
        struct bg_data sd;
        libcs_clv_fit warm;
        double sub_w = 0.0;
        for (size_t i = 0; i < k; i++)
            sub_w += sw ? sw[i] : 0.0;
        if (rc == LIBCS_OK && sub_w > 0.0 &&
            bg_data_init(&sd, k, sx, stx, sT, sw) == LIBCS_OK) {
            sd.scale = 1.0 / sub_w;
            if (libcs__optim_fit(bg_objective, &sd, 4, &starts[0][0], n_starts,
                                 NULL, h0, &warm) == LIBCS_OK) {
                for (int i = 0; i < 4; i++)
                    starts[0][i] = log(warm.params[i]);
                n_starts = 1;
                have_h0 = 1;
            }
            bg_data_free(&sd);
        }
        free(sw);
    }
    struct bg_data d;
    if (rc == LIBCS_OK)
        rc = bg_data_init(&d, m, ux, utx, uT, uw);
    if (rc == LIBCS_OK) {
        /* the optimiser works on the mean -LL per customer, whose gradient
         * is O(1) whatever the data size; the results are scaled back */
        d.scale = 1.0 / total_w;
        libcs_clv_fit r;
        rc = libcs__optim_fit(bg_objective, &d, 4, &starts[0][0], n_starts,
                              have_h0 ? h0 : NULL, NULL, &r);
        if (rc == LIBCS_OK || rc == LIBCS_ENOCONV) {
            r.loglik *= total_w;
            for (int i = 0; i < 4; i++)
                r.se[i] /= sqrt(total_w);
            *out = r;
        }
        bg_data_free(&d);
    }
    free(rows), free(u), free(uw);
    return rc;
}

/* ---- predictions ------------------------------------------------------------ */

/* Gauss's series 2F1(A, B; C; z) for 0 <= z < 1, summed until the terms
 * stop mattering; LIBCS_ENOCONV when that takes more than 10^6 terms
 * (z within about 1e-5 of 1). */
static int hyp2f1(double A, double B, double C, double z, double *out)
{
    double term = 1.0, sum = 1.0;
    for (int k = 0; k < 1000000; k++) {
        term *= (A + k) * (B + k) / ((C + k) * (k + 1.0)) * z;
        sum += term;
        if (!isfinite(sum))
            return LIBCS_EOVERFLOW; /* before the test: inf <= 1e-17 inf */
        if (fabs(term) <= 1e-17 * fabs(sum) && k > 2)
            break;
        if (k == 999999)
            return LIBCS_ENOCONV;
    }
    *out = sum;
    return LIBCS_OK;
}

/* E[Y(t) | x, t_x, T] times P(alive): the numerator of FHL (10), with
 * Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z):
 * with A = r + x, B = b + x, C = a + b + x - 1 the power combines with
 * ((alpha+T)/(alpha+T+t))^(r+x) = (1-z)^(r+x) into (1-z)^(a-1), and the
 * remaining series has bounded parameters and a large C: no overflow for
 * large x. */
static int expected_alive(const double *p, double x, double T, double t,
                          double *out)
{
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    if (t == 0.0) {
        *out = 0.0;
        return LIBCS_OK;
    }
    double am1 = a - 1.0;
    if (fabs(am1) < 1e-9) { /* the formula's 0/0 at a = 1: average nearby */
        double lo, hi, q[4] = {r, alpha, 1.0 - 2e-9, b};
        LIBCS_TRY(expected_alive(q, x, T, t, &lo));
        q[2] = 1.0 + 2e-9;
        LIBCS_TRY(expected_alive(q, x, T, t, &hi));
        *out = 0.5 * (lo + hi);
        return LIBCS_OK;
    }
    const double z = t / (alpha + T + t), C = a + b + x - 1.0;
    double F;
    LIBCS_TRY(hyp2f1(a + b - 1.0 - r, am1, C, z, &F));
    /* (C / (a - 1)) (1 - (1-z)^(a-1) F), written as (C / (a - 1)) ((1 -
     * (1-z)^(a-1)) - (1-z)^(a-1) (F - 1)) with expm1: no cancellation when
     * C is large or t tiny; an expectation is never below 0 */
    const double l = am1 * log1p(-z), pw = exp(l);
    double e = C / am1 * (-expm1(l) - pw * (F - 1.0));
    return libcs_store_finite(e > 0.0 ? e : 0.0, out);
}

/* P(alive | x, t_x, T) as 1 / (1 + e^l), l from FHL (11) in logs */
static double palive(const double *p, double x, double t_x, double T)
{
    if (x == 0.0)
        return 1.0;
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    double l = log(a) - log_sum(b, x - 1.0) +
               (r + x) * (log_sum(alpha, T) - log_sum(alpha, t_x));
    return l > 0.0 ? exp(-l) / (1.0 + exp(-l)) : 1.0 / (1.0 + exp(l));
}

LIBCS_API int libcs_bgnbd_expected(const double *params, double t,
                                   double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_params(params, 4));
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    if (t < 0.0)
        return LIBCS_EDOMAIN;
    /* a new customer: x = 0, T = 0, alive */
    return expected_alive(params, 0.0, 0.0, t, out);
}

LIBCS_API int libcs_bgnbd_pmf(const double *params, double t, uint32_t k,
                              double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_params(params, 4));
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    if (t < 0.0)
        return LIBCS_EDOMAIN;
    const double r = params[0], alpha = params[1], a = params[2],
                 b = params[3], n = (double)k;
    int s;
    const double lq = log(alpha) - log(alpha + t); /* log(alpha/(alpha+t)) */
    const double lz = t > 0.0 ? log(t) - log(alpha + t) : -INFINITY;
    const double lbab = lgamma_r(a, &s) + lgamma_r(b, &s) - lgamma_r(a + b, &s);
    /* FHL (8): B(a, b+n)/B(a, b) NB(n) + [n > 0] B(a+1, b+n-1)/B(a, b) (1 -
     * sum_{j<n} NB(j)), NB(j) = Gamma(r+j)/(Gamma(r) j!) q^r z^j */
    double first = lgamma_r(a, &s) + lgamma_r(b + n, &s) -
                   lgamma_r(a + b + n, &s) - lbab + lgamma_r(r + n, &s) -
                   lgamma_r(r, &s) - lgamma_r(n + 1.0, &s) + r * lq +
                   (k > 0 ? n * lz : 0.0);
    double pr = exp(first);
    if (k > 0) {
        double cdf = 0.0;
        for (uint32_t j = 0; j < k; j++) {
            double lj = lgamma_r(r + j, &s) - lgamma_r(r, &s) -
                        lgamma_r(j + 1.0, &s) + r * lq +
                        (j > 0 ? j * lz : 0.0);
            cdf += exp(lj);
        }
        double tail = cdf < 1.0 ? 1.0 - cdf : 0.0;
        pr += exp(lgamma_r(a + 1.0, &s) + lgamma_r(b + n - 1.0, &s) -
                  lgamma_r(a + b + n, &s) - lbab) *
              tail;
    }
    return libcs_store_finite(pr, out);
}

static int conditional(const double *p, double x, double t_x, double T,
                       double t, double *out)
{
    LIBCS_TRY(check_row(x, t_x, T));
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    if (t < 0.0)
        return LIBCS_EDOMAIN;
    double e;
    LIBCS_TRY(expected_alive(p, x, T, t, &e));
    return libcs_store_finite(e * palive(p, x, t_x, T), out);
}

LIBCS_API int libcs_bgnbd_conditional(const double *params, double x,
                                      double t_x, double T, double t,
                                      double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_params(params, 4));
    return conditional(params, x, t_x, T, t, out);
}

/* The series of expected_alive for one x, its coefficients computed once
 * and extended on demand: c_0 = 1, c_{k+1} = c_k (A+k)(B+k) / ((C+k)(k+1)). */
struct xseries {
    double C;
    double *c;
    size_t len;
};

static int extend_series(struct xseries *s, double A, double B, size_t need)
{
    if (need > 2000000)
        return LIBCS_ENOCONV; /* as hyp2f1: z too close to 1 */
    size_t cap = s->len ? s->len : 64;
    while (cap < need)
        cap *= 2;
    double *c = realloc(s->c, cap * sizeof *c);
    if (!c)
        return LIBCS_ENOMEM;
    if (s->len == 0)
        c[s->len++] = 1.0;
    for (size_t k = s->len - 1; s->len < cap; k++)
        c[s->len++] = c[k] * (A + (double)k) * (B + (double)k) /
                      ((s->C + (double)k) * ((double)k + 1.0));
    s->c = c;
    return LIBCS_OK;
}

LIBCS_API int libcs_bgnbd_conditional_batch(const double *params, size_t n,
                                            const double *x,
                                            const double *t_x,
                                            const double *T, double t,
                                            double *out, size_t *bad_index)
{
    if (!params || !x || !t_x || !T || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_params(params, 4));
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    if (t < 0.0)
        return LIBCS_EDOMAIN;
    for (size_t i = 0; i < n; i++) {
        int rc = check_row(x[i], t_x[i], T[i]);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    const double r = params[0], alpha = params[1], a = params[2],
                 b = params[3], am1 = a - 1.0;
    if (fabs(am1) < 1e-9 || t == 0.0) {
        /* the rare cases the scalar code handles specially */
#define CALL(i, dst) conditional(params, x[i], t_x[i], T[i], t, dst)
        LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
    }
    /* The series depends on x alone through C = a + b + x - 1: its
     * coefficients are shared by every customer with the same x (the
     * distinct x are found as for the likelihood), so each customer costs a
     * polynomial in z without divisions. */
    struct bg_data d;
    LIBCS_TRY(bg_data_init(&d, n, x, t_x, T, NULL));
    struct xseries *ser = calloc(d.nx, sizeof *ser);
    double *res = malloc(n * sizeof *res);
    int rc = ser && res ? LIBCS_OK : LIBCS_ENOMEM;
    for (size_t j = 0; rc == LIBCS_OK && j < d.nx; j++)
        ser[j].C = a + b + d.xs[j] - 1.0;
    const double A = a + b - 1.0 - r, B = am1;
    for (size_t i = 0; rc == LIBCS_OK && i < n; i++) {
        struct xseries *sj = &ser[d.xi[i]];
        const double z = t / (alpha + T[i] + t);
        double sum = 0.0, pw = 1.0;
        for (size_t k = 0;; k++) {
            if (k == sj->len &&
                (rc = extend_series(sj, A, B, 2 * k + 64)) != LIBCS_OK) {
                if (bad_index)
                    *bad_index = i;
                break;
            }
            double term = sj->c[k] * pw;
            sum += term;
            if (fabs(term) <= 1e-17 * fabs(sum) && k > 2)
                break;
            pw *= z;
        }
        if (rc != LIBCS_OK)
            break;
        const double l = am1 * log1p(-z);
        double e = sj->C / am1 * (-expm1(l) - exp(l) * (sum - 1.0));
        e = e > 0.0 ? e : 0.0;
        res[i] = e * palive(params, x[i], t_x[i], T[i]);
        if (!isfinite(res[i]))
            rc = LIBCS_EOVERFLOW;
        if (rc != LIBCS_OK && bad_index)
            *bad_index = i;
    }
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    for (size_t j = 0; ser && j < d.nx; j++)
        free(ser[j].c);
    free(ser), free(res);
    bg_data_free(&d);
    return rc;
}

static int palive_one(const double *p, double x, double t_x, double T,
                      double *out)
{
    LIBCS_TRY(check_row(x, t_x, T));
    *out = palive(p, x, t_x, T);
    return LIBCS_OK;
}

LIBCS_API int libcs_bgnbd_palive(const double *params, double x, double t_x,
                                 double T, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_params(params, 4));
    return palive_one(params, x, t_x, T, out);
}

LIBCS_API int libcs_bgnbd_palive_batch(const double *params, size_t n,
                                       const double *x, const double *t_x,
                                       const double *T, double *out,
                                       size_t *bad_index)
{
    if (!params || !x || !t_x || !T || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_params(params, 4));
#define CALL(i, dst) palive_one(params, x[i], t_x[i], T[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* ---- CLV ------------------------------------------------------------------------------ */

static int clv(const double *p, double x, double t_x, double T, double value,
               double step, uint32_t steps, double discount, double *out)
{
    LIBCS_TRY(check_row(x, t_x, T));
    if (!isfinite(value) || !isfinite(step) || !isfinite(discount))
        return LIBCS_ENONFINITE;
    if (value < 0.0 || !(step > 0.0) || !(discount > -1.0))
        return LIBCS_EDOMAIN;
    const double alive = palive(p, x, t_x, T);
    double total = 0.0, prev = 0.0, factor = 1.0;
    for (uint32_t k = 1; k <= steps; k++) {
        double e;
        LIBCS_TRY(expected_alive(p, x, T, step * k, &e));
        factor /= 1.0 + discount;
        /* E[Y] grows with t; rounding must not make an increment negative */
        total += (e > prev ? e - prev : 0.0) * factor;
        prev = e > prev ? e : prev;
    }
    return libcs_store_finite(total * alive * value, out);
}

LIBCS_API int libcs_bgnbd_clv(const double *params, double x, double t_x,
                              double T, double value, double step,
                              uint32_t steps, double discount, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_params(params, 4));
    return clv(params, x, t_x, T, value, step, steps, discount, out);
}

LIBCS_API int libcs_bgnbd_clv_batch(const double *params, size_t n,
                                    const double *x, const double *t_x,
                                    const double *T, const double *value,
                                    double step, uint32_t steps,
                                    double discount, double *out,
                                    size_t *bad_index)
{
    if (!params || !x || !t_x || !T || !value || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_params(params, 4));
#define CALL(i, dst)                                                           \
    clv(params, x[i], t_x[i], T[i], value[i], step, steps, discount, dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* ---- simulation -------------------------------------------------------------- */

LIBCS_API int libcs_bgnbd_simulate(const double *params, size_t n,
                                   const double *T, uint64_t seed, double *x,
                                   double *t_x)
{
    if (!params || !T || !x || !t_x)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_params(params, 4));
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(T[i]))
            return LIBCS_ENONFINITE;
        if (T[i] < 0.0)
            return LIBCS_EDOMAIN;
    }
    struct libcs_rng g;
    libcs_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        /* lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b); Poisson purchases
         * after the first at time 0, dropping out after each repeat
         * purchase with probability p */
        double lambda = libcs_rng_gamma(&g, params[0]) / params[1];
        double p = libcs_rng_beta(&g, params[2], params[3]);
        double t = 0.0, last = 0.0, count = 0.0;
        while (lambda > 0.0) {
            t += -log(libcs_rng_uniform(&g)) / lambda;
            if (t > T[i])
                break;
            count += 1.0;
            last = t;
            if (libcs_rng_uniform(&g) < p)
                break;
        }
        x[i] = count;
        t_x[i] = last;
    }
    return LIBCS_OK;
}
