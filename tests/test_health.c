/* tests/test_health.c - the health-score model: building and its errors,
 * scoring rules, missing values, aggregation, bands, batch scoring, explain
 * and band-change events.  The text form is in tests/test_health_text.c. */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* The call returns `code` (for functions whose outputs are checked apart). */
#define ck_assert_rc(call, code)                                               \
    do {                                                                       \
        int rc_ = (call);                                                      \
        ck_assert_msg(rc_ == (code), "%s returned %d (%s), want %d (%s)",      \
                      #call, rc_, libcs_strerror(rc_), (int)(code),            \
                      libcs_strerror(code));                                   \
    } while (0)

/* Equal, or both NaN (an unknown score is NaN). */
#define ck_assert_same(got, want)                                              \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        ck_assert_msg((isnan(g_) && isnan(w_)) || g_ == w_,                    \
                      "%s = %.17g, want %.17g", #got, g_, w_);                 \
    } while (0)

#define BAND_SENTINEL (-99)

/* LIBCS_HEALTH_TIERS_MAX in lib/health_internal.h (not public) */
#define TIERS_MAX 64

/* ---- helpers ------------------------------------------------------------- */

/* splitmix64: a fixed-seed generator so failures reproduce. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double rng_unit(void)
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

static double rng_range(double lo, double hi)
{
    return lo + (hi - lo) * rng_unit();
}

/* The worked example of the issue:
 *   "logins"   weight 30, linear, bad 0, good 10
 *   "tickets"  weight 20, tiers: v < 3 -> 100, 3 <= v < 6 -> 60, v >= 6 -> 0
 *   "sponsor"  weight 10, yes/no: yes 100, no 0
 * Weight shares: 30/60 = 1/2, 20/60 = 1/3, 10/60 = 1/6. */
static libcs_health_model *example_model(void)
{
    static const double breaks[] = {3, 6}, points[] = {100, 60, 0};
    libcs_health_model *m = NULL;
    ck_assert_ok(libcs_health_model_new(&m));
    ck_assert_ok(libcs_health_model_add_linear(m, "logins", 30, 0, 10));
    ck_assert_ok(
        libcs_health_model_add_tiers(m, "tickets", 20, 3, breaks, points));
    ck_assert_ok(libcs_health_model_add_yesno(m, "sponsor", 10, 100, 0));
    return m;
}

/* A model with no measures. */
static libcs_health_model *empty_model(void)
{
    libcs_health_model *m = NULL;
    ck_assert_ok(libcs_health_model_new(&m));
    return m;
}

static size_t measures_of(const libcs_health_model *m)
{
    size_t k = 12345;
    ck_assert_ok(libcs_health_model_measures(m, &k));
    return k;
}

/* The score of one row, asserting success. */
static double score_of(const libcs_health_model *m, const double *values,
                       int *band, double *coverage)
{
    double s = SENTINEL, cov = SENTINEL;
    int b = BAND_SENTINEL;
    ck_assert_ok(libcs_health_score(m, values, &s, &b, &cov));
    if (band)
        *band = b;
    if (coverage)
        *coverage = cov;
    return s;
}

/* The points a one-measure model gives to v (its score is its points). */
static double points1(const libcs_health_model *m, double v)
{
    return score_of(m, &v, NULL, NULL);
}

static int band_of(const libcs_health_model *m, double score)
{
    int band = BAND_SENTINEL;
    ck_assert_ok(libcs_health_band(m, score, &band));
    return band;
}

/* ---- model building ------------------------------------------------------ */

START_TEST(test_new_free)
{
    libcs_health_model *m = NULL;
    ck_assert_rc(libcs_health_model_new(NULL), LIBCS_EINVAL);
    ck_assert_ok(libcs_health_model_new(&m));
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(measures_of(m), 0);
    libcs_health_model_free(m);
    libcs_health_model_free(NULL); /* NULL-safe, like free() */
}
END_TEST

START_TEST(test_measures_and_names)
{
    libcs_health_model *m = example_model();
    char buf[16];
    size_t needed = 0, k = 777;
    ck_assert_uint_eq(measures_of(m), 3);
    ck_assert_rc(libcs_health_model_measures(NULL, &k), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_measures(m, NULL), LIBCS_EINVAL);
    ck_assert_uint_eq(k, 777);

    ck_assert_ok(libcs_health_model_measure_name(m, 0, buf, sizeof buf,
                                                 &needed));
    ck_assert_str_eq(buf, "logins");
    ck_assert_uint_eq(needed, 7);
    ck_assert_ok(libcs_health_model_measure_name(m, 1, buf, sizeof buf, NULL));
    ck_assert_str_eq(buf, "tickets");
    /* exactly the room for "sponsor" and its NUL */
    ck_assert_ok(libcs_health_model_measure_name(m, 2, buf, 8, &needed));
    ck_assert_str_eq(buf, "sponsor");
    ck_assert_uint_eq(needed, 8);

    /* one byte short: EBUFSIZE, *needed is the full size, buf untouched */
    memset(buf, 'x', sizeof buf);
    needed = 0;
    ck_assert_rc(libcs_health_model_measure_name(m, 2, buf, 7, &needed),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 8);
    for (size_t i = 0; i < sizeof buf; i++)
        ck_assert_int_eq(buf[i], 'x');
    /* a size query: no buffer at all */
    needed = 0;
    ck_assert_rc(libcs_health_model_measure_name(m, 0, NULL, 0, &needed),
                 LIBCS_EBUFSIZE);
    ck_assert_uint_eq(needed, 7);
    ck_assert_rc(libcs_health_model_measure_name(m, 0, NULL, 0, NULL),
                 LIBCS_EBUFSIZE);

    /* errors */
    needed = 99;
    ck_assert_rc(libcs_health_model_measure_name(NULL, 0, buf, sizeof buf,
                                                 &needed),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_measure_name(m, 0, NULL, 4, &needed),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_measure_name(m, 3, buf, sizeof buf,
                                                 &needed),
                 LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_measure_name(m, (size_t)-1, buf,
                                                 sizeof buf, &needed),
                 LIBCS_EDOMAIN);
    ck_assert_uint_eq(needed, 99);
    for (size_t i = 0; i < sizeof buf; i++)
        ck_assert_int_eq(buf[i], 'x');
    libcs_health_model_free(m);

    m = empty_model();
    ck_assert_rc(libcs_health_model_measure_name(m, 0, buf, sizeof buf, NULL),
                 LIBCS_EDOMAIN);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_weight_shares)
{
    libcs_health_model *m = example_model();
    double share;
    /* 30/60, 20/60, 10/60 */
    ck_assert_ok(libcs_health_model_weight(m, 0, &share));
    ck_assert_close(share, 0.5, 1e-15);
    ck_assert_ok(libcs_health_model_weight(m, 1, &share));
    ck_assert_close(share, 1.0 / 3.0, 1e-15);
    ck_assert_ok(libcs_health_model_weight(m, 2, &share));
    ck_assert_close(share, 1.0 / 6.0, 1e-15);
    ck_assert_fails(libcs_health_model_weight(NULL, 0, &share), LIBCS_EINVAL,
                    share);
    ck_assert_rc(libcs_health_model_weight(m, 0, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_health_model_weight(m, 3, &share), LIBCS_EDOMAIN,
                    share);
    libcs_health_model_free(m);

    m = empty_model();
    ck_assert_fails(libcs_health_model_weight(m, 0, &share), LIBCS_EDOMAIN,
                    share);
    libcs_health_model_free(m);

    /* shares of many random weights (spanning 12 decades) sum to 1 */
    rng_seed(11);
    m = empty_model();
    double w[50], total = 0.0, sum = 0.0;
    for (size_t j = 0; j < 50; j++) {
        char name[16];
        w[j] = pow(10.0, rng_range(-6, 6));
        total += w[j];
        snprintf(name, sizeof name, "m%zu", j);
        ck_assert_ok(libcs_health_model_add_linear(m, name, w[j], 0, 1));
    }
    for (size_t j = 0; j < 50; j++) {
        ck_assert_ok(libcs_health_model_weight(m, j, &share));
        ck_assert_close(share, w[j] / total, 1e-13);
        sum += share;
    }
    ck_assert_close(sum, 1.0, 1e-13);
    libcs_health_model_free(m);

    /* one measure: its share is exactly 1 */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_yesno(m, "only", 0.001, 100, 0));
    ck_assert_ok(libcs_health_model_weight(m, 0, &share));
    ck_assert(share == 1.0);
    libcs_health_model_free(m);
}
END_TEST

/* Errors shared by the three add_* functions: model, name and weight. */
static void check_name_weight_errors(int which)
{
    static const double breaks[] = {3, 6}, points[] = {100, 60, 0};
    libcs_health_model *m = example_model();
    char long_name[300];
    /* one call per row; `which` picks the rule */
#define ADD(model, name, weight)                                               \
    (which == 0   ? libcs_health_model_add_linear(model, name, weight, 0, 10) \
     : which == 1 ? libcs_health_model_add_tiers(model, name, weight, 3,      \
                                                 breaks, points)              \
                  : libcs_health_model_add_yesno(model, name, weight, 100, 0))
    ck_assert_rc(ADD(NULL, "x", 1), LIBCS_EINVAL);
    ck_assert_rc(ADD(m, NULL, 1), LIBCS_EINVAL);
    ck_assert_rc(ADD(m, "", 1), LIBCS_EDOMAIN);             /* empty name */
    ck_assert_rc(ADD(m, "logins", 1), LIBCS_EDOMAIN);       /* duplicates */
    ck_assert_rc(ADD(m, "tickets", 1), LIBCS_EDOMAIN);
    ck_assert_rc(ADD(m, "sponsor", 1), LIBCS_EDOMAIN);
    ck_assert_rc(ADD(m, "tab\there", 1), LIBCS_EDOMAIN);    /* control chars */
    ck_assert_rc(ADD(m, "new\nline", 1), LIBCS_EDOMAIN);
    ck_assert_rc(ADD(m, "del\x7f", 1), LIBCS_EDOMAIN);
    memset(long_name, 'a', 256);
    long_name[256] = '\0';
    ck_assert_rc(ADD(m, long_name, 1), LIBCS_EDOMAIN);      /* 256 bytes */
    ck_assert_rc(ADD(m, "x", 0), LIBCS_EDOMAIN);            /* weight 0 */
    ck_assert_rc(ADD(m, "x", -0.0), LIBCS_EDOMAIN);
    ck_assert_rc(ADD(m, "x", -1), LIBCS_EDOMAIN);           /* negative */
    ck_assert_rc(ADD(m, "x", -1e-300), LIBCS_EDOMAIN);
    ck_assert_rc(ADD(m, "x", NAN), LIBCS_ENONFINITE);
    ck_assert_rc(ADD(m, "x", INFINITY), LIBCS_ENONFINITE);
    ck_assert_rc(ADD(m, "x", -INFINITY), LIBCS_ENONFINITE);
    /* the order of checks: NULL, then non-finite numbers, then domains
     * (the name's before the weight's) */
    ck_assert_rc(ADD(NULL, NULL, NAN), LIBCS_EINVAL);
    ck_assert_rc(ADD(m, NULL, NAN), LIBCS_EINVAL);
    ck_assert_rc(ADD(m, "", NAN), LIBCS_ENONFINITE);
    ck_assert_rc(ADD(m, "", -1), LIBCS_EDOMAIN);
    /* nothing was added */
    ck_assert_uint_eq(measures_of(m), 3);
    /* names are case-sensitive, may hold quotes, backslashes, UTF-8 and be
     * 255 bytes long */
    long_name[255] = '\0';
    ck_assert_rc(ADD(m, long_name, 1), LIBCS_OK);
    ck_assert_rc(ADD(m, "Logins", 1), LIBCS_OK);
    ck_assert_rc(ADD(m, "say \"hi\" \\ bye", 1), LIBCS_OK);
    ck_assert_rc(ADD(m, "caf\xc3\xa9", 1), LIBCS_OK);
    ck_assert_uint_eq(measures_of(m), 7);
#undef ADD
    libcs_health_model_free(m);
}

