/* lib/km.c - Kaplan-Meier retention curves: the product-limit estimator with
 * Greenwood variance and log(-log) confidence bounds, computed as R's
 * survival::survfit does, plus quantiles (R's rule), restricted mean survival
 * time and an LTV from the curve.  Whole-number durations are counted in
 * linear time; real durations are sorted. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct libcs_km {
    size_t m; /* distinct times */
    double level;
    double *time, *n_risk, *n_event, *n_censor, *surv, *std_err, *lower,
        *upper;
};

LIBCS_API void libcs_km_free(libcs_km *km)
{
    if (!km)
        return;
    free(km->time); /* one block holds all eight arrays */
    free(km);
}

static int km_alloc(size_t m, double level, libcs_km **out)
{
    libcs_km *km = calloc(1, sizeof *km);
    double *block = m <= SIZE_MAX / (8 * sizeof(double))
                        ? malloc(8 * (m ? m : 1) * sizeof *block)
                        : NULL;
    if (!km || !block) {
        free(km);
        free(block);
        return LIBCS_ENOMEM;
    }
    km->m = m;
    km->level = level;
    double **arrays[8] = {&km->time,  &km->n_risk,  &km->n_event,
                          &km->n_censor, &km->surv, &km->std_err,
                          &km->lower, &km->upper};
    for (int a = 0; a < 8; a++)
        *arrays[a] = block + (size_t)a * (m ? m : 1);
    *out = km;
    return LIBCS_OK;
}

/* From time, n_event and n_censor (filled), compute everything else. */
static void km_compute(libcs_km *km)
{
    const size_t m = km->m;
    /* at risk at t_i: the weight of everyone whose time is >= t_i, summed
     * from the end as survfit does */
    double risk = 0.0;
    for (size_t i = m; i-- > 0;) {
        risk += km->n_event[i] + km->n_censor[i];
        km->n_risk[i] = risk;
    }
    const double z = libcs__normal_quantile(0.5 + km->level / 2.0);
    double s = 1.0, varhaz = 0.0;
    int infinite = 0; /* the Greenwood sum once S has reached 0 */
    for (size_t i = 0; i < m; i++) {
        double n = km->n_risk[i], d = km->n_event[i];
        if (d > 0.0) {
            s *= 1.0 - d / n;
            if (n > d)
                varhaz += d / (n * (n - d));
            else
                infinite = 1;
        }
        km->surv[i] = s;
        km->std_err[i] = infinite ? NAN : sqrt(varhaz);
        if (s > 0.0 && s < 1.0 && !infinite) {
            /* log(-log) bounds: exp(-exp(log(-log S) -+ z se / |log S|)) */
            double a = log(-log(s)), b = z * km->std_err[i] / fabs(log(s));
            km->lower[i] = exp(-exp(a + b));
            km->upper[i] = exp(-exp(a - b));
        } else {
            km->lower[i] = km->upper[i] = s; /* R: NA; the interval is a point */
        }
    }
}

/* Validate one record. */
static int check_record(double t, uint8_t e, const double *w, size_t i)
{
    if (!isfinite(t) || (w && !isfinite(w[i])))
        return LIBCS_ENONFINITE;
    if (t < 0.0 || e > 1 || (w && w[i] < 0.0))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

static int check_level(double level)
{
    if (!isfinite(level))
        return LIBCS_ENONFINITE;
    return level > 0.0 && level < 1.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

struct obs {
    double t, w;
    size_t i; /* the input position: ties keep input order, so weights are
                 summed in the same order as the counting pass sums them */
    uint8_t e;
};

static int cmp_obs(const void *a, const void *b)
{
    const struct obs *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->i > y->i) - (x->i < y->i);
}

/* Sort the observations and aggregate them by distinct time. */
static int fit_sorted(struct obs *o, size_t n, double level, libcs_km **out)
{
    qsort(o, n, sizeof *o, cmp_obs);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += i == 0 || o[i].t != o[i - 1].t;
    libcs_km *km;
    LIBCS_TRY(km_alloc(m, level, &km));
    size_t j = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || o[i].t != o[i - 1].t) {
            j++;
            km->time[j] = o[i].t;
            km->n_event[j] = km->n_censor[j] = 0.0;
        }
        if (o[i].e)
            km->n_event[j] += o[i].w;
        else
            km->n_censor[j] += o[i].w;
    }
    km_compute(km);
    *out = km;
    return LIBCS_OK;
}

