// Knowing that a fixture's threads are really parked before it prints
// "ready": not after a guessed sleep, nor after a counter each thread bumps
// just before it blocks (it may not have blocked yet).
//
// A thread calls announce_parking(kind) right before its blocking call or its
// spin loop. The main thread calls wait_until_parked(), which polls, for each
// announced thread:
//   - blocking kinds: /proc/self/task/TID/syscall, whose first field is the
//     number of the syscall the thread is blocked in (or "running");
//   - PARK_SPIN: the thread runnable ("running" there) and its CPU clock
//     (pthread_getcpuclockid) at least SPIN_PROOF_NS past the time it
//     announced: only the loop can have used that much since.
// Plain C with __atomic builtins, so C and C++ fixtures both include it.
#ifndef PARKED_THREADS_H
#define PARKED_THREADS_H

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum park_kind { PARK_SLEEP, PARK_FUTEX, PARK_READ, PARK_PAUSE, PARK_SPIN };

struct parked_thread {
    int announced; // set last, with release order
    pid_t tid;
    enum park_kind kind;
    clockid_t cpu_clock;
    long long cpu_ns_at_announce;
    int seen_parked;
};

#define SPIN_PROOF_NS (200 * 1000LL)

static struct parked_thread *parked_slots;
static int parked_capacity;
static int parked_reserved;

// Before any thread starts: room for `count` announcements.
static void expect_parked_threads(int count) {
    parked_slots = (struct parked_thread *)calloc((size_t)count, sizeof *parked_slots);
    parked_capacity = count;
    if (!parked_slots) {
        perror("calloc");
        exit(1);
    }
}

static long long parked_cpu_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) return -1;
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

// The calling thread is about to park in `kind`.
static void announce_parking(enum park_kind kind) {
    int index = __atomic_fetch_add(&parked_reserved, 1, __ATOMIC_RELAXED);
    // Threads started after "ready" (fixture-threads' late-N) are not waited for.
    if (index >= parked_capacity) return;
    struct parked_thread *slot = &parked_slots[index];
    slot->tid = (pid_t)syscall(SYS_gettid);
    slot->kind = kind;
    pthread_getcpuclockid(pthread_self(), &slot->cpu_clock);
    slot->cpu_ns_at_announce = parked_cpu_ns(slot->cpu_clock);
    __atomic_store_n(&slot->announced, 1, __ATOMIC_RELEASE);
}

static int parked_syscall_matches(enum park_kind kind, long number) {
    switch (kind) {
    case PARK_SLEEP: return number == SYS_clock_nanosleep || number == SYS_nanosleep;
    case PARK_FUTEX: return number == SYS_futex;
    case PARK_READ: return number == SYS_read;
    case PARK_PAUSE: return number == SYS_pause;
    case PARK_SPIN: return 0;
    }
    return 0;
}

// What /proc/self/task/TID/syscall says: the syscall number, -1 for
// "running", -2 when unreadable.
static long parked_current_syscall(pid_t tid) {
    char path[64], text[64] = {0};
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -2;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return -2;
    if (strncmp(text, "running", 7) == 0) return -1;
    return strtol(text, NULL, 10);
}

static int parked_now(struct parked_thread *slot) {
    long number = parked_current_syscall(slot->tid);
    if (slot->kind != PARK_SPIN) return parked_syscall_matches(slot->kind, number);
    return number == -1 && parked_cpu_ns(slot->cpu_clock) - slot->cpu_ns_at_announce >= SPIN_PROOF_NS;
}

// One look at every thread: 1 when `expected` threads have announced and
// each has been seen parked.
static int all_parked(int expected) {
    int parked = 0;
    for (int i = 0; i < expected && i < parked_capacity; i++) {
        struct parked_thread *slot = &parked_slots[i];
        if (!__atomic_load_n(&slot->announced, __ATOMIC_ACQUIRE)) continue;
        if (!slot->seen_parked) slot->seen_parked = parked_now(slot);
        parked += slot->seen_parked;
    }
    return parked == expected;
}

// Polls until all `expected` threads are parked; exits the fixture with a
// message naming the first straggler after `timeout_s` seconds.
static void wait_until_parked(int expected, int timeout_s) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!all_parked(expected)) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > timeout_s) {
            for (int i = 0; i < expected; i++) {
                struct parked_thread *slot = &parked_slots[i];
                if (slot->seen_parked) continue;
                fprintf(stderr, "parked_threads: thread #%d (tid %d, kind %d) not parked after %d s\n",
                        i, slot->announced ? (int)slot->tid : -1, (int)slot->kind, timeout_s);
                break;
            }
            exit(1);
        }
        struct timespec pause_between_looks = {0, 1000 * 1000};
        nanosleep(&pause_between_looks, NULL);
    }
}

#endif
