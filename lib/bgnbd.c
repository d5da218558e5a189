/* lib/bgnbd.c - the BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your
 * Customers the Easy Way"): log-likelihood with its analytic gradient,
 * maximum-likelihood fit, predictions, discounted CLV and a simulator. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "rng.h"

/* ---- the log-likelihood ------------------------------------------------- */

/* Rows with the terms that depend on x alone shared through a table over
 * the distinct x values: each evaluation computes lgamma and digamma
 * differences once per distinct x, by running sums over small gaps. */
struct bg_data {
    size_t n;
    const double *x, *t_x, *T, *w;
    struct libcs__xtab tab; /* the distinct x and each row's index */
    double *table; /* 8 x nx scratch for one evaluation */
    double scale;  /* 1 / total weight: the optimiser sees the mean -LL */
};

static int bg_data_init(struct bg_data *d, size_t n, const double *x,
                        const double *t_x, const double *T, const double *w)
{
    memset(d, 0, sizeof *d);
    d->n = n, d->x = x, d->t_x = t_x, d->T = T, d->w = w;
    d->scale = 1.0;
    LIBCS_TRY(libcs__xtab_init(&d->tab, n, x));
    d->table = malloc(8 * d->tab.nx * sizeof *d->table);
    if (!d->table) {
        libcs__xtab_free(&d->tab);
        return LIBCS_ENOMEM;
    }
    return LIBCS_OK;
}

