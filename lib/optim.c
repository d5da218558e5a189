/* lib/optim.c - BFGS on log-parameters with backtracking line search,
 * several starts, and standard errors from the observed information. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"

#define MAX_ITER 1000

double libcs__digamma(double x)
{
    /* recurrence up to x >= 6, then the asymptotic series */
    double r = 0.0;
    while (x < 6.0) {
        r -= 1.0 / x;
        x += 1.0;
    }
    double f = 1.0 / (x * x);
    return r + log(x) - 0.5 / x -
           f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 -
                                              f * (1.0 / 240 - f / 132))));
}

static double dot(const double *a, const double *b, int k)
{
    double s = 0.0;
    for (int i = 0; i < k; i++)
        s += a[i] * b[i];
    return s;
}

/* Minimise fn from theta (updated in place). */
static int bfgs(optim_objective fn, void *ctx, int k, double *theta,
                const double *h0, double *hout, double *fbest,
                int *iterations, int *converged)
{
    double H[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS], g[OPTIM_MAX_PARAMS],
        p[OPTIM_MAX_PARAMS], xn[OPTIM_MAX_PARAMS], gn[OPTIM_MAX_PARAMS],
        s[OPTIM_MAX_PARAMS], y[OPTIM_MAX_PARAMS], f, fn_;
    LIBCS_TRY(fn(ctx, theta, &f, g));
    if (!isfinite(f))
        return LIBCS_ENONFINITE;
    memset(H, 0, sizeof H);
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            H[i][j] = h0 ? h0[i * k + j] : (i == j);
    int it = 0, done = 0;
    for (; it < MAX_ITER && !done; it++) {
        double gmax = 0.0;
        for (int i = 0; i < k; i++)
            gmax = fmax(gmax, fabs(g[i]));
        /* gradient test on the log-parameter scale, relative to |f| */
        if (gmax <= 1e-9 * fmax(1.0, fabs(f))) {
            done = 1;
            break;
        }
        for (int i = 0; i < k; i++) {
            p[i] = 0.0;
            for (int j = 0; j < k; j++)
                p[i] -= H[i][j] * g[j];
        }
        double slope = dot(g, p, k);
        if (!(slope < 0.0)) { /* not a descent direction: restart */
            memset(H, 0, sizeof H);
            for (int i = 0; i < k; i++) {
                H[i][i] = 1.0;
                p[i] = -g[i];
            }
            slope = dot(g, p, k);
        }
        /* keep steps on the log scale moderate: exp() of a huge step
         * overflows the parameters */
        double pmax = 0.0;
        for (int i = 0; i < k; i++)
            pmax = fmax(pmax, fabs(p[i]));
        double step = pmax > 5.0 ? 5.0 / pmax : 1.0;
        int accepted = 0;
        for (int ls = 0; ls < 60; ls++, step *= 0.5) {
            for (int i = 0; i < k; i++)
                xn[i] = theta[i] + step * p[i];
            if (fn(ctx, xn, &fn_, gn) == LIBCS_OK && isfinite(fn_) &&
                fn_ <= f + 1e-4 * step * slope) {
                accepted = 1;
                break;
            }
        }
        if (!accepted) {
            /* no decrease along p: converged if the gradient is small on
             * the scale of rounding, else give up */
            done = gmax <= 1e-6 * fmax(1.0, fabs(f));
            break;
        }
        for (int i = 0; i < k; i++) {
            s[i] = step * p[i];
            y[i] = gn[i] - g[i];
        }
        double sy = dot(s, y, k);
        if (sy > 1e-12 * sqrt(dot(s, s, k) * dot(y, y, k))) {
            double Hy[OPTIM_MAX_PARAMS], yHy;
            if (it == 0 && !h0) { /* scale the first inverse Hessian */
                double sc = sy / dot(y, y, k);
                for (int i = 0; i < k; i++)
                    H[i][i] = sc;
            }
            for (int i = 0; i < k; i++) {
                Hy[i] = 0.0;
                for (int j = 0; j < k; j++)
                    Hy[i] += H[i][j] * y[j];
            }
            yHy = dot(y, Hy, k);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    H[i][j] += ((sy + yHy) * s[i] * s[j]) / (sy * sy) -
                               (Hy[i] * s[j] + s[i] * Hy[j]) / sy;
        }
        double df = f - fn_;
        memcpy(theta, xn, (size_t)k * sizeof *theta);
        memcpy(g, gn, (size_t)k * sizeof *g);
        f = fn_;
        if (df <= 1e-15 * fmax(1.0, fabs(f))) {
            double gm = 0.0;
            for (int i = 0; i < k; i++)
                gm = fmax(gm, fabs(g[i]));
            done = gm <= 1e-6 * fmax(1.0, fabs(f));
            if (done)
                break;
        }
    }
    *fbest = f;
    *iterations = it;
    *converged = done;
    if (hout)
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                hout[i * k + j] = H[i][j];
    return LIBCS_OK;
}

