import Dispatch
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

    public init(maxDepth: Int = 256, cache: ModuleCache = .shared, procfs: ProcFS = ProcFS()) {
        unwinder = Unwinder(options: .init(maxDepth: maxDepth))
        self.cache = cache
        self.procfs = procfs
    }

    /// Stack bytes worth copying per thread while it is stopped.
    public static let defaultStackBytes = 16 * 1024

    public func backtraces(of snapshot: ProcessSnapshot) -> ProcessBacktraces {
        backtraces(of: snapshot, in: addressSpace(of: snapshot.pid))
    }

    /// The process's executable regions and modules, now.
    public func addressSpace(of pid: Int32) -> AddressSpace {
        AddressSpace.load(pid: pid, procfs: procfs, cache: cache) ?? AddressSpace(pid: pid, regions: [])
    }

    public func backtraces(of snapshot: ProcessSnapshot, in space: AddressSpace) -> ProcessBacktraces {
        // Unwinding reads only copies and immutable, lock-guarded module data,
        // so threads are unwound in parallel across the cores.
        let results = UnsafeResults<ThreadBacktrace>(count: snapshot.threads.count)
        DispatchQueue.concurrentPerform(iterations: snapshot.threads.count) { index in
            results[index] = backtrace(of: snapshot.threads[index], pid: snapshot.pid, in: space)
        }
        let threads = results.values
        return ProcessBacktraces(
            pid: snapshot.pid, command: snapshot.command, stoppedMicroseconds: snapshot.stoppedMicroseconds,
            threads: threads)
    }

    public func backtrace(of thread: ThreadSnapshot, pid: Int32, in space: AddressSpace) -> ThreadBacktrace {
        var result = ThreadBacktrace(
            tid: thread.tid, name: thread.name, state: thread.state, waitChannel: thread.waitChannel,
            frames: [], stopReason: "", error: nil)
        guard let registers = thread.registers else {
            result.error = thread.unavailableReason ?? "no registers"
            return result
        }
        if space.isForeignArchitecture {
            result.error = "unsupported: pid \(pid) runs 32-bit or non-x86_64 code; lwpscope unwinds x86_64 processes"
            result.frames = Symbolizer.symbolize(index: 0, pc: registers.pc, pcIsExact: true, method: "registers", in: space)
            return result
        }
        var unwindRegisters = UnwindRegisters(architecture: .x86_64)
        for number in 0..<ThreadRegisters.dwarfRegisterCount {
            unwindRegisters[number] = registers.dwarf(number)
        }
        let memory = StackMemory(pid: pid, copy: thread.stack)
        let trace = unwinder.unwind(registers: unwindRegisters, memory: memory, modules: space)
        for frame in trace.frames {
            result.frames += Symbolizer.symbolize(
                // A signal trampoline's "return address" is its own first
                // instruction (the kernel pushed it): name it as is.
                index: result.frames.count, pc: frame.pc, pcIsExact: frame.pcIsExact || frame.isSignalFrame,
                method: Self.name(of: frame.method), in: space)
        }
        result.stopReason = Self.describe(trace.stopReason)
        return result
    }

    static func name(of method: FrameMethod) -> String {
        switch method {
        case .initial: "registers"
        case .cfi: "cfi"
        case .framePointer: "frame pointer"
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

    var values: [T] { (0..<count).map { slots[$0]! } }
}
