/// A hold point as the engine sets it: where its trap byte goes, and the
/// displaced copy of the instruction it covers (built by the caller, which
/// knows instructions and where there is room).
public struct HoldPointSpec: Equatable, Sendable {
    /// The caller's name for it; the hold reason of the threads it parks.
    public var id: Int
    /// The first byte of the instruction the trap byte replaces.
    public var address: UInt64
    /// Where the displaced copy goes: unused executable memory of the target.
    public var copyAddress: UInt64
    /// The copy: runs as the original instruction, then goes on after it.
    public var copyCode: [UInt8]
    /// Only threads whose name matches this glob (fnmatch) are parked;
    /// others run on through the point. nil: every thread.
    public var threadPattern: String?

    public init(id: Int, address: UInt64, copyAddress: UInt64, copyCode: [UInt8], threadPattern: String? = nil) {
        self.id = id
        self.address = address
        self.copyAddress = copyAddress
        self.copyCode = copyCode
        self.threadPattern = threadPattern
    }
}

/// A thread parked at a hold point.
public struct ParkedThread: Equatable, Sendable {
    public var pid: Int32
    public var tid: Int32
    public var pointID: Int
}
