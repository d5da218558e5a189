/* tests/fitutil.h - helpers shared by the suites of the fitted CLV models
 * (tests/test_bgnbd.c, tests/test_pnbd.c, tests/test_bgbb.c): rows of
 * customers and the reference files that hold them, and checks of a fit
 * through the model's public log-likelihood.  Include after testutil.h.
 *
 * The three models' public log-likelihoods, fits and simulators have the
 * same signatures (the third column is T, the length of observation, for
 * BG/NBD and Pareto/NBD, and the number of transaction opportunities for
 * BG/BB), so the helpers take the model's function as an argument. */
#ifndef LIBCS_FITUTIL_H
#define LIBCS_FITUTIL_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The fit `call` returns `code` and leaves the libcs_clv_fit `out` as it
 * was: the caller sets keep to a pattern (memset 0xA5) first. */
#define ck_assert_fit_fails(call, code, out, keep)                             \
    do {                                                                       \
        (out) = (keep);                                                        \
        int rc_ = (call);                                                      \
        ck_assert_msg(rc_ == (code), "%s returned %d, want %d", #call, rc_,    \
                      (int)(code));                                            \
        ck_assert_msg(memcmp(&(out), &(keep), sizeof(out)) == 0,               \
                      "%s wrote its output on error", #call);                  \
    } while (0)

/* libcs_bgnbd_loglik, libcs_pnbd_loglik, libcs_bgbb_loglik */
typedef int (*loglik_fn)(size_t n, const double *x, const double *t_x,
                         const double *T, const double *weights,
                         const double *params, double *loglik);
/* libcs_bgnbd_fit, libcs_pnbd_fit, libcs_bgbb_fit */
typedef int (*fit_fn)(size_t n, const double *x, const double *t_x,
                      const double *T, const double *weights,
                      const double *start, libcs_clv_fit *out);
/* libcs_bgnbd_simulate, libcs_pnbd_simulate, libcs_bgbb_simulate */
typedef int (*simulate_fn)(const double *params, size_t n, const double *T,
                           uint64_t seed, double *x, double *t_x);

/* ==== rows of customers ===================================================== */

/* n rows (x, t_x, T) with weights w.  BG/BB's third column, its number of
 * opportunities, is also np. */
struct rows {
    size_t n;
    double *x, *t_x;
    union {
        double *T;
        double *np;
    };
    double *w;
};

static inline void rows_alloc(struct rows *d, size_t n)
{
    d->n = n;
    d->x = malloc(n * sizeof *d->x);
    d->t_x = malloc(n * sizeof *d->t_x);
    d->T = malloc(n * sizeof *d->T);
    d->w = malloc(n * sizeof *d->w);
    ck_assert(d->x && d->t_x && d->T && d->w);
}

static inline void rows_free(struct rows *d)
{
    free(d->x), free(d->t_x), free(d->T), free(d->w);
}

/* n customers observed for 10 to 52 periods, who made no repeat purchase
 * (repeat = 0) or whose last of x = 1..5 was at the end (repeat = 1,
 * t_x = T): data with no interior maximum or with a ridge, for the
 * (x, t_x, T) models. */
static inline void rows_degenerate(struct rows *d, size_t n, int repeat)
{
    rows_alloc(d, n);
    for (size_t i = 0; i < n; i++) {
        d->T[i] = 10.0 + (double)(i % 43);
        d->x[i] = repeat ? 1.0 + (double)(i % 5) : 0.0;
        d->t_x[i] = repeat ? d->T[i] : 0.0;
    }
}

/* Opens $LIBCS_DATA/name for reading and writes its path to path[size]; a
 * missing variable or file fails the test with a message saying what to
 * do. */
static inline FILE *data_open(const char *name, char *path, size_t size)
{
    const char *dir = getenv("LIBCS_DATA");
    ck_assert_msg(dir && *dir,
                  "LIBCS_DATA is not set: it names the directory of the "
                  "reference data sets (make check sets it to "
                  "../shared/data; by hand: LIBCS_DATA=/path/to/shared/data "
                  "./tests/test_<model>)");
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s (LIBCS_DATA=%s): %s", path, dir,
                  strerror(errno));
    return f;
}

/* Reads $LIBCS_DATA/name into d (rows_alloc'ed here): a first line that
 * starts with header, then exactly count lines of four comma-separated
 * numbers, "ID,x,t_x,T" (each weight 1) or, weighted, "x,t_x,T,weight";
 * what names the rows in messages. */