START_TEST(test_name_weight_errors)
{
    check_name_weight_errors(_i);
}
END_TEST

START_TEST(test_add_linear_errors)
{
    libcs_health_model *m = empty_model();
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, NAN, 10),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, 0, NAN),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, -INFINITY, 10),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, 0, INFINITY),
                 LIBCS_ENONFINITE);
    /* bad == good: no direction */
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, 5, 5),
                 LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, 0.0, -0.0),
                 LIBCS_EDOMAIN);
    /* thresholds so close that 100 / (good - bad) overflows */
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, 0, 5e-324),
                 LIBCS_EDOMAIN);
    /* so far apart that good - bad overflows */
    ck_assert_rc(libcs_health_model_add_linear(m, "x", 1, -1e308, 1e308),
                 LIBCS_EDOMAIN);
    ck_assert_uint_eq(measures_of(m), 0);
    /* wide but representable thresholds are fine */
    ck_assert_ok(libcs_health_model_add_linear(m, "x", 1, -1e307, 1e307));
    ck_assert_uint_eq(measures_of(m), 1);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_add_tiers_errors)
{
    libcs_health_model *m = empty_model();
    const double breaks[] = {3, 6}, points[] = {100, 60, 0};
    double b[TIERS_MAX], p[TIERS_MAX + 1];

    ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, breaks, NULL),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, NULL, points),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 0, breaks, points),
                 LIBCS_EEMPTY);
    ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 0, NULL, points),
                 LIBCS_EEMPTY);
    /* non-finite breaks and points */
    {
        const double bn[] = {3, NAN}, bi[] = {-INFINITY, 6};
        const double pn[] = {100, NAN, 0}, pi[] = {100, 60, INFINITY};
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, bn, points),
                     LIBCS_ENONFINITE);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, bi, points),
                     LIBCS_ENONFINITE);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, breaks, pn),
                     LIBCS_ENONFINITE);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, breaks, pi),
                     LIBCS_ENONFINITE);
    }
    /* points outside [0, 100] */
    {
        const double lo[] = {100, -0.5, 0}, hi[] = {100.5, 60, 0};
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, breaks, lo),
                     LIBCS_EDOMAIN);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, breaks, hi),
                     LIBCS_EDOMAIN);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 1, NULL, hi),
                     LIBCS_EDOMAIN);
    }
    /* breaks not strictly increasing */
    {
        const double eq[] = {3, 3}, down[] = {6, 3};
        const double b4[] = {1, 2, 2}, p4[] = {0, 10, 20, 30};
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, eq, points),
                     LIBCS_EDOMAIN);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 3, down, points),
                     LIBCS_EDOMAIN);
        ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1, 4, b4, p4),
                     LIBCS_EDOMAIN);
    }
    /* at most 64 tiers */
    for (size_t i = 0; i < TIERS_MAX; i++) {
        b[i] = (double)i;
        p[i] = (double)i;
    }
    p[TIERS_MAX] = 100;
    ck_assert_rc(libcs_health_model_add_tiers(m, "x", 1,
                                              TIERS_MAX + 1,
                                              b, p),
                 LIBCS_EDOMAIN);
    ck_assert_uint_eq(measures_of(m), 0);
    ck_assert_ok(libcs_health_model_add_tiers(m, "x", 1,
                                              TIERS_MAX, b,
                                              p));
    /* one tier needs no breaks */
    ck_assert_ok(libcs_health_model_add_tiers(m, "one", 1, 1, NULL, points));
    ck_assert_uint_eq(measures_of(m), 2);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_add_yesno_errors)
{
    libcs_health_model *m = empty_model();
    ck_assert_rc(libcs_health_model_add_yesno(m, "x", 1, NAN, 0),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_add_yesno(m, "x", 1, 100, INFINITY),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_add_yesno(m, "x", 1, 100.5, 0),
                 LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_add_yesno(m, "x", 1, 100, -1),
                 LIBCS_EDOMAIN);
    /* yes == no: a measure that tells nothing */
    ck_assert_rc(libcs_health_model_add_yesno(m, "x", 1, 50, 50),
                 LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_add_yesno(m, "x", 1, 0, 0), LIBCS_EDOMAIN);
    ck_assert_uint_eq(measures_of(m), 0);
    /* "no" may be the good answer (an open escalation) */
    ck_assert_ok(libcs_health_model_add_yesno(m, "x", 1, 0, 100));
    ck_assert_uint_eq(measures_of(m), 1);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_weight_sum_overflow)
{
    libcs_health_model *m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "a", 1e308, 0, 10));
    /* 1e308 + 1e308 is not a double */
    ck_assert_rc(libcs_health_model_add_linear(m, "b", 1e308, 0, 10),
                 LIBCS_EOVERFLOW);
    ck_assert_rc(libcs_health_model_add_yesno(m, "b", 1e308, 100, 0),
                 LIBCS_EOVERFLOW);
    {
        const double p[] = {50};
        ck_assert_rc(libcs_health_model_add_tiers(m, "b", 1e308, 1, NULL, p),
                     LIBCS_EOVERFLOW);
    }
    ck_assert_uint_eq(measures_of(m), 1);
    /* the model is still usable, and "b" was not taken */
    ck_assert_ok(libcs_health_model_add_linear(m, "b", 1, 0, 10));
    ck_assert_uint_eq(measures_of(m), 2);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_setters_errors)
{
    libcs_health_model *m = example_model();
    const double row[] = {NAN, 4, 1};
    double s;
    int band;

    ck_assert_rc(libcs_health_model_set_missing(NULL, 0, 0), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_missing(m, 2, 0.5), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_missing(m, -1, 0.5), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_missing(m, 2, NAN), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_missing(m, 1, NAN), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_set_missing(m, 1, INFINITY),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_set_missing(m, 1, -0.01), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_set_missing(m, 1, 1.01), LIBCS_EDOMAIN);

    ck_assert_rc(libcs_health_model_set_aggregation(NULL, 0), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_aggregation(m, 2), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_aggregation(m, -1), LIBCS_EINVAL);

    ck_assert_rc(libcs_health_model_set_bands(NULL, 40, 60), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_model_set_bands(m, 60, 60), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_set_bands(m, 70, 60), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_set_bands(m, -1, 60), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_set_bands(m, 40, 100.5), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_model_set_bands(m, NAN, 60), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_set_bands(m, 40, NAN), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_set_bands(m, 40, INFINITY),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_model_set_bands(m, -INFINITY, 60),
                 LIBCS_ENONFINITE);

    /* failed setters changed nothing: still drop (73.33, yellow), still the
     * weighted mean, still the default bands */
    s = score_of(m, row, &band, NULL);
    ck_assert_close(s, 2200.0 / 30.0, 1e-13);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 50), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 75), LIBCS_HEALTH_YELLOW);

    /* the extremes of the domains are accepted */
    ck_assert_ok(libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP,
                                                0.0));
    ck_assert_ok(libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST,
                                                1.0));
    ck_assert_ok(libcs_health_model_set_bands(m, 0, 100));
    ck_assert_ok(libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WORST_OF));
    ck_assert_ok(
        libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WEIGHTED_MEAN));
    libcs_health_model_free(m);
}
END_TEST

/* ---- scoring rules ------------------------------------------------------- */

