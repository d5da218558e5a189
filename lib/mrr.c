/* lib/mrr.c - MRR movements and cohorts from (customer, period, MRR) records:
 * a mergeable, serializable ledger; records grouped by customer through
 * cache-sized hash buckets (linear time for ledgers in customer or period
 * order); exact int64 sums with overflow checks. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"


#define MRR_MAGIC "CSMR"
#define MRR_FORMAT_VERSION 1
#define MRR_HEADER 32
#define MRR_RECORD 20
#define MRR_MAX_RECORDS ((size_t)UINT32_MAX)
/* records in a hash bucket of the grouping, at most (at least half as
 * many): 64 to 128 KiB of packed records, which stay in L2 while a bucket is
 * sorted and walked, and few enough buckets (2048 for 10^7 records) for the
 * scatter into them to stay in the TLB */
#define MRR_BUCKET 8192

struct libcs_mrr {
    int32_t first, n_periods, max_gap;
    size_t n, cap;
    int64_t *customer;
    int32_t *period;
    int64_t *mrr;
};

LIBCS_API int libcs_mrr_new(int32_t first_period, int32_t n_periods,
                            libcs_mrr **out)
{
    if (!out)
        return LIBCS_EINVAL;
    /* the last period, first + n - 1, must be an int32 too */
    if (n_periods <= 0 || first_period > INT32_MAX - (n_periods - 1))
        return LIBCS_EDOMAIN;
    libcs_mrr *m = calloc(1, sizeof *m);
    if (!m)
        return LIBCS_ENOMEM;
    m->first = first_period;
    m->n_periods = n_periods;
    m->max_gap = LIBCS_MRR_ANY_GAP;
    *out = m;
    return LIBCS_OK;
}

LIBCS_API void libcs_mrr_free(libcs_mrr *ledger)
{
    if (!ledger)
        return;
    free(ledger->customer);
    free(ledger->period);
    free(ledger->mrr);
    free(ledger);
}

