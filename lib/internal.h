/* lib/internal.h - helpers shared by the library's sources; not installed.
 * Every public function validates in the same order: NULL pointers
 * (LIBCS_EINVAL), then non-finite input (LIBCS_ENONFINITE), then domains
 * (LIBCS_EDOMAIN), then undefined results (LIBCS_EUNDEFINED), then results
 * too large for a double (LIBCS_EOVERFLOW). */
#ifndef LIBCS_INTERNAL_H
#define LIBCS_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libcs.h"

#if defined(__GNUC__)
#define LIBCS_LIKELY(x) __builtin_expect(!!(x), 1)
#define LIBCS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIBCS_LIKELY(x) (x)
#define LIBCS_UNLIKELY(x) (x)
#endif

/* Finite result or LIBCS_EOVERFLOW; the result is stored only when finite. */
static inline int libcs_store_finite(double r, double *out)
{
    if (!isfinite(r))
        return LIBCS_EOVERFLOW;
    *out = r;
    return LIBCS_OK;
}

/* A fraction in [0, 1]. */
static inline int libcs_check_fraction(double x)
{
    if (!isfinite(x))
        return LIBCS_ENONFINITE;
    return (x >= 0.0 && x <= 1.0) ? LIBCS_OK : LIBCS_EDOMAIN;
}

/* A finite, non-negative quantity (money, counts, durations). */
static inline int libcs_check_nonneg(double x)
{
    if (!isfinite(x))
        return LIBCS_ENONFINITE;
    return x >= 0.0 ? LIBCS_OK : LIBCS_EDOMAIN;
}

#define LIBCS_TRY(expr)                                                        \
    do {                                                                       \
        int libcs_rc_ = (expr);                                                \
        if (libcs_rc_ != LIBCS_OK)                                             \
            return libcs_rc_;                                                  \
    } while (0)

/* The body of every batch function.  CALL(i, dst) evaluates the scalar
 * function for element i, writing to dst.  The first pass validates every
 * element (and that each result is finite) without writing, so that `out` is
 * untouched on error; the second pass writes. */
#define LIBCS_BATCH(n, out, bad_index, CALL)                                   \
    do {                                                                       \
        if ((n) == 0)                                                          \
            return LIBCS_EEMPTY;                                               \
        for (size_t i_ = 0; i_ < (n); i_++) {                                  \
            double tmp_;                                                       \
            int rc_ = CALL(i_, &tmp_);                                         \
            if (rc_ != LIBCS_OK) {                                             \
                if (bad_index)                                                 \
                    *(bad_index) = i_;                                         \
                return rc_;                                                    \
            }                                                                  \
        }                                                                      \
        for (size_t i_ = 0; i_ < (n); i_++)                                    \
            (void)CALL(i_, &(out)[i_]);                                        \
        return LIBCS_OK;                                                       \
    } while (0)

/* The body of a batch function whose elements are costly (a series, an
 * integral, a sum over k): each element is computed once, into a scratch
 * array that is copied to out when every element has succeeded, instead
 * of twice as LIBCS_BATCH does.  LIBCS_ENOMEM, before any element, when
 * the scratch array cannot be had. */
#define LIBCS_BATCH_ONCE(n, out, bad_index, CALL)                              \
    do {                                                                       \
        if ((n) == 0)                                                          \
            return LIBCS_EEMPTY;                                               \
        double *res_ = (n) <= SIZE_MAX / sizeof(double)                        \
                           ? malloc((n) * sizeof(double))                      \
                           : NULL;                                             \
        if (!res_)                                                             \
            return LIBCS_ENOMEM;                                               \
        for (size_t i_ = 0; i_ < (n); i_++) {                                  \
            int rc_ = CALL(i_, &res_[i_]);                                     \
            if (rc_ != LIBCS_OK) {                                             \
                if (bad_index)                                                 \
                    *(bad_index) = i_;                                         \
                free(res_);                                                    \
                return rc_;                                                    \
            }                                                                  \
        }                                                                      \
        memcpy((out), res_, (n) * sizeof(double));                             \
        free(res_);                                                            \
        return LIBCS_OK;                                                       \
    } while (0)