START_TEST(test_worked_example)
{
    libcs_health_model *m = example_model();
    double cov;
    int band;
    /* logins 5 -> 100 (5 - 0) / (10 - 0) = 50 points
     * tickets 4 -> 3 <= 4 < 6 -> 60 points
     * sponsor 1 (yes) -> 100 points
     * (30 * 50 + 20 * 60 + 10 * 100) / 60 = 3700 / 60 = 61.666... -> yellow */
    const double row[] = {5, 4, 1};
    ck_assert_close(score_of(m, row, &band, &cov), 3700.0 / 60.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    ck_assert(cov == 1.0);

    /* logins 9 -> 90, tickets 1 -> 100, sponsor 1 -> 100:
     * (2700 + 2000 + 1000) / 60 = 95 -> green */
    const double good[] = {9, 1, 1};
    ck_assert_close(score_of(m, good, &band, NULL), 95.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);

    /* logins 2 -> 20, tickets 7 -> 0, sponsor 0 -> 0:
     * (600 + 0 + 0) / 60 = 10 -> red */
    const double bad[] = {2, 7, 0};
    ck_assert_close(score_of(m, bad, &band, NULL), 10.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);

    /* coverage may be NULL */
    double s = SENTINEL;
    ck_assert_ok(libcs_health_score(m, row, &s, &band, NULL));
    ck_assert_close(s, 3700.0 / 60.0, 1e-14);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_linear_rule)
{
    libcs_health_model *m = empty_model();
    /* higher is better: bad 0, good 10 -> 10 points per unit */
    ck_assert_ok(libcs_health_model_add_linear(m, "up", 1, 0, 10));
    ck_assert_close(points1(m, 0), 0, 0);
    ck_assert_close(points1(m, 2.5), 25, 1e-15);
    ck_assert_close(points1(m, 7), 70, 1e-15);
    ck_assert_close(points1(m, 10), 100, 0);
    /* clamped below bad and above good */
    ck_assert_close(points1(m, -3), 0, 0);
    ck_assert_close(points1(m, 13), 100, 0);
    ck_assert_close(points1(m, -1e308), 0, 0);
    ck_assert_close(points1(m, 1e308), 100, 0);
    ck_assert_close(points1(m, -DBL_MAX), 0, 0);
    libcs_health_model_free(m);

    /* lower is better (good < bad): days since the last login, bad 10, good
     * 2: points = 100 (v - 10) / (2 - 10) */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "down", 1, 10, 2));
    ck_assert_close(points1(m, 4), 75, 1e-14); /* 100 (-6) / (-8) */
    ck_assert_close(points1(m, 6), 50, 1e-14); /* 100 (-4) / (-8) */
    ck_assert_close(points1(m, 10), 0, 0);
    ck_assert_close(points1(m, 2), 100, 1e-14);
    ck_assert_close(points1(m, 12), 0, 0);  /* clamped: worse than bad */
    ck_assert_close(points1(m, 0), 100, 0); /* clamped: better than good */
    ck_assert_close(points1(m, -1e308), 100, 0);
    ck_assert_close(points1(m, 1e308), 0, 0);
    libcs_health_model_free(m);

    /* negative thresholds: NPS from -100 (bad) to 50 (good) */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "nps", 1, -100, 50));
    ck_assert_close(points1(m, -25), 50, 1e-14); /* 100 * 75 / 150 */
    ck_assert_close(points1(m, 20), 80, 1e-14);  /* 100 * 120 / 150 */
    libcs_health_model_free(m);

    /* a model scores only finite points for any finite value */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "wide", 1, -1e307, 1e307));
    ck_assert_close(points1(m, 0), 50, 1e-14);
    ck_assert_close(points1(m, 1.7e308), 100, 0);
    ck_assert_close(points1(m, -1.7e308), 0, 0);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_tiers_rule)
{
    libcs_health_model *m = empty_model();
    /* support tickets: fewer is better: < 3 -> 100, [3, 6) -> 60, >= 6 -> 0 */
    const double breaks[] = {3, 6}, points[] = {100, 60, 0};
    ck_assert_ok(libcs_health_model_add_tiers(m, "t", 1, 3, breaks, points));
    ck_assert_close(points1(m, -1e300), 100, 0);
    ck_assert_close(points1(m, 0), 100, 0);
    ck_assert_close(points1(m, nextafter(3, 0)), 100, 0);
    ck_assert_close(points1(m, 3), 60, 0); /* on a break: the upper tier */
    ck_assert_close(points1(m, 4), 60, 0);
    ck_assert_close(points1(m, nextafter(6, 0)), 60, 0);
    ck_assert_close(points1(m, 6), 0, 0); /* on a break: the upper tier */
    ck_assert_close(points1(m, 1e300), 0, 0);
    libcs_health_model_free(m);

    /* one tier: every value gets its points; breaks may be NULL */
    m = empty_model();
    {
        const double p1[] = {42};
        ck_assert_ok(libcs_health_model_add_tiers(m, "one", 1, 1, NULL, p1));
    }
    ck_assert_close(points1(m, -1e300), 42, 0);
    ck_assert_close(points1(m, 0), 42, 0);
    ck_assert_close(points1(m, 1e300), 42, 0);
    libcs_health_model_free(m);

    /* many tiers (the maximum, 64): v in [i, i + 1) -> tier i + 1 */
    m = empty_model();
    {
        double b[63], p[64];
        for (size_t i = 0; i < 63; i++)
            b[i] = (double)i;
        for (size_t i = 0; i < 64; i++)
            p[i] = (double)(63 - i) * 100.0 / 63.0;
        ck_assert_ok(libcs_health_model_add_tiers(m, "many", 1, 64, b, p));
        ck_assert_close(points1(m, -0.5), p[0], 0);
        for (size_t i = 0; i < 63; i++) {
            ck_assert_close(points1(m, b[i]), p[i + 1], 0);
            ck_assert_close(points1(m, b[i] + 0.5), p[i + 1], 0);
        }
    }
    libcs_health_model_free(m);

    /* points need not be monotonic: the middle tier is the good one */
    m = empty_model();
    {
        const double b[] = {10, 20}, p[] = {20, 100, 50};
        ck_assert_ok(libcs_health_model_add_tiers(m, "mid", 1, 3, b, p));
        ck_assert_close(points1(m, 5), 20, 0);
        ck_assert_close(points1(m, 15), 100, 0);
        ck_assert_close(points1(m, 25), 50, 0);
    }
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_yesno_rule)
{
    libcs_health_model *m = empty_model();
    double s, cov;
    int band;
    ck_assert_ok(libcs_health_model_add_yesno(m, "sponsor", 1, 90, 30));
    ck_assert_close(points1(m, 1), 90, 0);
    ck_assert_close(points1(m, 0), 30, 0);
    ck_assert_close(points1(m, -0.0), 30, 0);
    /* anything else is LIBCS_EDOMAIN; outputs untouched */
    const double others[] = {0.5, 2, -1, 1e-300, nextafter(1, 2), 100};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        band = BAND_SENTINEL;
        cov = SENTINEL;
        ck_assert_fails(libcs_health_score(m, &others[i], &s, &band, &cov),
                        LIBCS_EDOMAIN, s);
        ck_assert_int_eq(band, BAND_SENTINEL);
        ck_assert(cov == SENTINEL);
    }
    libcs_health_model_free(m);

    /* yes may be the bad answer */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_yesno(m, "escalation", 1, 0, 100));
    ck_assert_close(points1(m, 1), 0, 0);
    ck_assert_close(points1(m, 0), 100, 0);
    libcs_health_model_free(m);
}
END_TEST

/* ---- missing values ------------------------------------------------------ */

START_TEST(test_missing_drop)
{
    libcs_health_model *m = example_model();
    double cov;
    int band;
    /* logins missing: drop it and renormalise over the 30 remaining weight:
     * (20 * 60 + 10 * 100) / 30 = 2200 / 30 = 73.333... -> yellow;
     * coverage 30 / 60 = 0.5 */
    const double row[] = {NAN, 4, 1};
    ck_assert_close(score_of(m, row, &band, &cov), 2200.0 / 30.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    ck_assert_close(cov, 0.5, 1e-15);

    /* sponsor missing: (30 * 50 + 20 * 60) / 50 = 2700 / 50 = 54, coverage
     * 50 / 60 */
    const double row2[] = {5, 4, NAN};
    ck_assert_close(score_of(m, row2, &band, &cov), 54.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    ck_assert_close(cov, 50.0 / 60.0, 1e-15);

    /* only sponsor: 100 points, coverage 1/6 */
    const double row3[] = {NAN, NAN, 1};
    ck_assert_close(score_of(m, row3, &band, &cov), 100.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);
    ck_assert_close(cov, 1.0 / 6.0, 1e-15);

    /* any NaN payload or sign means missing */
    const double row4[] = {-NAN, 4, 1};
    ck_assert_close(score_of(m, row4, NULL, NULL), 2200.0 / 30.0, 1e-14);

    /* all missing under drop with min_coverage 0: nothing to score ->
     * unknown, LIBCS_OK, score NaN, coverage 0 */
    const double none[] = {NAN, NAN, NAN};
    double s = score_of(m, none, &band, &cov);
    ck_assert(isnan(s));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    ck_assert(cov == 0.0);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_missing_worst)
{
    libcs_health_model *m = example_model();
    double cov;
    int band;
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    /* logins missing scores as the linear rule's worst, 0 points, and the
     * mean divides by the full weight:
     * (30 * 0 + 20 * 60 + 10 * 100) / 60 = 2200 / 60 = 36.666... -> red;
     * coverage is still what was measured: 0.5 */
    const double row[] = {NAN, 4, 1};
    ck_assert_close(score_of(m, row, &band, &cov), 2200.0 / 60.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    ck_assert_close(cov, 0.5, 1e-15);
    /* tickets missing: worst tier is 0 -> (1500 + 0 + 1000) / 60 = 41.67 */
    const double row2[] = {5, NAN, 1};
    ck_assert_close(score_of(m, row2, &band, &cov), 2500.0 / 60.0, 1e-14);
    ck_assert_close(cov, 40.0 / 60.0, 1e-15);
    /* nothing missing: same as drop */
    const double full[] = {5, 4, 1};
    ck_assert_close(score_of(m, full, &band, &cov), 3700.0 / 60.0, 1e-14);
    /* nothing measured at all: unknown even with min_coverage 0 (a score
     * made only of assumed worst values says nothing about the customer) */
    const double none[] = {NAN, NAN, NAN};
    ck_assert(isnan(score_of(m, none, &band, &cov)));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    ck_assert(cov == 0.0);
    libcs_health_model_free(m);

    /* the worst points of a rule are its minimum, wherever it sits: tiers
     * {20, 100, 50} (weight 1) -> 20; yes/no 100/40 (weight 3) -> 40.  Both
     * missing, linear 0..10 (weight 4) at 10 -> 100:
     * (1 * 20 + 3 * 40 + 4 * 100) / 8 = 540 / 8 = 67.5, coverage 4 / 8 */
    m = empty_model();
    {
        const double b[] = {10, 20}, p[] = {20, 100, 50};
        ck_assert_ok(libcs_health_model_add_tiers(m, "mid", 1, 3, b, p));
        ck_assert_ok(libcs_health_model_add_yesno(m, "yn", 3, 100, 40));
        ck_assert_ok(libcs_health_model_add_linear(m, "lin", 4, 0, 10));
        ck_assert_ok(
            libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
        const double r[] = {NAN, NAN, 10};
        ck_assert_close(score_of(m, r, &band, &cov), 67.5, 1e-14);
        ck_assert_close(cov, 0.5, 1e-15);
    }
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_min_coverage)
{
    libcs_health_model *m = example_model();
    const double row[] = {NAN, 4, 1}; /* coverage exactly 0.5 */
    double s, cov;
    int band;

    /* exactly at the threshold: known */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP, 0.5));
    ck_assert_close(score_of(m, row, &band, &cov), 2200.0 / 30.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);

    /* just below: unknown, which is LIBCS_OK with a NaN score; coverage is
     * still reported */
    ck_assert_ok(libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP,
                                                0.5 + 1e-9));
    s = SENTINEL;
    band = BAND_SENTINEL;
    cov = SENTINEL;
    ck_assert_ok(libcs_health_score(m, row, &s, &band, &cov));
    ck_assert(isnan(s));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    ck_assert_close(cov, 0.5, 1e-15);
    /* a fully measured customer is still known */
    const double full[] = {5, 4, 1};
    ck_assert_close(score_of(m, full, &band, NULL), 3700.0 / 60.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);

    /* the same under the worst policy */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0.5));
    ck_assert_close(score_of(m, row, &band, NULL), 2200.0 / 60.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    ck_assert_ok(libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST,
                                                0.6));
    ck_assert(isnan(score_of(m, row, &band, NULL)));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);

    /* min_coverage 1: any missing value makes the score unknown */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP, 1.0));
    ck_assert_close(score_of(m, full, &band, &cov), 3700.0 / 60.0, 1e-14);
    ck_assert(cov == 1.0);
    const double one_missing[] = {5, 4, NAN};
    ck_assert(isnan(score_of(m, one_missing, &band, NULL)));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    libcs_health_model_free(m);

    /* rounding must not push an exact share below its threshold: weights
     * 0.1, 0.2, 0.3 with only the last measured is a share of exactly
     * 0.3 / 0.6 = 0.5, but 0.3 / (0.1 + 0.2 + 0.3) = 0.4999999999999999 in
     * doubles */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "a", 0.1, 0, 10));
    ck_assert_ok(libcs_health_model_add_linear(m, "b", 0.2, 0, 10));
    ck_assert_ok(libcs_health_model_add_linear(m, "c", 0.3, 0, 10));
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP, 0.5));
    const double r[] = {NAN, NAN, 8};
    ck_assert_close(score_of(m, r, &band, &cov), 80.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);
    ck_assert_close(cov, 0.5, 1e-15);
    libcs_health_model_free(m);
}
END_TEST

