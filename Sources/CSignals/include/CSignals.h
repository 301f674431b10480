// Signals that should end lwpscope in an orderly way are turned into bytes on
// a pipe (a signal handler may do little more than write(2)), so a normal
// thread can detach from every target before the process exits.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

// Installs handlers for `signals` that write the signal's number to a pipe,
// and returns the pipe's read end, or -errno. A process has one such pipe:
// later calls return the same read end and keep the first call's signals.
int lwp_signal_pipe_install(const int *signals, int count);

// Blocks until a signal's byte arrives on `fd` and returns its number.
// Retries only on EINTR; any other failure (EBADF, EOF because the write end
// is gone) is returned as -errno (or 0 for EOF): it would persist, so the
// caller must stop watching rather than call again.
int lwp_signal_pipe_wait(int fd);

// Gives `signals` their default action again: when nobody watches the pipe
// any more, a signal must still end the process.
void lwp_signal_restore_default(const int *signals, int count);

// Restores the default action for `signal` and raises it, so our exit status
// tells the shell which signal ended us.
void lwp_reraise_default(int signal);

#ifdef __cplusplus
}
#endif