/* The sort path of both fits: durations from dd (double) or di (int32). */
static int fit_records(size_t n, const double *dd, const int32_t *di,
                       const uint8_t *events, const double *weights,
                       double level, libcs_km **out)
{
    struct obs *o = n <= SIZE_MAX / sizeof *o ? malloc(n * sizeof *o) : NULL;
    if (!o)
        return LIBCS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        o[i].t = dd ? dd[i] : (double)di[i];
        o[i].i = i;
        o[i].e = events[i];
        o[i].w = weights ? weights[i] : 1.0;
    }
    int rc = fit_sorted(o, n, level, out);
    free(o);
    return rc;
}

LIBCS_API int libcs_km_fit(size_t n, const double *durations,
                           const uint8_t *events, const double *weights,
                           double level, libcs_km **out, size_t *bad_index)
{
    if (!durations || !events || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_level(level));
    int weighed = !weights; /* some weight above 0 */
    for (size_t i = 0; i < n; i++) {
        int rc = check_record(durations[i], events[i], weights, i);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
        weighed |= weights && weights[i] > 0.0;
    }
    if (!weighed)
        return LIBCS_EEMPTY; /* every weight 0: an empty sample */
    return fit_records(n, durations, NULL, events, weights, level, out);
}

LIBCS_API int libcs_km_fit_int(size_t n, const int32_t *durations,
                               const uint8_t *events, const double *weights,
                               double level, libcs_km **out,
                               size_t *bad_index)
{
    if (!durations || !events || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_level(level));
    int32_t lo = INT32_MAX, hi = 0;
    int weighed = !weights; /* some weight above 0 */
    for (size_t i = 0; i < n; i++) {
        int rc = check_record((double)durations[i], events[i], weights, i);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
        weighed |= weights && weights[i] > 0.0;
        lo = durations[i] < lo ? durations[i] : lo;
        hi = durations[i] > hi ? durations[i] : hi;
    }
    if (!weighed)
        return LIBCS_EEMPTY; /* every weight 0: an empty sample */
    size_t range = (size_t)(hi - lo) + 1;
    if (range > 4 * n + 4096) {
        /* sparse durations: a counting pass would cost more than a sort */
        return fit_records(n, NULL, durations, events, weights, level, out);
    }
    /* one counting pass: events and censorings per duration, and which
     * durations occur (a distinct time is one that occurs, whatever its
     * weight) */
    double *ev = calloc(range, sizeof *ev), *ce = calloc(range, sizeof *ce);
    uint8_t *seen = calloc(range, 1);
    if (!ev || !ce || !seen) {
        free(ev), free(ce), free(seen);
        return LIBCS_ENOMEM;
    }
    if (weights) {
        for (size_t i = 0; i < n; i++) {
            size_t r = (size_t)(durations[i] - lo);
            *(events[i] ? &ev[r] : &ce[r]) += weights[i];
            seen[r] = 1;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            size_t r = (size_t)(durations[i] - lo);
            *(events[i] ? &ev[r] : &ce[r]) += 1.0;
            seen[r] = 1;
        }
    }
    size_t m = 0;
    for (size_t r = 0; r < range; r++)
        m += seen[r];
    libcs_km *km;
    int rc = km_alloc(m, level, &km);
    if (rc == LIBCS_OK) {
        size_t j = 0;
        for (size_t r = 0; r < range; r++)
            if (seen[r]) {
                km->time[j] = (double)lo + (double)r;
                km->n_event[j] = ev[r];
                km->n_censor[j] = ce[r];
                j++;
            }
        km_compute(km);
        *out = km;
    }
    free(ev), free(ce), free(seen);
    return rc;
}

LIBCS_API int libcs_km_size(const libcs_km *km, size_t *m)
{
    if (!km || !m)
        return LIBCS_EINVAL;
    *m = km->m;
    return LIBCS_OK;
}

