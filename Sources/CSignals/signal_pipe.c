#define _GNU_SOURCE
#include "CSignals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static int signal_pipe_read_end = -1;
static int signal_pipe_write_end = -1;

static void forward_signal(int signal) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal;
    // A full pipe means a shutdown is already under way: dropping is fine.
    (void)!write(signal_pipe_write_end, &byte, 1);
    errno = saved;
}

static int install_locked(const int *signals, int count) {
    if (signal_pipe_read_end >= 0) return signal_pipe_read_end;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -errno;
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    // Published before any handler can run.
    signal_pipe_write_end = fds[1];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) {
            int error = errno;
            lwp_signal_restore_default(signals, i);
            signal_pipe_write_end = -1;
            close(fds[0]);
            close(fds[1]);
            return -error;
        }
    }
    signal_pipe_read_end = fds[0];
    return signal_pipe_read_end;
}

int lwp_signal_pipe_install(const int *signals, int count) {
    pthread_mutex_lock(&install_lock);
    int result = install_locked(signals, count);
    pthread_mutex_unlock(&install_lock);
    return result;
}

int lwp_signal_pipe_wait(int fd) {
    for (;;) {
        unsigned char byte = 0;
        ssize_t n = read(fd, &byte, 1);
        if (n == 1) return byte;
        if (n == 0) return 0;
        if (errno != EINTR) return -errno;
    }
}

void lwp_signal_restore_default(const int *signals, int count) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < count; i++) sigaction(signals[i], &action, NULL);
}

void lwp_reraise_default(int signal) {
    lwp_signal_restore_default(&signal, 1);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, signal);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    raise(signal);
}
