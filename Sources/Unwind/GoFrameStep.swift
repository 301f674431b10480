import ELF

/// One step up through a Go function from its pcsp value. Go's amd64
/// frames keep the return address at sp + delta and, when the function has
/// a frame, the caller's rbp just below it (runtime/traceback.go).
enum GoFrameStep {
    enum Outcome {
        case ok(cfa: UInt64)
        case readFailed(RuntimeAddress)
    }

    static func step(spDelta: UInt64, from callee: UnwindRegisters, into caller: inout UnwindRegisters,
                     memory: some MemoryReader) -> Outcome {
        let arch = callee.architecture
        let word = UInt64(arch.addressSize)
        guard let sp = callee.sp else { return .readFailed(0) }
        let returnSlot = RuntimeAddress(sp &+ spDelta)
        guard let returnAddress = memory.readU64(returnSlot) else { return .readFailed(returnSlot) }
        let cfa = returnSlot.rawValue &+ word
        caller.clear()
        // As for CFI that says nothing of them: registers a callee preserves are kept.
        for number in 0..<callee.count where arch.calleeSaved & (1 << UInt64(number)) != 0 {
            caller[number] = callee[number]
        }
        caller.fp = callerFramePointer(callee: callee, sp: sp, cfa: cfa, memory: memory)
        caller.sp = cfa
        caller[arch.returnAddress] = returnAddress
        caller.pc = returnAddress
        return .ok(cfa: cfa)
    }

    /// Delve's rule (amd64FixFrameUnwindContext): rbp inside this frame
    /// means the function has saved the caller's rbp where rbp points; rbp
    /// above it (a frameless function, or one not yet past its prologue)
    /// is still the caller's own.
    private static func callerFramePointer(callee: UnwindRegisters, sp: UInt64, cfa: UInt64,
                                           memory: some MemoryReader) -> UInt64? {
        guard let fp = callee.fp else { return nil }
        guard fp >= sp, fp < cfa else { return fp }
        return memory.readU64(RuntimeAddress(fp))
    }
}
