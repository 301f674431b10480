/// One line lwpscope writes to its guardian (see `GuardianLink`).
///
/// The guardian restores, for each patch still recorded when its pipe ends
/// without a `bye`, the original bytes, but only if the process is the same
/// one (start time) and the bytes there are still the patched ones.
public enum GuardianRecord: Equatable, Sendable {
    /// Code patched: `original` was at `address`, `patched` is there now.
    /// Restored at once when lwpscope dies.
    case patch(pid: Int32, startTime: UInt64, address: UInt64, original: [UInt8], patched: [UInt8])
    /// Room for displaced copies: restored a moment after the patches (a
    /// thread may still be running the copy it was parked on).
    case scratch(pid: Int32, startTime: UInt64, address: UInt64, original: [UInt8], patched: [UInt8])
    /// lwpscope wrote `address`'s original bytes back itself.
    case restored(pid: Int32, address: UInt64)
    /// A clean end: every patch is undone; exit without touching anything.
    case bye
}
