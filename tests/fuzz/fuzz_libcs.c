/* tests/fuzz/fuzz_libcs.c - libFuzzer target over the whole public API.  The
 * first byte picks a function; the rest are its arguments.  Properties checked
 * on every input: nothing crashes (ASan/UBSan), a success never yields a NaN
 * or infinity, an error leaves every output untouched, and a tally that
 * deserializes re-serializes to the same bytes. */
#include <libcs.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SENT (-7.25)

static size_t take(const uint8_t **p, size_t *n, void *dst, size_t k)
{
    size_t got = *n < k ? *n : k;
    memset(dst, 0, k);
    memcpy(dst, *p, got);
    *p += got;
    *n -= got;
    return got;
}

static double dbl(const uint8_t **p, size_t *n)
{
    double d;
    take(p, n, &d, sizeof d);
    return d;
}

static int64_t i64(const uint8_t **p, size_t *n)
{
    int64_t v;
    take(p, n, &v, sizeof v);
    return v;
}

static void check_out(int rc, double out)
{
    if (rc == LIBCS_OK ? !isfinite(out) : out != SENT)
        abort();
    if (rc != LIBCS_OK && strlen(libcs_strerror(rc)) == 0)
        abort();
}

/* The batch twins of the CLV models' predictions for a new customer, over
 * one array (and k): the batch and its single call. */
typedef int (*twin_batch)(const double *, size_t, const double *, double *,
                          size_t *);
typedef int (*twin_single)(const double *, double, double *);
typedef int (*twin_batch_k)(const double *, size_t, const double *,
                            const uint32_t *, double *, size_t *);
