#include <dirent.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "CPtrace.h"

int lwp_raise_own_threads_priority(void) {
    // Linux's nice is per thread, and a new thread takes its creator's:
    // raising every thread now raises the worker threads made later too.
    DIR *tasks = opendir("/proc/self/task");
    if (!tasks) return -1;
    int raised = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        int tid = atoi(entry->d_name);
        if (tid > 0 && setpriority(PRIO_PROCESS, (id_t)tid, -20) == 0) raised++;
    }
    closedir(tasks);
    return raised;
}
