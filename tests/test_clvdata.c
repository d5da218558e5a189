/* tests/test_clvdata.c - data preparation for the CLV models
 * (libcs_clv_summarize(3)): transaction logs to (x, t_x, T, mean repeat
 * value, holdout count and value) summaries, and identical rows merged into
 * weighted sufficient statistics (libcs_clv_compress).
 *
 * The reference data come from $LIBCS_DATA (make check sets it to
 * ../shared/data); a missing variable or file fails the test loudly.
 *   - CDNOW_sample.txt summarised with a calibration end of 1997-09-30 in
 *     weeks reproduces cdnow_customers_summary.csv (x exactly, t_x and T to
 *     the file's 2 decimals) and the zbar column of
 *     cdnow_customers_summary_with_transactions.csv;
 *   - the holdout to 1998-06-30 is checked against counts made here from the
 *     raw log (1,882 repeat transactions worth $70,976.39; the calibration
 *     has 2,457 repeat transactions, the figure in Fader, Hardie & Lee 2005);
 *   - donations.csv (11,104 donors grouped by pattern) is what compressing
 *     its donor-level rows gives back.
 * The small logs are worked out by hand in the comments; the random logs
 * are checked against a straightforward reference written here.
 *
 * Definitions (from the issue and libcs.h): bucket = floor(time / period);
 * one customer's transactions in one bucket are one transaction, worth
 * their sum, dated from the bucket's start, bucket x period; the first
 * (calibration) bucket is the birth and not counted in x; t_x = (start of
 * the last calibration bucket - start of the first) / time_scale; T =
 * (calibration_end - start of the first) / time_scale; mean value = the
 * repeat buckets' total / x (0 when x = 0); holdout: calibration_end < time
 * <= holdout_end, count of buckets and total value; customers born after
 * calibration_end are not output; output order = order of first appearance
 * in the log. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* rc == code, with both messages on failure (for calls without a double
 * output, where ck_assert_fails does not apply). */
#define ck_assert_rc(call, code)                                               \
    do {                                                                       \
        int rc2_ = (call);                                                     \
        ck_assert_msg(rc2_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, rc2_, libcs_strerror(rc2_), (int)(code),          \
                      libcs_strerror(code));                                   \
    } while (0)

#define NOT_WRITTEN (SIZE_MAX - 17) /* a size_t no call writes */

/* ---- helpers ------------------------------------------------------------- */

/* splitmix64: a small deterministic generator for test data. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *state, uint64_t n)
{
    return rng_next(state) % n;
}

static double rng_unit(uint64_t *state)
{
    return (double)(rng_next(state) >> 11) * 0x1.0p-53;
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    ck_assert_msg(p != NULL, "out of memory");
    return p;
}

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* A YYYYMMDD date as a day number, 1997-01-01 = 0. */
static double cdnow_day(long yyyymmdd)
{
    return (double)(days_from_civil(yyyymmdd / 10000, yyyymmdd / 100 % 100,
                                    yyyymmdd % 100) -
                    days_from_civil(1997, 1, 1));
}

/* A file of $LIBCS_DATA: never a skip when it is missing. */
static FILE *open_data(const char *name)
{
    const char *dir = getenv("LIBCS_DATA");
    ck_assert_msg(dir != NULL && *dir != '\0',
                  "LIBCS_DATA is not set: it must name the directory of the "
                  "reference data sets (../shared/data; make check sets it)");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s: cannot open it (LIBCS_DATA=%s)", path, dir);
    return f;
}

/* CDNOW_sample.txt: customer (the sample's id, 1..2357), day, dollars. */
struct log {
    size_t n;
    int64_t *customer;
    double *time, *amount;
};

static void log_free(struct log *l)
{
    free(l->customer), free(l->time), free(l->amount);
}

#define CDNOW_ROWS 6919
#define CDNOW_CUSTOMERS 2357

static struct log load_cdnow(void)
{
    FILE *f = open_data("CDNOW_sample.txt");
    struct log l = {0, xmalloc(CDNOW_ROWS * sizeof(int64_t)),
                    xmalloc(CDNOW_ROWS * sizeof(double)),
                    xmalloc(CDNOW_ROWS * sizeof(double))};
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long master, id, date;
        int cds;
        double value;
        if (sscanf(line, "%ld %ld %ld %d %lf", &master, &id, &date, &cds,
                   &value) != 5)
            continue;
        ck_assert_msg(l.n < CDNOW_ROWS, "CDNOW_sample.txt: too many rows");
        l.customer[l.n] = id;
        l.time[l.n] = cdnow_day(date);
        l.amount[l.n] = value;
        l.n++;
    }
    fclose(f);
    ck_assert_msg(l.n == CDNOW_ROWS, "CDNOW_sample.txt: %zu rows, want %d",
                  l.n, CDNOW_ROWS);
    return l;
}

/* Up to 5 numeric columns of a CSV file with a header; CRLF tolerated. */
static size_t load_csv(const char *name, int cols, size_t max, double *c0,
                       double *c1, double *c2, double *c3, double *c4)
{
    FILE *f = open_data(name);
    char line[256];
    ck_assert_msg(fgets(line, sizeof line, f) != NULL, "%s: empty", name);
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        double v[5];
        if (sscanf(line, "%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3],
                   &v[4]) != cols)
            continue;
        ck_assert_msg(n < max, "%s: more than %zu rows", name, max);
        double *dst[5] = {c0, c1, c2, c3, c4};
        for (int j = 0; j < cols; j++)
            dst[j][n] = v[j];
        n++;
    }
    fclose(f);
    return n;
}

/* The full outputs of one summarize call. */
struct sum {
    size_t m;
    int64_t *id;
    double *x, *t_x, *T, *mean, *hx, *hv;
};

static void sum_free(struct sum *s)
{
    free(s->id), free(s->x), free(s->t_x), free(s->T), free(s->mean),
        free(s->hx), free(s->hv);
}

static struct sum summarize(const struct log *l, double period,
                            double time_scale, double cal_end,
                            double holdout_end)
{
    size_t cap = l->n, needed = NOT_WRITTEN;
    struct sum s = {0,
                    xmalloc(cap * sizeof(int64_t)),
                    xmalloc(cap * sizeof(double)),
                    xmalloc(cap * sizeof(double)),
                    xmalloc(cap * sizeof(double)),
                    xmalloc(cap * sizeof(double)),
                    xmalloc(cap * sizeof(double)),
                    xmalloc(cap * sizeof(double))};
    ck_assert_ok(libcs_clv_summarize(l->n, l->customer, l->time, l->amount,
                                     period, time_scale, cal_end,
                                     holdout_end, cap, s.id, s.x, s.t_x, s.T,
                                     s.mean, s.hx, s.hv, &needed, NULL));
    ck_assert(needed != NOT_WRITTEN && needed <= cap);
    s.m = needed;
    return s;
}

/* |got - want| <= 0.005 (plus what printing the 2 decimals may lose) */
static int within_rounding(double got, double want)
{
    return fabs(got - want) <= 0.005 + 1e-9;
}

/* ---- CDNOW --------------------------------------------------------------- */

START_TEST(test_dates)
{
    ck_assert_double_eq(cdnow_day(19970101), 0.0);
    ck_assert_double_eq(cdnow_day(19970201), 31.0);
    ck_assert_double_eq(cdnow_day(19970301), 59.0); /* 1997: not leap */
    /* Jan..Aug = 31+28+31+30+31+30+31+31 = 243 days, + 29 */
    ck_assert_double_eq(cdnow_day(19970930), 272.0);
    ck_assert_double_eq(cdnow_day(19980101), 365.0);
    /* 365 + Jan..May (151) + 29 */
    ck_assert_double_eq(cdnow_day(19980630), 545.0);
    ck_assert_double_eq(cdnow_day(20000301) - cdnow_day(20000228), 2.0);
}
END_TEST

/* CDNOW with times as whole days since 1997-01-01, period 1 day, time
 * scale 7 (weeks) and a calibration end of 1997-09-30 = day 272: the
 * published summary, row for row. */
