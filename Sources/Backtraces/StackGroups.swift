/// Threads whose stacks are the same, frame for frame: with a thousand
/// threads, "40 threads parked here" reads where a thousand backtraces do not
/// (as in seer's parallel stacks and py-spy's aggregation).
public struct StackGroup: Sendable {
    /// Every member, by tid; the first stands for the group.
    public var threads: [ThreadBacktrace]

    public var count: Int { threads.count }
    public var representative: ThreadBacktrace { threads[0] }
}

public enum StackGroups {
    /// Largest group first; groups of one size in the order of their lowest tid.
    public static func group(_ threads: [ThreadBacktrace]) -> [StackGroup] {
        var indexOfKey: [[FrameKey]: Int] = [:]
        var groups: [StackGroup] = []
        for thread in threads.sorted(by: { $0.tid < $1.tid }) {
            let key = key(of: thread)
            if let index = indexOfKey[key] {
                groups[index].threads.append(thread)
            } else {
                indexOfKey[key] = groups.count
                groups.append(StackGroup(threads: [thread]))
            }
        }
        // A stable sort keeps the lowest-tid order among equal sizes.
        return groups.enumerated()
            .sorted { a, b in a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset }
            .map(\.element)
    }

    /// What must match for two threads to share a group: each frame's function
    /// and source line, or its module and offset when it has no name. Not the
    /// pc of a named frame, which differs between threads spinning in one loop.
    public static func key(of thread: ThreadBacktrace) -> [FrameKey] {
        var key = thread.frames.map(FrameKey.init)
        if let error = thread.error { key.append(FrameKey(error: error)) }
        return key
    }

    /// Consecutive tids as ranges: `12-15, 19, 30-31`; past `limit` ranges,
    /// `…, 40 more`.
    public static func describe(tids: [Int32], limit: Int = 16) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = tids.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        guard parts.count > limit else { return parts.joined(separator: ", ") }
        return parts.prefix(limit).joined(separator: ", ") + ", … \(parts.count - limit) more"
    }
}

/// One frame as grouping compares it.
public struct FrameKey: Hashable, Sendable {
    var function: String?
    var module: String?
    var offset: UInt64?
    var file: String?
    var line: Int?
    var isInline: Bool

    init(_ frame: SymbolizedFrame) {
        function = frame.function
        module = frame.module
        offset = frame.function == nil ? frame.offset : nil
        file = frame.file
        line = frame.line
        isInline = frame.isInline
    }

    init(error: String) {
        function = error
        isInline = false
    }
}
