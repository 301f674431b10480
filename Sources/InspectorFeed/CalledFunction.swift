import Backtraces
import FrameFormatting

/// The thread table's FUNCTION: the function the program called, not the
/// library's insides it waits in (`pthread_cond_wait`, not
/// `__futex_abstimed_wait_common64`; `nanosleep`, not `clock_nanosleep`).
///
/// The rule, from the innermost frame outward:
///   1. skip frames in shared libraries that their library does not export
///      (LOCAL or hidden symbols, inlined functions);
///   2. stop at a frame of the main executable, or without a name: its label;
///   3. at an exported frame, take the run of exported frames of that same
///      library around it outward (a public function calling another, as
///      `nanosleep` calls `clock_nanosleep`, `printf` ends in `write`): the
///      outermost is the one the caller called, by its exported name.
/// When the stack ends before any of that (unwound shallowly), the innermost
/// frame's label.
public enum CalledFunction {
    /// - mainExecutable: the process's executable as its mappings name it
    ///   (/proc/PID/exe); nil treats every module as a library.
    public static func label(_ frames: [SymbolizedFrame], mainExecutable: String?) -> String? {
        var entry: SymbolizedFrame?
        for frame in frames {
            let inMain = frame.module != nil && frame.module == mainExecutable
            if let found = entry {
                guard !inMain, frame.module == found.module, frame.exportedName != nil || frame.isInline else { break }
                // An inlined piece of the caller belongs to the run.
                if !frame.isInline { entry = frame }
                continue
            }
            if inMain || frame.function == nil { return frame.exportedName ?? frame.text.label }
            if frame.exportedName != nil { entry = frame }
        }
        return entry?.exportedName ?? frames.first?.text.label
    }
}
