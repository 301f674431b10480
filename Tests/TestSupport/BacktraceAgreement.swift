/// How far our backtraces agree with gdb's: the yardstick for the acceptance
/// criteria (98% on a gcc -O2 -g C program, 95% on memcached -t 6). It counts
/// precision as well as recall, so a frame or a name we make up costs us.
///
/// The rules, per thread matched by tid:
///
/// - The unit is the machine frame: gdb's inline frames fold into the frame
///   they were inlined into (GDBThread.physicalFrames), and so do ours (a run
///   of `inline` frames and the frame that ends it, DumpThread.machineFrames).
/// - Frame 0 pairs with our frame 0 and agrees when the names agree (the pc
///   moves while threads spin, and gdb may not print it). Only when gdb has no
///   name for it (`??`) is the pc compared instead.
/// - A caller frame agrees when we have a frame with the same return address
///   after the last frame we matched. Searching forward means one frame we
///   lack costs one frame, not every frame after it.
/// - A frame gdb prints without an address (`<signal handler called>`, and
///   the interrupted frame above it when its pc starts a line) is compared by
///   name with our next frame. The interrupted frame is scored like any other:
///   its pc is exact, not a return address.
/// - Every frame of ours that gdb does not have, between matched frames or
///   after the last, is a miss. gdb runs with `backtrace past-main on`
///   (GDBReference), so it shows what we show below main.
/// - A thread gdb shows and we do not costs all its frames.
/// - Names: at every frame that lined up, the name we print for the machine
///   frame's function must be gdb's (FunctionNames.same, after the evidence's
///   demanglers), or both names must be symbols of the one function at our
///   address in the module's symbol table (SymbolEvidence.functionNames). Each
///   inline name we print must be gdb's inline name at the same depth, paired
///   from the owning function inwards; one gdb does not show is a miss. A name
///   we print where gdb prints `??` is a miss.
/// - Strict names (`strictNames`): the same names, each agreeing only when
///   it is exactly what gdb prints before the arguments; no relaxed rule and
///   no evidence applies. A thread we miss adds nothing here (its frames
///   already count against us); gdb's `<signal handler called>` agrees with
///   the libc restorer's name.
/// - A caller frame the evidence calls a tail-call frame is not scored: gdb
///   rebuilds those from DWARF call-site information, out of scope for us.
public enum BacktraceAgreement {
    public static func compare(ours: DumpOutput, gdb: [GDBThread], evidence: SymbolEvidence = .none) -> AgreementReport {
        compare(ours: ours.threads, gdb: gdb, evidence: evidence)
    }

    public static func compare(ours: [DumpThread], gdb: [GDBThread], evidence: SymbolEvidence = .none) -> AgreementReport {
        var report = AgreementReport()
        let ourThreads = Dictionary(ours.map { ($0.tid, $0) }, uniquingKeysWith: { first, _ in first })
        let gdbTIDs = Set(gdb.map(\.tid))
        report.extraThreads = ours.map(\.tid).filter { !gdbTIDs.contains($0) }.sorted()
        // Whether every thread with a stack agreed, by gdb's stack.
        var stacks: [String: Bool] = [:]
        for reference in gdb.sorted(by: { $0.tid < $1.tid }) {
            let key = stackKey(reference)
            guard let thread = ourThreads[reference.tid] else {
                report.missingThreads.append(reference.tid)
                let frames = reference.physicalFrames
                report.frames.total += frames.count
                report.disagreements.append(FrameDisagreement(
                    tid: reference.tid, gdbIndex: 0, kind: .missingThread,
                    ours: "no such thread", gdb: "\(frames.count) frames"))
                stacks[key] = false
                continue
            }
            report.threadsCompared += 1
            var comparison = ThreadComparison(ours: thread.machineFrames, gdb: reference, evidence: evidence)
            comparison.run()
            report.frames.add(comparison.frames)
            report.extraFrames += comparison.extraFrames
            report.names.add(comparison.names)
            report.strictNames.add(comparison.strictNames)
            report.spellings += comparison.spellings
            report.disagreements += comparison.disagreements
            stacks[key] = (stacks[key] ?? true) && comparison.disagreements.isEmpty
        }
        report.stacks = AgreementTally(agreeing: stacks.values.filter { $0 }.count, total: stacks.count)
        return report
    }

    /// gdb's stack as one string: the names of every frame, and the return
    /// address of every caller (frame 0's pc moves while a thread spins).
    static func stackKey(_ thread: GDBThread) -> String {
        thread.physicalFrames.enumerated().map { position, frame in
            let address = position == 0 ? "" : frame.pc.map { String($0, radix: 16) } ?? "-"
            return address + " " + frame.allNames.joined(separator: "|")
        }.joined(separator: "\n")
    }
}
