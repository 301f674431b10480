/// The text form of a record: one line each, fields split by single spaces,
/// numbers in decimal, addresses and bytes in lowercase hex:
///
///     patch PID STARTTIME ADDRESS ORIGINAL PATCHED
///     scratch PID STARTTIME ADDRESS ORIGINAL PATCHED
///     restored PID ADDRESS
///     bye
///
/// e.g. `patch 4242 918273 5581a2c01139 f30f1efa cc0f1efa`. Text, so a
/// person can read what a guardian was told (`strace -e read`), and so a
/// torn or foreign line is easy to reject whole.
extension GuardianRecord {
    /// The longest line the guardian accepts: room for a few pages of
    /// displaced copies in one scratch record. Longer lines are junk.
    public static let maximumLineLength = 1 << 20

    /// The record as one line, without its newline.
    public var line: String {
        switch self {
        case let .patch(pid, startTime, address, original, patched):
            "patch \(pid) \(startTime) \(String(address, radix: 16)) \(HexBytes.encode(original)) \(HexBytes.encode(patched))"
        case let .scratch(pid, startTime, address, original, patched):
            "scratch \(pid) \(startTime) \(String(address, radix: 16)) \(HexBytes.encode(original)) \(HexBytes.encode(patched))"
        case let .restored(pid, address):
            "restored \(pid) \(String(address, radix: 16))"
        case .bye:
            "bye"
        }
    }

    /// Parses one line (without its newline); nil for anything that is not
    /// exactly a record: unknown words, missing or extra fields, pid 0 or
    /// negative, bytes that are not hex, original and patched of different
    /// lengths or empty, a range that wraps past the top of memory.
    public init?(line: String) {
        var text = line
        guard let record = text.withUTF8({ GuardianRecord(lineBytes: ArraySlice($0)) }) else { return nil }
        self = record
    }

    init?(lineBytes: ArraySlice<UInt8>) {
        guard lineBytes.count <= Self.maximumLineLength else { return nil }
        let fields = lineBytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard let word = fields.first else { return nil }
        switch (String(decoding: word, as: UTF8.self), fields.count) {
        case ("bye", 1):
            self = .bye
        case ("restored", 3):
            guard let pid = Self.pid(fields[1]), let address = HexBytes.number(fields[2]) else { return nil }
            self = .restored(pid: pid, address: address)
        case ("patch", 6), ("scratch", 6):
            guard let pid = Self.pid(fields[1]),
                  let startTime = decimalNumber(fields[2], as: UInt64.self),
                  let address = HexBytes.number(fields[3]),
                  let original = HexBytes.decode(fields[4]),
                  let patched = HexBytes.decode(fields[5]),
                  !original.isEmpty, original.count == patched.count,
                  !address.addingReportingOverflow(UInt64(original.count)).overflow
            else { return nil }
            self = word.first == UInt8(ascii: "p")
                ? .patch(pid: pid, startTime: startTime, address: address, original: original, patched: patched)
                : .scratch(pid: pid, startTime: startTime, address: address, original: original, patched: patched)
        default:
            return nil
        }
    }

    private static func pid(_ text: ArraySlice<UInt8>) -> Int32? {
        guard let pid = decimalNumber(text, as: Int32.self), pid > 0 else { return nil }
        return pid
    }
}
