/* libcs.h - the public interface of libcs, a C library of customer-success
 * metrics (LTV, churn and retention, NPS and surveys).  MIT licence.
 *
 * Conventions (see libcs(7)): every function that can fail returns LIBCS_OK (0)
 * or a negative LIBCS_E* code and writes its results through pointers, which
 * are left untouched on error.  Rates are fractions (0.05, not 5); billed
 * money is int64_t minor units; estimates are double.  Batch functions take
 * n first, then the input arrays, then the output array, then an optional
 * size_t *bad_index that receives the index of the first failing element.
 */
#ifndef LIBCS_H
#define LIBCS_H

#include <stddef.h>
#include <stdint.h>

#include <libcs/version.h>

#if defined(LIBCS_BUILDING) && defined(__GNUC__) && __GNUC__ >= 4
#define LIBCS_API __attribute__((visibility("default")))
#else
#define LIBCS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version --------------------------------------------------------- */

#define LIBCS_VERSION_ENCODE(x, y, z) ((x) * 1000000 + (y) * 1000 + (z))
#define LIBCS_VERSION_NUMBER                                                   \
    LIBCS_VERSION_ENCODE(LIBCS_VERSION_MAJOR, LIBCS_VERSION_MINOR,             \
                         LIBCS_VERSION_PATCH)
/* True when the header being compiled against is version x.y.z or newer. */
#define LIBCS_AT_LEAST_VERSION(x, y, z)                                        \
    (LIBCS_VERSION_NUMBER >= LIBCS_VERSION_ENCODE(x, y, z))

/* The version of the library actually loaded (may differ from the header). */
LIBCS_API int libcs_version_number(void);
LIBCS_API const char *libcs_version_string(void);

/* ---- status codes (only ever appended, never renumbered) ------------- */

enum libcs_status {
    LIBCS_OK = 0,
    LIBCS_EINVAL = -1,      /* NULL pointer or unknown option */
    LIBCS_EDOMAIN = -2,     /* a value outside its domain (negative money,
                               rate outside [0, 1], score off its scale) */
    LIBCS_ENONFINITE = -3,  /* NaN or +-Inf where a finite number is needed */
    LIBCS_EEMPTY = -4,      /* empty input (n = 0, no responses) */
    LIBCS_EUNDEFINED = -5,  /* result mathematically undefined (division by
                               a zero rate, divergent sum) */
    LIBCS_EOVERFLOW = -6,   /* integer overflow or a result too large for a
                               double */
    LIBCS_ENOMEM = -7,      /* out of memory */
    LIBCS_EBUFSIZE = -8,    /* caller's buffer too small; *needed says how big */
    LIBCS_ENOCONV = -9,     /* an iterative method did not converge */
    LIBCS_EFORMAT = -10,    /* malformed serialized data or model text, or
                               an unknown format version */
    LIBCS_EDUPLICATE = -11  /* a record whose key was already given */
};

/* A static, never-NULL description of any int (unknown codes included). */
LIBCS_API const char *libcs_strerror(int code);

/* ---- LTV (libcs_ltv_simple(3) and the pages it lists) ---------------- */

/* average order value x number of purchases */
LIBCS_API int libcs_ltv_simple(double avg_order_value, double purchases,
                               double *out);
LIBCS_API int libcs_ltv_simple_batch(size_t n, const double *avg_order_value,
                                     const double *purchases, double *out,
                                     size_t *bad_index);

/* average order value x purchases per period x expected lifetime (periods) */
LIBCS_API int libcs_ltv_repeat(double avg_order_value,
                               double purchases_per_period,
                               double lifetime_periods, double *out);
LIBCS_API int libcs_ltv_repeat_batch(size_t n, const double *avg_order_value,
                                     const double *purchases_per_period,
                                     const double *lifetime_periods,
                                     double *out, size_t *bad_index);

/* ARPU per period x gross margin / churn rate per period */
LIBCS_API int libcs_ltv_subscription(double arpu, double margin, double churn,
                                     double *out);
LIBCS_API int libcs_ltv_subscription_batch(size_t n, const double *arpu,
                                           const double *margin,
                                           const double *churn, double *out,
                                           size_t *bad_index);

/* annual revenue x margin x years */
LIBCS_API int libcs_ltv_contract(double annual_revenue, double margin,
                                 double years, double *out);
LIBCS_API int libcs_ltv_contract_batch(size_t n, const double *annual_revenue,
                                       const double *margin,
                                       const double *years, double *out,
                                       size_t *bad_index);

/* ARPU x margin x frequency x duration - (acquisition + retention cost) */
LIBCS_API int libcs_ltv_net(double arpu, double margin, double frequency,
                            double duration, double acquisition_cost,
                            double retention_cost, double *out);
LIBCS_API int libcs_ltv_net_batch(size_t n, const double *arpu,
                                  const double *margin,
                                  const double *frequency,
                                  const double *duration,
                                  const double *acquisition_cost,
                                  const double *retention_cost, double *out,
                                  size_t *bad_index);

/* ARPU x margin x (1 + d) / (1 + d - r): payments at the start of each period,
 * the first one certain, retention r per period, discount rate d per period */
LIBCS_API int libcs_ltv_discounted(double arpu, double margin,
                                   double retention, double discount,
                                   double *out);
LIBCS_API int libcs_ltv_discounted_batch(size_t n, const double *arpu,
                                         const double *margin,
                                         const double *retention,
                                         const double *discount, double *out,
                                         size_t *bad_index);

/* the same sum truncated to the first `periods` payments */
LIBCS_API int libcs_ltv_discounted_horizon(double arpu, double margin,
                                           double retention, double discount,
                                           uint32_t periods, double *out);
LIBCS_API int libcs_ltv_discounted_horizon_batch(
    size_t n, const double *arpu, const double *margin,
    const double *retention, const double *discount, const uint32_t *periods,
    double *out, size_t *bad_index);

/* expected lifetime in periods = 1 / churn */
LIBCS_API int libcs_ltv_lifetime(double churn, double *out);
LIBCS_API int libcs_ltv_lifetime_batch(size_t n, const double *churn,
                                       double *out, size_t *bad_index);

