import DWARF
import Demangle
import ELF

/// A frame with a name: `function+offset (module)`, or `module+offset` when no
/// symbol contains the pc (never the nearest neighbour's name).
public struct SymbolizedFrame: Sendable, Equatable {
    public var index: Int
    /// frame 0: where the thread is; callers: the return address, as gdb prints.
    public var pc: UInt64
    /// The mapped file's path, "[vdso]", or nil outside any executable mapping.
    public var module: String?
    /// Demangled name, or nil when no symbol contains the pc.
    public var function: String?
    /// The symbol as written in the symbol table (mangled).
    public var rawFunction: String?
    /// From the function's start when `function` is known; otherwise the
    /// module-relative (link-time) address, as addr2line takes it.
    public var offset: UInt64
    /// How the unwinder found this frame.
    public var method: String
    /// The source position from DWARF line tables (for a caller frame, of
    /// the call: `pc - 1`, as gdb does), or for a frame an inlined function
    /// was inlined into, of the inlined call site.
    public var file: String?
    public var line: Int?
    /// A function inlined into the next frame: it shares that frame's pc and
    /// stack, and exists only in the debug information.
    public var isInline: Bool = false
    /// The name the module exports this function under, as programs call it
    /// (`read` for `__GI___libc_read`); nil for a function it does not export
    /// (LOCAL, hidden), an inlined one, or a pc no symbol contains.
    public var exportedName: String? = nil
    /// The signal trampoline (`__restore_rt`) the kernel returns through:
    /// between a signal handler and the frame the signal interrupted, as
    /// gdb's `<signal handler called>`.
    public var isSignalTrampoline: Bool = false
    /// Code in no file (a JIT's): named from the process's perf map when it
    /// lists the pc, and printed `[jit]` in place of a module.
    public var isJIT: Bool = false
    /// The function's formal parameters with their values, as gdb prints
    /// them; nil where the module has no DWARF for the frame (or arguments
    /// were not asked for), empty for a function without parameters.
    public var arguments: [FrameArgument]? = nil
    /// The variables in scope at the pc (innermost block first), when asked for.
    public var locals: [FrameArgument]? = nil
    /// Where the function's DWARF is, for reading its arguments.
    var scope: FunctionScope? = nil
}

/// A name and place for one file address of a module, before the module's
/// load bias is applied: what ModuleFile caches.
struct ResolvedFrame: Sendable {
    var function: String?
    var rawFunction: String?
    /// The containing symbol's start, for `function+offset`.
    var symbolStart: FileAddress?
    var location: SourceLocation?
    var isInline: Bool
    /// `SymbolizedFrame.exportedName`, demangled.
    var exportedName: String? = nil
    var scope: FunctionScope? = nil
}

enum Symbolizer {
    /// The frames one unwound frame stands for: the functions inlined at its
    /// pc (innermost first, as gdb numbers them) and the function itself,
    /// numbered from `index`.
    ///
    /// For a caller frame, `pc` is a return address: the call it returns from
    /// is at `pc - 1`, which can belong to another function (a call that
    /// never returns at the end of one) or another line.
    ///
    /// `SymbolizedFrame` is for display: its pc and offset are plain numbers.
    static func symbolize(index: Int, pc: RuntimeAddress, pcIsExact: Bool, method: String, in space: AddressSpace) -> [SymbolizedFrame] {
        let lookup = pcIsExact || pc == 0 ? pc : pc - 1
        guard let region = space.region(containing: lookup), !region.isAnonymous else {
            return [jitFrame(index: index, pc: pc, lookup: lookup, method: method, isCode: space.region(containing: lookup) != nil,
                             map: space.perfMap)]
        }
        // addr2line's module-relative address of the pc itself.
        let modulePC = region.loadBias.fileAddress(of: pc)
        let resolved = region.module?.resolvedFrames(at: region.loadBias.fileAddress(of: lookup)) ?? []
        guard !resolved.isEmpty else {
            return [SymbolizedFrame(
                index: index, pc: pc.rawValue, module: region.path, function: nil, rawFunction: nil,
                offset: modulePC.rawValue, method: method)]
        }
        return resolved.enumerated().map { position, frame in
            let offset = frame.symbolStart.map { modulePC.offset(from: $0) } ?? modulePC.rawValue
            var symbolized = SymbolizedFrame(
                index: index + position, pc: pc.rawValue, module: region.path, function: frame.function,
                rawFunction: frame.rawFunction, offset: offset, method: method,
                file: frame.location?.file, line: frame.location?.line, isInline: frame.isInline,
                exportedName: frame.exportedName)
            symbolized.scope = frame.scope
            return symbolized
        }
    }
}

extension Symbolizer {
    /// A frame in no file: named by the JIT's perf map when it has the pc
    /// (`LazyCompile:*work /app/main.js:3`), with the offset from that entry.
    /// - isCode: the pc is in an executable mapping (anonymous code).
    static func jitFrame(index: Int, pc: RuntimeAddress, lookup: RuntimeAddress, method: String, isCode: Bool,
                         map: PerfMap?) -> SymbolizedFrame {
        let entry = map?.entry(containing: lookup.rawValue)
        var frame = SymbolizedFrame(
            index: index, pc: pc.rawValue, module: nil, function: entry?.name, rawFunction: entry?.name,
            offset: entry.map { pc.rawValue &- $0.range.lowerBound } ?? pc.rawValue, method: method)
        frame.isJIT = isCode || entry != nil
        return frame
    }
}

/// The name users know: demangled, without the symbol-version suffix that
/// .symtab spells into some names (`clock_nanosleep@@GLIBC_2.17`).
func displayName(_ raw: String) -> String {
    Demangler.demangle(LinkerDecoration.strippingVersion(raw))
}
