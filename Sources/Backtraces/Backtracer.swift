import Dispatch
import ELF
import Engine
import ProcFS
import Unwind

/// Turns a snapshot (registers and stack copies) into symbolized backtraces.
/// The target is already running again: all of this works on the copies,
/// plus live reads beyond them.
public struct Backtracer: Sendable {
    public var unwinder: Unwinder
    public var cache: ModuleCache
    public var procfs: ProcFS

    /// Read each frame's arguments from DWARF (`SymbolizedFrame.arguments`).
    public var readsArguments: Bool {
        get { unwinder.options.keepsRegisters }
        set { unwinder.options.keepsRegisters = newValue }
    }

    /// Read each frame's local variables too (`SymbolizedFrame.locals`); needs `readsArguments`.
    public var readsLocals: Bool = false

    public init(maxDepth: Int = Unwinder.Options.loopGuardDepth, cache: ModuleCache = .shared, procfs: ProcFS = ProcFS(),
                readsArguments: Bool = false, readsLocals: Bool = false) {
        unwinder = Unwinder(options: .init(maxDepth: maxDepth, keepsRegisters: readsArguments || readsLocals))
        self.readsLocals = readsLocals
        self.cache = cache
        self.procfs = procfs
    }

    /// Frames unwound per thread unless told: only a guard against loops.
    public static let defaultMaxDepth = Unwinder.Options.loopGuardDepth

    /// Stack bytes worth copying per thread while it is stopped.
    public static let defaultStackBytes = 16 * 1024

    public func backtraces(of snapshot: consuming ProcessSnapshot) -> ProcessBacktraces {
        let space = addressSpace(of: snapshot.pid)
        return backtraces(of: snapshot, in: space)
    }

    /// Opens the process's modules and their debug information ahead of need,
    /// so that the work overlaps attaching and stopping: inflating a libc's
    /// compressed DWARF alone takes tens of milliseconds. Everything lands in
    /// the module cache, which later snapshots read.
    public func prepareModules(of pid: Int32) {
        guard let space = AddressSpace.load(pid: pid, procfs: procfs, cache: cache) else { return }
        var seen = Set<ObjectIdentifier>()
        for case let module? in space.regions.map(\.module) where seen.insert(ObjectIdentifier(module)).inserted {
            _ = module.debugInfo
        }
    }

    /// The process's executable regions and modules, now.
    public func addressSpace(of pid: Int32) -> AddressSpace {
        AddressSpace.load(pid: pid, procfs: procfs, cache: cache) ?? AddressSpace(pid: pid, regions: [])
    }

    /// - snapshot: given up by a caller that is done with it, each thread's
    ///   stack copy is freed as soon as that thread is unwound (at 4,000
    ///   threads, megabytes of peak memory); a caller that keeps its own
    ///   copy keeps the stacks alive, and loses nothing.
    public func backtraces(of snapshot: consuming ProcessSnapshot, in space: AddressSpace) -> ProcessBacktraces {
        let pid = snapshot.pid, command = snapshot.command, stopped = snapshot.stoppedMicroseconds
        var threads = snapshot.threads
        snapshot.threads = []
        let stacks = UnsafeResults<StackCopy>(count: threads.count)
        for index in threads.indices {
            stacks[index] = threads[index].stack
            threads[index].stack = nil
        }
        // Unwinding reads only copies and immutable, lock-guarded module data,
        // so threads are unwound in parallel across the cores.
        let results = UnsafeResults<ThreadBacktrace>(count: threads.count)
        let withoutStacks = threads
        let facts = ArgumentFacts()
        DispatchQueue.concurrentPerform(iterations: withoutStacks.count) { index in
            var thread = withoutStacks[index]
            thread.stack = stacks.take(index)
            results[index] = backtrace(of: thread, pid: pid, in: space, facts: facts)
        }
        return ProcessBacktraces(pid: pid, command: command, stoppedMicroseconds: stopped, threads: results.values)
    }

    /// The frames (inline ones first) of one exact pc, without a stack: for a
    /// thread seen only through /proc, such as one another session parked.
    public func frames(at pc: UInt64, in space: AddressSpace) -> [SymbolizedFrame] {
        Symbolizer.symbolize(index: 0, pc: RuntimeAddress(pc), pcIsExact: true, method: "registers", in: space)
    }