/* LTV : CAC */
LIBCS_API int libcs_ltv_cac_ratio(double ltv, double cac, double *out);
LIBCS_API int libcs_ltv_cac_ratio_batch(size_t n, const double *ltv,
                                        const double *cac, double *out,
                                        size_t *bad_index);

/* CAC payback in periods = CAC / (ARPU x margin) */
LIBCS_API int libcs_ltv_cac_payback(double cac, double arpu, double margin,
                                    double *out);
LIBCS_API int libcs_ltv_cac_payback_batch(size_t n, const double *cac,
                                          const double *arpu,
                                          const double *margin, double *out,
                                          size_t *bad_index);

/* ---- customer churn and retention -------------------------------------
 * (libcs_churn_customer(3), libcs_churn_retention(3)) */

/* Denominator of the customer churn rate; the vendors that use each are
 * listed in libcs_churn_customer(3). */
enum libcs_churn_denominator {
    LIBCS_CHURN_DENOM_START = 0,          /* customers at the start */
    LIBCS_CHURN_DENOM_START_PLUS_NEW = 1, /* start + new in the period */
    LIBCS_CHURN_DENOM_AVERAGE = 2         /* (start + end) / 2 */
};

LIBCS_API int libcs_churn_customer(int64_t at_start, int64_t new_customers,
                                   int64_t churned, int denominator,
                                   double *out);
LIBCS_API int libcs_churn_customer_batch(size_t n, const int64_t *at_start,
                                         const int64_t *new_customers,
                                         const int64_t *churned,
                                         int denominator, double *out,
                                         size_t *bad_index);

/* retention = 1 - churn */
LIBCS_API int libcs_churn_retention(double churn, double *out);
LIBCS_API int libcs_churn_retention_batch(size_t n, const double *churn,
                                          double *out, size_t *bad_index);

/* A mergeable tally of customer counts for one period (format version 1):
 * plain data that the caller owns; initialise it with
 * libcs_churn_tally_init().  Counts are int64_t so that the result goes
 * through libcs_churn_customer(); the functions keep each in [0, INT64_MAX]
 * and churned <= at_start + new_customers.  Customers at the end are
 * at_start + new_customers - churned.  Part of the ABI: growing it needs a
 * new symbol version. */
typedef struct libcs_churn_tally {
    int64_t at_start;      /* customers active at the start of the period */
    int64_t new_customers; /* customers won during the period */
    int64_t churned;       /* customers lost during the period */
} libcs_churn_tally;

/* Serialized tally size in bytes (format version 1). */
#define LIBCS_CHURN_TALLY_SERIALIZED_SIZE 32

LIBCS_API int libcs_churn_tally_init(libcs_churn_tally *tally);
LIBCS_API int libcs_churn_tally_add(libcs_churn_tally *tally, int64_t at_start,
                                    int64_t new_customers, int64_t churned);
/* per-customer 0/1 flags; an empty chunk is a no-op */
LIBCS_API int libcs_churn_tally_add_batch(libcs_churn_tally *tally, size_t n,
                                          const uint8_t *active_at_start,
                                          const uint8_t *is_new,
                                          const uint8_t *churned,
                                          size_t *bad_index);
LIBCS_API int libcs_churn_tally_merge(libcs_churn_tally *into,
                                      const libcs_churn_tally *from);
LIBCS_API int libcs_churn_tally_result(const libcs_churn_tally *tally,
                                       int denominator, double *out);
LIBCS_API int libcs_churn_tally_serialize(const libcs_churn_tally *tally,
                                          uint8_t *buf, size_t cap,
                                          size_t *needed);
LIBCS_API int libcs_churn_tally_deserialize(libcs_churn_tally *tally,
                                            const uint8_t *buf, size_t len);

/* churn over `periods` periods: 1 - (1 - churn)^periods (12: monthly to
 * annual; 1.0/12: annual to monthly) */
LIBCS_API int libcs_churn_convert(double churn, double periods, double *out);
LIBCS_API int libcs_churn_convert_batch(size_t n, const double *churn,
                                        const double *periods, double *out,
                                        size_t *bad_index);

/* ---- revenue churn and retention from MRR movements ---------------------
 * (libcs_revenue_churn_gross(3), libcs_revenue_nrr(3)) */

/* (churned + contraction) / MRR at start */
LIBCS_API int libcs_revenue_churn_gross(int64_t mrr_start, int64_t churned,
                                        int64_t contraction, double *out);
LIBCS_API int libcs_revenue_churn_gross_batch(size_t n,
                                              const int64_t *mrr_start,
                                              const int64_t *churned,
                                              const int64_t *contraction,
                                              double *out, size_t *bad_index);

/* (churned + contraction - expansion - reactivation) / MRR at start */
LIBCS_API int libcs_revenue_churn_net(int64_t mrr_start, int64_t churned,
                                      int64_t contraction, int64_t expansion,
                                      int64_t reactivation, double *out);
LIBCS_API int libcs_revenue_churn_net_batch(
    size_t n, const int64_t *mrr_start, const int64_t *churned,
    const int64_t *contraction, const int64_t *expansion,
    const int64_t *reactivation, double *out, size_t *bad_index);

/* (price x cancellations) / total revenue */
LIBCS_API int libcs_revenue_churn_simple(int64_t price, int64_t cancellations,
                                         int64_t total_revenue, double *out);
LIBCS_API int libcs_revenue_churn_simple_batch(size_t n, const int64_t *price,
                                               const int64_t *cancellations,
                                               const int64_t *total_revenue,
                                               double *out, size_t *bad_index);

/* net revenue retention = 1 - net revenue churn */
LIBCS_API int libcs_revenue_nrr(int64_t mrr_start, int64_t churned,
                                int64_t contraction, int64_t expansion,
                                int64_t reactivation, double *out);
LIBCS_API int libcs_revenue_nrr_batch(size_t n, const int64_t *mrr_start,
                                      const int64_t *churned,
                                      const int64_t *contraction,
                                      const int64_t *expansion,
                                      const int64_t *reactivation, double *out,
                                      size_t *bad_index);

/* gross revenue retention = 1 - gross revenue churn, in [0, 1] */
LIBCS_API int libcs_revenue_grr(int64_t mrr_start, int64_t churned,
                                int64_t contraction, double *out);
