// Shims for what Swift cannot call directly: glibc's ptrace(2) is variadic,
// the wait-status accessors are macros, and tgkill/gettid go through syscall(2),
// which is variadic too. Each function names the call or macro it stands in for.
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>

#ifdef __cplusplus
extern "C" {
#endif

// Register file as the kernel hands it out with PTRACE_GETREGS.
#if defined(__x86_64__)
typedef struct user_regs_struct lwp_user_regs;
#elif defined(__aarch64__)
typedef struct user_regs_struct lwp_user_regs;
#endif

// ptrace(2) options and events, re-exported as plain constants.
enum {
    LWP_PTRACE_O_TRACECLONE = 0x00000008,
    LWP_PTRACE_O_TRACEFORK = 0x00000002,
    LWP_PTRACE_O_TRACEVFORK = 0x00000004,
    LWP_PTRACE_O_TRACEEXEC = 0x00000010,
    LWP_PTRACE_O_TRACEEXIT = 0x00000040,
    LWP_PTRACE_EVENT_FORK = 1,
    LWP_PTRACE_EVENT_VFORK = 2,
    LWP_PTRACE_EVENT_CLONE = 3,
    LWP_PTRACE_EVENT_EXEC = 4,
    LWP_PTRACE_EVENT_VFORK_DONE = 5,
    LWP_PTRACE_EVENT_EXIT = 6,
    LWP_PTRACE_EVENT_STOP = 128,
};

// waitpid(2) flags that glibc spells with leading underscores.
enum {
    LWP_WALL = 0x40000000,      // __WALL: clone children and threads too
    LWP_WNOTHREAD = 0x20000000, // __WNOTHREAD: only this thread's children and tracees
};

// Each returns 0 on success or -errno.
int lwp_ptrace_seize(pid_t tid, unsigned long options);
int lwp_ptrace_interrupt(pid_t tid);
int lwp_ptrace_cont(pid_t tid, int signal);
int lwp_ptrace_listen(pid_t tid);
int lwp_ptrace_detach(pid_t tid, int signal);
int lwp_ptrace_singlestep(pid_t tid, int signal);
int lwp_ptrace_setoptions(pid_t tid, unsigned long options);
int lwp_ptrace_geteventmsg(pid_t tid, unsigned long *message);
// PTRACE_GETSIGINFO: the signal of a signal-delivery-stop, its si_code and
// the fault address (si_addr; 0 for signals that carry none).
int lwp_ptrace_getsiginfo(pid_t tid, int *signo, int *code, uint64_t *address);
int lwp_ptrace_getregs(pid_t tid, lwp_user_regs *regs);
int lwp_ptrace_setregs(pid_t tid, const lwp_user_regs *regs);
int lwp_ptrace_peekdata(pid_t tid, uint64_t address, uint64_t *word);
int lwp_ptrace_pokedata(pid_t tid, uint64_t address, uint64_t word);

// The WIFSTOPPED family of macros from <sys/wait.h>.
int lwp_wifstopped(int status);
int lwp_wstopsig(int status);
int lwp_wifexited(int status);
int lwp_wexitstatus(int status);
int lwp_wifsignaled(int status);
int lwp_wtermsig(int status);
int lwp_wcoredump(int status);
// The PTRACE_EVENT_* number a ptrace-stop carries in bits 16..23 of the status.
int lwp_wptrace_event(int status);

// For `lwpscope run`: stopped with SIGSTOP until the tracer has seized it,
// then exec'd; with own_group, in a process group of its own first (so the
// terminal's Ctrl-C reaches lwpscope, not it). Returns only if exec failed
// (-errno); the caller prints why and exits 127.
int lwp_stop_then_exec(char *const argv[], int own_group);

// syscall(SYS_tgkill, ...) and syscall(SYS_gettid).
int lwp_tgkill(pid_t tgid, pid_t tid, int signal);
pid_t lwp_gettid(void);

// Names the calling thread (pthread_setname_np, a GNU extension Swift cannot
// see) and sets its timer slack to 1 ns (prctl is variadic), so the engine's
// short sleeps while tracees stop stay short.
void lwp_prepare_engine_thread(const char *name);

// Runs the calling thread under SCHED_FIFO (on != 0) or back under
// SCHED_OTHER. Returns 0, or -errno (EPERM without CAP_SYS_NICE).
int lwp_set_realtime(int on);

// process_vm_readv/writev for many regions in one call. Returns bytes moved or -errno.
// Stops at the first region that cannot be read, as the syscall does.
ssize_t lwp_process_vm_readv(pid_t pid, const struct iovec *local, unsigned long local_count,
                             const struct iovec *remote, unsigned long remote_count);
ssize_t lwp_process_vm_writev(pid_t pid, const struct iovec *local, unsigned long local_count,
                              const struct iovec *remote, unsigned long remote_count);
// Convenience for a single region.
ssize_t lwp_read_memory(pid_t pid, uint64_t address, void *buffer, size_t length);
ssize_t lwp_write_memory(pid_t pid, uint64_t address, const void *buffer, size_t length);

#ifdef __cplusplus
}
#endif

// SIGCHLD counted (sigchld_counter.c): installs the counter when SIGCHLD
// has its default action; 1 when it counts, 0 when another handler is there.
int lwp_count_sigchld(void);
int lwp_sigchld_counted(void);
unsigned long lwp_sigchld_count(void);

// The proc connector (netlink, CAP_NET_ADMIN): every exec on the machine as
// it happens. open returns a socket or -errno; next_exec waits up to
// timeout_ms for an exec event and returns 1 with the process's tgid and
// the event's CLOCK_MONOTONIC time in ns, 0 on timeout, or -errno.
int lwp_proc_connector_open(void);
int lwp_proc_connector_next_exec(int fd, int timeout_ms, pid_t *tgid, uint64_t *timestamp_ns);

// malloc_tuning.c: the heap grows in large steps and is not trimmed back
// while a command runs, so a burst of per-thread work neither calls
// mprotect/brk for every few pages nor faults the same pages in twice.
void lwp_tune_malloc_for_bursts(void);

// burst_priority.c: every thread of ours at nice -20 (refused without
// CAP_SYS_NICE, and then harmless), so a one-shot command that competes with
// the target's spinners for the CPUs finishes in a fraction of the time.
// Returns how many threads were raised, or -1.
int lwp_raise_own_threads_priority(void);
