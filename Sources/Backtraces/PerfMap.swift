/// The symbol map a JIT writes for perf: `/tmp/perf-PID.map`, one line per
/// piece of generated code, `START SIZE NAME` (hex, `0x` optional). Java
/// (perf-map-agent), node/V8 (`--perf-basic-prof`), .NET, LuaJIT and
/// Python 3.12 (`-X perf`) write it. Later lines win where code was
/// replaced at the same place (a JIT reuses memory).
public struct PerfMap: Sendable {
    public struct Entry: Sendable, Equatable {
        public var range: Range<UInt64>
        public var name: String
    }

    /// Sorted by start, non-overlapping.
    public let entries: [Entry]

    public init(entries: [Entry]) {
        // Later lines first, so the stable sort keeps the newest of equal starts first.
        let ordered = entries.enumerated().sorted {
            $0.element.range.lowerBound != $1.element.range.lowerBound
                ? $0.element.range.lowerBound < $1.element.range.lowerBound : $0.offset > $1.offset
        }.map(\.element)
        var kept: [Entry] = []
        kept.reserveCapacity(ordered.count)
        for entry in ordered {
            if let last = kept.last, last.range.lowerBound == entry.range.lowerBound { continue }
            if let last = kept.last, last.range.upperBound > entry.range.lowerBound {
                // Overlap: the earlier one is cut where the next begins.
                kept[kept.count - 1].range = last.range.lowerBound ..< entry.range.lowerBound
            }
            kept.append(entry)
        }
        self.entries = kept.filter { !$0.range.isEmpty }
    }

    /// Parses the map's text; lines that are not `START SIZE NAME` are skipped.
    public init(text: Substring) {
        var entries: [Entry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard fields.count == 3, let start = Self.hex(fields[0]), let size = Self.hex(fields[1]), size > 0,
                  start <= UInt64.max - size else { continue }
            entries.append(Entry(range: start ..< start + size, name: String(fields[2])))
        }
        self.init(entries: entries)
    }

    private static func hex(_ text: Substring) -> UInt64? {
        UInt64(text.hasPrefix("0x") ? text.dropFirst(2) : text, radix: 16)
    }

    /// The entry containing `address`.
    public func entry(containing address: UInt64) -> Entry? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].range.upperBound <= address { low = mid + 1 } else { high = mid }
        }
        guard low < entries.count, entries[low].range.contains(address) else { return nil }
        return entries[low]
    }

    /// The map for process `pid`: `/tmp/perf-PID.map`, or for a process in a
    /// pid namespace of its own, the one its JIT wrote under its own pid in
    /// its own /tmp. nil when it has none. Read afresh each time: a JIT
    /// appends as it compiles.
    /// - owner: the target's user; a map owned by anyone else (or root) is
    ///   ignored, as perf does, since anyone can write /tmp.
    public static func load(pid: Int32, namespacePID: Int32?, owner: UInt32, procRoot: String = "/proc",
                            limitBytes: Int = 256 << 20) -> PerfMap? {
        var paths = ["/tmp/perf-\(pid).map"]
        if let inner = namespacePID, inner != pid { paths.insert("\(procRoot)/\(pid)/root/tmp/perf-\(inner).map", at: 0) }
        for path in paths {
            guard let bytes = FileSystem.contents(of: path, limit: limitBytes, owners: [owner, 0]), !bytes.isEmpty else { continue }
            // Written as it goes: a last line without its newline is not whole.
            var text = Substring(String(decoding: bytes, as: UTF8.self))
            if text.last != "\n", let end = text.lastIndex(of: "\n") { text = text[...end] }
            return PerfMap(text: text)
        }
        return nil
    }
}
