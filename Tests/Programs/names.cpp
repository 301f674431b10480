// A C++ program whose frames gdb names from DWARF in every way it can: a
// class template's method cloned by IPA-SRA (.isra), a function cloned for a
// constant argument (.constprop), lambdas run by std::thread and by
// std::function, a class template over a lambda's type, inline frames from the standard library (std::mutex::lock,
// std::this_thread::sleep_for), and a signal handler running on a thread.
// Built by the agreement tests with `g++ -O2 -g -pthread`; each thread parks
// in a blocking call, then "ready" is printed; exits with its parent.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

#include "../Fixtures/Shared/parked_threads.h"

#define NOINLINE __attribute__((noinline))
#define KEEP_FRAME() asm volatile("")

namespace {
std::mutex cv_mutex;
std::condition_variable never_cv;
std::mutex held_mutex;
int pipe_fds[2];
volatile sig_atomic_t in_handler;

void name_self(const char *name) { pthread_setname_np(pthread_self(), name); }
} // namespace

namespace app {

struct Settings {
    long spins;
    long unused[8];
};

template <typename T> class Worker {
  public:
    explicit Worker(T seed) : seed_(seed) {}

    // Takes its settings by reference and reads one field: IPA-SRA passes
    // the field instead, in a `.isra` clone.
    NOINLINE static void waitcv(const Settings &settings) {
        std::unique_lock<std::mutex> lock(cv_mutex);
        announce_parking(PARK_FUTEX);
        for (long i = 0; i < settings.spins || settings.spins < 0; i++) never_cv.wait(lock);
        KEEP_FRAME();
    }

    NOINLINE void run() {
        Settings settings{-1, {}};
        waitcv(settings);
        KEEP_FRAME();
    }

  private:
    T seed_;
};

// Called only with 7: the clone with the constant folded in is `.constprop`.
static NOINLINE void doze_for(int seconds) {
    announce_parking(PARK_SLEEP);
    for (;;) {
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        KEEP_FRAME();
    }
}

NOINLINE void lock_held() {
    announce_parking(PARK_FUTEX);
    std::lock_guard<std::mutex> guard(held_mutex);
    KEEP_FRAME();
}

NOINLINE void read_pipe() {
    char byte;
    announce_parking(PARK_READ);
    while (read(pipe_fds[0], &byte, 1) > 0) KEEP_FRAME();
    KEEP_FRAME();
}

// A class template over a lambda's type: its methods have no linkage name,
// so gdb names them from DWARF, and keeps the parameter list it spells from
// DWARF types since its parser cannot read `<lambda()>`.
template <typename F> struct Boxed {
    F body;
    NOINLINE long take(const char **names, char *const scratch, int &&count, const Boxed &self, unsigned long n) const {
        body();
        KEEP_FRAME();
        return count + (names != nullptr) + (scratch != nullptr) + (&self != nullptr) + long(n);
    }
};

} // namespace app

namespace {

// Runs on the "signalled" thread and never returns.
void on_signal(int) {
    in_handler = 1;
    announce_parking(PARK_PAUSE);
    for (;;) pause();
}

NOINLINE void wait_for_signal() {
    for (;;) {
        sleep(1);
        KEEP_FRAME();
    }
}

} // namespace

int main() {
    pid_t parent = getppid();
    if (pipe(pipe_fds) != 0) return 1;
    const int expected = 7;
    expect_parked_threads(expected);
    held_mutex.lock(); // never unlocked: "locker" waits for it forever

    std::thread([] {
        name_self("isra");
        app::Worker<long>(3).run();
        KEEP_FRAME();
    }).detach();

    std::thread([] {
        name_self("constprop");
        app::doze_for(7);
        KEEP_FRAME();
    }).detach();

    std::thread([] {
        name_self("locker");
        app::lock_held();
        KEEP_FRAME();
    }).detach();

    std::function<void()> reader = [] {
        name_self("function");
        app::read_pipe();
        KEEP_FRAME();
    };
    std::thread(reader).detach();

    // A lambda that blocks itself: its operator() is a frame of its own.
    std::thread([]() NOINLINE {
        name_self("lambda");
        announce_parking(PARK_SLEEP);
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            KEEP_FRAME();
        }
    }).detach();

    std::thread([] {
        name_self("boxed");
        auto body = []() NOINLINE {
            announce_parking(PARK_READ);
            char byte;
            while (read(pipe_fds[0], &byte, 1) > 0) KEEP_FRAME();
        };
        app::Boxed<decltype(body)> boxed{body};
        const char *names[1] = {nullptr};
        char scratch = 0;
        boxed.take(names, &scratch, 3, boxed, 2);
        KEEP_FRAME();
    }).detach();

    struct sigaction action = {};
    action.sa_handler = on_signal;
    sigaction(SIGUSR1, &action, nullptr);
    std::thread signalled([] {
        name_self("signalled");
        wait_for_signal();
        KEEP_FRAME();
    });
    pthread_kill(signalled.native_handle(), SIGUSR1);
    signalled.detach();

    wait_until_parked(expected, 30);
    std::printf("ready\n");
    std::fflush(stdout);

    while (getppid() == parent) usleep(100 * 1000);
    std::_Exit(0);
}
