/* lib/nps.c - Net Promoter Score: the mergeable tally of 0..10 scores, its
 * fast batch counter, the result with Wald and adjusted-Wald intervals, and
 * the tally's versioned, endian-independent serialization. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NPS_BINS 11
#define NPS_MAGIC "CSNP"
#define NPS_FORMAT_VERSION 1

LIBCS_API int libcs_nps_category(int score, int *category)
{
    if (!category)
        return LIBCS_EINVAL;
    if (score < 0 || score > 10)
        return LIBCS_EDOMAIN;
    *category = score >= 9   ? LIBCS_NPS_PROMOTER
                : score >= 7 ? LIBCS_NPS_PASSIVE
                             : LIBCS_NPS_DETRACTOR;
    return LIBCS_OK;
}

LIBCS_API int libcs_nps_tally_init(libcs_nps_tally *tally)
{
    if (!tally)
        return LIBCS_EINVAL;
    memset(tally, 0, sizeof *tally);
    return LIBCS_OK;
}

LIBCS_API int libcs_nps_tally_add(libcs_nps_tally *tally, int score)
{
    if (!tally)
        return LIBCS_EINVAL;
    if (score < 0 || score > 10)
        return LIBCS_EDOMAIN;
    if (tally->counts[score] == UINT64_MAX)
        return LIBCS_EOVERFLOW;
    tally->counts[score]++;
    return LIBCS_OK;
}

/* Index of the first score above 10 in s[0..n), which must hold one. */
static size_t first_bad(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] <= 10)
        i++;
    return i;
}

/* Counting with byte-wide vector compares (GCC/clang vector extensions):
 * each lane keeps an 8-bit count per score that cannot wrap within a block of
 * 255 vectors; the counts of score 10 follow from the block length.  Lanes
 * holding a score above 10 are OR-ed into one mask checked once per block.
 * The block counter is generated for 16-byte vectors (any target) and, on
 * x86-64, for 32-byte AVX2 vectors chosen at run time: 16-byte code runs at
 * about 0.5 of a memory-read pass, AVX2 at about 0.8 (bench/bench_nps). */
