/* lib/clvdata.c - transaction logs to repeat-purchase summaries. */
#include "internal.h"
