// A C++ program with known thread names parked in known C++ functions, for
// backtrace tests: names with namespaces, a class template method, a lambda run
// by std::thread, a function template and an anonymous namespace. Built
// -O2 -g -fomit-frame-pointer, so only CFI unwinds it.
//
// Threads (6): main, "parker" spinning in lwp::demo::Parker<int>::spin(),
// "cv-waiter" in std::condition_variable::wait from a lambda, "pipe-reader"
// in read() through lwp::io::read_one<char>(int), "dozer" in nanosleep via
// std::this_thread::sleep_for from lwp::demo::doze(), and "chain" in
// nanosleep below (anonymous namespace)::chain_inner / lwp::demo::chain_outer.
// Prints "ready" once all are parked, each in its blocking call or spinning
// in its loop (../Shared/parked_threads.h); exits when its parent does.
#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "../Shared/parked_threads.h"

#define NOINLINE __attribute__((noinline))
// An empty asm after a call keeps it from being a tail call, so the caller's
// frame stays on the stack.
#define KEEP_FRAME() asm volatile("")

namespace {
int pipe_fds[2];
std::mutex never_mutex;
std::condition_variable never_cv;

void name_self(const char *name) { pthread_setname_np(pthread_self(), name); }
} // namespace

namespace lwp::demo {

// The flag the spinner waits on; never cleared.
volatile int hold = 1;

template <typename T> class Parker {
  public:
    NOINLINE void spin() {
        announce_parking(PARK_SPIN);
        while (hold)
            ;
        for (;;) sleep(1);
    }
};

template class Parker<int>;

NOINLINE void doze() {
    announce_parking(PARK_SLEEP);
    for (;;) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        KEEP_FRAME();
    }
}

} // namespace lwp::demo

namespace lwp::io {

template <typename Byte> NOINLINE ssize_t read_one(int fd) {
    Byte byte;
    ssize_t n = read(fd, &byte, sizeof byte);
    KEEP_FRAME();
    return n;
}

NOINLINE void drain_pipe() {
    announce_parking(PARK_READ);
    for (;;) {
        if (read_one<char>(pipe_fds[0]) <= 0) sleep(1);
        KEEP_FRAME();
    }
}

} // namespace lwp::io

namespace {

NOINLINE void chain_inner(int depth) {
    announce_parking(PARK_SLEEP);
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        KEEP_FRAME();
    }
    asm volatile("" ::"r"(depth));
}

} // namespace

namespace lwp::demo {

NOINLINE void chain_outer(int depth) {
    chain_inner(depth + 1);
    KEEP_FRAME();
}

} // namespace lwp::demo

int main() {
    pid_t parent = getppid();
    if (pipe(pipe_fds) != 0) return 1;
    const int expected = 5;
    expect_parked_threads(expected);

    std::thread([] {
        name_self("parker");
        lwp::demo::Parker<int>().spin();
        KEEP_FRAME();
    }).detach();

    // The lambda itself calls wait, so gdb shows its operator() as a frame.
    std::thread([]() NOINLINE {
        name_self("cv-waiter");
        std::unique_lock<std::mutex> lock(never_mutex);
        announce_parking(PARK_FUTEX);
        for (;;) never_cv.wait(lock);
    }).detach();

    std::thread([] {
        name_self("pipe-reader");
        lwp::io::drain_pipe();
        KEEP_FRAME();
    }).detach();

    std::thread([] {
        name_self("dozer");
        lwp::demo::doze();
        KEEP_FRAME();
    }).detach();

    std::thread([] {
        name_self("chain");
        lwp::demo::chain_outer(0);
        KEEP_FRAME();
    }).detach();

    wait_until_parked(expected, 30);
    std::printf("ready\n");
    std::fflush(stdout);

    // Exit with our parent so no fixture outlives the test run.
    while (getppid() == parent) usleep(100 * 1000);
    std::_Exit(0);
}
