/// Agreeing and compared counts.
public struct AgreementTally: Equatable, Sendable, CustomStringConvertible {
    public var agreeing = 0
    public var total = 0

    public init(agreeing: Int = 0, total: Int = 0) {
        self.agreeing = agreeing
        self.total = total
    }

    /// Percent agreeing; 0 when nothing was compared, so an empty comparison
    /// never passes a threshold.
    public var percentage: Double { total == 0 ? 0 : Double(agreeing) * 100 / Double(total) }

    mutating func agree() { agreeing += 1; total += 1 }
    mutating func disagree() { total += 1 }
    mutating func count(_ agrees: Bool) { agrees ? agree() : disagree() }
    mutating func add(_ other: AgreementTally) {
        agreeing += other.agreeing
        total += other.total
    }

    public var description: String {
        "\(agreeing)/\(total) (\((percentage * 10).rounded() / 10)%)"
    }
}

public struct FrameDisagreement: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// gdb shows the thread; we do not.
        case missingThread = "thread"
        /// gdb's frame has no frame of ours at its place (a caller's return
        /// address, or frame 0's name).
        case frame
        /// A frame of ours that gdb does not have, between matched frames or
        /// after the last.
        case extraFrame = "extra frame"
        /// The frames line up but the name we print is not gdb's.
        case name
        /// The name is gdb's function but not as gdb spells it (strict score).
        case spelling
    }

    public var tid: Int32
    /// gdb's frame number: of the frame compared, or for an extra frame of
    /// ours the gdb frame it comes before (one past gdb's last after them).
    public var gdbIndex: Int
    public var kind: Kind
    /// Our frame at that place, as "pc name (module)", or what is missing.
    public var ours: String
    public var gdb: String

    public init(tid: Int32, gdbIndex: Int, kind: Kind, ours: String, gdb: String) {
        self.tid = tid
        self.gdbIndex = gdbIndex
        self.kind = kind
        self.ours = ours
        self.gdb = gdb
    }

    public var description: String { "tid \(tid) #\(gdbIndex) \(kind.rawValue): ours \(ours) | gdb \(gdb)" }
}

public struct AgreementReport: Equatable, Sendable, CustomStringConvertible {
    /// Frames: gdb's frames we have (frame 0 by name, callers by return
    /// address), over gdb's frames plus the frames of ours gdb does not have.
    public var frames = AgreementTally()
    /// Of those, the frames of ours gdb does not have.
    public var extraFrames = 0
    /// Every name we print at a frame that lined up, against gdb's.
    public var names = AgreementTally()
    /// The same names, agreeing only when ours is exactly the name gdb
    /// prints: no relaxed rules, no evidence.
    public var strictNames = AgreementTally()
    /// gdb's distinct stacks (threads parked the same way are one), each
    /// agreeing when every frame and name of every thread with it does.
    public var stacks = AgreementTally()
    public var threadsCompared = 0
    /// Threads gdb shows that we do not.
    public var missingThreads: [Int32] = []
    /// Threads we show that gdb does not (not counted against us).
    public var extraThreads: [Int32] = []
    public var disagreements: [FrameDisagreement] = []
    /// Where the strict name score fails (kept apart: they do not make a
    /// stack disagree, which the relaxed rules decide).
    public var spellings: [FrameDisagreement] = []

    public init() {}

    /// A summary line, then one line per disagreement: made for test failure messages.
    public var description: String {
        var lines = [
            "frames \(frames) (\(extraFrames) of ours gdb does not have), names \(names), "
                + "stacks \(stacks), \(threadsCompared) threads compared, strict names \(strictNames)",
        ]
        if !missingThreads.isEmpty { lines.append("threads only gdb shows: \(missingThreads.map(String.init).joined(separator: ", "))") }
        if !extraThreads.isEmpty { lines.append("threads only we show: \(extraThreads.map(String.init).joined(separator: ", "))") }
        lines += disagreements.map { "  " + $0.description }
        lines += spellings.map { "  " + $0.description }
        return lines.joined(separator: "\n")
    }
}