/* Invert the k x k matrix a (in place) by Gauss-Jordan with partial
 * pivoting; LIBCS_EUNDEFINED when singular. */
static int invert(double a[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS], int k)
{
    double inv[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS];
    memset(inv, 0, sizeof inv);
    for (int i = 0; i < k; i++)
        inv[i][i] = 1.0;
    for (int c = 0; c < k; c++) {
        int piv = c;
        for (int r = c + 1; r < k; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c]))
                piv = r;
        if (!(fabs(a[piv][c]) > 0.0) || !isfinite(a[piv][c]))
            return LIBCS_EUNDEFINED;
        for (int j = 0; j < k; j++) {
            double t = a[c][j];
            a[c][j] = a[piv][j];
            a[piv][j] = t;
            t = inv[c][j];
            inv[c][j] = inv[piv][j];
            inv[piv][j] = t;
        }
        double d = a[c][c];
        for (int j = 0; j < k; j++) {
            a[c][j] /= d;
            inv[c][j] /= d;
        }
        for (int r = 0; r < k; r++)
            if (r != c) {
                double m = a[r][c];
                for (int j = 0; j < k; j++) {
                    a[r][j] -= m * a[c][j];
                    inv[r][j] -= m * inv[c][j];
                }
            }
    }
    memcpy(a, inv, sizeof inv);
    return LIBCS_OK;
}

/* Standard errors of the parameters (not their logs): the inverse of the
 * Hessian of -LL in parameter space, by central differences of the
 * analytic gradient. */
static int standard_errors(optim_objective fn, void *ctx, int k,
                           const double *theta, double *se)
{
    double h[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS], par[OPTIM_MAX_PARAMS];
    for (int i = 0; i < k; i++)
        par[i] = exp(theta[i]);
    for (int j = 0; j < k; j++) {
        double gp[OPTIM_MAX_PARAMS], gm[OPTIM_MAX_PARAMS], t[OPTIM_MAX_PARAMS],
            f, step = 1e-5 * par[j];
        for (int sgn = 0; sgn < 2; sgn++) {
            double *g = sgn ? gm : gp;
            memcpy(t, theta, (size_t)k * sizeof *t);
            t[j] = log(par[j] + (sgn ? -step : step));
            LIBCS_TRY(fn(ctx, t, &f, g));
            /* from d/dtheta to d/dparam at the shifted point */
            for (int i = 0; i < k; i++)
                g[i] /= exp(t[i]);
        }
        /* central differences: their O(step^2) error keeps 7 or more digits
         * in the standard errors */
        for (int i = 0; i < k; i++)
            h[i][j] = (gp[i] - gm[i]) / (2.0 * step);
    }
    for (int i = 0; i < k; i++)
        for (int j = 0; j < i; j++)
            h[i][j] = h[j][i] = 0.5 * (h[i][j] + h[j][i]);
    LIBCS_TRY(invert(h, k));
    for (int i = 0; i < k; i++)
        if (!(h[i][i] > 0.0) || !isfinite(h[i][i]))
            return LIBCS_EUNDEFINED; /* not a maximum, or flat there */
    for (int i = 0; i < k; i++)
        se[i] = sqrt(h[i][i]);
    return LIBCS_OK;
}

