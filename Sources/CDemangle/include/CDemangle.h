#ifndef CDEMANGLE_H
#define CDEMANGLE_H

#include <stddef.h>

// Thin wrappers over the demanglers the process already carries: libstdc++'s
// __cxa_demangle and the Swift runtime's. Each takes a NUL-terminated name
// and its length, and returns a malloc'd, NUL-terminated string the caller
// releases with cdemangle_free, or NULL when the name could not be demangled.
// Both engines recurse deeply on nested names, so when the calling thread's
// stack is short for the name's length they run on a helper thread with a
// large enough stack.

/// Itanium C++ names (`_Z...`), including gcc clone suffixes such as `.cold`.
char *cdemangle_itanium(const char *mangled, size_t length);

/// Swift names in the runtime's simplified UI form (what Swift's own
/// backtracer prints), or NULL when this runtime lacks that entry point.
char *cdemangle_swift_simplified(const char *mangled, size_t length);

/// Whether the runtime exports the simplified-form entry point.
int cdemangle_swift_has_simplified(void);

/// Swift names in the runtime's full form (public `swift_demangle`).
char *cdemangle_swift_full(const char *mangled, size_t length);

void cdemangle_free(char *demangled);

#endif
