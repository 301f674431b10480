/// The few facts about an architecture the unwinder needs: how many DWARF
/// registers it tracks and which numbers play which role.
public struct UnwindArchitecture: Sendable, Equatable {
    public let name: String
    /// DWARF registers 0..<registerCount are tracked (at most 64); rules for
    /// higher numbers (vector registers) are parsed and ignored.
    public let registerCount: Int
    public let stackPointer: Int
    public let framePointer: Int
    /// The register that holds the pc (x86_64 uses the return-address column).
    public let programCounter: Int
    /// The default return-address column when a CIE names none usable.
    public let returnAddress: Int
    /// Registers a callee must preserve: kept when CFI says nothing about them.
    public let calleeSaved: UInt64
    /// Bytes below sp a leaf may use without moving sp; the engine copies them.
    public let redZone: Int
    public let addressSize: Int

    public init(name: String, registerCount: Int, stackPointer: Int, framePointer: Int,
                programCounter: Int, returnAddress: Int, calleeSaved: UInt64, redZone: Int, addressSize: Int = 8) {
        precondition(registerCount > 0 && registerCount <= 64)
        self.name = name
        self.registerCount = registerCount
        self.stackPointer = stackPointer
        self.framePointer = framePointer
        self.programCounter = programCounter
        self.returnAddress = returnAddress
        self.calleeSaved = calleeSaved
        self.redZone = redZone
        self.addressSize = addressSize
    }

    /// System V x86_64: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp,
    /// 8–15 r8–r15, 16 return address (rip). Callee-saved: rbx, rbp, r12–r15.
    public static let x86_64 = UnwindArchitecture(
        name: "x86_64", registerCount: 17, stackPointer: 7, framePointer: 6,
        programCounter: 16, returnAddress: 16,
        calleeSaved: (1 << 3) | (1 << 6) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15),
        redZone: 128)

    /// AAPCS64: x0–x30 are 0–30 (x29 fp, x30 lr), 31 sp, 32 pc.
    /// Callee-saved: x19–x29 (and lr, which the return-address rule handles).
    /// Described for later; the tests exercise x86_64 only.
    public static let aarch64 = UnwindArchitecture(
        name: "aarch64", registerCount: 33, stackPointer: 31, framePointer: 29,
        programCounter: 32, returnAddress: 30,
        calleeSaved: (0x7ff << 19),
        redZone: 0)
}