START_TEST(test_cdnow_summary)
{
    struct log l = load_cdnow();
    double cal_end = cdnow_day(19970930);
    struct sum s = summarize(&l, 1.0, 7.0, cal_end, cal_end);
    ck_assert_uint_eq(s.m, CDNOW_CUSTOMERS);

    enum { MAX = 3000 };
    static double id[MAX], fx[MAX], ftx[MAX], fT[MAX];
    static double zid[MAX], zx[MAX], ztx[MAX], zT[MAX], zbar[MAX];
    size_t nf = load_csv("cdnow_customers_summary.csv", 4, MAX, id, fx, ftx,
                         fT, NULL);
    size_t nz = load_csv("cdnow_customers_summary_with_transactions.csv", 5,
                         MAX, zid, zx, ztx, zT, zbar);
    ck_assert_uint_eq(nf, CDNOW_CUSTOMERS);
    ck_assert_uint_eq(nz, CDNOW_CUSTOMERS);
    double repeats = 0.0;
    for (size_t i = 0; i < s.m; i++) {
        /* the sample is sorted by customer: first appearance = id order */
        ck_assert_msg(s.id[i] == (int64_t)id[i] && s.id[i] == (int64_t)zid[i],
                      "row %zu: customer %lld, file %g", i, (long long)s.id[i],
                      id[i]);
        ck_assert_msg(s.x[i] == fx[i] && s.x[i] == zx[i],
                      "customer %lld: x = %g, file %g", (long long)s.id[i],
                      s.x[i], fx[i]);
        /* t_x and T are whole days / 7: never half-way between two
         * hundredths, so they round to exactly the file's figures */
        ck_assert_msg(within_rounding(s.t_x[i], ftx[i]) &&
                          round(100.0 * s.t_x[i]) == round(100.0 * ftx[i]),
                      "customer %lld: t_x = %.6f, file %.2f",
                      (long long)s.id[i], s.t_x[i], ftx[i]);
        ck_assert_msg(within_rounding(s.T[i], fT[i]) &&
                          round(100.0 * s.T[i]) == round(100.0 * fT[i]),
                      "customer %lld: T = %.6f, file %.2f", (long long)s.id[i],
                      s.T[i], fT[i]);
        ck_assert_msg(within_rounding(s.mean[i], zbar[i]),
                      "customer %lld: mean value = %.6f, zbar %.2f",
                      (long long)s.id[i], s.mean[i], zbar[i]);
        ck_assert_double_eq(s.hx[i], 0.0);
        ck_assert_double_eq(s.hv[i], 0.0);
        /* every customer of the sample first bought in the first quarter */
        ck_assert(s.T[i] > 26.0 && s.T[i] <= 272.0 / 7.0);
        repeats += s.x[i];
    }
    /* customer 1 (00004): 1997-01-01 $29.33, 01-18 $29.73, 08-02 $14.96;
     * 12-12 is after the calibration: x = 2, t_x = 213 / 7, T = 272 / 7,
     * mean (29.73 + 14.96) / 2 = 22.345 */
    ck_assert_double_eq(s.x[0], 2.0);
    ck_assert_double_eq_tol(s.t_x[0], 213.0 / 7.0, 1e-15);
    ck_assert_double_eq_tol(s.T[0], 272.0 / 7.0, 1e-15);
    ck_assert_double_eq_tol(s.mean[0], 22.345, 1e-12);
    /* the 2,457 repeat transactions of Fader, Hardie & Lee (2005) */
    ck_assert_double_eq(repeats, 2457.0);
    sum_free(&s);
    log_free(&l);
}
END_TEST

struct pair {
    int64_t customer;
    double day;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->customer != y->customer)
        return x->customer < y->customer ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

/* Distinct (customer, day) pairs with lo < day <= hi, and their dollars. */
static size_t count_days(const struct log *l, double lo, double hi,
                         double *value, double *per_customer)
{
    struct pair *p = xmalloc(l->n * sizeof *p);
    size_t k = 0;
    *value = 0.0;
    for (size_t i = 0; i < l->n; i++)
        if (l->time[i] > lo && l->time[i] <= hi) {
            p[k].customer = l->customer[i];
            p[k].day = l->time[i];
            k++;
            *value += l->amount[i];
        }
    qsort(p, k, sizeof *p, cmp_pair);
    size_t distinct = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || cmp_pair(&p[i], &p[i - 1]) != 0) {
            distinct++;
            if (per_customer)
                per_customer[p[i].customer]++;
        }
    free(p);
    return distinct;
}

/* Calibration to 1997-09-30, holdout to 1998-06-30 (the end of the data). */
START_TEST(test_cdnow_holdout)
{
    struct log l = load_cdnow();
    double cal_end = cdnow_day(19970930), hold_end = cdnow_day(19980630);
    struct sum c = summarize(&l, 1.0, 7.0, cal_end, cal_end);
    struct sum h = summarize(&l, 1.0, 7.0, cal_end, hold_end);
    ck_assert_uint_eq(h.m, CDNOW_CUSTOMERS);

    static double per_customer[CDNOW_CUSTOMERS + 1];
    double want_value, cal_value;
    size_t want = count_days(&l, cal_end, hold_end, &want_value, per_customer);
    size_t cal_days = count_days(&l, -1.0, cal_end, &cal_value, NULL);
    size_t all_days = count_days(&l, -1.0, 1e9, &cal_value, NULL);
    ck_assert_uint_eq(want, 1882);
    ck_assert_uint_eq(cal_days + want, all_days);

    double total = 0.0, value = 0.0, births = 0.0;
    for (size_t i = 0; i < h.m; i++) {
        /* the holdout changes nothing in the calibration */
        ck_assert(h.id[i] == c.id[i] && h.x[i] == c.x[i] &&
                  h.t_x[i] == c.t_x[i] && h.T[i] == c.T[i] &&
                  h.mean[i] == c.mean[i]);
        ck_assert_msg(h.hx[i] == per_customer[h.id[i]],
                      "customer %lld: %g holdout transactions, want %g",
                      (long long)h.id[i], h.hx[i], per_customer[h.id[i]]);
        total += h.hx[i];
        value += h.hv[i];
        births += h.x[i] + 1.0;
    }
    ck_assert_double_eq(total, (double)want);
    ck_assert_double_eq_tol(value, want_value, 1e-6);
    ck_assert_double_eq_tol(value, 70976.39, 1e-6);
    ck_assert_double_eq(births, (double)cal_days);
    /* customer 1: 1997-12-12, $26.48 */
    ck_assert_double_eq(h.hx[0], 1.0);
    ck_assert_double_eq_tol(h.hv[0], 26.48, 1e-12);
    sum_free(&c);
    sum_free(&h);
    log_free(&l);
}
END_TEST

/* The log in a random order: customers come out in the order of their first
 * appearance in the shuffled log, with the same summaries. */
START_TEST(test_cdnow_shuffled)
{
    struct log l = load_cdnow();
    double cal_end = cdnow_day(19970930), hold_end = cdnow_day(19980630);
    struct sum s = summarize(&l, 1.0, 7.0, cal_end, hold_end);
    uint64_t seed = 2005;
    for (size_t i = l.n - 1; i > 0; i--) {
        size_t j = (size_t)rng_below(&seed, i + 1);
        int64_t c = l.customer[i];
        double t = l.time[i], a = l.amount[i];
        l.customer[i] = l.customer[j], l.time[i] = l.time[j];
        l.amount[i] = l.amount[j];
        l.customer[j] = c, l.time[j] = t, l.amount[j] = a;
    }
    struct sum r = summarize(&l, 1.0, 7.0, cal_end, hold_end);
    ck_assert_uint_eq(r.m, s.m);
    static int seen[CDNOW_CUSTOMERS + 1];
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++) {
        int64_t c = l.customer[i];
        if (seen[c])
            continue;
        seen[c] = 1;
        ck_assert_int_eq(r.id[k], c);
        size_t o = (size_t)c - 1; /* the sorted log's order is 1, 2, ... */
        ck_assert_int_eq(s.id[o], c);
        ck_assert(r.x[k] == s.x[o] && r.t_x[k] == s.t_x[o] &&
                  r.T[k] == s.T[o] && r.hx[k] == s.hx[o]);
        /* sums over another order may round differently */
        ck_assert_close(r.mean[k], s.mean[o], 1e-12);
        ck_assert_close(r.hv[k], s.hv[o], 1e-12);
        k++;
    }
    ck_assert_uint_eq(k, r.m);
    sum_free(&s);
    sum_free(&r);
    log_free(&l);
}
END_TEST

/* ---- small logs worked by hand ------------------------------------------- */

/* Run summarize on a literal log; the outputs are filled with SENTINEL
 * beyond what the call writes. */
#define MAXC 16
struct out {
    size_t m;
    int64_t id[MAXC];
    double x[MAXC], t_x[MAXC], T[MAXC], mean[MAXC], hx[MAXC], hv[MAXC];
};

