#ifndef CDEMANGLE_H
#define CDEMANGLE_H

#include <stddef.h>

// Thin wrappers over the demanglers the process already carries: libstdc++'s
// __cxa_demangle and the Swift runtime's. Each returns a malloc'd,
// NUL-terminated string the caller releases with cdemangle_free, or NULL when
// the name could not be demangled.

/// Itanium C++ names (`_Z...`), including gcc clone suffixes such as `.cold`.
char *cdemangle_itanium(const char *mangled);

/// Swift names in the runtime's simplified UI form (what Swift's own
/// backtracer prints), or NULL when this runtime lacks that entry point.
char *cdemangle_swift_simplified(const char *mangled, size_t length);

/// Swift names in the runtime's full form (public `swift_demangle`).
char *cdemangle_swift_full(const char *mangled, size_t length);

void cdemangle_free(char *demangled);

#endif
