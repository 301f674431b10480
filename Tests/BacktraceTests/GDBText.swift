/// gdb output written down from real runs (gdb 13.1, Debian 12), trimmed, for
/// the parser and agreement tests.
enum GDBText {
    /// `thread apply all bt` on fixture-threads-nofp (four of its threads),
    /// with the attach chatter gdb prints first, and `backtrace past-main on`
    /// (GDBReference.settings): the main thread goes on to `_start`.
    static let cFixture = """
    [New LWP 1235]
    [Thread debugging using libthread_db enabled]
    Using host libthread_db library "/lib/x86_64-linux-gnu/libthread_db.so.1".
    0x00007f8f59eed545 in __GI___clock_nanosleep (clock_id=clock_id@entry=0, flags=flags@entry=0, req=req@entry=0x7fffab4e1630, rem=rem@entry=0x0) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    48\t../sysdeps/unix/sysv/linux/clock_nanosleep.c: No such file or directory.

    Thread 4 (Thread 0x7f8f57d396c0 (LWP 1238) "worker-1"):
    #0  0x00007f8f59eed545 in __GI___clock_nanosleep (clock_id=..., flags=..., req=..., rem=...) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    #1  0x00007f8f59ef1e53 in __GI___nanosleep (req=..., rem=...) at ../sysdeps/unix/sysv/linux/nanosleep.c:25
    #2  0x000055b857883a10 in worker_inner (depth=...) at threads_fixture.inc.c:72
    #3  0x000055b857883a4b in worker_middle (depth=...) at threads_fixture.inc.c:80
    #4  0x000055b857883a7b in worker_outer (depth=...) at threads_fixture.inc.c:85
    #5  0x000055b857883b02 in thread_main (arg=...) at threads_fixture.inc.c:98
    #6  0x00007f8f59ea71f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442
    #7  0x00007f8f59f278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81

    Thread 3 (Thread 0x7f8f5853a6c0 (LWP 1237) "reader"):
    #0  __GI___libc_read (nbytes=..., buf=..., fd=...) at ../sysdeps/unix/sysv/linux/read.c:26
    #1  __GI___libc_read (fd=..., buf=..., nbytes=...) at ../sysdeps/unix/sysv/linux/read.c:24
    #2  0x000055b8578839a3 in block_in_read () at threads_fixture.inc.c:64
    #3  0x000055b857883b02 in thread_main (arg=...) at threads_fixture.inc.c:98
    #4  0x00007f8f59ea71f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442
    #5  0x00007f8f59f278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81

    Thread 2 (Thread 0x7f8f59d3d6c0 (LWP 1236) "spinner-1"):
    #0  spin_on_hold () at threads_fixture.inc.c:33
    #1  0x000055b857883b02 in thread_main (arg=...) at threads_fixture.inc.c:98
    #2  0x00007f8f59ea71f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442
    #3  0x00007f8f59f278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81

    Thread 1 (Thread 0x7f8f5a2d3440 (LWP 1235) "fixture-threads"):
    #0  0x00007f8f59eed545 in __GI___clock_nanosleep (clock_id=..., flags=..., req=..., rem=...) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    #1  0x00007f8f59ef1e53 in __GI___nanosleep (req=..., rem=...) at ../sysdeps/unix/sysv/linux/nanosleep.c:25
    #2  0x000055b857883c40 in park_main_thread (parent=...) at threads_fixture.inc.c:118
    #3  0x000055b8578834a2 in main (argc=..., argv=...) at threads_fixture.inc.c:148
    #4  0x00007f8f59e4524a in __libc_start_call_main (main=..., argc=..., argv=...) at ../sysdeps/nptl/libc_start_call_main.h:58
    #5  0x00007f8f59e45305 in __libc_start_main_impl (main=..., argc=..., argv=..., init=..., fini=..., rtld_fini=..., stack_end=...) at ../csu/libc-start.c:360
    #6  0x000055b857883561 in _start ()
    [Inferior 1 (process 1235) detached]
    """

