/* lib/optim.h - maximum-likelihood machinery shared by the CLV models: a
 * BFGS minimiser on log-parameters with several starts, and standard errors
 * from a finite-difference Hessian of the analytic gradient. */
#ifndef LIBCS_OPTIM_H
#define LIBCS_OPTIM_H

#include "internal.h"

#define OPTIM_MAX_PARAMS 4

/* The negative log-likelihood at params = exp(theta) and its gradient with
 * respect to theta (grad may be NULL); LIBCS_OK or an error (for instance a
 * non-finite value, which the line search treats as "too far"). */
typedef int (*optim_objective)(void *ctx, const double *theta, double *f,
                               double *grad);

/* The tests of a fitted point (see libcs_bgnbd_fit(3)): it is an isolated
 * maximum when the Hessian of -LL on the log-parameter scale is positive
 * definite with its smallest eigenvalue above OPTIM_RCOND_MIN of its
 * largest (not converged otherwise: a ridge or a supremum at the
 * boundary); its standard errors are given when that of every
 * log-parameter (se / param) is at most OPTIM_SE_LOG_MAX. */
#define OPTIM_RCOND_MIN 1e-8
#define OPTIM_SE_LOG_MAX 5.0
/* ... and when, OPTIM_PROBE away on the log scale along the eigenvector
 * of the smallest eigenvalue, -LL rises on both sides by at least
 * OPTIM_FLAT_MIN of what that eigenvalue predicts; tested only where that
 * prediction is a fall of LL by less than 2 (few data: large data skip
 * the two evaluations, which for Pareto/NBD far out cost several times a
 * fit of a million customers) */
#define OPTIM_PROBE 1.0
#define OPTIM_FLAT_MIN 0.01

/* Minimise from each of n_starts starting points (rows of k log-parameters)
 * and fill out with the best: params, loglik (= -f weight), iterations,
 * converged, and standard errors, for an objective that is the mean -LL
 * over a total weight.  converged is 1, and the return LIBCS_OK, when the
 * best start met the gradient test and, with standard errors, the point
 * is an isolated maximum; otherwise
 * LIBCS_ENOCONV (out still holds the best point), or the objective's error
 * when no start could be evaluated at all.  h0 (k x k, may be NULL) is
 * the first inverse-Hessian guess on the theta scale, e.g. from a fit of a
 * subsample; hout (may be NULL) receives the best start's final BFGS
 * inverse Hessian. */
int libcs__optim_fit(optim_objective fn, void *ctx, int k,
                     const double *starts, int n_starts, const double *h0,
                     double *hout, double weight, libcs_clv_fit *out);

/* A model fitted on three-column rows (BG/NBD, Pareto/NBD: x, t_x, T;
 * BG/BB: x, t_x, periods) with weights.  init builds the model's
 * evaluation context (ctx_size bytes, allocated by the driver) for a set of
 * rows; the objective sees the mean -LL per unit weight (scale = 1 / total
 * weight), so its gradient is O(1) whatever the data size. */
struct libcs__rows_model {
    int k;
    size_t ctx_size;
    int (*init)(void *ctx, size_t n, const double *c0, const double *c1,
                const double *c2, const double *w, double scale);
    void (*fini)(void *ctx);
    optim_objective fn;
};

/* The fit shared by those models: identical rows merged into weighted
 * ones; with many distinct rows, the maximum of a subsample (systematic
 * sampling on the cumulative weight)
 * from every start first, then a refinement on all rows from there;
 * loglik and standard errors scaled back to the data.  starts holds
 * n_starts rows of k parameters (not logs).  Rows must be valid. */
int libcs__fit_rows(const struct libcs__rows_model *m, size_t n,
                    const double *c0, const double *c1, const double *c2,
                    const double *w, const double *starts, int n_starts,
                    libcs_clv_fit *out);

/* libcs__optim_fit without the standard errors when want_se is 0 (se[]
 * NaN, se_status LIBCS_EUNDEFINED, converged the gradient test alone):
 * for warm-start stages */
int libcs__optim_fit_ex(optim_objective fn, void *ctx, int k,
                        const double *starts, int n_starts, const double *h0,
                        double *hout, double weight, int want_se,
                        libcs_clv_fit *out);

/* Identical rows of k columns merged into one weighted row: rows[i*k..]
 * with weights w (NULL: 1 each) become the first *m rows of urows and uw,
 * in order of first appearance, zero-weight rows dropped.  urows holds
 * n*k, uw n values. */
int libcs__compress(size_t n, int k, const double *rows, const double *w,
                    double *urows, double *uw, size_t *m);

/* A time span (horizon, observation length): finite and >= 0 */
static inline int libcs__check_time(double t)
{
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    return t < 0.0 ? LIBCS_EDOMAIN : LIBCS_OK;
}

/* Validation shared by the (x, t_x, T) models: parameters finite and > 0;
 * a row with x a whole number >= 0, 0 <= t_x <= T, t_x = 0 when x = 0;
 * rows with optional weights (finite, >= 0), *bad_index set on error. */
