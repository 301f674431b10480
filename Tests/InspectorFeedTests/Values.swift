@testable import Backtraces
@testable import Engine
@testable import Holds
@testable import ProcFS

/// Hand-built values as one refresh would have them: a server whose workers
/// spin on `hold`, a thread held at birth, and frames of each kind.
enum Values {
    static let server = "/usr/local/bin/server"
    static let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"

    static func frame(
        _ index: Int, pc: UInt64, _ function: String?, offset: UInt64 = 0x10, module: String? = server,
        file: String? = nil, line: Int? = nil, inline: Bool = false
    ) -> SymbolizedFrame {
        SymbolizedFrame(
            index: index, pc: pc, module: module, function: function, rawFunction: function, offset: offset,
            method: "cfi", file: file, line: line, isInline: inline)
    }

    static func thread(_ tid: Int32, _ name: String, _ state: TaskState = .sleeping, wchan: String? = nil,
                       _ frames: [SymbolizedFrame]) -> ThreadBacktrace {
        ThreadBacktrace(tid: tid, name: name, state: state, waitChannel: wchan, frames: frames,
                        stopReason: "outermost frame", error: nil)
    }

    /// Frames of a worker spinning in `spin_on_hold`; `pc` varies between spinners.
    static func spinner(_ tid: Int32, pc: UInt64 = 0x55_0000_1234) -> ThreadBacktrace {
        thread(tid, "worker-\(tid)", .running, [
            frame(0, pc: pc, "spin_on_hold", offset: pc - 0x55_0000_1200, file: "/src/worker.c", line: 12),
            frame(1, pc: 0x55_0000_2000, "worker_main", offset: 0x40, file: "/src/worker.c", line: 30),
            frame(2, pc: 0x7f_0000_1000, "start_thread", offset: 0x305, module: libc),
        ])
    }

    static let sleeper = thread(4300, "sleeper", wchan: "hrtimer_nanosleep", [
        frame(0, pc: 0x7f_0000_0545, "clock_nanosleep", offset: 0x65, module: libc),
        frame(1, pc: 0x55_0000_3000, "sleep_loop", offset: 0x20),
        frame(2, pc: 0x7f_0000_1000, "start_thread", offset: 0x305, module: libc),
    ])

    /// Stopped at birth, before its first instruction: no symbol covers the pc.
    static let newborn = thread(4301, "worker-new", .tracingStop, wchan: "ptrace_stop", [
        frame(0, pc: 0x55_0000_4abc, nil, offset: 0x4abc),
    ])

    static let hold = HoldFlag(
        name: "hold", variableName: "hold", owners: [], scope: .global, modulePath: server,
        address: 0x55_0000_8010, linkAddress: 0x8010, size: 4)
    static let staticHold = HoldFlag(
        name: "spin_on_static_hold.hold", variableName: "hold", owners: ["spin_on_static_hold"], scope: .functionStatic,
        modulePath: server, address: 0x55_0000_8014, linkAddress: 0x8014, size: 4)

    static func entry(_ flag: HoldFlag, value: UInt64?, held: [Int32]) -> HoldSurvey.Entry {
        HoldSurvey.Entry(
            flag: flag, references: HoldFlagReferences(flag: flag, functions: [], moduleCode: []), value: value,
            heldThreads: held)
    }

    static func threadSnapshot(_ tid: Int32, cpuTicks: UInt64) -> ThreadSnapshot {
        ThreadSnapshot(tid: tid, name: "t\(tid)", state: .running, lastCPU: 0, cpuTicks: cpuTicks)
    }

    static func snapshot(_ ticks: [Int32: UInt64]) -> ProcessSnapshot {
        ProcessSnapshot(pid: 4242, command: "server", stoppedMicroseconds: 100,
                        threads: ticks.sorted { $0.key < $1.key }.map { threadSnapshot($0.key, cpuTicks: $0.value) })
    }

    static func process(
        _ pid: Int32, parent: Int32, command: String, user: (UInt32, String) = (1000, "dev"), state: TaskState = .sleeping,
        threads: Int = 1, kernel: Bool = false, tracer: Int32 = 0, ticks: UInt64 = 0, start: Int64 = 0
    ) -> ProcessSummary {
        ProcessSummary(
            pid: pid, parentID: parent, userID: user.0, user: user.1, state: state, threadCount: threads,
            cpuPercent: 0, residentKiB: 1024, startTime: start, name: command, command: command,
            isKernelThread: kernel, tracerID: tracer, cpuTicks: ticks)
    }
}