LIBCS_API int libcs_mrr_set_reactivation_window(libcs_mrr *ledger,
                                                int32_t max_gap)
{
    if (!ledger)
        return LIBCS_EINVAL;
    if (max_gap < LIBCS_MRR_ANY_GAP)
        return LIBCS_EDOMAIN;
    ledger->max_gap = max_gap;
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_records(const libcs_mrr *ledger, size_t *n)
{
    if (!ledger || !n)
        return LIBCS_EINVAL;
    *n = ledger->n;
    return LIBCS_OK;
}

/* Room for `more` records. */
static int reserve(libcs_mrr *m, size_t more)
{
    if (more > MRR_MAX_RECORDS - m->n)
        return LIBCS_EOVERFLOW;
    size_t need = m->n + more;
    if (need <= m->cap)
        return LIBCS_OK;
    size_t cap = m->cap ? m->cap : 1024;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
    int64_t *c = realloc(m->customer, cap * sizeof *c);
    if (c)
        m->customer = c;
    int32_t *p = realloc(m->period, cap * sizeof *p);
    if (p)
        m->period = p;
    int64_t *v = realloc(m->mrr, cap * sizeof *v);
    if (v)
        m->mrr = v;
    if (!c || !p || !v)
        return LIBCS_ENOMEM; /* the arrays that did grow stay valid */
    m->cap = cap;
    libcs__advise_huge(c, cap * sizeof *c);
    libcs__advise_huge(p, cap * sizeof *p);
    libcs__advise_huge(v, cap * sizeof *v);
    return LIBCS_OK;
}

static int in_range(const libcs_mrr *m, int32_t period)
{
    /* in 64 bits: period - first overflows int32 for far-apart values */
    int64_t rel = (int64_t)period - (int64_t)m->first;
    return rel >= 0 && rel < m->n_periods;
}

/* The first record of the n with a negative MRR or a period out of range,
 * or SIZE_MAX: block by block, without branches inside a block (the check
 * vectorises). */
static size_t first_bad(const libcs_mrr *m, size_t n, const int32_t *period,
                        const int64_t *mrr)
{
    const int64_t first = m->first;
    const uint64_t np = (uint64_t)m->n_periods;
    for (size_t lo = 0; lo < n; lo += 1024) {
        size_t hi = n - lo < 1024 ? n : lo + 1024;
        int bad = 0;
        for (size_t i = lo; i < hi; i++)
            bad |= (mrr[i] < 0) | ((uint64_t)(period[i] - first) >= np);
        if (bad)
            for (size_t i = lo; i < hi; i++)
                if (mrr[i] < 0 || !in_range(m, period[i]))
                    return i;
    }
    return SIZE_MAX;
}

LIBCS_API int libcs_mrr_add(libcs_mrr *ledger, size_t n,
                            const int64_t *customer, const int32_t *period,
                            const int64_t *mrr, size_t *bad_index)
{
    if (!ledger || !customer || !period || !mrr)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_OK; /* an empty chunk: nothing to copy */
    int rc = reserve(ledger, n);
    size_t bad = SIZE_MAX;
    if (rc != LIBCS_OK) {
        bad = first_bad(ledger, n, period, mrr); /* a bad record first */
    } else {
        /* copy and check in one pass, a block at a time (while the block is
         * in cache); the count grows only when every record is good */
        int64_t *c = ledger->customer + ledger->n, *v = ledger->mrr + ledger->n;
        int32_t *p = ledger->period + ledger->n;
        for (size_t lo = 0; lo < n && bad == SIZE_MAX; lo += 8192) {
            size_t len = n - lo < 8192 ? n - lo : 8192;
            memcpy(c + lo, customer + lo, len * sizeof *c);
            memcpy(p + lo, period + lo, len * sizeof *p);
            memcpy(v + lo, mrr + lo, len * sizeof *v);
            bad = first_bad(ledger, len, p + lo, v + lo);
            bad = bad == SIZE_MAX ? bad : lo + bad;
        }
    }
    if (bad != SIZE_MAX) {
        if (bad_index)
            *bad_index = bad;
        return LIBCS_EDOMAIN;
    }
    if (rc == LIBCS_OK)
        ledger->n += n;
    return rc;
}

LIBCS_API int libcs_mrr_merge(libcs_mrr *into, const libcs_mrr *from)
{
    if (!into || !from || into == from)
        return LIBCS_EINVAL;
    if (into->first != from->first || into->n_periods != from->n_periods ||
        into->max_gap != from->max_gap)
        return LIBCS_EINVAL; /* ledgers of different shapes */
    if (from->n == 0)
        return LIBCS_OK; /* an empty partition: its arrays may not exist */
    return libcs_mrr_add(into, from->n, from->customer, from->period,
                         from->mrr, NULL);
}

/* ---- serialization: "CSMR", version 1, 3 zero bytes; first, n_periods,
 * max_gap (int32) and 4 zero bytes; the record count (uint64); then each
 * record as customer (int64), period (int32), MRR (int64); little-endian. */

static void put32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

LIBCS_API int libcs_mrr_serialize(const libcs_mrr *ledger, uint8_t *buf,
                                  size_t cap, size_t *needed)
{
    if (!ledger || (!buf && cap > 0))
        return LIBCS_EINVAL;
    size_t size = MRR_HEADER + ledger->n * MRR_RECORD;
    if (needed)
        *needed = size;
    if (cap < size)
        return LIBCS_EBUFSIZE;
    memset(buf, 0, MRR_HEADER);
    memcpy(buf, MRR_MAGIC, 4);
    buf[4] = MRR_FORMAT_VERSION;
    put32(buf + 8, (uint32_t)ledger->first);
    put32(buf + 12, (uint32_t)ledger->n_periods);
    put32(buf + 16, (uint32_t)ledger->max_gap);
    libcs_put_u64le(buf + 24, ledger->n);
    uint8_t *r = buf + MRR_HEADER;
    for (size_t i = 0; i < ledger->n; i++, r += MRR_RECORD) {
        libcs_put_u64le(r, (uint64_t)ledger->customer[i]);
        put32(r + 8, (uint32_t)ledger->period[i]);
        libcs_put_u64le(r + 12, (uint64_t)ledger->mrr[i]);
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_deserialize(const uint8_t *buf, size_t len,
                                    libcs_mrr **out)
{
    libcs_mrr *m;
    if (!buf || !out)
        return LIBCS_EINVAL;
    if (len < MRR_HEADER || memcmp(buf, MRR_MAGIC, 4) ||
        buf[4] != MRR_FORMAT_VERSION || buf[5] || buf[6] || buf[7] ||
        get32(buf + 20))
        return LIBCS_EFORMAT;
    uint64_t count = libcs_get_u64le(buf + 24);
    if (count > (len - MRR_HEADER) / MRR_RECORD ||
        len != MRR_HEADER + count * MRR_RECORD)
        return LIBCS_EFORMAT;
    int rc = libcs_mrr_new((int32_t)get32(buf + 8), (int32_t)get32(buf + 12),
                           &m);
    if (rc != LIBCS_OK)
        return rc == LIBCS_ENOMEM ? rc : LIBCS_EFORMAT;
    if (libcs_mrr_set_reactivation_window(m, (int32_t)get32(buf + 16)) !=
        LIBCS_OK)
        rc = LIBCS_EFORMAT;
    if (rc == LIBCS_OK && count > 0)
        rc = reserve(m, (size_t)count); /* LIBCS_ENOMEM stays LIBCS_ENOMEM */
    const uint8_t *r = buf + MRR_HEADER;
    for (size_t i = 0; rc == LIBCS_OK && i < count; i++, r += MRR_RECORD) {
        int64_t c = (int64_t)libcs_get_u64le(r), v = (int64_t)libcs_get_u64le(r + 12);
        int32_t p = (int32_t)get32(r + 8);
        if (v < 0 || !in_range(m, p))
            rc = LIBCS_EFORMAT;
        m->customer[i] = c;
        m->period[i] = p;
        m->mrr[i] = v;
    }
    if (rc != LIBCS_OK) {
        libcs_mrr_free(m);
        return rc;
    }
    m->n = (size_t)count;
    *out = m;
    return LIBCS_OK;
}

/* ---- grouping records by customer ------------------------------------------ */

/* A record as the walks see it: one customer's records in period order. */
struct keyed {
    int64_t mrr;
    int32_t period; /* relative to the first period */
};

/* Called once per customer with its records in period order. */
typedef int (*customer_fn)(const struct keyed *run, size_t len, void *ctx);

/* A record as the grouping carries it, with h a bijective hash of the
 * customer id (libcs_bucket_of's) and v the MRR or, when looking for the
 * first duplicate, the record's position in the ledger.  Packed (16 bytes),
 * when the relative periods fit in the bits that choose the bucket: k is h
 * shifted left by those bits, or'ed with the period, so that one compare
 * orders by (customer, period).  Wide (24 bytes) otherwise: k is h. */
#define HASH_MUL UINT64_C(0x9E3779B97F4A7C15)

struct item {
    uint64_t k;
    int64_t v;
};

struct witem {
    uint64_t k;
    int64_t v;
    int32_t p;
};

static inline uint64_t item_key(const struct item *x)
{
    return x->k;
}

static inline int item_before(const struct item *x, const struct item *y)
{
    return x->k < y->k;
}

static inline uint64_t witem_key(const struct witem *x)
{
    return x->k;
}

static inline int witem_before(const struct witem *x, const struct witem *y)
{
    return x->k != y->k ? x->k < y->k : x->p < y->p;
}

/* the period: the bits under the mask in a packed record */
#define ITEM_PERIOD(x, mask) ((size_t)((x)->k & (mask)))
#define WITEM_PERIOD(x, mask) ((void)(mask), (size_t)(x)->p)

LIBCS_DEFINE_BUCKET_SORT(sort_items, struct item, item_before, item_key,
                         ITEM_PERIOD)
LIBCS_DEFINE_BUCKET_SORT(sort_witems, struct witem, witem_before, witem_key,
                         WITEM_PERIOD)

/* The body of group_packed and group_wide (below): T the item, MAKE(h, v,
 * p) one, SORT the bucket sort, SHIFT the bits of k above the ones that
 * order a bucket, MPARAM the sort's parameter for the period, SAME(x, y)
 * the same customer, PERIOD(x). */
#define MRR_GROUP(T, MAKE, SORT, SHIFT, MPARAM, SAME, PERIOD)                  \
    do {                                                                       \
        const size_t n = m->n, np = (size_t)m->n_periods;                      \
        const size_t nb = (size_t)1 << bits;                                   \
        size_t *start = calloc(nb + 1, sizeof *start);                         \
        T *items = libcs__scratch(n * sizeof *items);                          \
        if (!start || !items) {                                                \
            free(start), free(items);                                          \
            return LIBCS_ENOMEM;                                               \
        }                                                                      \
        const int64_t *cust = m->customer, *mrr = m->mrr;                      \
        const int32_t *per = m->period;                                        \
        for (size_t i = 0; i < n; i++)                                         \
            start[libcs_bucket_of((uint64_t)cust[i], bits) + 1]++;             \
        size_t biggest = 0;                                                    \
        for (size_t b = 0; b < nb; b++) {                                      \
            biggest = start[b + 1] > biggest ? start[b + 1] : biggest;         \
            start[b + 1] += start[b];                                          \
        }                                                                      \
        T *tmp = malloc(biggest * sizeof *tmp);                                \
        struct keyed *run = malloc(biggest * sizeof *run);                     \
        size_t *fill = malloc(nb * sizeof *fill);                              \
        /* the bucket sort's counts: slots, or periods when no more than the  \
         * records of a bucket */                                             \
        size_t nc = np < biggest ? np : biggest;                               \
        nc = nc > ((size_t)1 << LIBCS_SUB_BITS) ? nc                           \
                                                : (size_t)1 << LIBCS_SUB_BITS; \
        size_t *count = malloc((nc + 1) * sizeof *count);                      \
        if (!tmp || !fill || !run || !count) {                                 \
            free(start), free(items), free(count), free(tmp), free(fill),      \
                free(run);                                                     \
            return LIBCS_ENOMEM;                                               \
        }                                                                      \
        memcpy(fill, start, nb * sizeof *fill);                                \
        const int32_t first = m->first;                                        \
        for (size_t i = 0; i < n; i++) {                                       \
            uint64_t h = (uint64_t)cust[i] * HASH_MUL;                         \
            items[fill[bits ? h >> (64 - bits) : 0]++] =                       \
                MAKE(h, fn ? mrr[i] : (int64_t)i, per[i] - first);             \
        }                                                                      \
        free(fill);                                                            \
        int rc = LIBCS_OK, dups = 0;                                           \
        size_t first_dup = SIZE_MAX;                                           \
        for (size_t b = 0; b < nb && !(fn && dups); b++) {                     \
            size_t len = start[b + 1] - start[b];                              \
            const T *a = SORT(items + start[b], len, tmp, count, SHIFT, \
                                MPARAM, np);       \
            for (size_t lo = 0; lo < len;) {                                   \
                size_t hi = lo + 1;                                            \
                for (; hi < len && SAME(&a[hi], &a[lo]); hi++)                 \
                    if (PERIOD(&a[hi]) == PERIOD(&a[hi - 1])) {                \
                        dups = 1;                                              \
                        if (!fn && (size_t)a[hi].v < first_dup)                \
                            first_dup = (size_t)a[hi].v;                       \
                    }                                                          \
                if (fn && !dups && rc == LIBCS_OK) {                           \
                    for (size_t i = lo; i < hi; i++)                           \
                        run[i - lo] = (struct keyed){a[i].v, PERIOD(&a[i])};   \
                    rc = fn(run, hi - lo, ctx);                                \
                }                                                              \
                lo = hi;                                                       \
            }                                                                  \
        }                                                                      \
        free(tmp), free(run), free(items), free(count), free(start);           \
        if (!fn)                                                               \
            *dup = first_dup;                                                  \
        return dups ? LIBCS_EDUPLICATE : rc;                                   \
    } while (0)

static int group_packed(const libcs_mrr *m, int bits, customer_fn fn,
                        void *ctx, size_t *dup)
{
    const uint64_t pmask = ((uint64_t)1 << bits) - 1;
#define MAKE(h, v, p) ((struct item){(h) << bits | (uint64_t)(p), (v)})
#define SAME(x, y) (((x)->k ^ (y)->k) <= pmask)
#define PERIOD(x) ((int32_t)((x)->k & pmask))
    MRR_GROUP(struct item, MAKE, sort_items, 0, pmask, SAME, PERIOD);
#undef MAKE
#undef SAME
#undef PERIOD
}

static int group_wide(const libcs_mrr *m, int bits, customer_fn fn, void *ctx,
                      size_t *dup)
{
#define MAKE(h, v, p) ((struct witem){(h), (v), (p)})
#define SAME(x, y) ((x)->k == (y)->k)
#define PERIOD(x) ((x)->p)
    MRR_GROUP(struct witem, MAKE, sort_witems, bits, 0, SAME, PERIOD);
#undef MAKE
#undef SAME
#undef PERIOD
}

/* Group the records and call fn for each customer (fn NULL: find the
 * duplicate (customer, period) whose second record comes first in the
 * ledger, *dup its position).  One pass counts the records per bucket of
 * the top bits of h (at most about MRR_BUCKET records a bucket), one scatters them
 * into the buckets, and each cache-sized bucket is sorted
 * (LIBCS_DEFINE_BUCKET_SORT) and walked while it is hot.  Every step is
 * stable, so the records of one (customer, period) stay in ledger order.
 * With fn, a duplicate stops the walk: LIBCS_EDUPLICATE.  Records are packed
 * when the periods fit in the bucket bits, which may be raised for that
 * (up to 4096 buckets, or 64 records a bucket). */
static int group(const libcs_mrr *m, customer_fn fn, void *ctx, size_t *dup)
{
    int bits = libcs_bucket_bits_for(m->n, MRR_BUCKET), pbits = 0;
    while (pbits < 31 && ((int64_t)1 << pbits) < m->n_periods)
        pbits++;
    if (pbits <= bits)
        return group_packed(m, bits, fn, ctx, dup);
    if (pbits <= 12 || ((size_t)64 << pbits) <= m->n)
        return group_packed(m, pbits, fn, ctx, dup);
    return group_wide(m, bits, fn, ctx, dup);
}

/* Group the records by customer and call fn for each customer.  A
 * duplicate (customer, period) is LIBCS_EDUPLICATE, naming the one whose
 * repeat comes first in the ledger (found by a second grouping, which
 * carries positions instead of MRR); it takes precedence over an error from
 * fn. */
static int for_each_customer(const libcs_mrr *m, customer_fn fn, void *ctx,
                             int64_t *dup_customer, int32_t *dup_period)
{
    if (m->n == 0)
        return LIBCS_OK;
    int rc = group(m, fn, ctx, NULL);
    if (rc != LIBCS_EDUPLICATE)
        return rc;
    size_t dup;
    rc = group(m, NULL, NULL, &dup);
    if (rc != LIBCS_EDUPLICATE)
        return rc; /* LIBCS_ENOMEM */
    if (dup_customer)
        *dup_customer = m->customer[dup];
    if (dup_period)
        *dup_period = m->period[dup];
    return LIBCS_EDUPLICATE;
}

/* ---- movements ------------------------------------------------------------------ */

struct tally {
    int64_t new_mrr, expansion, contraction, churned, reactivation;
    int64_t n_new, n_churned, n_reactivated;
};

static int add64(int64_t *into, int64_t v)
{
    return __builtin_add_overflow(*into, v, into) ? LIBCS_EOVERFLOW : LIBCS_OK;
}

struct movements_ctx {
    const libcs_mrr *m;
    struct tally *t;
};

/* Walk one customer's records (in period order) and add its movements to
 * t[period]. */
static int walk_customer(const struct keyed *g, size_t len, void *ctx)
{
    const struct movements_ctx *c = ctx;
    const libcs_mrr *m = c->m;
    struct tally *t = c->t;
    const int32_t last = m->n_periods - 1; /* periods relative to first */
    int32_t prev_p = -1, last_active = -1;
    int64_t prev_v = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t p = g[i].period;
        int64_t v = g[i].mrr;
        if (prev_v > 0 && p > prev_p + 1) { /* absent periods are 0 */
            LIBCS_TRY(add64(&t[prev_p + 1].churned, prev_v));
            t[prev_p + 1].n_churned++;
        }
        int64_t before = p == prev_p + 1 ? prev_v : 0;
        struct tally *tp = &t[p];
        if (before == 0 && v > 0) {
            int32_t gap = p - last_active - 1;
            if (last_active >= 0 && (m->max_gap < 0 || gap <= m->max_gap)) {
                LIBCS_TRY(add64(&tp->reactivation, v));
                tp->n_reactivated++;
            } else {
                LIBCS_TRY(add64(&tp->new_mrr, v));
                tp->n_new++;
            }
        } else if (before > 0 && v == 0) {
            LIBCS_TRY(add64(&tp->churned, before));
            tp->n_churned++;
        } else if (v > before) {
            LIBCS_TRY(add64(&tp->expansion, v - before));
        } else if (v < before) {
            LIBCS_TRY(add64(&tp->contraction, before - v));
        }
        if (v > 0)
            last_active = p;
        prev_p = p;
        prev_v = v;
    }
    if (prev_v > 0 && prev_p < last) {
        LIBCS_TRY(add64(&t[prev_p + 1].churned, prev_v));
        t[prev_p + 1].n_churned++;
    }
    return LIBCS_OK;
}

/* Chain start -> end through a period's movements, exactly.  The losses go
 * first: they never take the total below 0, and after them every step stays
 * at or below the end, so only a true end past INT64_MAX overflows. */
static int chain(int64_t start, int64_t add1, int64_t add2, int64_t add3,
                 int64_t sub1, int64_t sub2, int64_t *end)
{
    int64_t x = start;
    if (__builtin_sub_overflow(x, sub1, &x) ||
        __builtin_sub_overflow(x, sub2, &x) ||
        __builtin_add_overflow(x, add1, &x) ||
        __builtin_add_overflow(x, add2, &x) ||
        __builtin_add_overflow(x, add3, &x))
        return LIBCS_EOVERFLOW;
    *end = x;
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_movements(const libcs_mrr *ledger,
                                  libcs_mrr_period *out, size_t cap,
                                  size_t *needed, int64_t *dup_customer,
                                  int32_t *dup_period)
{
    if (!ledger || (!out && cap > 0))
        return LIBCS_EINVAL;
    const size_t np = (size_t)ledger->n_periods;
    if (needed)
        *needed = np;
    if (cap < np)
        return LIBCS_EBUFSIZE;
    struct tally *t = calloc(np, sizeof *t);
    if (!t)
        return LIBCS_ENOMEM;
    struct movements_ctx ctx = {ledger, t};
    int rc = for_each_customer(ledger, walk_customer, &ctx, dup_customer,
                               dup_period);
    /* chain the periods into a local copy, so that out stays untouched on
     * an overflow */
    libcs_mrr_period *rows = rc == LIBCS_OK ? calloc(np, sizeof *rows) : NULL;
    if (rc == LIBCS_OK && !rows)
        rc = LIBCS_ENOMEM;
    int64_t mrr = 0, customers = 0;
    for (size_t p = 0; rc == LIBCS_OK && p < np; p++) {
        const struct tally *tp = &t[p];
        libcs_mrr_period *r = &rows[p];
        r->period = ledger->first + (int32_t)p;
        r->mrr_start = mrr;
        r->new_mrr = tp->new_mrr;
        r->expansion = tp->expansion;
        r->contraction = tp->contraction;
        r->churned = tp->churned;
        r->reactivation = tp->reactivation;
        r->customers_start = customers;
        r->customers_new = tp->n_new;
        r->customers_churned = tp->n_churned;
        r->customers_reactivated = tp->n_reactivated;
        rc = chain(mrr, tp->new_mrr, tp->expansion, tp->reactivation,
                   tp->contraction, tp->churned, &r->mrr_end);
        if (rc == LIBCS_OK)
            rc = chain(customers, tp->n_new, tp->n_reactivated, 0,
                       tp->n_churned, 0, &r->customers_end);
        mrr = r->mrr_end;
        customers = r->customers_end;
    }
    if (rc == LIBCS_OK)
        memcpy(out, rows, np * sizeof *rows);
    free(rows);
    free(t);
    return rc;
}

/* ---- cohorts ----------------------------------------------------------------------- */

struct cohort_ctx {
    size_t np;
    int64_t *cust, *rev; /* np x np */
};

/* Count a customer in its cohort (its first period with MRR > 0) at each
 * period it pays in. */
static int walk_cohort(const struct keyed *g, size_t len, void *ctx)
{
    const struct cohort_ctx *c = ctx;
    int32_t cohort = -1;
    for (size_t i = 0; i < len; i++) {
        if (g[i].mrr == 0)
            continue;
        if (cohort < 0)
            cohort = g[i].period;
        size_t cell = (size_t)cohort * c->np + (size_t)(g[i].period - cohort);
        c->cust[cell]++;
        LIBCS_TRY(add64(&c->rev[cell], g[i].mrr));
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_cohorts(const libcs_mrr *ledger, size_t cap,
                                int64_t *customers, int64_t *revenue,
                                double *customer_share, double *revenue_share,
                                size_t *needed, int64_t *dup_customer,
                                int32_t *dup_period)
{
    if (!ledger)
        return LIBCS_EINVAL;
    const size_t np = (size_t)ledger->n_periods;
    if (np > SIZE_MAX / np / sizeof(int64_t))
        return LIBCS_EOVERFLOW;
    const size_t cells = np * np;
    if (needed)
        *needed = cells;
    if (!customers && !revenue && !customer_share && !revenue_share)
        return LIBCS_OK; /* a size query */
    if (cap < cells)
        return LIBCS_EBUFSIZE;
    int64_t *cust = calloc(cells, sizeof *cust), *rev = calloc(cells, sizeof *rev);
    struct cohort_ctx ctx = {np, cust, rev};
    int rc = cust && rev ? for_each_customer(ledger, walk_cohort, &ctx,
                                             dup_customer, dup_period)
                         : LIBCS_ENOMEM;
    if (rc == LIBCS_OK) {
        for (size_t c = 0; c < np; c++)
            for (size_t o = 0; o < np; o++) {
                size_t cell = c * np + o;
                int seen = c + o < np;
                if (customers)
                    customers[cell] = seen ? cust[cell] : -1;
                if (revenue)
                    revenue[cell] = seen ? rev[cell] : -1;
                if (customer_share)
                    customer_share[cell] =
                        seen && cust[c * np] > 0
                            ? (double)cust[cell] / (double)cust[c * np]
                            : NAN;
                if (revenue_share)
                    revenue_share[cell] =
                        seen && rev[c * np] > 0
                            ? (double)rev[cell] / (double)rev[c * np]
                            : NAN;
            }
    }
    free(cust);
    free(rev);
    return rc;
}

/* ---- subscription-capped GRR ---------------------------------------------------- */

struct capped_ctx {
    int32_t base, period; /* relative to the first */
    int64_t kept, base_sum;
};

/* One customer's share of the capped GRR of period against base: its MRR
 * at base and at period (0 without a record), if it paid at base. */
static int walk_capped(const struct keyed *g, size_t len, void *ctx)
{
    struct capped_ctx *c = ctx;
    int64_t at_base = 0, now = 0;
    for (size_t i = 0; i < len; i++) {
        if (g[i].period == c->base)
            at_base = g[i].mrr;
        else if (g[i].period == c->period)
            now = g[i].mrr;
    }
    if (at_base > 0) {
        LIBCS_TRY(add64(&c->kept, now < at_base ? now : at_base));
        LIBCS_TRY(add64(&c->base_sum, at_base));
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_capped_grr_since(const libcs_mrr *ledger, int32_t base,
                                         int32_t period, double *out,
                                         int64_t *dup_customer,
                                         int32_t *dup_period)
{
    if (!ledger || !out)
        return LIBCS_EINVAL;
    if (!in_range(ledger, base) || !in_range(ledger, period) || base >= period)
        return LIBCS_EDOMAIN;
    struct capped_ctx ctx = {base - ledger->first, period - ledger->first, 0,
                             0};
    int rc = for_each_customer(ledger, walk_capped, &ctx, dup_customer,
                               dup_period);
    if (rc == LIBCS_OK && ctx.base_sum == 0)
        rc = LIBCS_EUNDEFINED;
    if (rc == LIBCS_OK)
        *out = (double)ctx.kept / (double)ctx.base_sum;
    return rc;
}

LIBCS_API int libcs_mrr_capped_grr(const libcs_mrr *ledger, int32_t period,
                                   double *out)
{
    if (!ledger || !out)
        return LIBCS_EINVAL;
    /* the period and the one before it must both be in the ledger (checked
     * here, so that period - 1 cannot wrap) */
    if (!in_range(ledger, period) || period == ledger->first)
        return LIBCS_EDOMAIN;
    return libcs_mrr_capped_grr_since(ledger, period - 1, period, out, NULL,
                                      NULL);
}

struct capped_series_ctx {
    int32_t np, lookback;
    int64_t *kept, *base_sum; /* per period, relative to the first */
};

/* One customer's share of every period's capped GRR: each of its records
 * with MRR > 0 is the base of the period `lookback` later, whose record (if
 * any) a second cursor finds; both move forward only, so a customer costs
 * one walk over its records. */
static int walk_capped_series(const struct keyed *g, size_t len, void *ctx)
{
    const struct capped_series_ctx *c = ctx;
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        int64_t at_base = g[i].mrr;
        /* the target period q + lookback must be in the ledger (written
         * so that it cannot overflow: np - lookback >= 1 - INT32_MAX) */
        if (at_base == 0 || g[i].period >= c->np - c->lookback)
            continue;
        int32_t target = g[i].period + c->lookback;
        while (j < len && g[j].period < target)
            j++;
        int64_t now = j < len && g[j].period == target ? g[j].mrr : 0;
        LIBCS_TRY(add64(&c->kept[target], now < at_base ? now : at_base));
        LIBCS_TRY(add64(&c->base_sum[target], at_base));
    }
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_capped_grr_series(const libcs_mrr *ledger,
                                          int32_t lookback, double *out,
                                          size_t cap, size_t *needed,
                                          int64_t *dup_customer,
                                          int32_t *dup_period)
{
    if (!ledger || (!out && cap > 0))
        return LIBCS_EINVAL;
    if (lookback < 1)
        return LIBCS_EDOMAIN;
    const size_t np = (size_t)ledger->n_periods;
    if (needed)
        *needed = np;
    if (cap < np)
        return LIBCS_EBUFSIZE;
    int64_t *kept = calloc(np, sizeof *kept);
    int64_t *base_sum = calloc(np, sizeof *base_sum);
    struct capped_series_ctx ctx = {ledger->n_periods, lookback, kept,
                                    base_sum};
    int rc = kept && base_sum
                 ? for_each_customer(ledger, walk_capped_series, &ctx,
                                     dup_customer, dup_period)
                 : LIBCS_ENOMEM;
    /* a period whose base is before the first period, or in which nobody
     * paid, has no capped GRR: NaN, as the cohort shares mark theirs */
    for (size_t p = 0; rc == LIBCS_OK && p < np; p++)
        out[p] = base_sum[p] > 0 ? (double)kept[p] / (double)base_sum[p] : NAN;
    free(kept);
    free(base_sum);
    return rc;
}

/* ---- rates per period, through the foundation's functions -------------------- */

static void rate(libcs_mrr_rates *r, int which, int rc, double value)
{
    r->status[which] = rc;
    r->rate[which] = rc == LIBCS_OK ? value : NAN;
}

LIBCS_API int libcs_mrr_rates_batch(size_t n, const libcs_mrr_period *periods,
                                    int denominator, libcs_mrr_rates *out)
{
    if (!periods || !out ||
        (denominator != LIBCS_CHURN_DENOM_START &&
         denominator != LIBCS_CHURN_DENOM_START_PLUS_NEW &&
         denominator != LIBCS_CHURN_DENOM_AVERAGE))
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    for (size_t i = 0; i < n; i++) {
        const libcs_mrr_period *p = &periods[i];
        libcs_mrr_rates r;
        double v = 0.0;
        int64_t added;
        memset(&r, 0, sizeof r);
        int rc = __builtin_add_overflow(p->customers_new,
                                        p->customers_reactivated, &added)
                     ? LIBCS_EOVERFLOW
                     : libcs_churn_customer(p->customers_start, added,
                                            p->customers_churned, denominator,
                                            &v);
        rate(&r, LIBCS_RATE_CUSTOMER_CHURN, rc, v);
        rc = libcs_revenue_churn_gross(p->mrr_start, p->churned,
                                       p->contraction, &v);
        rate(&r, LIBCS_RATE_GROSS_MRR_CHURN, rc, v);
        rc = libcs_revenue_churn_net(p->mrr_start, p->churned, p->contraction,
                                     p->expansion, p->reactivation, &v);
        rate(&r, LIBCS_RATE_NET_MRR_CHURN, rc, v);
        rc = libcs_revenue_nrr(p->mrr_start, p->churned, p->contraction,
                               p->expansion, p->reactivation, &v);
        rate(&r, LIBCS_RATE_NRR, rc, v);
        rc = libcs_revenue_grr(p->mrr_start, p->churned, p->contraction, &v);
        rate(&r, LIBCS_RATE_GRR, rc, v);
        rc = libcs_revenue_quick_ratio(p->new_mrr, p->expansion,
                                       p->reactivation, p->churned,
                                       p->contraction, &v);
        rate(&r, LIBCS_RATE_QUICK_RATIO, rc, v);
        /* the house order: a domain error before an undefined result */
        rc = p->mrr_end < 0 || p->customers_end < 0 ? LIBCS_EDOMAIN
             : p->customers_end == 0                ? LIBCS_EUNDEFINED
                                                     : LIBCS_OK;
        rate(&r, LIBCS_RATE_ARPA, rc,
             rc == LIBCS_OK ? (double)p->mrr_end / (double)p->customers_end
                            : 0.0);
        out[i] = r;
    }
    return LIBCS_OK;
}
