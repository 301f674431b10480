/// How far our source lines agree with gdb's, frame by frame, counting only
/// frames gdb places in the files a test cares about (the program's own
/// sources, not glibc's).
///
/// Per thread, matched by tid: gdb's frames are grouped into machine frames
/// (an inlined function joins the frame it was inlined into) and so are ours
/// (a run of `inline` frames and the frame that ends it, all at one pc).
/// Machine frame 0 is matched with our first; a caller with the first of ours
/// at the same return address after the last match. Inside a matched pair,
/// frames are paired from the outermost (the function that owns the code)
/// inwards, so one inline level we lack costs that level only.
public struct SourceLineReport: CustomStringConvertible, Sendable {
    /// gdb frames with a source position in the files of interest.
    public var total = 0
    /// Of those, the ones where our file's last component and line match.
    public var agreed = 0
    /// gdb frames in those files that we have too, marked inline when gdb's are.
    public var inlineAgreed = 0
    public var inlineTotal = 0
    public var disagreements: [String] = []

    public var percentage: Double { total == 0 ? 0 : Double(agreed) * 100 / Double(total) }

    public var description: String {
        let shown = disagreements.prefix(20).joined(separator: "\n  ")
        return "\(agreed)/\(total) source lines agree (\(percentage)%), inline \(inlineAgreed)/\(inlineTotal)\n  \(shown)"
    }
}

public enum SourceLineAgreement {
    /// - files: last path components that count (`main.c`).
    /// - fromIndex: gdb's first frame number to count (1: callers only).
    public static func compare(ours: DumpOutput, gdb: [GDBThread], files: Set<String>, fromIndex: Int = 1) -> SourceLineReport {
        var report = SourceLineReport()
        let ourThreads = Dictionary(ours.threads.map { ($0.tid, $0) }, uniquingKeysWith: { first, _ in first })
        for thread in gdb {
            let ourGroups = ourThreads[thread.tid]?.machineFrames ?? []
            var cursor = -1
            var gdbPosition = 0
            var gdbFrames = thread.frames[...]
            while !gdbFrames.isEmpty {
                // One gdb machine frame: its inline frames and their owner.
                let end = gdbFrames.firstIndex { !$0.isInline } ?? gdbFrames.index(before: gdbFrames.endIndex)
                let group = Array(gdbFrames[...end])
                gdbFrames = gdbFrames[(end + 1)...]
                defer { gdbPosition += 1 }
                let pc = group.first?.pc
                var match: Int?
                if gdbPosition == 0 {
                    match = ourGroups.isEmpty ? nil : 0
                } else if let pc {
                    match = ourGroups.indices.first { $0 > cursor && ourGroups[$0].first?.pc == pc }
                }
                if let match { cursor = match }
                let ourGroup = match.map { ourGroups[$0] } ?? []
                // Paired from the outermost frame inwards.
                for (offset, frame) in group.reversed().enumerated() where frame.index >= fromIndex {
                    guard let (file, line) = position(frame.source), files.contains(lastComponent(file)) else { continue }
                    report.total += 1
                    let ourIndex = ourGroup.count - 1 - offset
                    let mine = ourIndex >= 0 ? ourGroup[ourIndex] : nil
                    if frame.isInline {
                        report.inlineTotal += 1
                        if mine?.isInline == true { report.inlineAgreed += 1 }
                    }
                    if let mine, let ourFile = mine.file, lastComponent(ourFile) == lastComponent(file), mine.line == line {
                        report.agreed += 1
                    } else {
                        report.disagreements.append(
                            "tid \(thread.tid) gdb #\(frame.index) \(frame.function ?? "??") at \(file):\(line); ours: "
                                + (mine.map { "#\($0.index) \($0.function ?? "??") at \($0.file ?? "?"):\($0.line.map(String.init) ?? "?")" } ?? "no frame"))
                    }
                }
            }
        }
        return report
    }

    /// `file.c:12` split at the last colon.
    static func position(_ source: String?) -> (String, Int)? {
        guard let source, let colon = source.lastIndex(of: ":"), let line = Int(source[source.index(after: colon)...]) else { return nil }
        return (String(source[..<colon]), line)
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