LIBCS_API int libcs_revenue_grr_batch(size_t n, const int64_t *mrr_start,
                                      const int64_t *churned,
                                      const int64_t *contraction, double *out,
                                      size_t *bad_index);

/* (new + expansion + reactivation) / (churned + contraction) */
LIBCS_API int libcs_revenue_quick_ratio(int64_t new_mrr, int64_t expansion,
                                        int64_t reactivation, int64_t churned,
                                        int64_t contraction, double *out);
LIBCS_API int libcs_revenue_quick_ratio_batch(
    size_t n, const int64_t *new_mrr, const int64_t *expansion,
    const int64_t *reactivation, const int64_t *churned,
    const int64_t *contraction, double *out, size_t *bad_index);

/* ---- NPS (libcs_nps_tally_init(3), libcs_nps_from_scores(3)) --------- */

enum libcs_nps_category {
    LIBCS_NPS_DETRACTOR = -1, /* 0-6 */
    LIBCS_NPS_PASSIVE = 0,    /* 7-8 */
    LIBCS_NPS_PROMOTER = 1    /* 9-10 */
};

/* A mergeable tally: the number of answers of each score 0..10.  Plain data
 * that the caller owns; initialise it with libcs_nps_tally_init(). */
typedef struct libcs_nps_tally {
    uint64_t counts[11];
} libcs_nps_tally;

/* Everything known about a tally.  Shares are fractions of n; nps, se and
 * the interval bounds are on the -100..100 scale. */
typedef struct libcs_nps_result {
    uint64_t n;
    uint64_t promoters;
    uint64_t passives;
    uint64_t detractors;
    double promoter_share;
    double passive_share;
    double detractor_share;
    double nps;
    double se;            /* 100 sqrt((p + d - (p - d)^2) / n) */
    double level;         /* confidence level of the intervals */
    double wald_low;      /* nps -+ z se, clamped to [-100, 100] */
    double wald_high;
    double adjusted_nps;  /* centre of the adjusted Wald interval */
    double adjusted_low;  /* adjusted Wald: n + 3, P and D + 3/4 each */
    double adjusted_high;
} libcs_nps_result;

/* Serialized tally size in bytes (format version 1). */
#define LIBCS_NPS_TALLY_SERIALIZED_SIZE 96

LIBCS_API int libcs_nps_category(int score, int *category);
LIBCS_API int libcs_nps_tally_init(libcs_nps_tally *tally);
LIBCS_API int libcs_nps_tally_add(libcs_nps_tally *tally, int score);
LIBCS_API int libcs_nps_tally_add_batch(libcs_nps_tally *tally, size_t n,
                                        const uint8_t *scores,
                                        size_t *bad_index);
LIBCS_API int libcs_nps_tally_merge(libcs_nps_tally *into,
                                    const libcs_nps_tally *from);
LIBCS_API int libcs_nps_tally_result(const libcs_nps_tally *tally,
                                     double level, libcs_nps_result *out);
LIBCS_API int libcs_nps_tally_serialize(const libcs_nps_tally *tally,
                                        uint8_t *buf, size_t cap,
                                        size_t *needed);
LIBCS_API int libcs_nps_tally_deserialize(libcs_nps_tally *tally,
                                          const uint8_t *buf, size_t len);
/* one-shot forms */
LIBCS_API int libcs_nps_from_scores(size_t n, const uint8_t *scores,
                                    double level, libcs_nps_result *out,
                                    size_t *bad_index);
LIBCS_API int libcs_nps_from_counts(uint64_t promoters, uint64_t passives,
                                    uint64_t detractors, double level,
                                    libcs_nps_result *out);

/* ---- CSAT and CES (libcs_csat(3)) ------------------------------------ */

/* Share of answers in the top `top_boxes` boxes of a 1..scale_max scale. */
LIBCS_API int libcs_csat(size_t n, const uint8_t *answers, int scale_max,
                         int top_boxes, double *share, size_t *bad_index);
/* Mean answer on a 1..scale_max scale and share of answers >= threshold. */
LIBCS_API int libcs_ces(size_t n, const uint8_t *answers, int scale_max,
                        int threshold, double *mean, double *share,
                        size_t *bad_index);

/* ---- health scores (libcs_health_model_new(3)) ------------------------- */

/* A health model: weighted measures, each with a scoring rule mapping a raw
 * value to 0..100 points, a missing-value policy, an aggregation and colour
 * bands.  Opaque; create with libcs_health_model_new(), free with
 * libcs_health_model_free().  A model is read-only while scoring, so one
 * model may score from many threads at once. */
typedef struct libcs_health_model libcs_health_model;

enum libcs_health_missing {
    LIBCS_HEALTH_MISSING_DROP = 0,  /* drop the measure, renormalise weights */
    LIBCS_HEALTH_MISSING_WORST = 1  /* score it as the rule's worst points */
};

enum libcs_health_aggregation {
    LIBCS_HEALTH_WEIGHTED_MEAN = 0, /* sum of weight share x points */
    LIBCS_HEALTH_WORST_OF = 1       /* the lowest points of any measure */
};

enum libcs_health_band {
    LIBCS_HEALTH_UNKNOWN = 0, /* too little of the weight was measured */
    LIBCS_HEALTH_RED = 1,
    LIBCS_HEALTH_YELLOW = 2,
    LIBCS_HEALTH_GREEN = 3
};

/* Band-change events (bit flags) from libcs_health_changes(). */
enum libcs_health_event {
    LIBCS_HEALTH_ENTERED_RED = 1,
    LIBCS_HEALTH_LEFT_RED = 2,
    LIBCS_HEALTH_ENTERED_YELLOW = 4,
    LIBCS_HEALTH_LEFT_YELLOW = 8,
    LIBCS_HEALTH_ENTERED_GREEN = 16,
    LIBCS_HEALTH_LEFT_GREEN = 32,
    LIBCS_HEALTH_BECAME_UNKNOWN = 64,
    LIBCS_HEALTH_BECAME_KNOWN = 128
};

LIBCS_API int libcs_health_model_new(libcs_health_model **out);
LIBCS_API void libcs_health_model_free(libcs_health_model *model);
/* points = 100 (v - bad) / (good - bad), clamped to [0, 100] */
LIBCS_API int libcs_health_model_add_linear(libcs_health_model *model,
                                            const char *name, double weight,
                                            double bad, double good);