/* ---- aggregation --------------------------------------------------------- */

START_TEST(test_worst_of)
{
    libcs_health_model *m = example_model();
    int band;
    ck_assert_ok(libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WORST_OF));
    /* min(50, 60, 100) = 50 -> red (Totango: poor if any is poor) */
    const double row[] = {5, 4, 1};
    ck_assert_close(score_of(m, row, &band, NULL), 50, 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    /* min(100, 100, 100): green only when all are good */
    const double good[] = {10, 1, 1};
    ck_assert_close(score_of(m, good, &band, NULL), 100, 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);
    /* one bad measure drags the whole score down, whatever its weight:
     * sponsor (weight 10) says no -> 0 */
    const double one_bad[] = {10, 1, 0};
    ck_assert_close(score_of(m, one_bad, &band, NULL), 0, 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    /* min(80, 60, 100) = 60 -> yellow */
    const double mid[] = {8, 5, 1};
    ck_assert_close(score_of(m, mid, &band, NULL), 60, 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    /* drop: a missing measure is not the worst: min(60, 100) = 60 */
    const double miss[] = {NAN, 4, 1};
    double cov;
    ck_assert_close(score_of(m, miss, &band, &cov), 60, 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    ck_assert_close(cov, 0.5, 1e-15);
    /* worst: a missing logins counts as 0 points -> 0 */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    ck_assert_close(score_of(m, miss, &band, NULL), 0, 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    /* all missing: unknown */
    const double none[] = {NAN, NAN, NAN};
    ck_assert(isnan(score_of(m, none, &band, NULL)));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    /* back to the weighted mean */
    ck_assert_ok(
        libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WEIGHTED_MEAN));
    ck_assert_close(score_of(m, row, &band, NULL), 3700.0 / 60.0, 1e-14);
    libcs_health_model_free(m);
}
END_TEST

/* ---- bands --------------------------------------------------------------- */

START_TEST(test_default_bands)
{
    libcs_health_model *m = empty_model(); /* bands need no measures */
    /* red [0, 50], yellow (50, 75], green (75, 100] */
    ck_assert_int_eq(band_of(m, 0), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, -0.0), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 25), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 50), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 50.000001), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, nextafter(50, 100)), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 60), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 75), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 75.000001), LIBCS_HEALTH_GREEN);
    ck_assert_int_eq(band_of(m, nextafter(75, 100)), LIBCS_HEALTH_GREEN);
    ck_assert_int_eq(band_of(m, 100), LIBCS_HEALTH_GREEN);

    /* errors: not a score on the 0..100 scale; band untouched */
    int band = BAND_SENTINEL;
    ck_assert_rc(libcs_health_band(NULL, 50, &band), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_band(m, 50, NULL), LIBCS_EINVAL);
    ck_assert_rc(libcs_health_band(m, INFINITY, &band), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_band(m, -INFINITY, &band), LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_band(m, -0.001, &band), LIBCS_EDOMAIN);
    ck_assert_rc(libcs_health_band(m, 100.001, &band), LIBCS_EDOMAIN);
    ck_assert_int_eq(band, BAND_SENTINEL);
    /* NaN is the score libcs_health_score() gives an unknown customer: its
     * band is LIBCS_HEALTH_UNKNOWN, not an error */
    ck_assert_ok(libcs_health_band(m, NAN, &band));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    libcs_health_model_free(m);

    /* the band of a score on an edge: linear 0..100, so the score is v */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "v", 1, 0, 100));
    ck_assert_close(points1(m, 50), 50, 0);
    score_of(m, (const double[]){50}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    score_of(m, (const double[]){50.000001}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    score_of(m, (const double[]){75}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    score_of(m, (const double[]){75.000001}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);
    score_of(m, (const double[]){0}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    score_of(m, (const double[]){100}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_custom_bands)
{
    libcs_health_model *m = example_model();
    int band;
    /* red [0, 30], yellow (30, 60], green (60, 100] */
    ck_assert_ok(libcs_health_model_set_bands(m, 30, 60));
    ck_assert_int_eq(band_of(m, 0), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 30), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 30.000001), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 50), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 60), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 60.000001), LIBCS_HEALTH_GREEN);
    ck_assert_int_eq(band_of(m, 100), LIBCS_HEALTH_GREEN);
    /* score() uses the model's bands: 61.67 is green here */
    const double row[] = {5, 4, 1};
    score_of(m, row, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_GREEN);
    /* 36.67 (worst policy, logins missing) is yellow here */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    score_of(m, (const double[]){NAN, 4, 1}, &band, NULL);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);

    /* the extremes: red only at 0, no green at all */
    ck_assert_ok(libcs_health_model_set_bands(m, 0, 100));
    ck_assert_int_eq(band_of(m, 0), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, 5e-324), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 100), LIBCS_HEALTH_YELLOW);
    /* fractional cut points */
    ck_assert_ok(libcs_health_model_set_bands(m, 33.3, 66.6));
    ck_assert_int_eq(band_of(m, 33.3), LIBCS_HEALTH_RED);
    ck_assert_int_eq(band_of(m, nextafter(33.3, 100)), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, 66.6), LIBCS_HEALTH_YELLOW);
    ck_assert_int_eq(band_of(m, nextafter(66.6, 100)), LIBCS_HEALTH_GREEN);
    libcs_health_model_free(m);
}
END_TEST

/* ---- scoring errors ------------------------------------------------------ */

START_TEST(test_score_errors)
{
    libcs_health_model *m = example_model();
    const double row[] = {5, 4, 1};
    double s, cov = SENTINEL;
    int band = BAND_SENTINEL;

    ck_assert_fails(libcs_health_score(NULL, row, &s, &band, &cov),
                    LIBCS_EINVAL, s);
    ck_assert_fails(libcs_health_score(m, NULL, &s, &band, &cov),
                    LIBCS_EINVAL, s);
    ck_assert_rc(libcs_health_score(m, row, NULL, &band, &cov), LIBCS_EINVAL);
    ck_assert_fails(libcs_health_score(m, row, &s, NULL, &cov), LIBCS_EINVAL,
                    s);
    /* +-Inf is never a missing value */
    const double inf_rows[][3] = {{INFINITY, 4, 1},
                                  {5, -INFINITY, 1},
                                  {5, 4, INFINITY},
                                  {NAN, NAN, -INFINITY}};
    for (size_t i = 0; i < 4; i++)
        ck_assert_fails(libcs_health_score(m, inf_rows[i], &s, &band, &cov),
                        LIBCS_ENONFINITE, s);
    /* a yes/no value other than 0 or 1 */
    ck_assert_fails(
        libcs_health_score(m, (const double[]){5, 4, 0.5}, &s, &band, &cov),
        LIBCS_EDOMAIN, s);
    ck_assert_int_eq(band, BAND_SENTINEL);
    ck_assert(cov == SENTINEL);
    /* the same errors under the worst policy and worst-of */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    ck_assert_ok(libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WORST_OF));
    ck_assert_fails(libcs_health_score(m, inf_rows[0], &s, &band, &cov),
                    LIBCS_ENONFINITE, s);
    ck_assert_fails(
        libcs_health_score(m, (const double[]){5, 4, 2}, &s, &band, &cov),
        LIBCS_EDOMAIN, s);
    ck_assert_int_eq(band, BAND_SENTINEL);
    ck_assert(cov == SENTINEL);
    libcs_health_model_free(m);

    /* k = 0: nothing to score */
    m = empty_model();
    const double none[1] = {0};
    ck_assert_fails(libcs_health_score(m, none, &s, &band, &cov), LIBCS_EEMPTY,
                    s);
    ck_assert_fails(libcs_health_score(m, NULL, &s, &band, &cov), LIBCS_EINVAL,
                    s);
    ck_assert_int_eq(band, BAND_SENTINEL);
    libcs_health_model_free(m);
}
END_TEST

/* ---- weights: only their ratios matter ----------------------------------- */

/* The example model with every weight multiplied by `scale`. */
static libcs_health_model *scaled_model(double scale)
{
    static const double breaks[] = {3, 6}, points[] = {100, 60, 0};
    libcs_health_model *m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "logins", 30 * scale, 0, 10));
    ck_assert_ok(libcs_health_model_add_tiers(m, "tickets", 20 * scale, 3,
                                              breaks, points));
    ck_assert_ok(
        libcs_health_model_add_yesno(m, "sponsor", 10 * scale, 100, 0));
    return m;
}

static void check_scale_free(double scale)
{
    libcs_health_model *m = scaled_model(scale);
    double points[3], contrib[3], s;
    int band;
    /* 3700 / 60 and 2200 / 30 whatever the unit of the weights */
    ck_assert_close(score_of(m, (const double[]){5, 4, 1}, NULL, NULL),
                    3700.0 / 60.0, 1e-13);
    ck_assert_close(score_of(m, (const double[]){NAN, 4, 1}, NULL, NULL),
                    2200.0 / 30.0, 1e-13);
    ck_assert_ok(libcs_health_explain(m, (const double[]){5, 4, 1}, points,
                                      contrib, &s, &band));
    ck_assert_close(contrib[0], 25, 1e-13);
    ck_assert_close(contrib[1], 20, 1e-13);
    ck_assert_close(contrib[2], 1000.0 / 60.0, 1e-13);
    libcs_health_model_free(m);
}

START_TEST(test_weights_scale_free)
{
    check_scale_free(1e-300);
    check_scale_free(1e-10);
    check_scale_free(0.1);
    check_scale_free(1e10);
    check_scale_free(1e300);
}
END_TEST

/* Weights anywhere in the accepted domain (finite, > 0, with a finite sum)
 * must still give a weighted mean of the points.  (The results are taken
 * before asserting so that a failure leaks nothing under CK_FORK=no.) */
START_TEST(test_weights_huge)
{
    libcs_health_model *m = empty_model();
    double points[1], contrib[1], s, s1;
    int band;
    /* one measure of weight 1e308 at 50 points: score 50, contribution 50
     * (1e308 x 50 is not a double, but no weighted mean of points is
     * above 100) */
    ck_assert_ok(libcs_health_model_add_linear(m, "big", 1e308, 0, 10));
    s1 = points1(m, 5);
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){5}, points, contrib, &s,
                             &band));
    libcs_health_model_free(m);
    ck_assert_close(s1, 50, 1e-14);
    ck_assert_close(s, 50, 1e-14);
    ck_assert_close(contrib[0], 50, 1e-14);
}
END_TEST

/* Subnormal weights: 5e-324 x 33.33 rounds to a multiple of 5e-324. */
START_TEST(test_weights_subnormal)
{
    libcs_health_model *m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "tiny", 5e-324, 0, 3));
    double s = points1(m, 1);
    libcs_health_model_free(m);
    ck_assert_close(s, 100.0 / 3.0, 1e-14);
}
END_TEST

