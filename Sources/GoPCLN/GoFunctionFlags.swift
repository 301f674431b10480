/// `_func.flag` (runtime/symtab.go funcFlag, Go 1.17 on; zero in 1.16).
public struct GoFunctionFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The top of a stack (goexit, mstart, rt0_go, sigtramp): nothing calls it.
    public static let topFrame = GoFunctionFlags(rawValue: 1 << 0)
    /// Writes sp in ways pcsp cannot describe (mcall, systemstack, gogo):
    /// above it, sp-based unwinding is not reliable.
    public static let writesSP = GoFunctionFlags(rawValue: 1 << 1)
    /// Written in assembly.
    public static let assembly = GoFunctionFlags(rawValue: 1 << 2)
}
