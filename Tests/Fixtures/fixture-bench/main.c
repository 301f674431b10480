// The target of scripts/bench: many threads parked the way real servers park,
// plus a ticker thread that measures how long the process was stalled.
//
// Usage: fixture-bench --threads N [--spinners S] [--spinner-policy normal|idle]
//                      [--stall-file PATH]
//
// Threads (N + 2 tasks in all):
//   - main: polls getppid() every 50 ms (in nanosleep) and exits when the
//     parent is gone;
//   - N parked threads: S of them ("spin-K"; default max(1, N/100)) spin on
//     the global `volatile int hold` in a noinline function; the rest
//     ("bench-K") block in glibc through three noinline levels, a mix of
//     nanosleep, pthread_cond_wait and read on a pipe;
//   - "ticker": wakes every 1 ms (clock_nanosleep, TIMER_ABSTIME,
//     CLOCK_MONOTONIC) and records the largest lateness it has seen.
//
// Spinners run at normal priority (SCHED_OTHER), as `while (hold);` does in
// the programs lwpscope is for, competing with the tools for the CPUs;
// --spinner-policy idle runs them under SCHED_IDLE, so they spin only when
// nothing else wants a CPU. The ticker asks for SCHED_FIFO (priority 1; falls
// back to the normal policy if refused), so its lateness measures the process
// being stopped, not CPU contention from the tools or the spinners.
//
// The stall page (--stall-file, default /tmp/fixture-bench-PID.stall) is a
// 4 KiB file both sides mmap, of little-endian uint64 fields:
//   [0] reset_request  written by the reader: bump it to ask for a reset
//   [1] reset_ack      the ticker copies reset_request here when it resets
//   [2] max_stall_us   largest lateness since the last reset, microseconds
//   [3] ticks          ticks since start (to see the ticker is alive)
//   [4] fifo           1 if the ticker runs SCHED_FIFO
//   [5] spinners       how many threads spin on `hold`
//   [6] spinner_idle   1 if the spinners run SCHED_IDLE
// It prints "ready" (and the stall page's path) once every thread is parked:
// blocked in its syscall, or spinning in its loop (../Shared/parked_threads.h).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "../Shared/parked_threads.h"

#define NOINLINE __attribute__((noinline))
#define STACK_SIZE (64 * 1024)

// The flag spinners park on, as users write it.
volatile int hold = 1;

static int pipe_fds[2];
static pthread_mutex_t never_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_cond = PTHREAD_COND_INITIALIZER;

enum { RESET_REQUEST, RESET_ACK, MAX_STALL_US, TICKS, FIFO, SPINNERS, SPINNER_IDLE };
static volatile uint64_t *stall_page;
static int spinner_policy = SCHED_OTHER;

static void die(const char *what) {
    perror(what);
    exit(1);
}

// ---- Parked threads ---------------------------------------------------------

NOINLINE void bench_spin_on_hold(void) {
    announce_parking(PARK_SPIN);
    while (hold)
        ;
    for (;;) pause();
}

NOINLINE void bench_sleep(void) {
    announce_parking(PARK_SLEEP);
    for (;;) {
        struct timespec t = {3600, 0};
        nanosleep(&t, NULL);
    }
}

NOINLINE void bench_condwait(void) {
    announce_parking(PARK_FUTEX);
    pthread_mutex_lock(&never_mutex);
    for (;;) pthread_cond_wait(&never_cond, &never_mutex);
}

NOINLINE void bench_read(void) {
    announce_parking(PARK_READ);
    char byte;
    for (;;) {
        if (read(pipe_fds[0], &byte, 1) <= 0) sleep(1);
    }
}

typedef void (*park_fn)(void);

// A few levels of real calls between the thread's start and the park, so an
// unwinder without frame pointers has CFI to follow. The empty asm keeps each
// call from becoming a tail call.
NOINLINE void bench_level3(park_fn park) {
    park();
    __asm__ volatile("");
}

NOINLINE void bench_level2(park_fn park) {
    bench_level3(park);
    __asm__ volatile("");
}

NOINLINE void bench_level1(park_fn park) {
    bench_level2(park);
    __asm__ volatile("");
}

static void *parked_main(void *arg) {
    long index = (long)arg;
    char name[16];
    snprintf(name, sizeof name, "bench-%ld", index);
    pthread_setname_np(pthread_self(), name);
    park_fn park = bench_sleep;
    switch (index % 3) {
    case 0: park = bench_sleep; break;
    case 1: park = bench_condwait; break;
    case 2: park = bench_read; break;
    }
    bench_level1(park);
    return NULL;
}

