// What a thread of any process is doing, read from /proc: the system call it
// sits in (/proc/PID/task/TID/syscall), its name and its CPU ticks. The wait
// fixtures (fixture-daemon, fixture-client) use it to know every thread is
// where their contract says before they say "ready", and to say which one
// is not when it is late.
#ifndef TASK_SYSCALL_H
#define TASK_SYSCALL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define TASK_RUNNING_NR (-1L)
#define TASK_UNREADABLE_NR (-2L)

static ssize_t task_read_file(pid_t pid, pid_t tid, const char *name, char *text, size_t size) {
    char path[96];
    snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)pid, (int)tid, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, text, size - 1);
    close(fd);
    if (n < 0) return -1;
    text[n] = 0;
    return n;
}

// The syscall number the thread is blocked in, TASK_RUNNING_NR when it runs,
// TASK_UNREADABLE_NR when the file cannot be read; its first argument in *arg0.
static long task_syscall(pid_t pid, pid_t tid, unsigned long *arg0) {
    char text[256];
    if (task_read_file(pid, tid, "syscall", text, sizeof text) <= 0) return TASK_UNREADABLE_NR;
    if (strncmp(text, "running", 7) == 0) return TASK_RUNNING_NR;
    char *end;
    long number = strtol(text, &end, 10);
    if (end == text) return TASK_UNREADABLE_NR;
    if (arg0) *arg0 = strtoul(end, NULL, 16);
    return number;
}

// The thread's comm, without its newline; "" when unreadable.
static void task_comm(pid_t pid, pid_t tid, char *name, size_t size) {
    char text[64];
    name[0] = 0;
    if (task_read_file(pid, tid, "comm", text, sizeof text) <= 0) return;
    text[strcspn(text, "\n")] = 0;
    snprintf(name, size, "%s", text);
}

// utime + stime from /proc/PID/task/TID/stat (fields 14 and 15, counted
// after the comm's closing parenthesis, since a comm may hold spaces); -1
// when unreadable.
static long long task_cpu_ticks(pid_t pid, pid_t tid) {
    char text[1024];
    if (task_read_file(pid, tid, "stat", text, sizeof text) <= 0) return -1;
    char *p = strrchr(text, ')');
    if (!p) return -1;
    unsigned long long utime = 0, stime = 0;
    // After ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    return (long long)(utime + stime);
}

static double task_monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

// Between two looks at threads that are not there yet: 1 ms.
static void task_pause_between_looks(void) {
    struct timespec t = {0, 1000 * 1000};
    nanosleep(&t, NULL);
}

#endif
