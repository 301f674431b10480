import ELF
import Unwind

/// What a frame's location expressions are evaluated against: its unwound
/// registers (only those the unwinder recovered are known), its CFA, the
/// target's memory, and a way to the values registers had when the function
/// was entered (DW_OP_entry_value), found at the caller's call site.
public struct ArgumentFrame {
    public var registers: UnwindRegisters
    /// The frame's canonical frame address (DW_OP_call_frame_cfa); nil for
    /// the outermost frame, which was never unwound through.
    public var cfa: UInt64?
    public var memory: any MemoryReader
    /// The value DWARF register `n` had on entry, nil when the caller's call
    /// site does not say.
    public var entryValue: (Int) -> UInt64?

    public init(registers: UnwindRegisters, cfa: UInt64?, memory: any MemoryReader,
                entryValue: @escaping (Int) -> UInt64? = { _ in nil }) {
        self.registers = registers
        self.cfa = cfa
        self.memory = memory
        self.entryValue = entryValue
    }
}