/* Hash buckets of at most about `target` records (2048 by default: lib/
 * clvdata.c; lib/mrr.c's are larger) for grouping by customer id: the
 * number of bits of a bucket index for n records, and the bucket of a
 * customer id (a multiplicative hash's top bits). */
#define LIBCS_BUCKET_TARGET 2048

static inline int libcs_bucket_bits_for(size_t n, size_t target)
{
    int bits = 0;
    while (bits < 24 && (target << bits) < n)
        bits++;
    return bits;
}

static inline int libcs_bucket_bits(size_t n)
{
    return libcs_bucket_bits_for(n, LIBCS_BUCKET_TARGET);
}

static inline size_t libcs_bucket_of(uint64_t key, int bits)
{
    return bits ? (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits))
                : 0;
}

/* Define `static void name(T *a, size_t n, T *tmp)`, sorting a[0..n) by the
 * strict order before(const T *, const T *): insertion sort on runs of 16,
 * then bottom-up merges through tmp (n elements).  O(n log n) for any
 * input; the fallback of LIBCS_DEFINE_BUCKET_SORT. */
#define LIBCS_DEFINE_MERGE_SORT(name, T, before)                               \
    static void name(T *a, size_t n, T *tmp)                                   \
    {                                                                          \
        const size_t run = 16;                                                 \
        for (size_t lo = 0; lo < n; lo += run) {                               \
            size_t hi = n - lo < run ? n : lo + run;                           \
            for (size_t i = lo + 1; i < hi; i++) {                             \
                T x = a[i];                                                    \
                size_t j = i;                                                  \
                for (; j > lo && before(&x, &a[j - 1]); j--)                   \
                    a[j] = a[j - 1];                                           \
                a[j] = x;                                                      \
            }                                                                  \
        }                                                                      \
        T *src = a, *dst = tmp;                                                \
        for (size_t width = run; width < n; width *= 2) {                      \
            for (size_t lo = 0; lo < n; lo += 2 * width) {                     \
                size_t mid = n - lo < width ? n : lo + width;                  \
                size_t hi = n - lo < 2 * width ? n : lo + 2 * width;           \
                size_t i = lo, j = mid, k = lo;                                \
                while (i < mid && j < hi)                                      \
                    dst[k++] = before(&src[j], &src[i]) ? src[j++] : src[i++]; \
                while (i < mid)                                                \
                    dst[k++] = src[i++];                                       \
                while (j < hi)                                                 \
                    dst[k++] = src[j++];                                       \
            }                                                                  \
            T *t_ = src;                                                       \
            src = dst;                                                         \
            dst = t_;                                                          \
        }                                                                      \
        if (src != a)                                                          \
            memcpy(a, src, n * sizeof *a);                                     \
    }

/* Define `static T *name(T *a, size_t n, T *tmp, size_t *count, int shift,
 * uint64_t mparam, size_t nminor)`, sorting a[0..n) by the strict order
 * before(const T *, const T *) and returning where the sorted records are
 * (a or tmp, n elements each).  KEY(x) is a uint64_t whose bits below the
 * top `shift` (the ones that chose x's hash bucket) order the records
 * first: a hash of the customer id.  A stable counting split by the next
 * bits (about one slot a record, at most 2^LIBCS_SUB_BITS) leaves about one
 * customer per slot, so an insertion sort finishes in linear time when each
 * customer's records come in order.  When they do not (more than a few
 * moves a record in the first eighth) and there are at most n values of
 * MINOR(x, mparam), which orders each customer's records (the period), a
 * stable counting sort by it goes first (LSD), so that the insertion sort
 * only separates customers that share a slot.  The insertion sort's moves
 * are budgeted (n x log2 n); past that the bucket is merge-sorted, so a
 * bucket never costs more than O(n log n).  count holds max(nminor,
 * 2^LIBCS_SUB_BITS) + 1 elements (nminor counts only when at most n).
 * Stable. */
