/* lib/rng.h - the seeded, reproducible random numbers of the simulators:
 * xoshiro256** seeded through splitmix64, with uniform, exponential, gamma
 * (Marsaglia & Tsang 2000) and beta variates.  State lives with the caller. */
#ifndef LIBCS_RNG_H
#define LIBCS_RNG_H

#include <math.h>
#include <stdint.h>

struct libcs_rng {
    uint64_t s[4];
};

static inline uint64_t libcs_rng_splitmix(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline void libcs_rng_seed(struct libcs_rng *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        g->s[i] = libcs_rng_splitmix(&seed);
}

static inline uint64_t libcs_rng_next(struct libcs_rng *g)
{
    uint64_t *s = g->s;
    uint64_t r = s[1] * 5;
    r = ((r << 7) | (r >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return r;
}

/* uniform in (0, 1): never 0, so logs are finite */
static inline double libcs_rng_uniform(struct libcs_rng *g)
{
    return ((double)(libcs_rng_next(g) >> 11) + 0.5) * 0x1.0p-53;
}

static inline double libcs_rng_normal(struct libcs_rng *g)
{
    /* Box-Muller: one of the pair */
    double u = libcs_rng_uniform(g), v = libcs_rng_uniform(g);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Gamma(shape, scale 1) */
static inline double libcs_rng_gamma(struct libcs_rng *g, double shape)
{
    if (shape < 1.0) /* boost: G(a) = G(a + 1) U^(1/a) */
        return libcs_rng_gamma(g, shape + 1.0) *
               pow(libcs_rng_uniform(g), 1.0 / shape);
    double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = libcs_rng_normal(g);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = libcs_rng_uniform(g);
        if (u < 1.0 - 0.0331 * x * x * x * x ||
            log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            return d * v;
    }
}

static inline double libcs_rng_beta(struct libcs_rng *g, double a, double b)
{
    double x = libcs_rng_gamma(g, a), y = libcs_rng_gamma(g, b);
    if (x + y == 0.0) /* both underflowed (tiny shapes): a Bernoulli limit */
        return libcs_rng_uniform(g) < a / (a + b) ? 1.0 : 0.0;
    return x / (x + y);
}

#endif /* LIBCS_RNG_H */
