// Thread churn: threads are created and exit all the time (thousands a
// second), so an attach always races with clone and exit. One long-lived
// thread ("steady") is always there. Prints "ready" once churn is under way
// (a thousand threads created) and steady is in its sleep
// (../Shared/parked_threads.h).
// Usage: fixture-churn [--alive N]   (at most N churn threads at once, default 32)
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../Shared/parked_threads.h"

static atomic_int alive;
static atomic_long created;

static void *churn_body(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "churn");
    volatile unsigned sum = 0;
    for (unsigned i = 0; i < 2000; i++) sum += i;
    atomic_fetch_sub(&alive, 1);
    return NULL;
}

static void *steady_body(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "steady");
    announce_parking(PARK_SLEEP);
    for (;;) sleep(1);
    return NULL;
}

int main(int argc, char **argv) {
    int max_alive = 32;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--alive") == 0) max_alive = atoi(argv[i + 1]);
    pid_t parent = getppid();
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    pthread_t thread;
    expect_parked_threads(1);
    pthread_create(&thread, &attr, steady_body, NULL);
    int announced = 0;
    for (;;) {
        if (atomic_load(&alive) < max_alive) {
            atomic_fetch_add(&alive, 1);
            if (pthread_create(&thread, &attr, churn_body, NULL) != 0) {
                atomic_fetch_sub(&alive, 1);
                usleep(100);
            } else if (atomic_fetch_add(&created, 1) >= 1000 && !announced && all_parked(1)) {
                announced = 1;
                printf("ready\n");
                fflush(stdout);
            }
        } else {
            usleep(50);
        }
        // Exit with our parent so no fixture outlives the test run.
        if (getppid() != parent) exit(0);
    }
}