/* n tiers: v < breaks[0] -> points[0]; breaks[i-1] <= v < breaks[i] ->
 * points[i]; v >= breaks[n-2] -> points[n-1] (breaks strictly increasing) */
LIBCS_API int libcs_health_model_add_tiers(libcs_health_model *model,
                                           const char *name, double weight,
                                           size_t n_tiers,
                                           const double *breaks,
                                           const double *points);
/* value 1 (yes) -> yes_points, 0 (no) -> no_points */
LIBCS_API int libcs_health_model_add_yesno(libcs_health_model *model,
                                           const char *name, double weight,
                                           double yes_points,
                                           double no_points);
LIBCS_API int libcs_health_model_set_missing(libcs_health_model *model,
                                             int policy, double min_coverage);
LIBCS_API int libcs_health_model_set_aggregation(libcs_health_model *model,
                                                 int aggregation);
/* red: [0, red_max]; yellow: (red_max, yellow_max]; green: (yellow_max, 100] */
LIBCS_API int libcs_health_model_set_bands(libcs_health_model *model,
                                           double red_max, double yellow_max);
LIBCS_API int libcs_health_model_measures(const libcs_health_model *model,
                                          size_t *k);
/* the name of measure i, copied with its NUL into (buf, cap) */
LIBCS_API int libcs_health_model_measure_name(const libcs_health_model *model,
                                              size_t i, char *buf, size_t cap,
                                              size_t *needed);
/* the weight share of measure i (weights normalised to sum to 1) */
LIBCS_API int libcs_health_model_weight(const libcs_health_model *model,
                                        size_t i, double *share);
LIBCS_API int libcs_health_band(const libcs_health_model *model, double score,
                                int *band);

/* One customer: values[k], NaN = missing.  An unknown score (coverage below
 * the model's minimum) is LIBCS_OK with *band = LIBCS_HEALTH_UNKNOWN and
 * *score = NaN (the missing-value marker of the input). */
LIBCS_API int libcs_health_score(const libcs_health_model *model,
                                 const double *values, double *score,
                                 int *band, double *coverage);
/* n customers: values is n x k row-major; coverage may be NULL; bad_index
 * receives the element index (row x k + column) of the first bad value. */
LIBCS_API int libcs_health_score_batch(const libcs_health_model *model,
                                       size_t n, const double *values,
                                       double *scores, int *bands,
                                       double *coverage, size_t *bad_index);
/* Each measure's points (NaN when missing and dropped) and contribution to
 * the score (contributions sum to the score). */
LIBCS_API int libcs_health_explain(const libcs_health_model *model,
                                   const double *values, double *points,
                                   double *contributions, double *score,
                                   int *band);
/* Change since last period: deltas = score - previous (NaN when either is
 * unknown), events = band-change flags, *changed = customers with events. */
LIBCS_API int libcs_health_changes(const libcs_health_model *model, size_t n,
                                   const double *previous,
                                   const double *current, double *deltas,
                                   int *events, size_t *changed,
                                   size_t *bad_index);
/* The model's text form (libcs_health_model_format(3)) */
LIBCS_API int libcs_health_model_format(const libcs_health_model *model,
                                        char *buf, size_t cap,
                                        size_t *needed);
LIBCS_API int libcs_health_model_parse(const char *text, size_t len,
                                       libcs_health_model **out,
                                       size_t *error_line,
                                       size_t *error_column);

/* ---- touch model: high / low / tech-touch segmentation ----------------
 * (libcs_touch_thresholds(3)) */

enum libcs_touch_tier {
    LIBCS_TOUCH_TECH = 0,
    LIBCS_TOUCH_LOW = 1,
    LIBCS_TOUCH_HIGH = 2
};

/* Per tier (indexed by LIBCS_TOUCH_*): customers, the sum of their values,
 * and their shares of all customers and of all value (0 when the total value
 * is 0). */
typedef struct libcs_touch_summary {
    uint64_t customers[3];
    double value[3];
    double customer_share[3];
    double value_share[3];
} libcs_touch_summary;

/* value >= high_min -> high; >= low_min -> low; else tech */
LIBCS_API int libcs_touch_thresholds(size_t n, const double *value,
                                     double high_min, double low_min,
                                     int *tiers, libcs_touch_summary *summary,
                                     size_t *bad_index);
/* the top round(high_share n) customers by priority (value when priority is
 * NULL) high, the next round((high_share + low_share) n) - that low */
LIBCS_API int libcs_touch_shares(size_t n, const double *value,
                                 const double *priority, double high_share,
                                 double low_share, int *tiers,
                                 libcs_touch_summary *summary,
                                 size_t *bad_index);
/* the top csms x accounts_per_csm by priority high, the next low_capacity
 * low */
LIBCS_API int libcs_touch_capacity(size_t n, const double *value,
                                   const double *priority, uint64_t csms,
                                   uint64_t accounts_per_csm,
                                   uint64_t low_capacity, int *tiers,
                                   libcs_touch_summary *summary,
                                   size_t *bad_index);
/* the summary of tiers assigned by any rule */
LIBCS_API int libcs_touch_summarize(size_t n, const double *value,
                                    const int *tiers,
                                    libcs_touch_summary *summary,
                                    size_t *bad_index);

/* ---- lifecycle stages (libcs_lifecycle_policy_new(3)) ------------------- */

enum libcs_lifecycle_stage {
    LIBCS_STAGE_ADOPTION = 0,   /* none of the rules below applies */
    LIBCS_STAGE_ONBOARDING = 1, /* days since start < onboarding_days */
    LIBCS_STAGE_RENEWAL = 2,    /* days to renewal <= renewal_days */
    LIBCS_STAGE_AT_RISK = 3,    /* red health band */
    LIBCS_STAGE_EXPANSION = 4,  /* green, promoter, past onboarding */
    LIBCS_STAGE_ADVOCATE = 5    /* green, promoter, tenure >= advocate_days */
};

/* NPS category of a customer who has not answered (with LIBCS_NPS_*). */
#define LIBCS_NPS_NO_ANSWER 2

/* The windows and the order in which the rules are tried; opaque. */
typedef struct libcs_lifecycle_policy libcs_lifecycle_policy;

