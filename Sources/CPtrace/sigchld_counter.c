// A count of SIGCHLDs, so an idle engine asks waitpid(-1) only when the
// kernel has something for it: each such call scans every tracee, and at a
// thousand threads polling it every few milliseconds was a quarter of the
// inspector's CPU. Every waitable ptrace event (a stop, an exit) sends the
// tracer SIGCHLD unless it is ignored or SA_NOCLDSTOP is set.
#include <signal.h>
#include <stdatomic.h>
#include "CPtrace.h"

static atomic_ulong sigchld_count;

static void count_sigchld(int signo) {
    (void)signo;
    atomic_fetch_add_explicit(&sigchld_count, 1, memory_order_release);
}

int lwp_count_sigchld(void) {
    struct sigaction current;
    if (sigaction(SIGCHLD, NULL, &current) != 0) return 0;
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == count_sigchld) return 1;
    // Someone else's handler, or SIG_IGN (which reaps children): leave it.
    if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != SIG_DFL) return 0;
    struct sigaction counting = {0};
    counting.sa_handler = count_sigchld;
    counting.sa_flags = SA_RESTART;
    sigemptyset(&counting.sa_mask);
    return sigaction(SIGCHLD, &counting, NULL) == 0;
}

int lwp_sigchld_counted(void) {
    struct sigaction current;
    return sigaction(SIGCHLD, NULL, &current) == 0 && !(current.sa_flags & SA_SIGINFO)
        && current.sa_handler == count_sigchld;
}

unsigned long lwp_sigchld_count(void) {
    return atomic_load_explicit(&sigchld_count, memory_order_acquire);
}
