/* tests/batchutil.h - helpers of the per-customer suites (LTV, churn,
 * revenue): a fixed-seed generator, sentinel-filled outputs and assertions
 * that a failing batch call reports its error and index and writes nothing.
 * Include after testutil.h, with NB (the error-path batch length) defined. */
#ifndef LIBCS_BATCHUTIL_H
#define LIBCS_BATCHUTIL_H

#include <stdint.h>

/* splitmix64: a fixed-seed generator, so that every run sees the same data */
static uint64_t rng_state;

static inline void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

static inline uint64_t rng_u64(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* uniform in [lo, hi) */
static inline double rng_uniform(double lo, double hi)
{
    double u = (double)(rng_u64() >> 11) * 0x1.0p-53;
    return lo + (hi - lo) * u;
}

/* uniform integer in [0, bound] */
static inline int64_t rng_int(int64_t bound)
{
    return (int64_t)(rng_u64() % ((uint64_t)bound + 1));
}

static inline void fill(double *a, size_t n, double v)
{
    for (size_t i = 0; i < n; i++)
        a[i] = v;
}

static inline void fill_i64(int64_t *a, size_t n, int64_t v)
{
    for (size_t i = 0; i < n; i++)
        a[i] = v;
}

static inline void assert_untouched(const double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(out[i] == SENTINEL,
                      "out[%zu] = %.17g was written by a failing batch", i,
                      out[i]);
}

#define ck_assert_batch_fails(call, code, out, bad, want_bad)                  \
    do {                                                                       \
        fill((out), NB, SENTINEL);                                             \
        bad = (size_t)-1;                                                      \
        int brc_ = (call);                                                     \
        ck_assert_msg(brc_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, brc_, libcs_strerror(brc_), (int)(code),          \
                      libcs_strerror(code));                                   \
        ck_assert_msg(bad == (size_t)(want_bad),                               \
                      "%s: bad_index %zu, want %zu", #call, bad,               \
                      (size_t)(want_bad));                                     \
        assert_untouched((out), NB);                                           \
    } while (0)

#define ck_assert_batch_rc(call, code, out)                                    \
    do {                                                                       \
        fill((out), NB, SENTINEL);                                             \
        int brc_ = (call);                                                     \
        ck_assert_msg(brc_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, brc_, libcs_strerror(brc_), (int)(code),          \
                      libcs_strerror(code));                                   \
        assert_untouched((out), NB);                                           \
    } while (0)

#define FOR_NONFINITE(X, stmt)                                                 \
    do {                                                                       \
        const double nf_[3] = {NAN, INFINITY, -INFINITY};                     \
        for (int k_ = 0; k_ < 3; k_++) {                                       \
            double X = nf_[k_];                                                \
            stmt;                                                              \
        }                                                                      \
    } while (0)

#endif /* LIBCS_BATCHUTIL_H */
