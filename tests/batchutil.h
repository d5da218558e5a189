/* tests/batchutil.h - helpers of the per-customer suites (LTV, churn,
 * revenue): a fixed-seed generator, sentinel-filled outputs and assertions
 * that a failing batch call reports its error and index and writes nothing.
 * Include after testutil.h, with NB (the error-path batch length) defined. */
#ifndef LIBCS_BATCHUTIL_H
#define LIBCS_BATCHUTIL_H

#include <stdint.h>
#include <string.h>

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


/* ---- batch twins of single calls -------------------------------------------
 * The CLV models' predictions for a new customer (libcs_bgnbd_expected_batch
 * and the like) take one array (t, periods or discount rates) or two (and
 * k); their single twins take the parameters, the element(s) and out.
 * ck_twin runs the batch and the loop of single calls: every element bit
 * for bit the same, or the batch fails as the first failing single call
 * does, with its index in bad_index and out untouched.  Returns the
 * batch's status. */
typedef int (*twin_single_fn)(const double *, double, double *);
typedef int (*twin_batch_fn)(const double *, size_t, const double *, double *,
                             size_t *);
typedef int (*twin_single_k_fn)(const double *, double, uint32_t, double *);
typedef int (*twin_batch_k_fn)(const double *, size_t, const double *,
                               const uint32_t *, double *, size_t *);

static inline int twin_check(twin_batch_fn batch, twin_single_fn single,
                             twin_batch_k_fn batch_k,
                             twin_single_k_fn single_k, const double *params,
                             size_t n, const double *v, const uint32_t *k)
{
    double *out = malloc((n ? n : 1) * sizeof *out);
    ck_assert(out != NULL);
    fill(out, n, SENTINEL);
    size_t bad = (size_t)-1;
    int rc = batch ? batch(params, n, v, out, &bad)
                   : batch_k(params, n, v, k, out, &bad);
    size_t first = (size_t)-1;
    int want = LIBCS_OK;
    for (size_t i = 0; i < n; i++) {
        double s = SENTINEL;
        int r = single ? single(params, v[i], &s)
                       : single_k(params, v[i], k[i], &s);
        if (r != LIBCS_OK) {
            ck_assert(s == SENTINEL);
            first = i, want = r;
            break;
        }
        if (rc == LIBCS_OK)
            ck_assert_msg(memcmp(&s, &out[i], sizeof s) == 0,
                          "element %zu (%.17g, k %u): batch %.17g, single "
                          "%.17g",
                          i, v[i], k ? (unsigned)k[i] : 0u, out[i], s);
    }
    ck_assert_msg(rc == want, "batch %d (%s), the singles %d (%s)", rc,
                  libcs_strerror(rc), want, libcs_strerror(want));
    ck_assert_msg(bad == first, "bad_index %zu, want %zu", bad, first);
    if (rc != LIBCS_OK)
        assert_untouched(out, n);
    free(out);
    return rc;
}

#define ck_twin(batch, single, params, n, v)                                   \
    twin_check((batch), (single), NULL, NULL, (params), (n), (v), NULL)
#define ck_twin_k(batch, single, params, n, v, k)                              \
    twin_check(NULL, NULL, (batch), (single), (params), (n), (v), (k))

#endif /* LIBCS_BATCHUTIL_H */
