import Engine
import FoundationEssentials
import Inspector
import HoldPoints
import Paths

/// One line an event session (`hold --at`, `hold --births`, `run --events`)
/// prints: text for people, a JSON object for scripts.
enum SessionEvent {
    case point(PlacedPoint)
    case parked(pid: Int32, tid: Int32, name: String, point: PlacedPoint?)
    case released(pid: Int32, tid: Int32)
    /// A parked thread ended.
    case exited(pid: Int32, tid: Int32)
    /// A traced process ended.
    case processExited(pid: Int32, status: TerminationStatus)
    /// Held at birth, at an exec, or at the start (`at`), before it ran.
    case held(pid: Int32, tid: Int32, at: String, command: String, exe: String)
    /// Held at the delivery of a signal that would kill it.
    case signal(pid: Int32, tid: Int32, signal: Int32, address: UInt64)
    /// Followed for the exec rules, it exec'd something none matches: let go untouched.
    case detached(pid: Int32, exe: String)
    /// `--wait-for`: the process caught, and how long after its exec (when known).
    case attached(pid: Int32, command: String, delayMilliseconds: Double?)
    /// Held for longer than `HeldTask.longHold`: its parent or peers may time out.
    case longHold(pid: Int32, tid: Int32, seconds: Double)
    /// The points with their parked threads and the threads held otherwise,
    /// beside the process's hold flags.
    case list(pid: Int32, points: [PlacedPoint], parked: [Int: [Int32]], held: [HeldLine], flags: [HoldReport.Flag])

    /// A held thread as `list` shows it.
    struct HeldLine: Encodable {
        var pid: Int32, tid: Int32, at: String, seconds: Double, long: Bool
    }
    /// A location not (yet) in a process's new image, after an exec.
    case pending(pid: Int32, location: String, reason: String)

    var text: String {
        switch self {
        case .point(let placed):
            "point \(placed.spec.id) \(placed.location) at \(hex(placed.spec.address)) in \(Path.basename(placed.resolved.module))"
                + placed.whereText.map { ": \($0)" }.orEmpty
        case .parked(_, let tid, let name, let point):
            "parked \(tid) \(name) at " + (point?.whereText ?? point?.location ?? "a hold point")
        case .released(_, let tid):
            "released \(tid)"
        case .exited(_, let tid):
            "exited \(tid)"
        case .processExited(let pid, let status):
            "exited \(pid): \(status)"
        case .held(let pid, let tid, let at, let command, _):
            "held \(tid == pid ? "\(pid)" : "\(tid) of \(pid)") at \(at): \(command)"
        case .signal(let pid, let tid, let signal, let address):
            "signal \(Self.signalText(signal)) held in \(tid) of \(pid)" + (address == 0 ? "" : " at \(hex(address))")
                + ": `pass \(tid)` delivers it"
        case .detached(let pid, let exe):
            "detached \(pid): it exec'd \(exe), which no --execs matches"
        case .attached(let pid, let command, let delay):
            "attached \(pid) \(command)" + (delay.map { ", \(Formatting.oneDecimal($0)) ms after its exec" } ?? "")
        case .longHold(let pid, let tid, let seconds):
            "held \(tid) of \(pid) for \(Int(seconds)) s: its parent or peers may time out on it"
        case .pending(let pid, let location, let reason):
            "pending \(location) in \(pid): \(reason)"
        case .list(_, let points, let parked, let held, let flags):
            (points.isEmpty ? ["no points"] : points.map { placed in
                let tids = parked[placed.spec.id] ?? []
                return "point \(placed.spec.id) \(placed.location) at \(hex(placed.spec.address)): "
                    + (tids.isEmpty ? "nothing parked" : "parked " + tids.map(String.init).joined(separator: " "))
            } + held.map { line in
                "held \(line.tid) of \(line.pid) at \(line.at) for \(Formatting.oneDecimal(line.seconds)) s" + (line.long ? " (long)" : "")
            } + flags.map { flag in
                "flag \(flag.displayName) = \(flag.value.map(String.init) ?? "?"): "
                    + (flag.heldThreads.isEmpty ? "nothing held" : "held " + flag.heldThreads.map(String.init).joined(separator: " "))
            }).joined(separator: "\n")
        }
    }

