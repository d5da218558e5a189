/* lib/pnbd.c - the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987;
 * Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions"): log-likelihood with its analytic gradient, maximum-
 * likelihood fit, predictions, discounted CLV and a simulator.
 *
 * The likelihood of a row (x, t_x, T) with a = r + x, b = s + 1 is
 *
 *   L = G(r+x) a^r b^s / G(r) [ (alpha+T)^-a (beta+T)^-s
 *                               + s int_{t_x}^T (alpha+t)^-a (beta+t)^-b dt ]
 *
 * (the second term: death at t between the last purchase and T; lambda and
 * mu are independent given t, so the mixture is a product under the
 * integral).  The usual closed form writes the integral with two Gauss
 * hypergeometric functions 2F1(r+s+x, s+1 or r+x; r+s+x+1; z) divided by
 * (max(alpha, beta) + t)^(r+s+x), which overflow and cancel for large x and
 * t_x near T.  Here the integral is scaled by its integrand at t_x, J =
 * int_{t_x}^T g, g(t) = ((alpha+t_x)/(alpha+t))^a ((beta+t_x)/(beta+t))^b
 * <= 1, and with P = max(alpha, beta) of exponent p, Q the other of
 * exponent q, z(t) = (P - Q)/(P + t), Euler's transformation gives
 *
 *   J = [ (Q+t_x) K(z(t_x)) - E (Q+T) K(z(T)) ] / (r + s + x),
 *   K(z) = 2F1(1, p; p + q; z) = sum_k (p)_k / (p+q)_k z^k,
 *   E = ((P+t_x)/(P+T))^p ((Q+t_x)/(Q+T))^q = g(T) <= 1:
 *
 * K's terms fall at least as fast as z^k, so nothing overflows whatever x,
 * T or the parameters; J = 0 exactly at t_x = T.  When z(t_x) > 0.9 the
 * series would converge slowly, and J is integrated numerically instead
 * (adaptive Gauss-Kronrod in log(Q + t)).  The derivatives of J come from
 * the same series (or the same quadrature).  Predictions (P(alive) and
 * the conditional expectation) need no derivatives and have a path of
 * their own: K by blocks of the series or, for 0.9 < z(t_x) <= 0.97, by
 * Gauss's continued fraction; the quadrature only above. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "rng.h"

#define Z_SERIES 0.9 /* above this z the integral is done by quadrature */

/* ---- the scaled integral J and its derivatives ------------------------------ */

/* J and its partial derivatives with respect to the two exponents and the
 * two offsets, in the order (a, b, alpha, beta) of g */
struct jval {
    double J, da, db, dalpha, dbeta;
    double E; /* g(T) when the series computed it, else NaN */
};

/* The quadrature of J in w = log((Q + t)/(Q + t_x)): g dt = g (Q+t_x) e^w
 * dw, with g's partial derivatives alongside (each single-signed), every
 * difference written through t - t_x = (Q+t_x) expm1(w) so that short
 * ranges keep their precision. */
struct jquad {
    double P, Q, p, q, t_x;
};

static void jquad_f(const void *ctx, double w, double *out)
{
    const struct jquad *c = ctx;
    const double A = c->Q + c->t_x, B = c->P + c->t_x;
    const double u = A / B * expm1(w); /* (t - t_x)/(P + t_x), A <= B */
    const double lp = log1p(u);        /* log((P+t)/(P+t_x)) */
    const double g = exp(-c->p * lp + (1.0 - c->q) * w) * A;
    out[0] = g;
    out[1] = -g * lp;
    out[2] = -g * w;
    out[3] = g * c->p * u / (B * (1.0 + u));     /* p (1/(P+t_x) - 1/(P+t)) */
    out[4] = g * c->q * -expm1(-w) / A;          /* q (1/(Q+t_x) - 1/(Q+t)) */
}

/* The series coefficients of K for one (p, q), extended on demand:
 * c_k = (p)_k / (p+q)_k, sp_k = d log c_k / dp, sq_k = -d log c_k / dq. */
/* K(z) and its derivatives in p, q and z */
struct ksum {
    double K, Kp, Kq, D;
};

struct coefs {
    double p, q;
    double *c, *sp, *sq;
    size_t len, cap;
    /* the sums at the last z asked for (every row with t_x = 0, whose
     * z(t_x) is (P - Q)/P, asks for the same one) */
    double last_z;
    int last_grad; /* -1: none yet */
    struct ksum last;
    double zmax; /* the largest z the coefficients suffice for */
    /* zb[k]: below it the first 8 (k + 1) terms give K (ksum_plain);
     * zb[0] < 0 until computed */
    double zb[4];
    double im; /* 1 / (p + q - 1) */
};

static void coefs_reset(struct coefs *cf, double p, double q)
{
    cf->p = p, cf->q = q;
    cf->len = 0;
    cf->last_grad = -1;
    cf->zmax = -1.0;
    cf->zb[0] = -1.0;
    cf->im = 1.0 / (p + q - 1.0);
}

static void coefs_free(struct coefs *cf)
{
    free(cf->c);
    cf->c = cf->sp = cf->sq = NULL;
    cf->len = cf->cap = 0;
}

