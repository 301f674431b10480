// Inline functions in a header, so that an inlined frame's source file is
// not the file of the function it was inlined into.
#ifndef LINES_INLINE_H
#define LINES_INLINE_H

#include <time.h>
#include <unistd.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))

extern volatile int lines_hold;
NOINLINE void lines_block_forever(int how);

// Two levels of inlining: wait_for_work -> wait_one_round -> a real call.
ALWAYS_INLINE void wait_one_round(int how) {
    lines_block_forever(how);
    __asm__ volatile("");
}

ALWAYS_INLINE void wait_for_work(int how) {
    wait_one_round(how);
    __asm__ volatile("");
}

// Spins on the hold flag inside an inlined function.
ALWAYS_INLINE void spin_while_held(void) {
    while (lines_hold)
        ;
}

#endif
