@testable import Inspector

/// Data as the controller would hand it over: a server with workers held on
/// a flag, a thread held at birth, a child held at birth, and a ps listing
/// with the processes that cannot be attached.
enum Fixtures {
    static let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
    static let server = "/usr/local/bin/server"

    static let status = InspectorStatus(pid: 4242, command: "./server --workers 6", paused: false, interval: 1,
                                        stallMicroseconds: 312, holdingNew: true)

    static let pickerRows: [PickerRow] = [
        PickerRow(pid: 1, ppid: 0, user: "root", threads: 1, state: "S", cpuPercent: 0, rssKiB: 12_800,
                  command: "/sbin/init", attachable: false, whyNot: "no permission"),
        PickerRow(pid: 2, ppid: 0, user: "root", threads: 1, state: "S", cpuPercent: 0, rssKiB: 0,
                  command: "[kthreadd]", attachable: false, whyNot: "kernel thread"),
        PickerRow(pid: 57, ppid: 2, user: "root", threads: 1, state: "I", cpuPercent: 0.3, rssKiB: 0,
                  command: "[kworker/u8:2-events_unbound]", attachable: false, whyNot: "kernel thread"),
        PickerRow(pid: 900, ppid: 1, user: "dev", threads: 1, state: "S", cpuPercent: 0, rssKiB: 5_632,
                  command: "-bash"),
        PickerRow(pid: 4242, ppid: 900, user: "dev", threads: 8, state: "S", cpuPercent: 93.4, rssKiB: 184_320,
                  command: "./server --workers 6"),
        PickerRow(pid: 4250, ppid: 4242, user: "dev", threads: 1, state: "t", cpuPercent: 0, rssKiB: 2_048,
                  command: "./server --workers 6 --child"),
        PickerRow(pid: 4260, ppid: 4242, user: "dev", threads: 1, state: "Z", cpuPercent: 0, rssKiB: 0,
                  command: "[worker-helper] <defunct>", attachable: false, whyNot: "zombie"),
        PickerRow(pid: 5001, ppid: 900, user: "dev", threads: 2, state: "R", cpuPercent: 1.2, rssKiB: 9_216,
                  command: "lwpscope", attachable: false, whyNot: "that is lwpscope itself"),
        PickerRow(pid: 7310, ppid: 1, user: "memcache", threads: 10, state: "S", cpuPercent: 4.5, rssKiB: 2_202_009,
                  command: "/usr/bin/memcached -t 6 -m 2048 -p 11211 -U 0 -l 127.0.0.1 -c 1024 -v"),
        PickerRow(pid: 8123, ppid: 900, user: "dev", threads: 5, state: "S", cpuPercent: 0.1, rssKiB: 31_744,
                  command: "python3 worker_pool.py --jobs 4"),
    ]

    static let tree: [ProcessTreeRow] = [
        ProcessTreeRow(pid: 900, parent: 1, command: "-bash", depth: 0, state: "S", cpuPercent: 0),
        ProcessTreeRow(pid: 4242, parent: 900, command: "./server --workers 6", depth: 1, isCurrent: true, traced: true,
                       state: "S", cpuPercent: 90.4, heldThreads: 3),
        ProcessTreeRow(pid: 4250, parent: 4242, command: "./server --child", depth: 2, traced: true, heldAtBirth: true,
                       state: "t", cpuPercent: 0, heldThreads: 1),
        ProcessTreeRow(pid: 4251, parent: 4242, command: "./server --child", depth: 2, traced: true, exited: "exited 0"),
    ]

    /// A tree under PID 1 with its long command line, and an untraced child.
    static let deepTree: [ProcessTreeRow] = [
        ProcessTreeRow(pid: 1, parent: nil, command: "/usr/lib/systemd/systemd --switched-root --system --deserialize 31",
                       depth: 0, state: "S"),
        ProcessTreeRow(pid: 900, parent: 1, command: "/usr/bin/bash --login -i", depth: 1, state: "S"),
        ProcessTreeRow(pid: 4242, parent: 900, command: "./server --workers 6", depth: 2, isCurrent: true, traced: true,
                       state: "S", cpuPercent: 12.5, heldThreads: 2),
        ProcessTreeRow(pid: 4252, parent: 4242, command: "./server --helper", depth: 3, state: "S", cpuPercent: 0.5),
    ]

    /// 36 threads with long names and a long hold flag, for the layout at real sizes.
    static let manyThreads: [ThreadRow] = (0..<36).map { index in
        let tid = Int32(5000 + index)
        let held = index % 6 == 1
        return ThreadRow(tid: tid, name: index == 0 ? "server" : "pool-worker-\(index)", state: held ? "S" : "R",
                         cpuPercent: Double(index % 7) * 3.5, wchan: held ? "hrtimer_nanosleep" : "futex_wait_queue",
                         function: index % 5 == 0 ? "std::vector<std::pair<std::string, int>>::_M_realloc_insert" : "worker_loop",
                         heldFlag: held ? "hold_request_pipeline_workers" : nil, stackGroup: held ? 1 : nil,
                         stackFunctions: ["worker_loop", "run_pool", "start_thread"])
    }

