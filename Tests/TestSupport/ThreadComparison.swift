/// The walk over one thread's frames, by the rules in BacktraceAgreement.
struct ThreadComparison {
    /// Our machine frames: inline frames innermost first, then their owner.
    let ours: [[DumpFrame]]
    let gdb: GDBThread
    let evidence: SymbolEvidence

    private(set) var frames = AgreementTally()
    private(set) var extraFrames = 0
    private(set) var names = AgreementTally()
    /// Every name we print against gdb's, character for character.
    private(set) var strictNames = AgreementTally()
    private(set) var disagreements: [FrameDisagreement] = []
    /// Names the relaxed rules may accept but that are not gdb's spelling.
    private(set) var spellings: [FrameDisagreement] = []

    init(ours: [[DumpFrame]], gdb: GDBThread, evidence: SymbolEvidence) {
        self.ours = ours
        self.gdb = gdb
        self.evidence = evidence
    }

    mutating func run() {
        let reference = gdb.physicalFrames
        var cursor = -1 // our index of the last matched frame
        var tailCalls = Set<UInt64>() // gdb's unscored frames: ours there are no extras
        for (position, frame) in reference.enumerated() {
            let gdbIndex = frame.indices.first ?? position
            // The pc is exact, not a return address, at frame 0, at the
            // trampoline and at the frame the signal interrupted.
            let exact = position == 0 || frame.isSignalTrampoline || reference[position - 1].isSignalTrampoline
            if !exact, let pc = frame.pc, evidence.isTailCallFrame(pc) {
                tailCalls.insert(pc)
                continue
            }
            var match: Int?
            if position == 0 {
                guard let first = ours.first else {
                    missed(frame, gdbIndex: gdbIndex)
                    continue
                }
                cursor = 0
                if frame.function != nil, !ownerNameAgrees(first, frame, exact: true) {
                    // Our innermost frame under another name: a wrong frame, and a wrong name
                    // (reported once, as the frame); its inline names are scored all the same.
                    frames.disagree()
                    disagreements.append(FrameDisagreement(
                        tid: gdb.tid, gdbIndex: gdbIndex, kind: .frame,
                        ours: Self.describe(first.last!), gdb: Self.describe(frame)))
                    compareNames(first, frame, gdbIndex: gdbIndex, exact: true, reportOwner: false)
                    continue
                }
                if frame.function == nil {
                    guard let pc = frame.pc else { continue } // neither a name nor an address: nothing to compare
                    if first[0].pc != pc {
                        missed(frame, gdbIndex: gdbIndex)
                        continue
                    }
                }
                match = 0
            } else if let pc = frame.pc {
                match = ours.indices.dropFirst(cursor + 1).first { ours[$0][0].pc == pc }
            } else if cursor + 1 < ours.count, ownerNameAgrees(ours[cursor + 1], frame, exact: true) {
                match = cursor + 1
            }
            guard let match else {
                missed(frame, gdbIndex: gdbIndex)
                continue
            }
            for extra in (cursor + 1)..<max(match, cursor + 1) { countExtra(extra, before: gdbIndex, unless: tailCalls) }
            cursor = match
            frames.agree()
            compareNames(ours[match], frame, gdbIndex: gdbIndex, exact: exact)
        }
        let end = (reference.last?.indices.last).map { $0 + 1 } ?? 0
        for extra in (cursor + 1)..<max(ours.count, cursor + 1) { countExtra(extra, before: end, unless: tailCalls) }
    }

    private mutating func missed(_ frame: GDBPhysicalFrame, gdbIndex: Int) {
        frames.disagree()
        disagreements.append(FrameDisagreement(
            tid: gdb.tid, gdbIndex: gdbIndex, kind: .frame, ours: "no frame here", gdb: Self.describe(frame)))
    }

    private mutating func countExtra(_ index: Int, before gdbIndex: Int, unless tailCalls: Set<UInt64>) {
        guard !tailCalls.contains(ours[index][0].pc) else { return }
        frames.disagree()
        extraFrames += 1
        disagreements.append(FrameDisagreement(
            tid: gdb.tid, gdbIndex: gdbIndex, kind: .extraFrame,
            ours: Self.describe(ours[index].last!), gdb: "no such frame"))
    }

    // ---- Names ------------------------------------------------------------