static int coefs_extend(struct coefs *cf, size_t need)
{
    if (need > cf->cap) {
        size_t cap = cf->cap ? cf->cap : 32;
        while (cap < need)
            cap *= 2;
        double *m = malloc(3 * cap * sizeof *m);
        if (!m)
            return LIBCS_ENOMEM;
        if (cf->len) {
            memcpy(m, cf->c, cf->len * sizeof *m);
            memcpy(m + cap, cf->sp, cf->len * sizeof *m);
            memcpy(m + 2 * cap, cf->sq, cf->len * sizeof *m);
        }
        free(cf->c);
        cf->c = m, cf->sp = m + cap, cf->sq = m + 2 * cap;
        cf->cap = cap;
    }
    const double p = cf->p, pq = cf->p + cf->q;
    if (cf->len == 0) {
        cf->c[0] = 1.0, cf->sp[0] = 0.0, cf->sq[0] = 0.0;
        cf->len = 1;
    }
    for (size_t k = cf->len; k < need; k++) {
        const double j = (double)(k - 1);
        cf->c[k] = cf->c[k - 1] * (p + j) / (pq + j);
        cf->sp[k] = cf->sp[k - 1] + 1.0 / (p + j) - 1.0 / (pq + j);
        cf->sq[k] = cf->sq[k - 1] + 1.0 / (pq + j);
    }
    cf->len = need;
    return LIBCS_OK;
}

/* K(z) = sum_k c_k z^k and, when grad, its derivatives in p and q and K'(z)
 * = sum_k (k+1) c_{k+1} z^k, summed until the terms stop mattering (at
 * most like z^k, z <= 0.9) */
static int ksum_at(struct coefs *cf, double z, int grad, struct ksum *o)
{
    if (cf->last_grad >= grad && cf->last_z == z) {
        *o = cf->last;
        return LIBCS_OK;
    }
    /* the terms are at most z^k (c_k <= 1) and the loop stops before
     * z^k (k + 2) (1 + sp + sq) < 1e-17: 60 + log(1e-22) / log(z) terms
     * always suffice, and are made ready before it, so that it runs on
     * local pointers and registers */
    if (z > cf->zmax) {
        const double zz = z < 0.95 ? z : 0.95;
        const size_t need = 64 + (size_t)(log(1e-22) / log(zz));
        if (need > cf->len)
            LIBCS_TRY(coefs_extend(cf, need));
        cf->zmax = z;
    }
    const size_t need = cf->len;
    const double *c = cf->c, *sp = cf->sp, *sq = cf->sq;
    double pw = 1.0, K = 0, Kp = 0, Kq = 0, D = 0;
    size_t k = 0;
    for (;; k++) {
        const double t = c[k] * pw;
        K += t;
        if (grad) {
            Kp += t * sp[k];
            Kq -= t * sq[k];
            D += (k + 1.0) * c[k + 1] * pw;
        }
        if (k > 2 && t * (k + 2.0) * (1.0 + sp[k + 1] + sq[k + 1]) <= 1e-17 * K)
            break;
        pw *= z;
        if (pw == 0.0 || k + 2 >= need)
            break; /* z = 0: K = 1, K' = c_1 already added */
    }
    o->K = K, o->Kp = Kp, o->Kq = Kq, o->D = D;
    cf->last_z = z, cf->last_grad = grad, cf->last = *o;
    return LIBCS_OK;
}

/* logs of the four offsets a row needs: log(alpha + t_x), log(alpha + T),
 * log(beta + t_x), log(beta + T) */
struct rowlogs {
    double lat, laT, lbt, lbT;
};

/* J and, when grad, its derivatives; cf holds the coefficients for this
 * row's (p, q) (P, p and Q, q as in the file's comment) */
static int jint(double a, double b, double alpha, double beta, double t_x,
                double T, const struct rowlogs *lg, struct coefs *cf,
                int grad, struct jval *out)
{
    memset(out, 0, sizeof *out);
    out->E = NAN;
    if (!(T > t_x))
        return LIBCS_OK;
    /* P the larger offset with exponent p, Q the other */
    const int alpha_big = alpha >= beta;
    const double P = alpha_big ? alpha : beta, Q = alpha_big ? beta : alpha;
    const double p = alpha_big ? a : b, q = alpha_big ? b : a;
    const double m = p + q - 1.0;
    const double z1 = (P - Q) / (P + t_x), z2 = (P - Q) / (P + T);
    double J, Jp = 0, Jq = 0, JP = 0, JQ = 0;
    if (z1 <= Z_SERIES) {
        const double LP = alpha_big ? lg->lat - lg->laT : lg->lbt - lg->lbT;
        const double LQ = alpha_big ? lg->lbt - lg->lbT : lg->lat - lg->laT;
        const double lE = p * LP + q * LQ; /* log g(T) <= 0 */
        const double E = exp(lE);
        out->E = E;
        /* E (Q + T), in logs only where Q + T is past a double (E is 0
         * there, and the product would be 0 x inf) */
        const double EB = isfinite(Q + T)
                              ? E * (Q + T)
                              : exp(lE + (alpha_big ? lg->lbT : lg->laT));
        /* K, its derivatives in p, q and z, at z1 and z2 (z2 first: the
         * cache then keeps z1, shared by the rows with t_x = 0) */
        struct ksum k1, k2;
        LIBCS_TRY(ksum_at(cf, z2, grad, &k2));
        LIBCS_TRY(ksum_at(cf, z1, grad, &k1));
        const double K1 = k1.K, K2 = k2.K, Kp1 = k1.Kp, Kp2 = k2.Kp,
                     Kq1 = k1.Kq, Kq2 = k2.Kq, D1 = k1.D, D2 = k2.D;
        const double A = Q + t_x;
        J = (A * K1 - EB * K2) / m;
        if (grad) {
            Jp = (A * Kp1 - EB * (LP * K2 + Kp2)) / m - J / m;
            Jq = (A * Kq1 - EB * (LQ * K2 + Kq2)) / m - J / m;
            /* d E / dP and dQ, times Q + T */
            const double EPB = EB * p * (1.0 / (P + t_x) - 1.0 / (P + T));
            const double EQB = q * (EB / A - E);
            /* dz/dP = (Q+t)/(P+t)^2, dz/dQ = -1/(P+t) */
            const double zP1 = A / ((P + t_x) * (P + t_x));
            /* (Q+T) dz(T)/dP = ((Q+T)/(P+T))^2 */
            const double rT = isfinite(P + T)
                                  ? (Q + T) / (P + T)
                                  : exp(alpha_big ? lg->lbT - lg->laT
                                                  : lg->laT - lg->lbT);
            JP = (A * D1 * zP1 - EPB * K2 - E * D2 * rT * rT) / m;
            JQ = (K1 - A * D1 / (P + t_x) - EQB * K2 - E * K2 +
                  EB * D2 / (P + T)) /
                 m;
        }
    } else {
        const struct jquad ctx = {P, Q, p, q, t_x};
        double res[5];
        /* log g is concave in w, so g <= g(0) e^-(kappa w) with kappa its
         * slope at 0: past 40 / kappa the rest is below e^-40 of what
         * came before, and the range is cut there */
        const double kappa = p * (Q + t_x) / (P + t_x) + q - 1.0;
        double wend = log1p((T - t_x) / (Q + t_x));
        if (kappa > 0.0 && wend > 40.0 / kappa)
            wend = 40.0 / kappa;
        LIBCS_TRY(libcs__integrate(jquad_f, &ctx, grad ? 5 : 1, 0.0, wend,
                                   1e-12, res));
        J = res[0];
        if (grad)
            Jp = res[1], Jq = res[2], JP = res[3], JQ = res[4];
    }
    out->J = J > 0.0 ? J : 0.0;
    if (grad) {
        out->da = alpha_big ? Jp : Jq;
        out->db = alpha_big ? Jq : Jp;
        out->dalpha = alpha_big ? JP : JQ;
        out->dbeta = alpha_big ? JQ : JP;
    }
    return LIBCS_OK;
}

