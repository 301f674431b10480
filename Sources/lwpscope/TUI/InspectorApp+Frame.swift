import Inspector
import InspectorFeed

/// Enter on a frame: its source, found as `dump --source` finds it.
extension InspectorApp {
    func showFrame(_ tid: Int32, _ index: Int) {
        guard let frame = feed.backtrace(of: tid)?.frames.first(where: { $0.index == index }) else {
            state.showMessage(StatusMessage("thread \(tid) has gone", severity: .warning))
            return
        }
        state.showFrame(FrameDetails.make(frame, sources: sources.forProcess(state.status.pid, procfs: procfs)))
    }
}

/// A frame and its source as the overlay shows them.
enum FrameDetails {
    static func make(_ frame: BacktraceFrame, sources: SourceFiles) -> FrameDetail {
        let name = frame.isSignalTrampoline ? "<signal handler called>" : frame.function ?? "0x" + String(frame.pc, radix: 16)
        var title = "#\(frame.index) \(name)"
        guard let file = frame.file, let line = frame.line else {
            let module = frame.module.map { " in \($0)" } ?? ""
            return FrameDetail(title: title + module, arguments: frame.argumentValues, locals: frame.localValues, source: .missing(
                "no source line for this frame: \(frame.module == nil ? "no module" : "no DWARF line table for it (a debug file, or -g, gives one)")"))
        }
        title += " at \(file.split(separator: "/").last.map(String.init) ?? file):\(line)"
        let arguments = frame.argumentValues, locals = frame.localValues
        switch sources.lookup(file) {
        case .found(let path, let lines):
            return FrameDetail(title: title, arguments: arguments, locals: locals, source: .lines(lines, line: line, path: path))
        case .notFound(let tried):
            return FrameDetail(title: title, arguments: arguments, locals: locals, source: .missing(
                "\(file): not found; looked for \(tried.joined(separator: ", ")). Start lwpscope with --source-dir DIR or --source-map OLD=NEW"))
        }
    }
}
