/// What a Go binary's pclntab says about the function at a pc: enough to
/// unwind through Go code that has no CFI (binaries linked with -w).
public struct GoFrame: Sendable, Equatable {
    /// Bytes from sp up to the return address at this pc (pcsp); nil when
    /// the table has no value there.
    public var spDelta: UInt64?
    /// The function starts a stack (runtime.goexit, mstart, rt0_go): no caller.
    public var isTopFrame: Bool
    /// The function switches stacks itself (mcall, systemstack): its caller,
    /// when it is not the innermost frame, cannot be found from sp.
    public var writesSP: Bool

    public init(spDelta: UInt64?, isTopFrame: Bool = false, writesSP: Bool = false) {
        self.spDelta = spDelta
        self.isTopFrame = isTopFrame
        self.writesSP = writesSP
    }

    /// Go's traceback stops here (runtime/traceback.go): at the top of a
    /// stack, and above a function that switched stacks.
    func endsTraceback(isInnermost: Bool) -> Bool {
        isTopFrame || (writesSP && !isInnermost)
    }
}
