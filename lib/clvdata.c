/* lib/clvdata.c - transaction logs to repeat-purchase summaries (x, t_x, T,
 * mean repeat value, holdout counts and values) and their compression to
 * weighted sufficient statistics for the CLV fits. */
#include <stdlib.h>
#include <string.h>

#include "optim.h"

/* ---- grouping transactions by customer ----------------------------------- */

/* Which window a transaction falls in. */
enum { SIDE_CALIBRATION, SIDE_HOLDOUT, SIDE_AFTER };

/* A transaction as the grouping carries it: everything the walk needs
 * travels with the sort key, so that it reads each customer sequentially. */
struct txn {
    uint64_t key;  /* the customer id's hash (KEY_MUL): bijective */
    double bucket; /* floor(time / period) */
    double amount;
    size_t idx;    /* the row in the log */
    int side;
};

/* (customer, side, bucket, row): a customer's calibration periods in
 * order, then its holdout periods, then the rows after the holdout */
static inline int before(const struct txn *x, const struct txn *y)
{
    if (x->key != y->key)
        return x->key < y->key;
    if (x->side != y->side)
        return x->side < y->side;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket;
    return x->idx < y->idx;
}

/* libcs_bucket_of's multiplier and its inverse mod 2^64 */
#define KEY_MUL UINT64_C(0x9E3779B97F4A7C15)
#define KEY_INV UINT64_C(0xF1DE83E19937733D)

static inline uint64_t txn_key(const struct txn *x)
{
    return x->key;
}

#define NO_MINOR(x, param) ((void)(x), (void)(param), (size_t)0)

LIBCS_DEFINE_BUCKET_SORT(sort_bucket, struct txn, before, txn_key, NO_MINOR)

/* One customer's summary, with the row where the customer first appears. */
struct summary {
    size_t first;
    int64_t id;
    double x, t_x, T, mean_value, holdout_x, holdout_value;
};

struct window {
    double period, time_scale, calibration_end;
};

/* Summarise one customer's transactions g[0..len) (sorted by before()).
 * Returns 0 when the customer has no calibration transaction, else 1 with
 * *s filled; *overflow is set when a value is not finite. */
static int summarize_customer(const struct txn *g, size_t len,
                              const struct window *w, struct summary *s,
                              int *overflow)
{
    size_t first = g[0].idx;
    for (size_t i = 1; i < len; i++)
        first = g[i].idx < first ? g[i].idx : first;
    if (g[0].side != SIDE_CALIBRATION)
        return 0; /* born after the calibration end: not a customer yet */
    size_t i = 0;
    /* calibration: the first period is the birth, the others are repeats */
    const double b0 = g[0].bucket;
    for (; i < len && g[i].side == SIDE_CALIBRATION && g[i].bucket == b0; i++)
        ;
    double x = 0.0, repeat = 0.0, blast = b0;
    for (; i < len && g[i].side == SIDE_CALIBRATION; i++) {
        if (g[i].bucket != blast) {
            x += 1.0;
            blast = g[i].bucket;
        }
        repeat += g[i].amount;
    }
    double hx = 0.0, hv = 0.0;
    int finite = isfinite(b0) && isfinite(blast);
    for (const size_t h = i; i < len && g[i].side == SIDE_HOLDOUT; i++) {
        if (i == h || g[i].bucket != g[i - 1].bucket)
            hx += 1.0;
        hv += g[i].amount;
        finite &= isfinite(g[i].bucket);
    }
    /* a transaction dates from the start of its period; the minima keep
     * 0 <= t_x <= T when rounding puts a start a hair past the end */
    const double end = w->calibration_end;
    double s0 = fmin(b0 * w->period, end), s1 = fmin(blast * w->period, end);
    s->first = first;
    s->id = (int64_t)(g[0].key * KEY_INV);
    s->x = x;
    s->t_x = (s1 - s0) / w->time_scale;
    s->T = (end - s0) / w->time_scale;
    s->mean_value = x > 0.0 ? repeat / x : 0.0;
    s->holdout_x = hx;
    s->holdout_value = hv;
    if (!finite || !isfinite(s->t_x) || !isfinite(s->T) ||
        !isfinite(repeat) || !isfinite(hv))
        *overflow = 1;
    return 1; /* the rows after the holdout only counted for `first` */
}


