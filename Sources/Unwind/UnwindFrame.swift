import ELF

/// How a frame's registers were recovered.
public enum FrameMethod: Equatable, Sendable {
    /// The stopped thread's own registers.
    case initial
    /// From the callee's call-frame information.
    case cfi
    /// From the callee's frame-pointer chain.
    case framePointer
    /// From the sp delta in the callee's Go pclntab.
    case goPCLNTab
}

/// One frame of a backtrace.
public struct UnwindFrame: Equatable, Sendable {
    /// The frame's pc: exact for frame 0 and for frames interrupted by a
    /// signal, otherwise a return address (symbolize `pc - 1` for those).
    public var pc: RuntimeAddress
    /// The frame's stack pointer (the callee's CFA for caller frames).
    public var sp: RuntimeAddress
    /// This frame's own CFA, once it has been unwound through (nil for the last frame).
    public var cfa: RuntimeAddress?
    public var method: FrameMethod
    /// This frame's code is a signal trampoline (CIE augmentation "S").
    public var isSignalFrame: Bool
    /// The pc is exact rather than a return address (frame 0, or the frame a
    /// signal interrupted): symbolize it as is.
    public var pcIsExact: Bool
    /// The registers as recovered for this frame, each known or not: all of
    /// them in frame 0, in callers only what the CFI restored (callee-saved
    /// ones, sp, pc). nil unless the unwinder was asked to keep them.
    public var registers: UnwindRegisters? = nil

    public init(pc: RuntimeAddress, sp: RuntimeAddress, cfa: RuntimeAddress? = nil, method: FrameMethod,
                isSignalFrame: Bool = false, pcIsExact: Bool) {
        self.pc = pc
        self.sp = sp
        self.cfa = cfa
        self.method = method
        self.isSignalFrame = isSignalFrame
        self.pcIsExact = pcIsExact
    }
}

/// Why an unwind stopped.
public enum UnwindStopReason: Equatable, Sendable {
    /// The CFI marks the return address undefined (e.g. `_start`, thread start).
    case outermostFrame
    case pcZero
    case pcNotExecutable(RuntimeAddress)
    /// The caller's stack pointer is not above the callee's.
    case stackNotGrowing(callee: RuntimeAddress, caller: RuntimeAddress)
    /// A (pc, sp) pair repeated.
    case cycle
    case readFailed(RuntimeAddress)
    case depthLimit
    /// No CFI for the pc and no usable frame pointer.
    case noUnwindInfo(pc: RuntimeAddress)
    /// A register a rule needs is unknown (e.g. sp or pc missing).
    case registerUnavailable(Int)
    /// The CFI was corrupt and no frame-pointer fallback was possible.
    case cfiError(CFIError)
}

public struct Backtrace: Equatable, Sendable {
    public var frames: [UnwindFrame]
    public var stopReason: UnwindStopReason

    public init(frames: [UnwindFrame], stopReason: UnwindStopReason) {
        self.frames = frames
        self.stopReason = stopReason
    }

    public var pcs: [RuntimeAddress] { frames.map(\.pc) }
}
