#define _GNU_SOURCE
#include "CDemangle.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

// libstdc++ (linked by every Swift program on Linux).
extern char *__cxa_demangle(const char *mangled, char *buffer, size_t *length, int *status);

// Public, stable entry point exported by libswiftCore.
extern char *swift_demangle(const char *mangled, size_t length, char *buffer,
                            size_t *bufferSize, uint32_t flags);

// MARK: Stack headroom
//
// Both runtime demanglers recurse once per nesting level of the name, without
// a limit that fits small thread stacks: measured on x86_64, libstdc++ needs
// ~250 bytes of stack per input byte and the Swift runtime up to ~650. We ask
// for about twice that and, when the calling thread lacks the room, run the
// demangler on a short-lived thread whose stack is big enough.

enum {
    ItaniumStackPerByte = 512,
    SwiftStackPerByte = 2048,
    StackMargin = 128 * 1024,
};

/// Lowest address of this thread's stack; cached because glibc reads
/// /proc/self/maps to answer for the main thread.
static _Thread_local uintptr_t stackLowest;

static size_t stackHeadroom(void) {
    if (stackLowest == 0) {
        pthread_attr_t attributes;
        if (pthread_getattr_np(pthread_self(), &attributes) != 0) {
            return 0;
        }
        void *address = NULL;
        size_t size = 0;
        int failed = pthread_attr_getstack(&attributes, &address, &size);
        pthread_attr_destroy(&attributes);
        if (failed != 0 || address == NULL) {
            return 0;
        }
        stackLowest = (uintptr_t)address;
    }
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return here > stackLowest ? here - stackLowest : 0;
}

typedef char *(*DemangleFn)(const char *mangled, size_t length);

struct DemangleJob {
    DemangleFn demangle;
    const char *mangled;
    size_t length;
    char *result;
};

static void *runDemangleJob(void *argument) {
    struct DemangleJob *job = argument;
    job->result = job->demangle(job->mangled, job->length);
    return NULL;
}

/// Runs `demangle` here when the stack has `needed` bytes to spare, else on a
/// helper thread with a stack that size. NULL if no such thread can be made.
static char *withStack(size_t needed, DemangleFn demangle, const char *mangled, size_t length) {
    needed += StackMargin;
    if (stackHeadroom() >= needed) {
        return demangle(mangled, length);
    }
    long page = sysconf(_SC_PAGESIZE);
    size_t pageSize = page > 0 ? (size_t)page : 4096;
    size_t stackSize = (needed + pageSize - 1) / pageSize * pageSize;
    if (stackSize < PTHREAD_STACK_MIN) {
        stackSize = PTHREAD_STACK_MIN;
    }

    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) {
        return NULL;
    }
    struct DemangleJob job = { demangle, mangled, length, NULL };
    pthread_t thread;
    int failed = pthread_attr_setstacksize(&attributes, stackSize)
        || pthread_create(&thread, &attributes, runDemangleJob, &job);
    pthread_attr_destroy(&attributes);
    if (failed) {
        return NULL;
    }
    pthread_join(thread, NULL);
    return job.result;
}

// MARK: C++

static char *demangleItanium(const char *mangled, size_t length) {
    (void)length;
    int status = 0;
    char *result = __cxa_demangle(mangled, NULL, NULL, &status);
    if (status != 0) {
        free(result);
        return NULL;
    }
    return result;
}

char *cdemangle_itanium(const char *mangled, size_t length) {
    return withStack(length * ItaniumStackPerByte, demangleItanium, mangled, length);
}

// MARK: Swift

static char *demangleSwiftFull(const char *mangled, size_t length) {
    return swift_demangle(mangled, length, NULL, NULL, 0);
}

char *cdemangle_swift_full(const char *mangled, size_t length) {
    return withStack(length * SwiftStackPerByte, demangleSwiftFull, mangled, length);
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

int cdemangle_swift_has_simplified(void) {
    pthread_once(&backtraceDemangleOnce, lookUpBacktraceDemangle);
    return backtraceDemangle != NULL;
}

static char *demangleSwiftSimplified(const char *mangled, size_t length) {
    int status = 0;
    return backtraceDemangle(mangled, length, NULL, NULL, &status);
}

char *cdemangle_swift_simplified(const char *mangled, size_t length) {
    if (!cdemangle_swift_has_simplified()) {
        return NULL;
    }
    return withStack(length * SwiftStackPerByte, demangleSwiftSimplified, mangled, length);
}

void cdemangle_free(char *demangled) {
    free(demangled);
}