    public func backtrace(of thread: ThreadSnapshot, pid: Int32, in space: AddressSpace) -> ThreadBacktrace {
        backtrace(of: thread, pid: pid, in: space, facts: ArgumentFacts())
    }

    /// - facts: what the threads of one snapshot share about its addresses.
    func backtrace(of thread: ThreadSnapshot, pid: Int32, in space: AddressSpace, facts: ArgumentFacts) -> ThreadBacktrace {
        var result = ThreadBacktrace(
            tid: thread.tid, name: thread.name, state: thread.state, waitChannel: thread.waitChannel,
            frames: [], stopReason: "", error: nil)
        guard let registers = thread.registers else {
            result.error = thread.unavailableReason ?? "no registers"
            return result
        }
        result.threadPointer = registers.threadPointer == 0 ? nil : registers.threadPointer
        if space.isForeignArchitecture {
            result.error = "unsupported: pid \(pid) runs 32-bit or non-x86_64 code; lwpscope unwinds x86_64 processes"
            result.frames = Symbolizer.symbolize(
                index: 0, pc: RuntimeAddress(registers.pc), pcIsExact: true, method: "registers", in: space)
            return result
        }
        var unwindRegisters = UnwindRegisters(architecture: .x86_64)
        for number in 0..<ThreadRegisters.dwarfRegisterCount {
            unwindRegisters[number] = registers.dwarf(number)
        }
        let memory = TargetMemory(pid: pid, stack: thread.stack)
        let trace = unwinder.unwind(registers: unwindRegisters, memory: memory, modules: space)
        let arguments = readsArguments
            ? FrameArgumentReader(space: space, memory: memory, unwound: trace.frames, readsLocals: readsLocals, facts: facts)
            : nil
        for (physical, frame) in trace.frames.enumerated() {
            var named = Symbolizer.symbolize(
                // A signal trampoline's "return address" is its own first
                // instruction (the kernel pushed it): name it as is.
                index: result.frames.count, pc: frame.pc, pcIsExact: frame.pcIsExact || frame.isSignalFrame,
                method: Self.name(of: frame.method), in: space)
            if frame.isSignalFrame, !named.isEmpty { named[named.count - 1].isSignalTrampoline = true }
            if let arguments, !frame.isSignalFrame { arguments.fill(&named, physical: physical) }
            result.frames += named
        }
        result.stopReason = trace.stopReason == .depthLimit
            ? "depth limit of \(unwinder.options.maxDepth) frames hit (--max-depth): deeper frames not shown"
            : Self.describe(trace.stopReason)
        return result
    }

    static func name(of method: FrameMethod) -> String {
        switch method {
        case .initial: "registers"
        case .cfi: "cfi"
        case .framePointer: "frame pointer"
        case .goPCLNTab: "go pclntab"
        @unknown default: "other"
        }
    }

    static func describe(_ reason: UnwindStopReason) -> String {
        switch reason {
        case .outermostFrame: "outermost frame"
        case .pcZero: "return address 0"
        case .pcNotExecutable: "pc outside any executable mapping"
        case .stackNotGrowing: "stack pointer did not grow"
        case .cycle: "a cycle in the stack"
        case .readFailed: "stack memory unreadable"
        case .depthLimit: "depth limit"
        case .noUnwindInfo: "no unwind information"
        case .registerUnavailable: "a register needed to unwind is unknown"
        case .cfiError: "corrupt unwind information"
        @unknown default: "\(reason)"
        }
    }
}

/// A fixed-size buffer that parallel iterations fill, each at its own index.
/// Raw memory, so concurrent writes to distinct slots need no exclusive
/// access to a shared array.
private final class UnsafeResults<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(1, count))
        slots.initialize(repeating: nil, count: max(1, count))
    }

    deinit {
        slots.deinitialize(count: max(1, count))
        slots.deallocate()
    }

    subscript(index: Int) -> T? {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    /// Moves the value out, leaving nil: its storage can go once the taker is done.
    func take(_ index: Int) -> T? {
        let value = slots[index]
        slots[index] = nil
        return value
    }

    var values: [T] { (0..<count).map { slots[$0]! } }
}
