import CPtrace

/// A stopped thread's registers, as PTRACE_GETREGS returned them.
///
/// Callers use the architecture-neutral accessors (`pc`, `sp`, `fp`, DWARF
/// numbering); only this file knows the x86_64 layout, so aarch64 can follow.
public struct ThreadRegisters: Sendable, Equatable {
    var raw: lwp_user_regs

    init(raw: lwp_user_regs) {
        self.raw = raw
    }

    public var pc: UInt64 { raw.rip }

    /// The same registers at another pc: a thread moved onto (or off) a
    /// hold point's displaced copy.
    func with(pc: UInt64) -> ThreadRegisters {
        var moved = raw
        moved.rip = pc
        return ThreadRegisters(raw: moved)
    }
    public var sp: UInt64 { raw.rsp }
    public var fp: UInt64 { raw.rbp }
    /// The thread pointer (fs_base). glibc puts a thread's descriptor and
    /// static TLS at the top of its stack and points this at the descriptor,
    /// so no frame of that thread lies above it.
    public var threadPointer: UInt64 { raw.fs_base }

    /// The number of DWARF registers `dwarf(_:)` answers for.
    public static let dwarfRegisterCount = 17

    /// A register by its DWARF number (x86_64 psABI: 0 rax, 1 rdx, 2 rcx,
    /// 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 the return address/rip).
    public func dwarf(_ number: Int) -> UInt64? {
        switch number {
        case 0: raw.rax
        case 1: raw.rdx
        case 2: raw.rcx
        case 3: raw.rbx
        case 4: raw.rsi
        case 5: raw.rdi
        case 6: raw.rbp
        case 7: raw.rsp
        case 8: raw.r8
        case 9: raw.r9
        case 10: raw.r10
        case 11: raw.r11
        case 12: raw.r12
        case 13: raw.r13
        case 14: raw.r14
        case 15: raw.r15
        case 16: raw.rip
        default: nil
        }
    }

    public static func == (a: ThreadRegisters, b: ThreadRegisters) -> Bool {
        withUnsafeBytes(of: a.raw) { x in withUnsafeBytes(of: b.raw) { y in x.elementsEqual(y) } }
    }
}