static inline void rows_load_csv(struct rows *d, const char *name,
                                 const char *header, size_t count,
                                 const char *what, int weighted)
{
    char path[4096], line[256];
    FILE *f = data_open(name, path, sizeof path);
    ck_assert_msg(fgets(line, sizeof line, f) &&
                      strncmp(line, header, strlen(header)) == 0,
                  "%s: not the expected header", path);
    rows_alloc(d, count);
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        int id, got;
        double x, tx, T, w = 1.0;
        if (weighted)
            got = sscanf(line, "%lf,%lf,%lf,%lf", &x, &tx, &T, &w);
        else
            got = sscanf(line, "%d,%lf,%lf,%lf", &id, &x, &tx, &T);
        ck_assert_msg(got == 4, "%s: bad line %zu: %s", path, n + 2, line);
        ck_assert_msg(n < d->n, "%s: more than %zu %s", path, count, what);
        d->x[n] = x, d->t_x[n] = tx, d->T[n] = T, d->w[n] = w;
        n++;
    }
    fclose(f);
    ck_assert_msg(n == count, "%s: %zu %s, want %zu", path, n, what, count);
}

/* $LIBCS_DATA/cdnow_customers_summary.csv (ID,frequency,recency,T = x, t_x,
 * T in weeks): the 2,357 customers of the CDNOW sample. */
static inline void cdnow_load(struct rows *d)
{
    rows_load_csv(d, "cdnow_customers_summary.csv", "ID,frequency,recency,T",
                  2357, "customers", 0);
}

/* A small seeded generator for the tests' own inputs (not the library's). */
static inline double test_uniform(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return ((double)(*s >> 11) + 0.5) * 0x1.0p-53;
}

/* n customers simulated by sim from params with seed, T uniform on
 * [T_lo, T_lo + T_span] (test_uniform() seeded with 12345), weights 1 */
static inline void rows_simulate(simulate_fn sim, struct rows *d, size_t n,
                                 const double *params, uint64_t seed,
                                 double T_lo, double T_span)
{
    rows_alloc(d, n);
    uint64_t s = 12345;
    for (size_t i = 0; i < n; i++) {
        d->T[i] = T_lo + T_span * test_uniform(&s);
        d->w[i] = 1.0;
    }
    ck_assert_ok(sim(params, n, d->T, seed, d->x, d->t_x));
}

/* The environment variable var overrides the size dflt of the large
 * simulations (e.g. smaller under valgrind). */
static inline size_t large_n(const char *var, size_t dflt)
{
    const char *e = getenv(var);
    if (e && *e) {
        char *end;
        unsigned long long v = strtoull(e, &end, 10);
        if (*end == '\0' && v > 0)
            return (size_t)v;
    }
    return dflt;
}

/* ==== the public log-likelihood and its derivatives ========================= */

/* The log-likelihood of the rows with weights w (NULL: 1 each) at p: the
 * call succeeds and the value is finite. */
static inline double rows_loglik(loglik_fn f, const struct rows *d,
                                 const double *w, const double *p)
{
    double ll = SENTINEL;
    ck_assert_ok(f(d->n, d->x, d->t_x, d->T, w, p, &ll));
    ck_assert(isfinite(ll));
    return ll;
}

/* Central finite difference of the public log-likelihood with respect to
 * log(params[i]), step h on the log scale. */
static inline double slope_log(loglik_fn f, const struct rows *d,
                               const double *w, const double *p, int i,
                               double h)
{
    double q[4];
    memcpy(q, p, sizeof q);
    q[i] = p[i] * exp(h);
    double up = rows_loglik(f, d, w, q);
    q[i] = p[i] * exp(-h);
    double down = rows_loglik(f, d, w, q);
    return (up - down) / (2.0 * h);
}