int libcs__optim_fit(optim_objective fn, void *ctx, int k,
                     const double *starts, int n_starts, const double *h0,
                     double *hout, libcs_clv_fit *out)
{
    double hbest[OPTIM_MAX_PARAMS * OPTIM_MAX_PARAMS];
    double best[OPTIM_MAX_PARAMS], fbest = INFINITY;
    int best_it = 0, best_conv = 0, any = 0, first_err = LIBCS_OK, total = 0,
        agreed = 0;
    /* starts run until two of them converge to the same maximum */
    for (int s = 0; s < n_starts && !agreed; s++) {
        double theta[OPTIM_MAX_PARAMS], f;
        int it = 0, conv = 0;
        memcpy(theta, starts + (size_t)s * (size_t)k,
               (size_t)k * sizeof *theta);
        double hs[OPTIM_MAX_PARAMS * OPTIM_MAX_PARAMS];
        int rc = bfgs(fn, ctx, k, theta, h0, hs, &f, &it, &conv);
        total += it;
        if (rc != LIBCS_OK) {
            if (first_err == LIBCS_OK)
                first_err = rc;
            continue;
        }
        if (conv && best_conv &&
            fabs(f - fbest) <= 1e-9 * fmax(1.0, fabs(fbest)))
            agreed = 1;
        /* prefer a converged start; among those, the highest likelihood */
        if (!any || (conv && !best_conv) ||
            (conv == best_conv && f < fbest)) {
            memcpy(best, theta, (size_t)k * sizeof *best);
            memcpy(hbest, hs, sizeof hs);
            fbest = f;
            best_it = it;
            best_conv = conv;
            any = 1;
        }
    }
    if (!any)
        return first_err;
    if (hout)
        memcpy(hout, hbest, (size_t)(k * k) * sizeof *hout);
    libcs_clv_fit r;
    memset(&r, 0, sizeof r);
    r.n_params = k;
    for (int i = 0; i < k; i++)
        r.params[i] = exp(best[i]);
    r.loglik = -fbest;
    (void)best_it;
    r.iterations = total; /* over every start: the work the fit did */
    r.converged = best_conv;
    double se[OPTIM_MAX_PARAMS];
    r.se_status = standard_errors(fn, ctx, k, best, se);
    for (int i = 0; i < k; i++)
        r.se[i] = r.se_status == LIBCS_OK ? se[i] : NAN;
    *out = r;
    return best_conv ? LIBCS_OK : LIBCS_ENOCONV;
}

/* ---- sufficient statistics ------------------------------------------------------ */

static int same_row(const double *a, const double *b, int k)
{
    for (int j = 0; j < k; j++)
        if (a[j] != b[j])
            return 0;
    return 1;
}

static uint64_t hash_row(const double *row, int k)
{
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15);
    for (int j = 0; j < k; j++) {
        double v = row[j] == 0.0 ? 0.0 : row[j]; /* -0 and +0 are one row */
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        h = (h ^ bits) * UINT64_C(0xBF58476D1CE4E5B9);
        h ^= h >> 31;
    }
    return h;
}

/* One pass with an open-addressing table of the rows seen (first index
 * per distinct row): linear time, and rows come out in order of first
 * appearance by construction. */
int libcs__compress(size_t n, int k, const double *rows, const double *w,
                    double *urows, double *uw, size_t *m)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = malloc(cap * sizeof *slot); /* index into urows + 1 */
    if (!slot)
        return LIBCS_ENOMEM;
    memset(slot, 0, cap * sizeof *slot);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        const double *row = rows + i * (size_t)k;
        double wi = w ? w[i] : 1.0;
        size_t h = (size_t)hash_row(row, k) & (cap - 1);
        while (slot[h] && !same_row(urows + (slot[h] - 1) * (size_t)k, row, k))
            h = (h + 1) & (cap - 1);
        if (slot[h]) {
            uw[slot[h] - 1] += wi;
        } else {
            memcpy(urows + u * (size_t)k, row, (size_t)k * sizeof *row);
            uw[u] = wi;
            slot[h] = ++u;
        }
    }
    free(slot);
    /* drop rows whose weights sum to 0, keeping the order */
    size_t kept = 0;
    for (size_t j = 0; j < u; j++)
        if (uw[j] > 0.0) {
            if (kept != j) {
                memmove(urows + kept * (size_t)k, urows + j * (size_t)k,
                        (size_t)k * sizeof *urows);
                uw[kept] = uw[j];
            }
            kept++;
        }
    *m = kept;
    return LIBCS_OK;
}
