/// Address intervals [start, end) with a payload each, sorted for lookup.
///
/// Intervals may overlap or nest (inlined scopes inside their function, stale
/// sequences at address 0), so a lookup walks back from the last interval that
/// starts at or before the address, for as long as some earlier interval could
/// still reach it: the running maximum of ends says when to stop.
struct IntervalIndex<Payload: Sendable>: Sendable {
    private var starts: [UInt64] = []
    private var ends: [UInt64] = []
    private var payloads: [Payload] = []
    private var maxEndThrough: [UInt64] = []

    init() {}

    /// Empty intervals (end <= start) are dropped. Ties keep their input order.
    init(_ intervals: [(start: UInt64, end: UInt64, payload: Payload)]) {
        let kept = intervals.enumerated().filter { $0.element.end > $0.element.start }
        let sorted = kept.sorted { a, b in
            a.element.start != b.element.start ? a.element.start < b.element.start : a.offset < b.offset
        }
        starts.reserveCapacity(sorted.count)
        ends.reserveCapacity(sorted.count)
        payloads.reserveCapacity(sorted.count)
        maxEndThrough.reserveCapacity(sorted.count)
        var maxEnd: UInt64 = 0
        for (_, interval) in sorted {
            starts.append(interval.start)
            ends.append(interval.end)
            payloads.append(interval.payload)
            maxEnd = max(maxEnd, interval.end)
            maxEndThrough.append(maxEnd)
        }
    }

    var count: Int { starts.count }
    var isEmpty: Bool { starts.isEmpty }

    /// Calls `body` with every interval covering `address`, latest start first,
    /// until it returns false.
    func forEachCovering(_ address: UInt64, _ body: (_ payload: Payload, _ start: UInt64, _ end: UInt64) -> Bool) {
        // First index whose start is > address.
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= address { low = mid + 1 } else { high = mid }
        }
        var i = low - 1
        while i >= 0, maxEndThrough[i] > address {
            if ends[i] > address, !body(payloads[i], starts[i], ends[i]) { return }
            i -= 1
        }
    }

    /// The covering interval with the latest start.
    func first(covering address: UInt64) -> Payload? {
        var found: Payload?
        forEachCovering(address) { payload, _, _ in
            found = payload
            return false
        }
        return found
    }
}
