import Engine

/// What HELD says of a thread the engine holds: why (`birth`, `exec`,
/// `start`, or the signal it would die of) and, from a second on, for how
/// long; a hold past `HeldTask.longHold` ends in `!` (its parent or peers
/// may time out on it).
public enum HeldNotes {
    public static func text(_ task: HeldTask, now: Double) -> String {
        let word: String
        switch task.reason {
        case .birth: word = "birth"
        case .exec: word = "exec"
        case .start: word = "start"
        case .signal(let signal, _): return signalName(signal) ?? "signal \(signal)"
        case .point: word = "point"
        }
        let seconds = task.heldFor(now: now)
        guard seconds >= 1 else { return word }
        return "\(word) \(Int(seconds))s" + (seconds > HeldTask.longHold ? "!" : "")
    }

    /// By tid, for the engine's holds other than hold points (HELD shows those by location).
    public static func byThread(_ tasks: [HeldTask], now: Double) -> [Int32: String] {
        var notes: [Int32: String] = [:]
        for task in tasks {
            if case .point = task.reason { continue }
            notes[task.tid] = text(task, now: now)
        }
        return notes
    }
}