/* The row's log-likelihood without the terms that are the same for every
 * row of the same x (lgamma(r+x) - lgamma(r) + r log alpha + s log beta):
 * log((alpha+T)^-a (beta+T)^-s (1 + R)), R = s J / (g(T) (beta+T)) the
 * ratio of the "dead by T" term to the "alive at T" one, so that P(alive)
 * = 1 / (1 + R) (Fader & Hardie 2005 note, (36)-(37)).  grad (may be NULL)
 * gets d/d(r, alpha, s, beta) of the same. */
static int row_ll(const double *pr, const double *lpr, double x, double t_x,
                  double T, struct coefs *cf, double *ll, double *alive,
                  double *grad)
{
    const double r = pr[0], alpha = pr[1], s = pr[2], beta = pr[3];
    const double a = r + x, b = s + 1.0;
    /* lpr: log alpha and log beta, the logs at t_x = 0 (every x = 0 row) */
    const struct rowlogs lg = {
        t_x == 0.0 ? lpr[0] : libcs_log_sum(alpha, t_x),
        libcs_log_sum(alpha, T),
        t_x == 0.0 ? lpr[1] : libcs_log_sum(beta, t_x),
        libcs_log_sum(beta, T)};
    const double laT = lg.laT, lbT = lg.lbT, lat = lg.lat, lbt = lg.lbt;
    const double A1 = -a * laT - s * lbT;
    struct jval j;
    LIBCS_TRY(jint(a, b, alpha, beta, t_x, T, &lg, cf, grad != NULL, &j));
    double w1 = 1.0, w2 = 0.0, L = A1;
    if (j.J > 0.0) {
        /* log g(T) = -a log((alpha+T)/(alpha+t_x)) - b log((beta+T)/(beta
         * +t_x)) <= 0 */
        const double lE = -a * (laT - lat) - b * (lbT - lbt);
        const double E = isnan(j.E) ? exp(lE) : j.E;
        const double R = lE > -700.0 && isfinite(beta + T)
                             ? s * j.J / (E * (beta + T))
                             : NAN;
        if (isfinite(R)) {
            L = A1 + log1p(R);
            w1 = 1.0 / (1.0 + R);
            w2 = R * w1;
        } else { /* R past a double: in logs */
            const double lR = log(s) + log(j.J) - lE - lbT;
            const double e = exp(-lR);
            L = A1 + lR + log1p(e);
            w1 = e / (1.0 + e);
            w2 = 1.0 / (1.0 + e);
        }
    }
    *ll = L;
    if (alive)
        *alive = w1;
    if (grad) {
        const double iJ = w2 > 0.0 ? 1.0 / j.J : 0.0;
        grad[0] = -w1 * laT + w2 * (-lat + j.da * iJ);
        grad[1] = -w1 * a / (alpha + T) +
                  w2 * (-a / (alpha + t_x) + j.dalpha * iJ);
        grad[2] = -w1 * lbT + w2 * (1.0 / s - lbt + j.db * iJ);
        grad[3] = -w1 * s / (beta + T) +
                  w2 * (-b / (beta + t_x) + j.dbeta * iJ);
    }
    return LIBCS_OK;
}

/* ---- the log-likelihood -------------------------------------------------------- */

struct pn_data {
    size_t n;
    const double *x, *t_x, *T, *w;
    struct libcs__xtab tab;
    double *lg, *dg;    /* lgamma(r+x) - lgamma(r), digamma differences */
    struct coefs *cfs; /* K's coefficients for each distinct x */
    double scale;
};

/* point each distinct x's coefficients at the parameters p */
static void pn_coefs(const struct pn_data *d, const double *p)
{
    const int alpha_big = p[1] >= p[3];
    for (size_t j = 0; j < d->tab.nx; j++) {
        const double a = p[0] + d->tab.xs[j], b = p[2] + 1.0;
        coefs_reset(&d->cfs[j], alpha_big ? a : b, alpha_big ? b : a);
    }
}

