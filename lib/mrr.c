/* lib/mrr.c - MRR movements and cohorts from (customer, period, MRR) records:
 * a mergeable, serializable ledger; records grouped by customer with a
 * linear-time radix sort; exact int64 sums with overflow checks. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MRR_MAGIC "CSMR"
#define MRR_FORMAT_VERSION 1
#define MRR_HEADER 32
#define MRR_RECORD 20
#define MRR_MAX_RECORDS ((size_t)UINT32_MAX)

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
    return LIBCS_OK;
}

static int in_range(const libcs_mrr *m, int32_t period)
{
    return period >= m->first && period - m->first < m->n_periods;
}

LIBCS_API int libcs_mrr_add(libcs_mrr *ledger, size_t n,
                            const int64_t *customer, const int32_t *period,
                            const int64_t *mrr, size_t *bad_index)
{
    if (!ledger || !customer || !period || !mrr)
        return LIBCS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (mrr[i] < 0 || !in_range(ledger, period[i])) {
            if (bad_index)
                *bad_index = i;
            return LIBCS_EDOMAIN;
        }
    LIBCS_TRY(reserve(ledger, n));
    memcpy(ledger->customer + ledger->n, customer, n * sizeof *customer);
    memcpy(ledger->period + ledger->n, period, n * sizeof *period);
    memcpy(ledger->mrr + ledger->n, mrr, n * sizeof *mrr);
    ledger->n += n;
    return LIBCS_OK;
}

LIBCS_API int libcs_mrr_merge(libcs_mrr *into, const libcs_mrr *from)
{
    if (!into || !from || into == from)
        return LIBCS_EINVAL;
    if (into->first != from->first || into->n_periods != from->n_periods ||
        into->max_gap != from->max_gap)
        return LIBCS_EINVAL; /* ledgers of different shapes */
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
    if (libcs_mrr_new((int32_t)get32(buf + 8), (int32_t)get32(buf + 12),
                      &m) != LIBCS_OK)
        return LIBCS_EFORMAT;
    int rc = libcs_mrr_set_reactivation_window(m, (int32_t)get32(buf + 16));
    if (rc == LIBCS_OK)
        rc = reserve(m, (size_t)count);
    const uint8_t *r = buf + MRR_HEADER;
    for (size_t i = 0; rc == LIBCS_OK && i < count; i++, r += MRR_RECORD) {
        int64_t c = (int64_t)libcs_get_u64le(r), v = (int64_t)libcs_get_u64le(r + 12);
        int32_t p = (int32_t)get32(r + 8);
        if (v < 0 || !in_range(m, p))
            rc = LIBCS_EDOMAIN;
        m->customer[i] = c;
        m->period[i] = p;
        m->mrr[i] = v;
    }
    if (rc != LIBCS_OK) {
        libcs_mrr_free(m);
        return LIBCS_EFORMAT;
    }
    m->n = (size_t)count;
    *out = m;
    return LIBCS_OK;
}

/* ---- grouping records by customer ------------------------------------------ */

struct keyed {
    uint64_t key; /* the customer id with its sign bit flipped */
    uint32_t idx; /* the record's position in the ledger */
};

/* Record indices ordered by (customer, period, position): a counting sort
 * by period, then LSD radix passes on the customer ids, skipping the 11-bit
 * digits on which all ids agree.  Every pass is stable and linear. */
