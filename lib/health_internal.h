/* lib/health_internal.h - the health model's private layout, shared by
 * lib/health.c (scoring) and lib/health_text.c (its text form). */
#ifndef LIBCS_HEALTH_INTERNAL_H
#define LIBCS_HEALTH_INTERNAL_H

#include "internal.h"

#define LIBCS_HEALTH_NAME_MAX 255 /* bytes of a measure's name */
#define LIBCS_HEALTH_TIERS_MAX 64

enum { HEALTH_RULE_LINEAR, HEALTH_RULE_TIERS, HEALTH_RULE_YESNO };

struct health_measure {
    char *name;
    double weight;
    double share;     /* weight / the model's weight total (reported only) */
    double wscaled;   /* weight x 2^wexp: what scores are formed with */
    int rule;
    double bad, good; /* linear thresholds; yes/no: good = yes, bad = no */
    /* linear: points = (clamp(v - bad, lo, hi) x f) / d, where d is
     * good - bad and f is 100, both divided by 2^7 when |good - bad| is so
     * large that 100 x it would overflow; lo, hi = min, max(0, good - bad) */
    double lo, hi, f, d;
    size_t n_tiers;
    double *tiers;    /* n_tiers - 1 breaks, then n_tiers points */
    double worst;     /* the lowest points the rule can give */
};

struct libcs_health_model {
    struct health_measure *m;
    size_t k, cap;
    double weight_sum;
    int wexp;         /* weight_sum x 2^wexp is in [2^960, 2^961) */
    double wsum_scaled; /* weight_sum x 2^wexp */
    int missing;
    double min_coverage;
    int aggregation;
    double red_max, yellow_max;
};

/* The checks add_* make on a name (non-empty, printable, unique) and a
 * weight (finite, > 0); the parser uses them to point at the right token. */
int libcs__health_check_name(const libcs_health_model *m, const char *name);
int libcs__health_check_weight(double weight);

#endif /* LIBCS_HEALTH_INTERNAL_H */
