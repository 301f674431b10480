/* Frame arguments as gdb prints them (issue 18): each kind of parameter a
 * backtrace shows, in frames gdb and lwpscope both read while the program is
 * parked. Built `gcc -O2 -g` by FrameArgumentTests; noinline keeps every
 * function a frame of its own, and `sink` keeps values alive or lets them die
 * after their last use, so some are <optimized out> or read @entry. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum color { RED, GREEN, BLUE = 7 };

struct point { int x; int y; long tag; };

static int ready_pipe[2];
static int park_pipe[2];
volatile long sink;

/* Blocks forever: the bottom of every parked stack. */
__attribute__((noinline)) static void park(int depth, const char *why) {
    char byte;
    sink = depth;
    if (read(park_pipe[0], &byte, 1) < 0) sink = (long)why;
    sink += strlen(why);
}

/* 5 deep, its argument changing each time; the last use is before the call,
 * so n lives on only through the caller (entry values). */
__attribute__((noinline)) static int recurse(int n, long total) {
    if (n == 0) {
        park((int)total, "bottom of the recursion");
        return 0;
    }
    int r = recurse(n - 1, total + n) + 1;
    sink = r;
    return r;
}

__attribute__((noinline)) static void *recursing_thread(void *arg) {
    (void)arg;
    recurse(5, 100);
    return NULL;
}

__attribute__((noinline)) static void with_pointers(int *counter, char *name, const char *label,
                                                    struct point *where, void *nothing) {
    sink = *counter + where->x;
    park(*counter, label);
    sink = (long)name + (long)nothing + where->y;
}

__attribute__((noinline)) static void with_scalars(char letter, bool flag, enum color color,
                                                   unsigned short small, long long big, unsigned long mask) {
    park(letter, flag ? "flag" : "no flag");
    sink = color + small;
}

__attribute__((noinline)) static void by_value(struct point p, int after) {
    park(p.x + after, "by value");
    sink = p.y;
}

/* Clobbered after their last use: gdb shows <optimized out> or @entry. */
__attribute__((noinline)) static void clobbered(int a, int b, int c) {
    sink = a * b;
    park(c, "clobbered");
    sink = 0;
}

static struct point origin = { 3, 4, 99 };
static int counter = 42;
static char name[] = "worker name";

static void *pointer_thread(void *arg) {
    (void)arg;
    with_pointers(&counter, name, "a \"quoted\" label\n", &origin, NULL);
    return NULL;
}

static void *scalar_thread(void *arg) {
    (void)arg;
    with_scalars('A', true, BLUE, 65535, -1234567890123LL, 0xdeadbeefUL);
    return NULL;
}

static void *value_thread(void *arg) {
    (void)arg;
    struct point p = { 10, 20, 30 };
    by_value(p, 5);
    return NULL;
}

static void *clobber_thread(void *arg) {
    (void)arg;
    clobbered(6, 7, 8);
    return NULL;
}

int main(void) {
    if (pipe(ready_pipe) != 0 || pipe(park_pipe) != 0) return 1;
    void *(*bodies[])(void *) = { recursing_thread, pointer_thread, scalar_thread, value_thread, clobber_thread };
    pthread_t threads[5];
    for (int i = 0; i < 5; i++) pthread_create(&threads[i], NULL, bodies[i], NULL);
    /* Every thread is in read() soon after; a short wait keeps the word honest. */
    usleep(200 * 1000);
    printf("ready\n");
    fflush(stdout);
    for (int i = 0; i < 5; i++) pthread_join(threads[i], NULL);
    return 0;
}
