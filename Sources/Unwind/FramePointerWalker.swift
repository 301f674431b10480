import ELF

/// One step up a frame-pointer chain. On both x86_64 and aarch64 a frame
/// record at fp holds [caller fp, return address], and the CFA is fp + 2 words.
enum FramePointerWalker {
    enum Outcome {
        case ok(cfa: UInt64)
        case noFramePointer
        case readFailed(RuntimeAddress)
    }

    /// Fills `caller` from `callee`'s frame pointer. Callee-saved registers
    /// other than fp are unknown afterwards: where they were saved is not known.
    static func step(from callee: UnwindRegisters, into caller: inout UnwindRegisters,
                     memory: some MemoryReader) -> Outcome {
        let arch = callee.architecture
        let word = UInt64(arch.addressSize)
        guard let fp = callee.fp, fp != 0, fp % word == 0 else { return .noFramePointer }
        // A frame record lies at or above the current sp.
        if let sp = callee.sp, fp < sp { return .noFramePointer }
        guard fp <= UInt64.max - 2 * word else { return .noFramePointer }
        let record = RuntimeAddress(fp)
        guard let savedFP = memory.readU64(record) else { return .readFailed(record) }
        guard let ra = memory.readU64(record + word) else { return .readFailed(record + word) }
        caller.clear()
        caller.fp = savedFP
        caller.sp = fp + 2 * word
        caller[arch.returnAddress] = ra
        caller.pc = ra
        return .ok(cfa: fp + 2 * word)
    }
}