LIBCS_API int libcs_lifecycle_policy_new(libcs_lifecycle_policy **out);
LIBCS_API void libcs_lifecycle_policy_free(libcs_lifecycle_policy *policy);
LIBCS_API int libcs_lifecycle_policy_set_windows(
    libcs_lifecycle_policy *policy, double onboarding_days,
    double renewal_days, double advocate_days);
/* order: the five rule stages (LIBCS_STAGE_ONBOARDING..ADVOCATE), each once,
 * first match wins; adoption is always the fallback */
LIBCS_API int libcs_lifecycle_policy_set_order(libcs_lifecycle_policy *policy,
                                               size_t n, const int *order);
LIBCS_API int libcs_lifecycle_stage(const libcs_lifecycle_policy *policy,
                                    double days_since_start,
                                    double days_to_renewal, int band,
                                    int nps_category, int *stage);
LIBCS_API int libcs_lifecycle_stage_batch(
    const libcs_lifecycle_policy *policy, size_t n,
    const double *days_since_start, const double *days_to_renewal,
    const int *bands, const int *nps_categories, int *stages,
    size_t *bad_index);

/* ---- MRR movements and cohorts (libcs_mrr_new(3)) ---------------------- */

/* The movements of one period, in minor units and customers.  Always
 * mrr_end = mrr_start + new_mrr + expansion - contraction - churned
 *           + reactivation, and the same for customers. */
typedef struct libcs_mrr_period {
    int32_t period;
    int32_t reserved; /* 0 */
    int64_t mrr_start;
    int64_t new_mrr;
    int64_t expansion;
    int64_t contraction;
    int64_t churned;
    int64_t reactivation;
    int64_t mrr_end;
    int64_t customers_start;
    int64_t customers_new;
    int64_t customers_churned;
    int64_t customers_reactivated;
    int64_t customers_end;
} libcs_mrr_period;

/* A ledger of (customer, period, MRR) records over the periods
 * first_period .. first_period + n_periods - 1; opaque, mergeable. */
typedef struct libcs_mrr libcs_mrr;

/* Reactivation after any gap (the default) */
#define LIBCS_MRR_ANY_GAP (-1)

LIBCS_API int libcs_mrr_new(int32_t first_period, int32_t n_periods,
                            libcs_mrr **out);
LIBCS_API void libcs_mrr_free(libcs_mrr *ledger);
/* a returning customer is a reactivation when it was inactive for at most
 * max_gap periods, else new business; LIBCS_MRR_ANY_GAP for any gap (as
 * ChartMogul, Baremetrics, ProfitWell, Chargebee and Recurly count it;
 * Maxio counts returns within 90 days) */
LIBCS_API int libcs_mrr_set_reactivation_window(libcs_mrr *ledger,
                                                int32_t max_gap);
LIBCS_API int libcs_mrr_add(libcs_mrr *ledger, size_t n,
                            const int64_t *customer, const int32_t *period,
                            const int64_t *mrr, size_t *bad_index);
LIBCS_API int libcs_mrr_merge(libcs_mrr *into, const libcs_mrr *from);
LIBCS_API int libcs_mrr_records(const libcs_mrr *ledger, size_t *n);
LIBCS_API int libcs_mrr_serialize(const libcs_mrr *ledger, uint8_t *buf,
                                  size_t cap, size_t *needed);
LIBCS_API int libcs_mrr_deserialize(const uint8_t *buf, size_t len,
                                    libcs_mrr **out);
/* n_periods rows into out; on LIBCS_EDUPLICATE the first duplicate record's
 * customer and period go to *dup_customer and *dup_period (may be NULL) */
LIBCS_API int libcs_mrr_movements(const libcs_mrr *ledger,
                                  libcs_mrr_period *out, size_t cap,
                                  size_t *needed, int64_t *dup_customer,
                                  int32_t *dup_period);
/* Cohorts by first paying period: n_periods x n_periods row-major matrices,
 * row = cohort (its first period - first_period), column = periods since.
 * customers/revenue: retained counts and MRR (-1 where not observable yet);
 * customer_share/revenue_share: fractions of the cohort's start (NaN where
 * not observable or the cohort is empty); any output may be NULL. */
LIBCS_API int libcs_mrr_cohorts(const libcs_mrr *ledger, size_t cap,
                                int64_t *customers, int64_t *revenue,
                                double *customer_share, double *revenue_share,
                                size_t *needed, int64_t *dup_customer,
                                int32_t *dup_period);
/* The rates of each period, computed with the foundation functions
 * (libcs_churn_customer with new = new + reactivated customers,
 * libcs_revenue_churn_gross/_net, libcs_revenue_nrr/_grr,
 * libcs_revenue_quick_ratio) and ARPA = mrr_end / customers_end.  A rate
 * whose function fails (e.g. 0 MRR at start) is NaN with that function's
 * code in status[]; status[i] is LIBCS_OK otherwise. */
enum libcs_mrr_rate {
    LIBCS_RATE_CUSTOMER_CHURN = 0,
    LIBCS_RATE_GROSS_MRR_CHURN = 1,
    LIBCS_RATE_NET_MRR_CHURN = 2,
    LIBCS_RATE_NRR = 3,
    LIBCS_RATE_GRR = 4,
    LIBCS_RATE_QUICK_RATIO = 5,
    LIBCS_RATE_ARPA = 6
};

typedef struct libcs_mrr_rates {
    double rate[8];     /* indexed by LIBCS_RATE_*; rate[7] is 0 */
    int32_t status[8];  /* status[7] is LIBCS_OK */
} libcs_mrr_rates;

LIBCS_API int libcs_mrr_rates_batch(size_t n, const libcs_mrr_period *periods,
                                    int denominator, libcs_mrr_rates *out);

/* Subscription-capped gross revenue retention (Chargebee) of period
 * against base (base < period, both in the ledger): over the customers with
 * MRR > 0 at base, sum of min(MRR at period, MRR at base) / sum of MRR at
 * base; e.g. base = period - 12 on a monthly ledger for the annual GRR.
 * On LIBCS_EDUPLICATE the first duplicate record's customer and period go
 * to *dup_customer and *dup_period (may be NULL). */
