/* lib/bgbb.c - the BG/BB model (Fader, Hardie & Shang 2010, "Customer-Base
 * Analysis in a Discrete-Time Noncontractual Setting", Marketing Science
 * 29(6), 1086-1108): log-likelihood with its analytic gradient, maximum-
 * likelihood fit, predictions, discounted expected residual transactions
 * and a simulator.
 *
 * The story: at each transaction opportunity t = 1, 2, ... a customer who
 * is still alive transacts with probability p; a living customer dies at
 * the start of each opportunity with probability theta, so that P(alive at
 * t) = (1 - theta)^t; p ~ Beta(alpha, beta) and theta ~ Beta(gamma, delta)
 * across customers.  Equation numbers are FHS's: (5) the likelihood, (8)
 * P(X(n) = x), (9) E[X(n)], (11) P(alive at n + 1), (13) the conditional
 * expectation, (14) DERT.
 *
 * Every prediction for a row is a multiple of one posterior quantity,
 * w0 = P(alive at opportunity n | x, t_x, n) = T0 / L, with T0 the
 * likelihood's first term (alive throughout) and L the likelihood:
 *   P(alive at n + 1) = w0 (delta + n) / (gamma + delta + n)
 *   E[X(n, n + m) | .] = w0 (alpha + x) / (alpha + beta + n) F(delta + n, m)
 *   DERT(d | .)        = w0 (alpha + x) / (alpha + beta + n) H(delta + n, d)
 * where F(c, m) = sum_{s=1..m} u_s, H(c, d) = sum_{s>=1} u_s / (1 + d)^s and
 * u_s = prod_{j<s} (c + j) / (gamma + c + j) = B(gamma, c + s) / B(gamma, c),
 * the probability that a customer alive at n is alive s opportunities later.
 * This is (11), (13) and (14) with the beta-function ratios simplified; the
 * forms have no 0/0 and only positive terms. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "rng.h"

/* The likelihood and the pmf sum over opportunities: periods is bounded so
 * that a row costs at most this many steps.  Horizons (E[X(n)], the
 * conditional's future opportunities) have closed forms and may be longer. */
#define MAX_PERIODS 1e7
#define MAX_HORIZON 1e15
/* DERT's series: at most this many terms (discount rates below about
 * 1e-5 need more: LIBCS_ENOCONV) */
#define DERT_MAX_TERMS 4000000

/* ---- validation ------------------------------------------------------------- */

