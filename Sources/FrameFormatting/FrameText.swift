import Paths

/// One backtrace frame in words, the same in every view: `dump`'s text, the
/// backtrace pane and the thread table's function column.
///
///     #0  0x00007f0e1c8e5545 clock_nanosleep+0x65 (libc.so.6) at nanosleep.c:25
///     #1  0x000055d4c5a021a9 inline parse_line (server) at parse.h:31
///     #2  0x000055d4c5a021b0 server+0x21b0
///     #3  0x000055d4c5a02200 worker+0x40 (n=3, p=0x55d0c0a012a0) (server) at worker.c:12
///
/// A pc outside every symbol is `module+0xoffset` (the module-relative
/// address), never its neighbour's name; outside every module it is `??`. An
/// inlined function is `inline name`: it shares the pc of the frame it was
/// inlined into, as in gdb.
///
/// It is also the frame the backtrace pane lists (`BacktraceFrame`).
public struct FrameText: Sendable, Hashable, Identifiable {
    /// How paths are written: whole (dump) or by file name (the screen).
    public enum PathStyle: Sendable, Hashable {
        case full
        case fileName
    }

    /// What a piece of the line is, so a screen can style it.
    public enum Role: Sendable, Hashable {
        /// `#N` and the pc.
        case position
        /// What ran there: the function, or the module and offset.
        case name
        /// `inline `, the module and the source position.
        case detail
    }

    public struct Span: Sendable, Hashable {
        public var text: String
        public var role: Role
    }

    public var index: Int
    public var pc: UInt64
    public var function: String?
    /// From the function's start, or from the module's without a name.
    public var offset: UInt64
    public var module: String?
    public var file: String?
    public var line: Int?
    public var isInline: Bool
    /// Printed as gdb prints it: `<signal handler called>`.
    public var isSignalTrampoline: Bool
    /// Code in no file, a JIT's: `[jit]` where a module would be.
    public var isJIT: Bool
    /// The function's arguments as gdb lists them between the parentheses
    /// (`n=3, p=0x55d0c0a012a0`); nil when unknown, and then not shown.
    public var arguments: String?
    /// The same one by one, for a view that lists them (the frame overlay).
    public var argumentValues: [NamedValue] = []
    /// The local variables in scope, innermost block first (the frame overlay).
    public var localValues: [NamedValue] = []

    /// gdb's words for the frame the kernel returns through after a handler.
    public static let signalTrampolineText = "<signal handler called>"

    /// Unique within one backtrace.
    public var id: Int { index }

    public init(index: Int, pc: UInt64, function: String?, offset: UInt64, module: String?,
                file: String? = nil, line: Int? = nil, isInline: Bool = false, isSignalTrampoline: Bool = false,
                isJIT: Bool = false, arguments: String? = nil) {
        self.index = index
        self.pc = pc
        self.function = function
        self.offset = offset
        self.module = module
        self.file = file
        self.line = line
        self.isInline = isInline
        self.isSignalTrampoline = isSignalTrampoline
        self.isJIT = isJIT
        self.arguments = arguments
    }

    /// The thread table's function column: the function's name alone, or
    /// where the pc is when it has none.
    public var label: String { isSignalTrampoline ? Self.signalTrampolineText : function ?? unnamedLocation }

    /// `module+0x1a2b` by the module's file name; outside every module
    /// `[jit]` in a JIT's code, else `??` (the pc is already on the line).
    private var unnamedLocation: String {
        if let module, !module.isEmpty { return Path.basename(module) + "+" + Self.hex(offset) }
        return isJIT ? "[jit]" : "??"
    }

    /// The line's pieces in order; joined they are the line.
    /// - indexColumns: the width `#N` is padded to (a longer one overflows);
    ///   it includes the gap before the pc.
    /// - pcDigits: hex digits the pc is zero-padded to.
    public func spans(indexColumns: Int, pcDigits: Int, paths: PathStyle) -> [Span] {
        let number = "#\(index)"
        let digits = String(pc, radix: 16)
        let position = number + String(repeating: " ", count: max(0, indexColumns - number.count))
            + "0x" + String(repeating: "0", count: max(0, pcDigits - digits.count)) + digits + " "
        var spans = [Span(text: position, role: .position)]
        func path(_ text: String) -> String { paths == .full ? text : Path.basename(text) }
        if isSignalTrampoline {
            spans.append(Span(text: Self.signalTrampolineText, role: .name))
            return spans
        }
        if let function {
            if isInline { spans.append(Span(text: "inline ", role: .detail)) }
            spans.append(Span(text: isInline ? function : function + "+" + Self.hex(offset), role: .name))
            if let arguments { spans.append(Span(text: " (\(arguments))", role: .detail)) }
            if let module { spans.append(Span(text: " (\(path(module)))", role: .detail)) }
            if module == nil && isJIT { spans.append(Span(text: " [jit]", role: .detail)) }
        } else {
            spans.append(Span(text: unnamedLocation, role: .name))
            // By file name the module would only repeat the name.
            if let module, !module.isEmpty, paths == .full { spans.append(Span(text: " (\(module))", role: .detail)) }
        }
        if let file, let line { spans.append(Span(text: " at \(path(file)):\(line)", role: .detail)) }
        return spans
    }

    /// The whole line as plain text.
    public func text(indexColumns: Int, pcDigits: Int, paths: PathStyle) -> String {
        spans(indexColumns: indexColumns, pcDigits: pcDigits, paths: paths).map(\.text).joined()
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}

/// A name and its value as shown: an argument, a local variable.
public struct NamedValue: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