LIBCS_API int libcs_mrr_capped_grr_since(const libcs_mrr *ledger, int32_t base,
                                         int32_t period, double *out,
                                         int64_t *dup_customer,
                                         int32_t *dup_period);
/* The same against the period before (base = period - 1), which equals
 * LIBCS_RATE_GRR for per-customer records */
LIBCS_API int libcs_mrr_capped_grr(const libcs_mrr *ledger, int32_t period,
                                   double *out);
/* n_periods values into out: the capped GRR of each period against the
 * period lookback (>= 1) before it, in one pass over the ledger; NaN where
 * that base is before the first period (not observable) or nobody paid in
 * it (undefined) */
LIBCS_API int libcs_mrr_capped_grr_series(const libcs_mrr *ledger,
                                          int32_t lookback, double *out,
                                          size_t cap, size_t *needed,
                                          int64_t *dup_customer,
                                          int32_t *dup_period);

/* ---- Kaplan-Meier retention curves (libcs_km_fit(3)) -------------------- */

/* A fitted Kaplan-Meier curve; opaque, read-only once fitted. */
typedef struct libcs_km libcs_km;

/* Durations in the caller's unit (>= 0), events 1 = churned, 0 = still
 * active (censored); weights may be NULL (all 1) or >= 0; level is the
 * confidence level of the log(-log) intervals.  _int takes whole-number
 * durations and counts them in linear time. */
LIBCS_API int libcs_km_fit(size_t n, const double *durations,
                           const uint8_t *events, const double *weights,
                           double level, libcs_km **out, size_t *bad_index);
LIBCS_API int libcs_km_fit_int(size_t n, const int32_t *durations,
                               const uint8_t *events, const double *weights,
                               double level, libcs_km **out,
                               size_t *bad_index);
LIBCS_API void libcs_km_free(libcs_km *km);
/* the number of distinct times (with an event or a censoring) */
LIBCS_API int libcs_km_size(const libcs_km *km, size_t *m);
/* the curve at each distinct time, as R's survfit reports it: time, number
 * at risk, events, censored, survival, std_err (Greenwood, of the
 * cumulative hazard), lower and upper bounds; outputs may be NULL */
LIBCS_API int libcs_km_curve(const libcs_km *km, size_t cap, double *time,
                             double *n_risk, double *n_event,
                             double *n_censor, double *survival,
                             double *std_err, double *lower, double *upper,
                             size_t *needed);
LIBCS_API int libcs_km_survival_at(const libcs_km *km, double t, double *s);
/* the time by which a fraction p has churned (S <= 1 - p), R's rule */
LIBCS_API int libcs_km_quantile(const libcs_km *km, double p, double *t);
LIBCS_API int libcs_km_median(const libcs_km *km, double *t);
/* restricted mean survival time: the area under S from 0 to tau */
LIBCS_API int libcs_km_rmst(const libcs_km *km, double tau, double *rmst);
/* LTV from the curve: margin per period x RMST up to tau */
LIBCS_API int libcs_km_ltv(const libcs_km *km, double margin_per_period,
                           double tau, double *ltv);

/* ---- probabilistic CLV models (libcs_clv_summarize(3), libcs_bgnbd_fit(3),
 *      libcs_gg_fit(3)) ---------------------------------------------------- */

/* Each customer's repeat-purchase summary from a transaction log.  Times are
 * in the caller's unit; transactions in the same period (floor(time /
 * period)) count as one, dated from the period's start; outputs are divided
 * by time_scale (e.g. times in days, period 1, time_scale 7: summaries in
 * weeks); t_x and T are measured from the start of the first period.
 * mean_value is the mean of the repeat periods' amounts (the first
 * excluded; 0 when x = 0); holdout_value is a total.  Customers are output
 * in order of first appearance, those with nothing at or before
 * calibration_end not at all; calibration covers times <= calibration_end,
 * the holdout calibration_end < time <= holdout_end (pass holdout_end =
 * calibration_end for none).  Any output may be NULL; all NULL is a size
 * query. */
LIBCS_API int libcs_clv_summarize(
    size_t n, const int64_t *customer, const double *time,
    const double *amount, double period, double time_scale,
    double calibration_end, double holdout_end, size_t cap, int64_t *id,
    double *x, double *t_x, double *T, double *mean_value, double *holdout_x,
    double *holdout_value, size_t *needed, size_t *bad_index);

/* Identical (x, t_x, T) rows merged into one weighted row, in order of
 * first appearance; rows must be valid BG/NBD rows; weights may be NULL
 * (1 each); any output may be NULL. */
LIBCS_API int libcs_clv_compress(size_t n, const double *x, const double *t_x,
                                 const double *T, const double *weights,
                                 size_t cap, double *ux, double *ut_x,
                                 double *uT, double *uweights, size_t *needed,
                                 size_t *bad_index);

/* The result of a maximum-likelihood fit.  params and se in the model's
 * order (BG/NBD: r, alpha, a, b; Gamma-Gamma: p, q, gamma); se[i] is NaN
 * when the Hessian is not invertible there (se_status says why).  Orders:
 * Pareto/NBD r, alpha, s, beta; BG/BB alpha, beta, gamma, delta;
 * shifted-beta-geometric alpha, beta. */
typedef struct libcs_clv_fit {
    double params[4];
    double se[4];
    double loglik;     /* the maximised log-likelihood */
    int32_t n_params;
    int32_t iterations;
    int32_t converged; /* 1 at a maximum-likelihood estimate */
    int32_t se_status; /* LIBCS_OK or the reason se[] is NaN */
} libcs_clv_fit;

/* BG/NBD (Fader, Hardie & Lee 2005); params = {r, alpha, a, b}. */
LIBCS_API int libcs_bgnbd_loglik(size_t n, const double *x, const double *t_x,
                                 const double *T, const double *weights,
                                 const double *params, double *loglik);
/* start may be NULL (several starts are tried); on LIBCS_ENOCONV *out
 * holds the point where the fit stopped, with converged = 0: no
 * estimate (see libcs_bgnbd_fit(3)) */
LIBCS_API int libcs_bgnbd_fit(size_t n, const double *x, const double *t_x,
                              const double *T, const double *weights,
                              const double *start, libcs_clv_fit *out);
