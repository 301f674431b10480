// fixture-points: the target of the hold-point tests (issue 15). It has no
// hold flag: threads call one function over and over, and a hold point is
// what parks them.
//
//   fixture-points [--callers N] [--others M] [--interval-ms MS]
//
// N threads named caller-1..N and M named other-1..M each call
// point_target(index) every MS ms (defaults 4, 1, 20) and print one line per
// call, written whole with one write(2):
//   call <tid> <count> <name>
// (count is that thread's calls so far, from 1). After every thread has
// started it prints "ready <pid>". On SIGUSR1 the main thread forks a child,
// prints "forked <child pid>", and the child (its main thread only, named
// child-caller) calls point_target in the same loop, printing its own call
// lines. With --exec-on-sigusr2 self, SIGUSR2 makes the main thread exec
// this program again with the same arguments (a new image, the same
// pid); with --exec-on-sigusr2 PATH, it execs "PATH 60" (meant for
// /bin/sleep: an image without point_target). It prints "exec <path>" first.
// SIGTERM ends the process (and its children: PR_SET_PDEATHSIG).
//
// The line inside point_target marked POINT-LINE is where FILE:LINE tests
// set their point (they find its number in this file).
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static int interval_ms = 20;
static volatile sig_atomic_t fork_requested;
static volatile sig_atomic_t exec_requested;
static const char *exec_path;
static volatile int sink;

static void say(const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, text, left);
        if (n <= 0) return;
        text += n;
        left -= (size_t)n;
    }
}

// What the points are set on: a real function with a prologue, not inlined.
NOINLINE int point_target(int index) {
    int value = index * 7;
    sink = value; // POINT-LINE
    return value + 1;
}

// Never called: the guardian tests patch its bytes, where no thread runs.
NOINLINE int never_called(int seed) {
    int value = seed;
    for (int i = 0; i < 3; i++) value = value * 31 + sink + i;
    sink = value;
    return value ^ 0x5a5a;
}

static void call_forever(const char *name) {
    char line[128];
    long count = 0;
    int index = (int)strlen(name);
    for (;;) {
        point_target(index);
        count++;
        snprintf(line, sizeof line, "call %ld %ld %s\n", (long)syscall(SYS_gettid), count, name);
        say(line);
        struct timespec t = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L};
        nanosleep(&t, NULL);
    }
}

static void *caller(void *argument) {
    char *name = argument;
    prctl(PR_SET_NAME, name);
    call_forever(name);
    return NULL;
}

static void on_usr1(int signal) {
    (void)signal;
    fork_requested = 1;
}

static void on_usr2(int signal) {
    (void)signal;
    exec_requested = 1;
}

static void start(const char *prefix, int index) {
    char *name = malloc(16);
    snprintf(name, 16, "%s-%d", prefix, index);
    pthread_t thread;
    if (pthread_create(&thread, NULL, caller, name) != 0) {
        perror("pthread_create");
        exit(1);
    }
}

int main(int argc, char **argv) {
    int callers = 4, others = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--callers")) callers = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--others")) others = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--interval-ms")) interval_ms = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--exec-on-sigusr2")) exec_path = argv[i + 1];
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    action.sa_handler = on_usr2;
    sigaction(SIGUSR2, &action, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The requests are blocked in every thread (the callers inherit the
    // mask) and taken only in main's sigsuspend: a request a caller thread
    // took, or one that came between the check and the wait, left main
    // asleep in pause() and the request unanswered.
    sigset_t requests, waiting;
    sigemptyset(&requests);
    sigaddset(&requests, SIGUSR1);
    sigaddset(&requests, SIGUSR2);
    sigprocmask(SIG_BLOCK, &requests, &waiting);
    sigdelset(&waiting, SIGUSR1);
    sigdelset(&waiting, SIGUSR2);

    for (int i = 1; i <= callers; i++) start("caller", i);
    for (int i = 1; i <= others; i++) start("other", i);
    char line[64];
    snprintf(line, sizeof line, "ready %d\n", (int)getpid());
    say(line);

    for (;;) {
        if (!exec_path) exec_requested = 0;
        if (!exec_requested && !fork_requested) sigsuspend(&waiting);
        if (exec_requested && exec_path) {
            snprintf(line, sizeof line, "exec %s\n", exec_path);
            say(line);
            sigprocmask(SIG_SETMASK, &waiting, NULL);
            if (!strcmp(exec_path, "self")) execv("/proc/self/exe", argv);
            else execl(exec_path, exec_path, "60", (char *)NULL);
            perror("exec");
            exit(1);
        }
        if (!fork_requested) continue;
        fork_requested = 0;
        pid_t child = fork();
        if (child == 0) {
            sigprocmask(SIG_SETMASK, &waiting, NULL);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            prctl(PR_SET_NAME, "child-caller");
            call_forever("child-caller");
        }
        snprintf(line, sizeof line, "forked %d\n", (int)child);
        say(line);
    }
}
