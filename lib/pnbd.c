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
 * the same series (or the same quadrature). */
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
};

static void coefs_reset(struct coefs *cf, double p, double q)
{
    cf->p = p, cf->q = q;
    cf->len = 0;
    cf->last_grad = -1;
    cf->zmax = -1.0;
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

/* E[X(t)] of a customer alive with x purchases at age T (x = T = 0: a new
 * customer): (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))
 * ^(s-1)], written with log1p and expm1 so that s = 1 is its limit
 * (r+x)(beta+T)/(alpha+T) log(1 + t/(beta+T)). */
static double expected_alive(const double *p, double x, double T, double t)
{
    const double r = p[0], alpha = p[1], s = p[2], beta = p[3];
    const double L = log1p(t / (beta + T));
    /* (beta+T)/(alpha+T) in logs: either sum may be past a double */
    const double ratio = exp(libcs_log_sum(beta, T) - libcs_log_sum(alpha, T));
    return (r + x) * ratio * L * one_minus_exp_over((s - 1.0) * L);
}

/* P(alive) of one row, with its own coefficient table */
static int palive(const double *p, double x, double t_x, double T,
                  double *out)
{
    const double a = p[0] + x, b = p[2] + 1.0;
    struct coefs cf = {0};
    coefs_reset(&cf, p[1] >= p[3] ? a : b, p[1] >= p[3] ? b : a);
    double ll, alive;
    const double lp[2] = {log(p[1]), log(p[3])};
    int rc = row_ll(p, lp, x, t_x, T, &cf, &ll, &alive, NULL);
    coefs_free(&cf);
    if (rc == LIBCS_OK)
        *out = alive;
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

/* P(alive) (t < 0) or E[Y(t) | row] for every row, the series
 * coefficients shared by the rows of the same x; rows validated first,
 * out written only when every row succeeded */
static int pn_batch(const double *p, size_t n, const double *x,
                    const double *t_x, const double *T, double t, double *out,
                    size_t *bad_index)
{
    LIBCS_TRY(libcs__check_xtT_rows(n, x, t_x, T, NULL, bad_index));
    struct pn_data d;
    LIBCS_TRY(pn_init(&d, n, x, t_x, T, NULL, 1.0));
    pn_coefs(&d, p);
    const double lp[2] = {log(p[1]), log(p[3])};
    double *res = malloc(n * sizeof *res);
    int rc = res ? LIBCS_OK : LIBCS_ENOMEM;
    for (size_t i = 0; rc == LIBCS_OK && i < n; i++) {
        double ll, alive;
        rc = row_ll(p, lp, x[i], t_x[i], T[i], &d.cfs[d.tab.xi[i]], &ll, &alive,
                    NULL);
        if (rc == LIBCS_OK) {
            res[i] = t < 0.0 ? alive
                             : alive * expected_alive(p, x[i], T[i], t);
            if (!isfinite(res[i]))
                rc = LIBCS_EOVERFLOW;
        }
        if (rc != LIBCS_OK && bad_index)
            *bad_index = i;
    }
    if (rc == LIBCS_OK)
        memcpy(out, res, n * sizeof *out);
    free(res);
    pn_fini(&d);
    return rc;
}

LIBCS_API int libcs_pnbd_conditional_batch(const double *params, size_t n,
                                           const double *x, const double *t_x,
                                           const double *T, double t,
                                           double *out, size_t *bad_index)
{
    if (!params || !x || !t_x || !T || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
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
    if (!params || !x || !t_x || !T || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
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
    if (!params || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs__check_params(params, 4));
    return libcs__clv_xtT(&pn_clv, params, x, t_x, T, value, step, steps,
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
    if (!params || !T || !x || !t_x)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
    for (size_t i = 0; i < n; i++)
        LIBCS_TRY(libcs__check_time(T[i]));
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
    if (!params || !t || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
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
    if (!params || !t || !k || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(libcs__check_params(params, 4));
#define CALL(i, dst) libcs_pnbd_pmf(params, t[i], k[i], dst)
    LIBCS_BATCH_ONCE(n, out, bad_index, CALL);
#undef CALL
}