    static let threads: [ThreadRow] = [
        ThreadRow(tid: 4242, name: "server", state: "S", cpuPercent: 0.5, wchan: "do_epoll_wait", function: "epoll_wait"),
        ThreadRow(tid: 4243, name: "worker-1", state: "S", cpuPercent: 0, wchan: "hrtimer_nanosleep",
                  function: "lwp_hold_wait", heldFlag: "hold_workers", stackGroup: 1),
        ThreadRow(tid: 4244, name: "worker-2", state: "R", cpuPercent: 87.5, wchan: nil, function: "crunch_numbers"),
        ThreadRow(tid: 4245, name: "worker-3", state: "S", cpuPercent: 0, wchan: "hrtimer_nanosleep",
                  function: "lwp_hold_wait", heldFlag: "hold_workers", stackGroup: 1),
        ThreadRow(tid: 4246, name: "logger", state: "S", cpuPercent: 2.25, wchan: "futex_wait_queue",
                  function: "pthread_cond_wait"),
        ThreadRow(tid: 4247, name: "io-uring-sq", state: "S", cpuPercent: 0, wchan: "io_sq_thread", function: nil),
        ThreadRow(tid: 4248, name: "worker-4", state: "t", cpuPercent: 0, wchan: "ptrace_stop", function: "start_thread",
                  heldAtBirth: true),
        ThreadRow(tid: 4249, name: "stats", state: "S", cpuPercent: 0.1, wchan: "hrtimer_nanosleep",
                  function: "std::this_thread::sleep_for<long, std::ratio<1l, 1000l> >"),
    ]

    static let heldBacktrace = Backtrace(tid: 4245, frames: [
        BacktraceFrame(index: 0, pc: 0x7f90_770e_d545, function: "clock_nanosleep", offset: 0x65, module: libc),
        BacktraceFrame(index: 1, pc: 0x7f90_770f_1e53, function: "__nanosleep", offset: 0x13, module: libc),
        BacktraceFrame(index: 2, pc: 0x55ca_c88b_a2a5, function: "lwp_hold_wait", offset: 0x35, module: server,
                       file: "/src/server/hold.h", line: 12, isInline: true),
        BacktraceFrame(index: 3, pc: 0x55ca_c88b_a2a5, function: "worker_inner", offset: 0x35, module: server,
                       file: "/src/server/worker.c", line: 88),
        BacktraceFrame(index: 4, pc: 0x55ca_c88b_b2b9, function: nil, offset: 0x32b9, module: server),
        BacktraceFrame(index: 5, pc: 0x7f90_770a_71f5, function: "start_thread", offset: 0x305, module: libc),
        BacktraceFrame(index: 6, pc: 0x7f90_7712_78ec, function: "clone3", offset: 0x2c, module: libc),
    ])

    static let flags: [HoldFlagRow] = [
        HoldFlagRow(name: "hold_workers", module: server, value: 1, size: 4, address: 0x55ca_c88b_e010, heldThreadCount: 2),
        HoldFlagRow(name: "hold_logger", module: server, value: 0, size: 4, address: 0x55ca_c88b_e014),
        HoldFlagRow(name: "lwp_hold_new", module: "/usr/lib/liblwphold.so.1", value: 0, size: 1, address: 0x7f90_7720_0040),
    ]

    /// The main screen with every pane filled and `selecting` selected in pane 2.
    static func mainState(capabilities: Capabilities = Capabilities(), selecting tid: Int32? = nil) -> InspectorState {
        var state = InspectorState(capabilities: capabilities, attached: status)
        state.setProcessTree(tree)
        state.setThreads(threads)
        state.setHoldFlags(flags)
        state.setBacktrace(heldBacktrace)
        if let tid { state.selectThread(tid) }
        return state
    }

    static func pickerState(capabilities: Capabilities = Capabilities()) -> InspectorState {
        var state = InspectorState(capabilities: capabilities)
        state.setProcessList(pickerRows)
        return state
    }
}

extension InspectorState {
    /// Moves the thread cursor with the keys a user would press.
    mutating func selectThread(_ tid: Int32) {
        _ = handle(.character("2"))
        _ = handle(.home)
        while selectedThreadID != tid {
            let before = selectedThreadID
            _ = handle(.down)
            precondition(selectedThreadID != before, "thread \(tid) is not in the table")
        }
    }

    /// Types `text` as keys.
    mutating func type(_ text: String) {
        for character in text { _ = handle(.character(character)) }
    }
}