/* Every customer born by the calibration end, in no particular order: one
 * pass counts the transactions per bucket of a multiplicative hash of the
 * customer id, one scatters them into the buckets, and each cache-sized
 * bucket is sorted (LIBCS_DEFINE_BUCKET_SORT: linear when each customer's
 * transactions come in time order) and walked while it is hot (linear
 * passes, n x 40 bytes of scratch).  *out (malloc'ed, *m entries) holds the
 * summaries. */
static int group(size_t n, const int64_t *customer, const double *time,
                 const double *amount, const struct window *w,
                 double holdout_end, struct summary **out, size_t *m,
                 int *overflow)
{
    if (n > SIZE_MAX / sizeof(struct txn))
        return LIBCS_ENOMEM;
    const int bits = libcs_bucket_bits(n);
    const size_t nb = (size_t)1 << bits;
    size_t *start = calloc(nb + 1, sizeof *start);
    struct txn *items = libcs__scratch(n * sizeof *items);
    if (!start || !items) {
        free(start), free(items);
        return LIBCS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        start[libcs_bucket_of((uint64_t)customer[i], bits) + 1]++;
    size_t biggest = 0;
    for (size_t b = 0; b < nb; b++) {
        biggest = start[b + 1] > biggest ? start[b + 1] : biggest;
        start[b + 1] += start[b];
    }
    struct txn *tmp = malloc(biggest * sizeof *tmp);
    size_t *fill = malloc(nb * sizeof *fill);
    size_t *count = malloc((((size_t)1 << LIBCS_SUB_BITS) + 1) * sizeof *count);
    /* at most one summary per transaction */
    struct summary *res = malloc(n * sizeof *res);
    if (!tmp || !fill || !res || !count) {
        free(start), free(items), free(tmp), free(fill), free(res),
            free(count);
        return LIBCS_ENOMEM;
    }
    memcpy(fill, start, nb * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        int side = time[i] <= w->calibration_end ? SIDE_CALIBRATION
                   : time[i] <= holdout_end      ? SIDE_HOLDOUT
                                                 : SIDE_AFTER;
        struct txn e = {(uint64_t)customer[i] * KEY_MUL,
                        floor(time[i] / w->period), amount[i], i, side};
        items[fill[bits ? e.key >> (64 - bits) : 0]++] = e;
    }
    free(fill);
    size_t u = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t len = start[b + 1] - start[b];
        const struct txn *a =
            sort_bucket(items + start[b], len, tmp, count, bits, 0, 0);
        for (size_t lo = 0; lo < len;) {
            size_t hi = lo + 1;
            while (hi < len && a[hi].key == a[lo].key)
                hi++;
            u += (size_t)summarize_customer(a + lo, hi - lo, w, &res[u],
                                            overflow);
            lo = hi;
        }
    }
    free(tmp), free(items), free(start), free(count);
    *out = res;
    *m = u;
    return LIBCS_OK;
}

