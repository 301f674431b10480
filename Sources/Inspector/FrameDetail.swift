import FrameFormatting

/// What Enter on a frame of pane 3 shows: the frame in gdb's words, its
/// values when known, and the source around its line (or where the file was
/// looked for). The controller finds the file; the overlay only draws.
public struct FrameDetail: Hashable, Sendable {
    /// A named value: an argument or a local variable.
    public typealias Value = NamedValue

    public enum Source: Hashable, Sendable {
        /// The file's lines, `line` (from 1) the frame's.
        case lines([String], line: Int, path: String)
        /// Why there is none: no line information, or the paths looked at.
        case missing(String)
    }

    /// `#2 worker_loop at worker.c:42`.
    public var title: String
    public var arguments: [Value]
    public var locals: [Value]
    public var source: Source

    public init(title: String, arguments: [Value] = [], locals: [Value] = [], source: Source) {
        self.title = title
        self.arguments = arguments
        self.locals = locals
        self.source = source
    }
}
