// fixture-lines: threads parked at known source lines, through inlined and
// out-of-line calls, for comparing source lines and inline frames with gdb,
// and for grouping threads with identical stacks.
//
// Usage: fixture-lines [--parked N]
//
// Threads:
//   - "inline-sleep", "inline-read": park through two always_inline levels
//     from lines_inline.h (wait_for_work -> wait_one_round), in nanosleep
//     and in read on a pipe;
//   - "deep": five noinline levels of recursion, then pthread_cond_wait;
//   - "spinner": spins on `lines_hold` in an inlined loop (SCHED_IDLE);
//   - "parked-K" x N (default 40): all parked in one place, one stack;
//   - main: polls getppid() every 50 ms and exits when the parent is gone.
// Prints "ready" once every thread is parked: in its blocking call, or
// spinning in its loop (../Shared/parked_threads.h).
#define _GNU_SOURCE
#include "lines_inline.h"
#include "../Shared/parked_threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int lines_hold = 1;

static int pipe_fds[2];
static pthread_mutex_t never_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_cond = PTHREAD_COND_INITIALIZER;

enum { HOW_SLEEP, HOW_READ, HOW_CONDWAIT };

NOINLINE void lines_block_forever(int how) {
    announce_parking(how == HOW_READ ? PARK_READ : how == HOW_CONDWAIT ? PARK_FUTEX : PARK_SLEEP);
    char byte;
    for (;;) {
        if (how == HOW_READ) {
            if (read(pipe_fds[0], &byte, 1) <= 0) sleep(1);
        } else if (how == HOW_CONDWAIT) {
            pthread_mutex_lock(&never_mutex);
            pthread_cond_wait(&never_cond, &never_mutex);
            pthread_mutex_unlock(&never_mutex);
        } else {
            struct timespec t = {3600, 0};
            nanosleep(&t, NULL);
        }
    }
}

NOINLINE void recurse(int depth) {
    if (depth > 0)
        recurse(depth - 1);
    else
        lines_block_forever(HOW_CONDWAIT);
    __asm__ volatile("");
}

NOINLINE void spin_main_loop(void) {
    announce_parking(PARK_SPIN);
    spin_while_held();
    for (;;) pause();
}

NOINLINE void park_the_same_way(void) {
    wait_for_work(HOW_SLEEP);
    __asm__ volatile("");
}

static void *inline_sleep_main(void *arg) {
    (void)arg;
    wait_for_work(HOW_SLEEP);
    return NULL;
}

static void *inline_read_main(void *arg) {
    (void)arg;
    wait_for_work(HOW_READ);
    return NULL;
}

static void *deep_main(void *arg) {
    (void)arg;
    recurse(5);
    return NULL;
}

static void *spinner_main(void *arg) {
    (void)arg;
    struct sched_param none = {0};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
    spin_main_loop();
    return NULL;
}

static void *parked_main(void *arg) {
    (void)arg;
    park_the_same_way();
    return NULL;
}

static void start(void *(*body)(void *), const char *name) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, body, NULL) != 0) {
        perror("pthread_create");
        exit(1);
    }
    pthread_setname_np(thread, name);
}

int main(int argc, char **argv) {
    int parked_count = 40;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--parked") == 0) parked_count = atoi(argv[i + 1]);
    if (pipe(pipe_fds) != 0) {
        perror("pipe");
        return 1;
    }
    pid_t parent = getppid();
    expect_parked_threads(4 + parked_count);
    start(inline_sleep_main, "inline-sleep");
    start(inline_read_main, "inline-read");
    start(deep_main, "deep");
    start(spinner_main, "spinner");
    for (int i = 0; i < parked_count; i++) {
        char name[16];
        snprintf(name, sizeof name, "parked-%d", i + 1);
        start(parked_main, name);
    }
    wait_until_parked(4 + parked_count, 30);
    printf("ready\n");
    fflush(stdout);
    while (getppid() == parent) usleep(50 * 1000);
    return 0;
}