#define LIBCS_SUB_BITS 13
#define LIBCS_DEFINE_BUCKET_SORT(name, T, before, KEY, MINOR)                  \
    LIBCS_DEFINE_MERGE_SORT(name##_merge, T, before)                           \
    /* insertion of a[from..n) into the sorted a[0..from); 0 when it would     \
     * take more than budget moves (a is then a permutation) */               \
    static int name##_insert(T *a, size_t from, size_t n, size_t budget)       \
    {                                                                          \
        for (size_t i = from ? from : 1; i < n; i++) {                         \
            if (!before(&a[i], &a[i - 1]))                                     \
                continue;                                                      \
            T x = a[i];                                                        \
            size_t j = i;                                                      \
            do {                                                               \
                a[j] = a[j - 1];                                               \
                j--;                                                           \
            } while (j > 0 && before(&x, &a[j - 1]));                          \
            a[j] = x;                                                          \
            if (i - j > budget)                                                \
                return 0;                                                      \
            budget -= i - j;                                                   \
        }                                                                      \
        return 1;                                                              \
    }                                                                          \
    /* stable counting split of src[0..n) into dst by the sb hash bits      \
     * below the top `shift` (2^sb slots) */                                  \
    static void name##_by_slot(const T *src, T *dst, size_t n, size_t *count, \
                               int shift, int sb)                              \
    {                                                                          \
        const size_t ns = (size_t)1 << sb;                                     \
        memset(count, 0, (ns + 1) * sizeof *count);                            \
        for (size_t i = 0; i < n; i++)                                         \
            count[((KEY(&src[i]) << shift) >> (64 - sb)) + 1]++;               \
        for (size_t s = 0; s < ns; s++)                                        \
            count[s + 1] += count[s];                                          \
        for (size_t i = 0; i < n; i++)                                         \
            dst[count[(KEY(&src[i]) << shift) >> (64 - sb)]++] = src[i];       \
    }                                                                          \
    static T *name(T *a, size_t n, T *tmp, size_t *count, int shift,           \
                   uint64_t mparam, size_t nminor)                             \
    {                                                                          \
        if (n <= 16) {                                                         \
            if (!name##_insert(a, 0, n, 64))                                   \
                name##_merge(a, n, tmp);                                       \
            return a;                                                          \
        }                                                                      \
        int sb = 4;                                                            \
        while (sb < LIBCS_SUB_BITS && ((size_t)1 << sb) < n)                   \
            sb++;                                                              \
        const size_t budget = n * (size_t)sb;                                  \
        name##_by_slot(a, tmp, n, count, shift, sb);                           \
        /* an eighth; few moves: the rest (a still holds the records) */      \
        const size_t probe = n / 8;                                            \
        if (name##_insert(tmp, 0, probe, nminor && nminor <= n ? probe / 4     \
                                                               : budget) &&    \
            name##_insert(tmp, probe, n, budget))                              \
            return tmp;                                                        \
        if (nminor && nminor <= n) {                                           \
            /* by MINOR, then by slot */                                       \
            memset(count, 0, (nminor + 1) * sizeof *count);                    \
            for (size_t i = 0; i < n; i++)                                     \
                count[MINOR(&a[i], mparam) + 1]++;                             \
            for (size_t v = 0; v < nminor; v++)                                \
                count[v + 1] += count[v];                                      \
            for (size_t i = 0; i < n; i++)                                     \
                tmp[count[MINOR(&a[i], mparam)]++] = a[i];                     \
            name##_by_slot(tmp, a, n, count, shift, sb);                       \
            if (!name##_insert(a, 0, n, budget))                               \
                name##_merge(a, n, tmp);                                       \
            return a;                                                          \
        }                                                                      \
        name##_merge(tmp, n, a);                                               \
        return tmp;                                                            \
    }

/* Ask for huge pages for the 2 MiB pages inside p[0..size) when it is
 * large; malloc(size) with that advice (lib/scratch.c). */
void libcs__advise_huge(void *p, size_t size);
void *libcs__scratch(size_t size);

/* Inverse of the standard normal distribution function, for p in (0, 1). */
double libcs__normal_quantile(double p);

/* Little-endian byte encoding, independent of the host's byte order. */
static inline void libcs_put_u64le(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t libcs_get_u64le(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

#endif /* LIBCS_INTERNAL_H */
