/* lib/touch.c - touch-model segmentation: high-, low- and tech-touch tiers by
 * value thresholds, by shares of customers, or by CSM capacity.  Shares and
 * capacity rank customers by (priority descending, index ascending) and find
 * the cut with a linear-time radix selection, never a sort. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* An unsigned key whose order is the order of the doubles (-0 == +0). */
static inline uint64_t order_key(double p)
{
    uint64_t u;
    if (p == 0.0)
        p = 0.0;
    memcpy(&u, &p, sizeof u);
    return (u >> 63) ? ~u : (u | (UINT64_C(1) << 63));
}

/* The key of rank r (0 = largest) among keys[0..m), m > r.  MSB-first radix
 * selection on 8-bit digits: each round histograms the remaining keys, keeps
 * those in the bucket that holds rank r (compacting them in place) and
 * re-bases r.  At most 8 rounds, each linear in what remains. */
static uint64_t radix_select(uint64_t *keys, size_t m, size_t r)
{
    for (int shift = 56; shift >= 0 && m > 1; shift -= 8) {
        size_t hist[256] = {0};
        for (size_t i = 0; i < m; i++)
            hist[(keys[i] >> shift) & 0xff]++;
        size_t below = 0;
        int b = 255;
        for (; b > 0 && below + hist[b] <= r; b--)
            below += hist[b];
        r -= below;
        size_t kept = 0;
        for (size_t i = 0; i < m; i++)
            if (((keys[i] >> shift) & 0xff) == (uint64_t)b)
                keys[kept++] = keys[i];
        m = kept;
    }
    return keys[0];
}

/* Inputs: values finite and >= 0, priorities finite. */
static int check_inputs(size_t n, const double *value, const double *priority,
                        size_t *bad_index)
{
    for (size_t i = 0; i < n; i++) {
        int rc = !isfinite(value[i]) ? LIBCS_ENONFINITE
                 : value[i] < 0.0    ? LIBCS_EDOMAIN
                 : priority && !isfinite(priority[i]) ? LIBCS_ENONFINITE
                                                      : LIBCS_OK;
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    return LIBCS_OK;
}

/* Neumaier's compensated sum step */
static inline void sum_add(double *s, double *c, double x)
{
    double t = *s + x;
    *c += fabs(*s) >= fabs(x) ? (*s - t) + x : (x - t) + *s;
    *s = t;
}

static void summarize(size_t n, const double *value, const int *tiers,
                      libcs_touch_summary *out)
{
    libcs_touch_summary s;
    double sum[3] = {0}, comp[3] = {0};
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++) {
        s.customers[tiers[i]]++;
        sum_add(&sum[tiers[i]], &comp[tiers[i]], value[i]);
    }
    double total = 0.0, tc = 0.0;
    for (int t = 0; t < 3; t++) {
        s.value[t] = sum[t] + comp[t];
        sum_add(&total, &tc, s.value[t]);
    }
    total += tc;
    for (int t = 0; t < 3; t++) {
        s.customer_share[t] = (double)s.customers[t] / (double)n;
        s.value_share[t] = total > 0.0 ? s.value[t] / total : 0.0;
    }
    *out = s;
}

LIBCS_API int libcs_touch_summarize(size_t n, const double *value,
                                    const int *tiers,
                                    libcs_touch_summary *summary,
                                    size_t *bad_index)
{
    if (!value || !tiers || !summary)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_inputs(n, value, NULL, bad_index));
    for (size_t i = 0; i < n; i++)
        if (tiers[i] < LIBCS_TOUCH_TECH || tiers[i] > LIBCS_TOUCH_HIGH) {
            if (bad_index)
                *bad_index = i;
            return LIBCS_EDOMAIN;
        }
    summarize(n, value, tiers, summary);
    return LIBCS_OK;
}

LIBCS_API int libcs_touch_thresholds(size_t n, const double *value,
                                     double high_min, double low_min,
                                     int *tiers, libcs_touch_summary *summary,
                                     size_t *bad_index)
{
    if (!value || !tiers)
        return LIBCS_EINVAL;
    if (!isfinite(high_min) || !isfinite(low_min))
        return LIBCS_ENONFINITE;
    if (!(high_min >= low_min))
        return LIBCS_EDOMAIN;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_inputs(n, value, NULL, bad_index));
    for (size_t i = 0; i < n; i++)
        tiers[i] = value[i] >= high_min  ? LIBCS_TOUCH_HIGH
                   : value[i] >= low_min ? LIBCS_TOUCH_LOW
                                         : LIBCS_TOUCH_TECH;
    if (summary)
        summarize(n, value, tiers, summary);
    return LIBCS_OK;
}