int libcs__check_params(const double *p, int k);

/* The prologue of a model's batch function, in the house order: any of
 * params and the other pointers NULL -> LIBCS_EINVAL, n = 0 ->
 * LIBCS_EEMPTY, then the k parameters (returns from the function). */
#define LIBCS_BATCH_ARGS(params, k, n, ...)                                    \
    do {                                                                       \
        const void *const ptrs_[] = {(params), __VA_ARGS__};                   \
        for (size_t i_ = 0; i_ < sizeof ptrs_ / sizeof *ptrs_; i_++)           \
            if (!ptrs_[i_])                                                    \
                return LIBCS_EINVAL;                                           \
        if ((n) == 0)                                                          \
            return LIBCS_EEMPTY;                                               \
        LIBCS_TRY(libcs__check_params((params), (k)));                         \
    } while (0)
int libcs__check_xtT(double x, double t_x, double T);
int libcs__check_xtT_rows(size_t n, const double *x, const double *t_x,
                          const double *T, const double *w,
                          size_t *bad_index);
/* The same over rows of any three-column model whose row check is
 * check_row (BG/BB's (x, t_x, n)). */
int libcs__check_rows3(size_t n, const double *x, const double *t_x,
                       const double *T, const double *w, size_t *bad_index,
                       int (*check_row)(double, double, double));

/* The distinct values of a whole-number column (ascending, xs[0..nx-1])
 * and each row's index into them. */
struct libcs__xtab {
    size_t nx;
    double *xs;
    uint32_t *xi;
};
int libcs__xtab_init(struct libcs__xtab *t, size_t n, const double *x);
void libcs__xtab_free(struct libcs__xtab *t);

/* lg[j] = lgamma(u + xs[j]) - lgamma(u) and dg[j] = digamma(u + xs[j]) -
 * digamma(u) for ascending whole xs, by running sums over small gaps */
void libcs__diff_table(const double *xs, size_t nx, double u, double *lg,
                       double *dg);

/* What the discounted CLV needs of a model with (x, t_x, T) rows
 * (BG/NBD, Pareto/NBD): E[Y(t)] / P(alive) of a customer alive at T with
 * x repeat purchases (non-decreasing in t, 0 at t = 0), and P(alive). */
struct libcs__xtT_model {
    int (*expected_alive)(const double *p, double x, double T, double t,
                          double *e);
    int (*palive)(const double *p, double x, double t_x, double T,
                  double *out);
};

/* libcs_bgnbd_clv(3) for any such model with k parameters: P(alive) x
 * value x sum over k = 1..steps of (E(k step) - E((k-1) step)) / (1 +
 * discount)^k (rounding never makes an increment negative); the pointers,
 * the parameters (once a batch), the row, value >= 0, step > 0 and
 * discount > -1 validated here. */
int libcs__clv_xtT(const struct libcs__xtT_model *m, const double *p, int k,
                   double x, double t_x, double T, double value, double step,
                   uint32_t steps, double discount, double *out);
int libcs__clv_xtT_batch(const struct libcs__xtT_model *m, const double *p,
                         int k, size_t n, const double *x, const double *t_x,
                         const double *T, const double *value, double step,
                         uint32_t steps, double discount, double *out,
                         size_t *bad_index);

/* The arguments of an (x, t_x, T) simulator (libcs_bgnbd_simulate(3)):
 * pointers, n, the k parameters and each observation span T[i]. */
int libcs__check_simulate_T(const double *p, int k, size_t n,
                            const double *T, const double *x,
                            const double *t_x);

/* The m-vector integral (m <= 6) of f over [lo, hi] by globally adaptive
 * Gauss-Kronrod 7/15 panels (the first eight graded towards both ends:
 * 1e-9, 1e-6, 1e-3 and 1/2 of the range) until each component's estimated error is at
 * most rtol times its magnitude; LIBCS_ENOCONV when 2000 panels do not get
 * there.  f writes m values at u. */
typedef void (*libcs__integrand)(const void *ctx, double u, double *out);
int libcs__integrate(libcs__integrand f, const void *ctx, int m, double lo,
                     double hi, double rtol, double *result);

/* lgamma(b + d) - lgamma(b) for b, b + d > 0, accurate relative to itself
 * however small d or large b; digamma(a + b) - digamma(a) for a > 0,
 * b >= 0 */
double libcs__lgamma_diff(double b, double d);
double libcs__digamma_diff(double a, double b);

/* digamma(x) for x > 0 */
double libcs__digamma(double x);

/* log(u + v) for u, v >= 0 (not both 0), even when u + v overflows */
static inline double libcs_log_sum(double u, double v)
{
    double s = u + v;
    if (isfinite(s))
        return log(s);
    double m = fmax(u, v);
    return log(m) + log1p(fmin(u, v) / m);
}

/* log(exp(a) + exp(b)) without overflow */
static inline double libcs_logaddexp(double a, double b)
{
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (b == -INFINITY)
        return a;
    return a + log1p(exp(b - a));
}

#endif /* LIBCS_OPTIM_H */
