import Backtraces
import DWARF
import FrameFormatting
import Inspector

extension SymbolizedFrame {
    /// The frame in the words every view uses (dump text, the backtrace pane, the thread table).
    public var text: FrameText {
        FrameText(index: index, pc: pc, function: function, offset: offset, module: module, file: file, line: line,
                  isInline: isInline, isSignalTrampoline: isSignalTrampoline, isJIT: isJIT,
                  arguments: arguments.map { $0.map(\.gdbText).joined(separator: ", ") })
    }
}

extension Backtrace {
    /// A thread's backtrace as the backtrace pane takes it.
    public init(_ thread: ThreadBacktrace) {
        self.init(tid: thread.tid, frames: thread.frames.map(\.text), error: thread.error)
    }
}
