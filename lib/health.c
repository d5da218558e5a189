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
    /* scores use weight shares, so that neither huge nor subnormal weights
     * overflow or lose precision in weight x points */
    for (size_t j = 0; j < m->k; j++)
        m->m[j].share = m->m[j].weight / total;
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
    double scale = 100.0 / (good - bad);
    if (!isfinite(scale) || scale == 0.0)
        return LIBCS_EDOMAIN; /* thresholds too close or too far apart */
    struct health_measure meas = {.rule = HEALTH_RULE_LINEAR,
                                  .bad = bad,
                                  .good = good,
                                  .scale = scale,
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

/* The points of a present, valid value.  Written without data-dependent
 * branches (the ternaries become min/max/blend instructions), since health
 * inputs are as unpredictable as customers. */
static inline double measure_points(const struct health_measure *me, double v)
{
    switch (me->rule) {
    case HEALTH_RULE_LINEAR: {
        double x = (v - me->bad) * me->scale;
        x = x < 0.0 ? 0.0 : x;
        return x > 100.0 ? 100.0 : x;
    }
    case HEALTH_RULE_TIERS: {
        size_t nb = me->n_tiers - 1, i = 0;
        for (size_t b = 0; b < nb; b++)
            i += v >= me->tiers[b];
        return me->tiers[nb + i];
    }
    default:
        return v != 0.0 ? me->good : me->bad;
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

/* Score one valid row.  points/contrib (both or neither) receive the
 * explanation. */
static void score_row(const libcs_health_model *m, const double *values,
                      double *score, double *coverage, double *points,
                      double *contrib)
{
    double present = 0.0, present_w = 0.0, acc = 0.0, worst = INFINITY;
    const int drop = m->missing == LIBCS_HEALTH_MISSING_DROP;
    for (size_t j = 0; j < m->k; j++) {
        const struct health_measure *me = &m->m[j];
        double v = values[j], p;
        if (isnan(v)) {
            if (drop) {
                if (points)
                    points[j] = NAN;
                continue;
            }
            p = me->worst;
        } else {
            p = measure_points(me, v);
            present += me->share;
            present_w += me->weight;
        }
        if (points)
            points[j] = p;
        acc += me->share * p;
        worst = p < worst ? p : worst;
    }
    /* coverage from the weights themselves: exact for whole-number weights
     * (30 + 20 + 10 of 60 is 1, where the shares' sum may not be) */
    double cov = present_w / m->weight_sum;
    /* a slack of 1e-12 keeps shares like 0.3 + 0.2 at 0.5 */
    int known = present > 0.0 && cov >= m->min_coverage - 1e-12;
    double denom = drop ? present : 1.0, s;
    if (!known)
        s = NAN;
    else if (m->aggregation == LIBCS_HEALTH_WORST_OF)
        s = worst;
    else {
        s = acc / denom;
        s = s < 0.0 ? 0.0 : s > 100.0 ? 100.0 : s;
    }
    if (contrib) {
        size_t worst_j = 0; /* the first measure with the lowest points */
        while (worst_j < m->k && points[worst_j] != worst)
            worst_j++;
        for (size_t j = 0; j < m->k; j++)
            contrib[j] = !known || isnan(points[j]) ? NAN
                         : m->aggregation == LIBCS_HEALTH_WORST_OF
                             ? (j == worst_j ? worst : 0.0)
                             : m->m[j].share * points[j] / denom;
    }
    *score = s;
    *coverage = cov;
}

LIBCS_API int libcs_health_score(const libcs_health_model *model,
                                 const double *values, double *score,
                                 int *band, double *coverage)
{
    double s, cov;
    size_t col;
    if (!model || !values || !score || !band)
        return LIBCS_EINVAL;
    if (model->k == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_row(model, values, &col));
    score_row(model, values, &s, &cov, NULL, NULL);
    *score = s;
    *band = band_of(model, s);
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
    for (size_t i = 0; i < n; i++) {
        size_t col;
        int rc = check_row(model, values + i * k, &col);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i * k + col;
            return rc;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double s, cov;
        score_row(model, values + i * k, &s, &cov, NULL, NULL);
        scores[i] = s;
        bands[i] = band_of(model, s);
        if (coverage)
            coverage[i] = cov;
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
    size_t k = model->k, col;
    double s, cov;
    LIBCS_TRY(check_row(model, values, &col));
    double *tmp = malloc(2 * k * sizeof *tmp);
    if (!tmp)
        return LIBCS_ENOMEM;
    int rc = LIBCS_OK;
    {
        score_row(model, values, &s, &cov, tmp, tmp + k);
        memcpy(points, tmp, k * sizeof *tmp);
        memcpy(contributions, tmp + k, k * sizeof *tmp);
        *score = s;
        *band = band_of(model, s);
    }
    free(tmp);
    return rc;
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
