#include <malloc.h>

#include "CPtrace.h"

void lwp_tune_malloc_for_bursts(void) {
    // Untouched padding costs no resident memory; only what is used is faulted in.
    mallopt(M_TOP_PAD, 8 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}
