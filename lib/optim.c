/* lib/optim.c - BFGS on log-parameters with backtracking line search,
 * several starts, and standard errors from the observed information. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"

#define MAX_ITER 1000

/* ---- rows and tables shared by the models -------------------------------- */

int libcs__check_params(const double *p, int k)
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
int libcs__check_xtT(double x, double t_x, double T)
{
    if (!isfinite(x) || !isfinite(t_x) || !isfinite(T))
        return LIBCS_ENONFINITE;
    if (x < 0.0 || x != floor(x) || x > 1e15 || t_x < 0.0 || t_x > T ||
        (x == 0.0 && t_x != 0.0))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

int libcs__check_rows3(size_t n, const double *x, const double *t_x,
                       const double *T, const double *w, size_t *bad_index,
                       int (*check_row)(double, double, double))
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

int libcs__check_xtT_rows(size_t n, const double *x, const double *t_x,
                          const double *T, const double *w, size_t *bad_index)
{
    return libcs__check_rows3(n, x, t_x, T, w, bad_index, libcs__check_xtT);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int libcs__xtab_init(struct libcs__xtab *t, size_t n, const double *x)
{
    t->nx = 0;
    t->xs = malloc(n * sizeof *t->xs);
    t->xi = malloc(n * sizeof *t->xi);
    if (!t->xs || !t->xi) {
        libcs__xtab_free(t);
        return LIBCS_ENOMEM;
    }
    /* the distinct x (whole numbers): a counting pass that also gives each
     * row its index when they are not too spread out, a sort and binary
     * searches otherwise */
    double max_x = 0.0;
    for (size_t i = 0; i < n; i++)
        max_x = x[i] > max_x ? x[i] : max_x;
    size_t nx = 0;
    if (max_x <= 4.0 * (double)n + 4096.0) {
        const size_t range = (size_t)max_x + 1;
        uint32_t *at = calloc(range, sizeof *at); /* x -> index + 1 */
        if (!at) {
            libcs__xtab_free(t);
            return LIBCS_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            at[(size_t)x[i]] = 1;
        for (size_t v = 0; v < range; v++)
            if (at[v]) {
                t->xs[nx] = (double)v;
                at[v] = (uint32_t)++nx;
            }
        for (size_t i = 0; i < n; i++)
            t->xi[i] = at[(size_t)x[i]] - 1;
        free(at);
    } else {
        memcpy(t->xs, x, n * sizeof *t->xs);
        qsort(t->xs, n, sizeof *t->xs, cmp_double);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || t->xs[i] != t->xs[i - 1])
                t->xs[nx++] = t->xs[i];
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = nx;
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (t->xs[mid] <= x[i])
                    lo = mid;
                else
                    hi = mid;
            }
            t->xi[i] = (uint32_t)lo;
        }
    }
    t->nx = nx;
    return LIBCS_OK;
}

void libcs__xtab_free(struct libcs__xtab *t)
{
    free(t->xs), free(t->xi);
    t->xs = NULL, t->xi = NULL;
}

/* lgamma(u + x) - lgamma(u) and digamma(u + x) - digamma(u) for each
 * distinct x: running sums of log(u + i) and 1 / (u + i) over small gaps,
 * lgamma/digamma differences over large ones. */
