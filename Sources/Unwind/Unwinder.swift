import ELF

/// Walks a stopped thread's stack: CFI first, then a Go pclntab's sp deltas,
/// then frame pointers where there is neither (or where the CFI is broken),
/// with sanity checks that stop cleanly.
public struct Unwinder: Sendable {
    public struct Options: Sendable {
        /// The default depth limit: a guard against a loop the other checks
        /// miss, not a view setting. Stacks thousands deep are normal in
        /// parsers and interpreters, and gdb shows every frame.
        public static let loopGuardDepth = 100_000

        public var maxDepth: Int = loopGuardDepth
        public var useCFI: Bool = true
        /// Follow the frame-pointer chain where CFI is missing or unusable.
        public var useFramePointers: Bool = true
        /// Unwind Go code without CFI from its pclntab, and stop where Go's traceback stops.
        public var useGoTables: Bool = true
        /// Keep each frame's recovered registers (`UnwindFrame.registers`),
        /// for reading its arguments. Off, the walk allocates nothing per frame.
        public var keepsRegisters: Bool = false

        public init(maxDepth: Int = loopGuardDepth, useCFI: Bool = true, useFramePointers: Bool = true,
                    useGoTables: Bool = true, keepsRegisters: Bool = false) {
            self.maxDepth = maxDepth
            self.useCFI = useCFI
            self.useFramePointers = useFramePointers
            self.useGoTables = useGoTables
            self.keepsRegisters = keepsRegisters
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Unwinds from `registers` (which must hold at least pc and sp).
    public func unwind(registers: UnwindRegisters, memory: some MemoryReader,
                       modules: some ModuleLookup) -> Backtrace {
        var frames: [UnwindFrame] = []
        frames.reserveCapacity(min(options.maxDepth, 64))
        let arch = registers.architecture
        var current = registers
        var caller = UnwindRegisters(architecture: arch)

        guard let pc0 = current.pc.map(RuntimeAddress.init) else { return Backtrace(frames: [], stopReason: .registerUnavailable(arch.programCounter)) }
        guard let sp0 = current.sp.map(RuntimeAddress.init) else { return Backtrace(frames: [], stopReason: .registerUnavailable(arch.stackPointer)) }
        frames.append(UnwindFrame(pc: pc0, sp: sp0, method: .initial, pcIsExact: true))
        if options.keepsRegisters { frames[0].registers = current }
        if pc0 == 0 { return Backtrace(frames: frames, stopReason: .pcZero) }
        if !modules.isExecutable(pc0) { return Backtrace(frames: frames, stopReason: .pcNotExecutable(pc0)) }

        // True when the current frame's pc is exact (frame 0, or a frame a
        // signal interrupted): look up its CFI at pc rather than pc - 1.
        var pcIsExact = true

        while true {
            if frames.count >= options.maxDepth { return Backtrace(frames: frames, stopReason: .depthLimit) }
            // Registers hold plain values; in this loop pc and sp are addresses in the process.
            let pc = RuntimeAddress(current.pc!)
            let sp = RuntimeAddress(current.sp!)
            let lookupPC = pcIsExact ? pc : pc - 1
            var method = FrameMethod.cfi
            var isSignal = false
            var cfa: RuntimeAddress = 0
            var cfiFailure: UnwindStopReason? = nil
            var done = false
            let goFrame = options.useGoTables ? modules.goFrame(for: lookupPC) : nil
            // Above goexit or mstart lie only a thread's start or stale words.
            if let goFrame, goFrame.endsTraceback(isInnermost: frames.count == 1) {
                return Backtrace(frames: frames, stopReason: .outermostFrame)
            }

            if options.useCFI, let info = modules.unwindInfo(for: lookupPC) {
                do {
                    if let row = try info.table.row(for: info.loadBias.fileAddress(of: lookupPC)) {
                        isSignal = row.isSignalFrame
                        switch CFIStep.apply(row, callee: current, into: &caller, memory: memory) {
                        case .ok(let c): cfa = RuntimeAddress(c); done = true
                        case .outermost: return Backtrace(frames: frames, stopReason: .outermostFrame)
                        case .readFailed(let a): cfiFailure = .readFailed(a)
                        case .registerUnavailable(let r): cfiFailure = .registerUnavailable(r)
                        case .expressionFailed(let e): cfiFailure = .cfiError(e)
                        }
                    }
                } catch {
                    cfiFailure = .cfiError(error)
                }
            }
            // Go linked with -w has no CFI, and its frameless leaves (runtime.futex) no frame record.
            if !done, let spDelta = goFrame?.spDelta {
                switch GoFrameStep.step(spDelta: spDelta, from: current, into: &caller, memory: memory) {
                case .ok(let c): cfa = RuntimeAddress(c); done = true; method = .goPCLNTab; isSignal = false
                case .readFailed(let a): cfiFailure = cfiFailure ?? .readFailed(a)
                }
            }
            if !done {
                guard options.useFramePointers else {
                    return Backtrace(frames: frames, stopReason: cfiFailure ?? .noUnwindInfo(pc: pc))
                }
                method = .framePointer
                isSignal = false
                switch FramePointerWalker.step(from: current, into: &caller, memory: memory) {
                case .ok(let c): cfa = RuntimeAddress(c)
                case .noFramePointer:
                    return Backtrace(frames: frames, stopReason: cfiFailure ?? .noUnwindInfo(pc: pc))
                case .readFailed(let a):
                    return Backtrace(frames: frames, stopReason: cfiFailure ?? .readFailed(a))
                }
            }

            frames[frames.count - 1].cfa = cfa
            frames[frames.count - 1].isSignalFrame = isSignal

            guard let newPC = caller.pc.map(RuntimeAddress.init) else { return Backtrace(frames: frames, stopReason: .registerUnavailable(arch.programCounter)) }
            guard let newSP = caller.sp.map(RuntimeAddress.init) else { return Backtrace(frames: frames, stopReason: .registerUnavailable(arch.stackPointer)) }
            if newPC == 0 { return Backtrace(frames: frames, stopReason: .pcZero) }
            if !modules.isExecutable(newPC) { return Backtrace(frames: frames, stopReason: .pcNotExecutable(newPC)) }
            // The stack grows down, so callers sit higher. The first step may
            // keep sp (a leaf stopped before its prologue has the same CFA
            // logic), and a signal frame may switch stacks (sigaltstack).
            if newSP <= sp {
                let allowed = (frames.count == 1 && newSP == sp) || isSignal
                if !allowed { return Backtrace(frames: frames, stopReason: .stackNotGrowing(callee: sp, caller: newSP)) }
                if frames.contains(where: { $0.pc == newPC && $0.sp == newSP }) {
                    return Backtrace(frames: frames, stopReason: .cycle)
                }
            }
            pcIsExact = isSignal
            frames.append(UnwindFrame(pc: newPC, sp: newSP, method: method, pcIsExact: isSignal))
            // Shared storage: the copy happens when the walk next reuses `caller`.
            if options.keepsRegisters { frames[frames.count - 1].registers = caller }
            swap(&current, &caller)
        }
    }
}
