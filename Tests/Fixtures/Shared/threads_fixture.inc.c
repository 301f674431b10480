// A multi-threaded program with known thread names and function names, for
// tests that attach to it. Each thread parks in a different way: spinning on a
// hold flag, in nanosleep, in pthread_cond_wait, in read on a pipe, or deep in
// a chain of worker calls. It prints "ready" once every thread is parked: in
// its blocking call, or spinning in its loop (parked_threads.h).
//
// Usage: NAME [--spinners N] [--static-spinners N] [--workers N] [--in-handler 1]
// --fork-on-sigusr2 1: on SIGUSR2 the main thread forks a child that prints
// "child PID running" and parks; a second thread "late-N" is also started.
// --in-handler adds "in-handler", a thread parked inside a signal handler, so
// unwinding must cross the kernel's signal frame (__restore_rt).
// Defaults give 12 threads: main, spinner-1, sleeper, condwait, reader and
// 7 workers. The process exits when its parent does.
#define _GNU_SOURCE
#include <signal.h>
#include <stdatomic.h>
#include "parked_threads.h" // and pthread, stdio, stdlib, string, time, unistd

#define NOINLINE __attribute__((noinline))

// The flag users put in their code: file scope, spun on by "spinner-N".
volatile int hold = 1;

// Threads that reached their parking function: a user flag in HoldsTests.
static atomic_int parked_threads;
static int pipe_fds[2];
static pthread_mutex_t never_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_cond = PTHREAD_COND_INITIALIZER;

static void name_self(const char *name) { pthread_setname_np(pthread_self(), name); }
static void mark_parked(enum park_kind kind) {
    atomic_fetch_add(&parked_threads, 1);
    announce_parking(kind);
}

NOINLINE void spin_on_hold(void) {
    mark_parked(PARK_SPIN);
    while (hold)
        ;
    // Released: park quietly instead of burning a core.
    for (;;) sleep(1);
}

NOINLINE void spin_on_static_hold(void) {
    static volatile int hold = 1;
    mark_parked(PARK_SPIN);
    while (hold)
        ;
    for (;;) sleep(1);
}

NOINLINE void sleep_in_nanosleep(void) {
    mark_parked(PARK_SLEEP);
    for (;;) {
        struct timespec t = {1, 0};
        nanosleep(&t, NULL);
    }
}

NOINLINE void wait_on_condvar(void) {
    mark_parked(PARK_FUTEX);
    pthread_mutex_lock(&never_mutex);
    for (;;) pthread_cond_wait(&never_cond, &never_mutex);
}

NOINLINE void block_in_read(void) {
    mark_parked(PARK_READ);
    char byte;
    for (;;) {
        if (read(pipe_fds[0], &byte, 1) <= 0) sleep(1);
    }
}

NOINLINE void worker_inner(int depth) {
    mark_parked(PARK_SLEEP);
    for (;;) {
        struct timespec t = {0, 500 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    __asm__ volatile("" ::"r"(depth)); // keep the frame from being a tail call
}

NOINLINE void worker_middle(int depth) {
    worker_inner(depth + 1);
    __asm__ volatile("");
}

NOINLINE void worker_outer(int depth) {
    worker_middle(depth + 1);
    __asm__ volatile("");
}

NOINLINE void sleep_in_signal_handler(int signal) {
    (void)signal;
    mark_parked(PARK_SLEEP);
    for (;;) {
        struct timespec t = {1, 0};
        nanosleep(&t, NULL);
    }
}

NOINLINE void interrupted_by_signal(void) {
    // The handler runs on this thread's stack, on top of this frame.
    pthread_kill(pthread_self(), SIGUSR1);
    __asm__ volatile("");
}

struct start { const char *name; void (*body)(void); int index; };

static void *thread_main(void *arg) {
    struct start *start = arg;
    char name[16];
    if (start->index > 0) snprintf(name, sizeof name, "%s-%d", start->name, start->index);
    else snprintf(name, sizeof name, "%s", start->name);
    name_self(name);
    if (start->body) start->body();
    else worker_outer(0);
    return NULL;
}

static void start_thread(const char *name, void (*body)(void), int index) {
    struct start *start = malloc(sizeof *start);
    start->name = name;
    start->body = body;
    start->index = index;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&thread, &attr, thread_main, start) != 0) {
        perror("pthread_create");
        exit(1);
    }
    pthread_attr_destroy(&attr);
}

static volatile sig_atomic_t fork_requested;
static void request_fork(int signal) { (void)signal; fork_requested = 1; }

// `parent` is read before the fork: a child held at birth may first run
// after its parent has gone, and must still see that and exit.
NOINLINE void run_forked_child(pid_t parent) {
    printf("child %d running\n", getpid());
    fflush(stdout);
    while (getppid() == parent) {
        struct timespec t = {0, 50 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    _exit(0);
}

NOINLINE void park_main_thread(pid_t parent) {
    static int late_threads;
    // Exit with our parent so no fixture outlives the test run.
    while (getppid() == parent) {
        struct timespec t = {0, 20 * 1000 * 1000};
        nanosleep(&t, NULL);
        if (fork_requested) {
            fork_requested = 0;
            pid_t self = getpid();
            if (fork() == 0) run_forked_child(self);
            start_thread("late", sleep_in_nanosleep, ++late_threads);
        }
    }
    exit(0);
}

static int option(int argc, char **argv, const char *name, int fallback) {
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) return atoi(argv[i + 1]);
    return fallback;
}

int main(int argc, char **argv) {
    pid_t parent = getppid();
    if (pipe(pipe_fds) != 0) return 1;
    int spinners = option(argc, argv, "--spinners", 1);
    int static_spinners = option(argc, argv, "--static-spinners", 0);
    int workers = option(argc, argv, "--workers", 7);
    int in_handler = option(argc, argv, "--in-handler", 0);
    if (option(argc, argv, "--fork-on-sigusr2", 0)) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = request_fork;
        sigaction(SIGUSR2, &action, NULL);
    }
    if (in_handler) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = sleep_in_signal_handler;
        sigaction(SIGUSR1, &action, NULL);
    }
    expect_parked_threads(spinners + static_spinners + 3 + workers + (in_handler ? 1 : 0));
    int expected = 0;
    for (int i = 1; i <= spinners; i++, expected++) start_thread("spinner", spin_on_hold, i);
    for (int i = 1; i <= static_spinners; i++, expected++) start_thread("static-spin", spin_on_static_hold, i);
    start_thread("sleeper", sleep_in_nanosleep, 0), expected++;
    start_thread("condwait", wait_on_condvar, 0), expected++;
    start_thread("reader", block_in_read, 0), expected++;
    for (int i = 1; i <= workers; i++, expected++) start_thread("worker", NULL, i);
    if (in_handler) start_thread("in-handler", interrupted_by_signal, 0), expected++;
    wait_until_parked(expected, 30);
    printf("ready\n");
    fflush(stdout);
    park_main_thread(parent);
    return 0;
}