static struct out run(size_t n, const int64_t *c, const double *t,
                      const double *a, double period, double scale,
                      double cal_end, double holdout_end)
{
    struct out o;
    for (int i = 0; i < MAXC; i++) {
        o.id[i] = -1;
        o.x[i] = o.t_x[i] = o.T[i] = o.mean[i] = o.hx[i] = o.hv[i] = SENTINEL;
    }
    o.m = NOT_WRITTEN;
    ck_assert_ok(libcs_clv_summarize(n, c, t, a, period, scale, cal_end,
                                     holdout_end, MAXC, o.id, o.x, o.t_x, o.T,
                                     o.mean, o.hx, o.hv, &o.m, NULL));
    ck_assert(o.m <= MAXC);
    for (size_t i = o.m; i < MAXC; i++)
        ck_assert(o.id[i] == -1 && o.x[i] == SENTINEL && o.hv[i] == SENTINEL);
    return o;
}

static void expect(const struct out *o, size_t i, int64_t id, double x,
                   double t_x, double T, double mean, double hx, double hv)
{
    ck_assert_msg(i < o->m, "only %zu customers", o->m);
    ck_assert_msg(o->id[i] == id, "row %zu: customer %lld, want %lld", i,
                  (long long)o->id[i], (long long)id);
    ck_assert_msg(o->x[i] == x, "customer %lld: x = %g, want %g",
                  (long long)id, o->x[i], x);
    ck_assert_close(o->t_x[i], t_x, 1e-14);
    ck_assert_close(o->T[i], T, 1e-14);
    ck_assert_close(o->mean[i], mean, 1e-14);
    ck_assert_msg(o->hx[i] == hx, "customer %lld: holdout x = %g, want %g",
                  (long long)id, o->hx[i], hx);
    ck_assert_close(o->hv[i], hv, 1e-14);
}

/* Period 1, time scale 1, calibration end 20.
 * Customer 7: 0.0 ($10) and 0.5 ($5) are bucket 0, the birth; 3.2 ($20) and
 *   3.9 ($1) are bucket 3, one repeat of $21; 10.0 ($4) is bucket 10:
 *   x = 2, t_x = 10 - 0 = 10, T = 20 - 0 = 20, mean (21 + 4) / 2 = 12.5.
 * Customer 8: 2.5 ($3) is bucket 2, which starts at 2; 7.75 ($6) and 7.25
 *   ($1) are bucket 7, starting at 7: x = 1, t_x = 7 - 2 = 5 (not 7.25 -
 *   2.5), T = 20 - 2 = 18 (not 17.5), mean 7.
 * Customer 9: one purchase at 4 ($12): x = 0, t_x = 0, T = 16, mean 0. */
START_TEST(test_same_period_merged)
{
    const int64_t c[] = {7, 7, 8, 7, 7, 9, 8, 8, 7};
    const double t[] = {0.0, 0.5, 2.5, 3.2, 3.9, 4.0, 7.75, 7.25, 10.0};
    const double a[] = {10, 5, 3, 20, 1, 12, 6, 1, 4};
    struct out o = run(9, c, t, a, 1.0, 1.0, 20.0, 20.0);
    ck_assert_uint_eq(o.m, 3);
    expect(&o, 0, 7, 2, 10, 20, 12.5, 0, 0);
    expect(&o, 1, 8, 1, 5, 18, 7, 0, 0);
    expect(&o, 2, 9, 0, 0, 16, 0, 0, 0);
}
END_TEST

/* Neither sorted by customer nor by time; period 1, calibration end 10.
 *   row 0: 30 at 5 ($2)   row 1: 10 at 9 ($1)   row 2: 30 at 1 ($4)
 *   row 3: 20 at 3 ($8)   row 4: 10 at 2 ($3)   row 5: 30 at 3 ($6)
 *   row 6: 10 at 9.5 ($5), the same bucket as row 1
 * Order of first appearance: 30, 10, 20.
 * 30: buckets 1, 3, 5: x = 2, t_x = 5 - 1 = 4, T = 9, mean (6 + 2) / 2 = 4.
 * 10: buckets 2, 9: x = 1, t_x = 7, T = 8, mean 1 + 5 = 6.
 * 20: bucket 3: x = 0, T = 7. */
START_TEST(test_out_of_order)
{
    int64_t c[] = {30, 10, 30, 20, 10, 30, 10};
    double t[] = {5, 9, 1, 3, 2, 3, 9.5};
    double a[] = {2, 1, 4, 8, 3, 6, 5};
    struct out o = run(7, c, t, a, 1.0, 1.0, 10.0, 10.0);
    ck_assert_uint_eq(o.m, 3);
    expect(&o, 0, 30, 2, 4, 9, 4, 0, 0);
    expect(&o, 1, 10, 1, 7, 8, 6, 0, 0);
    expect(&o, 2, 20, 0, 0, 7, 0, 0, 0);
    /* reversed: 10 (row 6) first, then 30 (row 5), then 20 */
    for (int i = 0; i < 3; i++) {
        int64_t tc = c[i];
        double tt = t[i], ta = a[i];
        c[i] = c[6 - i], t[i] = t[6 - i], a[i] = a[6 - i];
        c[6 - i] = tc, t[6 - i] = tt, a[6 - i] = ta;
    }
    o = run(7, c, t, a, 1.0, 1.0, 10.0, 10.0);
    ck_assert_uint_eq(o.m, 3);
    expect(&o, 0, 10, 1, 7, 8, 6, 0, 0);
    expect(&o, 1, 30, 2, 4, 9, 4, 0, 0);
    expect(&o, 2, 20, 0, 0, 7, 0, 0, 0);
}
END_TEST

/* Calibration end 10, holdout end 20, period 1.
 * Customer 5 first buys at 12 (log row 0) and again at 15: born after the
 *   calibration end, it is not output, and its holdout purchases count
 *   nowhere.
 * Customer 1 appears first at 30 (row 1, after the holdout: ignored) but
 *   bought at 0 (row 4): it comes out first, as its id first appears before
 *   customer 6's.
 * Customer 6: 1 ($2), then 11 ($7) in the holdout: x = 0, T = 9, holdout 1,
 *   $7.
 * Customer 7 only buys after the holdout: not output. */
START_TEST(test_born_after_calibration)
{
    const int64_t c[] = {5, 1, 6, 5, 1, 6, 7};
    const double t[] = {12, 30, 1, 15, 0, 11, 25};
    const double a[] = {9, 100, 2, 1, 3, 7, 3};
    struct out o = run(7, c, t, a, 1.0, 1.0, 10.0, 20.0);
    ck_assert_uint_eq(o.m, 2);
    expect(&o, 0, 1, 0, 0, 10, 0, 0, 0);
    expect(&o, 1, 6, 0, 0, 9, 0, 1, 7);
    /* a longer calibration takes customer 5 in: 12 and 15 are days 12, 15 */
    o = run(7, c, t, a, 1.0, 1.0, 20.0, 20.0);
    ck_assert_uint_eq(o.m, 3);
    expect(&o, 0, 5, 1, 3, 8, 1, 0, 0);
    expect(&o, 1, 1, 0, 0, 20, 0, 0, 0);
    expect(&o, 2, 6, 1, 10, 19, 7, 0, 0);
    /* nobody born by the calibration end: no rows, not an error */
    o = run(7, c, t, a, 1.0, 1.0, -1.0, 100.0);
    ck_assert_uint_eq(o.m, 0);
}
END_TEST

/* Times in hours; calibration end 336 h (two weeks).
 * Customer 1: 1 h ($1), 23 h ($2), 25 h ($4), 170 h ($8).
 *  period 24, scale 168 (days, in weeks): buckets 0, 0, 1, 7: x = 2,
 *    t_x = 7 x 24 / 168 = 1, T = 336 / 168 = 2, mean (4 + 8) / 2 = 6;
 *  period 48: buckets 0, 0, 0, 3: x = 1, t_x = 144 / 168 = 6/7, mean 8
 *    (customer 2: buckets 0 and 1: t_x = 48 / 168, T = 2);
 *  period 24, scale 24 (days): x = 2, t_x = 7, T = 14, mean 6;
 *  period 1, scale 1 (hours): buckets 1, 23, 25, 170: x = 3,
 *    t_x = 169, T = 335, mean (2 + 4 + 8) / 3.
 * Customer 2: 30 h ($5), 50 h ($1), period 24, scale 168: buckets 1 and 2,
 *   starting at 24 and 48: t_x = 24 / 168 = 1/7, T = (336 - 24) / 168 = 13/7;
 *   period 1: t_x = 20 / 168, T = 306 / 168. */