/* ---- batch --------------------------------------------------------------- */

/* n random rows for the example model; about nan_share of values missing. */
static void random_rows(double *v, size_t n, double nan_share)
{
    for (size_t i = 0; i < n; i++) {
        v[3 * i + 0] = rng_range(-3, 13);                /* logins */
        v[3 * i + 1] = floor(rng_range(0, 9));           /* tickets */
        v[3 * i + 2] = rng_unit() < 0.5 ? 0.0 : 1.0;     /* sponsor */
        if (i % 17 == 0)
            v[3 * i + 1] = (i % 2) ? 3.0 : 6.0;          /* tier edges */
        for (size_t j = 0; j < 3; j++)
            if (rng_unit() < nan_share)
                v[3 * i + j] = NAN;
    }
}

#define NROWS 300

/* Batch = a loop of libcs_health_score under each setting. */
static void check_batch_equals_loop(int policy, double min_coverage,
                                    int aggregation)
{
    libcs_health_model *m = example_model();
    static double v[NROWS * 3], s[NROWS], cov[NROWS];
    static int bands[NROWS];
    ck_assert_ok(libcs_health_model_set_missing(m, policy, min_coverage));
    ck_assert_ok(libcs_health_model_set_aggregation(m, aggregation));
    random_rows(v, NROWS, 0.2);
    size_t bad = 4242;
    ck_assert_ok(
        libcs_health_score_batch(m, NROWS, v, s, bands, cov, &bad));
    ck_assert_uint_eq(bad, 4242); /* untouched on success */
    size_t unknown = 0, per_band[4] = {0};
    for (size_t i = 0; i < NROWS; i++) {
        double s1, c1, pts[3], con[3], s2;
        int b1, b2;
        ck_assert_ok(libcs_health_score(m, v + 3 * i, &s1, &b1, &c1));
        ck_assert_same(s[i], s1);
        ck_assert_int_eq(bands[i], b1);
        ck_assert_same(cov[i], c1);
        unknown += isnan(s1);
        per_band[b1]++;
        /* explain agrees with score */
        ck_assert_ok(libcs_health_explain(m, v + 3 * i, pts, con, &s2, &b2));
        ck_assert_same(s2, s1);
        ck_assert_int_eq(b2, b1);
    }
    /* the rows exercise every band (and unknown when coverage is needed) */
    if (min_coverage > 0)
        ck_assert_uint_gt(unknown, 0);
    ck_assert_uint_gt(per_band[LIBCS_HEALTH_RED], 0);
    ck_assert_uint_gt(per_band[LIBCS_HEALTH_YELLOW] +
                          per_band[LIBCS_HEALTH_GREEN],
                      0);
    /* coverage may be NULL; the rest is the same */
    static double s_nc[NROWS];
    static int bands_nc[NROWS];
    ck_assert_ok(
        libcs_health_score_batch(m, NROWS, v, s_nc, bands_nc, NULL, NULL));
    for (size_t i = 0; i < NROWS; i++) {
        ck_assert_same(s_nc[i], s[i]);
        ck_assert_int_eq(bands_nc[i], bands[i]);
    }
    libcs_health_model_free(m);
}

START_TEST(test_batch_equals_loop)
{
    static const struct {
        int policy;
        double min_coverage;
        int aggregation;
    } cases[] = {
        {LIBCS_HEALTH_MISSING_DROP, 0.0, LIBCS_HEALTH_WEIGHTED_MEAN},
        {LIBCS_HEALTH_MISSING_DROP, 0.5, LIBCS_HEALTH_WEIGHTED_MEAN},
        {LIBCS_HEALTH_MISSING_WORST, 0.0, LIBCS_HEALTH_WEIGHTED_MEAN},
        {LIBCS_HEALTH_MISSING_WORST, 0.6, LIBCS_HEALTH_WEIGHTED_MEAN},
        {LIBCS_HEALTH_MISSING_DROP, 0.0, LIBCS_HEALTH_WORST_OF},
        {LIBCS_HEALTH_MISSING_WORST, 0.4, LIBCS_HEALTH_WORST_OF},
    };
    rng_seed(2024);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_batch_equals_loop(cases[c].policy, cases[c].min_coverage,
                                cases[c].aggregation);
}
END_TEST

/* Outputs still hold their sentinels. */
static void check_untouched(const double *s, const int *bands,
                            const double *cov, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert(s[i] == SENTINEL);
        ck_assert_int_eq(bands[i], BAND_SENTINEL);
        ck_assert(cov[i] == SENTINEL);
    }
}

static void fill_sentinels(double *s, int *bands, double *cov, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        s[i] = SENTINEL;
        bands[i] = BAND_SENTINEL;
        cov[i] = SENTINEL;
    }
}

START_TEST(test_batch_errors)
{
    libcs_health_model *m = example_model();
    enum { N = 12 };
    double v[N * 3], s[N], cov[N];
    int bands[N];
    size_t bad;

    rng_seed(7);
    random_rows(v, N, 0.1);
    fill_sentinels(s, bands, cov, N);

    /* NULL arguments */
    ck_assert_rc(libcs_health_score_batch(NULL, N, v, s, bands, cov, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_score_batch(m, N, NULL, s, bands, cov, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_score_batch(m, N, v, NULL, bands, cov, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, NULL, cov, &bad),
                 LIBCS_EINVAL);
    /* n = 0 */
    ck_assert_rc(libcs_health_score_batch(m, 0, v, s, bands, cov, &bad),
                 LIBCS_EEMPTY);
    check_untouched(s, bands, cov, N);

    /* +Inf at row 7, column 1 and a bad yes/no later, at row 9, column 2:
     * the first one wins: bad_index = 7 x 3 + 1 = 22; outputs untouched
     * (even the rows before the bad one) */
    v[7 * 3 + 1] = INFINITY;
    v[9 * 3 + 2] = 0.5;
    bad = 999;
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, &bad),
                 LIBCS_ENONFINITE);
    ck_assert_uint_eq(bad, 22);
    check_untouched(s, bands, cov, N);
    /* bad_index may be NULL */
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, NULL),
                 LIBCS_ENONFINITE);
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, NULL, NULL),
                 LIBCS_ENONFINITE);
    check_untouched(s, bands, cov, N);

    /* now the bad yes/no comes first: row 4, column 2 -> 14 */
    v[4 * 3 + 2] = 2;
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, &bad),
                 LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, 14);
    check_untouched(s, bands, cov, N);

    /* -Inf in the very first element, and in the very last one */
    random_rows(v, N, 0.1);
    v[0] = -INFINITY;
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, &bad),
                 LIBCS_ENONFINITE);
    ck_assert_uint_eq(bad, 0);
    v[0] = 1;
    v[N * 3 - 1] = -INFINITY;
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, &bad),
                 LIBCS_ENONFINITE);
    ck_assert_uint_eq(bad, N * 3 - 1);
    check_untouched(s, bands, cov, N);
    /* the same rows succeed when the bad element is missing instead */
    v[N * 3 - 1] = NAN;
    ck_assert_ok(libcs_health_score_batch(m, N, v, s, bands, cov, &bad));
    ck_assert_uint_eq(bad, N * 3 - 1);
    libcs_health_model_free(m);

    /* a model with k = 0 */
    m = empty_model();
    fill_sentinels(s, bands, cov, N);
    ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, &bad),
                 LIBCS_EEMPTY);
    check_untouched(s, bands, cov, N);
    libcs_health_model_free(m);
}
END_TEST

/* ---- exact band edges ---------------------------------------------------- */

/* Scores that are exactly a band limit must land in the band below it: red
 * is [0, 50], yellow (50, 75], green (75, 100].  A linear rule is
 * 100 (v - bad) / (good - bad) and a weighted mean sum(w p) / sum(w), each
 * rounded once where the inputs make that possible, so exact cases stay
 * exact.  (Formed as (v - bad) x (100 / (good - bad)) and from weight
 * shares, 5.5 on 0..11 was 50.000000000000007, yellow, and weights 7, 8, 6
 * all at 75 points gave 75.000000000000014, green.) */