/* The cut that puts exactly `take` customers first in (key desc, index asc)
 * order: every key above `key`, and the first `equal` keys equal to it. */
struct cut {
    uint64_t key;
    size_t equal;
    int all, none;
};

static void make_cut(uint64_t *scratch, const double *priority, size_t n,
                     size_t take, struct cut *c)
{
    c->none = take == 0;
    c->all = take >= n;
    if (c->none || c->all)
        return;
    for (size_t i = 0; i < n; i++)
        scratch[i] = order_key(priority[i]);
    c->key = radix_select(scratch, n, take - 1);
    size_t above = 0;
    for (size_t i = 0; i < n; i++)
        above += order_key(priority[i]) > c->key;
    c->equal = take - above;
}

static inline int in_cut(const struct cut *c, uint64_t k, size_t *equal_seen)
{
    if (c->all)
        return 1;
    if (c->none || k < c->key)
        return 0;
    if (k > c->key)
        return 1;
    return (*equal_seen)++ < c->equal;
}

/* Tiers from the top `high` and the next `low` customers by priority. */
static int rank_tiers(size_t n, const double *value, const double *priority,
                      size_t high, size_t low, int *tiers,
                      libcs_touch_summary *summary)
{
    struct cut hc, tc;
    uint64_t *scratch = malloc(n * sizeof *scratch);
    if (!scratch)
        return LIBCS_ENOMEM;
    const double *p = priority ? priority : value;
    make_cut(scratch, p, n, high, &hc);
    make_cut(scratch, p, n, high + low, &tc);
    free(scratch);
    size_t seen_h = 0, seen_t = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = order_key(p[i]);
        int top = in_cut(&tc, k, &seen_t), hi = in_cut(&hc, k, &seen_h);
        tiers[i] = hi ? LIBCS_TOUCH_HIGH : top ? LIBCS_TOUCH_LOW
                                               : LIBCS_TOUCH_TECH;
    }
    if (summary)
        summarize(n, value, tiers, summary);
    return LIBCS_OK;
}

/* round(x n) for x in [0, 1], halves up, never above n */
static size_t share_count(double x, size_t n)
{
    double c = floor(x * (double)n + 0.5);
    return c >= (double)n ? n : (size_t)c;
}

LIBCS_API int libcs_touch_shares(size_t n, const double *value,
                                 const double *priority, double high_share,
                                 double low_share, int *tiers,
                                 libcs_touch_summary *summary,
                                 size_t *bad_index)
{
    if (!value || !tiers)
        return LIBCS_EINVAL;
    if (!isfinite(high_share) || !isfinite(low_share))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_fraction(high_share));
    LIBCS_TRY(libcs_check_fraction(low_share));
    if (high_share + low_share > 1.0)
        return LIBCS_EDOMAIN;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_inputs(n, value, priority, bad_index));
    size_t high = share_count(high_share, n);
    size_t top = share_count(high_share + low_share, n);
    return rank_tiers(n, value, priority, high, top - high, tiers, summary);
}

LIBCS_API int libcs_touch_capacity(size_t n, const double *value,
                                   const double *priority, uint64_t csms,
                                   uint64_t accounts_per_csm,
                                   uint64_t low_capacity, int *tiers,
                                   libcs_touch_summary *summary,
                                   size_t *bad_index)
{
    uint64_t cap;
    if (!value || !tiers)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_inputs(n, value, priority, bad_index));
    if (__builtin_mul_overflow(csms, accounts_per_csm, &cap))
        cap = UINT64_MAX; /* more capacity than customers either way */
    size_t high = cap < (uint64_t)n ? (size_t)cap : n;
    size_t low = low_capacity < (uint64_t)(n - high) ? (size_t)low_capacity
                                                      : n - high;
    return rank_tiers(n, value, priority, high, low, tiers, summary);
}
