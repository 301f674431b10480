/// How far our frame arguments agree with gdb's (issue 18). Frames are
/// paired by thread, in order, by function name: a frame one of us lacks
/// (gdb's tail-call frames) is skipped, not blamed on the next. gdb's
/// frames left unpaired are counted apart, as the frame scores' business. Of the
/// values gdb shows, `<optimized out>` ones and structs (gdb prints
/// `{x = 1, ...}` with frame-arguments all, we print `{...}`) are not
/// compared; every other one counts, and agrees when our text is gdb's.
/// Apart from that, wherever gdb says `<optimized out>` we must not show a
/// value: a stale register read as an argument is worse than none.
public struct ArgumentAgreement: CustomStringConvertible, Sendable {
    public var compared = 0
    public var agreed = 0
    /// gdb says `<optimized out>`, we printed a value.
    public var invented: [String] = []
    public var mismatches: [String] = []
    public var framesPaired = 0
    public var framesUnpaired = 0

    public var percentage: Double { compared == 0 ? 0 : 100 * Double(agreed) / Double(compared) }

    /// At least `minimum` percent agree, nothing is invented, and something was compared.
    public func passes(minimum: Double) -> Bool { compared > 0 && percentage >= minimum && invented.isEmpty }

    public var description: String {
        let shown = mismatches.prefix(25).joined(separator: "\n  ")
        return "arguments: \(agreed)/\(compared) agree (\(String(format: "%.1f", percentage))%) over \(framesPaired) frames (\(framesUnpaired) of gdb's unpaired); "
            + "\(invented.count) values where gdb has <optimized out>"
            + (invented.isEmpty ? "" : ":\n  " + invented.prefix(25).joined(separator: "\n  "))
            + (mismatches.isEmpty ? "" : "\nmismatches:\n  " + shown)
    }

    public static func compare(ours: DumpOutput, gdb: [Int32: [GDBFrameArguments]]) -> ArgumentAgreement {
        var report = ArgumentAgreement()
        for thread in ours.threads {
            guard let theirs = gdb[thread.tid] else { continue }
            var next = 0
            for frame in theirs {
                let window = next ..< min(thread.frames.count, next + 4)
                guard let position = window.first(where: { thread.frames[$0].function == frame.function }) else {
                    report.framesUnpaired += 1
                    continue
                }
                next = position + 1
                let mine = thread.frames[position]
                report.framesPaired += 1
                var ourValues: [String: String] = [:]
                for argument in mine.arguments ?? [] {
                    ourValues[argument.name] = argument.value
                    if let entry = argument.entryValue { ourValues[argument.name + "@entry"] = entry }
                }
                for (key, value) in frame.values {
                    let where_ = "TID \(thread.tid) #\(frame.index) \(frame.function) \(key)"
                    let ours = ourValues[key]
                    if value == "<optimized out>" {
                        if let ours, ours != "<optimized out>", ours != "{...}" { report.invented.append("\(where_): gdb <optimized out>, ours \(ours)") }
                        continue
                    }
                    if value.hasPrefix("{") { continue }
                    report.compared += 1
                    if ours == value {
                        report.agreed += 1
                    } else {
                        report.mismatches.append("\(where_): gdb \(value), ours \(ours ?? "(none)")")
                    }
                }
            }
        }
        return report
    }
}
