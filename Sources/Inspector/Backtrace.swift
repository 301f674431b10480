/// One frame as the unwinder symbolized it.
public struct BacktraceFrame: Hashable, Sendable, Identifiable {
    public var index: Int
    public var pc: UInt64
    public var function: String?
    /// Offset of `pc` from the function's start (or the module's, without a name).
    public var offset: UInt64
    /// Full path; the pane shows its file name.
    public var module: String?
    /// The source position, from debug information; the pane shows the file name.
    public var file: String?
    public var line: Int?
    /// A function inlined into the next frame (which has the same pc).
    public var isInline: Bool

    public var id: Int { index }

    public init(index: Int, pc: UInt64, function: String?, offset: UInt64, module: String?,
                file: String? = nil, line: Int? = nil, isInline: Bool = false) {
        self.index = index
        self.pc = pc
        self.function = function
        self.offset = offset
        self.module = module
        self.file = file
        self.line = line
        self.isInline = isInline
    }
}

/// The backtrace of one thread, or why there is none.
public struct Backtrace: Hashable, Sendable {
    public var tid: Int32
    public var frames: [BacktraceFrame]
    /// Set when unwinding failed; shown in place of frames.
    public var error: String?

    public init(tid: Int32, frames: [BacktraceFrame], error: String? = nil) {
        self.tid = tid
        self.frames = frames
        self.error = error
    }
}