    var json: String {
        switch self {
        case .point(let placed):
            Self.encode(PointLine(event: "point", location: placed.location, address: hex(placed.spec.address),
                                  module: placed.resolved.module, function: placed.resolved.function,
                                  file: placed.resolved.file, line: placed.resolved.line))
        case .parked(let pid, let tid, let name, let point):
            Self.encode(ParkedLine(event: "parked", pid: pid, tid: tid, name: name, location: point?.location,
                                   function: point?.resolved.function, file: point?.resolved.file, line: point?.resolved.line))
        case .released(let pid, let tid):
            Self.encode(ThreadLine(event: "released", pid: pid, tid: tid))
        case .exited(let pid, let tid):
            Self.encode(ThreadLine(event: "exited", pid: pid, tid: tid))
        case .processExited(let pid, let status):
            switch status {
            case .exited(let code): Self.encode(ExitLine(event: "exited", pid: pid, status: code, signal: nil))
            case .killed(let signal): Self.encode(ExitLine(event: "exited", pid: pid, status: nil, signal: Self.signalText(signal)))
            }
        case .held(let pid, let tid, let at, let command, let exe):
            Self.encode(HeldEventLine(event: "held", pid: pid, tid: tid, at: at, command: command, exe: exe))
        case .signal(let pid, let tid, let signal, let address):
            Self.encode(SignalLine(event: "signal", pid: pid, tid: tid, signal: Self.signalText(signal), address: hex(address)))
        case .detached(let pid, let exe):
            Self.encode(DetachedLine(event: "detached", pid: pid, exe: exe))
        case .attached(let pid, let command, let delay):
            Self.encode(AttachedLine(event: "attached", pid: pid, command: command, delayMilliseconds: delay))
        case .longHold(let pid, let tid, let seconds):
            Self.encode(LongHoldLine(event: "long-hold", pid: pid, tid: tid, seconds: seconds))
        case .pending(let pid, let location, let reason):
            Self.encode(PendingLine(event: "pending", pid: pid, location: location, reason: reason))
        case .list(let pid, let points, let parked, let held, let flags):
            Self.encode(ListLine(event: "list", pid: pid, points: points.map { placed in
                HoldReport.Point(location: placed.location, address: hex(placed.spec.address), module: placed.resolved.module,
                                 parkedThreads: parked[placed.spec.id] ?? [])
            }, held: held, flags: flags))
        }
    }


    /// `SIGSEGV`, or `signal 40`.
    static func signalText(_ signal: Int32) -> String { signalName(signal) ?? "signal \(signal)" }

    private static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private struct PointLine: Encodable {
        var event: String, location: String, address: String, module: String
        var function: String?, file: String?, line: Int?
    }
    private struct ParkedLine: Encodable {
        var event: String, pid: Int32, tid: Int32, name: String
        var location: String?, function: String?, file: String?, line: Int?
    }
    private struct PendingLine: Encodable {
        var event: String, pid: Int32, location: String, reason: String
    }
    private struct ExitLine: Encodable {
        var event: String, pid: Int32, status: Int32?, signal: String?
    }
    private struct HeldEventLine: Encodable {
        var event: String, pid: Int32, tid: Int32, at: String, command: String, exe: String
    }
    private struct SignalLine: Encodable {
        var event: String, pid: Int32, tid: Int32, signal: String, address: String
    }
    private struct DetachedLine: Encodable {
        var event: String, pid: Int32, exe: String
    }
    private struct AttachedLine: Encodable {
        var event: String, pid: Int32, command: String, delayMilliseconds: Double?
    }
    private struct LongHoldLine: Encodable {
        var event: String, pid: Int32, tid: Int32, seconds: Double
    }
    private struct ThreadLine: Encodable {
        var event: String, pid: Int32, tid: Int32
    }
    private struct ListLine: Encodable {
        var event: String, pid: Int32, points: [HoldReport.Point], held: [HeldLine], flags: [HoldReport.Flag]
    }
}

private extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}
