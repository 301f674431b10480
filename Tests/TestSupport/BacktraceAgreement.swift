/// How far our backtraces agree with gdb's: the yardstick for the acceptance
/// criteria (98% on a gcc -O2 -g C program, 95% on memcached -t 6).
///
/// The rules, per thread matched by tid:
///
/// - The unit is gdb's machine frame (GDBThread.physicalFrames): gdb's inline
///   frames are folded into the frame they were inlined into, so they count
///   neither for nor against us. Frames we report beyond gdb's last (gdb stops
///   at `main` and at `clone3`) are not counted either.
/// - Frame 0 agrees when its function names agree (the pc moves while threads
///   spin, and gdb may not print it). Only when gdb has no name for it (`??`)
///   is the pc compared instead.
/// - A caller frame agrees when we have a frame with the same return address
///   after the last frame we matched. Searching forward rather than insisting
///   on the same position means one frame we lack or add costs one frame, not
///   every frame after it. A matched frame moves the cursor; an unmatched one
///   does not.
/// - A frame gdb prints without an address (`<signal handler called>`) is
///   compared by name with our next frame.
/// - Names are tallied separately, over the frames matched above where gdb has
///   a name: ours must name the same function (FunctionNames.same, else the
///   caller's `sameFunction`, given our name, gdb's and our pc). A name gdb
///   shows for an inlined function counts too, so a symbolizer that reports
///   the innermost inline function is not penalised.
/// - A thread gdb shows and we do not costs all its frames.
/// - A caller frame the caller's `isTailCallFrame` rejects is not counted:
///   gdb rebuilds tail-called frames from DWARF call-site information
///   (.debug_info), which the issue leaves out of scope; their "return
///   address" follows a jmp, not a call, and no unwinder can see them.
public enum BacktraceAgreement {
    /// Decides what the built-in name rules cannot, e.g. two glibc aliases at
    /// one address, or a Swift symbol gdb left mangled: (ours, gdb's, our pc).
    public typealias SameFunction = (_ ours: String, _ gdb: String, _ pc: UInt64) -> Bool
    /// True when gdb's caller frame at this pc was synthesized for a tail call.
    public typealias TailCallTest = (_ pc: UInt64) -> Bool

    public static func compare(
        ours: DumpOutput, gdb: [GDBThread], sameFunction: SameFunction? = nil, isTailCallFrame: TailCallTest? = nil
    ) -> AgreementReport {
        compare(ours: ours.threads, gdb: gdb, sameFunction: sameFunction, isTailCallFrame: isTailCallFrame)
    }

    public static func compare(
        ours: [DumpThread], gdb: [GDBThread], sameFunction: SameFunction? = nil, isTailCallFrame: TailCallTest? = nil
    ) -> AgreementReport {
        var report = AgreementReport()
        let ourThreads = Dictionary(ours.map { ($0.tid, $0) }, uniquingKeysWith: { first, _ in first })
        let gdbTIDs = Set(gdb.map(\.tid))
        report.extraThreads = ours.map(\.tid).filter { !gdbTIDs.contains($0) }.sorted()
        for reference in gdb.sorted(by: { $0.tid < $1.tid }) {
            guard let thread = ourThreads[reference.tid] else {
                report.missingThreads.append(reference.tid)
                let frames = reference.physicalFrames
                report.frames.total += frames.count
                report.disagreements.append(FrameDisagreement(
                    tid: reference.tid, gdbIndex: 0, kind: .missingThread,
                    ours: "no such thread", gdb: "\(frames.count) frames"))
                continue
            }
            report.threadsCompared += 1
            ThreadComparison(
                ours: thread.frames, gdb: reference, sameFunction: sameFunction, isTailCallFrame: isTailCallFrame
            ).run(into: &report)
        }
        return report
    }
}

/// The walk over one thread's frames.
private struct ThreadComparison {
    let ours: [DumpFrame]
    let gdb: GDBThread
    let sameFunction: BacktraceAgreement.SameFunction?
    let isTailCallFrame: BacktraceAgreement.TailCallTest?

    func run(into report: inout AgreementReport) {
        var cursor = -1 // our index of the last matched frame
        for (position, frame) in gdb.physicalFrames.enumerated() {
            let gdbIndex = frame.indices.first ?? position
            if position > 0, let pc = frame.pc, isTailCallFrame?(pc) == true { continue }
            if position == 0 {
                cursor = 0
                compareInnermost(frame, gdbIndex: gdbIndex, into: &report)
            } else if let pc = frame.pc {
                if let match = ours.indices.dropFirst(cursor + 1).first(where: { ours[$0].pc == pc }) {
                    cursor = match
                    report.frames.agree()
                    compareName(ourIndex: match, with: frame, gdbIndex: gdbIndex, into: &report)
                } else {
                    report.frames.disagree()
                    report.disagreements.append(disagreement(.frame, gdbIndex: gdbIndex, ourIndex: cursor + 1, frame: frame))
                }
            } else {
                // No address to match: compare by name with our next frame.
                let next = cursor + 1
                if next < ours.count, names(of: ours[next], match: frame) {
                    cursor = next
                    report.frames.agree()
                } else {
                    report.frames.disagree()
                    report.disagreements.append(disagreement(.frame, gdbIndex: gdbIndex, ourIndex: next, frame: frame))
                }
            }
        }
    }