START_TEST(test_period_and_time_scale)
{
    const int64_t c[] = {1, 1, 2, 1, 1, 2};
    const double t[] = {1, 23, 30, 25, 170, 50};
    const double a[] = {1, 2, 5, 4, 8, 1};
    struct out o = run(6, c, t, a, 24.0, 168.0, 336.0, 336.0);
    expect(&o, 0, 1, 2, 1, 2, 6, 0, 0);
    expect(&o, 1, 2, 1, 1.0 / 7, 13.0 / 7, 1, 0, 0);
    o = run(6, c, t, a, 48.0, 168.0, 336.0, 336.0);
    expect(&o, 0, 1, 1, 6.0 / 7, 2, 8, 0, 0);
    /* 30 h is in bucket 0 of 48 h, 50 h in bucket 1, starting at 48 */
    expect(&o, 1, 2, 1, 2.0 / 7, 2, 1, 0, 0);
    o = run(6, c, t, a, 24.0, 24.0, 336.0, 336.0);
    expect(&o, 0, 1, 2, 7, 14, 6, 0, 0);
    expect(&o, 1, 2, 1, 1, 13, 1, 0, 0);
    o = run(6, c, t, a, 1.0, 1.0, 336.0, 336.0);
    expect(&o, 0, 1, 3, 169, 335, 14.0 / 3, 0, 0);
    expect(&o, 1, 2, 1, 20, 306, 1, 0, 0);
    /* period 1, scale 168 */
    o = run(6, c, t, a, 1.0, 168.0, 336.0, 336.0);
    expect(&o, 1, 2, 1, 20.0 / 168, 306.0 / 168, 1, 0, 0);
}
END_TEST

/* Negative and fractional times, fractional periods. */
START_TEST(test_negative_times)
{
    /* period 1, calibration end 2: -1.5 is bucket -2 (starts at -2), 0.5 is
     * bucket 0: x = 1, t_x = 2, T = 4 */
    const int64_t c[] = {-3, -3, INT64_MIN, INT64_MAX};
    const double t[] = {-1.5, 0.5, -0.0, 0.0};
    const double a[] = {1, 2, 3, 4};
    struct out o = run(4, c, t, a, 1.0, 1.0, 2.0, 2.0);
    ck_assert_uint_eq(o.m, 3);
    expect(&o, 0, -3, 1, 2, 4, 2, 0, 0);
    expect(&o, 1, INT64_MIN, 0, 0, 2, 0, 0, 0);
    expect(&o, 2, INT64_MAX, 0, 0, 2, 0, 0, 0);
    /* period 0.5: -1.5 is bucket -3 (starts at -1.5), 0.5 is bucket 1
     * (starts at 0.5): t_x = 2, T = 3.5 */
    o = run(4, c, t, a, 0.5, 1.0, 2.0, 2.0);
    expect(&o, 0, -3, 1, 2, 3.5, 2, 0, 0);
    /* period 4: -1.5 is bucket -1 (starts at -4), 0.5 bucket 0 (0 is
     * always a bucket boundary): t_x = 4, T = 6 */
    o = run(4, c, t, a, 4.0, 1.0, 2.0, 2.0);
    expect(&o, 0, -3, 1, 4, 6, 2, 0, 0);
    /* -1.5 and -0.5 share bucket -1 of period 2, starting at -2 */
    const double t2[] = {-1.5, -0.5, -0.0, 0.0};
    o = run(4, c, t2, a, 2.0, 1.0, 2.0, 2.0);
    expect(&o, 0, -3, 0, 0, 4, 0, 0, 0);
}
END_TEST

/* Calibration end 10, holdout end 20, period 1.
 * Customer 4: 0 ($5); 10.0 ($7), exactly at the calibration end, so in the
 *   calibration; 11.2 ($3) and 11.7 ($4), one holdout transaction of $7;
 *   15 ($1.5); 20.0 ($2), exactly at the holdout end, so in the holdout;
 *   20.5 ($100), after it, ignored.
 *   x = 1, t_x = 10, T = 10, mean 7; holdout 3 transactions, 3 + 4 + 1.5 +
 *   2 = $10.5.
 * Customer 5: 2 ($1) only. */
START_TEST(test_holdout_amounts)
{
    const int64_t c[] = {4, 4, 5, 4, 4, 4, 4, 4};
    const double t[] = {0, 10.0, 2, 11.2, 11.7, 15, 20.0, 20.5};
    const double a[] = {5, 7, 1, 3, 4, 1.5, 2, 100};
    struct out o = run(8, c, t, a, 1.0, 1.0, 10.0, 20.0);
    ck_assert_uint_eq(o.m, 2);
    expect(&o, 0, 4, 1, 10, 10, 7, 3, 10.5);
    expect(&o, 1, 5, 0, 0, 8, 0, 0, 0);
    /* no holdout: holdout_end = calibration_end */
    o = run(8, c, t, a, 1.0, 1.0, 10.0, 10.0);
    expect(&o, 0, 4, 1, 10, 10, 7, 0, 0);
    /* period 5, scale 5: calibration buckets 0 and 2 (starts 0 and 10):
     * t_x = 2, T = 2; holdout 11.2, 11.7 in bucket 2 (not merged with the
     * calibration's bucket 2: the windows split first), 15 in bucket 3,
     * 20 in bucket 4: 3 transactions, $10.5 */
    o = run(8, c, t, a, 5.0, 5.0, 10.0, 20.0);
    expect(&o, 0, 4, 1, 2, 2, 7, 3, 10.5);
    expect(&o, 1, 5, 0, 0, 2, 0, 0, 0);
}
END_TEST

/* A calibration end inside a period: each window has its own share.
 * Calibration end 10.5, period 1: 10.2 ($2) is in the calibration, 10.8
 * ($3) in the holdout, both in bucket 10 (starting at 10): x = 1, t_x = 10,
 * T = 10.5, mean 2; holdout 1 transaction, $3. */
START_TEST(test_straddling_period)
{
    const int64_t c[] = {6, 6, 6};
    const double t[] = {0, 10.2, 10.8};
    const double a[] = {1, 2, 3};
    struct out o = run(3, c, t, a, 1.0, 1.0, 10.5, 20.0);
    expect(&o, 0, 6, 1, 10, 10.5, 2, 1, 3);
}
END_TEST

/* floor(t / p) x p can round to a hair above t: 733557.7509711327 / p with
 * p = 2.5065186597797195 is 292660 or a hair less, and 292660 p rounds to
 * 733557.7509711328.  With the calibration end at that purchase, its
 * bucket starts after the end; the library keeps 0 <= t_x <= T. */
START_TEST(test_rounding_keeps_order)
{
    const double p = 2.5065186597797195, t0 = 733557.7509711327;
    ck_assert(floor(t0 / p) * p > t0); /* the premise */
    const int64_t c[] = {1, 2, 2};
    const double t[] = {t0, 0.0, t0};
    const double a[] = {1, 1, 1};
    struct out o = run(3, c, t, a, p, 1.0, t0, t0);
    ck_assert_uint_eq(o.m, 2);
    ck_assert(o.T[0] >= 0.0 && o.t_x[0] == 0.0 && o.x[0] == 0.0);
    ck_assert(o.x[1] == 1.0 && o.t_x[1] <= o.T[1] && o.t_x[1] > 0.0);
    /* so that compress (and so the fits) accept the rows */
    size_t needed = 0;
    ck_assert_ok(libcs_clv_compress(2, o.x, o.t_x, o.T, NULL, 0, NULL, NULL,
                                    NULL, NULL, &needed, NULL));
    ck_assert_uint_eq(needed, 2);
}
END_TEST

