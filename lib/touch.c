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

/* The key of rank r (0 = largest) among keys[0..m), m > r, whose bits above
 * `shift + 8` are all equal; *above receives how many keys exceed it.
 * MSB-first radix selection on 8-bit digits: each round histograms the
 * remaining keys, keeps those in the bucket that holds rank r (compacting
 * them in place) and re-bases r.  Linear in m. */
static uint64_t radix_select(uint64_t *keys, size_t m, size_t r, int shift,
                             size_t *above)
{
    size_t higher = 0;
    for (; shift >= 0 && m > 1; shift -= 8) {
        size_t hist[256] = {0};
        for (size_t i = 0; i < m; i++)
            hist[(keys[i] >> shift) & 0xff]++;
        size_t skip = 0;
        int b = 255;
        for (; b > 0 && skip + hist[b] <= r; b--)
            skip += hist[b];
        r -= skip;
        higher += skip;
        size_t kept = 0;
        for (size_t i = 0; i < m; i++)
            if (((keys[i] >> shift) & 0xff) == (uint64_t)b)
                keys[kept++] = keys[i];
        m = kept;
    }
    *above = higher;
    return keys[0];
}

/* Inputs: values finite and >= 0, priorities finite, and the values' total
 * finite (LIBCS_EOVERFLOW otherwise, checked last), so that the summary's
 * sums cannot overflow once tiers are written. */
static int check_inputs(size_t n, const double *value, const double *priority,
                        size_t *bad_index)
{
    double total = 0.0;
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
        total += value[i];
    }
    return isfinite(total) ? LIBCS_OK : LIBCS_EOVERFLOW;
}

/* Neumaier's compensated sum step */
static inline void sum_add(double *s, double *c, double x)
{
    double t = *s + x;
    *c += fabs(*s) >= fabs(x) ? (*s - t) + x : (x - t) + *s;
    *s = t;
}

#define SUM_BLOCK 1024

/* Customers and value per tier.  Values are summed plainly within blocks of
 * 1024 (error below 1024 ulp of a block) and the block sums compensated, so
 * the total keeps nearly full precision at the speed of a plain sum. */
static void summarize(size_t n, const double *value, const int *tiers,
                      libcs_touch_summary *out)
{
    libcs_touch_summary s;
    double sum[3] = {0}, comp[3] = {0};
    memset(&s, 0, sizeof s);
    for (size_t i0 = 0; i0 < n; i0 += SUM_BLOCK) {
        size_t i1 = n - i0 < SUM_BLOCK ? n : i0 + SUM_BLOCK;
        double block[3] = {0, 0, 0};
        uint64_t cnt[3] = {0, 0, 0};
        for (size_t i = i0; i < i1; i++) {
            block[tiers[i]] += value[i];
            cnt[tiers[i]]++;
        }
        for (int t = 0; t < 3; t++) {
            sum_add(&sum[t], &comp[t], block[t]);
            s.customers[t] += cnt[t];
        }
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
    if (n == 0)
        return LIBCS_EEMPTY;
    if (!isfinite(high_min) || !isfinite(low_min))
        return LIBCS_ENONFINITE;
    if (!(high_min >= low_min))
        return LIBCS_EDOMAIN;
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
 * order: every key above `key`, and the first `equal` keys equal to it.  A
 * cut of 0 customers has key UINT64_MAX and equal 0 (no key is above it);
 * a cut of all n has key 0 and equal n. */
struct cut {
    uint64_t key;
    size_t equal;
};

#define TOP_BITS 16
#define SMALL_N 2048 /* at most this many customers: select on a copy */
#define TOP(k) ((size_t)((k) >> (64 - TOP_BITS)))

/* Both cuts from one histogram of the keys' top 16 bits: find the bucket of
 * each cut's last rank, gather that bucket's keys and finish the selection
 * on them alone (usually a tiny fraction of n).  Keys are recomputed from
 * the priorities in each pass rather than stored: no n-sized scratch. */
static int make_cuts(const double *p, size_t n, const size_t take[2],
                     struct cut cut[2])
{
    if (n <= SMALL_N) {
        /* a 512 KiB histogram would cost more than the whole selection */
        uint64_t keys[SMALL_N];
        for (int c = 0; c < 2; c++) {
            if (take[c] == 0 || take[c] >= n) {
                cut[c].key = take[c] == 0 ? UINT64_MAX : 0;
                cut[c].equal = take[c] == 0 ? 0 : n;
                continue;
            }
            size_t above;
            for (size_t i = 0; i < n; i++)
                keys[i] = order_key(p[i]);
            cut[c].key = radix_select(keys, n, take[c] - 1, 56, &above);
            cut[c].equal = take[c] - above;
        }
        return LIBCS_OK;
    }
    size_t *hist = calloc((size_t)1 << TOP_BITS, sizeof *hist);
    if (!hist)
        return LIBCS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        hist[TOP(order_key(p[i]))]++;
    size_t bucket[2] = {SIZE_MAX, SIZE_MAX}, higher[2] = {0, 0}, size[2];
    for (int c = 0; c < 2; c++) {
        if (take[c] == 0 || take[c] >= n) {
            cut[c].key = take[c] == 0 ? UINT64_MAX : 0;
            cut[c].equal = take[c] == 0 ? 0 : n;
            continue;
        }
        size_t above = 0, b = ((size_t)1 << TOP_BITS) - 1;
        for (; b > 0 && above + hist[b] <= take[c] - 1; b--)
            above += hist[b];
        bucket[c] = b;
        higher[c] = above;
        size[c] = hist[b];
    }
    free(hist);
    int rc = LIBCS_OK;
    for (int c = 0; c < 2 && rc == LIBCS_OK; c++) {
        if (bucket[c] == SIZE_MAX)
            continue;
        uint64_t *cand = malloc(size[c] * sizeof *cand);
        if (!cand) {
            rc = LIBCS_ENOMEM;
            break;
        }
        size_t m = 0, above_in;
        for (size_t i = 0; i < n; i++) {
            uint64_t k = order_key(p[i]);
            if (TOP(k) == bucket[c])
                cand[m++] = k;
        }
        cut[c].key = radix_select(cand, m, take[c] - 1 - higher[c],
                                  64 - TOP_BITS - 8, &above_in);
        cut[c].equal = take[c] - higher[c] - above_in;
        free(cand);
    }
    return rc;
}

/* Whether key k (the next in index order) falls inside the cut. */
static inline int in_cut(const struct cut *c, uint64_t k, size_t *equal_seen)
{
    if (k != c->key)
        return k > c->key;
    return (*equal_seen)++ < c->equal;
}

/* Tiers from the top `high` and the next `low` customers by priority. */
static int rank_tiers(size_t n, const double *value, const double *priority,
                      size_t high, size_t low, int *tiers,
                      libcs_touch_summary *summary)
{
    struct cut cut[2];
    const size_t take[2] = {high, high + low};
    const double *p = priority ? priority : value;
    LIBCS_TRY(make_cuts(p, n, take, cut));
    size_t seen_h = 0, seen_t = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = order_key(p[i]);
        /* tech = 0, low = 1, high = 2: one for each cut the key is in */
        tiers[i] = in_cut(&cut[0], k, &seen_h) + in_cut(&cut[1], k, &seen_t);
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
    if (n == 0)
        return LIBCS_EEMPTY;
    if (!isfinite(high_share) || !isfinite(low_share))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_fraction(high_share));
    LIBCS_TRY(libcs_check_fraction(low_share));
    if (high_share + low_share > 1.0)
        return LIBCS_EDOMAIN;
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