    private func compareInnermost(_ frame: GDBPhysicalFrame, gdbIndex: Int, into report: inout AgreementReport) {
        guard let first = ours.first else {
            report.frames.disagree()
            report.disagreements.append(disagreement(.frame, gdbIndex: gdbIndex, ourIndex: 0, frame: frame))
            return
        }
        if !frame.allNames.isEmpty {
            let agrees = names(of: first, match: frame)
            report.frames.count(agrees)
            report.names.count(agrees)
            if !agrees { report.disagreements.append(disagreement(.frame, gdbIndex: gdbIndex, ourIndex: 0, frame: frame)) }
        } else if let pc = frame.pc {
            report.frames.count(first.pc == pc)
            if first.pc != pc { report.disagreements.append(disagreement(.frame, gdbIndex: gdbIndex, ourIndex: 0, frame: frame)) }
        }
        // gdb printed neither a name nor an address: nothing to compare.
    }

    private func compareName(ourIndex: Int, with frame: GDBPhysicalFrame, gdbIndex: Int, into report: inout AgreementReport) {
        guard !frame.allNames.isEmpty, !frame.isSignalTrampoline else { return }
        let agrees = names(of: ours[ourIndex], match: frame)
        report.names.count(agrees)
        if !agrees {
            report.disagreements.append(disagreement(.name, gdbIndex: gdbIndex, ourIndex: ourIndex, frame: frame))
        }
    }

    private func names(of ourFrame: DumpFrame, match frame: GDBPhysicalFrame) -> Bool {
        guard let ourName = ourFrame.function else { return false }
        if frame.isSignalTrampoline {
            let normalized = FunctionNames.normalized(ourName)
            if normalized == "restore_rt" || normalized == "sigreturn" { return true }
        }
        return frame.allNames.contains { gdbName in
            FunctionNames.same(ourName, gdbName) || sameFunction?(ourName, gdbName, ourFrame.pc) == true
        }
    }

    private func disagreement(
        _ kind: FrameDisagreement.Kind, gdbIndex: Int, ourIndex: Int, frame: GDBPhysicalFrame
    ) -> FrameDisagreement {
        let ourText = ourIndex < ours.count ? Self.describe(pc: ours[ourIndex].pc, name: ours[ourIndex].function) : "no frame"
        var gdbText = Self.describe(pc: frame.pc, name: frame.function)
        if !frame.inlined.isEmpty { gdbText += " (inlined: \(frame.inlined.joined(separator: ", ")))" }
        return FrameDisagreement(tid: gdb.tid, gdbIndex: gdbIndex, kind: kind, ours: ourText, gdb: gdbText)
    }

    private static func describe(pc: UInt64?, name: String?) -> String {
        let address = pc.map { "0x" + String($0, radix: 16) } ?? "-"
        return "\(address) \(name ?? "??")"
    }
}

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

    public var description: String {
        "\(agreeing)/\(total) (\((percentage * 10).rounded() / 10)%)"
    }
}

public struct FrameDisagreement: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// gdb shows the thread; we do not.
        case missingThread = "thread"
        /// No frame of ours at this place (a caller's return address, or frame 0's name).
        case frame
        /// The frames line up but the function names differ.
        case name
    }

    public var tid: Int32
    /// gdb's frame number (the first of a machine frame with inline frames).
    public var gdbIndex: Int
    public var kind: Kind
    /// Our frame at that place, as "pc name", or what is missing.
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
    /// Frames: frame 0 by name, callers by return address.
    public var frames = AgreementTally()
    /// Names of the frames that lined up.
    public var names = AgreementTally()
    public var threadsCompared = 0
    /// Threads gdb shows that we do not.
    public var missingThreads: [Int32] = []
    /// Threads we show that gdb does not (not counted against us).
    public var extraThreads: [Int32] = []
    public var disagreements: [FrameDisagreement] = []

    public init() {}

    /// A summary line, then one line per disagreement: made for test failure messages.
    public var description: String {
        var lines = ["frames \(frames), names \(names), \(threadsCompared) threads compared"]
        if !missingThreads.isEmpty { lines.append("threads only gdb shows: \(missingThreads.map(String.init).joined(separator: ", "))") }
        if !extraThreads.isEmpty { lines.append("threads only we show: \(extraThreads.map(String.init).joined(separator: ", "))") }
        lines += disagreements.map { "  " + $0.description }
        return lines.joined(separator: "\n")
    }
}
