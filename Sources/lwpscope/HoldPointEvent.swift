import Foundation
import HoldPoints
import Paths

/// One line `hold --at` prints: text for people, a JSON object for scripts.
enum HoldPointEvent {
    case point(PlacedPoint)
    case parked(pid: Int32, tid: Int32, name: String, point: PlacedPoint?)
    case released(pid: Int32, tid: Int32)
    case exited(pid: Int32, tid: Int32)
    /// The points with their parked threads, beside the process's hold flags.
    case list(pid: Int32, points: [PlacedPoint], parked: [Int: [Int32]], flags: [HoldReport.Flag])
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
        case .pending(let pid, let location, let reason):
            "pending \(location) in \(pid): \(reason)"
        case .list(_, let points, let parked, let flags):
            (points.isEmpty ? ["no points"] : points.map { placed in
                let tids = parked[placed.spec.id] ?? []
                return "point \(placed.spec.id) \(placed.location) at \(hex(placed.spec.address)): "
                    + (tids.isEmpty ? "nothing parked" : "parked " + tids.map(String.init).joined(separator: " "))
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
        case .pending(let pid, let location, let reason):
            Self.encode(PendingLine(event: "pending", pid: pid, location: location, reason: reason))
        case .list(let pid, let points, let parked, let flags):
            Self.encode(ListLine(event: "list", pid: pid, points: points.map { placed in
                HoldReport.Point(location: placed.location, address: hex(placed.spec.address), module: placed.resolved.module,
                                 parkedThreads: parked[placed.spec.id] ?? [])
            }, flags: flags))
        }
    }


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
    private struct ThreadLine: Encodable {
        var event: String, pid: Int32, tid: Int32
    }
    private struct ListLine: Encodable {
        var event: String, pid: Int32, points: [HoldReport.Point], flags: [HoldReport.Flag]
    }
}

private extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}