static int group(const libcs_mrr *m, struct keyed **out)
{
    const size_t n = m->n;
    struct keyed *a = malloc((n ? n : 1) * sizeof *a);
    struct keyed *b = malloc((n ? n : 1) * sizeof *b);
    size_t *count = calloc((size_t)m->n_periods + 1, sizeof *count);
    if (!a || !b || !count) {
        free(a), free(b), free(count);
        return LIBCS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        count[m->period[i] - m->first + 1]++;
    for (int32_t p = 0; p < m->n_periods; p++)
        count[p + 1] += count[p];
    uint64_t all_or = 0, all_and = ~UINT64_C(0);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)m->customer[i] ^ (UINT64_C(1) << 63);
        struct keyed e = {k, (uint32_t)i};
        a[count[m->period[i] - m->first]++] = e;
        all_or |= k;
        all_and &= k;
    }
    free(count);
    const uint64_t varying = all_or ^ all_and;
    for (int shift = 0; shift < 64; shift += 11) {
        const uint64_t mask = (UINT64_C(1) << 11) - 1;
        if (((varying >> shift) & mask) == 0)
            continue;
        size_t hist[2048] = {0};
        for (size_t i = 0; i < n; i++)
            hist[(a[i].key >> shift) & mask]++;
        size_t sum = 0;
        for (int d = 0; d < 2048; d++) {
            size_t c = hist[d];
            hist[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[hist[(a[i].key >> shift) & mask]++] = a[i];
        struct keyed *t = a;
        a = b;
        b = t;
    }
    free(b);
    *out = a;
    return LIBCS_OK;
}

/* The first duplicate (same customer and period) in ledger order, if any:
 * grouped records are in (customer, period, position) order, so a duplicate
 * follows its first occurrence. */
static int find_duplicate(const libcs_mrr *m, const struct keyed *g,
                          int64_t *dup_customer, int32_t *dup_period)
{
    size_t first = SIZE_MAX;
    for (size_t i = 1; i < m->n; i++)
        if (g[i].key == g[i - 1].key &&
            m->period[g[i].idx] == m->period[g[i - 1].idx] && g[i].idx < first)
            first = g[i].idx;
    if (first == SIZE_MAX)
        return LIBCS_OK;
    if (dup_customer)
        *dup_customer = m->customer[first];
    if (dup_period)
        *dup_period = m->period[first];
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

/* Walk one customer's records g[lo..hi) (in period order) and add its
 * movements to t[period - first]. */
static int walk_customer(const libcs_mrr *m, const struct keyed *g, size_t lo,
                         size_t hi, struct tally *t)
{
    const int32_t last = m->n_periods - 1; /* periods relative to first */
    int32_t prev_p = -1, last_active = -1;
    int64_t prev_v = 0;
    for (size_t i = lo; i < hi; i++) {
        int32_t p = m->period[g[i].idx] - m->first;
        int64_t v = m->mrr[g[i].idx];
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

/* The end of a customer's run of grouped records starting at lo. */
static size_t run_end(const struct keyed *g, size_t n, size_t lo)
{
    size_t hi = lo + 1;
    while (hi < n && g[hi].key == g[lo].key)
        hi++;
    return hi;
}

/* Chain start -> end through a period's movements, exactly. */
static int chain(int64_t start, int64_t add1, int64_t add2, int64_t add3,
                 int64_t sub1, int64_t sub2, int64_t *end)
{
    int64_t x = start;
    if (__builtin_add_overflow(x, add1, &x) ||
        __builtin_add_overflow(x, add2, &x) ||
        __builtin_add_overflow(x, add3, &x) ||
        __builtin_sub_overflow(x, sub1, &x) ||
        __builtin_sub_overflow(x, sub2, &x))
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
    struct keyed *g;
    LIBCS_TRY(group(ledger, &g));
    struct tally *t = calloc(np, sizeof *t);
    int rc = t ? find_duplicate(ledger, g, dup_customer, dup_period)
               : LIBCS_ENOMEM;
    for (size_t lo = 0; rc == LIBCS_OK && lo < ledger->n;) {
        size_t hi = run_end(g, ledger->n, lo);
        rc = walk_customer(ledger, g, lo, hi, t);
        lo = hi;
    }
    free(g);
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
    if ((customers || revenue || customer_share || revenue_share) &&
        cap < cells)
        return LIBCS_EBUFSIZE;
    struct keyed *g;
    LIBCS_TRY(group(ledger, &g));
    int64_t *cust = calloc(cells, sizeof *cust), *rev = calloc(cells, sizeof *rev);
    int rc = cust && rev ? find_duplicate(ledger, g, dup_customer, dup_period)
                         : LIBCS_ENOMEM;
    for (size_t lo = 0; rc == LIBCS_OK && lo < ledger->n;) {
        size_t hi = run_end(g, ledger->n, lo);
        int32_t cohort = -1;
        for (size_t i = lo; i < hi && rc == LIBCS_OK; i++) {
            int32_t p = ledger->period[g[i].idx] - ledger->first;
            int64_t v = ledger->mrr[g[i].idx];
            if (v == 0)
                continue;
            if (cohort < 0)
                cohort = p;
            size_t cell = (size_t)cohort * np + (size_t)(p - cohort);
            cust[cell]++;
            rc = add64(&rev[cell], v);
        }
        lo = hi;
    }
    free(g);
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

LIBCS_API int libcs_mrr_capped_grr(const libcs_mrr *ledger, int32_t period,
                                   double *out)
{
    if (!ledger || !out)
        return LIBCS_EINVAL;
    /* the period and the one before it must both be in the ledger */
    if (!in_range(ledger, period) || period == ledger->first)
        return LIBCS_EDOMAIN;
    struct keyed *g;
    int64_t dc;
    int32_t dp;
    LIBCS_TRY(group(ledger, &g));
    int rc = find_duplicate(ledger, g, &dc, &dp);
    int64_t kept = 0, before_sum = 0;
    for (size_t lo = 0; rc == LIBCS_OK && lo < ledger->n;) {
        size_t hi = run_end(g, ledger->n, lo);
        int64_t before = 0, now = 0;
        for (size_t i = lo; i < hi; i++) {
            int32_t p = ledger->period[g[i].idx];
            if (p == period - 1)
                before = ledger->mrr[g[i].idx];
            else if (p == period)
                now = ledger->mrr[g[i].idx];
        }
        if (before > 0) {
            rc = add64(&kept, now < before ? now : before);
            if (rc == LIBCS_OK)
                rc = add64(&before_sum, before);
        }
        lo = hi;
    }
    free(g);
    if (rc == LIBCS_OK && before_sum == 0)
        rc = LIBCS_EUNDEFINED;
    if (rc == LIBCS_OK)
        *out = (double)kept / (double)before_sum;
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
        rc = p->customers_end > 0 && p->mrr_end >= 0 ? LIBCS_OK
             : p->customers_end == 0                ? LIBCS_EUNDEFINED
                                                     : LIBCS_EDOMAIN;
        rate(&r, LIBCS_RATE_ARPA, rc,
             rc == LIBCS_OK ? (double)p->mrr_end / (double)p->customers_end
                            : 0.0);
        out[i] = r;
    }
    return LIBCS_OK;
}