    /// Scores every name we print for a matched machine frame.
    private mutating func compareNames(
        _ group: [DumpFrame], _ frame: GDBPhysicalFrame, gdbIndex: Int, exact: Bool, reportOwner: Bool = true
    ) {
        let owner = group.last!
        if owner.function != nil || frame.function != nil {
            let agrees = ownerNameAgrees(group, frame, exact: exact)
            names.count(agrees)
            countSpelling(owner, gdb: frame.isSignalTrampoline ? nil : frame.function,
                          gdbIndex: frame.indices.last ?? gdbIndex, trampoline: frame.isSignalTrampoline)
            if !agrees, reportOwner {
                disagreements.append(FrameDisagreement(
                    tid: gdb.tid, gdbIndex: frame.indices.last ?? gdbIndex, kind: .name,
                    ours: Self.describe(owner), gdb: Self.describe(frame)))
            }
        }
        // Inline names, paired from the owning function inwards.
        let gdbInline = Array(zip(frame.indices.dropLast(), frame.inlined).reversed())
        for (depth, ourFrame) in group.dropLast().reversed().enumerated() {
            let theirs = depth < gdbInline.count ? gdbInline[depth] : nil
            let agrees = theirs.map { NameRules.spelledAlike(ourFrame.function, $0.1, evidence) } ?? false
            names.count(agrees)
            countSpelling(ourFrame, gdb: theirs?.1, gdbIndex: theirs?.0 ?? gdbIndex, trampoline: false)
            if !agrees {
                disagreements.append(FrameDisagreement(
                    tid: gdb.tid, gdbIndex: theirs?.0 ?? gdbIndex, kind: .name, ours: Self.describe(ourFrame),
                    gdb: theirs.map { "inline \($0.1)" } ?? "no inline frame here"))
            }
        }
    }

    /// The strict score: our printed name must be the name gdb prints (its
    /// argument list already taken off by GDBOutputParser). gdb prints no
    /// name for the signal trampoline, so there our restorer's name is right.
    private mutating func countSpelling(_ ours: DumpFrame, gdb: String?, gdbIndex: Int, trampoline: Bool) {
        let agrees = trampoline ? ours.function.map(NameRules.isSignalTrampoline) ?? false
                                : ours.function != nil && ours.function == gdb
        strictNames.count(agrees)
        guard !agrees else { return }
        spellings.append(FrameDisagreement(
            tid: self.gdb.tid, gdbIndex: gdbIndex, kind: .spelling, ours: Self.describe(ours),
            gdb: gdb.map { (ours.isInline ? "inline " : "") + $0 } ?? (trampoline ? "<signal handler called>" : "??")))
    }

    /// Our machine frame's function against gdb's owning function.
    private func ownerNameAgrees(_ group: [DumpFrame], _ frame: GDBPhysicalFrame, exact: Bool) -> Bool {
        let owner = group.last!
        guard let ourName = owner.function else { return false }
        if frame.isSignalTrampoline { return NameRules.isSignalTrampoline(ourName) }
        guard let gdbName = frame.function else { return false } // gdb found no function here
        // Inside the function: a return address may follow a call that ends it.
        let address = exact ? owner.pc : owner.pc &- 1
        return NameRules.agree(ours: ourName, gdb: gdbName, at: address, evidence)
    }

    private static func describe(_ frame: DumpFrame) -> String {
        let module = frame.module.map { " in " + ($0.split(separator: "/").last.map(String.init) ?? $0) } ?? ""
        return "0x\(String(frame.pc, radix: 16)) \(frame.isInline ? "inline " : "")\(frame.function ?? "??")\(module)"
    }

    private static func describe(_ frame: GDBPhysicalFrame) -> String {
        var text = "\(frame.pc.map { "0x" + String($0, radix: 16) } ?? "-") \(frame.function ?? "??")"
        if !frame.inlined.isEmpty { text += " (inlined: \(frame.inlined.joined(separator: ", ")))" }
        return text
    }
}

/// When a name we print is the function gdb names.
enum NameRules {
    /// The same name, spelled by either tool (FunctionNames' rules, gdb's
    /// mangled Swift names through the evidence's demanglers).
    static func spelledAlike(_ ours: String?, _ gdb: String, _ evidence: SymbolEvidence) -> Bool {
        guard let ours else { return false }
        return evidence.spellings(gdb).contains { FunctionNames.same(ours, $0) }
    }

    /// Spelled alike, or two names of the one function at `address` in the
    /// module's symbol table.
    static func agree(ours: String, gdb: String, at address: UInt64, _ evidence: SymbolEvidence) -> Bool {
        if spelledAlike(ours, gdb, evidence) { return true }
        let symbols = evidence.functionNames(address)
        let oursThere = symbols.contains { evidence.spellings($0).contains { FunctionNames.same(ours, $0) } }
        return oursThere && symbols.contains { symbol in
            evidence.spellings(symbol).contains { spelledAlike($0, gdb, evidence) }
        }
    }

    /// The kernel returns from a handler through the libc's restorer.
    static func isSignalTrampoline(_ name: String) -> Bool {
        ["__restore_rt", "restore_rt", "__sigreturn", "sigreturn"].contains(FunctionNames.normalized(name))
    }
}
