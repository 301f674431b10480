import FrameFormatting

/// One frame as the unwinder symbolized it, in the words every view uses.
public typealias BacktraceFrame = FrameText

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
