/* lib/scratch.c - large arrays (grouping scratch, the MRR ledger): on Linux
 * backed by transparent huge pages where the system grants them on request. */
#include <stdlib.h>

#include "internal.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

/* The grouping passes (lib/mrr.c, lib/clvdata.c) scatter records into
 * thousands of buckets at once: with 4 KiB pages nearly every store misses
 * the TLB, and the first touch of each page is a fault.  2 MiB pages make
 * both rare (10 million MRR records grouped: about 1.6x faster).  The
 * advice is only advice: where it is not available or not granted, the
 * memory is ordinary. */
void libcs__advise_huge(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)1 << 21;
    if (p && size >= 4 * huge) {
        uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
        uintptr_t hi = ((uintptr_t)p + size) & ~(huge - 1);
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#else
    (void)p;
    (void)size;
#endif
}

void *libcs__scratch(size_t size)
{
    void *p = malloc(size ? size : 1);
    libcs__advise_huge(p, size);
    return p;
}
