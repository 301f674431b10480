#if canImport(Glibc)
import Glibc
#endif

/// Reads newline-ended lines from a descriptor and parses each as a record.
/// Junk lines, and lines longer than `GuardianRecord.maximumLineLength`, are
/// skipped; a last line without its newline is dropped (lwpscope died
/// mid-write: the patch it described was not yet made).
struct RecordLineReader {
    let descriptor: Int32
    private var pending: [UInt8] = []
    private var discardingLongLine = false
    private var ended = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next batch of records, or nil at the end of input (EOF, or a read
    /// error, which the guardian must treat as lwpscope gone).
    mutating func nextRecords() -> [GuardianRecord]? {
        guard !ended else { return nil }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let (count, _) = retryingEINTR { chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) } }
        guard count > 0 else {
            ended = true
            return nil
        }
        return take(chunk[..<count])
    }

    /// Splits bytes just read into records; keeps a partial last line.
    mutating func take(_ bytes: ArraySlice<UInt8>) -> [GuardianRecord] {
        var records: [GuardianRecord] = []
        var rest = bytes
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            let piece = rest[..<newline]
            rest = rest[(newline + 1)...]
            if discardingLongLine {
                discardingLongLine = false
                continue
            }
            if pending.isEmpty {
                if let record = GuardianRecord(lineBytes: piece) { records.append(record) }
            } else {
                pending.append(contentsOf: piece)
                if let record = GuardianRecord(lineBytes: pending[...]) { records.append(record) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !discardingLongLine {
            pending.append(contentsOf: rest)
            if pending.count > GuardianRecord.maximumLineLength {
                pending.removeAll()
                discardingLongLine = true
            }
        }
        return records
    }
}
