// The floor of an all-stop snapshot, for scripts/bench: what no tool can do
// in less time on the same process. It seizes every thread (not timed), then
// times one all-stop: PTRACE_INTERRUPT every thread, then for each waitpid,
// read its registers (PTRACE_GETREGSET) and copy the 16 KiB above its stack
// pointer with one process_vm_readv; once all are copied, resume them all.
// It resumes with PTRACE_DETACH, as a one-shot `lwpscope dump` does, so it
// stops the process once, as we do.
//
//   floor PID   prints {"stoppedMicroseconds": N, "threads": T, "copiedBytes": B}
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

enum { STACK_BYTES = 16 * 1024 };

static long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static int threads_of(pid_t pid, pid_t **out) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *dir = opendir(path);
    if (!dir) return -1;
    int count = 0, room = 64;
    pid_t *tids = malloc(room * sizeof *tids);
    for (struct dirent *entry; (entry = readdir(dir));) {
        if (entry->d_name[0] == '.') continue;
        if (count == room) tids = realloc(tids, (room *= 2) * sizeof *tids);
        tids[count++] = atoi(entry->d_name);
    }
    closedir(dir);
    *out = tids;
    return count;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor PID\n");
        return 2;
    }
    pid_t pid = atoi(argv[1]);
    pid_t *tids;
    int count = threads_of(pid, &tids);
    if (count <= 0) {
        fprintf(stderr, "floor: no process %d\n", pid);
        return 1;
    }
    char *seized = calloc(count, 1);
    for (int i = 0; i < count; i++) seized[i] = ptrace(PTRACE_SEIZE, tids[i], 0, 0) == 0;
    static char stack[STACK_BYTES];
    long copied = 0;

    long start = now_us();
    for (int i = 0; i < count; i++)
        if (seized[i]) ptrace(PTRACE_INTERRUPT, tids[i], 0, 0);
    for (int i = 0; i < count; i++) {
        if (!seized[i]) continue;
        int status;
        if (waitpid(tids[i], &status, __WALL) != tids[i] || !WIFSTOPPED(status)) {
            seized[i] = 0;  // exited meanwhile
            continue;
        }
        struct user_regs_struct regs;
        struct iovec io = {&regs, sizeof regs};
        if (ptrace(PTRACE_GETREGSET, tids[i], (void *)NT_PRSTATUS, &io) == 0) {
            struct iovec local = {stack, STACK_BYTES}, remote = {(void *)regs.rsp, STACK_BYTES};
            ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
            if (got > 0) copied += got;
        }
    }
    // Every thread was stopped at one instant, as in an all-stop snapshot;
    // only now do they all go on.
    for (int i = 0; i < count; i++)
        if (seized[i]) ptrace(PTRACE_DETACH, tids[i], 0, 0);
    long stopped = now_us() - start;

    int traced = 0;
    for (int i = 0; i < count; i++) traced += seized[i];
    printf("{\"stoppedMicroseconds\": %ld, \"threads\": %d, \"copiedBytes\": %ld}\n", stopped, traced, copied);
    return traced == count ? 0 : 1;
}