static int pn_init(void *ctx, size_t n, const double *x, const double *t_x,
                   const double *T, const double *w, double scale)
{
    struct pn_data *d = ctx;
    memset(d, 0, sizeof *d);
    d->n = n, d->x = x, d->t_x = t_x, d->T = T, d->w = w, d->scale = scale;
    LIBCS_TRY(libcs__xtab_init(&d->tab, n, x));
    d->lg = malloc(2 * d->tab.nx * sizeof *d->lg);
    d->cfs = calloc(d->tab.nx, sizeof *d->cfs);
    if (!d->lg || !d->cfs) {
        libcs__xtab_free(&d->tab);
        free(d->lg), free(d->cfs);
        return LIBCS_ENOMEM;
    }
    d->dg = d->lg + d->tab.nx;
    return LIBCS_OK;
}

static void pn_fini(void *ctx)
{
    struct pn_data *d = ctx;
    for (size_t j = 0; j < d->tab.nx; j++)
        coefs_free(&d->cfs[j]);
    libcs__xtab_free(&d->tab);
    free(d->lg), free(d->cfs);
}

static int pn_objective(void *ctx, const double *theta, double *f,
                        double *grad)
{
    const struct pn_data *d = ctx;
    double p[4];
    for (int i = 0; i < 4; i++) {
        p[i] = exp(theta[i]);
        if (!isfinite(p[i]) || p[i] == 0.0)
            return LIBCS_EDOMAIN;
    }
    libcs__diff_table(d->tab.xs, d->tab.nx, p[0], d->lg, d->dg);
    pn_coefs(d, p);
    const double lp[2] = {log(p[1]), log(p[3])};
    double ll = 0.0, g[4] = {0, 0, 0, 0}, total_w = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0;
        if (w == 0.0)
            continue;
        total_w += w;
        double l, gi[4];
        const size_t j = d->tab.xi[i];
        LIBCS_TRY(row_ll(p, lp, d->x[i], d->t_x[i], d->T[i], &d->cfs[j], &l,
                         NULL, grad ? gi : NULL));
        ll += w * (d->lg[j] + l);
        if (grad) {
            g[0] += w * (d->dg[j] + gi[0]);
            for (int k = 1; k < 4; k++)
                g[k] += w * gi[k];
        }
    }
    /* the terms every row shares: r log alpha + s log beta */
    ll += total_w * (p[0] * log(p[1]) + p[2] * log(p[3]));
    if (!isfinite(ll))
        return LIBCS_EOVERFLOW;
    *f = -ll * d->scale;
    if (grad) {
        g[0] += total_w * log(p[1]);
        g[1] += total_w * p[0] / p[1];
        g[2] += total_w * log(p[3]);
        g[3] += total_w * p[2] / p[3];
        for (int k = 0; k < 4; k++)
            grad[k] = -g[k] * p[k] * d->scale;
    }
    return LIBCS_OK;
}

static const struct libcs__rows_model pn_model = {
    4, sizeof(struct pn_data), pn_init, pn_fini, pn_objective};

LIBCS_API int libcs_pnbd_loglik(size_t n, const double *x, const double *t_x,
                                const double *T, const double *weights,
                                const double *params, double *loglik)
{
    if (!x || !t_x || !T || !params || !loglik)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(libcs__check_xtT_rows(n, x, t_x, T, weights, NULL));
    struct pn_data d;
    LIBCS_TRY(pn_init(&d, n, x, t_x, T, weights, 1.0));
    double theta[4], f;
    for (int i = 0; i < 4; i++)
        theta[i] = log(params[i]);
    int rc = pn_objective(&d, theta, &f, NULL);
    pn_fini(&d);
    if (rc == LIBCS_OK)
        rc = libcs_store_finite(-f, loglik);
    return rc;
}

LIBCS_API int libcs_pnbd_fit(size_t n, const double *x, const double *t_x,
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
    /* starts spread around CDNOW-like data (alpha and beta near a third of
     * the observation length) and more regular or longer-lived buyers */
    double mean_T = 0.0, total_w = 0.0;
    for (size_t i = 0; i < n; i++) {
        double w = weights ? weights[i] : 1.0;
        mean_T += w * T[i];
        total_w += w;
    }
    mean_T = total_w > 0.0 && mean_T / total_w > 0.0 ? mean_T / total_w : 1.0;
    double starts[5][4] = {{0.5, mean_T / 3, 0.5, mean_T / 3},
                           {1.0, mean_T / 10, 1.0, mean_T},
                           {0.2, mean_T, 2.0, mean_T / 4},
                           {2.0, mean_T, 0.2, mean_T / 10},
                           {1.0, 1.0, 1.0, 1.0}};
    if (start)
        memcpy(starts[0], start, sizeof starts[0]);
    return libcs__fit_rows(&pn_model, n, x, t_x, T, weights, &starts[0][0], 5,
                           out);
}

/* ---- predictions ------------------------------------------------------------- */

/* (1 - e^-y) / y, 1 at y = 0 */
static double one_minus_exp_over(double y)
{
    return fabs(y) < 1e-8 ? 1.0 - 0.5 * y : -expm1(-y) / y;
}

/* E[X(t)] / (r + x) of a customer alive at age T (T = 0: a new customer):
 * (beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)], written
 * with log1p and expm1 so that s = 1 is its limit (beta+T)/(alpha+T) log(1
 * + t/(beta+T)); the same for every x, so a batch computes it once per T */