/* Invert the 4 x 4 matrix m in place (Gauss-Jordan, partial pivoting). */
static inline void invert4(double m[4][4])
{
    double inv[4][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    for (int c = 0; c < 4; c++) {
        int piv = c;
        for (int r = c + 1; r < 4; r++)
            if (fabs(m[r][c]) > fabs(m[piv][c]))
                piv = r;
        ck_assert(fabs(m[piv][c]) > 0.0);
        for (int j = 0; j < 4; j++) {
            double t = m[c][j];
            m[c][j] = m[piv][j], m[piv][j] = t;
            t = inv[c][j];
            inv[c][j] = inv[piv][j], inv[piv][j] = t;
        }
        double dd = m[c][c];
        for (int j = 0; j < 4; j++)
            m[c][j] /= dd, inv[c][j] /= dd;
        for (int r = 0; r < 4; r++)
            if (r != c) {
                double f = m[r][c];
                for (int j = 0; j < 4; j++)
                    m[r][j] -= f * m[c][j], inv[r][j] -= f * inv[c][j];
            }
    }
    memcpy(m, inv, sizeof inv);
}

/* Standard errors from second differences of the public log-likelihood in
 * parameter space (steps 1e-3 of each parameter): a check of the fit's
 * standard errors, which come from differences of the analytic gradient. */
static inline void numeric_se(loglik_fn f, const struct rows *d,
                              const double *w, const double *p, double *se)
{
    double h[4], H[4][4], f0 = rows_loglik(f, d, w, p);
    for (int i = 0; i < 4; i++)
        h[i] = 1e-3 * p[i];
    for (int i = 0; i < 4; i++) {
        double q[4];
        memcpy(q, p, sizeof q);
        q[i] = p[i] + h[i];
        double up = rows_loglik(f, d, w, q);
        q[i] = p[i] - h[i];
        double down = rows_loglik(f, d, w, q);
        H[i][i] = -(up - 2.0 * f0 + down) / (h[i] * h[i]);
        for (int j = i + 1; j < 4; j++) {
            double fs[4];
            for (int s = 0; s < 4; s++) {
                memcpy(q, p, sizeof q);
                q[i] += (s & 1) ? -h[i] : h[i];
                q[j] += (s & 2) ? -h[j] : h[j];
                fs[s] = rows_loglik(f, d, w, q);
            }
            /* fs[0] = (+, +), fs[1] = (-, +), fs[2] = (+, -), fs[3] = (-, -) */
            H[i][j] = H[j][i] =
                -(fs[0] - fs[1] - fs[2] + fs[3]) / (4.0 * h[i] * h[j]);
        }
    }
    invert4(H);
    for (int i = 0; i < 4; i++) {
        ck_assert(H[i][i] > 0.0);
        se[i] = sqrt(H[i][i]);
    }
}

/* ==== checks of a fit ======================================================== */

/* The fit is a maximum of the public log-likelihood f of the rows with
 * weights w: its loglik is f there (to 1e-12), every finite-difference
 * slope on the log scale is ~0 (at most 1e-7 max(1, |LL|)), each parameter
 * moved by +-move of itself lowers the log-likelihood, and the standard
 * errors are those of the numerical Hessian (to 1e-4).  The fits stop when
 * their analytic gradient (on the log scale) is below 1e-9 |LL| (BG/BB:
 * 1e-9 |LL| / (total weight)): were that gradient wrong, the finite-
 * difference slopes there would be of the order of the error, not ~0; and
 * the fit's standard errors come from differences of that gradient, so a
 * wrong gradient would not give the Hessian of the public function
 * either. */
static inline void check_maximum(loglik_fn f, const struct rows *d,
                                 const double *w, const libcs_clv_fit *fit,
                                 double move)
{
    double ll = rows_loglik(f, d, w, fit->params);
    ck_assert_rel(fit->loglik, ll, 1e-12);
    double bound = 1e-7 * fmax(1.0, fabs(ll));
    for (int i = 0; i < 4; i++) {
        double s = slope_log(f, d, w, fit->params, i, 1e-5);
        ck_assert_msg(fabs(s) <= bound,
                      "dLL/dlog(param %d) = %g at the fitted optimum "
                      "(bound %g)", i, s, bound);
        double q[4];
        for (int sign = -1; sign <= 1; sign += 2) {
            memcpy(q, fit->params, sizeof q);
            q[i] *= 1.0 + move * sign;
            double lq = rows_loglik(f, d, w, q);
            ck_assert_msg(lq < ll,
                          "moving param %d by %+g of itself raises the "
                          "log-likelihood (%.17g to %.17g)", i, move * sign,
                          ll, lq);
        }
    }
    double se[4];
    numeric_se(f, d, w, fit->params, se);
    for (int i = 0; i < 4; i++)
        ck_assert_rel(fit->se[i], se[i], 1e-4);
}

/* A fit that reports no maximum-likelihood estimate, as the fits' man
 * pages say for a point where the likelihood is flat in some direction (a
 * ridge, or a supremum at the boundary): LIBCS_ENOCONV, converged = 0,
 * se_status = LIBCS_EUNDEFINED and every se NaN, and out holds the point:
 * positive finite parameters and LL the public log-likelihood there to
 * tol max(1, |LL|). */
static inline void check_not_identified(fit_fn fit_, loglik_fn f,
                                        const struct rows *d,
                                        libcs_clv_fit *fit, double tol)
{
    memset(fit, 0, sizeof *fit);
    ck_assert_int_eq(fit_(d->n, d->x, d->t_x, d->T, NULL, NULL, fit),
                     LIBCS_ENOCONV);
    ck_assert_int_eq(fit->converged, 0);
    ck_assert_int_eq(fit->se_status, LIBCS_EUNDEFINED);
    ck_assert_int_eq(fit->n_params, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert(isnan(fit->se[i]));
        ck_assert(fit->params[i] > 0.0 && isfinite(fit->params[i]));
    }
    ck_assert_close(rows_loglik(f, d, NULL, fit->params), fit->loglik,
                    tol * fmax(1.0, fabs(fit->loglik)));
}

/* Rows whose log-likelihood has no interior maximum, only a supremum of 0
 * at the boundary (every x = 0): the fit ends near that boundary, where
 * the gradient vanishes too, and reports it (check_not_identified()), with
 * ll_floor < LL <= 0. */
static inline void check_no_interior_maximum(fit_fn fit_, loglik_fn f,
                                             const struct rows *d,
                                             double ll_floor, double tol)
{
    libcs_clv_fit fit;
    check_not_identified(fit_, f, d, &fit, tol);
    ck_assert_msg(fit.loglik <= 0.0 && fit.loglik > ll_floor,
                  "LL = %.17g, want in (%g, 0]", fit.loglik, ll_floor);
}

/* Rows whose likelihood rises towards a boundary along a ridge on which
 * only a ratio of params[i] and params[j] is identified: the fit reports
 * no estimate (check_not_identified()), and LL is the same to 1e-9
 * relative with params[i] divided and params[j] multiplied by 100 (the
 * ridge is there, the test is not passed by a failing optimiser). */
static inline void check_ridge(fit_fn fit_, loglik_fn f, const struct rows *d,
                               int i, int j)
{
    libcs_clv_fit fit;
    check_not_identified(fit_, f, d, &fit, 1e-12);
    double q[4];
    memcpy(q, fit.params, sizeof q);
    q[i] /= 100.0;
    q[j] *= 100.0;
    ck_assert_rel(rows_loglik(f, d, NULL, q), fit.loglik, 1e-9);
}

/* Weights that sum to little (every weight scale < 1 times those of a fit
 * full that gave standard errors): the same maximum, LIBCS_OK and
 * converged, but some log-parameter's standard error, 1 / sqrt(scale)
 * times larger, is above 5 (the documented limit): se_status =
 * LIBCS_EUNDEFINED, every se NaN. */
static inline void check_too_little_weight(fit_fn fit_, const struct rows *d,
                                           const libcs_clv_fit *full,
                                           double scale)
{
    ck_assert_int_eq(full->se_status, LIBCS_OK);
    double wide = 0.0;
    for (int i = 0; i < 4; i++)
        wide = fmax(wide, full->se[i] / full->params[i] / sqrt(scale));
    ck_assert_msg(wide > 5.0, "the largest se(log param) would be %g", wide);
    double *w = malloc(d->n * sizeof *w);
    ck_assert(w != NULL);
    for (size_t r = 0; r < d->n; r++)
        w[r] = scale * d->w[r];
    libcs_clv_fit fit;
    memset(&fit, 0, sizeof fit);
    ck_assert_int_eq(fit_(d->n, d->x, d->t_x, d->T, w, NULL, &fit), LIBCS_OK);
    free(w);
    ck_assert_int_eq(fit.converged, 1);
    ck_assert_int_eq(fit.se_status, LIBCS_EUNDEFINED);
    for (int i = 0; i < 4; i++) {
        ck_assert(isnan(fit.se[i]));
        ck_assert_rel(fit.params[i], full->params[i], 1e-5);
    }
    ck_assert_rel(fit.loglik, scale * full->loglik, 1e-9);
}

/* Parameter recovery: the fit converged with standard errors, and each
 * estimate is within two of its standard errors of the truth. */
static inline void check_recovered(const libcs_clv_fit *fit,
                                   const double *truth)
{
    ck_assert_int_eq(fit->converged, 1);
    ck_assert_int_eq(fit->se_status, LIBCS_OK);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(fabs(fit->params[i] - truth[i]) <= 2.0 * fit->se[i],
                      "param %d = %g (se %g), truth %g", i, fit->params[i],
                      fit->se[i], truth[i]);
}

/* ---- the error paths of the (x, t_x, T) models' per-customer functions ---- */

/* parameters (r, alpha, a, b or r, alpha, s, beta) and rows that fail, with
 * their codes */
struct bad_params4 {
    double p[4];
    int rc;
};
struct bad_row {
    double x, t_x, T;
    int rc;
};

/* libcs_bgnbd_conditional(3), _palive and _clv, or their Pareto/NBD twins */
struct xtT_api {
    int (*conditional)(const double *, double, double, double, double,
                       double *);
    int (*palive)(const double *, double, double, double, double *);
    int (*clv)(const double *, double, double, double, double, double,
               uint32_t, double, double *);
};

/* conditional, palive and clv at `good` parameters: NULL, then the
 * parameters, then the row, then CLV's own arguments, each with its code
 * and the output untouched */
static inline void check_xtT_row_errors(const struct xtT_api *f,
                                        const double *good,
                                        const struct bad_params4 *bad_params,
                                        size_t nbp,
                                        const struct bad_row *bad_rows,
                                        size_t nbr)
{
    double o;
    ck_assert_fails(f->conditional(NULL, 2, 1, 3, 1, &o),
                    LIBCS_EINVAL, o);
    ck_assert_int_eq(f->conditional(good, 2, 1, 3, 1, NULL),
                     LIBCS_EINVAL);
    ck_assert_fails(f->palive(NULL, 2, 1, 3, &o), LIBCS_EINVAL, o);
    ck_assert_int_eq(f->palive(good, 2, 1, 3, NULL), LIBCS_EINVAL);
    ck_assert_fails(f->clv(NULL, 2, 1, 3, 1, 1, 1, 0, &o),
                    LIBCS_EINVAL, o);
    ck_assert_int_eq(f->clv(good, 2, 1, 3, 1, 1, 1, 0, NULL),
                     LIBCS_EINVAL);
    for (size_t i = 0; i < nbp; i++) {
        const double *p = bad_params[i].p;
        int rc = bad_params[i].rc;
        ck_assert_fails(f->conditional(p, NAN, 1, 3, 1, &o), rc, o);
        ck_assert_fails(f->palive(p, NAN, 1, 3, &o), rc, o);
        ck_assert_fails(f->clv(p, NAN, 1, 3, 1, 1, 1, 0, &o), rc, o);
    }
    for (size_t i = 0; i < nbr; i++) {
        double x = bad_rows[i].x, tx = bad_rows[i].t_x, T = bad_rows[i].T;
        int rc = bad_rows[i].rc;
        ck_assert_fails(f->conditional(good, x, tx, T, 1, &o), rc, o);
        ck_assert_fails(f->palive(good, x, tx, T, &o), rc, o);
        ck_assert_fails(f->clv(good, x, tx, T, 1, 1, 1, 0, &o), rc, o);
        /* the row before the CLV arguments */
        ck_assert_fails(f->clv(good, x, tx, T, NAN, 0, 1, -2, &o), rc,
                        o);
    }
    /* clv's own arguments: every NaN / Inf before any domain error */
    ck_assert_fails(f->clv(good, 2, 1, 3, NAN, 1, 1, 0, &o),
                    LIBCS_ENONFINITE, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, -1, INFINITY, 1, 0, &o),
                    LIBCS_ENONFINITE, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, -1, 0, 1, -INFINITY, &o),
                    LIBCS_ENONFINITE, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, -1, 1, 1, 0, &o),
                    LIBCS_EDOMAIN, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, 1, 0, 1, 0, &o),
                    LIBCS_EDOMAIN, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, 1, -4, 1, 0, &o),
                    LIBCS_EDOMAIN, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, 1, 1, 1, -1, &o),
                    LIBCS_EDOMAIN, o);
    ck_assert_fails(f->clv(good, 2, 1, 3, 1, 1, 1, -1.5, &o),
                    LIBCS_EDOMAIN, o);
    /* steps = 0 with a bad step is still an error */
    ck_assert_fails(f->clv(good, 2, 1, 3, 1, 0, 0, 0, &o),
                    LIBCS_EDOMAIN, o);
}

#endif /* LIBCS_FITUTIL_H */
