import Backtraces
import FrameFormatting

extension SymbolizedFrame {
    /// The frame in the words every view uses (dump text, the backtrace pane, the thread table).
    var text: FrameText {
        FrameText(index: index, pc: pc, function: function, offset: offset, module: module, file: file, line: line,
                  isInline: isInline)
    }
}