    /// fixture-cxx's "chain" and "cv-waiter" threads: inline frames (#3, and
    /// #6 to #10), anonymous namespaces, lambdas, a `??` frame with a library.
    static let cxxFixture = """
    Thread 6 (Thread 0x7f8f57d396c0 (LWP 27868) "chain"):
    #0  0x00007f8f59eed545 in __GI___clock_nanosleep (clock_id=..., flags=..., req=..., rem=...) at ../sysdeps/unix/sysv/linux/clock_nanosleep.c:48
    #1  0x00007f8f59ef1e53 in __GI___nanosleep (req=..., rem=...) at ../sysdeps/unix/sysv/linux/nanosleep.c:25
    #2  0x000055b8578837b7 in std::this_thread::sleep_for<long, std::ratio<1l, 1000l> > (__rtime=...) at /usr/include/c++/12/bits/this_thread_sleep.h:80
    #3  (anonymous namespace)::chain_inner (depth=...) at main.cpp:89
    #4  0x000055b8578838d9 in lwp::demo::chain_outer (depth=...) at main.cpp:100
    #5  0x000055b8578838f7 in operator() (__closure=...) at main.cpp:138
    #6  std::__invoke_impl<void, main()::<lambda()> > (__f=...) at /usr/include/c++/12/bits/invoke.h:61
    #7  std::__invoke<main()::<lambda()> > (__fn=...) at /usr/include/c++/12/bits/invoke.h:96
    #8  std::thread::_Invoker<std::tuple<main()::<lambda()> > >::_M_invoke<0> (this=...) at /usr/include/c++/12/bits/std_thread.h:252
    #9  std::thread::_Invoker<std::tuple<main()::<lambda()> > >::operator() (this=...) at /usr/include/c++/12/bits/std_thread.h:259
    #10 std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void) (this=...) at /usr/include/c++/12/bits/std_thread.h:210
    #11 0x00007f8f5a0d44a3 in ?? () from /lib/x86_64-linux-gnu/libstdc++.so.6
    #12 0x00007f8f59ea71f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442
    #13 0x00007f8f59f278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81

    Thread 3 (Thread 0x7f8f5953c6c0 (LWP 27865) "cv-waiter"):
    #0  __futex_abstimed_wait_common64 (private=..., cancel=..., abstime=..., op=..., expected=..., futex_word=...) at ./nptl/futex-internal.c:57
    #1  __futex_abstimed_wait_common (futex_word=..., expected=..., clockid=..., abstime=..., private=..., cancel=...) at ./nptl/futex-internal.c:87
    #2  0x00007f8f59ea3f7b in __GI___futex_abstimed_wait_cancelable64 (futex_word=..., expected=..., clockid=..., abstime=..., private=...) at ./nptl/futex-internal.c:139
    #3  0x00007f8f59ea65d8 in __pthread_cond_wait_common (abstime=..., clockid=..., mutex=..., cond=...) at ./nptl/pthread_cond_wait.c:503
    #4  ___pthread_cond_wait (cond=..., mutex=...) at ./nptl/pthread_cond_wait.c:618
    #5  0x000055b857883823 in operator() (__closure=...) at main.cpp:121
    #6  0x000055b857883849 in std::__invoke_impl<void, main()::<lambda()> > (__f=...) at /usr/include/c++/12/bits/invoke.h:61
    #7  std::__invoke<main()::<lambda()> > (__fn=...) at /usr/include/c++/12/bits/invoke.h:96
    #8  std::thread::_Invoker<std::tuple<main()::<lambda()> > >::_M_invoke<0> (this=...) at /usr/include/c++/12/bits/std_thread.h:252
    #9  std::thread::_Invoker<std::tuple<main()::<lambda()> > >::operator() (this=...) at /usr/include/c++/12/bits/std_thread.h:259
    #10 std::thread::_State_impl<std::thread::_Invoker<std::tuple<main()::<lambda()> > > >::_M_run(void) (this=...) at /usr/include/c++/12/bits/std_thread.h:210
    #11 0x00007f8f5a0d44a3 in ?? () from /lib/x86_64-linux-gnu/libstdc++.so.6
    #12 0x00007f8f59ea71f5 in start_thread (arg=...) at ./nptl/pthread_create.c:442
    #13 0x00007f8f59f278ec in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
    """

    /// Shapes the fixtures do not produce: a thread header without
    /// libthread_db, frames without debug information, a signal frame whose
    /// interrupted caller starts a line, a stopped backtrace.
    static let oddities = """
    Thread 2 (LWP 4242 "odd one"):
    #0  0x00007f0000001000 in raise () from /lib/x86_64-linux-gnu/libc.so.6
    #1  0x00007f0000002000 in handler () from /tmp/libx.so
    #2  <signal handler called>
    #3  interrupted_here () at sig.c:7
    #4  0x0000000000401136 in ?? ()
    #5  0x00007f0000003000 in std::function<void ()>::operator()() const (this=...) at std_function.h:591
    Backtrace stopped: previous frame inner to this frame (corrupt stack?)

    Thread 1 (process 4241):
    #0  main () at x.c:3
    """
}