START_TEST(test_exact_linear_edges)
{
    libcs_health_model *m = empty_model();
    int band;
    /* 100 (5.5 - 0) / (11 - 0) = 550 / 11 = 50 exactly: red */
    ck_assert_ok(libcs_health_model_add_linear(m, "up", 1, 0, 11));
    ck_assert(score_of(m, (const double[]){5.5}, &band, NULL) == 50.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    /* 100 (8.25 - 0) / 11 = 825 / 11 = 75 exactly: yellow */
    ck_assert(score_of(m, (const double[]){8.25}, &band, NULL) == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    libcs_health_model_free(m);

    /* lower is better, the mirror: bad 11, good 0:
     * 100 (5.5 - 11) / (0 - 11) = -550 / -11 = 50; 100 (2.75 - 11) / -11 = 75 */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "down", 1, 11, 0));
    ck_assert(score_of(m, (const double[]){5.5}, &band, NULL) == 50.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    ck_assert(score_of(m, (const double[]){2.75}, &band, NULL) == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    /* v = bad scores +0, not -0 (0 / -11) */
    double z = points1(m, 11);
    ck_assert(z == 0.0 && !signbit(z));
    libcs_health_model_free(m);

    /* thresholds 100 x whose difference would overflow are scaled exactly:
     * bad -1e307, good 1e307, v 0 -> 50; v 5e306 -> 75 */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_linear(m, "wide", 1, -0x1p1020,
                                               0x1p1020));
    ck_assert(points1(m, 0) == 50.0);
    ck_assert(points1(m, 0x1p1019) == 75.0);
    ck_assert(points1(m, DBL_MAX) == 100.0);
    ck_assert(points1(m, -DBL_MAX) == 0.0);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_exact_weighted_edges)
{
    libcs_health_model *m = empty_model();
    int band;
    /* weights 7, 8, 6, every measure at 75 points:
     * (7 + 8 + 6) 75 / (7 + 8 + 6) = 1575 / 21 = 75: yellow */
    const double b1[] = {1}, p75[] = {75, 75};
    ck_assert_ok(libcs_health_model_add_linear(m, "a", 7, 0, 100));
    ck_assert_ok(libcs_health_model_add_tiers(m, "b", 8, 2, b1, p75));
    ck_assert_ok(libcs_health_model_add_yesno(m, "c", 6, 75, 0));
    ck_assert(score_of(m, (const double[]){75, 0, 1}, &band, NULL) == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    /* the first dropped: (8 + 6) 75 / 14 = 75 */
    ck_assert(score_of(m, (const double[]){NAN, 0, 1}, &band, NULL) == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    libcs_health_model_free(m);

    /* weights 3 and 1 at 100 and 0 points: 300 / 4 = 75 exactly */
    m = empty_model();
    ck_assert_ok(libcs_health_model_add_yesno(m, "x", 3, 100, 0));
    ck_assert_ok(libcs_health_model_add_yesno(m, "y", 1, 100, 0));
    ck_assert(score_of(m, (const double[]){1, 0}, &band, NULL) == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    /* the worst policy scores a missing "y" at 0 with its weight: 75 */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    ck_assert(score_of(m, (const double[]){1, NAN}, &band, NULL) == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    libcs_health_model_free(m);
}
END_TEST

/* A measure that gives exactly `pts` points for the value it sets in *v:
 * linear (thresholds 0 and 100 times a power of two, either direction),
 * one-tier tiers, or yes/no. */
static void add_measure_at(libcs_health_model *m, size_t j, double w,
                           double pts, double *v)
{
    char name[24];
    snprintf(name, sizeof name, "m%zu", j);
    switch (rng_next() % 3) {
    case 0: {
        double unit = ldexp(1.0, (int)(rng_next() % 41) - 20);
        double base = (double)((int)(rng_next() % 2001) - 1000) * unit;
        int down = rng_next() % 2;
        double bad = down ? base + 100 * unit : base;
        double good = down ? base : base + 100 * unit;
        ck_assert_ok(libcs_health_model_add_linear(m, name, w, bad, good));
        *v = bad + (good - bad) * pts / 100.0; /* exact: pts is k / 8 */
        break;
    }
    case 1: {
        const double p1[] = {pts};
        ck_assert_ok(libcs_health_model_add_tiers(m, name, w, 1, NULL, p1));
        *v = rng_range(-10, 10);
        break;
    }
    default:
        ck_assert_ok(libcs_health_model_add_yesno(m, name, w, pts,
                                                  pts == 0 ? 1 : 0));
        *v = 1;
        break;
    }
}

/* Equal points under random whole-number weights: the weighted mean is
 * exactly those points, whatever the weights and with or without a dropped
 * measure; also with weights near the top of the double range and
 * subnormal ones (whole multiples of 2^1000 and of 2^-1074). */
START_TEST(test_exact_equal_points)
{
    rng_seed(75);
    for (int c = 0; c < 3000; c++) {
        libcs_health_model *m = empty_model();
        size_t k = 1 + rng_next() % 12;
        double v[13], unit = c % 3 == 0   ? 1.0
                             : c % 3 == 1 ? 0x1p1000
                                          : 0x1p-1074;
        double pts = c % 2 ? (double)(rng_next() % 101)
                           : (rng_next() % 2 ? 50.0 : 75.0);
        for (size_t j = 0; j < k; j++) {
            double w = (double)(1 + rng_next() % (c % 3 == 1 ? 30 : 1000000));
            add_measure_at(m, j, w * unit, pts, &v[j]);
        }
        /* a missing measure of any weight, dropped */
        int missing = c % 4 == 0;
        if (missing) {
            ck_assert_ok(libcs_health_model_add_linear(
                m, "gone", (double)(1 + rng_next() % 1000) * unit, 0, 1));
            v[k] = NAN;
        }
        int band;
        double s = score_of(m, v, &band, NULL);
        ck_assert_msg(s == pts, "case %d: %zu measures at %g points give %.17g",
                      c, k, pts, s);
        ck_assert_int_eq(band, band_of(m, pts));
        libcs_health_model_free(m);
    }
}
END_TEST

/* Many random cases whose score is exactly 50 or 75 by construction: pairs
 * of equally weighted measures at E - d and E + d points (d a multiple of
 * 12.5, so every point value is k / 8 of 100 and every linear value exact),
 * single measures at E, dropped measures; under the weighted mean (both
 * missing policies when nothing is missing) and worst-of (one measure at E,
 * the others above).  Each score must be exactly E and its band red (50) or
 * yellow (75), singly and in the batch. */
START_TEST(test_exact_edges_property)
{
    enum { CASES = 20000, KMAX = 16 };
    static double rows[CASES][KMAX];
    rng_seed(5075);
    size_t wrong = 0;
    for (int c = 0; c < CASES; c++) {
        libcs_health_model *m = empty_model();
        double edge = rng_next() % 2 ? 75.0 : 50.0, *v = rows[c];
        int worst_of = c % 5 == 0, policy_worst = c % 7 == 0;
        size_t k = 0, dropped = 0;
        while (k == dropped || (k + 2 < KMAX && rng_next() % 3)) {
            double w = (double)(1 + rng_next() % 1000);
            if (worst_of) {
                /* the minimum is exactly E */
                double d = k == 0 ? 0.0 : 12.5 * (double)(rng_next() % 3);
                add_measure_at(m, k, w, fmin(edge + d, 100.0), &v[k]);
                k++;
                continue;
            }
            switch (rng_next() % 4) {
            case 0:
                add_measure_at(m, k, w, edge, &v[k]);
                k++;
                break;
            case 1: {
                double lim = edge == 75 ? 2 : 4;
                double d = 12.5 * (double)(1 + rng_next() % (size_t)lim);
                add_measure_at(m, k, w, edge - d, &v[k]);
                add_measure_at(m, k + 1, w, edge + d, &v[k + 1]);
                k += 2;
                break;
            }
            case 2:
                if (!policy_worst) { /* dropped */
                    add_measure_at(m, k, w, 100, &v[k]);
                    v[k++] = NAN;
                    dropped++;
                    break;
                }
                /* fall through */
            default:
                add_measure_at(m, k, w, edge, &v[k]);
                k++;
                break;
            }
        }
        if (policy_worst)
            ck_assert_ok(libcs_health_model_set_missing(
                m, LIBCS_HEALTH_MISSING_WORST, 0));
        if (worst_of)
            ck_assert_ok(
                libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WORST_OF));
        int band;
        double s = score_of(m, v, &band, NULL);
        int want = edge == 50 ? LIBCS_HEALTH_RED : LIBCS_HEALTH_YELLOW;
        if (s != edge || band != want) {
            if (wrong++ < 5)
                fprintf(stderr, "case %d: %zu measures, edge %g: %.17g (band "
                                "%d)\n",
                        c, k, edge, s, band);
        }
        /* the batch agrees: 64 rows of this model, the case in row c % 64 */
        if (c % 97 == 0) {
            static double many[64 * KMAX], sc[64];
            static int bd[64];
            for (size_t i = 0; i < 64; i++)
                memcpy(many + i * k, v, k * sizeof *v);
            ck_assert_ok(
                libcs_health_score_batch(m, 64, many, sc, bd, NULL, NULL));
            for (size_t i = 0; i < 64; i++)
                if (sc[i] != s || bd[i] != band)
                    ck_abort_msg("case %d: batch row %zu: %.17g, single %.17g",
                                 c, i, sc[i], s);
        }
        libcs_health_model_free(m);
    }
    ck_assert_msg(wrong == 0, "%zu of %d exact-edge cases off their band",
                  wrong, CASES);
}
END_TEST

/* Weights so far apart that the small ones vanish once scaled with the
 * total (2^1000 beside 3 x 2^-1000 and 2^-1000: a ratio of 2^2000) still
 * count when only they are present: 3 x 100 + 1 x 0 over 4 = 75, known,
 * with coverage 2^-1998, which underflows to 0. */
START_TEST(test_weights_far_apart)
{
    libcs_health_model *m = empty_model();
    double pts[3], con[3], s, cov;
    int band;
    ck_assert_ok(libcs_health_model_add_linear(m, "big", 0x1p1000, 0, 10));
    ck_assert_ok(libcs_health_model_add_yesno(m, "tiny3", 0x3p-1000, 100, 0));
    ck_assert_ok(libcs_health_model_add_yesno(m, "tiny1", 0x1p-1000, 100, 0));
    const double row[] = {NAN, 1, 0};
    s = score_of(m, row, &band, &cov);
    ck_assert(s == 75.0);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    ck_assert(cov == 0.0);
    ck_assert_ok(libcs_health_explain(m, row, pts, con, &s, &band));
    ck_assert(s == 75.0);
    ck_assert(isnan(con[0]));
    ck_assert_close(con[1], 75, 1e-15);
    ck_assert(con[2] == 0.0);
    /* the batch takes the same path */
    double rows[5 * 3], sc[5], cv[5];
    int bd[5];
    for (size_t i = 0; i < 5; i++)
        memcpy(rows + 3 * i, row, sizeof row);
    rows[3 * 2] = 5; /* row 2 has the big one: 50 */
    ck_assert_ok(libcs_health_score_batch(m, 5, rows, sc, bd, cv, NULL));
    for (size_t i = 0; i < 5; i++)
        ck_assert(sc[i] == (i == 2 ? 50.0 : 75.0));
    libcs_health_model_free(m);
}
END_TEST

/* The batch's fast check reads whole tiles of rows: errors anywhere in a
 * long batch are still found, the first one named, and valid extremes pass
 * (huge and subnormal values of a linear measure; NaN and -0 of a yes/no
 * one).  A model with more measures than a tile holds is checked row by
 * row. */
START_TEST(test_batch_errors_long)
{
    enum { N = 2000 };
    libcs_health_model *m = example_model();
    static double v[N * 3], s[N], cov[N];
    static int bands[N];
    size_t bad;
    rng_seed(99);
    random_rows(v, N, 0.1);
    v[5 * 3] = DBL_MAX;
    v[6 * 3] = -DBL_MAX;
    v[7 * 3] = 5e-324;
    v[8 * 3 + 2] = -0.0;
    v[9 * 3 + 2] = NAN;
    ck_assert_ok(libcs_health_score_batch(m, N, v, s, bands, cov, NULL));
    static const struct {
        size_t at;
        double value;
        int rc;
    } cases[] = {
        /* a tile holds 1024 / 3 = 341 rows: errors at its edges too */
        {1500 * 3 + 2, 0.5, LIBCS_EDOMAIN},
        {1999 * 3 + 2, 2, LIBCS_EDOMAIN},
        {700 * 3 + 0, INFINITY, LIBCS_ENONFINITE},
        {1 * 3 + 1, -INFINITY, LIBCS_ENONFINITE},
        {1024 * 3 + 2, DBL_MAX, LIBCS_EDOMAIN},
        {341 * 3 + 2, 5e-324, LIBCS_EDOMAIN},
        {1998 * 3 + 1, INFINITY, LIBCS_ENONFINITE},
        {340 * 3 + 2, INFINITY, LIBCS_ENONFINITE},
    };
    for (size_t c = 0; c < N_OF(cases); c++) {
        double keep = v[cases[c].at];
        v[cases[c].at] = cases[c].value;
        /* a second error later must not be the one named */
        size_t later = cases[c].at + 3 < N * 3 ? cases[c].at + 3 : SIZE_MAX;
        double keep2 = later != SIZE_MAX ? v[later] : 0.0;
        if (later != SIZE_MAX)
            v[later] = INFINITY;
        fill_sentinels(s, bands, cov, N);
        bad = 4242;
        ck_assert_rc(libcs_health_score_batch(m, N, v, s, bands, cov, &bad),
                     cases[c].rc);
        ck_assert_uint_eq(bad, cases[c].at);
        check_untouched(s, bands, cov, N);
        if (later != SIZE_MAX)
            v[later] = keep2;
        v[cases[c].at] = keep;
    }
    libcs_health_model_free(m);

    /* 1100 measures: no tile holds two rows */
    m = empty_model();
    enum { K = 1100 };
    static double w[3 * K];
    for (size_t j = 0; j < K; j++) {
        char name[16];
        snprintf(name, sizeof name, "m%zu", j);
        ck_assert_ok(libcs_health_model_add_yesno(m, name, 1, 100, 0));
    }
    for (size_t i = 0; i < 3 * K; i++)
        w[i] = (double)(i % 2);
    ck_assert_ok(libcs_health_score_batch(m, 3, w, s, bands, cov, NULL));
    for (size_t i = 0; i < 3; i++)
        ck_assert(s[i] == 50.0);
    w[2 * K + 7] = 0.25;
    bad = 0;
    ck_assert_rc(libcs_health_score_batch(m, 3, w, s, bands, cov, &bad),
                 LIBCS_EDOMAIN);
    ck_assert_uint_eq(bad, 2 * K + 7);
    libcs_health_model_free(m);
}
END_TEST

/* ---- explain ------------------------------------------------------------- */

/* contributions sum to the score */
static void check_sum(const double *contrib, size_t k, double score)
{
    double sum = 0.0;
    for (size_t j = 0; j < k; j++)
        if (!isnan(contrib[j]))
            sum += contrib[j];
    ck_assert_close(sum, score, 1e-12);
}

START_TEST(test_explain_example)
{
    libcs_health_model *m = example_model();
    double p[3], c[3], s;
    int band;
    /* points 50, 60, 100; contributions = share x points:
     * 30/60 x 50 = 25, 20/60 x 60 = 20, 10/60 x 100 = 16.666...
     * sum = 61.666... */
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){5, 4, 1}, p, c, &s, &band));
    ck_assert_close(p[0], 50, 1e-14);
    ck_assert_close(p[1], 60, 0);
    ck_assert_close(p[2], 100, 0);
    ck_assert_close(c[0], 25, 1e-14);
    ck_assert_close(c[1], 20, 1e-14);
    ck_assert_close(c[2], 1000.0 / 60.0, 1e-14);
    ck_assert_close(s, 3700.0 / 60.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    check_sum(c, 3, s);

    /* drop, logins missing: its points are NaN, the rest renormalise over
     * 30: 20/30 x 60 = 40, 10/30 x 100 = 33.333...; sum 73.333... */
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){NAN, 4, 1}, p, c, &s, &band));
    ck_assert(isnan(p[0]));
    ck_assert(isnan(c[0]));
    ck_assert_close(p[1], 60, 0);
    ck_assert_close(p[2], 100, 0);
    ck_assert_close(c[1], 40, 1e-14);
    ck_assert_close(c[2], 100.0 / 3.0, 1e-14);
    ck_assert_close(s, 2200.0 / 30.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_YELLOW);
    check_sum(c, 3, s);

    /* worst policy: the missing logins scores 0 and contributes 0; the others
     * keep their full-weight shares: 20 and 16.666...; sum 36.666... */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){NAN, 4, 1}, p, c, &s, &band));
    ck_assert_close(p[0], 0, 0);
    ck_assert_close(c[0], 0, 0);
    ck_assert_close(c[1], 20, 1e-14);
    ck_assert_close(c[2], 1000.0 / 60.0, 1e-14);
    ck_assert_close(s, 2200.0 / 60.0, 1e-14);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    check_sum(c, 3, s);

    /* unknown (coverage 0.5 < 0.6): score NaN, band unknown, no
     * contributions, but the points of the measured values are shown */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP, 0.6));
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){NAN, 4, 1}, p, c, &s, &band));
    ck_assert(isnan(s));
    ck_assert_int_eq(band, LIBCS_HEALTH_UNKNOWN);
    ck_assert(isnan(p[0]));
    ck_assert_close(p[1], 60, 0);
    ck_assert_close(p[2], 100, 0);
    for (size_t j = 0; j < 3; j++)
        ck_assert(isnan(c[j]));
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_explain_worst_of)
{
    libcs_health_model *m = example_model();
    double p[3], c[3], s;
    int band;
    ck_assert_ok(libcs_health_model_set_aggregation(m, LIBCS_HEALTH_WORST_OF));
    /* points 80, 0, 100: tickets is the worst and carries the whole score */
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){8, 7, 1}, p, c, &s, &band));
    ck_assert_close(p[0], 80, 1e-14);
    ck_assert_close(p[1], 0, 0);
    ck_assert_close(p[2], 100, 0);
    ck_assert(s == 0);
    ck_assert_int_eq(band, LIBCS_HEALTH_RED);
    ck_assert(c[0] == 0 && c[1] == 0 && c[2] == 0);
    /* points 50, 60, 100: logins carries 50, the others 0 */
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){5, 4, 1}, p, c, &s, &band));
    ck_assert(s == 50);
    ck_assert(c[0] == 50 && c[1] == 0 && c[2] == 0);
    /* drop: the missing logins is NaN; tickets (60) carries the score */
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){NAN, 4, 1}, p, c, &s, &band));
    ck_assert(isnan(p[0]) && isnan(c[0]));
    ck_assert(s == 60);
    ck_assert(c[1] == 60 && c[2] == 0);
    check_sum(c, 3, s);
    /* a tie: exactly one measure carries the score */
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){6, 4, 1}, p, c, &s, &band));
    ck_assert(s == 60);
    ck_assert((c[0] == 60) + (c[1] == 60) == 1);
    check_sum(c, 3, s);
    /* worst policy: the missing logins scores 0 and carries the score */
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_WORST, 0));
    ck_assert_ok(
        libcs_health_explain(m, (const double[]){NAN, 4, 1}, p, c, &s, &band));
    ck_assert(p[0] == 0 && s == 0);
    check_sum(c, 3, s);
    libcs_health_model_free(m);
}
END_TEST

