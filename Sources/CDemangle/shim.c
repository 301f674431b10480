#define _GNU_SOURCE
#include "CDemangle.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

// libstdc++ (linked by every Swift program on Linux).
extern char *__cxa_demangle(const char *mangled, char *buffer, size_t *length, int *status);

// Public, stable entry point exported by libswiftCore.
extern char *swift_demangle(const char *mangled, size_t length, char *buffer,
                            size_t *bufferSize, uint32_t flags);

char *cdemangle_itanium(const char *mangled) {
    int status = 0;
    char *result = __cxa_demangle(mangled, NULL, NULL, &status);
    if (status != 0) {
        free(result);
        return NULL;
    }
    return result;
}

char *cdemangle_swift_full(const char *mangled, size_t length) {
    return swift_demangle(mangled, length, NULL, NULL, 0);
}

// `_swift_backtrace_demangle` is runtime SPI whose signature has varied: some
// runtimes take four arguments, others a trailing `int *status`. We always
// pass a valid status pointer; under the x86_64 SysV convention a callee that
// takes only four arguments simply ignores the fifth register.
typedef char *(*BacktraceDemangleFn)(const char *, size_t, char *, size_t *, int *);

static BacktraceDemangleFn backtraceDemangle;
static pthread_once_t backtraceDemangleOnce = PTHREAD_ONCE_INIT;

static void lookUpBacktraceDemangle(void) {
    backtraceDemangle = (BacktraceDemangleFn)dlsym(RTLD_DEFAULT, "_swift_backtrace_demangle");
}

char *cdemangle_swift_simplified(const char *mangled, size_t length) {
    pthread_once(&backtraceDemangleOnce, lookUpBacktraceDemangle);
    if (backtraceDemangle == NULL) {
        return NULL;
    }
    int status = 0;
    return backtraceDemangle(mangled, length, NULL, NULL, &status);
}

void cdemangle_free(char *demangled) {
    free(demangled);
}
