// A Rust program whose threads park where gdb names frames from Rust DWARF:
// on a Condvar, on a Mutex another thread holds, in a channel's recv and in
// thread::sleep. Built by the agreement tests with `rustc -g`; prints "ready"
// once every thread is parked (checked in /proc/self/task/TID/syscall), then
// exits when its parent does.
use std::fs;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

mod parking {
    use std::sync::{Condvar, Mutex};

    pub struct Gate {
        pub lock: Mutex<bool>,
        pub cv: Condvar,
    }

    impl Gate {
        #[inline(never)]
        pub fn wait_open(&self) {
            let mut open = self.lock.lock().unwrap();
            while !*open {
                open = self.cv.wait(open).unwrap();
            }
        }
    }

    #[inline(never)]
    pub fn lock_forever(lock: &Mutex<u32>) -> u32 {
        let guard = lock.lock().unwrap();
        *guard
    }

    #[inline(never)]
    pub fn receive<T>(receiver: &std::sync::mpsc::Receiver<T>) -> Option<T> {
        receiver.recv().ok()
    }
}

fn gettid() -> i64 {
    // /proc/thread-self names the calling thread's directory.
    let link = fs::read_link("/proc/thread-self").unwrap();
    link.file_name().unwrap().to_str().unwrap().parse().unwrap()
}

/// True once the thread is blocked in the syscall numbered `number`.
fn parked_in(tid: i64, number: i64) -> bool {
    let text = fs::read_to_string(format!("/proc/self/task/{tid}/syscall")).unwrap_or_default();
    text.split(' ').next().and_then(|n| n.parse::<i64>().ok()) == Some(number)
}

const SYS_FUTEX: i64 = 202;
const SYS_CLOCK_NANOSLEEP: i64 = 230;

fn main() {
    let parent = fs::read_to_string("/proc/self/stat").unwrap().split(' ').nth(3).unwrap().to_string();
    let (tids_in, tids) = mpsc::channel::<(i64, i64)>();

    let gate = Arc::new(parking::Gate { lock: Mutex::new(false), cv: Condvar::new() });
    let report = tids_in.clone();
    let waiting = gate.clone();
    thread::Builder::new().name("condvar".into()).spawn(move || {
        report.send((gettid(), SYS_FUTEX)).unwrap();
        waiting.wait_open();
    }).unwrap();

    let held = Arc::new(Mutex::new(7u32));
    let _guard = held.lock().unwrap();
    let report = tids_in.clone();
    let contended = held.clone();
    thread::Builder::new().name("mutex".into()).spawn(move || {
        report.send((gettid(), SYS_FUTEX)).unwrap();
        parking::lock_forever(&contended);
    }).unwrap();

    let (_never_sent, receiver) = mpsc::channel::<u64>();
    let report = tids_in.clone();
    thread::Builder::new().name("channel".into()).spawn(move || {
        report.send((gettid(), SYS_FUTEX)).unwrap();
        parking::receive(&receiver);
    }).unwrap();

    let report = tids_in.clone();
    thread::Builder::new().name("sleeper".into()).spawn(move || {
        report.send((gettid(), SYS_CLOCK_NANOSLEEP)).unwrap();
        loop {
            thread::sleep(Duration::from_secs(3));
        }
    }).unwrap();

    let expected: Vec<(i64, i64)> = (0..4).map(|_| tids.recv().unwrap()).collect();
    for _ in 0..3000 {
        if expected.iter().all(|&(tid, number)| parked_in(tid, number)) { break; }
        thread::sleep(Duration::from_millis(10));
    }
    println!("ready");

    loop {
        let now = fs::read_to_string("/proc/self/stat").unwrap().split(' ').nth(3).unwrap().to_string();
        if now != parent { std::process::exit(0); }
        thread::sleep(Duration::from_millis(100));
    }
}
