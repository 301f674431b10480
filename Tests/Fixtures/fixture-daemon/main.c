// fixture-daemon: the daemon half of the wait fixtures, blocked in every way
// a wait can be followed (see docs/WAIT-FIXTURES.md; fixture-client
// starts it and is the other end of everything).
//
// Usage (from fixture-client only):
//   fixture-daemon --socket PATH --pipe-fd N --status-fd M
// fd N is the read end of a pipe whose write end the client keeps; fd M is a
// pipe to the client, on which the daemon writes "listening PORT" once its
// unix listener (PATH) and loopback TCP listener (PORT) listen, and "ready"
// once each of its threads is blocked where it should be, checked in
// /proc/self/task/TID/syscall (call and first argument), never guessed.
//
// The client connects U1, U2, U3 to PATH and T1 to PORT, and sends one byte
// on each naming it ('1', '2', '3', 'T'), so accept order does not matter.
//
// Threads (comm) and where each blocks:
//   fixture-daemon  waitpid(child): a fork of the daemon blocked in pause()
//   pipe-reader     read(pipe)         unix-reader   read(U1)
//   tcp-reader      read(T1)           acceptor      accept4(unix listener)
//   lock-a, lock-b  each holds one of two mutexes, locks the other
//   held-worker     holds M3, spins on a function-static `hold`
//   mutex-waiter    locks M3           cycle-reader  read(U2)
//   cond-waiter     pthread_cond_wait  epoll-waiter  epoll_wait(eventfd, timerfd)
// U3 is held and never read. The daemon and its child die with their parent
// (PR_SET_PDEATHSIG SIGKILL, checked against the parent after setting).
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Shared/task_syscall.h"

#define NOINLINE __attribute__((noinline))
#define PARK_TIMEOUT_S 20
// CPU time the held worker must have spent spinning before it counts as
// spinning: only the loop can have used it since it announced.
#define SPIN_PROOF_NS (200 * 1000LL)

static void die(const char *what) {
    fprintf(stderr, "fixture-daemon: %s: %s\n", what, strerror(errno));
    exit(1);
}

// ---- Where each thread parks, for the ready check --------------------------

enum { T_PIPE, T_UNIX, T_TCP, T_ACCEPT, T_LOCK_A, T_LOCK_B, T_HELD, T_MUTEX_WAITER, T_CYCLE, T_COND, T_EPOLL, T_COUNT };

struct park {
    const char *name;
    long syscall_nr;           // TASK_RUNNING_NR for the spinner
    unsigned long arg_low;     // the first argument lies in [arg_low, arg_high]
    unsigned long arg_high;
    pid_t tid;                 // set by the thread, with `announced`
    long long cpu_ns_at_announce;
    clockid_t cpu_clock;
    int announced;
};

static struct park parks[T_COUNT];

static void expect(int slot, const char *name, long nr, const void *low, size_t size) {
    parks[slot].name = name;
    parks[slot].syscall_nr = nr;
    parks[slot].arg_low = (unsigned long)low;
    parks[slot].arg_high = (unsigned long)low + (size ? size - 1 : 0);
}

static void expect_fd(int slot, const char *name, long nr, int fd) {
    expect(slot, name, nr, (const void *)(unsigned long)fd, 1);
}

static long long cpu_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) return -1;
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

// The calling thread takes its name and is about to park in slot's call.
static void announce(int slot) {
    struct park *park = &parks[slot];
    pthread_setname_np(pthread_self(), park->name);
    park->tid = (pid_t)syscall(SYS_gettid);
    pthread_getcpuclockid(pthread_self(), &park->cpu_clock);
    park->cpu_ns_at_announce = cpu_ns(park->cpu_clock);
    __atomic_store_n(&park->announced, 1, __ATOMIC_RELEASE);
}

static int parked(struct park *park) {
    if (!__atomic_load_n(&park->announced, __ATOMIC_ACQUIRE)) return 0;
    unsigned long arg0 = 0;
    long nr = task_syscall(getpid(), park->tid, &arg0);
    if (park->syscall_nr == TASK_RUNNING_NR)
        return nr == TASK_RUNNING_NR && cpu_ns(park->cpu_clock) - park->cpu_ns_at_announce >= SPIN_PROOF_NS;
    return nr == park->syscall_nr && arg0 >= park->arg_low && arg0 <= park->arg_high;
}

static void wait_until_parked(void) {
    double deadline = task_monotonic_seconds() + PARK_TIMEOUT_S;
    int seen[T_COUNT] = {0};
    for (;;) {
        int done = 0;
        for (int i = 0; i < T_COUNT; i++) done += seen[i] || (seen[i] = parked(&parks[i]));
        if (done == T_COUNT) return;
        if (task_monotonic_seconds() > deadline) {
            for (int i = 0; i < T_COUNT; i++)
                if (!seen[i])
                    fprintf(stderr, "fixture-daemon: thread %s (tid %d) not parked after %d s\n", parks[i].name,
                            parks[i].announced ? (int)parks[i].tid : -1, PARK_TIMEOUT_S);
            exit(1);
        }
        task_pause_between_looks();
    }
}