static double expected_per_rate_l(const double *p, double T, double t,
                                  double laT, double lbT)
{
    const double s = p[2], beta = p[3];
    const double L = log1p(t / (beta + T));
    /* (beta+T)/(alpha+T) in logs (laT, lbT): either sum may be past a
     * double */
    const double ratio = exp(lbT - laT);
    return ratio * L * one_minus_exp_over((s - 1.0) * L);
}

static double expected_per_rate(const double *p, double T, double t)
{
    return expected_per_rate_l(p, T, t, libcs_log_sum(p[1], T),
                               libcs_log_sum(p[3], T));
}

/* E[X(t)] of a customer alive with x purchases at age T (x = T = 0: a new
 * customer) */
static double expected_alive(const double *p, double x, double T, double t)
{
    return (p[0] + x) * expected_per_rate(p, T, t);
}

/* What P(alive) needs of a row's T, shared in a batch by the rows of the
 * same T (a customer base has one per acquisition day): with P = max(alpha,
 * beta), Q the other, log(alpha + T), log(beta + T), z(T) = (P - Q)/(P +
 * T) (NaN when P + T is past a double), Q + T, s / (beta + T) and, for
 * the conditional expectation, expected_per_rate */
struct tvals {
    double laT, lbT, z2, QT, sb, h;
};

static void tvals_fill(const double *p, double T, double t, struct tvals *v)
{
    const double alpha = p[1], s = p[2], beta = p[3];
    const double P = alpha >= beta ? alpha : beta, Q = alpha >= beta ? beta
                                                                     : alpha;
    v->laT = libcs_log_sum(alpha, T);
    v->lbT = libcs_log_sum(beta, T);
    v->z2 = isfinite(P + T) ? (P - Q) / (P + T) : NAN;
    v->QT = Q + T;
    v->sb = s / (beta + T);
    v->h = t >= 0.0 ? expected_per_rate_l(p, T, t, v->laT, v->lbT) : NAN;
}

/* K(z) = sum_k c_k z^k without derivatives.  The sum is cut where the
 * rest, below c_N z^N / (1 - z) (c_k falls), is under 2^-57 of it (K >=
 * 1): for z up to the thresholds zb, 8, 16, 24 or 32 terms in blocks of 8
 * evaluated by Estrin's scheme (short dependency chains, no test per
 * term); above them term by term until a term is below 1e-17 of the sum
 * (the rest is then at most z / (1 - z) <= 9 times that). */
#define KBLOCKS 4

static int ksum_plain(struct coefs *cf, double z, double *K)
{
    if (LIBCS_UNLIKELY(cf->zb[0] < 0.0)) {
        if (cf->len < 8 * KBLOCKS + 1)
            LIBCS_TRY(coefs_extend(cf, 8 * KBLOCKS + 1));
        for (int b = 0; b < KBLOCKS; b++) {
            const int N = 8 * (b + 1);
            /* c_N z^N <= 2^-58 and z <= 1/2 */
            const double zN = pow(0x1p-58 / cf->c[N], 1.0 / N);
            cf->zb[b] = zN < 0.5 ? zN : 0.5;
        }
    }
    if (LIBCS_LIKELY(z <= cf->zb[KBLOCKS - 1])) {
        const double *c = cf->c;
        const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
#define KBLOCK(i)                                                              \
    (((c[i] + c[i + 1] * z) + (c[i + 2] + c[i + 3] * z) * z2) +                 \
     ((c[i + 4] + c[i + 5] * z) + (c[i + 6] + c[i + 7] * z) * z2) * z4)
        double k_sum;
        if (z <= cf->zb[0])
            k_sum = KBLOCK(0);
        else if (z <= cf->zb[1])
            k_sum = KBLOCK(0) + z8 * KBLOCK(8);
        else if (z <= cf->zb[2])
            k_sum = KBLOCK(0) + z8 * (KBLOCK(8) + z8 * KBLOCK(16));
        else
            k_sum = KBLOCK(0) +
                    z8 * (KBLOCK(8) + z8 * (KBLOCK(16) + z8 * KBLOCK(24)));
#undef KBLOCK
        *K = k_sum;
        return LIBCS_OK;
    }
    if (z > cf->zmax) {
        const double zz = z < 0.95 ? z : 0.95;
        const size_t need = 64 + (size_t)(log(1e-22) / log(zz));
        if (need > cf->len)
            LIBCS_TRY(coefs_extend(cf, need));
        cf->zmax = z;
    }
    const double *c = cf->c;
    const size_t len = cf->len;
    double pw = z, k_sum = 1.0;
    for (size_t k = 1; k < len; k++) {
        const double t = c[k] * pw;
        k_sum += t;
        if (t <= 1e-17 * k_sum)
            break;
        pw *= z;
    }
    *K = k_sum;
    return LIBCS_OK;
}

/* K(z) for z above the series' range: Gauss's continued fraction for
 * 2F1(1, p; m + 1; z) / 2F1(0, p - 1; m; z), m = p + q - 1, the
 * denominator being 1:
 *
 *   K = 1 / (1 + k_1 z / (1 + k_2 z / (1 + ...))),
 *   k_{2i+1} = -(m+i)(p+i) / ((m+2i)(m+2i+1)),
 *   k_{2i} = -i (q+i-1) / ((m+2i-1)(m+2i)).
 *
 * The modified Lentz method finds how many steps it takes (until a step
 * changes it by less than 1e-16; they grow like 1 / sqrt(1 - z), about
 * 100 at z = 0.97), and the fraction is then evaluated from its end, which
 * does not accumulate the rounding of the forward products (those lose
 * up to 1e-14 at z = 0.99; from the end, within 2e-16 of mpmath's 2F1 up
 * to z = 0.97).  ENOCONV when 4000 steps do not get there. */
#define Z_CF 0.97 /* above this z P(alive) integrates as the likelihood */

