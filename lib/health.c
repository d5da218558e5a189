/* lib/health.c - health-score models: measures with linear, tiered and yes/no
 * rules, missing-value policies, weighted-mean or worst-of aggregation,
 * colour bands, explanation and band-change events.  The text form of a
 * model lives in lib/health_text.c. */
#include <stdlib.h>
#include <string.h>

#include "health_internal.h"

LIBCS_API int libcs_health_model_new(libcs_health_model **out)
{
    if (!out)
        return LIBCS_EINVAL;
    libcs_health_model *m = calloc(1, sizeof *m);
    if (!m)
        return LIBCS_ENOMEM;
    m->missing = LIBCS_HEALTH_MISSING_DROP;
    m->min_coverage = 0.0;
    m->aggregation = LIBCS_HEALTH_WEIGHTED_MEAN;
    m->red_max = 50.0;
    m->yellow_max = 75.0;
    *out = m;
    return LIBCS_OK;
}

LIBCS_API void libcs_health_model_free(libcs_health_model *model)
{
    if (!model)
        return;
    for (size_t j = 0; j < model->k; j++) {
        free(model->m[j].name);
        free(model->m[j].tiers);
    }
    free(model->m);
    free(model);
}

static int check_points(double p)
{
    if (!isfinite(p))
        return LIBCS_ENONFINITE;
    return p >= 0.0 && p <= 100.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

int libcs__health_check_name(const libcs_health_model *m, const char *name)
{
    if (!name)
        return LIBCS_EINVAL;
    size_t len = strlen(name);
    if (len == 0 || len > LIBCS_HEALTH_NAME_MAX)
        return LIBCS_EDOMAIN;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return LIBCS_EDOMAIN; /* control characters break the text form */
    for (size_t j = 0; j < m->k; j++)
        if (strcmp(m->m[j].name, name) == 0)
            return LIBCS_EDOMAIN; /* names identify measures: keep them unique */
    return LIBCS_OK;
}

int libcs__health_check_weight(double weight)
{
    if (!isfinite(weight))
        return LIBCS_ENONFINITE;
    return weight > 0.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

static int check_name_weight(const libcs_health_model *m, const char *name,
                             double weight)
{
    LIBCS_TRY(libcs__health_check_name(m, name));
    return libcs__health_check_weight(weight);
}

/* Append a measure (taking ownership of tiers on success). */
static int add_measure(libcs_health_model *m, const char *name, double weight,
                       struct health_measure *meas)
{
    if (m->k == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 8;
        struct health_measure *grown = realloc(m->m, cap * sizeof *grown);
        if (!grown)
            return LIBCS_ENOMEM;
        m->m = grown;
        m->cap = cap;
    }
    double total = m->weight_sum + weight;
    if (!isfinite(total))
        return LIBCS_EOVERFLOW;
    meas->name = strdup(name);
    if (!meas->name)
        return LIBCS_ENOMEM;
    meas->weight = weight;
    m->m[m->k++] = *meas;
    m->weight_sum = total;
    /* Scores are sum(w p) / sum(w) over the weights scaled by one exact
     * power of two that puts their total in [2^960, 2^961): huge weights
     * cannot overflow w x points (< 2^968) and subnormal ones become normal,
     * while every product and sum is the one of the unscaled weights times
     * 2^wexp, so that whole-number weights give exact means.  The shares
     * are kept only for libcs_health_model_weight. */
    m->wexp = 960 - ilogb(total);
    m->wsum_scaled = ldexp(total, m->wexp);
    for (size_t j = 0; j < m->k; j++) {
        m->m[j].share = m->m[j].weight / total;
        m->m[j].wscaled = ldexp(m->m[j].weight, m->wexp);
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_health_model_add_linear(libcs_health_model *model,
                                            const char *name, double weight,
                                            double bad, double good)
{
    if (!model || !name)
        return LIBCS_EINVAL;
    if (!isfinite(weight) || !isfinite(bad) || !isfinite(good))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_name_weight(model, name, weight));
    if (bad == good)
        return LIBCS_EDOMAIN;
    double d = good - bad;
    /* the domain of before: 100 / (good - bad) a finite, non-zero double */
    double scale = 100.0 / d;
    if (!isfinite(scale) || scale == 0.0)
        return LIBCS_EDOMAIN; /* thresholds too close or too far apart */
    /* 100 (v - bad) / (good - bad) with v - bad clamped to [0, good - bad]
     * first (that is the clamp of the points to [0, 100]), so that only
     * 100 x |good - bad| can overflow; when it would, both factors are
     * divided by 2^7 (exactly) */
    double f = 100.0;
    if (fabs(d) >= 0x1p1000) {
        f = ldexp(f, -7);
        d = ldexp(d, -7);
    }
    struct health_measure meas = {.rule = HEALTH_RULE_LINEAR,
                                  .bad = bad,
                                  .good = good,
                                  .lo = fmin(0.0, good - bad),
                                  .hi = fmax(0.0, good - bad),
                                  .f = f,
                                  .d = d,
                                  .worst = 0.0};
    return add_measure(model, name, weight, &meas);
}

LIBCS_API int libcs_health_model_add_tiers(libcs_health_model *model,
                                           const char *name, double weight,
                                           size_t n_tiers,
                                           const double *breaks,
                                           const double *points)
{
    if (!model || !name || !points || (n_tiers > 1 && !breaks))
        return LIBCS_EINVAL;
    if (n_tiers == 0)
        return LIBCS_EEMPTY;
    /* the tier count is checked before the arrays are read */
    if (n_tiers > LIBCS_HEALTH_TIERS_MAX)
        return LIBCS_EDOMAIN;
    if (!isfinite(weight))
        return LIBCS_ENONFINITE;
    for (size_t i = 0; i + 1 < n_tiers; i++)
        if (!isfinite(breaks[i]))
            return LIBCS_ENONFINITE;
    for (size_t i = 0; i < n_tiers; i++)
        if (!isfinite(points[i]))
            return LIBCS_ENONFINITE;
    LIBCS_TRY(check_name_weight(model, name, weight));
    double worst = 100.0;
    for (size_t i = 0; i < n_tiers; i++) {
        LIBCS_TRY(check_points(points[i]));
        worst = fmin(worst, points[i]);
        if (i > 0 && i + 1 < n_tiers && !(breaks[i] > breaks[i - 1]))
            return LIBCS_EDOMAIN; /* breaks must increase strictly */
    }
    /* tiers[] holds the n - 1 breaks, then the n points */
    double *t = malloc((2 * n_tiers - 1) * sizeof *t);
    if (!t)
        return LIBCS_ENOMEM;
    if (n_tiers > 1)
        memcpy(t, breaks, (n_tiers - 1) * sizeof *t);
    memcpy(t + n_tiers - 1, points, n_tiers * sizeof *t);
    struct health_measure meas = {.rule = HEALTH_RULE_TIERS,
                                  .n_tiers = n_tiers,
                                  .tiers = t,
                                  .worst = worst};
    int rc = add_measure(model, name, weight, &meas);
    if (rc != LIBCS_OK)
        free(t);
    return rc;
}

LIBCS_API int libcs_health_model_add_yesno(libcs_health_model *model,
                                           const char *name, double weight,
                                           double yes_points, double no_points)
{
    if (!model || !name)
        return LIBCS_EINVAL;
    if (!isfinite(weight) || !isfinite(yes_points) || !isfinite(no_points))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_name_weight(model, name, weight));
    LIBCS_TRY(check_points(yes_points));
    LIBCS_TRY(check_points(no_points));
    if (yes_points == no_points)
        return LIBCS_EDOMAIN; /* a measure that cannot tell anything */
    struct health_measure meas = {.rule = HEALTH_RULE_YESNO,
                                  .good = yes_points,
                                  .bad = no_points,
                                  .worst = fmin(yes_points, no_points)};
    return add_measure(model, name, weight, &meas);
}

LIBCS_API int libcs_health_model_set_missing(libcs_health_model *model,
                                             int policy, double min_coverage)
{
    if (!model || (policy != LIBCS_HEALTH_MISSING_DROP &&
                   policy != LIBCS_HEALTH_MISSING_WORST))
        return LIBCS_EINVAL;
    LIBCS_TRY(libcs_check_fraction(min_coverage));
    model->missing = policy;
    model->min_coverage = min_coverage;
    return LIBCS_OK;
}

LIBCS_API int libcs_health_model_set_aggregation(libcs_health_model *model,
                                                 int aggregation)
{
    if (!model || (aggregation != LIBCS_HEALTH_WEIGHTED_MEAN &&
                   aggregation != LIBCS_HEALTH_WORST_OF))
        return LIBCS_EINVAL;
    model->aggregation = aggregation;
    return LIBCS_OK;
}

LIBCS_API int libcs_health_model_set_bands(libcs_health_model *model,
                                           double red_max, double yellow_max)
{
    if (!model)
        return LIBCS_EINVAL;
    if (!isfinite(red_max) || !isfinite(yellow_max))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(check_points(red_max));
    LIBCS_TRY(check_points(yellow_max));
    if (!(red_max < yellow_max))
        return LIBCS_EDOMAIN;
    model->red_max = red_max;
    model->yellow_max = yellow_max;
    return LIBCS_OK;
}

LIBCS_API int libcs_health_model_measures(const libcs_health_model *model,
                                          size_t *k)
{
    if (!model || !k)
        return LIBCS_EINVAL;
    *k = model->k;
    return LIBCS_OK;
}

LIBCS_API int libcs_health_model_measure_name(const libcs_health_model *model,
                                              size_t i, char *buf, size_t cap,
                                              size_t *needed)
{
    if (!model || (!buf && cap > 0))
        return LIBCS_EINVAL;
    if (i >= model->k)
        return LIBCS_EDOMAIN;
    size_t len = strlen(model->m[i].name) + 1;
    if (needed)
        *needed = len;
    if (cap < len)
        return LIBCS_EBUFSIZE;
    memcpy(buf, model->m[i].name, len);
    return LIBCS_OK;
}

LIBCS_API int libcs_health_model_weight(const libcs_health_model *model,
                                        size_t i, double *share)
{
    if (!model || !share)
        return LIBCS_EINVAL;
    if (i >= model->k)
        return LIBCS_EDOMAIN;
    *share = model->m[i].share;
    return LIBCS_OK;
}

static int check_score_or_unknown(double s);

static int band_of(const libcs_health_model *m, double score)
{
    if (isnan(score))
        return LIBCS_HEALTH_UNKNOWN;
    return score <= m->red_max      ? LIBCS_HEALTH_RED
           : score <= m->yellow_max ? LIBCS_HEALTH_YELLOW
                                    : LIBCS_HEALTH_GREEN;
}

LIBCS_API int libcs_health_band(const libcs_health_model *model, double score,
                                int *band)
{
    if (!model || !band)
        return LIBCS_EINVAL;
    /* NaN is the unknown score libcs_health_score() gives */
    LIBCS_TRY(check_score_or_unknown(score));
    *band = band_of(model, score);
    return LIBCS_OK;
}

/* Whether a present value is acceptable for its measure: finite, and 0 or 1
 * for a yes/no measure. */
static inline int value_rc(const struct health_measure *me, double v)
{
    if (isinf(v))
        return LIBCS_ENONFINITE;
    if (me->rule == HEALTH_RULE_YESNO && v != 0.0 && v != 1.0)
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

/* The points of a value by each rule (any value: a NaN gives some points
 * that the caller replaces).  Written without data-dependent branches (the
 * ternaries become min/max/blend instructions), since health inputs are as
 * unpredictable as customers; the block loops below vectorise them. */
static inline double linear_points(const struct health_measure *me, double v)
{
    double x = v - me->bad;
    x = x < me->lo ? me->lo : x;
    x = x > me->hi ? me->hi : x;
    double p = x * me->f / me->d;
    p = p > 0.0 ? p : 0.0; /* also turns -0 (v = bad, good < bad) into +0 */
    return p < 100.0 ? p : 100.0;
}

static inline double yesno_points(const struct health_measure *me, double v)
{
    return v != 0.0 ? me->good : me->bad;
}

/* The breaks increase strictly, so the last one at or below v picks the
 * tier. */
static inline double tier_points(const struct health_measure *me, double v)
{
    size_t nb = me->n_tiers - 1;
    double p = me->tiers[nb];
    for (size_t b = 0; b < nb; b++)
        p = v >= me->tiers[b] ? me->tiers[nb + b + 1] : p;
    return p;
}

static inline double measure_points(const struct health_measure *me, double v)
{
    switch (me->rule) {
    case HEALTH_RULE_LINEAR:
        return linear_points(me, v);
    case HEALTH_RULE_TIERS:
        return tier_points(me, v);
    default:
        return yesno_points(me, v);
    }
}

/* The first invalid value of a row, as LIBCS_OK or an error with *bad_col.
 * The common all-valid row is checked without branches; only a row with a
 * problem is searched for its first bad column. */
static int check_row(const libcs_health_model *m, const double *values,
                     size_t *bad_col)
{
    int bad = 0;
    for (size_t j = 0; j < m->k; j++) {
        double v = values[j];
        int yesno = m->m[j].rule == HEALTH_RULE_YESNO;
        bad |= isinf(v) | (yesno & (v == v) & (v != 0.0) & (v != 1.0));
    }
    if (LIBCS_LIKELY(!bad))
        return LIBCS_OK;
    for (size_t j = 0; j < m->k; j++) {
        double v = values[j];
        if (isnan(v))
            continue;
        int rc = value_rc(&m->m[j], v);
        if (rc != LIBCS_OK) {
            *bad_col = j;
            return rc;
        }
    }
    return LIBCS_OK; /* not reached: some column was bad */
}

#define CHECK_TILE 1024 /* values checked per step of the fast check */

/* Whether x[0..len) holds an invalid value: +-Inf anywhere, or a value of
 * a yes/no measure (yn[t] = 1; 0 elsewhere) that is not NaN, 0 or 1.  With
 * y = v ((v - 1) yn), y is 0 for a valid present value (v (v - 1) is 0
 * only at 0 and 1, and v x 0 for any finite v) and NaN, Inf or non-zero
 * for an invalid one (Inf x 0 is NaN); a missing (NaN) value gives NaN
 * too, hence the test that v is not NaN.  Seven operations a value, no
 * branch. */
static inline int64_t value_bad(double v, double yn)
{
    double y = v * ((v - 1.0) * yn);
    return (y != 0.0) & (v == v);
}

#if defined(__GNUC__)
typedef double check_vd __attribute__((vector_size(16)));
typedef int64_t check_vi __attribute__((vector_size(16)));

/* Two values a step with GCC/clang vector extensions (16 bytes: SSE2's
 * compares; wider vectors are split into scalar compares there), since the
 * scalar loop is not vectorised. */
static int tile_bad(const double *x, const double *yn, size_t len)
{
    const check_vi magnitude = {INT64_MAX, INT64_MAX};
    check_vd bad = {0.0, 0.0};
    size_t t = 0;
    for (; t + 2 <= len; t += 2) {
        check_vd v, c;
        memcpy(&v, x + t, sizeof v);
        memcpy(&c, yn + t, sizeof c);
        check_vd y = v * ((v - 1.0) * c);
        /* |y| where v is not NaN, else 0, summed: the sum stays 0 only if
         * every term is 0 (GCC turns an or of the compare masks into
         * scalar conditional moves) */
        bad += (check_vd)((check_vi)y & (v == v) & magnitude);
    }
    int64_t any = bad[0] != 0.0 || bad[1] != 0.0;
    for (; t < len; t++)
        any |= value_bad(x[t], yn[t]);
    return any != 0;
}
#else
static int tile_bad(const double *x, const double *yn, size_t len)
{
    int64_t any = 0;
    for (size_t t = 0; t < len; t++)
        any |= value_bad(x[t], yn[t]);
    return any != 0;
}
#endif

/* Validate n rows: the first invalid value as LIBCS_OK or an error with
 * *bad_index (the value's index in values[]).  The rows are read as one
 * flat array, in tiles of whole rows, against a tile-sized pattern of the
 * yes/no columns; only a tile with a problem is searched row by row. */
static int check_rows(const libcs_health_model *m, size_t n,
                      const double *values, size_t *bad_index)
{
    const size_t k = m->k;
    size_t rows = k <= CHECK_TILE ? CHECK_TILE / k : 0, i = 0;
    if (rows > 1) {
        double yn[CHECK_TILE];
        const size_t len = rows * k;
        for (size_t t = 0; t < len; t++)
            yn[t] = m->m[t % k].rule == HEALTH_RULE_YESNO;
        for (; i + rows <= n; i += rows)
            if (LIBCS_UNLIKELY(tile_bad(values + i * k, yn, len)))
                break; /* find it row by row below */
    }
    for (; i < n; i++) {
        size_t col;
        int rc = check_row(m, values + i * k, &col);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i * k + col;
            return rc;
        }
    }
    return LIBCS_OK;
}

/* A weighted mean under the drop policy whose present weights are below
 * 2^-60 once scaled (under 2^-1020 of the total) is formed again with the
 * weights scaled by the largest present one instead, so that weights too
 * small beside the total to be scaled with it still count. */
#define DEN_MIN 0x1p-60

/* The exponent that puts the largest present weight of a row at 2^960. */
static int present_exp(const libcs_health_model *m, const double *values)
{
    double wmax = 0.0;
    for (size_t j = 0; j < m->k; j++)
        if (!isnan(values[j]) && m->m[j].weight > wmax)
            wmax = m->m[j].weight;
    return 960 - ilogb(wmax);
}

/* The drop policy's weighted mean of a row with weights x 2^e. */
static double mean_rescaled(const libcs_health_model *m, const double *values,
                            int e)
{
    double acc = 0.0, den = 0.0;
    for (size_t j = 0; j < m->k; j++) {
        if (isnan(values[j]))
            continue;
        double w = ldexp(m->m[j].weight, e);
        acc += w * measure_points(&m->m[j], values[j]);
        den += w;
    }
    return acc / den;
}

#define BLOCK 256 /* rows scored together by the batch */

/* The running sums of a block of rows: weighted points, scaled weight of
 * the measures counted (drop policy), raw weight of the present measures
 * (coverage) and the lowest points (worst-of). */
struct block_sums {
    double acc[BLOCK], den[BLOCK], present[BLOCK], low[BLOCK];
};

/* Add one measure's points to the sums of the rows: its values are x[0..nb),
 * and its points those of `rule` (linear and yes/no are formed here, tiers
 * are passed in p[0..nb)).  Dropped measures add 0 x points and a weight of 0, which leaves the sums
 * as they were, so every row's sums are formed in measure order whatever
 * else is missing: a block of one row gives the bits of a block of many.
 * rule, wmean and drop are constants once inlined; every operand is loaded
 * unconditionally and every select is on the missing test alone, so that
 * the loop vectorises. */
static inline __attribute__((always_inline)) void
add_points(const struct health_measure *me, int rule, int drop, int wmean,
           const double *x, const double *p, size_t nb, struct block_sums *b)
{
    const double w = me->wscaled, wr = me->weight, worst = me->worst;
    const double w_miss = drop ? 0.0 : w, low_miss = drop ? INFINITY : worst;
    for (size_t i = 0; i < nb; i++) {
        /* all loads, then all selects, then the stores: GCC if-converts
         * (and so vectorises) this order only */
        const double xi = x[i], present = b->present[i];
        /* linear and yes/no points are formed here; tiers come in p[] */
        const double pv = rule == HEALTH_RULE_LINEAR ? linear_points(me, xi)
                          : rule == HEALTH_RULE_YESNO ? yesno_points(me, xi)
                                                      : p[i];
        const double acc = b->acc[i], den = b->den[i], low = b->low[i];
        const int ok = xi == xi;
        const double r = ok ? wr : 0.0;
        if (wmean) {
            const double pi = ok ? pv : worst, wi = ok ? w : w_miss;
            b->present[i] = present + r;
            b->acc[i] = acc + wi * pi;
            if (drop)
                b->den[i] = den + wi;
        } else {
            const double q = ok ? pv : low_miss;
            b->present[i] = present + r;
            b->low[i] = q < low ? q : low;
        }
    }
}

/* Score nb <= NB rows (NB = BLOCK or 1, a constant once inlined): for each
 * measure, gather its column, turn it into points with the measure's rule
 * (one loop per rule, so nothing branches on the rule per value), and add
 * those to the rows' sums; then finish each row.  Loops run over all NB
 * rows (a short block is padded) so that their trip counts are constants
 * the compiler vectorises. */
static inline __attribute__((always_inline)) void
score_rows(const libcs_health_model *m, const double *values, size_t nb,
           size_t ahead, const size_t NB, const int drop, const int wmean,
           double *scores, int *bands, double *coverage)
{
    const size_t k = m->k;
    struct block_sums b;
    double x[BLOCK], p[BLOCK];
    for (size_t i = 0; i < NB; i++) {
        b.acc[i] = b.den[i] = b.present[i] = 0.0;
        b.low[i] = INFINITY;
        x[i] = 0.0; /* the padding of a short block */
    }
    /* The next `ahead` values (the next block's) are fetched into the
     * cache while this block is scored, a share of their lines per measure
     * (about 15 % faster than leaving them to the hardware prefetcher). */
    const double *next = values + nb * k;
    const size_t lines = ahead / 8, per = (lines + k - 1) / k;
    for (size_t j = 0; j < k; j++) {
        const struct health_measure *me = &m->m[j];
        for (size_t l = j * per; l < (j + 1) * per && l < lines; l++)
            __builtin_prefetch(next + 8 * l);
        for (size_t i = 0; i < nb; i++)
            x[i] = values[i * k + j];
        switch (me->rule) {
        case HEALTH_RULE_LINEAR:
            add_points(me, HEALTH_RULE_LINEAR, drop, wmean, x, p, NB, &b);
            break;
        case HEALTH_RULE_TIERS: {
            size_t nbr = me->n_tiers - 1;
            const double *br = me->tiers, *pt = me->tiers + nbr;
            for (size_t i = 0; i < NB; i++)
                p[i] = pt[0];
            for (size_t t = 0; t < nbr; t++) {
                const double brk = br[t], pts = pt[t + 1];
                for (size_t i = 0; i < NB; i++)
                    p[i] = x[i] >= brk ? pts : p[i];
            }
            add_points(me, HEALTH_RULE_TIERS, drop, wmean, x, p, NB, &b);
            break;
        }
        default:
            add_points(me, HEALTH_RULE_YESNO, drop, wmean, x, p, NB, &b);
            break;
        }
    }
    /* Finish the rows without branches (so that this vectorises too):
     * coverage from the weights themselves, exact for whole-number weights
     * (30 + 20 + 10 of 60 is 1); a slack of 1e-12 keeps shares like
     * 0.3 + 0.2 at 0.5; a weighted mean is clamped against rounding. */
    const double wsum = m->weight_sum, cov_min = m->min_coverage - 1e-12;
    const double red = m->red_max, yellow = m->yellow_max;
    const double wtotal = m->wsum_scaled;
    double *s = x, *cov = p; /* the column buffers are free now */
    int band[BLOCK];
    int64_t rare = 0;
    for (size_t i = 0; i < NB; i++) {
        const double present = b.present[i], low = b.low[i];
        const double den = drop ? b.den[i] : wtotal, acc = b.acc[i];
        const double c = present / wsum;
        double si;
        if (wmean) {
            double q = acc / den;
            q = q > 0.0 ? q : 0.0;
            si = q < 100.0 ? q : 100.0;
        } else
            si = low;
        si = present > 0.0 ? si : NAN;
        s[i] = c >= cov_min ? si : NAN;
        cov[i] = c;
    }
    if (wmean && drop)
        for (size_t i = 0; i < NB; i++)
            rare |= (s[i] == s[i]) & (b.den[i] < DEN_MIN);
    /* unknown (NaN) is 0, red 1, yellow 2, green 3 */
    for (size_t i = 0; i < nb; i++)
        band[i] = (s[i] == s[i]) + (s[i] > red) + (s[i] > yellow);
    if (wmean && drop && LIBCS_UNLIKELY(rare)) {
        for (size_t i = 0; i < nb; i++) {
            if (isnan(s[i]) || b.den[i] >= DEN_MIN)
                continue;
            const double *row = values + i * k;
            double q = mean_rescaled(m, row, present_exp(m, row));
            s[i] = q < 0.0 ? 0.0 : q > 100.0 ? 100.0 : q;
            band[i] = band_of(m, s[i]);
        }
    }
    memcpy(scores, s, nb * sizeof *s);
    memcpy(bands, band, nb * sizeof *band);
    if (coverage)
        memcpy(coverage, cov, nb * sizeof *cov);
}

/* One row, by the code of the batch (blocks of one row). */
static void score_one(const libcs_health_model *m, const double *values,
                      double *score, int *band, double *coverage)
{
    const int drop = m->missing == LIBCS_HEALTH_MISSING_DROP;
    const int wmean = m->aggregation == LIBCS_HEALTH_WEIGHTED_MEAN;
    if (wmean && drop)
        score_rows(m, values, 1, 0, 1, 1, 1, score, band, coverage);
    else if (wmean)
        score_rows(m, values, 1, 0, 1, 0, 1, score, band, coverage);
    else if (drop)
        score_rows(m, values, 1, 0, 1, 1, 0, score, band, coverage);
    else
        score_rows(m, values, 1, 0, 1, 0, 0, score, band, coverage);
}

LIBCS_API int libcs_health_score(const libcs_health_model *model,
                                 const double *values, double *score,
                                 int *band, double *coverage)
{
    double s, cov;
    int b;
    size_t col;
    if (!model || !values || !score || !band)
        return LIBCS_EINVAL;
    if (model->k == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_row(model, values, &col));
    score_one(model, values, &s, &b, &cov);
    *score = s;
    *band = b;
    if (coverage)
        *coverage = cov;
    return LIBCS_OK;
}

LIBCS_API int libcs_health_score_batch(const libcs_health_model *model,
                                       size_t n, const double *values,
                                       double *scores, int *bands,
                                       double *coverage, size_t *bad_index)
{
    if (!model || !values || !scores || !bands)
        return LIBCS_EINVAL;
    if (n == 0 || model->k == 0)
        return LIBCS_EEMPTY;
    const size_t k = model->k;
    /* validate first so that the outputs stay untouched on error */
    LIBCS_TRY(check_rows(model, n, values, bad_index));
    const int drop = model->missing == LIBCS_HEALTH_MISSING_DROP;
    const int wmean = model->aggregation == LIBCS_HEALTH_WEIGHTED_MEAN;
    for (size_t i = 0; i < n; i += BLOCK) {
        size_t nb = n - i < BLOCK ? n - i : BLOCK;
        const double *v = values + i * k;
        double *cov = coverage ? coverage + i : NULL;
        /* the values of the next block, to prefetch */
        size_t rest = n - i - nb, ahead = (rest < nb ? rest : nb) * k;
        /* one copy of the loops per setting, so that none tests it */
        if (wmean && drop)
            score_rows(model, v, nb, ahead, BLOCK, 1, 1, scores + i,
                       bands + i, cov);
        else if (wmean)
            score_rows(model, v, nb, ahead, BLOCK, 0, 1, scores + i,
                       bands + i, cov);
        else if (drop)
            score_rows(model, v, nb, ahead, BLOCK, 1, 0, scores + i,
                       bands + i, cov);
        else
            score_rows(model, v, nb, ahead, BLOCK, 0, 0, scores + i,
                       bands + i, cov);
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_health_explain(const libcs_health_model *model,
                                   const double *values, double *points,
                                   double *contributions, double *score,
                                   int *band)
{
    if (!model || !values || !points || !contributions || !score || !band)
        return LIBCS_EINVAL;
    if (model->k == 0)
        return LIBCS_EEMPTY;
    const size_t k = model->k;
    size_t col;
    double s, cov;
    int b;
    LIBCS_TRY(check_row(model, values, &col));
    double *tmp = malloc(2 * k * sizeof *tmp);
    if (!tmp)
        return LIBCS_ENOMEM;
    score_one(model, values, &s, &b, &cov);
    const int drop = model->missing == LIBCS_HEALTH_MISSING_DROP;
    const int wmean = model->aggregation == LIBCS_HEALTH_WEIGHTED_MEAN;
    double *pts = tmp, *con = tmp + k, worst = INFINITY, den = 0.0;
    for (size_t j = 0; j < k; j++) {
        const struct health_measure *me = &model->m[j];
        double v = values[j];
        pts[j] = !isnan(v) ? measure_points(me, v) : drop ? NAN : me->worst;
        worst = pts[j] < worst ? pts[j] : worst;
        if (!isnan(pts[j]))
            den += me->wscaled;
    }
    /* the weights of the mean: scaled as score_rows scales them */
    int e = model->wexp;
    if (drop && den < DEN_MIN && !isnan(s))
        e = present_exp(model, values);
    den = 0.0;
    for (size_t j = 0; j < k; j++)
        if (!isnan(pts[j]))
            den += ldexp(model->m[j].weight, e);
    size_t worst_j = 0; /* the first measure with the lowest points */
    while (worst_j < k && pts[worst_j] != worst)
        worst_j++;
    for (size_t j = 0; j < k; j++)
        con[j] = isnan(s) || isnan(pts[j]) ? NAN
                 : !wmean ? (j == worst_j ? worst : 0.0)
                          : ldexp(model->m[j].weight, e) * pts[j] / den;
    memcpy(points, pts, k * sizeof *tmp);
    memcpy(contributions, con, k * sizeof *tmp);
    *score = s;
    *band = b;
    free(tmp);
    return LIBCS_OK;
}

static int flags_for(int from, int to)
{
    static const int entered[4] = {LIBCS_HEALTH_BECAME_UNKNOWN,
                                   LIBCS_HEALTH_ENTERED_RED,
                                   LIBCS_HEALTH_ENTERED_YELLOW,
                                   LIBCS_HEALTH_ENTERED_GREEN};
    static const int left[4] = {LIBCS_HEALTH_BECAME_KNOWN, LIBCS_HEALTH_LEFT_RED,
                                LIBCS_HEALTH_LEFT_YELLOW,
                                LIBCS_HEALTH_LEFT_GREEN};
    return from == to ? 0 : entered[to] | left[from];
}

/* A score that is NaN (unknown) or in [0, 100]. */
static int check_score_or_unknown(double s)
{
    if (isnan(s))
        return LIBCS_OK;
    return check_points(s);
}

LIBCS_API int libcs_health_changes(const libcs_health_model *model, size_t n,
                                   const double *previous,
                                   const double *current, double *deltas,
                                   int *events, size_t *changed,
                                   size_t *bad_index)
{
    if (!model || !previous || !current || !deltas || !events || !changed)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    for (size_t i = 0; i < n; i++) {
        int rc = check_score_or_unknown(previous[i]);
        if (rc == LIBCS_OK)
            rc = check_score_or_unknown(current[i]);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        int from = band_of(model, previous[i]), to = band_of(model, current[i]);
        deltas[i] = current[i] - previous[i]; /* NaN when either is unknown */
        events[i] = flags_for(from, to);
        count += events[i] != 0;
    }
    *changed = count;
    return LIBCS_OK;
}