/* E[X(t)] for a new customer */
LIBCS_API int libcs_bgnbd_expected(const double *params, double t,
                                   double *out);
/* E[X(t[i])] for i < n: a forecast curve over horizons */
LIBCS_API int libcs_bgnbd_expected_batch(const double *params, size_t n,
                                         const double *t, double *out,
                                         size_t *bad_index);
/* P(X(t) = k) */
LIBCS_API int libcs_bgnbd_pmf(const double *params, double t, uint32_t k,
                              double *out);
/* P(X(t[i]) = k[i]) for i < n */
LIBCS_API int libcs_bgnbd_pmf_batch(const double *params, size_t n,
                                    const double *t, const uint32_t *k,
                                    double *out, size_t *bad_index);
/* E[Y(t) | x, t_x, T]: expected transactions in the next t */
LIBCS_API int libcs_bgnbd_conditional(const double *params, double x,
                                      double t_x, double T, double t,
                                      double *out);
LIBCS_API int libcs_bgnbd_conditional_batch(const double *params, size_t n,
                                            const double *x,
                                            const double *t_x,
                                            const double *T, double t,
                                            double *out, size_t *bad_index);
LIBCS_API int libcs_bgnbd_palive(const double *params, double x, double t_x,
                                 double T, double *out);
LIBCS_API int libcs_bgnbd_palive_batch(const double *params, size_t n,
                                       const double *x, const double *t_x,
                                       const double *T, double *out,
                                       size_t *bad_index);
/* Discounted CLV: sum over k = 1..steps of (E[Y(k step)] - E[Y((k-1)
 * step)]) x value / (1 + discount)^k, with value per transaction, step and
 * horizon (steps x step) in the model's time unit and discount the rate per
 * step. */
LIBCS_API int libcs_bgnbd_clv(const double *params, double x, double t_x,
                              double T, double value, double step,
                              uint32_t steps, double discount, double *out);
LIBCS_API int libcs_bgnbd_clv_batch(const double *params, size_t n,
                                    const double *x, const double *t_x,
                                    const double *T, const double *value,
                                    double step, uint32_t steps,
                                    double discount, double *out,
                                    size_t *bad_index);
/* n synthetic customers observed for T[i] each, from a seeded generator */
LIBCS_API int libcs_bgnbd_simulate(const double *params, size_t n,
                                   const double *T, uint64_t seed, double *x,
                                   double *t_x);

/* Gamma-Gamma spend (Fader, Hardie & Lee 2005 "RFM and CLV"); params =
 * {p, q, gamma}; rows are repeat buyers (x >= 1) with their mean value */
LIBCS_API int libcs_gg_loglik(size_t n, const double *x,
                              const double *mean_value, const double *weights,
                              const double *params, double *loglik);
LIBCS_API int libcs_gg_fit(size_t n, const double *x, const double *mean_value,
                           const double *weights, const double *start,
                           libcs_clv_fit *out);
/* E[M | x, mean value]; LIBCS_EUNDEFINED when q <= 1 */
LIBCS_API int libcs_gg_expected(const double *params, double x,
                                double mean_value, double *out);
LIBCS_API int libcs_gg_expected_batch(const double *params, size_t n,
                                      const double *x,
                                      const double *mean_value, double *out,
                                      size_t *bad_index);
/* mean values of n customers with x[i] repeat transactions each */
LIBCS_API int libcs_gg_simulate(const double *params, size_t n,
                                const double *x, uint64_t seed,
                                double *mean_value);

/* Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005
 * note); params = {r, alpha, s, beta}; rows (x, t_x, T) as for BG/NBD.
 * The likelihood's Gauss hypergeometric term is evaluated through a
 * transformed series that cannot overflow, or a quadrature where the series
 * would converge slowly (libcs_pnbd_loglik(3) says how). */
LIBCS_API int libcs_pnbd_loglik(size_t n, const double *x, const double *t_x,
                                const double *T, const double *weights,
                                const double *params, double *loglik);
LIBCS_API int libcs_pnbd_fit(size_t n, const double *x, const double *t_x,
                             const double *T, const double *weights,
                             const double *start, libcs_clv_fit *out);
/* E[X(t)] for a new customer */
LIBCS_API int libcs_pnbd_expected(const double *params, double t,
                                  double *out);
/* E[X(t[i])] for i < n: a forecast curve over horizons */
LIBCS_API int libcs_pnbd_expected_batch(const double *params, size_t n,
                                        const double *t, double *out,
                                        size_t *bad_index);
/* P(X(t) = k) */
LIBCS_API int libcs_pnbd_pmf(const double *params, double t, uint32_t k,
                             double *out);
/* P(X(t[i]) = k[i]) for i < n */
LIBCS_API int libcs_pnbd_pmf_batch(const double *params, size_t n,
                                   const double *t, const uint32_t *k,
                                   double *out, size_t *bad_index);
/* E[Y(t) | x, t_x, T]: expected transactions in the next t */
LIBCS_API int libcs_pnbd_conditional(const double *params, double x,
                                     double t_x, double T, double t,
                                     double *out);
LIBCS_API int libcs_pnbd_conditional_batch(const double *params, size_t n,
                                           const double *x, const double *t_x,
                                           const double *T, double t,
                                           double *out, size_t *bad_index);
LIBCS_API int libcs_pnbd_palive(const double *params, double x, double t_x,
                                double T, double *out);
LIBCS_API int libcs_pnbd_palive_batch(const double *params, size_t n,
                                      const double *x, const double *t_x,
                                      const double *T, double *out,
                                      size_t *bad_index);
/* discounted CLV, as libcs_bgnbd_clv */
LIBCS_API int libcs_pnbd_clv(const double *params, double x, double t_x,
                             double T, double value, double step,
                             uint32_t steps, double discount, double *out);
LIBCS_API int libcs_pnbd_clv_batch(const double *params, size_t n,
                                   const double *x, const double *t_x,
                                   const double *T, const double *value,
                                   double step, uint32_t steps,
                                   double discount, double *out,
                                   size_t *bad_index);
LIBCS_API int libcs_pnbd_simulate(const double *params, size_t n,
                                  const double *T, uint64_t seed, double *x,
                                  double *t_x);