/* Contributions sum to the score on random rows under every setting. */
START_TEST(test_explain_sums)
{
    static const int settings[][2] = {
        {LIBCS_HEALTH_MISSING_DROP, LIBCS_HEALTH_WEIGHTED_MEAN},
        {LIBCS_HEALTH_MISSING_WORST, LIBCS_HEALTH_WEIGHTED_MEAN},
        {LIBCS_HEALTH_MISSING_DROP, LIBCS_HEALTH_WORST_OF},
        {LIBCS_HEALTH_MISSING_WORST, LIBCS_HEALTH_WORST_OF},
    };
    double v[NROWS * 3];
    rng_seed(99);
    random_rows(v, NROWS, 0.25);
    for (size_t c = 0; c < 4; c++) {
        libcs_health_model *m = example_model();
        ck_assert_ok(libcs_health_model_set_missing(m, settings[c][0], 0));
        ck_assert_ok(libcs_health_model_set_aggregation(m, settings[c][1]));
        for (size_t i = 0; i < NROWS; i++) {
            double p[3], con[3], s;
            int band;
            ck_assert_ok(
                libcs_health_explain(m, v + 3 * i, p, con, &s, &band));
            if (isnan(s))
                continue;
            check_sum(con, 3, s);
            for (size_t j = 0; j < 3; j++) {
                /* NaN exactly for dropped measures */
                int dropped = isnan(v[3 * i + j]) &&
                              settings[c][0] == LIBCS_HEALTH_MISSING_DROP;
                ck_assert_int_eq(isnan(p[j]) != 0, dropped);
                ck_assert_int_eq(isnan(con[j]) != 0, dropped);
                if (!dropped)
                    ck_assert(p[j] >= 0 && p[j] <= 100 && con[j] >= 0);
            }
        }
        libcs_health_model_free(m);
    }
}
END_TEST

START_TEST(test_explain_errors)
{
    libcs_health_model *m = example_model();
    const double row[] = {5, 4, 1};
    double p[3] = {SENTINEL, SENTINEL, SENTINEL};
    double c[3] = {SENTINEL, SENTINEL, SENTINEL}, s;
    int band = BAND_SENTINEL;

    ck_assert_fails(libcs_health_explain(NULL, row, p, c, &s, &band),
                    LIBCS_EINVAL, s);
    ck_assert_fails(libcs_health_explain(m, NULL, p, c, &s, &band),
                    LIBCS_EINVAL, s);
    ck_assert_fails(libcs_health_explain(m, row, NULL, c, &s, &band),
                    LIBCS_EINVAL, s);
    ck_assert_fails(libcs_health_explain(m, row, p, NULL, &s, &band),
                    LIBCS_EINVAL, s);
    ck_assert_rc(libcs_health_explain(m, row, p, c, NULL, &band),
                 LIBCS_EINVAL);
    ck_assert_fails(libcs_health_explain(m, row, p, c, &s, NULL),
                    LIBCS_EINVAL, s);
    ck_assert_fails(libcs_health_explain(m, (const double[]){5, INFINITY, 1},
                                         p, c, &s, &band),
                    LIBCS_ENONFINITE, s);
    ck_assert_fails(libcs_health_explain(m, (const double[]){-INFINITY, 4, 1},
                                         p, c, &s, &band),
                    LIBCS_ENONFINITE, s);
    ck_assert_fails(
        libcs_health_explain(m, (const double[]){5, 4, 3}, p, c, &s, &band),
        LIBCS_EDOMAIN, s);
    for (size_t j = 0; j < 3; j++)
        ck_assert(p[j] == SENTINEL && c[j] == SENTINEL);
    ck_assert_int_eq(band, BAND_SENTINEL);
    libcs_health_model_free(m);

    m = empty_model();
    ck_assert_fails(libcs_health_explain(m, row, p, c, &s, &band),
                    LIBCS_EEMPTY, s);
    ck_assert(p[0] == SENTINEL && c[0] == SENTINEL);
    libcs_health_model_free(m);
}
END_TEST

/* ---- changes ------------------------------------------------------------- */

