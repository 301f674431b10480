/// What a snapshot keeps of each stopped thread: its registers, read the
/// moment it stops, and the top of its stack, copied in batches.
///
/// Reading a thread as soon as it stops, while the others are still on their
/// way, fills the wait for them and still gives one instant: its registers
/// stay as they are until it is resumed, after every thread has stopped, and
/// its frames (return addresses, saved registers) are written only by itself.
///
/// Used on the engine thread only, within one stop (like `TraceSession`),
/// hence `@unchecked Sendable`.
final class StoppedThreadCopier: @unchecked Sendable {
    private let pid: Int32
    private let stackBytes: Int
    /// Sorted ranges of the process's mappings, read before the stop.
    private let mappings: [Range<UInt64>]
    private let readRegisters: (Int32) -> ThreadRegisters?
    private(set) var registers: [Int32: ThreadRegisters] = [:]
    private(set) var stacks: [Int32: StackCopy] = [:]
    private var toCopy: [(tid: Int32, sp: UInt64, threadPointer: UInt64)] = []
    /// Stacks copied in one batch of process_vm_readv calls.
    private static let batchSize = 128

    /// - expectedThreads: room made up front, so no table grows while threads are stopped.
    init(
        pid: Int32, stackBytes: Int, mappings: [Range<UInt64>], expectedThreads: Int,
        readRegisters: @escaping (Int32) -> ThreadRegisters?
    ) {
        self.pid = pid
        self.stackBytes = stackBytes
        self.mappings = mappings
        self.readRegisters = readRegisters
        registers.reserveCapacity(expectedThreads)
        if stackBytes > 0 { stacks.reserveCapacity(expectedThreads) }
    }

    /// Reads a thread that has just stopped (once; later calls do nothing).
    func threadStopped(_ tid: Int32) {
        guard registers[tid] == nil, let regs = readRegisters(tid) else { return }
        registers[tid] = regs
        guard stackBytes > 0 else { return }
        toCopy.append((tid, regs.sp, regs.threadPointer))
        if toCopy.count >= Self.batchSize { copyStacks() }
    }

    /// Copies the stacks of the threads read since the last copy.
    func copyStacks() {
        guard !toCopy.isEmpty else { return }
        stacks.merge(StackCopier.copy(pid: pid, stackPointers: toCopy, size: stackBytes, mappings: mappings)) { a, _ in a }
        toCopy.removeAll(keepingCapacity: true)
    }

    /// Drops what was read of threads that are gone (an exec took them).
    func keepOnly(_ tids: Set<Int32>) {
        registers = registers.filter { tids.contains($0.key) }
        stacks = stacks.filter { tids.contains($0.key) }
    }
}