// ---- The threads -----------------------------------------------------------

static int pipe_fd, u1, u2, u3, t1, unix_listener, tcp_listener, epoll_fd, event_fd, timer_fd;
static pthread_mutex_t mutex_a = PTHREAD_MUTEX_INITIALIZER, mutex_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mutex_m3 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t never_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_cond = PTHREAD_COND_INITIALIZER;
// lock-a and lock-b each take their first mutex before either takes its
// second; held-worker takes M3 before mutex-waiter asks for it.
static pthread_barrier_t both_locked_first, m3_locked;

NOINLINE void daemon_read_forever(int slot, int fd) {
    announce(slot);
    char byte;
    for (;;)
        if (read(fd, &byte, 1) <= 0) pause();
}

static void *pipe_reader(void *arg) { (void)arg; daemon_read_forever(T_PIPE, pipe_fd); return NULL; }
static void *unix_reader(void *arg) { (void)arg; daemon_read_forever(T_UNIX, u1); return NULL; }
static void *tcp_reader(void *arg) { (void)arg; daemon_read_forever(T_TCP, t1); return NULL; }
static void *cycle_reader(void *arg) { (void)arg; daemon_read_forever(T_CYCLE, u2); return NULL; }

NOINLINE void daemon_accept_forever(void) {
    announce(T_ACCEPT);
    for (;;) {
        int fd = accept4(unix_listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) close(fd); // a stranger: turn it away, stay where we were
    }
}

static void *acceptor(void *arg) { (void)arg; daemon_accept_forever(); return NULL; }

NOINLINE void daemon_lock_both(int slot, pthread_mutex_t *first, pthread_mutex_t *second) {
    pthread_mutex_lock(first);
    pthread_barrier_wait(&both_locked_first);
    announce(slot);
    pthread_mutex_lock(second); // never returns: the other thread holds it and waits for ours
}

static void *lock_a(void *arg) { (void)arg; daemon_lock_both(T_LOCK_A, &mutex_a, &mutex_b); return NULL; }
static void *lock_b(void *arg) { (void)arg; daemon_lock_both(T_LOCK_B, &mutex_b, &mutex_a); return NULL; }

// The hold flag, as users write it: function-static, spun on at normal priority.
NOINLINE void daemon_held_worker_spin(void) {
    static volatile int hold = 1;
    while (hold)
        ;
}

static void *held_worker(void *arg) {
    (void)arg;
    pthread_mutex_lock(&mutex_m3);
    pthread_barrier_wait(&m3_locked);
    announce(T_HELD);
    daemon_held_worker_spin();
    for (;;) pause(); // released: keep M3, so mutex-waiter stays where it is
    return NULL;
}

static void *mutex_waiter(void *arg) {
    (void)arg;
    pthread_barrier_wait(&m3_locked);
    announce(T_MUTEX_WAITER);
    pthread_mutex_lock(&mutex_m3);
    return NULL;
}

NOINLINE void daemon_wait_for_a_signal_nobody_sends(void) {
    pthread_mutex_lock(&never_mutex);
    announce(T_COND);
    for (;;) pthread_cond_wait(&never_cond, &never_mutex);
}

static void *cond_waiter(void *arg) { (void)arg; daemon_wait_for_a_signal_nobody_sends(); return NULL; }

NOINLINE void daemon_epoll_forever(void) {
    announce(T_EPOLL);
    struct epoll_event events[4];
    for (;;) epoll_wait(epoll_fd, events, 4, -1);
}

static void *epoll_waiter(void *arg) { (void)arg; daemon_epoll_forever(); return NULL; }

// ---- Setup -----------------------------------------------------------------

static void listen_on(const char *socket_path, int status_fd) {
    unix_listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (unix_listener < 0) die("socket(AF_UNIX)");
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof un.sun_path) {
        fprintf(stderr, "fixture-daemon: socket path too long: %s\n", socket_path);
        exit(1);
    }
    strcpy(un.sun_path, socket_path);
    unlink(socket_path);
    if (bind(unix_listener, (struct sockaddr *)&un, sizeof un) != 0) die(socket_path);
    if (listen(unix_listener, 8) != 0) die("listen(unix)");

    tcp_listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (tcp_listener < 0) die("socket(AF_INET)");
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(tcp_listener, (struct sockaddr *)&in, sizeof in) != 0) die("bind(127.0.0.1:0)");
    if (listen(tcp_listener, 8) != 0) die("listen(tcp)");
    socklen_t length = sizeof in;
    if (getsockname(tcp_listener, (struct sockaddr *)&in, &length) != 0) die("getsockname");
    dprintf(status_fd, "listening %d\n", ntohs(in.sin_port));
}