void libcs__diff_table(const double *xs, size_t nx, double u, double *lg,
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
            /* a decrease below the rounding of f (a sum over up to
             * millions of rows: about 1e-13 |f|) cannot be seen: there a
             * step that does not raise f by more than that and shrinks the
             * gradient is taken, and further halvings, which only cost
             * evaluations, are not */
            const double noise = 1e-12 * fmax(1.0, fabs(f));
            const int flat = -step * slope < noise;
            for (int i = 0; i < k; i++)
                xn[i] = theta[i] + step * p[i];
            if (fn(ctx, xn, &fn_, gn) == LIBCS_OK && isfinite(fn_)) {
                double gnmax = 0.0;
                for (int i = 0; i < k; i++)
                    gnmax = fmax(gnmax, fabs(gn[i]));
                if (fn_ <= f + 1e-4 * step * slope ||
                    (flat && fn_ <= f + noise &&
                     gnmax < gmax)) {
                    accepted = 1;
                    break;
                }
            }
            if (flat)
                break;
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

/* Eigenvalues of the symmetric k x k matrix a (destroyed) by cyclic
 * Jacobi rotations: the smallest in *lo with its unit eigenvector in v,
 * the largest in *hi. */
static void eigen_range(double a[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS], int k,
                        double *lo, double *hi, double *v)
{
    double V[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            V[i][j] = i == j;
    for (int sweep = 0; sweep < 50; sweep++) {
        double off = 0.0, diag = 0.0;
        for (int i = 0; i < k; i++) {
            diag += a[i][i] * a[i][i];
            for (int j = i + 1; j < k; j++)
                off += a[i][j] * a[i][j];
        }
        if (!(off > 1e-34 * diag))
            break;
        for (int p = 0; p < k; p++)
            for (int q = p + 1; q < k; q++) {
                if (a[p][q] == 0.0)
                    continue;
                const double th = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                const double t = (th >= 0.0 ? 1.0 : -1.0) /
                                 (fabs(th) + sqrt(th * th + 1.0));
                const double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int r = 0; r < k; r++) { /* columns p, q */
                    const double arp = a[r][p], arq = a[r][q];
                    a[r][p] = c * arp - s * arq;
                    a[r][q] = s * arp + c * arq;
                    const double vrp = V[r][p], vrq = V[r][q];
                    V[r][p] = c * vrp - s * vrq;
                    V[r][q] = s * vrp + c * vrq;
                }
                for (int r = 0; r < k; r++) { /* rows p, q */
                    const double apr = a[p][r], aqr = a[q][r];
                    a[p][r] = c * apr - s * aqr;
                    a[q][r] = s * apr + c * aqr;
                }
            }
    }
    int at = 0;
    *hi = a[0][0];
    for (int i = 1; i < k; i++) {
        if (a[i][i] < a[at][at])
            at = i;
        *hi = fmax(*hi, a[i][i]);
    }
    *lo = a[at][at];
    for (int i = 0; i < k; i++)
        v[i] = V[i][at];
}

/* standard_errors() at an isolated maximum where a log-parameter's
 * standard error exceeds OPTIM_SE_LOG_MAX */
#define SE_WIDE 1

/* Standard errors of the parameters (not their logs) of a fit whose
 * objective is the mean -LL over a total weight: the inverse of the
 * Hessian of -LL in parameter space, by central differences of the
 * analytic gradient, divided by weight.  LIBCS_EUNDEFINED when the point
 * is no isolated maximum: the objective cannot be evaluated next to it, or
 * the Hessian on the log-parameter scale (invariant to the units of the
 * parameters) is not positive definite, or its smallest eigenvalue is at
 * most OPTIM_RCOND_MIN of its largest, where the differences cannot tell
 * it from 0 (a ridge, or a supremum at the boundary: the likelihood is flat
 * in some direction), or the likelihood, OPTIM_PROBE away along the
 * eigenvector of that smallest eigenvalue, falls on either side by less
 * than OPTIM_FLAT_MIN of what that eigenvalue predicts (a supremum at the
 * boundary or a flat direction that the local curvature does not show).
 * SE_WIDE, se[] set, when a log-parameter's standard
 * error (se / param) exceeds OPTIM_SE_LOG_MAX: an approximate 95 %
 * interval would span a factor e^20, the data (at their weight) do not
 * determine that parameter. */
static int standard_errors(optim_objective fn, void *ctx, int k,
                           const double *theta, double f0, double weight,
                           double *se)
{
    double h[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS], par[OPTIM_MAX_PARAMS],
        hl[OPTIM_MAX_PARAMS][OPTIM_MAX_PARAMS];
    for (int i = 0; i < k; i++)
        par[i] = exp(theta[i]);
    for (int j = 0; j < k; j++) {
        double gp[OPTIM_MAX_PARAMS], gm[OPTIM_MAX_PARAMS], t[OPTIM_MAX_PARAMS],
            f, step = 1e-5 * par[j];
        for (int sgn = 0; sgn < 2; sgn++) {
            double *g = sgn ? gm : gp;
            memcpy(t, theta, (size_t)k * sizeof *t);
            t[j] = log(par[j] + (sgn ? -step : step));
            if (fn(ctx, t, &f, g) != LIBCS_OK || !isfinite(f))
                return LIBCS_EUNDEFINED; /* at the edge of the range */
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
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            hl[i][j] = h[i][j] * par[i] * par[j];
            if (!isfinite(hl[i][j]))
                return LIBCS_EUNDEFINED;
        }
    double lo, hi, v[OPTIM_MAX_PARAMS];
    eigen_range(hl, k, &lo, &hi, v);
    if (!(hi > 0.0) || !(lo > OPTIM_RCOND_MIN * hi))
        return LIBCS_EUNDEFINED;
    /* the flattest direction, further out: at an isolated maximum f rises
     * both ways by at least OPTIM_FLAT_MIN of what the curvature predicts
     * (and by more than the rounding of f); a likelihood that levels off
     * or rises again (a supremum at the boundary, a ridge that the local
     * curvature does not show) does not.  Only where that prediction is a
     * fall of LL by less than 2 (about the 95 % likelihood-ratio bound),
     * the data too few for the curvature alone to settle the question:
     * large data skip the two evaluations.  A side that cannot be
     * evaluated, at the edge of the range, is no evidence either way. */
    const double d = OPTIM_PROBE, fall = 0.5 * lo * d * d,
                 rise = fmax(OPTIM_FLAT_MIN * fall,
                             1e-12 * fmax(1.0, fabs(f0)));
    for (int sgn = -1; sgn <= 1 && fall * weight < 2.0; sgn += 2) {
        double f, t[OPTIM_MAX_PARAMS];
        for (int i = 0; i < k; i++)
            t[i] = theta[i] + sgn * d * v[i];
        if (fn(ctx, t, &f, NULL) == LIBCS_OK && isfinite(f) &&
            !(f - f0 > rise))
            return LIBCS_EUNDEFINED;
    }
    if (invert(h, k) != LIBCS_OK)
        return LIBCS_EUNDEFINED;
    int wide = 0;
    for (int i = 0; i < k; i++) {
        const double var = h[i][i] / weight;
        if (!(var > 0.0) || !isfinite(var))
            return LIBCS_EUNDEFINED;
        se[i] = sqrt(var);
        wide |= !(se[i] <= OPTIM_SE_LOG_MAX * par[i]);
    }
    return wide ? SE_WIDE : LIBCS_OK;
}

int libcs__optim_fit(optim_objective fn, void *ctx, int k,
                     const double *starts, int n_starts, const double *h0,
                     double *hout, double weight, libcs_clv_fit *out)
{
    return libcs__optim_fit_ex(fn, ctx, k, starts, n_starts, h0, hout, weight,
                               1, out);
}

int libcs__optim_fit_ex(optim_objective fn, void *ctx, int k,
                        const double *starts, int n_starts, const double *h0,
                        double *hout, double weight, int want_se,
                        libcs_clv_fit *out)
{
    double hbest[OPTIM_MAX_PARAMS * OPTIM_MAX_PARAMS];
    double best[OPTIM_MAX_PARAMS], fbest = INFINITY;
    int best_conv = 0, any = 0, first_err = LIBCS_OK, total = 0, agreed = 0;
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
    r.loglik = -fbest * weight;
    r.iterations = total; /* over every start: the work the fit did */
    double se[OPTIM_MAX_PARAMS];
    const int sr = want_se ? standard_errors(fn, ctx, k, best, fbest, weight, se)
                           : LIBCS_EUNDEFINED;
    r.se_status = sr == LIBCS_OK ? LIBCS_OK : LIBCS_EUNDEFINED;
    for (int i = 0; i < k; i++)
        r.se[i] = sr == LIBCS_OK ? se[i] : NAN;
    /* a point where the gradient vanishes but the likelihood is flat in
     * some direction (a ridge, or a supremum at the boundary that the
     * gradient test cannot tell from a maximum) is no maximum-likelihood
     * estimate: not converged.  An isolated maximum whose standard errors
     * are too wide to mean anything is one. */
    r.converged = best_conv && (!want_se || sr != LIBCS_EUNDEFINED);
    *out = r;
    return r.converged ? LIBCS_OK : LIBCS_ENOCONV;
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

/* ---- log-gamma and digamma differences -------------------------------------- */

/* Stirling's series for lgamma(z) - (z - 1/2) log z + z - log(2 pi) / 2 is
 * 1/(12z) - 1/(360z^3) + 1/(1260z^5) - 1/(1680z^7) (the next term is below
 * 5e-17 for z >= 30).  Its difference between a and b = a - d, with the
 * factor d taken out exactly: 1/a^p - 1/b^p = -d/(ab) q_p, q_p = sum_{i<p}
 * a^-(p-1-i) b^-i, q_{p+2} = q_p / a^2 + (1/a + 1/b) / b^p. */
static double stirling_tail_diff(double a, double b, double d)
{
    const double ra = 1.0 / a, rb = 1.0 / b, s = ra + rb, ra2 = ra * ra;
    const double q1 = 1.0, q3 = ra2 * q1 + rb * s,
                 q5 = ra2 * q3 + rb * rb * rb * s,
                 q7 = ra2 * q5 + rb * rb * rb * rb * rb * s;
    return -d * ra * rb *
           (q1 / 12 - q3 / 360 + q5 / 1260 - q7 / 1680);
}

/* lgamma(b + d) - lgamma(b) for b, b + d > 0, with d passed separately:
 * computed as (b + d) - b it would lose the digits that matter when b is
 * large.  Both arguments are moved up to 30 or more by the recurrence
 * (a sum of log1p(d / (b + j))), then Stirling's series, written with
 * log1p and the factor d explicit: the result is accurate relative to
 * itself however small d is. */
double libcs__lgamma_diff(double b, double d)
{
    if (d == 0.0)
        return 0.0;
    double a = b + d, sum = 0.0;
    const double lo = a < b ? a : b;
    if (lo < 30.0) {
        const double k = ceil(30.0 - lo);
        for (double j = 0.0; j < k; j += 1.0) {
            const double bj = b + j, r = (a + j) / bj;
            if (fabs(d) < 0.5 * bj)
                sum += log1p(d / bj);
            else if (r > 1e-300 && r < 1e300)
                sum += log(r);
            else
                sum += log(a + j) - log(bj);
        }
        a += k, b += k;
    }
    return (a - 0.5) * log1p(d / b) + d * (log(b) - 1.0) +
           stirling_tail_diff(a, b, d) - sum;
}

/* The tail of the asymptotic series for digamma, sum_k B(2k)/(2k z^(2k)),
 * to k = 9: the first term left out is below 2e-18 at z >= 10. */
static double digamma_tail(double z)
{
    const double f = 1.0 / (z * z);
    return -0.5 / z -
           f * (1.0 / 12 -
                f * (1.0 / 120 -
                     f * (1.0 / 252 -
                          f * (1.0 / 240 -
                               f * (1.0 / 132 -
                                    f * (691.0 / 32760 -
                                         f * (1.0 / 12 -
                                              f * (3617.0 / 8160 -
                                                   f * 43867.0 / 14364))))))));
}

/* digamma(a + b) - digamma(a) for a > 0, b >= 0: a shifted up to 10 by the
 * recurrence, then the series with the leading terms subtracted
 * analytically */
double libcs__digamma_diff(double a, double b)
{
    if (b == 0.0)
        return 0.0;
    double s = 0.0;
    for (; a < 10.0; a += 1.0) /* 1/(a + j) - 1/(a + b + j) */
        s += (1.0 / a) * (b / (a + b));
    return s + log1p(b / a) + (digamma_tail(a + b) - digamma_tail(a));
}


/* ---- adaptive quadrature ------------------------------------------------- */

/* Gauss-Kronrod 15-point nodes (the 7-point Gauss nodes are the odd ones)
 * and weights on [-1, 1], Kronrod (1965) / QUADPACK's qk15 */
static const double gk_x[8] = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.0};
static const double gk_w[8] = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
static const double g7_w[4] = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

#define QUAD_MAX_M 6
#define QUAD_MAX_PANELS 2000

struct panel {
    double lo, hi, val[QUAD_MAX_M], err[QUAD_MAX_M];
};

static void gk15(libcs__integrand f, const void *ctx, int m, struct panel *p)
{
    const double c = 0.5 * (p->lo + p->hi), h = 0.5 * (p->hi - p->lo);
    double k[QUAD_MAX_M] = {0}, g[QUAD_MAX_M] = {0}, v1[QUAD_MAX_M],
           v2[QUAD_MAX_M];
    for (int i = 0; i < 8; i++) {
        f(ctx, c - h * gk_x[i], v1);
        int pair = i < 7;
        if (pair)
            f(ctx, c + h * gk_x[i], v2);
        for (int j = 0; j < m; j++) {
            double s = v1[j] + (pair ? v2[j] : 0.0);
            k[j] += gk_w[i] * s;
            if (i % 2 == 1)
                g[j] += g7_w[i / 2] * s;
        }
    }
    for (int j = 0; j < m; j++) {
        p->val[j] = h * k[j];
        p->err[j] = fabs(h * (k[j] - g[j]));
    }
}

int libcs__integrate(libcs__integrand f, const void *ctx, int m, double lo,
                     double hi, double rtol, double *result)
{
    struct panel *ps = malloc(QUAD_MAX_PANELS * sizeof *ps);
    if (!ps)
        return LIBCS_ENOMEM;
    /* initial panels graded towards both ends, so that a peak narrower
     * than the nodes of one panel is seen wherever it sits at an end */
    static const double grade[] = {0.0,       1e-9,       1e-6,
                                   1e-3,      0.5,        1.0 - 1e-3,
                                   1.0 - 1e-6, 1.0 - 1e-9, 1.0};
    int np = 0, rc = LIBCS_ENOCONV;
    for (size_t i = 0; i + 1 < sizeof grade / sizeof grade[0]; i++) {
        ps[np].lo = lo + (hi - lo) * grade[i];
        ps[np].hi = i + 2 == sizeof grade / sizeof grade[0]
                        ? hi
                        : lo + (hi - lo) * grade[i + 1];
        if (ps[np].hi > ps[np].lo)
            gk15(f, ctx, m, &ps[np++]);
    }
    if (np == 0) { /* lo == hi */
        for (int j = 0; j < m; j++)
            result[j] = 0.0;
        free(ps);
        return LIBCS_OK;
    }
    for (;;) {
        double val[QUAD_MAX_M] = {0}, err[QUAD_MAX_M] = {0};
        for (int i = 0; i < np; i++)
            for (int j = 0; j < m; j++)
                val[j] += ps[i].val[j], err[j] += ps[i].err[j];
        int ok = 1;
        for (int j = 0; j < m; j++)
            ok &= err[j] <= rtol * fabs(val[j]);
        if (ok || np + 1 >= QUAD_MAX_PANELS) {
            for (int j = 0; j < m; j++)
                result[j] = val[j];
            rc = ok ? LIBCS_OK : LIBCS_ENOCONV;
            break;
        }
        /* split the panel with the largest error relative to its component */
        int worst = 0;
        double wv = -1.0;
        for (int i = 0; i < np; i++)
            for (int j = 0; j < m; j++) {
                double e = ps[i].err[j] / (fabs(val[j]) + 1e-300);
                if (e > wv)
                    wv = e, worst = i;
            }
        struct panel *a = &ps[worst], *b = &ps[np++];
        double mid = 0.5 * (a->lo + a->hi);
        b->lo = mid, b->hi = a->hi;
        a->hi = mid;
        gk15(f, ctx, m, a);
        gk15(f, ctx, m, b);
    }
    free(ps);
    return rc;
}

/* ---- discounted CLV of the (x, t_x, T) models ------------------------------------------------------- */

/* one customer's CLV, the parameters already checked */
static int clv_row(const struct libcs__xtT_model *m, const double *p,
                   double x, double t_x, double T, double value, double step,
                   uint32_t steps, double discount, double *out)
{
    LIBCS_TRY(libcs__check_xtT(x, t_x, T));
    if (!isfinite(value) || !isfinite(step) || !isfinite(discount))
        return LIBCS_ENONFINITE;
    if (value < 0.0 || !(step > 0.0) || !(discount > -1.0))
        return LIBCS_EDOMAIN;
    double total = 0.0, prev = 0.0, factor = 1.0, alive;
    for (uint32_t k = 1; k <= steps; k++) {
        double e;
        LIBCS_TRY(m->expected_alive(p, x, T, step * k, &e));
        factor /= 1.0 + discount;
        total += (e > prev ? e - prev : 0.0) * factor;
        prev = e > prev ? e : prev;
    }
    LIBCS_TRY(m->palive(p, x, t_x, T, &alive));
    return libcs_store_finite(total * value * alive, out);
}

int libcs__clv_xtT(const struct libcs__xtT_model *m, const double *p, int k,
                   double x, double t_x, double T, double value, double step,
                   uint32_t steps, double discount, double *out)
{
    if (!p || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(p, k));
    return clv_row(m, p, x, t_x, T, value, step, steps, discount, out);
}

int libcs__clv_xtT_batch(const struct libcs__xtT_model *m, const double *p,
                         int k, size_t n, const double *x, const double *t_x,
                         const double *T, const double *value, double step,
                         uint32_t steps, double discount, double *out,
                         size_t *bad_index)
{
    LIBCS_BATCH_ARGS(p, k, n, x, t_x, T, value, out);
#define CALL(i, dst)                                                           \
    clv_row(m, p, x[i], t_x[i], T[i], value[i], step, steps, discount, dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

int libcs__check_simulate_T(const double *p, int k, size_t n,
                            const double *T, const double *x,
                            const double *t_x)
{
    LIBCS_BATCH_ARGS(p, k, n, T, x, t_x);
    for (size_t i = 0; i < n; i++)
        LIBCS_TRY(libcs__check_time(T[i]));
    return LIBCS_OK;
}

/* ---- the fit of three-column models -------------------------------------- */

#define SUBSAMPLE 20000 /* rows of the warm-start fit on large data */

/* -LL of m on rows, scaled by 1 / their total weight, optimised from the
 * given log-parameter starts */
static int fit_on(const struct libcs__rows_model *m, size_t n,
                  const double *c0, const double *c1, const double *c2,
                  const double *w, double total_w, const double *starts,
                  int n_starts, const double *h0, double *hout, int want_se,
                  libcs_clv_fit *out)
{
    void *ctx = malloc(m->ctx_size);
    if (!ctx)
        return LIBCS_ENOMEM;
    int rc = m->init(ctx, n, c0, c1, c2, w, 1.0 / total_w);
    if (rc == LIBCS_OK) {
        rc = libcs__optim_fit_ex(m->fn, ctx, m->k, starts, n_starts, h0, hout,
                                 total_w, want_se, out);
        m->fini(ctx);
    }
    free(ctx);
    return rc;
}

int libcs__fit_rows(const struct libcs__rows_model *m, size_t n,
                    const double *c0, const double *c1, const double *c2,
                    const double *w, const double *starts, int n_starts,
                    libcs_clv_fit *out)
{
    const int k = m->k;
    double total_w = 0.0;
    for (size_t i = 0; i < n; i++)
        total_w += w ? w[i] : 1.0;
    if (!(total_w > 0.0))
        return LIBCS_EEMPTY; /* every weight is 0 */
    if (!isfinite(total_w))
        return LIBCS_EOVERFLOW;
    double th[8 * OPTIM_MAX_PARAMS];
    if (n_starts > 8)
        n_starts = 8;
    for (int s = 0; s < n_starts * k; s++)
        th[s] = log(starts[s]);
    double th_all[8 * OPTIM_MAX_PARAMS]; /* the original starts */
    const int n_all = n_starts;
    memcpy(th_all, th, (size_t)(n_starts * k) * sizeof *th);
    /* sufficient statistics: identical rows become one weighted row */
    double *rows = malloc(3 * n * sizeof *rows), *u = malloc(3 * n * sizeof *u),
           *uw = malloc(n * sizeof *uw), *sw = NULL;
    size_t nu = 0;
    int rc = rows && u && uw ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t i = 0; i < n; i++) {
            rows[3 * i] = c0[i];
            rows[3 * i + 1] = c1[i];
            rows[3 * i + 2] = c2[i];
        }
        rc = libcs__compress(n, 3, rows, w, u, uw, &nu);
    }
    double *a = rows, *b = rows + nu, *c = rows + 2 * nu;
    if (rc == LIBCS_OK)
        for (size_t i = 0; i < nu; i++) {
            a[i] = u[3 * i];
            b[i] = u[3 * i + 1];
            c[i] = u[3 * i + 2];
        }
    /* many distinct rows: the maximum of a subsample from every start
     * first, then of subsamples ten times larger from there,
     * and last of all rows: each stage starts close to its maximum, with
     * the previous stage's inverse Hessian.  A stage whose maximum does not
     * converge or runs off along a flat ridge (a parameter 10^5 times its
     * first start or more: a subsample can be too small to identify the
     * model's heterogeneity) passes on what it was given: the original
     * starts while no stage has succeeded, else the last good stage's
     * maximum. */
    double h0[OPTIM_MAX_PARAMS * OPTIM_MAX_PARAMS];
    int have_h0 = 0;
    if (rc == LIBCS_OK && nu > 4 * SUBSAMPLE &&
        !(sw = malloc(nu / 4 * sizeof *sw)))
        rc = LIBCS_ENOMEM;
    const double th0[OPTIM_MAX_PARAMS] = {th[0], th[1], th[2], th[3]};
    for (size_t size = SUBSAMPLE; rc == LIBCS_OK && 4 * size < nu;
         size *= 10) {
        /* systematic sampling on the cumulative weight: a row is taken
         * as many times as a multiple of total / size falls in its weight,
         * so that heavy rows (the many customers without repeat purchases
         * merged into a few rows) keep their share; every stride-th
         * distinct row instead would be nearly all repeat buyers */
        const double step = total_w / (double)size;
        double *sa = u, *sb = u + size, *sc = u + 2 * size, sub_w = 0.0,
               cum = 0.0, next = 0.5 * step;
        size_t j = 0;
        for (size_t i = 0; i < nu && j < size; i++) {
            cum += uw[i];
            double times = 0.0;
            if (cum > next) {
                times = floor((cum - next) / step) + 1.0;
                next += times * step;
            }
            if (times > 0.0) {
                sa[j] = a[i], sb[j] = b[i], sc[j] = c[i];
                sub_w += sw[j++] = times;
            }
        }
        libcs_clv_fit warm;
        double hs[OPTIM_MAX_PARAMS * OPTIM_MAX_PARAMS];
        if (!(sub_w > 0.0) ||
            fit_on(m, j, sa, sb, sc, sw, sub_w, th, n_starts,
                   have_h0 ? h0 : NULL, hs, 0, &warm) != LIBCS_OK)
            continue;
        int ridge = 0;
        for (int i = 0; i < k; i++)
            ridge |= fabs(log(warm.params[i]) - th0[i]) > log(1e5);
        if (ridge)
            continue;
        for (int i = 0; i < k; i++)
            th[i] = log(warm.params[i]);
        memcpy(h0, hs, sizeof hs);
        n_starts = 1;
        have_h0 = 1;
    }
    if (rc == LIBCS_OK) {
        libcs_clv_fit r;
        rc = fit_on(m, nu, a, b, c, uw, total_w, th, n_starts,
                    have_h0 ? h0 : NULL, NULL, 1, &r);
        if (have_h0 && rc != LIBCS_OK && rc != LIBCS_ENOMEM) {
            /* no identified maximum from the warm point (a subsample's
             * maximum can sit on a ridge that all rows do not have): all
             * rows from the original starts, as a fit of fewer rows runs;
             * the better of the two results is kept */
            libcs_clv_fit r2;
            int rc2 = fit_on(m, nu, a, b, c, uw, total_w, th_all, n_all,
                             NULL, NULL, 1, &r2);
            if (rc2 == LIBCS_OK ||
                (rc2 == LIBCS_ENOCONV &&
                 (rc != LIBCS_ENOCONV || r2.loglik > r.loglik))) {
                if (rc == LIBCS_ENOCONV) /* the work both did */
                    r2.iterations += r.iterations;
                rc = rc2;
                r = r2;
            }
        }
        if (rc == LIBCS_OK || rc == LIBCS_ENOCONV)
            *out = r;
    }
    free(rows), free(u), free(uw), free(sw);
    return rc;
}
