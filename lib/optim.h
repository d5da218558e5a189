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

/* Minimise from each of n_starts starting points (rows of k log-parameters)
 * and fill out with the best: params, loglik (= -f), iterations, converged,
 * and standard errors.  LIBCS_OK when the best start converged,
 * LIBCS_ENOCONV when none did (out still holds the best point), or the
 * objective's error when no start could be evaluated at all.  h0 (k x k,
 * may be NULL) is the first inverse-Hessian guess on the theta scale, e.g.
 * from a fit of a subsample; hout (may be NULL) receives the best start's
 * final BFGS inverse Hessian. */
int libcs__optim_fit(optim_objective fn, void *ctx, int k,
                     const double *starts, int n_starts, const double *h0,
                     double *hout, libcs_clv_fit *out);

/* Identical rows of k columns merged into one weighted row: rows[i*k..]
 * with weights w (NULL: 1 each) become the first *m rows of urows and uw,
 * in order of first appearance, zero-weight rows dropped.  urows holds
 * n*k, uw n values. */
int libcs__compress(size_t n, int k, const double *rows, const double *w,
                    double *urows, double *uw, size_t *m);

/* digamma(x) for x > 0 */
double libcs__digamma(double x);

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