// Accepts one connection and reads the byte that names it.
static int accept_named(int listener, char *name) {
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) die("accept4");
    if (read(fd, name, 1) != 1) {
        fprintf(stderr, "fixture-daemon: a connection closed before naming itself\n");
        exit(1);
    }
    return fd;
}

static void accept_the_clients_connections(void) {
    u1 = u2 = u3 = -1;
    for (int i = 0; i < 3; i++) {
        char name;
        int fd = accept_named(unix_listener, &name);
        if (name == '1') u1 = fd;
        else if (name == '2') u2 = fd;
        else if (name == '3') u3 = fd;
    }
    char name;
    t1 = accept_named(tcp_listener, &name);
    if (u1 < 0 || u2 < 0 || u3 < 0 || name != 'T') {
        fprintf(stderr, "fixture-daemon: the client's connections were not U1, U2, U3 and T1\n");
        exit(1);
    }
}

static void make_epoll(void) {
    event_fd = eventfd(0, EFD_CLOEXEC);
    timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); // never armed
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (event_fd < 0 || timer_fd < 0 || epoll_fd < 0) die("eventfd/timerfd/epoll");
    struct epoll_event watch = {.events = EPOLLIN};
    watch.data.fd = event_fd;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, event_fd, &watch) != 0) die("epoll_ctl(eventfd)");
    watch.data.fd = timer_fd;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &watch) != 0) die("epoll_ctl(timerfd)");
}

static void start(void *(*body)(void *)) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    int err = pthread_create(&thread, &attr, body, NULL);
    if (err) {
        fprintf(stderr, "fixture-daemon: pthread_create: %s\n", strerror(err));
        exit(1);
    }
    pthread_attr_destroy(&attr);
}

// A copy of the daemon that holds nothing and waits, for main's waitpid.
static pid_t fork_idle_child(void) {
    pid_t daemon = getpid();
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child > 0) return child;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != daemon) _exit(0);
    // Hold none of the daemon's descriptors: a peer is who holds the other end.
    for (int fd = 3; fd < 1024; fd++) close(fd);
    for (;;) pause();
}

int main(int argc, char **argv) {
    const char *socket_path = NULL;
    int given_pipe_fd = -1, status_fd = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--socket") == 0) socket_path = argv[i + 1];
        else if (strcmp(argv[i], "--pipe-fd") == 0) given_pipe_fd = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--status-fd") == 0) status_fd = atoi(argv[i + 1]);
    }
    if (!socket_path || given_pipe_fd < 0 || status_fd < 0) {
        fprintf(stderr, "usage: fixture-daemon --socket PATH --pipe-fd N --status-fd M (fixture-client starts it)\n");
        return 2;
    }
    pipe_fd = given_pipe_fd;
    // The client set PR_SET_PDEATHSIG before exec; fork_idle_child sets its own.
    pid_t child = fork_idle_child();

    listen_on(socket_path, status_fd);
    accept_the_clients_connections();
    make_epoll();
    pthread_barrier_init(&both_locked_first, NULL, 2);
    pthread_barrier_init(&m3_locked, NULL, 2);

    expect_fd(T_PIPE, "pipe-reader", SYS_read, pipe_fd);
    expect_fd(T_UNIX, "unix-reader", SYS_read, u1);
    expect_fd(T_TCP, "tcp-reader", SYS_read, t1);
    expect_fd(T_ACCEPT, "acceptor", SYS_accept4, unix_listener);
    expect(T_LOCK_A, "lock-a", SYS_futex, &mutex_b, sizeof mutex_b);
    expect(T_LOCK_B, "lock-b", SYS_futex, &mutex_a, sizeof mutex_a);
    expect(T_HELD, "held-worker", TASK_RUNNING_NR, NULL, 0);
    expect(T_MUTEX_WAITER, "mutex-waiter", SYS_futex, &mutex_m3, sizeof mutex_m3);
    expect_fd(T_CYCLE, "cycle-reader", SYS_read, u2);
    expect(T_COND, "cond-waiter", SYS_futex, &never_cond, sizeof never_cond);
    expect_fd(T_EPOLL, "epoll-waiter", SYS_epoll_wait, epoll_fd);

    void *(*bodies[T_COUNT])(void *) = {pipe_reader, unix_reader, tcp_reader, acceptor, lock_a, lock_b,
                                         held_worker, mutex_waiter, cycle_reader, cond_waiter, epoll_waiter};
    for (int i = 0; i < T_COUNT; i++) start(bodies[i]);
    wait_until_parked();

    dprintf(status_fd, "ready\n");
    close(status_fd);
    int status;
    for (;;)
        if (waitpid(child, &status, 0) == child) pause(); // the child was killed: stay, as our parent expects
}