LIBCS_API int libcs_clv_summarize(
    size_t n, const int64_t *customer, const double *time,
    const double *amount, double period, double time_scale,
    double calibration_end, double holdout_end, size_t cap, int64_t *id,
    double *x, double *t_x, double *T, double *mean_value, double *holdout_x,
    double *holdout_value, size_t *needed, size_t *bad_index)
{
    if (!customer || !time || !amount)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    /* the arguments, then the transactions */
    if (!isfinite(period) || !isfinite(time_scale) ||
        !isfinite(calibration_end) || !isfinite(holdout_end))
        return LIBCS_ENONFINITE;
    if (!(period > 0.0) || !(time_scale > 0.0) ||
        !(holdout_end >= calibration_end))
        return LIBCS_EDOMAIN;
    for (size_t i = 0; i < n; i++) {
        int rc = !isfinite(time[i]) || !isfinite(amount[i]) ? LIBCS_ENONFINITE
                 : amount[i] < 0.0                          ? LIBCS_EDOMAIN
                                                            : LIBCS_OK;
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    const struct window w = {period, time_scale, calibration_end};
    struct summary *res;
    size_t m;
    int overflow = 0;
    LIBCS_TRY(group(n, customer, time, amount, &w, holdout_end, &res, &m,
                    &overflow));
    if (needed)
        *needed = m;
    const int want = id || x || t_x || T || mean_value || holdout_x ||
                     holdout_value;
    int rc = want && cap < m ? LIBCS_EBUFSIZE
             : overflow      ? LIBCS_EOVERFLOW
                             : LIBCS_OK;
    /* order of first appearance: each summary at the row where its customer
     * first appears, read back in row order */
    size_t *at = rc == LIBCS_OK && want && m > 0 ? malloc(n * sizeof *at)
                                                 : NULL;
    if (rc == LIBCS_OK && want && m > 0 && !at)
        rc = LIBCS_ENOMEM;
    if (at) {
        memset(at, 0xff, n * sizeof *at);
        for (size_t j = 0; j < m; j++)
            at[res[j].first] = j;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (at[i] == SIZE_MAX)
                continue;
            const struct summary *s = &res[at[i]];
            if (id)
                id[k] = s->id;
            if (x)
                x[k] = s->x;
            if (t_x)
                t_x[k] = s->t_x;
            if (T)
                T[k] = s->T;
            if (mean_value)
                mean_value[k] = s->mean_value;
            if (holdout_x)
                holdout_x[k] = s->holdout_x;
            if (holdout_value)
                holdout_value[k] = s->holdout_value;
            k++;
        }
        free(at);
    }
    free(res);
    return rc;
}

/* ---- sufficient statistics ----------------------------------------------- */

/* A row libcs_bgnbd_fit accepts: x a whole number >= 0, 0 <= t_x <= T, no
 * last-purchase time without repeat purchases; a weight >= 0. */
static int check_row(double x, double t_x, double T, const double *w)
{
    if (!isfinite(x) || !isfinite(t_x) || !isfinite(T) || (w && !isfinite(*w)))
        return LIBCS_ENONFINITE;
    if (x < 0.0 || x != floor(x) || t_x < 0.0 || t_x > T ||
        (x == 0.0 && t_x != 0.0) || (w && *w < 0.0))
        return LIBCS_EDOMAIN;
    return LIBCS_OK;
}

LIBCS_API int libcs_clv_compress(size_t n, const double *x, const double *t_x,
                                 const double *T, const double *weights,
                                 size_t cap, double *ux, double *ut_x,
                                 double *uT, double *uweights, size_t *needed,
                                 size_t *bad_index)
{
    if (!x || !t_x || !T)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    for (size_t i = 0; i < n; i++) {
        int rc = check_row(x[i], t_x[i], T[i], weights ? &weights[i] : NULL);
        if (rc != LIBCS_OK) {
            if (bad_index)
                *bad_index = i;
            return rc;
        }
    }
    if (n > SIZE_MAX / (3 * sizeof(double)))
        return LIBCS_ENOMEM;
    double *rows = malloc(3 * n * sizeof *rows), *u = malloc(3 * n * sizeof *u),
           *uw = malloc(n * sizeof *uw);
    size_t m = 0;
    int rc = rows && u && uw ? LIBCS_OK : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t i = 0; i < n; i++) {
            rows[3 * i] = x[i];
            rows[3 * i + 1] = t_x[i];
            rows[3 * i + 2] = T[i];
        }
        rc = libcs__compress(n, 3, rows, weights, u, uw, &m);
    }
    if (rc == LIBCS_OK) {
        if (needed)
            *needed = m;
        int want = ux || ut_x || uT || uweights;
        int overflow = 0;
        for (size_t j = 0; j < m; j++)
            overflow |= !isfinite(uw[j]);
        rc = want && cap < m ? LIBCS_EBUFSIZE
             : overflow      ? LIBCS_EOVERFLOW
                             : LIBCS_OK;
        for (size_t j = 0; rc == LIBCS_OK && want && j < m; j++) {
            if (ux)
                ux[j] = u[3 * j];
            if (ut_x)
                ut_x[j] = u[3 * j + 1];
            if (uT)
                uT[j] = u[3 * j + 2];
            if (uweights)
                uweights[j] = uw[j];
        }
    }
    free(rows), free(u), free(uw);
    return rc;
}
