// fixture-client: the client half of the wait fixtures (see
// docs/WAIT-FIXTURES.md). Starts fixture-daemon (beside its own
// executable) as its child with a pipe between them, connects U1, U2, U3 to
// the daemon's unix listener and T1 to its loopback TCP listener, and blocks:
//   fixture-client (main)  read(U3), which the daemon holds and never writes
//   cycle-reader           read(U2), which the daemon's cycle-reader reads too
// It keeps the pipe's write end and its ends of U1 and T1 without touching them.
//
// Usage: fixture-client [--dir DIR]   (the daemon's socket is DIR/daemon.sock;
// DIR defaults to a fresh mkdtemp under /tmp)
//
// When every thread of both processes is where it should be (the daemon
// checks its own threads' calls and arguments; then a short-lived
// "ready-check" thread here checks both processes' threads by comm in
// /proc/PID/task/TID/syscall, and the daemon's child), it prints exactly one
// line and exits that thread:
//   ready client=<pid> daemon=<pid> socket=<path> port=<tcp port>
// After READY_TIMEOUT_S it exits 1 instead, naming the thread that is late.
// The daemon dies with the client (PR_SET_PDEATHSIG SIGKILL, set before exec
// and checked against the client's pid after setting).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "../Shared/task_syscall.h"

#define NOINLINE __attribute__((noinline))
#define READY_TIMEOUT_S 30

static double deadline;
static pid_t daemon_pid;
static int status_fd, pipe_write_end, u1, u2, u3, t1, tcp_port;
static char socket_path[PATH_MAX];
static pid_t cycle_reader_tid;

static void fail(const char *message) {
    fprintf(stderr, "fixture-client: %s\n", message);
    exit(1);
}

static void die(const char *what) {
    fprintf(stderr, "fixture-client: %s: %s\n", what, strerror(errno));
    exit(1);
}

// ---- Starting the daemon ---------------------------------------------------

static void daemon_path(char *path, size_t size) {
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) die("readlink /proc/self/exe");
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash) *slash = 0;
    snprintf(path, size, "%s/fixture-daemon", self);
}

// In the forked child: fd `from` becomes fd `to`, open across exec.
static void place(int from, int to) {
    if (from == to) {
        fcntl(to, F_SETFD, 0);
    } else if (dup2(from, to) != to) {
        _exit(126);
    }
}

static void start_daemon(void) {
    char path[PATH_MAX];
    daemon_path(path, sizeof path);
    int data[2], status[2];
    if (pipe2(data, O_CLOEXEC) != 0 || pipe2(status, O_CLOEXEC) != 0) die("pipe2");
    pid_t client = getpid();
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != client) _exit(1);
        // Out of the way of 3 and 4 first, so placing one cannot clobber the other.
        int read_end = fcntl(data[0], F_DUPFD_CLOEXEC, 10), status_end = fcntl(status[1], F_DUPFD_CLOEXEC, 10);
        if (read_end < 0 || status_end < 0) _exit(126);
        place(read_end, 3);
        place(status_end, 4);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            place(null, 0);
            place(null, 1);
        }
        // Everything else stays ours: close-on-exec, or closed now.
        for (int fd = 5; fd < 1024; fd++) close(fd);
        execl(path, "fixture-daemon", "--socket", socket_path, "--pipe-fd", "3", "--status-fd", "4", (char *)NULL);
        fprintf(stderr, "fixture-client: exec %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    daemon_pid = child;
    close(data[0]);
    close(status[1]);
    pipe_write_end = data[1];
    status_fd = status[0];
}

// One line from the daemon's status pipe, within the deadline.
static void read_status_line(char *line, size_t size) {
    size_t length = 0;
    for (;;) {
        int left_ms = (int)((deadline - task_monotonic_seconds()) * 1000);
        if (left_ms <= 0) fail("the daemon did not report in time");
        struct pollfd p = {.fd = status_fd, .events = POLLIN};
        int ready = poll(&p, 1, left_ms);
        if (ready < 0 && errno != EINTR) die("poll");
        if (ready <= 0) continue;
        char byte;
        ssize_t n = read(status_fd, &byte, 1);
        if (n == 0) fail("the daemon exited before it was ready (see its message above)");
        if (n < 0) die("read(daemon status)");
        if (byte == '\n') break;
        if (length + 1 < size) line[length++] = byte;
    }
    line[length] = 0;
}

// ---- Connecting ------------------------------------------------------------

// A connection that names itself with one byte, so the daemon knows which it is.
static int connect_named(const struct sockaddr *address, socklen_t length, int family, char name) {
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (connect(fd, address, length) != 0) die("connect");
    if (write(fd, &name, 1) != 1) die("write(connection name)");
    return fd;
}

static void connect_to_daemon(void) {
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path, sizeof un.sun_path, "%s", socket_path);
    u1 = connect_named((struct sockaddr *)&un, sizeof un, AF_UNIX, '1');
    u2 = connect_named((struct sockaddr *)&un, sizeof un, AF_UNIX, '2');
    u3 = connect_named((struct sockaddr *)&un, sizeof un, AF_UNIX, '3');
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((uint16_t)tcp_port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    t1 = connect_named((struct sockaddr *)&in, sizeof in, AF_INET, 'T');
}

// ---- The client's own threads ------------------------------------------------

NOINLINE void client_read_forever(int fd) {
    char byte;
    for (;;)
        if (read(fd, &byte, 1) <= 0) pause();
}

static void *cycle_reader(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "cycle-reader");
    __atomic_store_n(&cycle_reader_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
    client_read_forever(u2);
    return NULL;
}

// ---- Readiness -------------------------------------------------------------

struct expected_thread {
    const char *comm;
    long syscall_nr; // TASK_RUNNING_NR: spinning, its CPU ticks rising
};

