/// gdb's backtraces of one process, as `thread apply all bt` printed them.
///
/// This file holds the model; GDBReference runs gdb and GDBOutputParser reads
/// its text.

/// One line of a gdb backtrace: `#3  0x000055... in worker_inner (...) at x.c:12`.
public struct GDBFrame: Equatable, Sendable {
    /// gdb's frame number: `#3` is 3.
    public var index: Int
    /// The address gdb printed, or nil when it printed none. For caller frames
    /// this is the return address. gdb leaves it out when the frame is the
    /// caller an inlined function was inlined into (that frame shares the
    /// inlined frame's pc), for frame 0 when the pc is at the start of a line,
    /// and for `<signal handler called>`.
    public var pc: UInt64?
    /// The function as gdb named it, without its argument list; nil for `??`.
    /// gdb does not demangle Swift: Swift functions come as `$s...` symbols.
    public var function: String?
    /// True when gdb says this function was inlined into the next frame (the
    /// caller), which shares its physical frame. See GDBOutputParser for how
    /// this is told from the text.
    public var isInline: Bool
    /// The shared object from `from /lib/...so.6`, printed for frames without
    /// debug information.
    public var library: String?
    /// The source position from `at file.c:12`, when gdb had line information.
    public var source: String?
    /// True for gdb's `<signal handler called>` frame (the signal trampoline).
    public var isSignalTrampoline: Bool

    public init(
        index: Int, pc: UInt64?, function: String?, isInline: Bool = false,
        library: String? = nil, source: String? = nil, isSignalTrampoline: Bool = false
    ) {
        self.index = index
        self.pc = pc
        self.function = function
        self.isInline = isInline
        self.library = library
        self.source = source
        self.isSignalTrampoline = isSignalTrampoline
    }
}

/// One machine frame: a function's activation on the stack, with the frames
/// gdb shows for functions inlined into it. This is what an unwinder without
/// inline information reports as one frame.
public struct GDBPhysicalFrame: Equatable, Sendable {
    /// gdb's frame numbers that make up this machine frame, innermost first.
    public var indices: [Int]
    /// The pc: the address gdb printed on the first (innermost) of them.
    public var pc: UInt64?
    /// The function that owns the code, which is the outermost frame of the
    /// group (the one not inlined anywhere): the name a symbol table gives.
    public var function: String?
    /// The inlined functions, innermost first, that gdb showed as extra frames.
    public var inlined: [String]
    public var isSignalTrampoline: Bool

    public init(indices: [Int], pc: UInt64?, function: String?, inlined: [String], isSignalTrampoline: Bool = false) {
        self.indices = indices
        self.pc = pc
        self.function = function
        self.inlined = inlined
        self.isSignalTrampoline = isSignalTrampoline
    }

    /// Every name gdb showed for this frame, owner first.
    public var allNames: [String] { (function.map { [$0] } ?? []) + inlined }
}

/// One thread's section of `thread apply all bt`.
public struct GDBThread: Equatable, Sendable {
    /// gdb's own thread number (`Thread 3`), not the kernel's.
    public var number: Int
    /// The kernel thread id, from `(LWP 1234)`.
    public var tid: Int32
    /// The thread name gdb printed in quotes, if any.
    public var name: String?
    /// The pthread handle from `(Thread 0x7f… (LWP 1234)`, with libthread_db.
    public var pthread: UInt64? = nil
    public var frames: [GDBFrame]
    /// The text after `Backtrace stopped: `, when gdb printed one.
    public var stopReason: String?

    public init(number: Int, tid: Int32, name: String?, frames: [GDBFrame], stopReason: String? = nil) {
        self.number = number
        self.tid = tid
        self.name = name
        self.frames = frames
        self.stopReason = stopReason
    }

    /// gdb's frames grouped into machine frames: each inline frame joins the
    /// frame it was inlined into.
    public var physicalFrames: [GDBPhysicalFrame] {
        var result: [GDBPhysicalFrame] = []
        var pending: [GDBFrame] = []
        for frame in frames {
            pending.append(frame)
            if !frame.isInline {
                result.append(Self.physicalFrame(pending))
                pending = []
            }
        }
        // A trailing inline frame with no owner (gdb stopped the backtrace):
        // keep it as its own frame rather than lose it.
        if !pending.isEmpty { result.append(Self.physicalFrame(pending)) }
        return result
    }

    private static func physicalFrame(_ group: [GDBFrame]) -> GDBPhysicalFrame {
        GDBPhysicalFrame(
            indices: group.map(\.index),
            pc: group.first?.pc,
            function: group.last?.function,
            inlined: group.dropLast().compactMap(\.function),
            isSignalTrampoline: group.last?.isSignalTrampoline ?? false
        )
    }

    /// The function names of gdb's frames, innermost first (nil for `??`).
    public var functionNames: [String?] { frames.map(\.function) }
}

extension Array where Element == GDBThread {
    /// The thread with kernel id `tid`.
    public func thread(tid: Int32) -> GDBThread? { first { $0.tid == tid } }
    /// The first thread gdb showed with this name.
    public func thread(named name: String) -> GDBThread? { first { $0.name == name } }
}
