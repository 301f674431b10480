/// Builds displaced copies (see `DisplacedCopy`). A placeholder until the
/// decoder lands: every instruction is refused.
public enum Displacement {
    /// - bytes: at least the instruction's bytes from `originalAddress` (15
    ///   bytes, or fewer at the end of readable memory).
    public static func copy(
        of bytes: [UInt8], at originalAddress: UInt64, to copyAddress: UInt64
    ) throws(DisplacementError) -> DisplacedCopy {
        throw .undecodable(bytes: bytes)
    }
}