/* Each output may be NULL alone; all NULL is a size query. */
START_TEST(test_outputs_null)
{
    const int64_t c[] = {4, 4, 5, 4, 4, 4, 4, 4};
    const double t[] = {0, 10.0, 2, 11.2, 11.7, 15, 20.0, 20.5};
    const double a[] = {5, 7, 1, 3, 4, 1.5, 2, 100};
    struct out ref = run(8, c, t, a, 1.0, 1.0, 10.0, 20.0);
    for (int skip = 0; skip < 7; skip++) {
        int64_t id[2] = {-1, -1};
        double v[6][2];
        for (int j = 0; j < 6; j++)
            v[j][0] = v[j][1] = SENTINEL;
        double *p[6];
        for (int j = 0; j < 6; j++)
            p[j] = skip == j + 1 ? NULL : v[j];
        size_t needed = NOT_WRITTEN;
        ck_assert_ok(libcs_clv_summarize(8, c, t, a, 1.0, 1.0, 10.0, 20.0, 2,
                                         skip == 0 ? NULL : id, p[0], p[1],
                                         p[2], p[3], p[4], p[5], &needed,
                                         NULL));
        ck_assert_uint_eq(needed, 2);
        for (int k = 0; k < 2; k++) {
            ck_assert(skip == 0 ? id[k] == -1 : id[k] == ref.id[k]);
            const double *want[6] = {ref.x, ref.t_x, ref.T, ref.mean, ref.hx,
                                     ref.hv};
            for (int j = 0; j < 6; j++)
                ck_assert(skip == j + 1 ? v[j][k] == SENTINEL
                                        : v[j][k] == want[j][k]);
        }
    }
    /* all outputs NULL: a size query, whatever cap */
    size_t needed = NOT_WRITTEN;
    ck_assert_ok(libcs_clv_summarize(8, c, t, a, 1.0, 1.0, 10.0, 20.0, 0, NULL,
                                     NULL, NULL, NULL, NULL, NULL, NULL,
                                     &needed, NULL));
    ck_assert_uint_eq(needed, 2);
    /* needed and bad_index may be NULL */
    double x[2];
    ck_assert_ok(libcs_clv_summarize(8, c, t, a, 1.0, 1.0, 10.0, 20.0, 2, NULL,
                                     x, NULL, NULL, NULL, NULL, NULL, NULL,
                                     NULL));
    ck_assert(x[0] == 1.0 && x[1] == 0.0);
}
END_TEST

/* ---- random logs against a reference ------------------------------------- */

struct ref_row {
    int64_t c;
    size_t i;
};

