/// Decodes one pc-value table (runtime/symtab.go pcvalue): pairs of a
/// zigzag varint value delta and a varint pc delta, starting at value -1
/// at the function's entry; a zero value delta after the first pair ends it.
struct PCValueTable {
    let bytes: UnsafeRawBufferPointer
    let start: Int
    let entry: UInt64
    let quantum: UInt64

    /// The value in force at `pc`, nil when the table ends before it or is corrupt.
    /// Each pair consumes at least two bytes, so the walk ends with the table.
    func value(at pc: UInt64) -> Int32? {
        guard pc >= entry, start > 0, start < bytes.count else { return nil }
        var cursor = PCLNCursor(bytes, offset: start)
        var value: Int64 = -1
        var rangeStart = entry
        var first = true
        do throws(GoPCLNError) {
            while true {
                let valueDelta = try cursor.uvarint()
                if valueDelta == 0 && !first { return nil }
                first = false
                value &+= Self.zigzag(valueDelta)
                let pcDelta = try cursor.uvarint()
                let (scaled, overflow) = pcDelta.multipliedReportingOverflow(by: quantum)
                let (rangeEnd, overflow2) = rangeStart.addingReportingOverflow(scaled)
                if overflow || overflow2 { return nil }
                if pc < rangeEnd { return Int32(exactly: value) }
                rangeStart = rangeEnd
            }
        } catch {
            return nil
        }
    }

    /// Go's zigzag: the low bit is the sign, the rest the magnitude.
    static func zigzag(_ raw: UInt64) -> Int64 {
        raw & 1 != 0 ? Int64(bitPattern: ~(raw >> 1)) : Int64(bitPattern: raw >> 1)
    }
}