static double kcf_coef(double p, double q, double m, int j)
{
    const double i = (double)(j / 2);
    return j & 1 ? -(m + i) * (p + i) / ((m + 2.0 * i) * (m + 2.0 * i + 1.0))
                 : -i * (q + i - 1.0) / ((m + 2.0 * i - 1.0) * (m + 2.0 * i));
}

static int kcf(const struct coefs *cf, double z, double *K)
{
    const double p = cf->p, q = cf->q, m = p + q - 1.0;
    const double tiny = 1e-300;
    double C = 1.0, D = 0.0;
    int n = 0;
    for (int j = 1; j <= 4000; j++) {
        const double a = kcf_coef(p, q, m, j) * z;
        D = 1.0 + a * D;
        D = 1.0 / (D != 0.0 ? D : tiny);
        C = 1.0 + a / C;
        if (C == 0.0)
            C = tiny;
        if (fabs(C * D - 1.0) <= 1e-16) {
            n = j;
            break;
        }
    }
    if (n == 0)
        return LIBCS_ENOCONV;
    double f = 1.0;
    for (int j = n + 2; j >= 1; j--)
        f = 1.0 + kcf_coef(p, q, m, j) * z / f;
    *K = 1.0 / f;
    return LIBCS_OK;
}

/* K by the series or, above Z_SERIES, the continued fraction */
static int kval(struct coefs *cf, double z, double *K)
{
    return z <= Z_SERIES ? ksum_plain(cf, z, K) : kcf(cf, z, K);
}

/* P(alive) = 1 / (1 + R), R = s J / (g(T) (beta+T)) as in row_ll, with
 * J from K (series, or continued fraction above z = 0.9); tv holds the
 * row's T values and cf the coefficients of its x.  Rows these do not
 * serve (z(t_x) > Z_CF, offsets past a double, g(T) below e^-700, R past a
 * double) go through row_ll (quadrature above z = 0.9). */
static int palive_row(const double *p, const double *lp, double x,
                      double t_x, double T, const struct tvals *tv,
                      struct coefs *cf, double *out)
{
    const double alpha = p[1], beta = p[3];
    if (!(T > t_x)) {
        *out = 1.0; /* J = 0 */
        return LIBCS_OK;
    }
    const int alpha_big = alpha >= beta;
    const double P = alpha_big ? alpha : beta, Q = alpha_big ? beta : alpha;
    const double z1 = (P - Q) / (P + t_x);
    if (z1 <= Z_CF && !isnan(tv->z2)) {
        /* P + T finite: so are the other offsets, and log_sum is log */
        const double lat = t_x == 0.0 ? lp[0] : log(alpha + t_x);
        const double lbt = t_x == 0.0 ? lp[1] : log(beta + t_x);
        const double LP = alpha_big ? lat - tv->laT : lbt - tv->lbT;
        const double LQ = alpha_big ? lbt - tv->lbT : lat - tv->laT;
        const double lE = cf->p * LP + cf->q * LQ; /* log g(T) <= 0 */
        if (lE > -700.0) {
            /* R = s J / (g(T) (beta+T)) = s / (beta+T) / (r+s+x) D, D =
             * (Q+t_x) K(z(t_x)) / g(T) - (Q+T) K(z(T)) */
            double K1, K2;
            int rc = kval(cf, z1, &K1);
            if (rc == LIBCS_OK)
                rc = kval(cf, tv->z2, &K2);
            if (rc == LIBCS_ENOMEM)
                return rc;
            /* (the continued fraction's rare LIBCS_ENOCONV: the quadrature) */
            if (rc == LIBCS_OK) {
                const double D = (Q + t_x) * K1 * exp(-lE) - tv->QT * K2;
                if (!(D > 0.0)) {
                    *out = 1.0; /* J = 0 */
                    return LIBCS_OK;
                }
                const double R = tv->sb * cf->im * D;
                if (isfinite(R)) {
                    *out = 1.0 / (1.0 + R);
                    return LIBCS_OK;
                }
            }
        }
    }
    double ll;
    return row_ll(p, lp, x, t_x, T, cf, &ll, out, NULL);
}

/* the exponents of K for a row of x: p with the larger of alpha and beta */
static void coefs_for_x(struct coefs *cf, const double *p, double x)
{
    const double a = p[0] + x, b = p[2] + 1.0;
    coefs_reset(cf, p[1] >= p[3] ? a : b, p[1] >= p[3] ? b : a);
}

/* P(alive) of one row, with its own coefficient table */
static int palive(const double *p, double x, double t_x, double T,
                  double *out)
{
    struct coefs cf = {0};
    coefs_for_x(&cf, p, x);
    struct tvals tv;
    tvals_fill(p, T, -1.0, &tv);
    const double lp[2] = {log(p[1]), log(p[3])};
    int rc = palive_row(p, lp, x, t_x, T, &tv, &cf, out);
    coefs_free(&cf);
    return rc;
}

LIBCS_API int libcs_pnbd_expected(const double *params, double t, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(libcs__check_time(t));
    return libcs_store_finite(expected_alive(params, 0.0, 0.0, t), out);
}

/* The "dies at tau in (0, t] after x purchases" part of P(X(t) = x):
 * with h(tau) = (alpha/(alpha+tau))^r (tau/(alpha+tau))^x (beta/(beta+
 * tau))^s / (beta+tau), every factor written with log1p, integrated in v =
 * log(1 + tau/c), c = min(alpha, beta) (tau = c expm1(v), dtau = (c + tau)
 * dv), so that mass near 0 is not missed however long t is; scaled by e^-M,
 * M = x log(t/(alpha+t)) >= log(h (c + tau)) on [0, t]. */