static int cmp_ref_row(const void *a, const void *b)
{
    const struct ref_row *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct ref_sum {
    size_t first;
    int64_t id;
    double x, t_x, T, mean, hx, hv;
};

static int cmp_ref_sum(const void *a, const void *b)
{
    const struct ref_sum *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* The definitions, the plain way: sort rows by customer, then for each
 * customer sort its calibration and holdout buckets and count the distinct
 * ones. */
static size_t reference(const struct log *l, double p, double scale,
                        double cal_end, double hold_end, struct ref_sum *out)
{
    struct ref_row *r = xmalloc(l->n * sizeof *r);
    double *cb = xmalloc(l->n * sizeof *cb), *hb = xmalloc(l->n * sizeof *hb);
    for (size_t i = 0; i < l->n; i++)
        r[i].c = l->customer[i], r[i].i = i;
    qsort(r, l->n, sizeof *r, cmp_ref_row);
    size_t m = 0;
    for (size_t lo = 0; lo < l->n;) {
        size_t hi = lo;
        size_t nc = 0, nh = 0;
        double total = 0.0, hv = 0.0;
        for (; hi < l->n && r[hi].c == r[lo].c; hi++) {
            size_t i = r[hi].i;
            if (l->time[i] <= cal_end) {
                cb[nc++] = floor(l->time[i] / p);
                total += l->amount[i];
            } else if (l->time[i] <= hold_end) {
                hb[nh++] = floor(l->time[i] / p);
                hv += l->amount[i];
            }
        }
        if (nc > 0) {
            qsort(cb, nc, sizeof *cb, cmp_double);
            qsort(hb, nh, sizeof *hb, cmp_double);
            double x = 0.0, hx = 0.0, first_amount = 0.0;
            for (size_t k = 1; k < nc; k++)
                x += cb[k] != cb[k - 1];
            for (size_t k = 0; k < nh; k++)
                hx += k == 0 || hb[k] != hb[k - 1];
            for (size_t k = lo; k < hi; k++) {
                size_t i = r[k].i;
                if (l->time[i] <= cal_end && floor(l->time[i] / p) == cb[0])
                    first_amount += l->amount[i];
            }
            double s0 = fmin(cb[0] * p, cal_end),
                   s1 = fmin(cb[nc - 1] * p, cal_end);
            struct ref_sum *s = &out[m++];
            s->first = r[lo].i; /* the smallest row of the customer */
            s->id = r[lo].c;
            s->x = x;
            s->t_x = (s1 - s0) / scale;
            s->T = (cal_end - s0) / scale;
            s->mean = x > 0 ? (total - first_amount) / x : 0.0;
            s->hx = hx;
            s->hv = hv;
        }
        lo = hi;
    }
    qsort(out, m, sizeof *out, cmp_ref_sum);
    free(r), free(cb), free(hb);
    return m;
}

static void check_random(size_t n, size_t customers, double p, double scale,
                         uint64_t seed)
{
    struct log l = {n, xmalloc(n * sizeof(int64_t)),
                    xmalloc(n * sizeof(double)), xmalloc(n * sizeof(double))};
    int64_t *ids = xmalloc(customers * sizeof *ids);
    for (size_t k = 0; k < customers; k++)
        ids[k] = (int64_t)rng_next(&seed); /* any int64, negatives too */
    for (size_t i = 0; i < n; i++) {
        l.customer[i] = ids[rng_below(&seed, customers)];
        /* whole and fractional times, some repeated exactly */
        double u = rng_unit(&seed);
        l.time[i] = rng_below(&seed, 3) == 0 ? floor(200.0 * u) - 50.0
                                             : 200.0 * u - 50.0;
        l.amount[i] = floor(10000.0 * rng_unit(&seed)) / 100.0;
    }
    const double cal_end = 100.0, hold_end = 130.0;
    struct sum s = summarize(&l, p, scale, cal_end, hold_end);
    struct ref_sum *want = xmalloc(n * sizeof *want);
    size_t m = reference(&l, p, scale, cal_end, hold_end, want);
    ck_assert_uint_eq(s.m, m);
    for (size_t k = 0; k < m; k++) {
        ck_assert_msg(s.id[k] == want[k].id,
                      "row %zu: customer %lld, want %lld", k,
                      (long long)s.id[k], (long long)want[k].id);
        ck_assert(s.x[k] == want[k].x && s.hx[k] == want[k].hx);
        ck_assert(s.t_x[k] == want[k].t_x && s.T[k] == want[k].T);
        ck_assert_close(s.mean[k], want[k].mean, 1e-12);
        ck_assert_close(s.hv[k], want[k].hv, 1e-12);
        /* what the fits need */
        ck_assert(s.x[k] == floor(s.x[k]) && s.x[k] >= 0.0);
        ck_assert(s.t_x[k] >= 0.0 && s.t_x[k] <= s.T[k]);
        ck_assert(s.x[k] > 0.0 || s.t_x[k] == 0.0);
    }
    sum_free(&s);
    free(want), free(ids);
    log_free(&l);
}

START_TEST(test_random_logs)
{
    /* enough rows for many hash buckets */
    check_random(60000, 5000, 1.0, 7.0, 1);
    check_random(60000, 20000, 0.5, 1.0, 2);
    check_random(20000, 3000, 1.0 / 3.0, 1.0, 3);
    check_random(5000, 4000, 7.0, 7.0, 4);
    /* one customer with every row: one big bucket to sort */
    check_random(20000, 1, 0.01, 1.0, 5);
    check_random(1, 1, 1.0, 1.0, 6);
}
END_TEST

/* ---- errors -------------------------------------------------------------- */

/* The call fails with `code`, writes no output and no needed, and sets
 * bad_index to `bad` (NOT_WRITTEN: leaves it). */
static void summarize_fails(size_t n, const int64_t *c, const double *t,
                            const double *a, double period, double scale,
                            double cal_end, double hold_end, size_t cap,
                            int code, size_t want_needed, size_t bad)
{
    int64_t id[4] = {-1, -1, -1, -1};
    double v[6][4];
    for (int j = 0; j < 6; j++)
        for (int k = 0; k < 4; k++)
            v[j][k] = SENTINEL;
    size_t needed = NOT_WRITTEN, bad_index = NOT_WRITTEN;
    int rc = libcs_clv_summarize(n, c, t, a, period, scale, cal_end, hold_end,
                                 cap, id, v[0], v[1], v[2], v[3], v[4], v[5],
                                 &needed, &bad_index);
    ck_assert_msg(rc == code, "returned %d (%s), want %d (%s)", rc,
                  libcs_strerror(rc), code, libcs_strerror(code));
    for (int k = 0; k < 4; k++) {
        ck_assert(id[k] == -1);
        for (int j = 0; j < 6; j++)
            ck_assert_msg(v[j][k] == SENTINEL, "output %d written on error", j);
    }
    ck_assert_uint_eq(needed, want_needed);
    ck_assert_uint_eq(bad_index, bad);
}

START_TEST(test_summarize_errors)
{
    const int64_t c[] = {1, 1, 2, 2};
    const double t[] = {0, 1, 2, 3};
    const double a[] = {1, 2, 3, 4};
    const size_t W = NOT_WRITTEN;
    /* NULL inputs, even with n = 0 */
    summarize_fails(4, NULL, t, a, 1, 1, 5, 5, 4, LIBCS_EINVAL, W, W);
    summarize_fails(4, c, NULL, a, 1, 1, 5, 5, 4, LIBCS_EINVAL, W, W);
    summarize_fails(4, c, t, NULL, 1, 1, 5, 5, 4, LIBCS_EINVAL, W, W);
    summarize_fails(0, NULL, t, a, 1, 1, 5, 5, 4, LIBCS_EINVAL, W, W);
    summarize_fails(0, c, t, a, 1, 1, 5, 5, 4, LIBCS_EEMPTY, W, W);
    /* non-finite arguments */
    summarize_fails(4, c, t, a, NAN, 1, 5, 5, 4, LIBCS_ENONFINITE, W, W);
    summarize_fails(4, c, t, a, INFINITY, 1, 5, 5, 4, LIBCS_ENONFINITE, W, W);
    summarize_fails(4, c, t, a, 1, NAN, 5, 5, 4, LIBCS_ENONFINITE, W, W);
    summarize_fails(4, c, t, a, 1, 1, NAN, 5, 4, LIBCS_ENONFINITE, W, W);
    summarize_fails(4, c, t, a, 1, 1, 5, INFINITY, 4, LIBCS_ENONFINITE, W, W);
    summarize_fails(4, c, t, a, 1, 1, -INFINITY, 5, 4, LIBCS_ENONFINITE, W,
                    W);
    /* domains of the arguments */
    summarize_fails(4, c, t, a, 0, 1, 5, 5, 4, LIBCS_EDOMAIN, W, W);
    summarize_fails(4, c, t, a, -1, 1, 5, 5, 4, LIBCS_EDOMAIN, W, W);
    summarize_fails(4, c, t, a, 1, 0, 5, 5, 4, LIBCS_EDOMAIN, W, W);
    summarize_fails(4, c, t, a, 1, -7, 5, 5, 4, LIBCS_EDOMAIN, W, W);
    summarize_fails(4, c, t, a, 1, 1, 5, 4.999, 4, LIBCS_EDOMAIN, W, W);
    /* a non-finite argument before a domain error */
    summarize_fails(4, c, t, a, -1, NAN, 5, 5, 4, LIBCS_ENONFINITE, W, W);

    /* the transactions */
    double bt[4], ba[4];
    for (int k = 0; k < 4; k++) {
        memcpy(bt, t, sizeof bt), memcpy(ba, a, sizeof ba);
        double bad_values[4] = {NAN, INFINITY, -INFINITY, NAN};
        bt[k] = bad_values[k];
        summarize_fails(4, c, bt, a, 1, 1, 5, 5, 4, LIBCS_ENONFINITE, W,
                        (size_t)k);
        memcpy(bt, t, sizeof bt);
        ba[k] = bad_values[3 - k];
        summarize_fails(4, c, t, ba, 1, 1, 5, 5, 4, LIBCS_ENONFINITE, W,
                        (size_t)k);
        ba[k] = -0.01;
        summarize_fails(4, c, t, ba, 1, 1, 5, 5, 4, LIBCS_EDOMAIN, W,
                        (size_t)k);
    }
    /* the arguments are checked before the transactions */
    memcpy(bt, t, sizeof bt);
    bt[2] = NAN;
    summarize_fails(4, c, bt, a, 0, 1, 5, 5, 4, LIBCS_EDOMAIN, W, W);
    /* the first bad transaction, whatever its error */
    memcpy(ba, a, sizeof ba);
    ba[1] = -1;
    summarize_fails(4, c, bt, ba, 1, 1, 5, 5, 4, LIBCS_EDOMAIN, W, 1);
    /* -0 is not negative */
    ba[1] = -0.0;
    size_t needed = 0;
    ck_assert_ok(libcs_clv_summarize(4, c, t, ba, 1, 1, 5, 5, 0, NULL, NULL,
                                     NULL, NULL, NULL, NULL, NULL, &needed,
                                     NULL));
    ck_assert_uint_eq(needed, 2);

    /* cap too small: *needed says 2, nothing written */
    summarize_fails(4, c, t, a, 1, 1, 5, 5, 1, LIBCS_EBUFSIZE, 2, W);
    summarize_fails(4, c, t, a, 1, 1, 5, 5, 0, LIBCS_EBUFSIZE, 2, W);
    /* customer 2 born after the calibration end: 1 row fits in 1 */
    int64_t id[2] = {-1, -1};
    ck_assert_ok(libcs_clv_summarize(4, c, t, a, 1, 1, 1.5, 5, 1, id, NULL,
                                     NULL, NULL, NULL, NULL, NULL, &needed,
                                     NULL));
    ck_assert(needed == 1 && id[0] == 1 && id[1] == -1);
}
END_TEST

START_TEST(test_summarize_overflow)
{
    const int64_t c[] = {1, 1, 1};
    const double big[] = {1e308, 1e308, 1e308};
    const double one[] = {1, 1, 1};
    const double t[] = {0, 1, 2};
    const size_t W = NOT_WRITTEN;
    /* time / period beyond the doubles */
    summarize_fails(3, c, big, one, 1e-300, 1, 1e308, 1e308, 4,
                    LIBCS_EOVERFLOW, 1, W);
    /* the same for holdout periods, which would all merge into one */
    const double late[] = {0, 1e308, 0.5e308};
    summarize_fails(3, c, late, one, 1e-300, 1, 0, 1e308, 4, LIBCS_EOVERFLOW,
                    1, W);
    /* T = (1e308 - (-1e308)) / 1 */
    const double far[] = {-1e308, 0, 1};
    summarize_fails(3, c, far, one, 1, 1, 1e308, 1e308, 4, LIBCS_EOVERFLOW, 1,
                    W);
    /* T = 2 / 1e-308 */
    summarize_fails(3, c, t, one, 1, 1e-308, 2, 2, 4, LIBCS_EOVERFLOW, 1, W);
    /* two repeats of $1e308: the mean would be finite, the total is not */
    summarize_fails(3, c, t, big, 1, 1, 2, 2, 4, LIBCS_EOVERFLOW, 1, W);
    /* the same in the holdout */
    summarize_fails(3, c, t, big, 1, 1, 0, 2, 4, LIBCS_EOVERFLOW, 1, W);
    /* cap too small is reported first */
    summarize_fails(3, c, t, big, 1, 1, 2, 2, 0, LIBCS_EBUFSIZE, 1, W);
    /* one $1e308 repeat is fine */
    const double fine[] = {1e308, 1e308, 0};
    struct out o = run(3, c, t, fine, 1, 1, 2, 2);
    expect(&o, 0, 1, 2, 2, 2, 0.5e308, 0, 0);
}
END_TEST

/* ---- compress ------------------------------------------------------------ */

/* Rows (x, t_x, T):
 *   0: (1, 2, 5)  1: (0, 0, 5)  2: (1, 2, 5)  3: (2, 3, 5)  4: (0, 0, 5)
 *   5: (1, 2, 6)  6: (2, 3, 5)  7: (1, 2, 5)
 * Unweighted: (1,2,5) x 3, (0,0,5) x 2, (2,3,5) x 2, (1,2,6) x 1, in that
 * order (rows 0, 1, 3, 5 are the first appearances). */
static const double cx[] = {1, 0, 1, 2, 0, 1, 2, 1};
static const double ctx[] = {2, 0, 2, 3, 0, 2, 3, 2};
static const double cT[] = {5, 5, 5, 5, 5, 6, 5, 5};

START_TEST(test_compress_counts)
{
    double ux[8], ut[8], uT[8], uw[8];
    for (int i = 0; i < 8; i++)
        ux[i] = ut[i] = uT[i] = uw[i] = SENTINEL;
    size_t needed = NOT_WRITTEN;
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, NULL, 8, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert_uint_eq(needed, 4);
    const double wx[] = {1, 0, 2, 1}, wt[] = {2, 0, 3, 2}, wT[] = {5, 5, 5, 6},
                 ww[] = {3, 2, 2, 1};
    for (int i = 0; i < 4; i++)
        ck_assert(ux[i] == wx[i] && ut[i] == wt[i] && uT[i] == wT[i] &&
                  uw[i] == ww[i]);
    for (int i = 4; i < 8; i++)
        ck_assert(ux[i] == SENTINEL && uw[i] == SENTINEL);
    /* exactly enough room */
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, NULL, 4, ux, ut, uT, uw,
                                    NULL, NULL));
    /* already distinct rows come back as they are, weight 1 */
    ck_assert_ok(libcs_clv_compress(4, wx, wt, wT, NULL, 4, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert_uint_eq(needed, 4);
    for (int i = 0; i < 4; i++)
        ck_assert(ux[i] == wx[i] && ut[i] == wt[i] && uT[i] == wT[i] &&
                  uw[i] == 1.0);
    /* -0 and 0 are the same value: one row */
    const double zx[] = {0, -0.0}, zt[] = {-0.0, 0}, zT[] = {1, 1};
    ck_assert_ok(libcs_clv_compress(2, zx, zt, zT, NULL, 4, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert(needed == 1 && uw[0] == 2.0);
}
END_TEST

/* With weights 0.5, 3, 1.5, 0, 2, 0, 0, 4:
 *   (1,2,5): 0.5 + 1.5 + 4 = 6; (0,0,5): 3 + 2 = 5; (2,3,5): 0 + 0, dropped;
 *   (1,2,6): 0, dropped. */
START_TEST(test_compress_weights)
{
    const double w[] = {0.5, 3, 1.5, 0, 2, 0, 0, 4};
    double ux[8], ut[8], uT[8], uw[8];
    for (int i = 0; i < 8; i++)
        ux[i] = ut[i] = uT[i] = uw[i] = SENTINEL;
    size_t needed = NOT_WRITTEN;
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, w, 8, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert_uint_eq(needed, 2);
    ck_assert(ux[0] == 1 && ut[0] == 2 && uT[0] == 5 && uw[0] == 6);
    ck_assert(ux[1] == 0 && ut[1] == 0 && uT[1] == 5 && uw[1] == 5);
    ck_assert(ux[2] == SENTINEL && uw[2] == SENTINEL);
    /* a row keeps the place of its first occurrence even when that one
     * weighs 0: weights 0, 1, 0, 1, 1, 1, 0, 1 give (1,2,5) 1 first */
    const double w2[] = {0, 1, 0, 1, 1, 1, 0, 1};
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, w2, 8, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert_uint_eq(needed, 4);
    ck_assert(ux[0] == 1 && uT[0] == 5 && uw[0] == 1);
    ck_assert(ux[1] == 0 && uw[1] == 2);
    ck_assert(ux[2] == 2 && uw[2] == 1);
    ck_assert(ux[3] == 1 && uT[3] == 6 && uw[3] == 1);
    /* every weight 0: no rows, not an error, nothing written */
    const double w0[] = {0, 0, 0, 0, 0, 0, 0, 0};
    ux[0] = SENTINEL;
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, w0, 8, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert(needed == 0 && ux[0] == SENTINEL);
}
END_TEST

/* donations.csv holds 22 patterns (frequency, recency, periods) and how
 * many of the 11,104 donors have each.  Expanding it to one row per donor
 * in a shuffled order and compressing gives it back (in the order of first
 * appearance); so does splitting each weight into two weighted rows. */
START_TEST(test_compress_donations)
{
    double f[32], r[32], p[32], w[32];
    size_t k = load_csv("donations.csv", 4, 32, f, r, p, w, NULL);
    ck_assert_uint_eq(k, 22);
    double total = 0.0;
    for (size_t i = 0; i < k; i++)
        total += w[i];
    ck_assert_double_eq(total, 11104.0);
    size_t n = (size_t)total;
    size_t *pattern = xmalloc(n * sizeof *pattern);
    for (size_t i = 0, j = 0; i < k; i++)
        for (double c = 0; c < w[i]; c++)
            pattern[j++] = i;
    uint64_t seed = 11104;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)rng_below(&seed, i + 1), tmp = pattern[i];
        pattern[i] = pattern[j], pattern[j] = tmp;
    }
    double *dx = xmalloc(n * sizeof *dx), *dt = xmalloc(n * sizeof *dt),
           *dT = xmalloc(n * sizeof *dT);
    for (size_t i = 0; i < n; i++)
        dx[i] = f[pattern[i]], dt[i] = r[pattern[i]], dT[i] = p[pattern[i]];
    double ux[32], ut[32], uT[32], uw[32];
    size_t needed = 0;
    ck_assert_ok(libcs_clv_compress(n, dx, dt, dT, NULL, 32, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert_uint_eq(needed, k);
    int seen[32] = {0};
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t q = pattern[i];
        if (seen[q])
            continue;
        seen[q] = 1;
        ck_assert(ux[o] == f[q] && ut[o] == r[q] && uT[o] == p[q] &&
                  uw[o] == w[q]);
        o++;
    }
    ck_assert_uint_eq(o, k);
    /* weighted rows: the patterns, then again in reverse, each weight split
     * in two (w - floor(w / 3) and floor(w / 3)), plus rows of weight 0 */
    double sx[66], st[66], sT[66], sw[66];
    for (size_t i = 0; i < k; i++) {
        size_t j = k - 1 - i;
        sx[i] = f[i], st[i] = r[i], sT[i] = p[i];
        sw[i] = w[i] - floor(w[i] / 3);
        sx[k + i] = f[j], st[k + i] = r[j], sT[k + i] = p[j];
        sw[k + i] = floor(w[j] / 3);
        sx[2 * k + i] = f[j], st[2 * k + i] = r[j], sT[2 * k + i] = p[j];
        sw[2 * k + i] = 0.0;
    }
    ck_assert_ok(libcs_clv_compress(3 * k, sx, st, sT, sw, 32, ux, ut, uT, uw,
                                    &needed, NULL));
    ck_assert_uint_eq(needed, k);
    for (size_t i = 0; i < k; i++)
        ck_assert(ux[i] == f[i] && ut[i] == r[i] && uT[i] == p[i] &&
                  uw[i] == w[i]);
    free(pattern), free(dx), free(dt), free(dT);
}
END_TEST

/* The CDNOW summaries: compressing them merges exactly the identical rows
 * (checked against a plain search), and the BG/NBD fit on the compressed
 * rows is the fit on the raw ones, which reproduces the published
 * estimates (Fader, Hardie & Lee 2005: r = 0.243, alpha = 4.414,
 * a = 0.793, b = 2.426, LL = -9582.4). */
START_TEST(test_compress_fit)
{
    struct log l = load_cdnow();
    double cal_end = cdnow_day(19970930);
    struct sum s = summarize(&l, 1.0, 7.0, cal_end, cal_end);
    const size_t n = s.m;
    double *ux = xmalloc(n * sizeof *ux), *ut = xmalloc(n * sizeof *ut),
           *uT = xmalloc(n * sizeof *uT), *uw = xmalloc(n * sizeof *uw);
    size_t m = 0;
    ck_assert_ok(libcs_clv_compress(n, s.x, s.t_x, s.T, NULL, n, ux, ut, uT,
                                    uw, &m, NULL));
    ck_assert(m > 0 && m < n);
    /* the plain way: each raw row's first equal row, in order */
    double *cnt = xmalloc(n * sizeof *cnt);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < u && !(s.x[i] == ux[j] && s.t_x[i] == ut[j] &&
                          s.T[i] == uT[j]))
            j++;
        if (j == u) { /* a first appearance: the next compressed row */
            ck_assert_msg(u < m && s.x[i] == ux[u] && s.t_x[i] == ut[u] &&
                              s.T[i] == uT[u],
                          "raw row %zu: compressed row %zu is not it", i, u);
            cnt[u++] = 0.0;
        }
        cnt[j] += 1.0;
    }
    ck_assert_uint_eq(u, m);
    double total = 0.0;
    for (size_t j = 0; j < m; j++) {
        ck_assert_double_eq(uw[j], cnt[j]);
        total += uw[j];
    }
    ck_assert_double_eq(total, (double)n);

    libcs_clv_fit raw, packed, reweighted;
    ck_assert_ok(libcs_bgnbd_fit(n, s.x, s.t_x, s.T, NULL, NULL, &raw));
    ck_assert_ok(libcs_bgnbd_fit(m, ux, ut, uT, uw, NULL, &packed));
    for (int i = 0; i < 4; i++)
        ck_assert_msg(fabs(packed.params[i] - raw.params[i]) <=
                          1e-9 * raw.params[i],
                      "param %d: %.17g compressed, %.17g raw", i,
                      packed.params[i], raw.params[i]);
    ck_assert_double_eq_tol(packed.loglik, raw.loglik, 1e-9 * -raw.loglik);
    const double published[4] = {0.243, 4.414, 0.793, 2.426};
    for (int i = 0; i < 4; i++)
        ck_assert_msg(fabs(raw.params[i] - published[i]) <= 0.0006,
                      "param %d: %.4f, published %.3f", i, raw.params[i],
                      published[i]);
    ck_assert_double_eq_tol(raw.loglik, -9582.4, 0.06);

    /* caller weights: the compressed rows twice, with weights split 1/4 and
     * 3/4, compress back to the same rows and fit the same */
    double *tx2 = xmalloc(2 * m * sizeof *tx2),
           *tt2 = xmalloc(2 * m * sizeof *tt2),
           *tT2 = xmalloc(2 * m * sizeof *tT2),
           *tw2 = xmalloc(2 * m * sizeof *tw2);
    for (size_t j = 0; j < m; j++)
        for (size_t h = 0; h < 2; h++) {
            size_t d = h * m + (h ? m - 1 - j : j);
            tx2[d] = ux[j], tt2[d] = ut[j], tT2[d] = uT[j];
            tw2[d] = h ? 0.75 * uw[j] : 0.25 * uw[j];
        }
    double *vx = xmalloc(m * sizeof *vx), *vt = xmalloc(m * sizeof *vt),
           *vT = xmalloc(m * sizeof *vT), *vw = xmalloc(m * sizeof *vw);
    size_t m2 = 0;
    ck_assert_ok(libcs_clv_compress(2 * m, tx2, tt2, tT2, tw2, m, vx, vt, vT,
                                    vw, &m2, NULL));
    ck_assert_uint_eq(m2, m);
    for (size_t j = 0; j < m; j++)
        ck_assert(vx[j] == ux[j] && vt[j] == ut[j] && vT[j] == uT[j] &&
                  vw[j] == uw[j]); /* quarters of integers add exactly */
    ck_assert_ok(libcs_bgnbd_fit(m, vx, vt, vT, vw, NULL, &reweighted));
    for (int i = 0; i < 4; i++)
        ck_assert(fabs(reweighted.params[i] - raw.params[i]) <=
                  1e-9 * raw.params[i]);
    free(tx2), free(tt2), free(tT2), free(tw2);
    free(vx), free(vt), free(vT), free(vw);
    free(ux), free(ut), free(uT), free(uw), free(cnt);
    sum_free(&s);
    log_free(&l);
}
END_TEST

static void compress_fails(size_t n, const double *x, const double *t_x,
                           const double *T, const double *w, size_t cap,
                           int code, size_t want_needed, size_t bad)
{
    double v[4][8];
    for (int j = 0; j < 4; j++)
        for (int k = 0; k < 8; k++)
            v[j][k] = SENTINEL;
    size_t needed = NOT_WRITTEN, bad_index = NOT_WRITTEN;
    int rc = libcs_clv_compress(n, x, t_x, T, w, cap, v[0], v[1], v[2], v[3],
                                &needed, &bad_index);
    ck_assert_msg(rc == code, "returned %d (%s), want %d (%s)", rc,
                  libcs_strerror(rc), code, libcs_strerror(code));
    for (int j = 0; j < 4; j++)
        for (int k = 0; k < 8; k++)
            ck_assert_msg(v[j][k] == SENTINEL, "output %d written on error", j);
    ck_assert_uint_eq(needed, want_needed);
    ck_assert_uint_eq(bad_index, bad);
}

START_TEST(test_compress_errors)
{
    const size_t W = NOT_WRITTEN;
    const double w[] = {1, 1, 1, 1, 1, 1, 1, 1};
    compress_fails(8, NULL, ctx, cT, w, 8, LIBCS_EINVAL, W, W);
    compress_fails(8, cx, NULL, cT, w, 8, LIBCS_EINVAL, W, W);
    compress_fails(8, cx, ctx, NULL, w, 8, LIBCS_EINVAL, W, W);
    compress_fails(0, NULL, ctx, cT, w, 8, LIBCS_EINVAL, W, W);
    compress_fails(0, cx, ctx, cT, w, 8, LIBCS_EEMPTY, W, W);
    double bx[8], bt[8], bT[8], bw[8];
#define RESET()                                                                \
    (memcpy(bx, cx, sizeof bx), memcpy(bt, ctx, sizeof bt),                    \
     memcpy(bT, cT, sizeof bT), memcpy(bw, w, sizeof bw))
    RESET(), bx[3] = NAN;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_ENONFINITE, W, 3);
    RESET(), bt[5] = INFINITY;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_ENONFINITE, W, 5);
    RESET(), bT[0] = -INFINITY;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_ENONFINITE, W, 0);
    RESET(), bw[7] = NAN;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_ENONFINITE, W, 7);
    RESET(), bx[2] = -1;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 2);
    RESET(), bx[2] = 1.5;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 2);
    RESET(), bt[3] = -0.5;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 3);
    RESET(), bt[3] = 5.5; /* t_x > T */
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 3);
    RESET(), bt[1] = 1; /* x = 0 with a last purchase after the first */
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 1);
    RESET(), bw[6] = -1;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 6);
    /* the first bad row, whatever its error */
    RESET(), bw[6] = NAN, bx[4] = -2;
    compress_fails(8, bx, bt, bT, bw, 8, LIBCS_EDOMAIN, W, 4);
