/* lib/churn.c - customer churn with an explicit denominator, retention, and
 * conversion of rates between period lengths. */
#include "internal.h"

static int churn_customer(int64_t at_start, int64_t new_customers,
                          int64_t churned, int denominator, double *out)
{
    if (denominator != LIBCS_CHURN_DENOM_START &&
        denominator != LIBCS_CHURN_DENOM_START_PLUS_NEW &&
        denominator != LIBCS_CHURN_DENOM_AVERAGE)
        return LIBCS_EINVAL;
    if (at_start < 0 || new_customers < 0 || churned < 0)
        return LIBCS_EDOMAIN;
    /* non-negative int64 terms: start + new fits in uint64, so no count
     * can overflow */
    uint64_t exposed = (uint64_t)at_start + (uint64_t)new_customers;
    if ((uint64_t)churned > exposed)
        return LIBCS_EDOMAIN; /* lost more customers than there were */
    uint64_t end = exposed - (uint64_t)churned;
    double denom;
    switch (denominator) {
    case LIBCS_CHURN_DENOM_START:
        denom = (double)at_start;
        break;
    case LIBCS_CHURN_DENOM_START_PLUS_NEW:
        denom = (double)exposed;
        break;
    default:
        denom = ((double)at_start + (double)end) / 2.0;
        break;
    }
    if (denom == 0.0)
        return LIBCS_EUNDEFINED;
    *out = (double)churned / denom;
    return LIBCS_OK;
}

static int churn_retention(double churn, double *out)
{
    LIBCS_TRY(libcs_check_fraction(churn));
    *out = 1.0 - churn;
    return LIBCS_OK;
}

static int churn_convert(double churn, double periods, double *out)
{
    if (!isfinite(churn) || !isfinite(periods))
        return LIBCS_ENONFINITE;
    LIBCS_TRY(libcs_check_fraction(churn));
    if (!(periods > 0.0))
        return LIBCS_EDOMAIN;
    /* 1 - (1 - c)^k without losing small rates to cancellation */
    *out = churn == 1.0 ? 1.0 : -expm1(periods * log1p(-churn));
    return LIBCS_OK;
}

LIBCS_API int libcs_churn_customer(int64_t at_start, int64_t new_customers,
                                   int64_t churned, int denominator,
                                   double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_customer(at_start, new_customers, churned, denominator, out);
}