struct pmf_ctx {
    double r, alpha, s, beta, x, c, M;
};

static void pmf_f(const void *ctx, double v, double *out)
{
    const struct pmf_ctx *k = ctx;
    const double tau = k->c * expm1(v);
    double l = -k->r * log1p(tau / k->alpha) - k->s * log1p(tau / k->beta) +
               log((k->c + tau) / (k->beta + tau)) - k->M;
    if (k->x > 0.0)
        l += tau > 0.0 ? -k->x * log1p(k->alpha / tau) : -INFINITY;
    out[0] = exp(l);
}

LIBCS_API int libcs_pnbd_pmf(const double *params, double t, uint32_t k,
                             double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    LIBCS_TRY(libcs__check_time(t));
    const double r = params[0], alpha = params[1], s = params[2],
                 beta = params[3], x = (double)k;
    int sg;
    /* log G(r+x) / (G(r) x!) */
    const double lc = lgamma_r(r + x, &sg) - lgamma_r(r, &sg) -
                      lgamma_r(x + 1.0, &sg);
    /* log (t/(alpha+t))^x, 0 for x = 0 */
    const double lz = k == 0 ? 0.0 : t > 0.0 ? -x * log1p(alpha / t) : -INFINITY;
    /* alive at t: NB(x; r, alpha, t) (beta/(beta+t))^s */
    double pr = exp(lc - r * log1p(t / alpha) + lz - s * log1p(t / beta));
    if (t > 0.0) {
        /* dead by t: G(r+x)/(G(r) x!) s int_0^t h(tau) dtau */
        const double c = alpha < beta ? alpha : beta;
        struct pmf_ctx ctx = {r, alpha, s, beta, x, c, lz};
        double v;
        LIBCS_TRY(libcs__integrate(pmf_f, &ctx, 1, 0.0, log1p(t / c), 1e-12,
                                   &v));
        if (v > 0.0)
            pr += exp(lc + log(s) + lz + log(v));
    }
    return libcs_store_finite(pr < 1.0 ? pr : 1.0, out);
}

static int conditional(const double *p, double x, double t_x, double T,
                       double t, double *out)
{
    LIBCS_TRY(libcs__check_xtT(x, t_x, T));
    LIBCS_TRY(libcs__check_time(t));
    double alive;
    LIBCS_TRY(palive(p, x, t_x, T, &alive));
    /* (r + x) expected_per_rate, as the batch has it */
    return libcs_store_finite(alive * expected_alive(p, x, T, t), out);
}

LIBCS_API int libcs_pnbd_conditional(const double *params, double x,
                                     double t_x, double T, double t,
                                     double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return conditional(params, x, t_x, T, t, out);
}

#define TMEMO_MAX_BITS 12 /* 160 KB: the distinct T of a customer base */

/* P(alive) (t < 0) or E[Y(t) | row] for every row, as the single calls
 * compute them: the series coefficients shared by the rows of the same x,
 * the values of each T (and P(alive) of x = 0 there) kept in a
 * direct-mapped memo; rows validated first, out written only when every
 * row succeeded */
static int pn_batch(const double *p, size_t n, const double *x,
                    const double *t_x, const double *T, double t, double *out,
                    size_t *bad_index)
{
    /* libcs__check_xtT's conditions without a branch per row (NaN fails
     * every comparison; t_x and x are finite when 0 <= t_x <= T <=
     * DBL_MAX and 0 <= x <= 1e15; such an x is whole when adding and
     * subtracting 2^52 leaves it unchanged); the rows are checked one by
     * one, for the error and its index, only when one fails */
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        const double xi = x[i], ti = t_x[i], Ti = T[i];
        ok &= (xi >= 0.0) & (xi <= 1e15) & (ti >= 0.0) & (ti <= Ti) &
              (Ti <= DBL_MAX) & ((xi > 0.0) | (ti == 0.0)) &
              ((xi + 0x1p52) - 0x1p52 == xi);
    }
    if (!ok)
        LIBCS_TRY(libcs__check_xtT_rows(n, x, t_x, T, NULL, bad_index));
    struct libcs__xtab tab;
    LIBCS_TRY(libcs__xtab_init(&tab, n, x));
    int bits = 4;
    while (bits < TMEMO_MAX_BITS && ((size_t)1 << bits) < 2 * n)
        bits++;
    struct coefs *cfs = calloc(tab.nx, sizeof *cfs);
    struct tvals *memo = malloc(((size_t)1 << bits) * sizeof *memo);
    /* the memo's keys, with the result of x = 0 (NaN until known) */
    struct tkey {
        double T, y0;
    } *keys = malloc(((size_t)1 << bits) * sizeof *keys);
    double *res = malloc(n * sizeof *res);
    int rc = cfs && memo && keys && res ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t j = 0; j < tab.nx; j++)
            coefs_for_x(&cfs[j], p, tab.xs[j]);
        /* NaN: no T matches an empty entry */
        for (size_t j = 0; j < ((size_t)1 << bits); j++)
            keys[j].T = NAN;
    }
    const double lp[2] = {log(p[1]), log(p[3])}, r = p[0];
    const size_t mask = ((size_t)1 << bits) - 1;
    for (size_t i = 0; rc == LIBCS_OK && i < n; i++) {
        uint64_t key;
        memcpy(&key, &T[i], sizeof key);
        /* open addressing: the T's entry among the 4 from its hash, else
         * the first empty one of them, else the first (replaced) */
        size_t h = (key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits);
        if (LIBCS_UNLIKELY(!(keys[h].T == T[i]))) {
            size_t k = 1;
            while (k < 4 && !(keys[(h + k) & mask].T == T[i]) &&
                   !isnan(keys[(h + k) & mask].T))
                k++;
            if (k < 4)
                h = (h + k) & mask;
            if (!(keys[h].T == T[i])) {
                keys[h].T = T[i], keys[h].y0 = NAN;
                tvals_fill(p, T[i], t, &memo[h]);
            }
        }
        double y = keys[h].y0;
        if (!(x[i] == 0.0 && !isnan(y))) {
            double alive = NAN;
            rc = palive_row(p, lp, x[i], t_x[i], T[i], &memo[h],
                            &cfs[tab.xi[i]], &alive);
            y = t < 0.0 ? alive : alive * ((r + x[i]) * memo[h].h);
            if (x[i] == 0.0)
                keys[h].y0 = y;
        }
        res[i] = y;
        if (rc == LIBCS_OK && !isfinite(y))
            rc = LIBCS_EOVERFLOW;
        if (rc != LIBCS_OK && bad_index)
            *bad_index = i;
    }
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    for (size_t j = 0; cfs && j < tab.nx; j++)
        coefs_free(&cfs[j]);
    free(cfs), free(memo), free(keys), free(res);
    libcs__xtab_free(&tab);
    return rc;
}