LIBCS_API int libcs_km_curve(const libcs_km *km, size_t cap, double *time,
                             double *n_risk, double *n_event,
                             double *n_censor, double *survival,
                             double *std_err, double *lower, double *upper,
                             size_t *needed)
{
    if (!km)
        return LIBCS_EINVAL;
    double *dst[8] = {time, n_risk, n_event, n_censor,
                      survival, std_err, lower, upper};
    const double *src[8] = {km->time, km->n_risk, km->n_event, km->n_censor,
                            km->surv, km->std_err, km->lower, km->upper};
    if (needed)
        *needed = km->m;
    int any = 0;
    for (int a = 0; a < 8; a++)
        any |= dst[a] != NULL;
    if (any && cap < km->m)
        return LIBCS_EBUFSIZE;
    for (int a = 0; a < 8; a++)
        if (dst[a])
            memcpy(dst[a], src[a], km->m * sizeof(double));
    return LIBCS_OK;
}

/* The index of the last distinct time <= t, or -1 before the first. */
static ptrdiff_t last_at_or_before(const libcs_km *km, double t)
{
    size_t lo = 0, hi = km->m; /* first index with time > t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (km->time[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

LIBCS_API int libcs_km_survival_at(const libcs_km *km, double t, double *s)
{
    if (!km || !s)
        return LIBCS_EINVAL;
    if (!isfinite(t))
        return LIBCS_ENONFINITE;
    ptrdiff_t i = last_at_or_before(km, t);
    *s = i < 0 ? 1.0 : km->surv[i];
    return LIBCS_OK;
}

LIBCS_API int libcs_km_quantile(const libcs_km *km, double p, double *t)
{
    if (!km || !t)
        return LIBCS_EINVAL;
    if (!isfinite(p))
        return LIBCS_ENONFINITE;
    if (!(p > 0.0 && p < 1.0))
        return LIBCS_EDOMAIN;
    /* R's rule (survival's quantile.survfit): the first time S <= 1 - p;
     * when S equals 1 - p there (within sqrt(DBL_EPSILON)), the midpoint
     * of that time and the next time S drops, or the last time if it never
     * drops again */
    const double target = 1.0 - p, tol = 1.4901161193847656e-08;
    size_t i = 0;
    while (i < km->m && km->surv[i] > target + tol)
        i++;
    if (i == km->m)
        return LIBCS_EUNDEFINED; /* the curve never gets there */
    if (fabs(km->surv[i] - target) < tol) {
        size_t j = i + 1;
        while (j < km->m && km->surv[j] >= km->surv[i])
            j++;
        *t = (km->time[i] + km->time[j < km->m ? j : km->m - 1]) / 2.0;
    } else {
        *t = km->time[i];
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_km_median(const libcs_km *km, double *t)
{
    return libcs_km_quantile(km, 0.5, t);
}

LIBCS_API int libcs_km_rmst(const libcs_km *km, double tau, double *rmst)
{
    if (!km || !rmst)
        return LIBCS_EINVAL;
    if (!isfinite(tau))
        return LIBCS_ENONFINITE;
    if (tau < 0.0)
        return LIBCS_EDOMAIN;
    /* the step function S: 1 on [0, t_0), surv[i] on [t_i, t_{i+1}) */
    double area = 0.0, from = 0.0, level = 1.0;
    for (size_t i = 0; i < km->m && km->time[i] < tau; i++) {
        area += level * (km->time[i] - from);
        from = km->time[i];
        level = km->surv[i];
    }
    area += level * (tau - from);
    return libcs_store_finite(area, rmst);
}

LIBCS_API int libcs_km_ltv(const libcs_km *km, double margin_per_period,
                           double tau, double *ltv)
{
    double r;
    if (!km || !ltv)
        return LIBCS_EINVAL;
    if (!isfinite(margin_per_period) || !isfinite(tau))
        return LIBCS_ENONFINITE;
    if (margin_per_period < 0.0)
        return LIBCS_EDOMAIN;
    LIBCS_TRY(libcs_km_rmst(km, tau, &r));
    return libcs_store_finite(margin_per_period * r, ltv);
}