static void bg_data_free(struct bg_data *d)
{
    libcs__xtab_free(&d->tab);
    free(d->table);
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
    const size_t nx = d->tab.nx;
    const double *xs = d->tab.xs;
    double *lr = d->table, *dr = lr + nx, *lb = dr + nx, *db = lb + nx,
           *dab = db + nx;
    /* log B(a, b + x) / B(a, b) = [lg(b+x) - lg(b)] - [lg(a+b+x) - lg(a+b)] */
    libcs__diff_table(xs, nx, r, lr, dr);
    libcs__diff_table(xs, nx, b, lb, db);
    double *lab = dab + nx, *dgab = lab + nx, *lbx = dgab + nx;
    libcs__diff_table(xs, nx, a + b, lab, dgab);
    for (size_t j = 0; j < nx; j++) {
        lb[j] -= lab[j];
        dab[j] = -dgab[j]; /* d/da of the log B ratio */
        db[j] -= dgab[j];  /* d/db */
        lbx[j] = xs[j] > 0.0 ? log(b + xs[j] - 1.0) : 0.0;
    }
    const double la = log(a), lalpha = log(alpha);
    double ll = 0.0, g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        if (w == 0.0)
            continue;
        const size_t j = d->tab.xi[i];
        const double x = d->x[i], rx = r + x;
        const double l_aT = libcs_log_sum(alpha, d->T[i]);
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
        const double l_atx = libcs_log_sum(alpha, d->t_x[i]);
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
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(libcs__check_xtT_rows(n, x, t_x, T, weights, NULL));
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

static int bg_init(void *ctx, size_t n, const double *x, const double *t_x,
                   const double *T, const double *w, double scale)
{
    struct bg_data *d = ctx;
    LIBCS_TRY(bg_data_init(d, n, x, t_x, T, w));
    d->scale = scale;
    return LIBCS_OK;
}

static void bg_fini(void *ctx)
{
    bg_data_free(ctx);
}

static const struct libcs__rows_model bg_model = {
    4, sizeof(struct bg_data), bg_init, bg_fini, bg_objective};

LIBCS_API int libcs_bgnbd_fit(size_t n, const double *x, const double *t_x,
                              const double *T, const double *weights,
                              const double *start, libcs_clv_fit *out)
{
    if (!x || !t_x || !T || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (start)
        LIBCS_TRY(libcs__check_params(start, 4));
    LIBCS_TRY(libcs__check_xtT_rows(n, x, t_x, T, weights, NULL));
    /* starts: the caller's, then a spread that covers CDNOW-like data and
     * more regular buyers; alpha is scaled to the observation length */
    double mean_T = 0.0, total_w = 0.0;
    for (size_t i = 0; i < n; i++) {
        double w = weights ? weights[i] : 1.0;
        mean_T += w * T[i];
        total_w += w;
    }
    mean_T = total_w > 0.0 && mean_T / total_w > 0.0 ? mean_T / total_w : 1.0;
    double starts[5][4] = {{1.0, mean_T / 4, 1.0, 1.0},
                           {0.5, mean_T / 10, 0.5, 2.0},
                           {0.2, mean_T / 2, 2.0, 5.0},
                           {2.0, mean_T, 0.2, 0.5},
                           {1.0, 1.0, 1.0, 1.0}};
    if (start)
        memcpy(starts[0], start, sizeof starts[0]);
    return libcs__fit_rows(&bg_model, n, x, t_x, T, weights, &starts[0][0], 5,
                           out);
}

/* ---- predictions ------------------------------------------------------------ */

/* Gauss's series 2F1(A, B; C; z) for 0 <= z < 1, summed until the terms
 * stop mattering; LIBCS_ENOCONV when that takes more than 10^6 terms
 * (z within about 1e-5 of 1). */
/* G = (2F1(A, B; C; z) - 1) / B = sum_{k>=1} (A)_k (B+1)_{k-1} z^k / ((C)_k
 * k!): the series without its first term and with B divided out of the
 * others, so that it has no 0/0 at B = 0 and no cancellation in F - 1. */
static int hyp2f1_m1_over_b(double A, double B, double C, double z,
                            double *out)
{
    double term = A / C * z, sum = term;
    for (int k = 1; k < 1000000; k++) {
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

/* (1 - (1-z)^B) / B = -expm1(B log1p(-z)) / B, and its limit -log1p(-z) at
 * B = 0 */
static double one_minus_pow_over_b(double B, double L)
{
    return B == 0.0 ? -L : -expm1(B * L) / B;
}

/* E[Y(t) | x, t_x, T] times P(alive): the numerator of FHL (10), with
 * Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z):
 * with A = r + x, B = b + x, C = a + b + x - 1 the power combines with
 * ((alpha+T)/(alpha+T+t))^(r+x) = (1-z)^(r+x) into (1-z)^(a-1), and the
 * remaining series has bounded parameters and a large C: no overflow for
 * large x.  FHL's (C / (a - 1)) (1 - (1-z)^(a-1) F) is 0/0 at a = 1; with
 * F = 1 + (a - 1) G it is C ((1 - (1-z)^(a-1)) / (a - 1) - (1-z)^(a-1) G),
 * whose parts have no singularity: exact at and near a = 1, and no
 * cancellation when C is large or t tiny. */
static int expected_alive(const double *p, double x, double T, double t,
                          double *out)
{
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    if (t == 0.0) {
        *out = 0.0;
        return LIBCS_OK;
    }
    const double am1 = a - 1.0, z = t / (alpha + T + t),
                 C = a + b + x - 1.0, L = log1p(-z);
    double G;
    LIBCS_TRY(hyp2f1_m1_over_b(a + b - 1.0 - r, am1, C, z, &G));
    /* an expectation is never below 0 */
    double e = C * (one_minus_pow_over_b(am1, L) - exp(am1 * L) * G);
    return libcs_store_finite(e > 0.0 ? e : 0.0, out);
}

/* P(alive | x, t_x, T) as 1 / (1 + e^l), l from FHL (11) in logs */
static double palive(const double *p, double x, double t_x, double T)
{
    if (x == 0.0)
        return 1.0;
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    double l = log(a) - libcs_log_sum(b, x - 1.0) +
               (r + x) * (libcs_log_sum(alpha, T) - libcs_log_sum(alpha, t_x));
    return l > 0.0 ? exp(-l) / (1.0 + exp(-l)) : 1.0 / (1.0 + exp(l));
}

/* E[X(t)] of a new customer, the scalar function after its parameters */
static int expected_one(const double *p, double t, double *out)
{
    LIBCS_TRY(libcs__check_time(t));
    /* a new customer: x = 0, T = 0, alive */
    return expected_alive(p, 0.0, 0.0, t, out);
}

LIBCS_API int libcs_bgnbd_expected(const double *params, double t,
                                   double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return expected_one(params, t, out);
}

/* The terms of P(X(t) = k) (FHL (8)) grouped by what they depend on: the
 * parameters, k, and t.  A single call computes each once; the batch keeps
 * the parameters' terms for all elements and those of k and t while they
 * repeat, and tabulates the NBD coefficients c_j: the same numbers by the
 * same operations, so that the batch equals a loop of single calls bit for
 * bit. */
struct bg_pmf {
    double r, la, la1, lr, lbab; /* lgamma(a), lgamma(a + 1), lgamma(r),
                                  * log B(a, b) */
    const double *cj; /* c_j = lgamma(r + j) - lgamma(r) - lgamma(j + 1) */
    uint32_t ncj;     /* for j < ncj (0: none tabulated) */
};
struct bg_pmf_k { /* lgamma of b + k, a + b + k, r + k, k + 1, b + k - 1 */
    double lbn, labn, lrn, ln1, lbn1;
};
struct bg_pmf_t { /* log(alpha / (alpha + t)), log(t / (alpha + t)) */
    double lq, lz;
};

static void bg_pmf_init(struct bg_pmf *P, const double *p)
{
    int s;
    const double r = p[0], a = p[2], b = p[3];
    P->r = r;
    P->la = lgamma_r(a, &s);
    P->la1 = lgamma_r(a + 1.0, &s);
    P->lr = lgamma_r(r, &s);
    P->lbab = P->la + lgamma_r(b, &s) - lgamma_r(a + b, &s);
    P->cj = NULL;
    P->ncj = 0;
}

static double bg_pmf_c(const struct bg_pmf *P, uint32_t j)
{
    int s;
    return lgamma_r(P->r + j, &s) - P->lr - lgamma_r(j + 1.0, &s);
}

static void bg_pmf_k_init(struct bg_pmf_k *K, const double *p, uint32_t k)
{
    int s;
    const double r = p[0], a = p[2], b = p[3], n = (double)k;
    K->lbn = lgamma_r(b + n, &s);
    K->labn = lgamma_r(a + b + n, &s);
    K->lrn = lgamma_r(r + n, &s);
    K->ln1 = lgamma_r(n + 1.0, &s);
    K->lbn1 = k > 0 ? lgamma_r(b + n - 1.0, &s) : 0.0;
}

static void bg_pmf_t_init(struct bg_pmf_t *T, double alpha, double t)
{
    T->lq = log(alpha) - log(alpha + t);
    T->lz = t > 0.0 ? log(t) - log(alpha + t) : -INFINITY;
}

/* FHL (8): B(a, b+n)/B(a, b) NB(n) + [n > 0] B(a+1, b+n-1)/B(a, b) (1 -
 * sum_{j<n} NB(j)), NB(j) = Gamma(r+j)/(Gamma(r) j!) q^r z^j */
static int bg_pmf_eval(const struct bg_pmf *P, const struct bg_pmf_k *K,
                       const struct bg_pmf_t *T, uint32_t k, double *out)
{
    const double r = P->r, n = (double)k, lq = T->lq, lz = T->lz;
    double first = P->la + K->lbn - K->labn - P->lbab + K->lrn - P->lr -
                   K->ln1 + r * lq + (k > 0 ? n * lz : 0.0);
    double pr = exp(first);
    if (k > 0) {
        double cdf = 0.0;
        for (uint32_t j = 0; j < k; j++) {
            const double c = j < P->ncj ? P->cj[j] : bg_pmf_c(P, j);
            double lj = c + r * lq + (j > 0 ? j * lz : 0.0);
            cdf += exp(lj);
        }
        double tail = cdf < 1.0 ? 1.0 - cdf : 0.0;
        pr += exp(P->la1 + K->lbn1 - K->labn - P->lbab) * tail;
    }
    return libcs_store_finite(pr, out);
}

LIBCS_API int libcs_bgnbd_pmf(const double *params, double t, uint32_t k,
                              double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(libcs__check_time(t));
    struct bg_pmf P;
    struct bg_pmf_k K;
    struct bg_pmf_t T;
    bg_pmf_init(&P, params);
    bg_pmf_k_init(&K, params, k);
    bg_pmf_t_init(&T, params[1], t);
    return bg_pmf_eval(&P, &K, &T, k, out);
}

LIBCS_API int libcs_bgnbd_expected_batch(const double *params, size_t n,
                                         const double *t, double *out,
                                         size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, t, out);
#define CALL(i, dst) expected_one(params, t[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}

/* The batch's table of NBD coefficients c_j grows to the largest k asked
 * for, up to this many entries (512 KiB); beyond, c_j is computed as the
 * single call does. */
#define PMF_TABLE_MAX 65536

LIBCS_API int libcs_bgnbd_pmf_batch(const double *params, size_t n,
                                    const double *t, const uint32_t *k,
                                    double *out, size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, t, k, out);
    double *res = n <= SIZE_MAX / sizeof *res ? malloc(n * sizeof *res) : NULL;
    if (!res)
        return LIBCS_ENOMEM;
    struct bg_pmf P;
    struct bg_pmf_k K;
    struct bg_pmf_t T;
    bg_pmf_init(&P, params);
    double *cj = NULL;
    uint32_t cap = 0;
    int rc = LIBCS_OK;
    for (size_t i = 0; i < n; i++) {
        if ((rc = libcs__check_time(t[i])) != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            break;
        }
        /* c_j for j < k: the table grows by doubling (without memory it
         * stays as it is: the coefficients beyond are computed) */
        if (k[i] > P.ncj && P.ncj < PMF_TABLE_MAX) {
            uint32_t want = k[i] < PMF_TABLE_MAX ? k[i] : PMF_TABLE_MAX;
            if (want > cap) {
                uint32_t c = cap ? cap : 64;
                while (c < want)
                    c *= 2;
                double *grown = realloc(cj, c * sizeof *cj);
                if (grown)
                    cj = grown, cap = c;
            }
            if (cap > P.ncj) {
                const uint32_t to = want < cap ? want : cap;
                for (uint32_t j = P.ncj; j < to; j++)
                    cj[j] = bg_pmf_c(&P, j);
                P.cj = cj;
                P.ncj = to;
            }
        }
        /* the terms of k and of t, while they repeat */
        if (i == 0 || k[i] != k[i - 1])
            bg_pmf_k_init(&K, params, k[i]);
        if (i == 0 || !(t[i] == t[i - 1]))
            bg_pmf_t_init(&T, params[1], t[i]);
        if ((rc = bg_pmf_eval(&P, &K, &T, k[i], &res[i])) != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            break;
        }
    }
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    free(res), free(cj);
    return rc;
}

static int conditional(const double *p, double x, double t_x, double T,
                       double t, double *out)
{
    LIBCS_TRY(libcs__check_xtT(x, t_x, T));
    LIBCS_TRY(libcs__check_time(t));
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
    LIBCS_TRY(libcs__check_params(params, 4));
    return conditional(params, x, t_x, T, t, out);
}

#define MEMO_MAX_BITS 16 /* 1.5 MB: (x, T) pairs of a customer base */

/* The series of expected_alive for one x, its coefficients computed once
 * and extended on demand: c_0 = 1, c_{k+1} = c_k (A+k)(B+k) / ((C+k)(k+1)). */
struct xseries {
    double C;
    double *c;
    size_t len;
};

/* The coefficients of G / z (hyp2f1_m1_over_b): c_0 = A / C, then c_k =
 * c_{k-1} (A + k) (B + k) / ((C + k) (k + 1)). */
static int extend_series(struct xseries *s, double A, double B, size_t need)
{
    if (need > 2000000)
        return LIBCS_ENOCONV; /* as the scalar series: z too close to 1 */
    size_t cap = s->len ? s->len : 64;
    while (cap < need)
        cap *= 2;
    double *c = realloc(s->c, cap * sizeof *c);
    if (!c)
        return LIBCS_ENOMEM;
    if (s->len == 0)
        c[s->len++] = A / s->C;
    for (size_t k = s->len; s->len < cap; k++)
        c[s->len++] = c[k - 1] * (A + (double)k) * (B + (double)k) /
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
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, T, out);
    LIBCS_TRY(libcs__check_time(t));
    for (size_t i = 0; i < n; i++) {
        int rc = libcs__check_xtT(x[i], t_x[i], T[i]);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    const double r = params[0], alpha = params[1], a = params[2],
                 b = params[3], am1 = a - 1.0;
    if (t == 0.0) {
        /* nothing can happen in no time: the scalar code's 0 */
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
    struct xseries *ser = calloc(d.tab.nx, sizeof *ser);
    double *res = malloc(n * sizeof *res);
    int rc = ser && res ? LIBCS_OK : LIBCS_ENOMEM;
    for (size_t j = 0; rc == LIBCS_OK && j < d.tab.nx; j++)
        ser[j].C = a + b + d.tab.xs[j] - 1.0;
    /* E[Y]/P(alive) depends on (x, T) alone, and real customer bases have
     * few distinct T (one per acquisition day or week): a direct-mapped
     * memo of recent (x, T) values saves the series for repeats */
    struct memo {
        double T, e;
        uint32_t xi, used;
    } *memo;
    int memo_bits = 4;
    while (memo_bits < MEMO_MAX_BITS && ((size_t)1 << memo_bits) < 2 * n)
        memo_bits++;
    memo = calloc((size_t)1 << memo_bits, sizeof *memo);
    if (!memo)
        rc = LIBCS_ENOMEM;
    const double A = a + b - 1.0 - r, B = am1;
    for (size_t i = 0; rc == LIBCS_OK && i < n; i++) {
        const uint32_t xj = d.tab.xi[i];
        uint64_t bits;
        memcpy(&bits, &T[i], sizeof bits);
        struct memo *mo =
            &memo[((bits ^ ((uint64_t)xj << 40)) * UINT64_C(0x9E3779B97F4A7C15)) >>
                  (64 - memo_bits)];
        double e;
        if (mo->used && mo->xi == xj && mo->T == T[i]) {
            e = mo->e;
        } else {
            struct xseries *sj = &ser[xj];
            const double z = t / (alpha + T[i] + t);
            double sum = 0.0, pw = z;
            for (size_t k = 0;; k++) {
                if (k == sj->len &&
                    (rc = extend_series(sj, A, B, 2 * k + 64)) != LIBCS_OK)
                    break;
                double term = sj->c[k] * pw;
                sum += term;
                if (fabs(term) <= 1e-17 * fabs(sum) && k > 2)
                    break;
                pw *= z;
            }
            if (rc != LIBCS_OK) {
                if (bad_index)
                    *bad_index = i;
                break;
            }
            const double L = log1p(-z);
            e = sj->C * (one_minus_pow_over_b(am1, L) - exp(am1 * L) * sum);
            e = e > 0.0 ? e : 0.0;
            mo->T = T[i], mo->e = e, mo->xi = xj, mo->used = 1;
        }
        res[i] = e * palive(params, x[i], t_x[i], T[i]);
        if (!isfinite(res[i]))
            rc = LIBCS_EOVERFLOW;
        if (rc != LIBCS_OK && bad_index)
            *bad_index = i;
    }
    free(memo);
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    for (size_t j = 0; ser && j < d.tab.nx; j++)
        free(ser[j].c);
    free(ser), free(res);
    bg_data_free(&d);
    return rc;
}

static int palive_one(const double *p, double x, double t_x, double T,
                      double *out)
{
    LIBCS_TRY(libcs__check_xtT(x, t_x, T));
    *out = palive(p, x, t_x, T);
    return LIBCS_OK;
}

LIBCS_API int libcs_bgnbd_palive(const double *params, double x, double t_x,
                                 double T, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return palive_one(params, x, t_x, T, out);
}

LIBCS_API int libcs_bgnbd_palive_batch(const double *params, size_t n,
                                       const double *x, const double *t_x,
                                       const double *T, double *out,
                                       size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, T, out);
#define CALL(i, dst) palive_one(params, x[i], t_x[i], T[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* ---- CLV ------------------------------------------------------------------------------ */

static const struct libcs__xtT_model bg_clv = {expected_alive, palive_one};

LIBCS_API int libcs_bgnbd_clv(const double *params, double x, double t_x,
                              double T, double value, double step,
                              uint32_t steps, double discount, double *out)
{
    return libcs__clv_xtT(&bg_clv, params, 4, x, t_x, T, value, step, steps,
                          discount, out);
}

LIBCS_API int libcs_bgnbd_clv_batch(const double *params, size_t n,
                                    const double *x, const double *t_x,
                                    const double *T, const double *value,
                                    double step, uint32_t steps,
                                    double discount, double *out,
                                    size_t *bad_index)
{
    return libcs__clv_xtT_batch(&bg_clv, params, 4, n, x, t_x, T, value, step,
                                steps, discount, out, bad_index);
}

/* ---- simulation -------------------------------------------------------------- */

LIBCS_API int libcs_bgnbd_simulate(const double *params, size_t n,
                                   const double *T, uint64_t seed, double *x,
                                   double *t_x)
{
    LIBCS_TRY(libcs__check_simulate_T(params, 4, n, T, x, t_x));
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