LIBCS_API int libcs_pnbd_conditional_batch(const double *params, size_t n,
                                           const double *x, const double *t_x,
                                           const double *T, double t,
                                           double *out, size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, T, out);
    LIBCS_TRY(libcs__check_time(t));
    return pn_batch(params, n, x, t_x, T, t, out, bad_index);
}

static int palive_one(const double *p, double x, double t_x, double T,
                      double *out)
{
    LIBCS_TRY(libcs__check_xtT(x, t_x, T));
    double v;
    LIBCS_TRY(palive(p, x, t_x, T, &v));
    return libcs_store_finite(v, out);
}

LIBCS_API int libcs_pnbd_palive(const double *params, double x, double t_x,
                                double T, double *out)
{
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return palive_one(params, x, t_x, T, out);
}

LIBCS_API int libcs_pnbd_palive_batch(const double *params, size_t n,
                                      const double *x, const double *t_x,
                                      const double *T, double *out,
                                      size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, x, t_x, T, out);
    return pn_batch(params, n, x, t_x, T, -1.0, out, bad_index);
}

/* ---- CLV ----------------------------------------------------------------------- */

static int expected_alive_rc(const double *p, double x, double T, double t,
                             double *e)
{
    *e = expected_alive(p, x, T, t);
    return LIBCS_OK;
}

static const struct libcs__xtT_model pn_clv = {expected_alive_rc, palive};

LIBCS_API int libcs_pnbd_clv(const double *params, double x, double t_x,
                             double T, double value, double step,
                             uint32_t steps, double discount, double *out)
{
    return libcs__clv_xtT(&pn_clv, params, 4, x, t_x, T, value, step, steps,
                          discount, out);
}

LIBCS_API int libcs_pnbd_clv_batch(const double *params, size_t n,
                                   const double *x, const double *t_x,
                                   const double *T, const double *value,
                                   double step, uint32_t steps,
                                   double discount, double *out,
                                   size_t *bad_index)
{
    return libcs__clv_xtT_batch(&pn_clv, params, 4, n, x, t_x, T, value, step,
                                steps, discount, out, bad_index);
}

/* ---- simulation ------------------------------------------------------------------ */

LIBCS_API int libcs_pnbd_simulate(const double *params, size_t n,
                                  const double *T, uint64_t seed, double *x,
                                  double *t_x)
{
    LIBCS_TRY(libcs__check_simulate_T(params, 4, n, T, x, t_x));
    struct libcs_rng g;
    libcs_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        /* lambda ~ Gamma(r, rate alpha), mu ~ Gamma(s, rate beta); Poisson
         * purchases after the first at time 0 until death at an
         * exponential(mu) time or T */
        const double lambda = libcs_rng_gamma(&g, params[0]) / params[1];
        const double mu = libcs_rng_gamma(&g, params[2]) / params[3];
        const double death = mu > 0.0 ? -log(libcs_rng_uniform(&g)) / mu
                                      : INFINITY;
        const double end = death < T[i] ? death : T[i];
        double t = 0.0, last = 0.0, count = 0.0;
        while (lambda > 0.0) {
            t += -log(libcs_rng_uniform(&g)) / lambda;
            if (t > end)
                break;
            count += 1.0;
            last = t;
        }
        x[i] = count;
        t_x[i] = last;
    }
    return LIBCS_OK;
}

/* ---- batch twins of the new customer's predictions ------------------------- */

/* E[X(t)] over horizons: the scalar function's own expression per element
 * (its parameters' part, (beta/alpha), is two logarithms and an exp that
 * the batch could share, but the expression is the conditional
 * expectation's too, and one copy of it keeps the batch equal to the
 * single calls) */
static int expected_new(const double *p, double t, double *out)
{
    LIBCS_TRY(libcs__check_time(t));
    return libcs_store_finite(expected_alive(p, 0.0, 0.0, t), out);
}

LIBCS_API int libcs_pnbd_expected_batch(const double *params, size_t n,
                                        const double *t, double *out,
                                        size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, t, out);
#define CALL(i, dst) expected_new(params, t[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}

/* P(X(t) = k) over (t, k) pairs: each element is a quadrature, which
 * dwarfs the parameters' terms (two logarithms and an lgamma), so each is
 * the single call, computed once into scratch */
LIBCS_API int libcs_pnbd_pmf_batch(const double *params, size_t n,
                                   const double *t, const uint32_t *k,
                                   double *out, size_t *bad_index)
{
    LIBCS_BATCH_ARGS(params, 4, n, t, k, out);
#define CALL(i, dst) libcs_pnbd_pmf(params, t[i], k[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}
