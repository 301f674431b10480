import ArgumentParser
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Engine
import ProcFS
import Waits

struct ThreadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threads",
        abstract: "Stop every thread of a process at one instant, record it, and let it go.",
        discussion: """
            Prints each thread's tid, name, state, last CPU, wait channel, and pc/sp read while \
            stopped; and, for each blocked thread, what it waits on (the system call, its \
            descriptor or futex, who is at the other end) and every cycle of threads waiting on \
            each other. Waits are read from /proc, sock_diag and memory: they cost no stop.
            """)

    @Argument(help: "The process id (a thread id stands for its process).")
    var pid: Int32

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .long, help: "Stay attached and print a new snapshot every interval until interrupted.")
    var watch = false

    @Option(name: .long, help: "Seconds between snapshots with --watch.")
    var interval: Double = 1

    func validate() throws {
        guard interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval must be between 0.01 and 3600 seconds")
        }
    }

    func run() async throws {
        let engine = TraceEngine()
        // Ctrl-C, SIGTERM, SIGHUP (a closed terminal) and SIGQUIT detach first.
        let shutdown = ShutdownOnSignals { await engine.close() }
        defer { shutdown.disarm() }
        let processID: Int32
        switch await EngineCall.attach(pid, engine: engine) {
        case .success(let attached): processID = attached
        case .failure(let error):
            await shutdown.yieldToSignalHandler()
            await engine.close()
            throw fail(error)
        }
        let analyzer = WaitAnalyzer()
        repeat {
            let result = await EngineCall.snapshot(processID, engine: engine, detachAfter: !watch)
            let snapshot: ProcessSnapshot
            switch result {
            case .success(let taken): snapshot = taken
            case .failure(let error):
                await shutdown.yieldToSignalHandler()
                await engine.close()
                throw fail(error)
            }
            try printSnapshot(snapshot, waits: analyzer.analyze(WaitInputs.of(snapshot)))
            if watch { try await Task.sleep(for: .seconds(interval)) }
        } while watch
        await engine.close()
    }

    private func printSnapshot(_ snapshot: ProcessSnapshot, waits: WaitReport) throws {
        if json {
            try printJSON(ThreadsReport(snapshot, waits: waits))
            return
        }
        print("pid \(snapshot.pid) (\(snapshot.command)): \(snapshot.threads.count) threads, stopped \(snapshot.stoppedMicroseconds) µs")
        var table = TextTable([
            ("TID", .right), ("NAME", .left), ("S", .left), ("CPU", .right), ("WCHAN", .left),
            ("PC", .left), ("SP", .left), ("WAITS ON", .left),
        ])
        for thread in snapshot.threads {
            table.append([
                String(thread.tid), thread.name, String(thread.state.letter), String(thread.lastCPU),
                thread.waitChannel ?? "-",
                thread.registers.map { hex($0.pc) } ?? "-",
                thread.registers.map { hex($0.sp) } ?? (thread.unavailableReason ?? "-"),
                waits.wait(pid: snapshot.pid, tid: thread.tid).map { $0.label() } ?? "-",
            ])
        }
        print(table.render())
        let names = WaitNames(waits, threads: snapshot.threads.map { (snapshot.pid, $0.tid, $0.name) })
        for cycle in waits.cycles { print(GraphText.cycleLine(cycle, names: names, edges: waits.edges)) }
        if watch { print() }
        fflush(nil)
    }
}

/// The JSON shape of `threads --json`.
struct ThreadsReport: Encodable {
    struct Thread: Encodable {
        var tid: Int32
        var name: String
        var state: String
        var cpu: Int
        var wchan: String?
        var pc: String?
        var sp: String?
        var error: String?
        /// Null when running (or not known to wait).
        var waitsOn: ThreadWait?
    }

    var pid: Int32
    var command: String
    var stoppedMicroseconds: Int
    var threads: [Thread]
    /// Every cycle of threads waiting on each other, this process's threads among them.
    var cycles: [[ThreadRef]]

    init(_ snapshot: ProcessSnapshot, waits: WaitReport) {
        pid = snapshot.pid
        command = snapshot.command
        stoppedMicroseconds = snapshot.stoppedMicroseconds
        threads = snapshot.threads.map { t in
            Thread(
                tid: t.tid, name: t.name, state: String(t.state.letter), cpu: t.lastCPU, wchan: t.waitChannel,
                pc: t.registers.map { hex($0.pc) }, sp: t.registers.map { hex($0.sp) }, error: t.unavailableReason,
                waitsOn: waits.wait(pid: snapshot.pid, tid: t.tid))
        }
        cycles = waits.cycles
    }

    enum CodingKeys: String, CodingKey { case pid, command, stoppedMicroseconds, threads, cycles }
}

extension ThreadsReport.Thread {
    // nil fields are written as null, so every thread has the same keys.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tid, forKey: .tid)
        try c.encode(name, forKey: .name)
        try c.encode(state, forKey: .state)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(wchan, forKey: .wchan)
        try c.encode(pc, forKey: .pc)
        try c.encode(sp, forKey: .sp)
        if let error { try c.encode(error, forKey: .error) }
        try c.encode(waitsOn, forKey: .waitsOn)
    }

    enum CodingKeys: String, CodingKey { case tid, name, state, cpu, wchan, pc, sp, error, waitsOn }
}