static void *spinner_main(void *arg) {
    long index = (long)arg;
    char name[16];
    snprintf(name, sizeof name, "spin-%ld", index);
    pthread_setname_np(pthread_self(), name);
    // SCHED_OTHER by default, as users' spinners run; SCHED_IDLE on request.
    struct sched_param param = {0};
    pthread_setschedparam(pthread_self(), spinner_policy, &param);
    bench_level1(bench_spin_on_hold);
    return NULL;
}

// ---- The ticker ------------------------------------------------------------

static int64_t ns_of(const struct timespec *t) { return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec; }

static struct timespec timespec_of(int64_t ns) {
    struct timespec t = {ns / 1000000000, ns % 1000000000};
    return t;
}

static void *ticker_main(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "ticker");
    struct sched_param param = {.sched_priority = 1};
    stall_page[FIFO] = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;

    const int64_t period = 1000000; // 1 ms
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t deadline = ns_of(&now) + period;
    announce_parking(PARK_SLEEP);
    for (;;) {
        struct timespec target = timespec_of(deadline);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL) == EINTR)
            ;
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t late_us = (ns_of(&now) - deadline) / 1000;

        uint64_t request = stall_page[RESET_REQUEST];
        if (request != stall_page[RESET_ACK]) {
            // A reset: forget the past, including this tick's lateness.
            stall_page[MAX_STALL_US] = 0;
            __atomic_store_n(&stall_page[RESET_ACK], request, __ATOMIC_RELEASE);
        } else if (late_us > 0 && (uint64_t)late_us > stall_page[MAX_STALL_US]) {
            stall_page[MAX_STALL_US] = (uint64_t)late_us;
        }
        __atomic_store_n(&stall_page[TICKS], stall_page[TICKS] + 1, __ATOMIC_RELEASE);

        // After a long stall, do not fire a burst of catch-up ticks.
        deadline += period;
        int64_t now_ns = ns_of(&now);
        if (deadline <= now_ns) deadline = now_ns + period;
    }
    return NULL;
}

// ---- Main -------------------------------------------------------------------

static void start_thread(void *(*body)(void *), long index) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, STACK_SIZE);
    pthread_t thread;
    int err = pthread_create(&thread, &attr, body, (void *)index);
    if (err) {
        fprintf(stderr, "fixture-bench: pthread_create #%ld: %s\n", index, strerror(err));
        exit(1);
    }
    pthread_attr_destroy(&attr);
}

static volatile uint64_t *map_stall_page(const char *path) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die(path);
    if (ftruncate(fd, 4096) != 0) die("ftruncate");
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) die("mmap");
    close(fd);
    return page;
}

int main(int argc, char **argv) {
    long threads = 1, spinners = -1;
    char stall_path[256];
    snprintf(stall_path, sizeof stall_path, "/tmp/fixture-bench-%d.stall", getpid());
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0) threads = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--spinners") == 0) spinners = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--stall-file") == 0) snprintf(stall_path, sizeof stall_path, "%s", argv[i + 1]);
        else if (strcmp(argv[i], "--spinner-policy") == 0 && strcmp(argv[i + 1], "normal") == 0) spinner_policy = SCHED_OTHER;
        else if (strcmp(argv[i], "--spinner-policy") == 0 && strcmp(argv[i + 1], "idle") == 0) spinner_policy = SCHED_IDLE;
        else {
            fprintf(stderr, "usage: %s --threads N [--spinners S] [--spinner-policy normal|idle] [--stall-file PATH]\n", argv[0]);
            return 2;
        }
    }
    if (threads < 1) threads = 1;
    if (spinners < 0) spinners = threads / 100 > 0 ? threads / 100 : 1;
    if (spinners > threads) spinners = threads;

    // Die with the benchmark even if it is SIGKILLed; main also polls below.
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) return 0;

    stall_page = map_stall_page(stall_path);
    if (pipe(pipe_fds) != 0) die("pipe");

    stall_page[SPINNERS] = (uint64_t)spinners;
    stall_page[SPINNER_IDLE] = spinner_policy == SCHED_IDLE;
    expect_parked_threads((int)threads + 1);
    start_thread(ticker_main, 0);
    for (long i = 0; i < threads; i++) {
        if (i < spinners) start_thread(spinner_main, i + 1);
        else start_thread(parked_main, i + 1);
    }
    wait_until_parked((int)threads + 1, 120);

    printf("ready %s\n", stall_path);
    fflush(stdout);

    for (;;) {
        if (getppid() != parent) {
            unlink(stall_path);
            return 0;
        }
        struct timespec t = {0, 50 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
}