/* BG/BB (Fader, Hardie & Shang 2010) for discrete transaction
 * opportunities; params = {alpha, beta, gamma, delta}; each row is x
 * transactions in `periods` opportunities, the last at opportunity t_x
 * (0 when x = 0). */
LIBCS_API int libcs_bgbb_loglik(size_t n, const double *x, const double *t_x,
                                const double *periods, const double *weights,
                                const double *params, double *loglik);
LIBCS_API int libcs_bgbb_fit(size_t n, const double *x, const double *t_x,
                             const double *periods, const double *weights,
                             const double *start, libcs_clv_fit *out);
/* E[X(periods)] for a new customer */
LIBCS_API int libcs_bgbb_expected(const double *params, double periods,
                                  double *out);
/* E[X(periods[i])] for i < n */
LIBCS_API int libcs_bgbb_expected_batch(const double *params, size_t n,
                                        const double *periods, double *out,
                                        size_t *bad_index);
/* P(X(periods) = k) */
LIBCS_API int libcs_bgbb_pmf(const double *params, double periods,
                             uint32_t k, double *out);
/* P(X(periods[i]) = k[i]) for i < n */
LIBCS_API int libcs_bgbb_pmf_batch(const double *params, size_t n,
                                   const double *periods, const uint32_t *k,
                                   double *out, size_t *bad_index);
/* expected transactions in the next `future` opportunities given the row */
LIBCS_API int libcs_bgbb_conditional(const double *params, double x,
                                     double t_x, double periods,
                                     double future, double *out);
LIBCS_API int libcs_bgbb_conditional_batch(const double *params, size_t n,
                                           const double *x, const double *t_x,
                                           const double *periods,
                                           double future, double *out,
                                           size_t *bad_index);
/* P(alive at the next opportunity, periods + 1) (FHS 2010 eq. 11) */
LIBCS_API int libcs_bgbb_palive(const double *params, double x, double t_x,
                                double periods, double *out);
LIBCS_API int libcs_bgbb_palive_batch(const double *params, size_t n,
                                      const double *x, const double *t_x,
                                      const double *periods, double *out,
                                      size_t *bad_index);
/* discounted expected residual transactions (FHS 2010 eq. 14), discount
 * rate per opportunity; times a value per transaction it is the CLV */
LIBCS_API int libcs_bgbb_dert(const double *params, double x, double t_x,
                              double periods, double discount, double *out);
LIBCS_API int libcs_bgbb_dert_batch(const double *params, size_t n,
                                    const double *x, const double *t_x,
                                    const double *periods, double discount,
                                    double *out, size_t *bad_index);
/* n synthetic customers with periods[i] opportunities each */
LIBCS_API int libcs_bgbb_simulate(const double *params, size_t n,
                                  const double *periods, uint64_t seed,
                                  double *x, double *t_x);

/* Shifted-beta-geometric contract renewals (Fader & Hardie 2007 "How to
 * Project Customer Retention"); params = {alpha, beta}.  A customer pays
 * for its first period, then renews or churns at the end of each period:
 * one who churns in period t (t >= 1) made t - 1 renewals, and S(t), the
 * share still active after t periods, is the share that made t renewals. */
/* survivors[t], t = 0..n-1: customers of the cohort that made t renewals
 * (survivors[0] the cohort: Fader & Hardie's "active at the start of year
 * t"), non-increasing */
LIBCS_API int libcs_sbg_loglik_survivors(size_t n, const double *survivors,
                                         const double *params,
                                         double *loglik);
LIBCS_API int libcs_sbg_fit_survivors(size_t n, const double *survivors,
                                      const double *start,
                                      libcs_clv_fit *out);
/* individual records: churned in period duration[i] (active[i] = 0) or
 * still active after duration[i] periods (active[i] = 1); weights may be
 * NULL */
LIBCS_API int libcs_sbg_loglik_durations(size_t n, const double *duration,
                                         const uint8_t *active,
                                         const double *weights,
                                         const double *params,
                                         double *loglik);
LIBCS_API int libcs_sbg_fit_durations(size_t n, const double *duration,
                                      const uint8_t *active,
                                      const double *weights,
                                      const double *start, libcs_clv_fit *out);
/* r(t) = S(t) / S(t - 1): the share of those who made t - 1 renewals who
 * make a t-th, t >= 1 */
LIBCS_API int libcs_sbg_retention(const double *params, double t,
                                  double *out);
/* r(t[i]) for i < n */
LIBCS_API int libcs_sbg_retention_batch(const double *params, size_t n,
                                        const double *t, double *out,
                                        size_t *bad_index);
/* S(t): the share of the cohort still active after t periods */
LIBCS_API int libcs_sbg_survival(const double *params, double t,
                                 double *out);
/* S(t[i]) for i < n */
LIBCS_API int libcs_sbg_survival_batch(const double *params, size_t n,
                                       const double *t, double *out,
                                       size_t *bad_index);
/* cohort x S(t) for t = 0..n-1 into out[0..n-1] */
LIBCS_API int libcs_sbg_project(const double *params, double cohort,
                                size_t n, double *out);
/* discounted expected lifetime of a new customer, in periods (payments at
 * the start of each period), discount rate per period */
LIBCS_API int libcs_sbg_del(const double *params, double discount,
                            double *out);
/* DEL at each of n discount rates */
LIBCS_API int libcs_sbg_del_batch(const double *params, size_t n,
                                  const double *discount, double *out,
                                  size_t *bad_index);
/* discounted expected residual lifetime of a customer who has made
 * `renewals` renewals, evaluated just before the next renewal decision */
LIBCS_API int libcs_sbg_derl(const double *params, double renewals,
                             double discount, double *out);
/* DERL of n customers with renewals[i] renewals each: a customer base's
 * residual value (times the margin per period) */
LIBCS_API int libcs_sbg_derl_batch(const double *params, size_t n,
                                   const double *renewals, double discount,
                                   double *out, size_t *bad_index);
/* n synthetic customers observed for at most `periods` periods */
LIBCS_API int libcs_sbg_simulate(const double *params, size_t n,
                                 uint32_t periods, uint64_t seed,
                                 double *duration, uint8_t *active);

#ifdef __cplusplus
}
#endif

#endif /* LIBCS_H */
