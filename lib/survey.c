/* lib/survey.c - CSAT (top-box share) and CES (mean and agreement share) on
 * 1..scale_max answer scales. */
#include "internal.h"

/* Count the answers >= threshold and their sum; an answer off the 1..max
 * scale is LIBCS_EDOMAIN with its index. */
static int scan_answers(size_t n, const uint8_t *answers, int scale_max,
                        int threshold, uint64_t *at_least, uint64_t *sum,
                        size_t *bad_index)
{
    uint64_t hits = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned a = answers[i];
        if (a < 1 || a > (unsigned)scale_max) {
            if (bad_index)
                *bad_index = i;
            return LIBCS_EDOMAIN;
        }
        hits += a >= (unsigned)threshold;
        total += a;
    }
    *at_least = hits;
    *sum = total;
    return LIBCS_OK;
}

LIBCS_API int libcs_csat(size_t n, const uint8_t *answers, int scale_max,
                         int top_boxes, double *share, size_t *bad_index)
{
    uint64_t top, sum;
    if (!answers || !share)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (scale_max < 2 || scale_max > 255 || top_boxes < 1 ||
        top_boxes > scale_max)
        return LIBCS_EDOMAIN;
    LIBCS_TRY(scan_answers(n, answers, scale_max, scale_max - top_boxes + 1,
                           &top, &sum, bad_index));
    *share = (double)top / (double)n;
    return LIBCS_OK;
}

LIBCS_API int libcs_ces(size_t n, const uint8_t *answers, int scale_max,
                        int threshold, double *mean, double *share,
                        size_t *bad_index)
{
    uint64_t agree, sum;
    if (!answers || !mean || !share)
        return LIBCS_EINVAL;
    if (n == 0)
        return LIBCS_EEMPTY;
    if (scale_max < 2 || scale_max > 255 || threshold < 1 ||
        threshold > scale_max)
        return LIBCS_EDOMAIN;
    LIBCS_TRY(scan_answers(n, answers, scale_max, threshold, &agree, &sum,
                           bad_index));
    *mean = (double)sum / (double)n;
    *share = (double)agree / (double)n;
    return LIBCS_OK;
}
