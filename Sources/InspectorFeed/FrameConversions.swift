import Backtraces
import DWARF
import FrameFormatting
import Inspector

extension SymbolizedFrame {
    /// The frame in the words every view uses (dump text, the backtrace pane, the thread table).
    public var text: FrameText {
        var text = FrameText(index: index, pc: pc, function: function, offset: offset, module: module, file: file, line: line,
                             isInline: isInline, isSignalTrampoline: isSignalTrampoline, isJIT: isJIT,
                             arguments: arguments.map { $0.map(\.gdbText).joined(separator: ", ") })
        text.argumentValues = (arguments ?? []).map(Self.shown)
        text.localValues = (locals ?? []).map { NamedValue(name: $0.name, value: $0.value) }
        return text
    }

    /// `3`, `3 (@entry)` when the caller passed that too, `4 (@entry 3)` when it passed another.
    static func shown(_ argument: FrameArgument) -> NamedValue {
        guard let entry = argument.entryValue else { return NamedValue(name: argument.name, value: argument.value) }
        let value = entry == argument.value ? argument.value + " (@entry)" : argument.value + " (@entry " + entry + ")"
        return NamedValue(name: argument.name, value: value)
    }
}

extension Backtrace {
    /// A thread's backtrace as the backtrace pane takes it.
    public init(_ thread: ThreadBacktrace) {
        self.init(tid: thread.tid, frames: thread.frames.map(\.text), error: thread.error)
    }
}