/* A count of opportunities or transactions: finite, whole, 0..max. */
static int check_count(double v, double max)
{
    if (!isfinite(v))
        return LIBCS_ENONFINITE;
    if (!(v >= 0.0) || v != floor(v) || v > max)
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

/* One customer: whole numbers 0 <= x <= t_x <= periods <= 10^7, t_x = 0
 * exactly when x = 0 (x transactions at distinct opportunities, the last at
 * t_x).  Every non-finite value is reported before any domain error. */
static int check_row(double x, double t_x, double n)
{
    if (!isfinite(x) || !isfinite(t_x) || !isfinite(n))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_count(n, MAX_PERIODS));
    LIBCS_TRY(check_count(x, MAX_PERIODS));
    LIBCS_TRY(check_count(t_x, MAX_PERIODS));
    if (x > t_x || t_x > n || (x == 0.0) != (t_x == 0.0))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

static int check_rows(size_t n, const double *x, const double *t_x,
                      const double *np, const double *w, size_t *bad_index)
{
    return libcs__check_rows3(n, x, t_x, np, w, bad_index, check_row);
}

/* ---- log-gamma and digamma differences -------------------------------------- */

/* log(Gamma(a + k) Gamma(b) / (Gamma(a) Gamma(b + k))) = log prod_{j<k}
 * (a + j) / (b + j) for whole k >= 0, d = a - b given by the caller (from
 * the small quantities it is made of), without the cancellation of two
 * large log-gamma differences */
static double lrr(double a, double b, double d, double k)
{
    if (k <= 16.0) {
        double p = 1.0, acc = 0.0;
        for (double j = 0.0; j < k; j += 1.0) {
            double f = (a + j) / (b + j);
            if (!(f > 1e-300 && f < 1e300)) { /* extreme parameters */
                acc += log(a + j) - log(b + j);
                continue;
            }
            p *= f;
            if (p < 1e-280 || p > 1e280) {
                acc += log(p);
                p = 1.0;
            }
        }
        return acc + log(p);
    }
    return libcs__lgamma_diff(b + k, d) - libcs__lgamma_diff(b, d);
}

/* digamma(u + k) - digamma(u) = sum_{j<k} 1 / (u + j), whole k >= 0: the
 * sum itself for k <= 16; otherwise u moved up to 30 or more by the
 * recurrence, then the asymptotic series (next term below 2e-17 there),
 * its logarithms as one log1p. */
static double drise(double u, double k)
{
    double s = 0.0;
    if (k <= 16.0) {
        for (double j = 0.0; j < k; j += 1.0)
            s += 1.0 / (u + j);
        return s;
    }
    if (u < 30.0) {
        const double m = ceil(30.0 - u);
        for (double j = 0.0; j < m; j += 1.0)
            s += 1.0 / (u + j) - 1.0 / (u + k + j);
        u += m;
    }
    const double v = u + k, fu = 1.0 / (u * u), fv = 1.0 / (v * v);
    return s + log1p(k / u) - 0.5 * (1.0 / v - 1.0 / u) -
           (fv * (1.0 / 12 - fv * (1.0 / 120 - fv * (1.0 / 252 - fv / 240))) -
            fu * (1.0 / 12 - fu * (1.0 / 120 - fu * (1.0 / 252 - fu / 240))));
}

/* ---- the likelihood of one row ---------------------------------------------- */

/* FHS (5) for one row: L = T0 + sum_{i=0}^{K-1} T_i, K = n - t_x, with
 *   T0  = B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d)          alive throughout
 *   T_i = B(a+x, b+t_x-x+i)/B(a,b) B(g+1, d+t_x+i)/B(g,d) died at t_x+i+1.
 * T_{i+1} / T_i = rho_i < 1 (no lgamma in the loop) and T_0 / T0 = e^l with
 *   l = lrr(a+b+t_x, b+t_x-x, K) - lrr(d+t_x, g+d+1+t_x, K)
 *       + log g - log(g+d+n).
 * With S = sum_i T_i / T_0, log L = log T0 + log(1 + e^u), u = l + log S,
 * and w0 = T0 / L = 1 / (1 + e^u).  When grad is not NULL it receives the
 * gradient of log L with respect to (alpha, beta, gamma, delta). */
struct row_lik {
    double logL; /* log of the likelihood */
    double w0;   /* P(alive at opportunity n | row) */
};

static void row_lik(const double *p, double x, double t_x, double n,
                    struct row_lik *out, double *grad)
{
    const double a = p[0], b = p[1], g = p[2], d = p[3];
    const double K = n - t_x;
    const double lT0 =
        lrr(a, a + b, -b, x) + lrr(b, a + b + x, -(a + x), n - x) +
        lrr(d, g + d, -g, n);
    if (grad) {
        const double dab = drise(a + b, n), dgd = drise(g + d, n);
        grad[0] = drise(a, x) - dab;
        grad[1] = drise(b, n - x) - dab;
        grad[2] = -dgd;
        grad[3] = drise(d, n) - dgd;
    }
    if (K == 0.0) { /* last transaction at n: alive throughout */
        out->logL = lT0 < 0.0 ? lT0 : 0.0;
        out->w0 = 1.0;
        return;
    }
    const double y0 = t_x - x; /* non-transactions up to t_x */
    const double l = lrr(a + b + t_x, b + y0, a + x, K) -
                     lrr(d + t_x, g + d + 1.0 + t_x, -(g + 1.0), K) +
                     log(g) - log(g + d + n);
    /* S = sum R_i, R_0 = 1, R_{i+1} = R_i rho_i, and for the gradient
     * G = sum R_i grad log R_i from running sums of the reciprocals */
    double S = 0.0, R = 1.0, ca = 0.0, cb = 0.0, cg = 0.0, cd = 0.0;
    double G0 = 0.0, G1 = 0.0, G2 = 0.0, G3 = 0.0;
    for (double i = 0.0; i < K; i += 1.0) {
        const double s = t_x + i, y = y0 + i;
        S += R;
        if (grad) {
            G0 -= R * ca;
            G1 += R * (cb - ca);
            G2 -= R * cg;
            G3 += R * (cd - cg);
        }
        const double r_ab = 1.0 / (a + b + s), r_b = 1.0 / (b + y),
                     r_gd = 1.0 / (g + d + 1.0 + s), r_d = 1.0 / (d + s);
        ca += r_ab, cb += r_b, cg += r_gd, cd += r_d;
        R *= (b + y) * r_ab * ((d + s) * r_gd);
        /* the terms decrease: stop once the rest cannot matter */
        if (R * (K - i - 1.0) <= 1e-17 * S)
            break;
    }
    const double u = l + log(S);
    out->logL = lT0 + (u > 0.0 ? u + log1p(exp(-u)) : log1p(exp(u)));
    if (out->logL > 0.0)
        out->logL = 0.0; /* a probability: rounding only */
    out->w0 = u > 0.0 ? exp(-u) / (1.0 + exp(-u)) : 1.0 / (1.0 + exp(u));
    if (grad) {
        /* grad log L = grad log T0 + w (grad l + G / S), w = 1 - w0 */
        const double w = u > 0.0 ? 1.0 / (1.0 + exp(-u))
                                 : exp(u) / (1.0 + exp(u));
        const double dab = drise(a + b + t_x, K),
                     dgd = drise(g + d + 1.0 + t_x, K),
                     inv = 1.0 / (g + d + n);
        grad[0] += w * (dab + G0 / S);
        grad[1] += w * (dab - drise(b + y0, K) + G1 / S);
        grad[2] += w * (1.0 / g + dgd - inv + G2 / S);
        grad[3] += w * (dgd - drise(d + t_x, K) - inv + G3 / S);
    }
}

/* ---- log-likelihood and fit ------------------------------------------------- */

struct bb_data {
    size_t n;
    const double *x, *t_x, *np, *w;
    double scale; /* 1 / total weight: the optimiser sees the mean -LL */
};

/* -LL (times scale) and its gradient with respect to log-parameters */
static int bb_objective(void *ctx, const double *theta, double *f,
                        double *grad)
{
    const struct bb_data *dt = ctx;
    double p[4];
    for (int k = 0; k < 4; k++) {
        p[k] = exp(theta[k]);
        if (!isfinite(p[k]) || p[k] == 0.0)
            return LIBCS_EDOMAIN;
    }
    double ll = 0.0, gs[4] = {0.0, 0.0, 0.0, 0.0};
    for (size_t i = 0; i < dt->n; i++) {
        const double w = dt->w ? dt->w[i] : 1.0;
        if (w == 0.0)
            continue;
        struct row_lik r;
        double gr[4];
        row_lik(p, dt->x[i], dt->t_x[i], dt->np[i], &r, grad ? gr : NULL);
        ll += w * r.logL;
        if (grad)
            for (int k = 0; k < 4; k++)
                gs[k] += w * gr[k];
    }
    if (!isfinite(ll))
        return LIBCS_EOVERFLOW; /* finite inputs, a sum past a double */
    *f = -ll * dt->scale;
    if (grad) {
        for (int k = 0; k < 4; k++) {
            grad[k] = -gs[k] * p[k] * dt->scale;
            if (!isfinite(grad[k]))
                return LIBCS_EOVERFLOW;
        }
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_bgbb_loglik(size_t n, const double *x, const double *t_x,
                                const double *periods, const double *weights,
                                const double *params, double *loglik)
{
    if (!x || !t_x || !periods || !params || !loglik)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(check_rows(n, x, t_x, periods, weights, NULL));
    struct bb_data d = {n, x, t_x, periods, weights, 1.0};
    double theta[4], f;
    for (int i = 0; i < 4; i++)
        theta[i] = log(params[i]);
    LIBCS_TRY(bb_objective(&d, theta, &f, NULL));
    return libcs_store_finite(-f, loglik);
}

static int bb_init(void *ctx, size_t n, const double *x, const double *t_x,
                   const double *np, const double *w, double scale)
{
    struct bb_data *d = ctx;
    d->n = n, d->x = x, d->t_x = t_x, d->np = np, d->w = w;
    d->scale = scale;
    return LIBCS_OK;
}

static void bb_fini(void *ctx)
{
    (void)ctx;
}

static const struct libcs__rows_model bb_model = {
    4, sizeof(struct bb_data), bb_init, bb_fini, bb_objective};

LIBCS_API int libcs_bgbb_fit(size_t n, const double *x, const double *t_x,
                             const double *periods, const double *weights,
                             const double *start, libcs_clv_fit *out)
{
    if (!x || !t_x || !periods || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (start)
        LIBCS_TRY(libcs__check_params(start, 4));
    LIBCS_TRY(check_rows(n, x, t_x, periods, weights, NULL));
    /* the caller's start first, then a spread: frequent and occasional
     * buyers, short and long lifetimes */
    double starts[6][4] = {{1.0, 1.0, 1.0, 1.0}, {1.0, 1.0, 1.0, 1.0},
                           {0.5, 1.0, 0.5, 3.0}, {2.0, 1.0, 0.5, 5.0},
                           {0.5, 2.0, 2.0, 1.0}, {5.0, 5.0, 0.2, 0.5}};
    int first = 1;
    if (start) {
        memcpy(starts[0], start, sizeof starts[0]);
        first = 0;
    }
    return libcs__fit_rows(&bb_model, n, x, t_x, periods, weights,
                           &starts[first][0], 6 - first, out);
}

/* ---- the sums over future opportunities ------------------------------------- */

/* F(c, m) = sum_{s=1..m} prod_{j<s} (c + j) / (gamma + c + j): the expected
 * number of opportunities among the next m at which a customer alive now
 * is still alive.  Summed directly for m <= 64; otherwise the closed form
 * c (1 - v_m) / (gamma - 1), v_m = Gamma(1+c+m) Gamma(gamma+c) /
 * (Gamma(gamma+c+m) Gamma(1+c)) (FHS (9)), with log v_m from lgd (accurate
 * relative to itself, so that the quotient keeps its digits as gamma nears
 * 1).  Its 0/0 at gamma = 1 is replaced within 1e-9 of 1 by the straight
 * line between gamma = 1 -+ 1e-9 (F is smooth in gamma: the line is within
 * about 1e-17 of it). */
static double alive_closed(double g, double c, double m, double l0)
{
    const double lv = libcs__lgamma_diff(g + c + m, 1.0 - g) - l0;
    return c * -expm1(lv) / (g - 1.0);
}

/* The closed form's log-gamma difference at m = 0 (independent of m): at
 * gamma (l0[0]), or at gamma = 1 -+ 1e-9 (l0[1], l0[2]) within 1e-9 of 1 */
#define ALIVE_G0 (1.0 - 1e-9)
#define ALIVE_G1 (1.0 + 1e-9)

static void alive_l0(double g, double c, double *l0)
{
    if (fabs(g - 1.0) < 1e-9) {
        l0[1] = libcs__lgamma_diff(ALIVE_G0 + c, 1.0 - ALIVE_G0);
        l0[2] = libcs__lgamma_diff(ALIVE_G1 + c, 1.0 - ALIVE_G1);
    } else {
        l0[0] = libcs__lgamma_diff(g + c, 1.0 - g);
    }
}

/* F(c, m) for m > 64, l0 from alive_l0 */
static double alive_beyond(double g, double c, double m, const double *l0)
{
    double f;
    if (fabs(g - 1.0) < 1e-9) {
        const double g0 = ALIVE_G0, g1 = ALIVE_G1;
        const double f0 = alive_closed(g0, c, m, l0[1]),
                     f1 = alive_closed(g1, c, m, l0[2]);
        f = f0 + (g - g0) / (g1 - g0) * (f1 - f0);
    } else {
        f = alive_closed(g, c, m, l0[0]);
    }
    return f > 0.0 ? (f < m ? f : m) : 0.0; /* 0 < u_s <= 1 */
}

static double alive_sum(double g, double c, double m)
{
    if (m <= 64.0) {
        double sum = 0.0, u = 1.0;
        for (double j = 0.0; j < m; j += 1.0) {
            u *= (c + j) / (g + c + j);
            sum += u;
        }
        return sum;
    }
    double l0[3];
    alive_l0(g, c, l0);
    return alive_beyond(g, c, m, l0);
}

/* F(c, m) for one (gamma, c) and many m (E[X(n)] over horizons): the
 * direct sums for m = 0..64 are the partial sums of one loop, and l0 is
 * shared; the same operations as alive_sum, so the same values */
struct alive_table {
    double g, c, S[65], l0[3];
};

static void alive_table_init(struct alive_table *A, double g, double c)
{
    double sum = 0.0, u = 1.0;
    A->g = g, A->c = c;
    A->S[0] = 0.0;
    for (double j = 0.0; j < 64.0; j += 1.0) {
        u *= (c + j) / (g + c + j);
        sum += u;
        A->S[(int)j + 1] = sum;
    }
    alive_l0(g, c, A->l0);
}

static double alive_sum_table(const struct alive_table *A, double m)
{
    return m <= 64.0 ? A->S[(int)m] : alive_beyond(A->g, A->c, m, A->l0);
}

/* H(c, d) = sum_{s>=1} prod_{j<s} (c + j) / (gamma + c + j) / (1 + d)^s,
 * d >= 0: FHS (14)'s 2F1(1, c + 1; gamma + c + 1; 1 / (1 + d)) / (1 + d)
 * times c / (gamma + c).  Positive terms, each at most 1 / (1 + d) times the
 * previous one, so the rest after a term t is at most t / d: summed until
 * that is below 1e-17 of the sum.  d = 0: c / (gamma - 1) when gamma > 1,
 * LIBCS_EUNDEFINED (an infinite sum) otherwise. */
static int discounted_alive_sum(double g, double c, double d, double *out)
{
    if (d == 0.0) {
        if (!(g > 1.0))
            return LIBCS_EUNDEFINED;
        *out = c / (g - 1.0);
        return LIBCS_OK;
    }
    const double z = 1.0 / (1.0 + d);
    double sum = 0.0, t = 1.0;
    for (long s = 0; s < DERT_MAX_TERMS; s++) {
        t *= (c + (double)s) / (g + c + (double)s) * z;
        sum += t;
        if (t <= 1e-17 * d * sum || t == 0.0) {
            *out = sum;
            return LIBCS_OK;
        }
    }
    return LIBCS_ENOCONV;
}

/* ---- predictions ------------------------------------------------------------- */

/* E[X(n)] of a new customer, the scalar function after its parameters */
static int expected_one(const double *p, double periods, double *out)
{
    LIBCS_TRY(check_count(periods, MAX_HORIZON));
    /* FHS (9): E[X(n)] = alpha / (alpha + beta) sum_{t=1..n} P(alive at t) */
    const double a = p[0], b = p[1];
    double e = a / (a + b) * alive_sum(p[2], p[3], periods);
    return libcs_store_finite(e, out);
}

LIBCS_API int libcs_bgbb_expected(const double *params, double periods,
                                  double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return expected_one(params, periods, out);
}

static int expected_tabled(const double *p, const struct alive_table *A,
                           double periods, double *out)
{
    LIBCS_TRY(check_count(periods, MAX_HORIZON));
    const double a = p[0], b = p[1];
    double e = a / (a + b) * alive_sum_table(A, periods);
    return libcs_store_finite(e, out);
}

/* the sum for up to 64 opportunities tabulated once: a curve over the
 * first periods costs a lookup an element */
LIBCS_API int libcs_bgbb_expected_batch(const double *params, size_t n,
                                        const double *periods, double *out,
                                        size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, periods, out);
    struct alive_table A;
    alive_table_init(&A, params[2], params[3]);
#define CALL(i, dst) expected_tabled(params, &A, periods[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}

/* P(X(n) = k), the scalar function after its parameters */
static int pmf_one(const double *params, double periods, uint32_t k,
                   double *out)
{
    LIBCS_TRY(check_count(periods, MAX_PERIODS));
    const double n = periods, x = (double)k;
    if (x > n) {
        *out = 0.0;
        return LIBCS_OK;
    }
    const double a = params[0], b = params[1], g = params[2], d = params[3];
    /* FHS (8): C(n,x) B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d) (alive
     * throughout) + sum_{i=x}^{n-1} U_i, U_i = C(i,x) B(a+x, b+i-x)/B(a,b)
     * B(g+1, d+i)/B(g,d) (died at i + 1).  The U_i by their ratios,
     * rescaled when they grow large. */
    const double lax = lrr(a, a + b, -b, x); /* log B(a+x, b)/B(a, b) */
    const double lalive = lrr(n - x + 1.0, 1.0, n - x, x) + lax +
                          lrr(b, a + b + x, -(a + x), n - x) +
                          lrr(d, g + d, -g, n);
    double sum = 0.0, R = 1.0, lscale = 0.0;
    for (double i = x; i < n; i += 1.0) {
        sum += R;
        R *= (i + 1.0) / (i + 1.0 - x) * (b + i - x) / (a + b + i) *
             ((d + i) / (g + d + 1.0 + i));
        if (R > 1e250) {
            R *= 1e-250, sum *= 1e-250;
            lscale += 250.0 * log(10.0);
        }
    }
    double pr = exp(lalive);
    if (sum > 0.0) {
        const double lU = lax + log(g) - log(g + d) +
                          lrr(d, g + d + 1.0, -(g + 1.0), x);
        pr += exp(lU + lscale + log(sum));
    }
    if (pr > 1.0)
        pr = 1.0; /* rounding */
    return libcs_store_finite(pr, out);
}

LIBCS_API int libcs_bgbb_pmf(const double *params, double periods,
                             uint32_t k, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return pmf_one(params, periods, k, out);
}

/* each element is a sum over up to 10^7 opportunities: computed once */
LIBCS_API int libcs_bgbb_pmf_batch(const double *params, size_t n,
                                   const double *periods, const uint32_t *k,
                                   double *out, size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, periods, k, out);
#define CALL(i, dst) pmf_one(params, periods[i], k[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}

static int palive_one(const double *p, double x, double t_x, double n,
                      double *out)
{
    LIBCS_TRY(check_row(x, t_x, n));
    struct row_lik r;
    row_lik(p, x, t_x, n, &r, NULL);
    /* FHS (11) */
    return libcs_store_finite(r.w0 * ((p[3] + n) / (p[2] + p[3] + n)), out);
}

LIBCS_API int libcs_bgbb_palive(const double *params, double x, double t_x,
                                double periods, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return palive_one(params, x, t_x, periods, out);
}

LIBCS_API int libcs_bgbb_palive_batch(const double *params, size_t n,
                                      const double *x, const double *t_x,
                                      const double *periods, double *out,
                                      size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, periods, out);
#define CALL(i, dst) palive_one(params, x[i], t_x[i], periods[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* E[X(n, n + m) | x, t_x, n], FHS (13), the row already validated */
static int conditional_row(const double *p, double x, double t_x, double n,
                           double m, double *out)
{
    struct row_lik r;
    row_lik(p, x, t_x, n, &r, NULL);
    const double e = r.w0 * ((p[0] + x) / (p[0] + p[1] + n)) *
                     alive_sum(p[2], p[3] + n, m);
    return libcs_store_finite(e, out);
}

static int conditional_one(const double *p, double x, double t_x, double n,
                           double m, double *out)
{
    LIBCS_TRY(check_row(x, t_x, n));
    return conditional_row(p, x, t_x, n, m, out);
}

LIBCS_API int libcs_bgbb_conditional(const double *params, double x,
                                     double t_x, double periods,
                                     double future, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(check_row(x, t_x, periods));
    LIBCS_TRY(check_count(future, MAX_HORIZON));
    return conditional_row(params, x, t_x, periods, future, out);
}

LIBCS_API int libcs_bgbb_conditional_batch(const double *params, size_t n,
                                           const double *x, const double *t_x,
                                           const double *periods,
                                           double future, double *out,
                                           size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, periods, out);
    LIBCS_TRY(check_count(future, MAX_HORIZON));
#define CALL(i, dst) conditional_one(params, x[i], t_x[i], periods[i], future, dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* DERT, FHS (14), the row and the discount already validated; H is the
 * discounted sum for this row's periods, computed by the caller */
static double dert_row(const double *p, double x, double t_x, double n,
                       double H)
{
    struct row_lik r;
    row_lik(p, x, t_x, n, &r, NULL);
    return r.w0 * ((p[0] + x) / (p[0] + p[1] + n)) * H;
}

static int check_discount(double d)
{
    if (!isfinite(d))
        return LIBCS_ENONFINITE;
    /* an infinite horizon: a negative rate makes the sum diverge */
    return d >= 0.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

LIBCS_API int libcs_bgbb_dert(const double *params, double x, double t_x,
                              double periods, double discount, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(check_row(x, t_x, periods));
    LIBCS_TRY(check_discount(discount));
    double H;
    LIBCS_TRY(discounted_alive_sum(params[2], params[3] + periods, discount,
                                   &H));
    return libcs_store_finite(dert_row(params, x, t_x, periods, H), out);
}

LIBCS_API int libcs_bgbb_dert_batch(const double *params, size_t n,
                                    const double *x, const double *t_x,
                                    const double *periods, double discount,
                                    double *out, size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, periods, out);
    LIBCS_TRY(check_discount(discount));
    LIBCS_TRY(check_rows(n, x, t_x, periods, NULL, bad_index));
    if (discount == 0.0 && !(params[2] > 1.0))
        return LIBCS_EUNDEFINED; /* every row's sum is infinite */
    double *res = malloc(n * sizeof *res);
    if (!res)
        return LIBCS_ENOMEM;
    /* H depends on the periods alone: rows usually share them */
    double last_n = -1.0, H = 0.0;
    int rc = LIBCS_OK;
    for (size_t i = 0; i < n && rc == LIBCS_OK; i++) {
        if (periods[i] != last_n) {
            rc = discounted_alive_sum(params[2], params[3] + periods[i],
                                      discount, &H);
            last_n = periods[i];
        }
        if (rc == LIBCS_OK)
            rc = libcs_store_finite(dert_row(params, x[i], t_x[i],
                                             periods[i], H),
                                    &res[i]);
        if (rc != LIBCS_OK && bad_index)
            *bad_index = i;
    }
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    free(res);
    return rc;
}

/* ---- simulation ----------------------------------------------------------------- */

LIBCS_API int libcs_bgbb_simulate(const double *params, size_t n,
                                  const double *periods, uint64_t seed,
                                  double *x, double *t_x)
{
    LIBCS_BATCH_ARGS(params, 4, n, periods, x, t_x);
    for (size_t i = 0; i < n; i++)
        LIBCS_TRY(check_count(periods[i], MAX_PERIODS));
    struct libcs_rng g;
    libcs_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        /* p ~ Beta(alpha, beta), theta ~ Beta(gamma, delta); the customer
         * dies at the start of opportunity tau, P(tau > t) = (1-theta)^t,
         * so is alive at opportunities 1..tau-1, transacting at each with
         * probability p */
        const double p = libcs_rng_beta(&g, params[0], params[1]);
        const double th = libcs_rng_beta(&g, params[2], params[3]);
        double alive = periods[i];
        if (th >= 1.0) {
            alive = 0.0;
        } else if (th > 0.0) {
            /* tau - 1 = floor(log U / log(1 - theta)), geometric */
            double life = floor(log(libcs_rng_uniform(&g)) / log1p(-th));
            alive = life < alive ? life : alive;
        }
        double count = 0.0, last = 0.0;
        for (double t = 1.0; t <= alive && p > 0.0; t += 1.0)
            if (p >= 1.0 || libcs_rng_uniform(&g) < p) {
                count += 1.0;
                last = t;
            }
        x[i] = count;
        t_x[i] = last;
    }
    return LIBCS_OK;
}
