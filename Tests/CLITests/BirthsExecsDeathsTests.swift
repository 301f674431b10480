import Foundation
import CPtrace
import ProcFS
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16's acceptance, on fixture-spawner (forks and execs on SIGUSR1,
/// crashes on SIGUSR2): `run --events --execs`, `hold PID --births`,
/// `hold --wait-for`, and a fatal signal held and passed on.
@Suite(.serialized, .timeLimit(.minutes(8))) struct BirthsExecsDeathsTests {
    static let spawner = BuiltProducts.path("fixture-spawner")

    /// A process whose stdout lines are collected as they come: lwpscope's
    /// event lines and, under `run`, the program's own.
    final class Lines: @unchecked Sendable {
        let process: ChildProcess
        private final class Store: Sendable { let all = Mutex<[String]>([]) }
        private let store = Store()

        init(_ path: String, _ arguments: [String], withInput: Bool = true) throws {
            process = try ChildProcess(path: path, arguments: arguments, withInput: withInput)
            let reader = Thread { [process, store] in
                while let line = process.readLine(timeout: 3600) { store.all.withLock { $0.append(line) } }
            }
            reader.start()
        }

        var lines: [String] { store.all.withLock { $0 } }

        func events(_ kind: String) -> [[String: Any]] {
            lines.compactMap { line in
                guard line.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["event"] as? String == kind else { return nil }
                return object
            }
        }

        /// The number after `prefix` on the first line that starts with it.
        func number(after prefix: String) -> Int32? {
            lines.lazy.compactMap { line -> Int32? in
                guard line.hasPrefix(prefix) else { return nil }
                return Int32(line.dropFirst(prefix.count).split(separator: " ").first ?? "")
            }.first
        }

        func has(_ line: String) -> Bool { lines.contains(line) }

        func finish(_ command: String?) -> Int32? {
            if let command { process.send(command) } else { process.closeInput() }
            guard let status = process.waitForExit(timeout: 30) else { return nil }
            return lwp_wifexited(status) != 0 ? lwp_wexitstatus(status) : 128 + lwp_wtermsig(status)
        }
    }

    func isTracingStop(_ pid: Int32) -> Bool {
        TaskStates.of(pid).contains { $0.state == .tracingStop && $0.tracerID != 0 }
    }

    func runningUntraced(_ pid: Int32) -> Bool {
        TaskStates.untraced(pid) && !TaskStates.of(pid).isEmpty
    }

    @Test func runHoldsAChildAtTheExecOfAMatchingProgramBeforeItsMain() throws {
        let run = try Lines(BuiltProducts.path("lwpscope"),
                            ["run", "--events", "--json", "--execs", "fixture-spawn*", "--",
                             Self.spawner, "--exec", Self.spawner, "--target"])
        #expect(waitUntil(timeout: 60) { run.number(after: "ready ") != nil }, "\(run.lines) \(run.process.standardError())")
        let daemon = try #require(run.number(after: "ready "))
        #expect(!TaskStates.untraced(daemon), "the daemon runs traced")
        kill(daemon, SIGUSR1)
        #expect(waitUntil(timeout: 60) { !run.events("held").isEmpty },
                "lines \(run.lines); stderr \(run.process.standardError()); daemon \(TaskStates.of(daemon)); children \((try? String(contentsOfFile: "/proc/\(daemon)/task/\(daemon)/children", encoding: .utf8)) ?? "")")
        let held = try #require(run.events("held").first)
        let child = try #require((held["pid"] as? Int).map(Int32.init))
        #expect(held["at"] as? String == "exec")
        #expect((held["exe"] as? String)?.hasSuffix("/fixture-spawner") == true, "\(held)")
        #expect(run.has("child \(child) ran"), "the child ran up to its exec")
        #expect(ProcFS().executablePath(child)?.hasSuffix("/fixture-spawner") == true)
        #expect(isTracingStop(child), "\(TaskStates.of(child))")
        usleepMillis(200)
        #expect(!run.has("main ran \(child)"), "the new program's main ran while held")

        run.process.send("release \(child)")
        #expect(waitUntil(timeout: 5) { run.has("main ran \(child)") }, "\(run.lines)")
        #expect(run.finish("quit") == 0, "\(run.process.standardError())")
        #expect(runningUntraced(daemon), "\(TaskStates.of(daemon))")
        #expect(runningUntraced(child), "\(TaskStates.of(child))")
        kill(daemon, SIGTERM)
    }

    @Test func holdBirthsHoldsAForkedChildBeforeItRunsALine() throws {
        let daemon = try Lines(Self.spawner, ["--exec", Self.spawner, "--target"], withInput: false)
        #expect(waitUntil(timeout: 60) { daemon.number(after: "ready ") != nil })
        let pid = daemon.process.pid
        defer { daemon.process.terminate() }
        let hold = try Lines(BuiltProducts.path("lwpscope"), ["hold", String(pid), "--births", "--json"])
        #expect(waitUntil(timeout: 60) { !TaskStates.untraced(pid) }, "\(hold.process.standardError())")
        kill(pid, SIGUSR1)
        #expect(waitUntil(timeout: 60) { hold.events("held").contains { $0["at"] as? String == "birth" } },
                "\(hold.lines) \(hold.process.standardError())")
        let held = try #require(hold.events("held").first { $0["at"] as? String == "birth" })
        let child = try #require((held["pid"] as? Int).map(Int32.init))
        #expect(held["tid"] as? Int == Int(child))
        usleepMillis(200)
        #expect(!daemon.has("child \(child) ran"), "the child ran a line while held")
        #expect(isTracingStop(child))
        hold.process.send("release \(child)")
        #expect(waitUntil(timeout: 5) { daemon.has("child \(child) ran") && daemon.has("main ran \(child)") },
                "\(daemon.lines)")
        #expect(hold.events("released").contains { $0["tid"] as? Int == Int(child) })
        #expect(hold.finish("quit") == 0, "\(hold.process.standardError())")
        #expect(runningUntraced(pid), "\(TaskStates.of(pid))")
        #expect(runningUntraced(child), "\(TaskStates.of(child))")
    }

    @Test func waitForCatchesAProcessStartedAfterItWithinTheDelayItReports() throws {
        let label = "wait\(UInt32.random(in: 100_000...999_999))"
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(label)").path
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Self.spawner)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let hold = try Lines(BuiltProducts.path("lwpscope"), ["hold", "--wait-for", "*\(label)*", "--json"])
        usleepMillis(500)
        let target = try Lines(link, ["--target"], withInput: false)
        defer { target.process.terminate() }
        #expect(waitUntil(timeout: 60) { !hold.events("attached").isEmpty }, "\(hold.lines) \(hold.process.standardError())")
        let attached = try #require(hold.events("attached").first)
        #expect(attached["pid"] as? Int == Int(target.process.pid))
        let delay = try #require(attached["delayMilliseconds"] as? Double, "no delay reported: \(attached)")
        #expect(delay > 0 && delay < 10_000, "delay \(delay) ms")
        #expect(isTracingStop(target.process.pid), "held at once: \(TaskStates.of(target.process.pid))")
        #expect(hold.finish("quit") == 0, "\(hold.process.standardError())")
        #expect(runningUntraced(target.process.pid))
    }

    @Test func aFatalSignalIsHeldAndPassTIDLetsTheProcessDieAsItWould() throws {
        let run = try Lines(BuiltProducts.path("lwpscope"), ["run", "--events", "--json", "--", Self.spawner])
        #expect(waitUntil(timeout: 60) { run.number(after: "ready ") != nil }, "\(run.lines) \(run.process.standardError())")
        let daemon = try #require(run.number(after: "ready "))
        kill(daemon, SIGUSR2)
        let masks = ((try? String(contentsOfFile: "/proc/\(daemon)/status", encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { $0.hasPrefix("Sig") || $0.hasPrefix("Shd") }.joined(separator: " ")
        #expect(waitUntil(timeout: 60) { !run.events("signal").isEmpty },
                "lines \(run.lines); stderr \(run.process.standardError()); daemon \(TaskStates.of(daemon)); \(masks)")
        let signal = try #require(run.events("signal").first)
        #expect(signal["signal"] as? String == "SIGSEGV")
        #expect(signal["address"] as? String == "0x0")
        let tid = try #require((signal["tid"] as? Int).map(Int32.init))
        #expect(ProcFS().comm(daemon, thread: tid) == "crasher")
        usleepMillis(200)
        #expect(!TaskStates.of(daemon).isEmpty, "the process died while held")
        run.process.send("pass \(tid)")
        #expect(waitUntil(timeout: 60) { !run.events("exited").isEmpty }, "\(run.lines)")
        #expect(run.events("exited").first?["signal"] as? String == "SIGSEGV", "\(run.events("exited"))")
        #expect(run.process.waitForExit(timeout: 10) != nil, "lwpscope goes when nothing is left")
    }

    /// The child a daemon forks, once it has exec'd, segfaults: held at the
    /// signal, named with its thread and the address; `pass` lets it die of
    /// SIGSEGV, which is what the daemon's waitpid sees.
    @Test func aChildThatSegfaultsAfterExecIsHeldAndItsParentSeesTheSIGSEGV() throws {
        let run = try Lines(BuiltProducts.path("lwpscope"),
                            ["run", "--events", "--json", "--execs", "fixture-spawn*", "--",
                             Self.spawner, "--exec", Self.spawner, "--target", "--crash"])
        #expect(waitUntil(timeout: 60) { run.number(after: "ready ") != nil }, "\(run.lines) \(run.process.standardError())")
        let daemon = try #require(run.number(after: "ready "))
        defer { kill(daemon, SIGTERM) }
        kill(daemon, SIGUSR1)
        #expect(waitUntil(timeout: 60) { !run.events("held").isEmpty }, "\(run.lines) \(run.process.standardError())")
        let child = try #require((run.events("held").first?["pid"] as? Int).flatMap { Int32(exactly: $0) })
        run.process.send("release \(child)")
        #expect(waitUntil(timeout: 60) { !run.events("signal").isEmpty }, "\(run.lines) \(run.process.standardError())")
        let signal = try #require(run.events("signal").first)
        #expect(signal["pid"] as? Int == Int(child))
        #expect(signal["tid"] as? Int == Int(child), "the faulting thread is the child's main thread")
        #expect(signal["signal"] as? String == "SIGSEGV")
        #expect(signal["address"] as? String == "0x0")
        #expect(run.has("main ran \(child)"), "it crashed after its exec, in the new program")
        usleepMillis(200)
        #expect(isTracingStop(child), "held, not dead: \(TaskStates.of(child))")
        #expect(!run.has("reaped \(child)"))
        run.process.send("pass \(child)")
        #expect(waitUntil(timeout: 30) { run.has("reaped \(child) signal \(SIGSEGV)") },
                "the parent's wait did not see SIGSEGV: \(run.lines)")
        #expect(run.finish("quit") == 0, "\(run.process.standardError())")
        #expect(runningUntraced(daemon), "\(TaskStates.of(daemon))")
    }

    @Test func aCommandThatCannotRunIsOneLineAndExitOne() throws {
        let run = try Lines(BuiltProducts.path("lwpscope"), ["run", "--events", "--", "/no/such/program"])
        #expect(run.finish(nil) == 1)
        let message = run.process.standardError()
        #expect(message.contains("/no/such/program") && message.split(separator: "\n").count == 1, "\(message)")
    }
}