#undef RESET
    /* cap too small: *needed = 4, nothing written */
    compress_fails(8, cx, ctx, cT, NULL, 3, LIBCS_EBUFSIZE, 4, W);
    compress_fails(8, cx, ctx, cT, w, 0, LIBCS_EBUFSIZE, 4, W);
    /* weights that add up past the doubles */
    const double huge[] = {1e308, 1, 1e308, 1, 1, 1, 1, 1};
    compress_fails(8, cx, ctx, cT, huge, 8, LIBCS_EOVERFLOW, 4, W);
}
END_TEST

START_TEST(test_compress_outputs_null)
{
    const double wx[] = {1, 0, 2, 1}, wt[] = {2, 0, 3, 2}, wT[] = {5, 5, 5, 6},
                 ww[] = {3, 2, 2, 1};
    const double *want[4] = {wx, wt, wT, ww};
    for (int skip = 0; skip < 4; skip++) {
        double v[4][4];
        double *p[4];
        for (int j = 0; j < 4; j++) {
            for (int k = 0; k < 4; k++)
                v[j][k] = SENTINEL;
            p[j] = skip == j ? NULL : v[j];
        }
        size_t needed = NOT_WRITTEN;
        ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, NULL, 4, p[0], p[1],
                                        p[2], p[3], &needed, NULL));
        ck_assert_uint_eq(needed, 4);
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 4; k++)
                ck_assert(skip == j ? v[j][k] == SENTINEL
                                    : v[j][k] == want[j][k]);
    }
    /* a size query */
    size_t needed = NOT_WRITTEN;
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, NULL, 0, NULL, NULL, NULL,
                                    NULL, &needed, NULL));
    ck_assert_uint_eq(needed, 4);
    ck_assert_ok(libcs_clv_compress(8, cx, ctx, cT, NULL, 0, NULL, NULL, NULL,
                                    NULL, NULL, NULL));
}
END_TEST