START_TEST(test_changes)
{
    libcs_health_model *m = empty_model(); /* default bands 50 / 75 */
    /* previous -> current; default bands: red <= 50 < yellow <= 75 < green */
    static const struct {
        double prev, cur;
        int events;
    } cases[] = {
        {80, 40, LIBCS_HEALTH_ENTERED_RED | LIBCS_HEALTH_LEFT_GREEN},
        {40, 90, LIBCS_HEALTH_ENTERED_GREEN | LIBCS_HEALTH_LEFT_RED},
        {60, 70, 0},
        {50, 50.5, LIBCS_HEALTH_ENTERED_YELLOW | LIBCS_HEALTH_LEFT_RED},
        {75, 75.5, LIBCS_HEALTH_ENTERED_GREEN | LIBCS_HEALTH_LEFT_YELLOW},
        {100, 75, LIBCS_HEALTH_ENTERED_YELLOW | LIBCS_HEALTH_LEFT_GREEN},
        {60, 0, LIBCS_HEALTH_ENTERED_RED | LIBCS_HEALTH_LEFT_YELLOW},
        {50.5, 50, LIBCS_HEALTH_ENTERED_RED | LIBCS_HEALTH_LEFT_YELLOW},
        {NAN, 30, LIBCS_HEALTH_BECAME_KNOWN | LIBCS_HEALTH_ENTERED_RED},
        {NAN, 60, LIBCS_HEALTH_BECAME_KNOWN | LIBCS_HEALTH_ENTERED_YELLOW},
        {NAN, 99, LIBCS_HEALTH_BECAME_KNOWN | LIBCS_HEALTH_ENTERED_GREEN},
        {80, NAN, LIBCS_HEALTH_BECAME_UNKNOWN | LIBCS_HEALTH_LEFT_GREEN},
        {70, NAN, LIBCS_HEALTH_BECAME_UNKNOWN | LIBCS_HEALTH_LEFT_YELLOW},
        {10, NAN, LIBCS_HEALTH_BECAME_UNKNOWN | LIBCS_HEALTH_LEFT_RED},
        {NAN, NAN, 0},
        {0, 0, 0},
        {100, 76, 0},
        {0, 50, 0},
    };
    enum { N = sizeof cases / sizeof *cases };
    double prev[N], cur[N], deltas[N];
    int events[N];
    size_t changed = 12345, bad = 777, want_changed = 0;
    for (size_t i = 0; i < N; i++) {
        prev[i] = cases[i].prev;
        cur[i] = cases[i].cur;
        want_changed += cases[i].events != 0;
    }
    ck_assert_ok(libcs_health_changes(m, N, prev, cur, deltas, events,
                                      &changed, &bad));
    ck_assert_uint_eq(bad, 777);
    ck_assert_uint_eq(changed, want_changed);
    ck_assert_uint_eq(changed, 13);
    for (size_t i = 0; i < N; i++) {
        ck_assert_msg(events[i] == cases[i].events,
                      "case %zu (%g -> %g): events %d, want %d", i,
                      cases[i].prev, cases[i].cur, events[i], cases[i].events);
        /* delta = current - previous, NaN when either is unknown */
        if (isnan(prev[i]) || isnan(cur[i]))
            ck_assert(isnan(deltas[i]));
        else
            ck_assert(deltas[i] == cur[i] - prev[i]);
    }
    ck_assert(deltas[0] == -40);
    ck_assert(deltas[1] == 50);
    /* a single customer; bad_index may be NULL */
    ck_assert_ok(libcs_health_changes(m, 1, prev, cur, deltas, events,
                                      &changed, NULL));
    ck_assert_uint_eq(changed, 1);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_changes_custom_bands)
{
    libcs_health_model *m = example_model();
    ck_assert_ok(libcs_health_model_set_bands(m, 30, 60));
    /* 45 -> 55: red -> yellow by default bands, yellow -> yellow here;
     * 25 -> 35: red -> yellow here; 55 -> 65: yellow -> green here */
    const double prev[] = {45, 25, 55}, cur[] = {55, 35, 65};
    double deltas[3];
    int events[3];
    size_t changed;
    ck_assert_ok(libcs_health_changes(m, 3, prev, cur, deltas, events,
                                      &changed, NULL));
    ck_assert_int_eq(events[0], 0);
    ck_assert_int_eq(events[1],
                     LIBCS_HEALTH_ENTERED_YELLOW | LIBCS_HEALTH_LEFT_RED);
    ck_assert_int_eq(events[2],
                     LIBCS_HEALTH_ENTERED_GREEN | LIBCS_HEALTH_LEFT_YELLOW);
    ck_assert_uint_eq(changed, 2);
    ck_assert_close(deltas[0], 10, 0);

    /* the events agree with the bands score() gives */
    rng_seed(5);
    double v[NROWS * 3], s1[NROWS], s2[NROWS], cov[NROWS], d[NROWS];
    int b1[NROWS], b2[NROWS], ev[NROWS];
    random_rows(v, NROWS, 0.3);
    ck_assert_ok(
        libcs_health_model_set_missing(m, LIBCS_HEALTH_MISSING_DROP, 0.5));
    ck_assert_ok(libcs_health_score_batch(m, NROWS, v, s1, b1, cov, NULL));
    random_rows(v, NROWS, 0.3);
    ck_assert_ok(libcs_health_score_batch(m, NROWS, v, s2, b2, cov, NULL));
    ck_assert_ok(
        libcs_health_changes(m, NROWS, s1, s2, d, ev, &changed, NULL));
    size_t count = 0;
    for (size_t i = 0; i < NROWS; i++) {
        static const int entered[] = {
            LIBCS_HEALTH_BECAME_UNKNOWN, LIBCS_HEALTH_ENTERED_RED,
            LIBCS_HEALTH_ENTERED_YELLOW, LIBCS_HEALTH_ENTERED_GREEN};
        static const int left[] = {
            LIBCS_HEALTH_BECAME_KNOWN, LIBCS_HEALTH_LEFT_RED,
            LIBCS_HEALTH_LEFT_YELLOW, LIBCS_HEALTH_LEFT_GREEN};
        int want = b1[i] == b2[i] ? 0 : entered[b2[i]] | left[b1[i]];
        ck_assert_int_eq(ev[i], want);
        count += want != 0;
    }
    ck_assert_uint_eq(changed, count);
    ck_assert_uint_gt(count, 0);
    libcs_health_model_free(m);
}
END_TEST

START_TEST(test_changes_errors)
{
    libcs_health_model *m = empty_model();
    enum { N = 4 };
    double prev[N] = {10, 20, 30, 40}, cur[N] = {15, 25, 35, 45};
    double deltas[N];
    int events[N];
    size_t changed = 4321, bad;
#define RESET()                                                                \
    do {                                                                       \
        for (size_t i_ = 0; i_ < N; i_++) {                                    \
            deltas[i_] = SENTINEL;                                             \
            events[i_] = BAND_SENTINEL;                                        \
        }                                                                      \
        changed = 4321;                                                        \
        bad = 999;                                                             \
    } while (0)
#define UNTOUCHED()                                                            \
    do {                                                                       \
        for (size_t i_ = 0; i_ < N; i_++) {                                    \
            ck_assert(deltas[i_] == SENTINEL);                                 \
            ck_assert_int_eq(events[i_], BAND_SENTINEL);                       \
        }                                                                      \
        ck_assert_uint_eq(changed, 4321);                                      \
    } while (0)
    RESET();
    ck_assert_rc(libcs_health_changes(NULL, N, prev, cur, deltas, events,
                                      &changed, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_changes(m, N, NULL, cur, deltas, events,
                                      &changed, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_changes(m, N, prev, NULL, deltas, events,
                                      &changed, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_changes(m, N, prev, cur, NULL, events,
                                      &changed, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_changes(m, N, prev, cur, deltas, NULL,
                                      &changed, &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_changes(m, N, prev, cur, deltas, events, NULL,
                                      &bad),
                 LIBCS_EINVAL);
    ck_assert_rc(libcs_health_changes(m, 0, prev, cur, deltas, events,
                                      &changed, &bad),
                 LIBCS_EEMPTY);
    UNTOUCHED();
    ck_assert_uint_eq(bad, 999);

    /* scores off the 0..100 scale or infinite; bad_index = the customer */
    static const struct {
        size_t i;
        int in_prev;
        double value;
        int code;
    } cases[] = {
        {2, 1, INFINITY, LIBCS_ENONFINITE},
        {1, 0, -INFINITY, LIBCS_ENONFINITE},
        {0, 1, -0.5, LIBCS_EDOMAIN},
        {3, 0, 100.5, LIBCS_EDOMAIN},
        {3, 1, 1e300, LIBCS_EDOMAIN},
        {1, 1, -5e-324, LIBCS_EDOMAIN},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double *arr = cases[c].in_prev ? prev : cur;
        double saved = arr[cases[c].i];
        arr[cases[c].i] = cases[c].value;
        RESET();
        ck_assert_rc(libcs_health_changes(m, N, prev, cur, deltas, events,
                                          &changed, &bad),
                     cases[c].code);
        ck_assert_uint_eq(bad, cases[c].i);
        UNTOUCHED();
        ck_assert_rc(libcs_health_changes(m, N, prev, cur, deltas, events,
                                          &changed, NULL),
                     cases[c].code);
        UNTOUCHED();
        arr[cases[c].i] = saved;
    }
    /* the first bad customer is reported: 1 (current) before 2 (previous) */
    prev[2] = 101;
    cur[1] = INFINITY;
    RESET();
    ck_assert_rc(libcs_health_changes(m, N, prev, cur, deltas, events,
                                      &changed, &bad),
                 LIBCS_ENONFINITE);
    ck_assert_uint_eq(bad, 1);
    UNTOUCHED();
#undef RESET
#undef UNTOUCHED
    libcs_health_model_free(m);
}
END_TEST

/* ---- the suite ----------------------------------------------------------- */

static Suite *health_suite(void)
{
    Suite *s = suite_create("health");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_new_free);
    tcase_add_test(tc, test_measures_and_names);
    tcase_add_test(tc, test_weight_shares);
    tcase_add_loop_test(tc, test_name_weight_errors, 0, 3);
    tcase_add_test(tc, test_add_linear_errors);
    tcase_add_test(tc, test_add_tiers_errors);
    tcase_add_test(tc, test_add_yesno_errors);
    tcase_add_test(tc, test_weight_sum_overflow);
    tcase_add_test(tc, test_setters_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("rules");
    tcase_add_test(tc, test_worked_example);
    tcase_add_test(tc, test_linear_rule);
    tcase_add_test(tc, test_tiers_rule);
    tcase_add_test(tc, test_yesno_rule);
    tcase_add_test(tc, test_weights_scale_free);
    tcase_add_test(tc, test_weights_huge);
    tcase_add_test(tc, test_weights_subnormal);
    suite_add_tcase(s, tc);

    tc = tcase_create("missing");
    tcase_add_test(tc, test_missing_drop);
    tcase_add_test(tc, test_missing_worst);
    tcase_add_test(tc, test_min_coverage);
    suite_add_tcase(s, tc);

    tc = tcase_create("aggregation and bands");
    tcase_add_test(tc, test_worst_of);
    tcase_add_test(tc, test_default_bands);
    tcase_add_test(tc, test_custom_bands);
    suite_add_tcase(s, tc);

    tc = tcase_create("score and batch");
    tcase_add_test(tc, test_score_errors);
    tcase_add_test(tc, test_batch_equals_loop);
    tcase_add_test(tc, test_batch_errors);
    tcase_add_test(tc, test_batch_errors_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("exact band edges");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_exact_linear_edges);
    tcase_add_test(tc, test_exact_weighted_edges);
    tcase_add_test(tc, test_exact_equal_points);
    tcase_add_test(tc, test_exact_edges_property);
    tcase_add_test(tc, test_weights_far_apart);
    suite_add_tcase(s, tc);

    tc = tcase_create("explain");
    tcase_add_test(tc, test_explain_example);
    tcase_add_test(tc, test_explain_worst_of);
    tcase_add_test(tc, test_explain_sums);
    tcase_add_test(tc, test_explain_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("changes");
    tcase_add_test(tc, test_changes);
    tcase_add_test(tc, test_changes_custom_bands);
    tcase_add_test(tc, test_changes_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(health_suite());
}