typedef int (*twin_single_k)(const double *, double, uint32_t, double *);
static const struct {
    twin_batch batch;
    twin_single single;
    twin_batch_k batch_k;
    twin_single_k single_k;
} twins[9] = {
    {libcs_bgnbd_expected_batch, libcs_bgnbd_expected, NULL, NULL},
    {NULL, NULL, libcs_bgnbd_pmf_batch, libcs_bgnbd_pmf},
    {libcs_pnbd_expected_batch, libcs_pnbd_expected, NULL, NULL},
    {NULL, NULL, libcs_pnbd_pmf_batch, libcs_pnbd_pmf},
    {libcs_bgbb_expected_batch, libcs_bgbb_expected, NULL, NULL},
    {NULL, NULL, libcs_bgbb_pmf_batch, libcs_bgbb_pmf},
    {libcs_sbg_retention_batch, libcs_sbg_retention, NULL, NULL},
    {libcs_sbg_survival_batch, libcs_sbg_survival, NULL, NULL},
    {libcs_sbg_del_batch, libcs_sbg_del, NULL, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    double o = SENT, a = dbl(&p, &n), b = dbl(&p, &n), c = dbl(&p, &n),
           d = dbl(&p, &n), e = dbl(&p, &n), f = dbl(&p, &n);
    int64_t w = i64(&p, &n), x = i64(&p, &n), y = i64(&p, &n),
            z = i64(&p, &n), v = i64(&p, &n);
    int rc;

    switch (data[0] % 31) {
    case 0: rc = libcs_ltv_simple(a, b, &o); break;
    case 1: rc = libcs_ltv_repeat(a, b, c, &o); break;
    case 2: rc = libcs_ltv_subscription(a, b, c, &o); break;
    case 3: rc = libcs_ltv_contract(a, b, c, &o); break;
    case 4: rc = libcs_ltv_net(a, b, c, d, e, f, &o); break;
    case 5: rc = libcs_ltv_discounted(a, b, c, d, &o); break;
    case 6: rc = libcs_ltv_discounted_horizon(a, b, c, d, (uint32_t)w, &o); break;
    case 7: rc = libcs_ltv_lifetime(a, &o); break;
    case 8: rc = libcs_ltv_cac_ratio(a, b, &o); break;
    case 9: rc = libcs_ltv_cac_payback(a, b, c, &o); break;
    case 10: rc = libcs_churn_customer(w, x, y, (int)(z % 4), &o); break;
    case 11: rc = libcs_churn_retention(a, &o); break;
    case 12: rc = libcs_churn_convert(a, b, &o); break;
    case 13: rc = libcs_revenue_churn_gross(w, x, y, &o); break;
    case 14: rc = libcs_revenue_churn_net(w, x, y, z, v, &o); break;
    case 15: rc = libcs_revenue_churn_simple(w, x, y, &o); break;
    case 16: rc = libcs_revenue_nrr(w, x, y, z, v, &o); break;
    case 17: rc = libcs_revenue_grr(w, x, y, &o); break;
    case 18: rc = libcs_revenue_quick_ratio(w, x, y, z, v, &o); break;
    case 19: case 20: {
        /* touch model over the remaining bytes as doubles: tiers partition
         * the customers, respect the requested counts, and an error leaves
         * the tiers untouched */
        size_t m = n / (2 * sizeof(double));
        double *val = malloc((m ? m : 1) * sizeof *val);
        double *pri = malloc((m ? m : 1) * sizeof *pri);
        int *tiers = malloc((m ? m : 1) * sizeof *tiers);
        libcs_touch_summary sum;
        if (!val || !pri || !tiers)
            abort();
        memcpy(val, p, m * sizeof *val);
        memcpy(pri, p + m * sizeof *val, m * sizeof *pri);
        for (size_t i = 0; i < m; i++)
            tiers[i] = -9;
        uint64_t csms = (uint64_t)w % 8, per = (uint64_t)x % 16,
                 low = (uint64_t)y % 64;
        rc = data[0] % 31 == 19
                 ? libcs_touch_capacity(m, val, (z & 1) ? pri : NULL, csms,
                                        per, low, tiers, &sum, NULL)
                 : libcs_touch_shares(m, val, (z & 1) ? pri : NULL,
                                      fabs(fmod(a, 1.0)), fabs(fmod(b, 1.0)),
                                      tiers, &sum, NULL);
        if (rc == LIBCS_OK) {
            uint64_t count[3] = {0, 0, 0};
            for (size_t i = 0; i < m; i++) {
                if (tiers[i] < 0 || tiers[i] > 2)
                    abort();
                count[tiers[i]]++;
            }
            for (int t = 0; t < 3; t++)
                if (count[t] != sum.customers[t] || !isfinite(sum.value[t]) ||
                    !(sum.value_share[t] >= 0 && sum.value_share[t] <= 1))
                    abort();
            if (data[0] % 31 == 19 &&
                (count[2] > csms * per || count[1] > low))
                abort();
        } else {
            for (size_t i = 0; i < m; i++)
                if (tiers[i] != -9)
                    abort();
        }
        free(val), free(pri), free(tiers);
        o = rc == LIBCS_OK ? 0.0 : SENT;
        break;
    }
    case 21: {
        /* an MRR ledger from the bytes: deserialize, or records; movements
         * keep their identity, a re-serialization gives the same bytes */
        libcs_mrr *m = NULL;
        int32_t first = (int32_t)(w % 1000);
        if (libcs_mrr_deserialize(data + 1, size - 1, &m) == LIBCS_OK) {
            memcpy(&first, data + 1 + 8, 4); /* little-endian hosts */
            size_t need = 0;
            uint8_t *buf = malloc(size);
            if (!buf || libcs_mrr_serialize(m, buf, size, &need) ||
                need != size - 1 || memcmp(buf, data + 1, need))
                abort();
            free(buf);
        } else if (libcs_mrr_new(first, 1 + (int32_t)((uint64_t)x % 24),
                                 &m) == LIBCS_OK) {
            size_t k = n / 20;
            int64_t *c = malloc((k ? k : 1) * 8), *v = malloc((k ? k : 1) * 8);
            int32_t *p32 = malloc((k ? k : 1) * 4);
            if (!c || !v || !p32)
                abort();
            for (size_t i = 0; i < k; i++) {
                memcpy(&c[i], p + 20 * i, 8);
                c[i] %= 16; /* few customers: gaps, returns and duplicates */
                memcpy(&p32[i], p + 20 * i + 8, 4);
                p32[i] = (int32_t)(w % 1000) + (int32_t)((uint32_t)p32[i] % 26);
                memcpy(&v[i], p + 20 * i + 12, 8);
                v[i] = (int64_t)((uint64_t)v[i] >> (v[i] & 63));
            }
            (void)libcs_mrr_add(m, k, c, p32, v, NULL);
            (void)libcs_mrr_set_reactivation_window(m, (int32_t)(y % 4) - 1);
            free(c), free(v), free(p32);
        }
        if (m) {
            libcs_mrr_period rows[24];
            size_t need;
            if (libcs_mrr_movements(m, rows, 24, &need, NULL, NULL) ==
                LIBCS_OK)
                for (size_t i = 0; i < need; i++) {
                    const libcs_mrr_period *r = &rows[i];
                    /* in 128 bits: the movements may exceed int64 on the
                     * way even when the period's end fits */
                    __int128 end = (__int128)r->mrr_start + r->new_mrr +
                                   r->expansion - r->contraction - r->churned +
                                   r->reactivation;
                    if (end != r->mrr_end ||
                        (i > 0 && r->mrr_start != rows[i - 1].mrr_end) ||
                        r->customers_end < 0 || r->mrr_end < 0)
                        abort();
                }
            /* the capped GRR series against a lookback from the bytes: each
             * cell in [0, 1] or NaN, the same as libcs_mrr_capped_grr_since
             * of its period (LIBCS_EUNDEFINED or EDOMAIN where NaN), and
             * nothing written on an error */
            double series[24], keep[24];
            for (int i = 0; i < 24; i++)
                series[i] = keep[i] = SENT;
            int32_t lookback = (int32_t)(z % 30) - 2;
            size_t np = 0;
            int64_t dc = 0;
            int32_t dp = 0;
            int src = libcs_mrr_capped_grr_series(m, lookback, series, 24, &np,
                                                  &dc, &dp);
            if (src != LIBCS_OK && memcmp(series, keep, sizeof series))
                abort();
            for (size_t i = 0; src == LIBCS_OK && i < np; i++) {
                double g = SENT;
                int64_t base = (int64_t)first + (int64_t)i - lookback;
                if (base < INT32_MIN) { /* before the first period */
                    if (!isnan(series[i]))
                        abort();
                    continue;
                }
                int grc = libcs_mrr_capped_grr_since(
                    m, (int32_t)base, first + (int32_t)i, &g, NULL, NULL);
                if (isnan(series[i]) ? grc == LIBCS_OK || g != SENT
                                     : grc != LIBCS_OK || g != series[i] ||
                                           !(g >= 0.0 && g <= 1.0))
                    abort();
                if (lookback == 1 && i > 0) {
                    double g1 = SENT;
                    grc = libcs_mrr_capped_grr(m, first + (int32_t)i, &g1);
                    if (isnan(series[i]) ? grc == LIBCS_OK
                                         : grc != LIBCS_OK || g1 != series[i])
                        abort();
                }
            }
            libcs_mrr_free(m);
        }
        rc = LIBCS_OK;
        o = 0.0;
        break;
    }
    case 22: {
        /* Kaplan-Meier over the bytes: the curve never increases and stays
         * in [0, 1], bounds bracket it */
        size_t k = n / 9;
        double *t = malloc((k ? k : 1) * 8);
        uint8_t *e = malloc(k ? k : 1);
        if (!t || !e)
            abort();
        for (size_t i = 0; i < k; i++) {
            memcpy(&t[i], p + 9 * i, 8);
            e[i] = p[9 * i + 8] & 1;
        }
        libcs_km *km = NULL;
        rc = libcs_km_fit(k, t, e, NULL, 0.9, &km, NULL);
        if (rc == LIBCS_OK) {
            size_t mm;
            libcs_km_size(km, &mm);
            double *s = malloc(mm * 8), *lo = malloc(mm * 8), *hi = malloc(mm * 8);
            if (!s || !lo || !hi ||
                libcs_km_curve(km, mm, NULL, NULL, NULL, NULL, s, NULL, lo, hi,
                               NULL))
                abort();
            for (size_t i = 0; i < mm; i++)
                if (!(s[i] >= 0 && s[i] <= 1) || (i && s[i] > s[i - 1]) ||
                    !(lo[i] <= s[i] + 1e-12 && s[i] <= hi[i] + 1e-12))
                    abort();
            double r;
            if (libcs_km_rmst(km, fabs(a), &r) == LIBCS_OK && !(r >= 0))
                abort();
            free(s), free(lo), free(hi);
            libcs_km_free(km);
        }
        free(t), free(e);
        o = rc == LIBCS_OK ? 0.0 : SENT;
        break;
    }
    case 23: {
        /* BG/NBD predictions at arbitrary parameters and rows: a success is
         * finite and a probability is in [0, 1] */
        const double prm[4] = {fabs(a), fabs(b), fabs(c), fabs(d)};
        double xx = floor(fabs(fmod(e, 2000.0))), T = fabs(f), tx = T * 0.5,
               t = fabs(fmod(a * 7.0, 1e6)), pa = SENT, cl = SENT;
        if (xx == 0.0)
            tx = 0.0;
        rc = libcs_bgnbd_palive(prm, xx, tx, T, &pa);
        if (rc == LIBCS_OK ? !(pa >= 0.0 && pa <= 1.0) : pa != SENT)
            abort();
        rc = libcs_bgnbd_conditional(prm, xx, tx, T, t, &o);
        if (rc == LIBCS_OK && o < 0.0)
            abort();
        if (libcs_bgnbd_clv(prm, xx, tx, T, 10.0, 4.0, 13, 0.01, &cl) ==
                LIBCS_OK &&
            !(cl >= 0.0 && isfinite(cl)))
            abort();
        break;
    }
    case 24: {
        /* Gamma-Gamma expectation: finite and not negative, or an error */
        const double prm[3] = {fabs(a), fabs(b), fabs(c)};
        rc = libcs_gg_expected(prm, 1.0 + floor(fabs(fmod(d, 1000.0))),
                               fabs(e), &o);
        /* (a subnormal p may round the mean to 0: not negative, though) */
        if (rc == LIBCS_OK && !(o >= 0.0))
            abort();
        break;
    }
    case 25: {
        /* Pareto/NBD: log-likelihood of one row, P(alive), E[Y(t)] and the
         * pmf at arbitrary parameters and rows: finite, probabilities in
         * [0, 1], expectations not negative, or an error */
        const double prm[4] = {fabs(a), fabs(b), fabs(c), fabs(d)};
        double xx = floor(fabs(fmod(e, 2000.0))), T = fabs(f),
               tx = T * (double)((uint64_t)w % 1001) / 1000.0,
               t = fabs(fmod(a * 7.0, 1e6)), pa = SENT, ll = SENT, pm = SENT;
        if (xx == 0.0)
            tx = 0.0;
        /* (a density of purchase times: its log may be positive) */
        rc = libcs_pnbd_loglik(1, &xx, &tx, &T, NULL, prm, &ll);
        if (rc == LIBCS_OK ? !isfinite(ll) : ll != SENT)
            abort();
        rc = libcs_pnbd_palive(prm, xx, tx, T, &pa);
        if (rc == LIBCS_OK ? !(pa >= 0.0 && pa <= 1.0) : pa != SENT)
            abort();
        rc = libcs_pnbd_pmf(prm, fmod(T, 1e4), (uint32_t)((uint64_t)x % 300),
                            &pm);
        if (rc == LIBCS_OK ? !(pm >= 0.0 && pm <= 1.0) : pm != SENT)
            abort();
        rc = libcs_pnbd_conditional(prm, xx, tx, T, t, &o);
        if (rc == LIBCS_OK && o < 0.0)
            abort();
        break;
    }
    case 26: {
        /* BG/BB: one row's log-likelihood, P(alive), the conditional
         * expectation and DERT */
        const double prm[4] = {fabs(a), fabs(b), fabs(c), fabs(d)};
        double per = (double)((uint64_t)w % 5000),
               xx = per > 0.0 ? (double)((uint64_t)x % (uint64_t)(per + 1.0))
                              : 0.0,
               tx = xx > 0.0 ? xx + (double)((uint64_t)y %
                                             (uint64_t)(per - xx + 1.0))
                             : 0.0,
               pa = SENT, ll = SENT, de = SENT;
        rc = libcs_bgbb_loglik(1, &xx, &tx, &per, NULL, prm, &ll);
        if (rc == LIBCS_OK ? !(isfinite(ll) && ll <= 1e-9) : ll != SENT)
            abort();
        rc = libcs_bgbb_palive(prm, xx, tx, per, &pa);
        if (rc == LIBCS_OK ? !(pa >= 0.0 && pa <= 1.0) : pa != SENT)
            abort();
        rc = libcs_bgbb_dert(prm, xx, tx, per, fabs(f), &de);
        if (rc == LIBCS_OK ? !(de >= 0.0 && isfinite(de)) : de != SENT)
            abort();
        /* last: rc and o are what the common check after the switch sees */
        rc = libcs_bgbb_conditional(prm, xx, tx, per, fabs(fmod(e, 1e4)), &o);
        if (rc == LIBCS_OK && o < 0.0)
            abort();
        break;
    }
    case 27: {
        /* shifted-beta-geometric: survivor-count likelihood over the bytes
         * left, retention, survival, DEL and DERL */
        const double prm[2] = {fabs(a), fabs(b)};
        double surv[32], ll = SENT, r = SENT, sv = SENT, del = SENT;
        size_t m = n < 32 ? n : 32;
        for (size_t i = 0; i < m; i++)
            surv[i] = (double)p[i] * (i % 2 ? 1.0 : fabs(c));
        rc = libcs_sbg_loglik_survivors(m, surv, prm, &ll);
        if (rc == LIBCS_OK ? !(isfinite(ll) && ll <= 1e-9) : ll != SENT)
            abort();
        rc = libcs_sbg_retention(prm, d, &r);
        if (rc == LIBCS_OK ? !(r >= 0.0 && r <= 1.0) : r != SENT)
            abort();
        rc = libcs_sbg_survival(prm, e, &sv);
        if (rc == LIBCS_OK ? !(sv >= 0.0 && sv <= 1.0) : sv != SENT)
            abort();
        rc = libcs_sbg_del(prm, f, &del);
        if (rc == LIBCS_OK ? !(del >= 1.0 - 1e-12 && isfinite(del))
                           : del != SENT)
            abort();
        rc = libcs_sbg_derl(prm, floor(fabs(fmod(a, 1e6))), f, &o);
        if (rc == LIBCS_OK && !(o >= 0.0))
            abort();
        break;
    }
    case 28: {
        /* the churn tally: the rest as three flag arrays, as counts, and as
         * a serialized tally */
        libcs_churn_tally t, u;
        uint8_t buf[LIBCS_CHURN_TALLY_SERIALIZED_SIZE];
        size_t k = (size - 1) / 3, bad = (size_t)-1, need;
        const uint8_t *fs = data + 1, *fn = fs + k, *fc = fn + k;
        libcs_churn_tally_init(&t);
        rc = libcs_churn_tally_add_batch(&t, k, fs, fn, fc, &bad);
        if (rc == LIBCS_OK ? (t.churned > t.at_start + t.new_customers)
                           : (bad >= k || (fs[bad] <= 1 && fn[bad] <= 1 &&
                                           fc[bad] <= 1 &&
                                           !(fs[bad] && fn[bad]) &&
                                           (!fc[bad] || fs[bad] || fn[bad]))))
            abort();
        (void)libcs_churn_tally_add(&t, w, x, y);
        if (libcs_churn_tally_deserialize(&u, data + 1, size - 1) ==
            LIBCS_OK) {
            if (libcs_churn_tally_serialize(&u, buf, sizeof buf, &need) ||
                need != size - 1 || memcmp(buf, data + 1, need))
                abort();
            (void)libcs_churn_tally_merge(&t, &u);
        }
        if (t.at_start < 0 || t.new_customers < 0 || t.churned < 0 ||
            (uint64_t)t.churned >
                (uint64_t)t.at_start + (uint64_t)t.new_customers)
            abort();
        rc = libcs_churn_tally_result(&t, (int)(z % 4), &o);
        if (rc == LIBCS_OK && !(o >= 0.0))
            abort();
        break;
    }
    case 29: {
        /* the batch twins of the new customer's predictions over up to 8
         * elements from the bytes left (a double and a count each): bit
         * for bit the single calls, or the first failing one's error and
         * index with out untouched */
        const double prm[4] = {fabs(a), fabs(b), fabs(c), fabs(d)};
        const size_t which = (size_t)((uint64_t)w % 9);
        double vv[8], bo[8];
        uint32_t kk[8];
        size_t m = 0, bad = (size_t)-1, first = (size_t)-1;
        while (m < 8 && n >= 9) {
            uint8_t kb;
            vv[m] = dbl(&p, &n);
            take(&p, &n, &kb, 1);
            kk[m] = kb % 64;
            /* BG/BB's pmf sums over up to 10^7 opportunities: fewer */
            if (which == 5 && isfinite(vv[m]))
                vv[m] = fmod(vv[m], 1e4);
            bo[m++] = SENT;
        }
        rc = twins[which].batch
                 ? twins[which].batch(prm, m, vv, bo, &bad)
                 : twins[which].batch_k(prm, m, vv, kk, bo, &bad);
        /* an error without an index is the parameters': the single calls
         * check them first, so the first fails alike */
        const int by_params = rc != LIBCS_OK && bad == (size_t)-1 && m;
        const size_t upto = by_params ? 1 : m;
        int want = m ? LIBCS_OK : LIBCS_EEMPTY;
        for (size_t i = 0; i < upto; i++) {
            double so = SENT;
            int r = twins[which].single
                        ? twins[which].single(prm, vv[i], &so)
                        : twins[which].single_k(prm, vv[i], kk[i], &so);
            if (r != LIBCS_OK) {
                if (so != SENT)
                    abort();
                first = i, want = r;
                break;
            }
            if (rc == LIBCS_OK && memcmp(&so, &bo[i], sizeof so) != 0)
                abort();
        }
        if (rc != want || bad != (by_params ? (size_t)-1 : first))
            abort();
        for (size_t i = 0; i < m; i++)
            if (rc == LIBCS_OK ? !isfinite(bo[i]) : bo[i] != SENT)
                abort();
        o = rc == LIBCS_OK ? 0.0 : SENT;
        break;
    }
    default: {
        /* NPS and surveys over the raw bytes */
        libcs_nps_tally t, u;
        libcs_nps_result r;
        uint8_t buf[LIBCS_NPS_TALLY_SERIALIZED_SIZE];
        size_t bad = (size_t)-1, need;
        libcs_nps_tally_init(&t);
        rc = libcs_nps_tally_add_batch(&t, size - 1, data + 1, &bad);
        if (rc != LIBCS_OK && (bad >= size - 1 || data[1 + bad] <= 10))
            abort();
        if (libcs_nps_tally_deserialize(&u, data + 1, size - 1) == LIBCS_OK) {
            if (libcs_nps_tally_serialize(&u, buf, sizeof buf, &need) ||
                need != size - 1 || memcmp(buf, data + 1, need))
                abort();
            (void)libcs_nps_tally_merge(&t, &u);
        }
        memset(&r, 0, sizeof r);
        rc = libcs_nps_tally_result(&t, fabs(fmod(a, 1.0)), &r);
        if (rc == LIBCS_OK &&
            (!(r.nps >= -100 && r.nps <= 100) || !isfinite(r.se) ||
             !(r.wald_low <= r.wald_high) || !(r.adjusted_low <= r.adjusted_high)))
            abort();
        double m = SENT, s = SENT;
        rc = libcs_ces(size - 1, data + 1, (int)(w & 0x1ff), (int)(x & 0x1ff),
                       &m, &s, NULL);
        if (rc == LIBCS_OK ? !(isfinite(m) && s >= 0 && s <= 1)
                           : (m != SENT || s != SENT))
            abort();
        rc = libcs_csat(size - 1, data + 1, (int)(y & 0x1ff), (int)(z & 0x1ff),
                        &o, NULL);
        break;
    }
    }
    check_out(rc, o);
    return 0;
}