#if defined(__GNUC__)
#define NPS_COUNT_BLOCK(name, width, attr)                                     \
    typedef uint8_t name##_vec __attribute__((vector_size(width)));            \
    attr static int name(const uint8_t *s, size_t nvec, uint64_t *counts)      \
    {                                                                          \
        name##_vec acc[NPS_BINS - 1], bad = {0};                               \
        memset(acc, 0, sizeof acc);                                            \
        for (size_t k = 0; k < nvec; k++) {                                    \
            name##_vec x;                                                      \
            memcpy(&x, s + (width) * k, sizeof x);                             \
            bad |= (name##_vec)(x > 10);                                       \
            _Pragma("GCC unroll 16") for (int v = 0; v < NPS_BINS - 1; v++)    \
                acc[v] -= (name##_vec)(x == (uint8_t)v);                       \
        }                                                                      \
        uint8_t any_bad = 0;                                                   \
        for (int l = 0; l < (width); l++)                                      \
            any_bad |= bad[l];                                                 \
        if (any_bad)                                                           \
            return LIBCS_EDOMAIN;                                              \
        uint64_t seen = 0;                                                     \
        for (int v = 0; v < NPS_BINS - 1; v++) {                               \
            uint64_t c = 0;                                                    \
            for (int l = 0; l < (width); l++)                                  \
                c += acc[v][l];                                                \
            counts[v] += c;                                                    \
            seen += c;                                                         \
        }                                                                      \
        counts[10] += (uint64_t)(width)*nvec - seen;                           \
        return LIBCS_OK;                                                       \
    }

NPS_COUNT_BLOCK(count_block16, 16, )
#if defined(__x86_64__)
#define NPS_HAVE_AVX2 1
NPS_COUNT_BLOCK(count_block32, 32, __attribute__((target("avx2"))))
#endif

typedef int (*count_block_fn)(const uint8_t *, size_t, uint64_t *);
#endif /* __GNUC__ */

/* Count scores into local[], or report the first bad index. */
static int count_scores(const uint8_t *s, size_t n, uint64_t *local,
                        size_t *bad_index)
{
    size_t i = 0;
#if defined(__GNUC__)
    count_block_fn block = count_block16;
    size_t width = 16;
#if defined(NPS_HAVE_AVX2)
    /* LIBCS_NO_AVX2 in the environment forces the 16-byte path, so that
     * the tests cover it on AVX2 machines too (tests/nps_generic.sh) */
    if (__builtin_cpu_supports("avx2") && !getenv("LIBCS_NO_AVX2")) {
        block = count_block32;
        width = 32;
    }
#endif
    while (n - i >= width) {
        size_t nvec = (n - i) / width;
        if (nvec > 255)
            nvec = 255;
        if (block(s + i, nvec, local) != LIBCS_OK) {
            if (bad_index)
                *bad_index = i + first_bad(s + i, width * nvec);
            return LIBCS_EDOMAIN;
        }
        i += width * nvec;
    }
#endif
    for (; i < n; i++) {
        if (s[i] > 10) {
            if (bad_index)
                *bad_index = i;
            return LIBCS_EDOMAIN;
        }
        local[s[i]]++;
    }
    return LIBCS_OK;
}

/* into += from, bin by bin, or LIBCS_EOVERFLOW with `into` unchanged. */
static int add_counts(uint64_t *into, const uint64_t *from)
{
    uint64_t sum[NPS_BINS];
    for (int v = 0; v < NPS_BINS; v++)
        if (__builtin_add_overflow(into[v], from[v], &sum[v]))
            return LIBCS_EOVERFLOW;
    memcpy(into, sum, sizeof sum);
    return LIBCS_OK;
}

LIBCS_API int libcs_nps_tally_add_batch(libcs_nps_tally *tally, size_t n,
                                        const uint8_t *scores,
                                        size_t *bad_index)
{
    uint64_t local[NPS_BINS] = {0};
    if (!tally || !scores)
        return LIBCS_EINVAL;
    LIBCS_TRY(count_scores(scores, n, local, bad_index));
    return add_counts(tally->counts, local);
}

LIBCS_API int libcs_nps_tally_merge(libcs_nps_tally *into,
                                    const libcs_nps_tally *from)
{
    if (!into || !from)
        return LIBCS_EINVAL;
    return add_counts(into->counts, from->counts);
}

/* NPS, its standard error, and a z-interval, all on -100..100, from the
 * promoter and detractor counts out of n (which may be fractional for the
 * adjusted Wald form). */
static void nps_interval(double p_count, double d_count, double n, double z,
                         double *nps, double *se, double *lo, double *hi)
{
    double p = p_count / n, d = d_count / n, diff = p - d;
    double var = fmax(p + d - diff * diff, 0.0);
    *nps = 100.0 * diff;
    *se = 100.0 * sqrt(var / n);
    *lo = fmax(*nps - z * *se, -100.0);
    *hi = fmin(*nps + z * *se, 100.0);
}

/* The confidence level of an interval: finite, strictly between 0 and 1. */
static int check_level(double level)
{
    if (!isfinite(level))
        return LIBCS_ENONFINITE;
    return level > 0.0 && level < 1.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

static int nps_result(uint64_t promoters, uint64_t passives,
                      uint64_t detractors, double level, libcs_nps_result *out)
{
    uint64_t n;
    LIBCS_TRY(check_level(level));
    if (__builtin_add_overflow(promoters, passives, &n) ||
        __builtin_add_overflow(n, detractors, &n))
        return LIBCS_EOVERFLOW;
    if (n == 0)
        return LIBCS_EEMPTY;

    libcs_nps_result r;
    double z = libcs__normal_quantile(0.5 + level / 2.0), dn = (double)n;
    r.n = n;
    r.promoters = promoters;
    r.passives = passives;
    r.detractors = detractors;
    r.promoter_share = (double)promoters / dn;
    r.passive_share = (double)passives / dn;
    r.detractor_share = (double)detractors / dn;
    r.level = level;
    nps_interval((double)promoters, (double)detractors, dn, z, &r.nps, &r.se,
                 &r.wald_low, &r.wald_high);
    /* Adjusted Wald (Rocks 2016): three pseudo-answers, 3/4 of one each to
     * promoters and detractors and the rest to passives. */
    double adj_se;
    nps_interval((double)promoters + 0.75, (double)detractors + 0.75,
                 dn + 3.0, z, &r.adjusted_nps, &adj_se, &r.adjusted_low,
                 &r.adjusted_high);
    *out = r;
    return LIBCS_OK;
}

LIBCS_API int libcs_nps_tally_result(const libcs_nps_tally *tally,
                                     double level, libcs_nps_result *out)
{
    if (!tally || !out)
        return LIBCS_EINVAL;
    LIBCS_TRY(check_level(level));
    const uint64_t *c = tally->counts;
    uint64_t det = 0, pas, pro;
    for (int v = 0; v <= 6; v++)
        if (__builtin_add_overflow(det, c[v], &det))
            return LIBCS_EOVERFLOW;
    if (__builtin_add_overflow(c[7], c[8], &pas) ||
        __builtin_add_overflow(c[9], c[10], &pro))
        return LIBCS_EOVERFLOW;
    return nps_result(pro, pas, det, level, out);
}

LIBCS_API int libcs_nps_from_counts(uint64_t promoters, uint64_t passives,
                                    uint64_t detractors, double level,
                                    libcs_nps_result *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return nps_result(promoters, passives, detractors, level, out);
}

LIBCS_API int libcs_nps_from_scores(size_t n, const uint8_t *scores,
                                    double level, libcs_nps_result *out,
                                    size_t *bad_index)
{
    libcs_nps_tally t;
    if (!scores || !out)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    LIBCS_TRY(check_level(level));
    libcs_nps_tally_init(&t);
    LIBCS_TRY(count_scores(scores, n, t.counts, bad_index));
    return libcs_nps_tally_result(&t, level, out);
}

/* Format version 1, 96 bytes: "CSNP", version byte 1, bin count 11, two zero
 * bytes, then the 11 counts as unsigned 64-bit little-endian integers. */
LIBCS_API int libcs_nps_tally_serialize(const libcs_nps_tally *tally,
                                        uint8_t *buf, size_t cap,
                                        size_t *needed)
{
    if (!tally || (!buf && cap > 0))
        return LIBCS_EINVAL;
    if (needed)
        *needed = LIBCS_NPS_TALLY_SERIALIZED_SIZE;
    if (cap < LIBCS_NPS_TALLY_SERIALIZED_SIZE)
        return LIBCS_EBUFSIZE;
    memcpy(buf, NPS_MAGIC, 4);
    buf[4] = NPS_FORMAT_VERSION;
    buf[5] = NPS_BINS;
    buf[6] = buf[7] = 0;
    for (int v = 0; v < NPS_BINS; v++)
        libcs_put_u64le(buf + 8 + 8 * v, tally->counts[v]);
    return LIBCS_OK;
}

LIBCS_API int libcs_nps_tally_deserialize(libcs_nps_tally *tally,
                                          const uint8_t *buf, size_t len)
{
    if (!tally || !buf)
        return LIBCS_EINVAL;
    if (len != LIBCS_NPS_TALLY_SERIALIZED_SIZE || memcmp(buf, NPS_MAGIC, 4) ||
        buf[4] != NPS_FORMAT_VERSION || buf[5] != NPS_BINS || buf[6] ||
        buf[7])
        return LIBCS_EFORMAT;
    for (int v = 0; v < NPS_BINS; v++)
        tally->counts[v] = libcs_get_u64le(buf + 8 + 8 * v);
    return LIBCS_OK;
}