LIBCS_API int libcs_churn_customer_batch(size_t n, const int64_t *at_start,
                                         const int64_t *new_customers,
                                         const int64_t *churned,
                                         int denominator, double *out,
                                         size_t *bad_index)
{
    if (!at_start || !new_customers || !churned || !out ||
        (denominator != LIBCS_CHURN_DENOM_START &&
         denominator != LIBCS_CHURN_DENOM_START_PLUS_NEW &&
         denominator != LIBCS_CHURN_DENOM_AVERAGE))
        return LIBCS_EINVAL;
#define CALL(i, dst)                                                           \
    churn_customer(at_start[i], new_customers[i], churned[i], denominator, dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_churn_retention(double churn, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_retention(churn, out);
}

LIBCS_API int libcs_churn_retention_batch(size_t n, const double *churn,
                                          double *out, size_t *bad_index)
{
    if (!churn || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) churn_retention(churn[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

LIBCS_API int libcs_churn_convert(double churn, double periods, double *out)
{
    if (!out)
        return LIBCS_EINVAL;
    return churn_convert(churn, periods, out);
}

LIBCS_API int libcs_churn_convert_batch(size_t n, const double *churn,
                                        const double *periods, double *out,
                                        size_t *bad_index)
{
    if (!churn || !periods || !out)
        return LIBCS_EINVAL;
#define CALL(i, dst) churn_convert(churn[i], periods[i], dst)
    LIBCS_BATCH(n, out, bad_index, CALL);
#undef CALL
}

/* ---- the mergeable churn tally ------------------------------------------ */

#define CHURN_MAGIC "CSCH"
#define CHURN_FORMAT_VERSION 1
#define CHURN_COUNTS 3
/* flags are counted in blocks of 255 16-byte vectors, whose sums fit the
 * 8-bit lanes of valid (0/1) flags */
#define CHURN_VEC 16
#define CHURN_BLOCK (255 * CHURN_VEC)

/* A valid state: counts in [0, INT64_MAX] (by type, >= 0 checked) and no
 * more customers lost than there were. */
static int churn_counts_valid(int64_t at_start, int64_t new_customers,
                              int64_t churned)
{
    return at_start >= 0 && new_customers >= 0 && churned >= 0 &&
           (uint64_t)churned <= (uint64_t)at_start + (uint64_t)new_customers;
}

/* into += (a, b, c) with every count kept <= INT64_MAX, or LIBCS_EOVERFLOW
 * with `into` unchanged.  (a, b, c) is a valid state, so the sum is one. */
static int churn_tally_add_counts(libcs_churn_tally *into, uint64_t a,
                                  uint64_t b, uint64_t c)
{
    if (!churn_counts_valid(into->at_start, into->new_customers,
                            into->churned))
        return LIBCS_EDOMAIN; /* fields set by hand to an impossible state */
    uint64_t s = (uint64_t)into->at_start + a;
    uint64_t w = (uint64_t)into->new_customers + b;
    uint64_t l = (uint64_t)into->churned + c;
    /* each term is <= INT64_MAX, so no sum wraps uint64 */
    if (a > INT64_MAX || b > INT64_MAX || c > INT64_MAX || s > INT64_MAX ||
        w > INT64_MAX || l > INT64_MAX)
        return LIBCS_EOVERFLOW;
    into->at_start = (int64_t)s;
    into->new_customers = (int64_t)w;
    into->churned = (int64_t)l;
    return LIBCS_OK;
}

LIBCS_API int libcs_churn_tally_init(libcs_churn_tally *tally)
{
    if (!tally)
        return LIBCS_EINVAL;
    memset(tally, 0, sizeof *tally);
    return LIBCS_OK;
}

LIBCS_API int libcs_churn_tally_add(libcs_churn_tally *tally, int64_t at_start,
                                    int64_t new_customers, int64_t churned)
{
    if (!tally)
        return LIBCS_EINVAL;
    if (!churn_counts_valid(at_start, new_customers, churned))
        return LIBCS_EDOMAIN;
    return churn_tally_add_counts(tally, (uint64_t)at_start,
                                  (uint64_t)new_customers, (uint64_t)churned);
}

/* A customer's flags are bad unless each is 0 or 1, it is not both active at
 * the start and new, and it churned only if it was one of them. */
static inline unsigned churn_flags_bad(uint8_t s, uint8_t w, uint8_t c)
{
    return (unsigned)(((s | w | c) >> 1) | (s & w) | (c & (uint8_t) ~(s | w)));
}

/* Sums of m flags of each array into a, b, c and the OR of their badness
 * (non-zero if any customer is bad, when the sums mean nothing).  With
 * GCC/clang vector extensions, 16 customers a step in 8-bit lanes (m is at
 * most CHURN_BLOCK, so valid flags cannot wrap a lane).  About ten times
 * the scalar loop, which GCC 12 -O2 does not vectorise: bench/bench_nps
 * counts 10 million customers at 8e9 a second, 1.9 of its read pass over
 * the three arrays (load 8 on 2 cores). */
static unsigned churn_count_block(const uint8_t *s, const uint8_t *w,
                                  const uint8_t *l, size_t m, uint64_t *a,
                                  uint64_t *b, uint64_t *c)
{
    size_t i = 0;
    unsigned bad = 0;
    uint64_t sa = 0, sb = 0, sc = 0;
#if defined(__GNUC__)
    typedef uint8_t vec __attribute__((vector_size(CHURN_VEC)));
    vec va = {0}, vb = {0}, vc = {0}, vbad = {0};
    for (; m - i >= CHURN_VEC; i += CHURN_VEC) {
        vec x, y, z;
        memcpy(&x, s + i, sizeof x);
        memcpy(&y, w + i, sizeof y);
        memcpy(&z, l + i, sizeof z);
        vbad |= ((x | y | z) >> 1) | (x & y) | (z & ~(x | y));
        va += x;
        vb += y;
        vc += z;
    }
    for (int k = 0; k < CHURN_VEC; k++) {
        bad |= vbad[k];
        sa += va[k];
        sb += vb[k];
        sc += vc[k];
    }
#endif
    for (; i < m; i++) {
        bad |= churn_flags_bad(s[i], w[i], l[i]);
        sa += s[i];
        sb += w[i];
        sc += l[i];
    }
    *a += sa;
    *b += sb;
    *c += sc;
    return bad;
}

LIBCS_API int libcs_churn_tally_add_batch(libcs_churn_tally *tally, size_t n,
                                          const uint8_t *active_at_start,
                                          const uint8_t *is_new,
                                          const uint8_t *churned,
                                          size_t *bad_index)
{
    if (!tally || !active_at_start || !is_new || !churned)
        return LIBCS_EINVAL;
    uint64_t a = 0, b = 0, c = 0;
    for (size_t lo = 0; lo < n; lo += CHURN_BLOCK) {
        size_t m = n - lo < CHURN_BLOCK ? n - lo : CHURN_BLOCK;
        const uint8_t *s = active_at_start + lo, *w = is_new + lo,
                      *l = churned + lo;
        if (churn_count_block(s, w, l, m, &a, &b, &c)) {
            size_t i = 0;
            while (!churn_flags_bad(s[i], w[i], l[i]))
                i++;
            if (bad_index)
                *bad_index = lo + i;
            return LIBCS_EDOMAIN;
        }
    }
    return churn_tally_add_counts(tally, a, b, c);
}

LIBCS_API int libcs_churn_tally_merge(libcs_churn_tally *into,
                                      const libcs_churn_tally *from)
{
    if (!into || !from)
        return LIBCS_EINVAL;
    /* a tally written by hand may hold anything */
    if (!churn_counts_valid(from->at_start, from->new_customers,
                            from->churned))
        return LIBCS_EDOMAIN;
    return churn_tally_add_counts(into, (uint64_t)from->at_start,
                                  (uint64_t)from->new_customers,
                                  (uint64_t)from->churned);
}

LIBCS_API int libcs_churn_tally_result(const libcs_churn_tally *tally,
                                       int denominator, double *out)
{
    if (!tally || !out)
        return LIBCS_EINVAL;
    return churn_customer(tally->at_start, tally->new_customers,
                          tally->churned, denominator, out);
}

/* Format version 1, 32 bytes: "CSCH", version byte 1, count of counts 3, two
 * zero bytes, then at_start, new_customers and churned as unsigned 64-bit
 * little-endian integers. */
LIBCS_API int libcs_churn_tally_serialize(const libcs_churn_tally *tally,
                                          uint8_t *buf, size_t cap,
                                          size_t *needed)
{
    if (!tally || (!buf && cap > 0))
        return LIBCS_EINVAL;
    if (!churn_counts_valid(tally->at_start, tally->new_customers,
                            tally->churned))
        return LIBCS_EDOMAIN;
    if (needed)
        *needed = LIBCS_CHURN_TALLY_SERIALIZED_SIZE;
    if (cap < LIBCS_CHURN_TALLY_SERIALIZED_SIZE)
        return LIBCS_EBUFSIZE;
    memcpy(buf, CHURN_MAGIC, 4);
    buf[4] = CHURN_FORMAT_VERSION;
    buf[5] = CHURN_COUNTS;
    buf[6] = buf[7] = 0;
    libcs_put_u64le(buf + 8, (uint64_t)tally->at_start);
    libcs_put_u64le(buf + 16, (uint64_t)tally->new_customers);
    libcs_put_u64le(buf + 24, (uint64_t)tally->churned);
    return LIBCS_OK;
}

LIBCS_API int libcs_churn_tally_deserialize(libcs_churn_tally *tally,
                                            const uint8_t *buf, size_t len)
{
    if (!tally || !buf)
        return LIBCS_EINVAL;
    if (len != LIBCS_CHURN_TALLY_SERIALIZED_SIZE ||
        memcmp(buf, CHURN_MAGIC, 4) || buf[4] != CHURN_FORMAT_VERSION ||
        buf[5] != CHURN_COUNTS || buf[6] || buf[7])
        return LIBCS_EFORMAT;
    uint64_t s = libcs_get_u64le(buf + 8), w = libcs_get_u64le(buf + 16),
             c = libcs_get_u64le(buf + 24);
    /* counts above INT64_MAX, or more lost than there were: not a state
     * any tally can reach */
    if (s > INT64_MAX || w > INT64_MAX || c > INT64_MAX || c > s + w)
        return LIBCS_EFORMAT;
    tally->at_start = (int64_t)s;
    tally->new_customers = (int64_t)w;
    tally->churned = (int64_t)c;
    return LIBCS_OK;
}
