#define _GNU_SOURCE
#include "CPtrace.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int result(long rc) { return rc == -1 ? -errno : 0; }

int lwp_ptrace_seize(pid_t tid, unsigned long options) {
    return result(ptrace(PTRACE_SEIZE, tid, 0, (void *)options));
}
int lwp_ptrace_interrupt(pid_t tid) { return result(ptrace(PTRACE_INTERRUPT, tid, 0, 0)); }
int lwp_ptrace_cont(pid_t tid, int signal) {
    return result(ptrace(PTRACE_CONT, tid, 0, (void *)(long)signal));
}
int lwp_ptrace_listen(pid_t tid) { return result(ptrace(PTRACE_LISTEN, tid, 0, 0)); }
int lwp_ptrace_detach(pid_t tid, int signal) {
    return result(ptrace(PTRACE_DETACH, tid, 0, (void *)(long)signal));
}
int lwp_ptrace_singlestep(pid_t tid, int signal) {
    return result(ptrace(PTRACE_SINGLESTEP, tid, 0, (void *)(long)signal));
}
int lwp_ptrace_setoptions(pid_t tid, unsigned long options) {
    return result(ptrace(PTRACE_SETOPTIONS, tid, 0, (void *)options));
}
int lwp_ptrace_geteventmsg(pid_t tid, unsigned long *message) {
    return result(ptrace(PTRACE_GETEVENTMSG, tid, 0, message));
}
int lwp_ptrace_getsiginfo(pid_t tid, int *signo, int *code, uint64_t *address) {
    siginfo_t info;
    if (ptrace(PTRACE_GETSIGINFO, tid, 0, &info) == -1) return -errno;
    *signo = info.si_signo;
    *code = info.si_code;
    switch (info.si_signo) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
        *address = (uint64_t)(uintptr_t)info.si_addr;
        break;
    default:
        *address = 0;
    }
    return 0;
}
int lwp_stop_then_exec(char *const argv[], int own_group) {
    // The calling thread may be a pool thread with signals blocked, and a
    // mask survives exec: the program must start with none blocked.
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    if (own_group) setpgid(0, 0);
    raise(SIGSTOP);
    execvp(argv[0], argv);
    return -errno;
}
int lwp_ptrace_getregs(pid_t tid, lwp_user_regs *regs) {
    return result(ptrace(PTRACE_GETREGS, tid, 0, regs));
}
int lwp_ptrace_setregs(pid_t tid, const lwp_user_regs *regs) {
    return result(ptrace(PTRACE_SETREGS, tid, 0, regs));
}
int lwp_ptrace_peekdata(pid_t tid, uint64_t address, uint64_t *word) {
    // PEEKDATA returns the word itself, so -1 is ambiguous: errno decides.
    errno = 0;
    long value = ptrace(PTRACE_PEEKDATA, tid, (void *)address, 0);
    if (value == -1 && errno != 0) return -errno;
    *word = (uint64_t)value;
    return 0;
}
int lwp_ptrace_pokedata(pid_t tid, uint64_t address, uint64_t word) {
    return result(ptrace(PTRACE_POKEDATA, tid, (void *)address, (void *)word));
}

int lwp_wifstopped(int status) { return WIFSTOPPED(status); }
int lwp_wstopsig(int status) { return WSTOPSIG(status); }
int lwp_wifexited(int status) { return WIFEXITED(status); }
int lwp_wexitstatus(int status) { return WEXITSTATUS(status); }
int lwp_wifsignaled(int status) { return WIFSIGNALED(status); }
int lwp_wtermsig(int status) { return WTERMSIG(status); }
int lwp_wcoredump(int status) { return WCOREDUMP(status); }
int lwp_wptrace_event(int status) { return (status >> 16) & 0xff; }

int lwp_tgkill(pid_t tgid, pid_t tid, int signal) {
    return result(syscall(SYS_tgkill, tgid, tid, signal));
}
pid_t lwp_gettid(void) { return (pid_t)syscall(SYS_gettid); }

ssize_t lwp_process_vm_readv(pid_t pid, const struct iovec *local, unsigned long local_count,
                             const struct iovec *remote, unsigned long remote_count) {
    ssize_t n = process_vm_readv(pid, local, local_count, remote, remote_count, 0);
    return n < 0 ? -errno : n;
}
ssize_t lwp_process_vm_writev(pid_t pid, const struct iovec *local, unsigned long local_count,
                              const struct iovec *remote, unsigned long remote_count) {
    ssize_t n = process_vm_writev(pid, local, local_count, remote, remote_count, 0);
    return n < 0 ? -errno : n;
}
ssize_t lwp_read_memory(pid_t pid, uint64_t address, void *buffer, size_t length) {
    struct iovec local = {buffer, length};
    struct iovec remote = {(void *)address, length};
    return lwp_process_vm_readv(pid, &local, 1, &remote, 1);
}
ssize_t lwp_write_memory(pid_t pid, uint64_t address, const void *buffer, size_t length) {
    struct iovec local = {(void *)buffer, length};
    struct iovec remote = {(void *)address, length};
    return lwp_process_vm_writev(pid, &local, 1, &remote, 1);
}

int lwp_set_realtime(int on) {
    struct sched_param param = {.sched_priority = on ? 1 : 0};
    int rc = pthread_setschedparam(pthread_self(), on ? SCHED_FIFO : SCHED_OTHER, &param);
    return -rc;
}

void lwp_prepare_engine_thread(const char *name) {
    pthread_setname_np(pthread_self(), name);
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    // The highest priority we may have: while a target is stopped, every
    // thread we interrupt or resume wakes up and would otherwise preempt us
    // before we reach the next one. Refused without CAP_SYS_NICE; harmless.
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), -20);
}
