/* bench/bench.h - timing helpers for the benchmarks: best-of-k wall time and
 * a memory-read pass over the same bytes, the practical limit every batch
 * figure is reported against. */
#ifndef LIBCS_BENCH_H
#define LIBCS_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* xorshift64*: a fixed-seed generator so every run measures the same data */
static inline uint64_t bench_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static volatile uint64_t bench_sink;

/* Read every byte once (as 64-bit words the compiler can vectorise). */
static inline void bench_read_pass(const void *p, size_t bytes)
{
    const unsigned char *b = p;
    uint64_t acc = 0, w;
    size_t i = 0;
    for (; i + 8 <= bytes; i += 8) {
        memcpy(&w, b + i, 8);
        acc += w;
    }
    for (; i < bytes; i++)
        acc += b[i];
    bench_sink = acc;
}

/* Best wall time of `reps` runs of stmt. */
#define BENCH_BEST(reps, best, stmt)                                           \
    do {                                                                       \
        (best) = 1e300;                                                        \
        for (int r_ = 0; r_ < (reps); r_++) {                                  \
            double t0_ = bench_now();                                          \
            stmt;                                                              \
            double t_ = bench_now() - t0_;                                     \
            if (t_ < (best))                                                   \
                (best) = t_;                                                   \
        }                                                                      \
    } while (0)

#endif /* LIBCS_BENCH_H */
