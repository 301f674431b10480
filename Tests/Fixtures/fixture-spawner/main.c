// fixture-spawner: the daemon of the births, execs and deaths tests
// (issue 16): it forks and execs on request, and can crash.
//
//   fixture-spawner [--exec PATH ARG...]   the daemon
//   fixture-spawner --target [--crash]     what a child execs: prints
//                                          "main ran <pid>" first thing, then waits
//                                          (or, with --crash, writes through a
//                                          null pointer)
//
// The daemon prints "ready <pid>". On SIGUSR1 the main thread forks; the
// child prints "child <pid> ran" and then execs PATH ARG... (with --exec),
// or waits. The daemon prints "forked <child pid>". On SIGUSR2 a thread
// named crasher writes through a null pointer (SIGSEGV, no handler). The
// daemon reaps its children and prints "reaped <pid> signal <n>" or
// "reaped <pid> status <n>": what its wait saw.
// Every line is written whole with one write(2). Children die with the
// daemon (PR_SET_PDEATHSIG); the daemon itself outlives its parent (under
// `lwpscope run` that is lwpscope, which may die first); SIGTERM ends it.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t fork_requested, crash_requested, child_ended;

static void say(const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, text, left);
        if (n <= 0) return;
        text += n;
        left -= (size_t)n;
    }
}

static void on_usr1(int signal) { (void)signal; fork_requested = 1; }
static void on_usr2(int signal) { (void)signal; crash_requested = 1; }
static void on_chld(int signal) { (void)signal; child_ended = 1; }

static void reap_children(void) {
    char line[128];
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (WIFSIGNALED(status)) snprintf(line, sizeof line, "reaped %d signal %d\n", (int)pid, WTERMSIG(status));
        else snprintf(line, sizeof line, "reaped %d status %d\n", (int)pid, WEXITSTATUS(status));
        say(line);
    }
}

static void *crasher(void *argument) {
    (void)argument;
    prctl(PR_SET_NAME, "crasher");
    volatile int *nowhere = NULL;
    *nowhere = 42;
    return NULL;
}

int main(int argc, char **argv) {
    char line[128];
    // SwiftPM links libswiftCore into C targets, and on a terminal its
    // crash reporter takes SIGSEGV: give the fatal signals back their
    // default action, as a plain C daemon has them.
    int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], SIG_DFL);
    if (argc >= 2 && !strcmp(argv[1], "--target")) {
        snprintf(line, sizeof line, "main ran %d\n", (int)getpid());
        say(line);
        if (argc >= 3 && !strcmp(argv[2], "--crash")) {
            volatile int *nowhere = NULL;
            *nowhere = 42;
        }
        for (;;) pause();
    }
    char **exec_argv = NULL;
    if (argc >= 3 && !strcmp(argv[1], "--exec")) exec_argv = argv + 2;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    action.sa_handler = on_usr2;
    sigaction(SIGUSR2, &action, NULL);
    action.sa_handler = on_chld;
    sigaction(SIGCHLD, &action, NULL);
    // The requests are blocked except inside sigsuspend: one that comes
    // before the wait (right after "ready") is not lost.
    sigset_t requests, waiting;
    sigemptyset(&requests);
    sigaddset(&requests, SIGUSR1);
    sigaddset(&requests, SIGUSR2);
    sigaddset(&requests, SIGCHLD);
    sigprocmask(SIG_BLOCK, &requests, &waiting);
    sigdelset(&waiting, SIGUSR1);
    sigdelset(&waiting, SIGUSR2);
    sigdelset(&waiting, SIGCHLD);
    snprintf(line, sizeof line, "ready %d\n", (int)getpid());
    say(line);
    for (;;) {
        while (!fork_requested && !crash_requested && !child_ended) sigsuspend(&waiting);
        if (child_ended) {
            child_ended = 0;
            reap_children();
        }
        if (crash_requested) {
            crash_requested = 0;
            pthread_t thread;
            pthread_create(&thread, NULL, crasher, NULL);
        }
        if (!fork_requested) continue;
        fork_requested = 0;
        pid_t child = fork();
        if (child == 0) {
            sigprocmask(SIG_SETMASK, &waiting, NULL);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            snprintf(line, sizeof line, "child %d ran\n", (int)getpid());
            say(line);
            if (exec_argv) {
                execv(exec_argv[0], exec_argv);
                perror("execv");
                _exit(127);
            }
            for (;;) pause();
        }
        snprintf(line, sizeof line, "forked %d\n", (int)child);
        say(line);
    }
}
