/// The bytes a pclntab's funcdata offsets point into (Go's `go:func.*`,
/// in .rodata): where the inline trees are. Separate from the table, since
/// only the module's data (runtime.moduledata.gofunc) says where they begin.
public struct GoFunctionData: @unchecked Sendable {
    /// Link-time address that funcdata offsets count from (1.18 on; 1.16
    /// stores absolute addresses instead).
    public let base: UInt64
    /// The loaded bytes of the section holding `base`, and its address.
    let bytes: UnsafeRawBufferPointer
    let address: UInt64

    public init(base: UInt64, section bytes: UnsafeRawBufferPointer, at address: UInt64) {
        self.base = base
        self.bytes = bytes
        self.address = address
    }

    /// A cursor at link address `target`, nil outside the section.
    func cursor(at target: UInt64) -> PCLNCursor? {
        guard target >= address, target - address < UInt64(bytes.count) else { return nil }
        return PCLNCursor(bytes, offset: Int(target - address))
    }
}