static Suite *clvdata_suite(void)
{
    Suite *s = suite_create("clvdata");
    TCase *tc = tcase_create("summarize");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dates);
    tcase_add_test(tc, test_cdnow_summary);
    tcase_add_test(tc, test_cdnow_holdout);
    tcase_add_test(tc, test_cdnow_shuffled);
    tcase_add_test(tc, test_same_period_merged);
    tcase_add_test(tc, test_out_of_order);
    tcase_add_test(tc, test_born_after_calibration);
    tcase_add_test(tc, test_period_and_time_scale);
    tcase_add_test(tc, test_negative_times);
    tcase_add_test(tc, test_holdout_amounts);
    tcase_add_test(tc, test_straddling_period);
    tcase_add_test(tc, test_rounding_keeps_order);
    tcase_add_test(tc, test_outputs_null);
    tcase_add_test(tc, test_random_logs);
    tcase_add_test(tc, test_summarize_errors);
    tcase_add_test(tc, test_summarize_overflow);
    suite_add_tcase(s, tc);
    tc = tcase_create("compress");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_compress_counts);
    tcase_add_test(tc, test_compress_weights);
    tcase_add_test(tc, test_compress_donations);
    tcase_add_test(tc, test_compress_fit);
    tcase_add_test(tc, test_compress_errors);
    tcase_add_test(tc, test_compress_outputs_null);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(clvdata_suite());
}