static const struct expected_thread daemon_threads[] = {
    {"fixture-daemon", SYS_wait4}, {"pipe-reader", SYS_read},  {"unix-reader", SYS_read},
    {"tcp-reader", SYS_read},      {"acceptor", SYS_accept4},  {"lock-a", SYS_futex},
    {"lock-b", SYS_futex},         {"held-worker", TASK_RUNNING_NR}, {"mutex-waiter", SYS_futex},
    {"cycle-reader", SYS_read},    {"cond-waiter", SYS_futex}, {"epoll-waiter", SYS_epoll_wait},
};
#define DAEMON_THREADS (sizeof daemon_threads / sizeof daemon_threads[0])

// A thread's tid in `pid` by comm (/proc/PID/task/*/comm); 0 when there is none.
static pid_t tid_named(pid_t pid, const char *comm) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *tasks = opendir(path);
    if (!tasks) return 0;
    pid_t found = 0;
    struct dirent *entry;
    while (!found && (entry = readdir(tasks))) {
        pid_t tid = (pid_t)atoi(entry->d_name);
        char name[32];
        if (tid <= 0) continue;
        task_comm(pid, tid, name, sizeof name);
        if (strcmp(name, comm) == 0) found = tid;
    }
    closedir(tasks);
    return found;
}

static const char *late;

static int thread_in_place(pid_t pid, pid_t tid, long nr, unsigned long arg0_wanted, int check_arg0,
                           long long *ticks_seen) {
    if (tid == 0) return 0;
    unsigned long arg0 = 0;
    long now = task_syscall(pid, tid, &arg0);
    if (nr == TASK_RUNNING_NR) {
        long long ticks = task_cpu_ticks(pid, tid);
        if (now != TASK_RUNNING_NR || ticks < 0) return 0;
        if (*ticks_seen < 0) *ticks_seen = ticks;
        return ticks > *ticks_seen; // it used CPU since the first look: spinning
    }
    return now == nr && (!check_arg0 || arg0 == arg0_wanted);
}

static int everyone_in_place(pid_t *daemon_tids, long long *ticks_seen, pid_t main_tid) {
    for (size_t i = 0; i < DAEMON_THREADS; i++) {
        const struct expected_thread *want = &daemon_threads[i];
        // The main thread shares its comm with the process: it is the leader.
        if (!daemon_tids[i]) daemon_tids[i] = i == 0 ? daemon_pid : tid_named(daemon_pid, want->comm);
        if (!thread_in_place(daemon_pid, daemon_tids[i], want->syscall_nr, 0, 0, &ticks_seen[i])) {
            late = want->comm;
            return 0;
        }
    }
    // The daemon's main waits for its child (wait4's first argument), which sits in pause().
    unsigned long child = 0;
    if (task_syscall(daemon_pid, daemon_pid, &child) != SYS_wait4 ||
        task_syscall((pid_t)child, (pid_t)child, NULL) != SYS_pause) {
        late = "the daemon's child";
        return 0;
    }
    if (!thread_in_place(getpid(), main_tid, SYS_read, (unsigned long)u3, 1, NULL)) {
        late = "fixture-client (main)";
        return 0;
    }
    pid_t reader = __atomic_load_n(&cycle_reader_tid, __ATOMIC_ACQUIRE);
    if (!thread_in_place(getpid(), reader, SYS_read, (unsigned long)u2, 1, NULL)) {
        late = "cycle-reader";
        return 0;
    }
    return 1;
}

static void *ready_check(void *arg) {
    pid_t main_tid = (pid_t)(long)arg;
    pthread_setname_np(pthread_self(), "ready-check");
    char line[64];
    read_status_line(line, sizeof line);
    if (strcmp(line, "ready") != 0) fail("the daemon said something else than ready");
    close(status_fd);
    pid_t daemon_tids[DAEMON_THREADS] = {0};
    long long ticks_seen[DAEMON_THREADS];
    for (size_t i = 0; i < DAEMON_THREADS; i++) ticks_seen[i] = -1;
    while (!everyone_in_place(daemon_tids, ticks_seen, main_tid)) {
        if (task_monotonic_seconds() > deadline) {
            fprintf(stderr, "fixture-client: %s not in place after %d s\n", late, READY_TIMEOUT_S);
            exit(1);
        }
        task_pause_between_looks();
    }
    printf("ready client=%d daemon=%d socket=%s port=%d\n", (int)getpid(), (int)daemon_pid, socket_path, tcp_port);
    fflush(stdout);
    return NULL; // and the thread is gone: only the contract's threads remain
}

int main(int argc, char **argv) {
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) dir = argv[++i];
        else {
            fprintf(stderr, "usage: fixture-client [--dir DIR]\n");
            return 2;
        }
    }
    // Hold only what the contract lists: nothing inherited beyond stdin, stdout, stderr.
    for (int fd = 3; fd < 1024; fd++) close(fd);
    static char made[] = "/tmp/fixture-client-XXXXXX";
    if (!dir && !(dir = mkdtemp(made))) die("mkdtemp");
    snprintf(socket_path, sizeof socket_path, "%s/daemon.sock", dir);
    deadline = task_monotonic_seconds() + READY_TIMEOUT_S;

    start_daemon();
    char line[64];
    read_status_line(line, sizeof line);
    if (sscanf(line, "listening %d", &tcp_port) != 1) fail("the daemon did not say which port it listens on");
    connect_to_daemon();

    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    if (pthread_create(&thread, &attr, cycle_reader, NULL) != 0) fail("pthread_create(cycle-reader)");
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, ready_check, (void *)(long)syscall(SYS_gettid)) != 0)
        fail("pthread_create(ready-check)");
    client_read_forever(u3);
}
