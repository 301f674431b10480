import CPtrace
import ProcFS

/// The result of letting one thread out of a `while (hold);` loop.
public struct ThreadRelease: Sendable, Equatable {
    public var tid: Int32
    /// Instructions stepped with the flag cleared before the thread left the loop.
    public var steps: Int
    /// Where the thread was when we let it run again.
    public var pc: UInt64
    /// The flag's value, read back after restoring it.
    public var flagValueAfter: UInt64
}

public enum HoldError: Error, Equatable, Sendable, CustomStringConvertible {
    case badSize(Int)
    case unreadable(pid: Int32, address: UInt64)
    case writeFailed(pid: Int32, address: UInt64, wrote: UInt64, readBack: UInt64?)
    case threadNotStopped(tid: Int32)
    case notSpinning(tid: Int32)
    case stillInLoop(tid: Int32, steps: Int)
    case engine(EngineError)

    public var description: String {
        switch self {
        case .badSize(let size): "a flag must be 1, 2, 4 or 8 bytes, not \(size)"
        case .unreadable(let pid, let address): "cannot read pid \(pid)'s memory at 0x\(String(address, radix: 16))"
        case .writeFailed(let pid, let address, let wrote, let readBack):
            "writing \(wrote) at 0x\(String(address, radix: 16)) in pid \(pid) did not take (read back \(readBack.map(String.init) ?? "nothing"))"
        case .threadNotStopped(let tid): "thread \(tid) could not be stopped to release it"
        case .notSpinning(let tid): "thread \(tid) is not spinning in a loop (it did not come back to the same code while stepped)"
        case .stillInLoop(let tid, let steps): "thread \(tid) was still in its loop after \(steps) steps with the flag cleared; nothing was changed"
        case .engine(let error): error.description
        }
    }
}

extension TraceEngine {
    // MARK: Flag values

    /// Reads a flag of `size` bytes (1, 2, 4 or 8), little-endian.
    public nonisolated func readValue(pid: Int32, address: UInt64, size: Int) throws(HoldError) -> UInt64 {
        try Self.readValue(pid: pid, address: address, size: size)
    }

    /// The same read without an engine: process_vm_readv needs no attach.
    public static func readValue(pid: Int32, address: UInt64, size: Int) throws(HoldError) -> UInt64 {
        guard [1, 2, 4, 8].contains(size) else { throw .badSize(size) }
        var value: UInt64 = 0
        let ok = withUnsafeMutableBytes(of: &value) { raw in
            ProcessMemory.read(pid: pid, address: address, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<size]))
        }
        guard ok else { throw .unreadable(pid: pid, address: address) }
        return UInt64(littleEndian: value)
    }

    /// Writes exactly `size` bytes (never the neighbours: process_vm_writev,
    /// not an 8-byte POKEDATA) and reads them back to confirm.
    public nonisolated func writeValue(pid: Int32, address: UInt64, size: Int, value: UInt64) throws(HoldError) {
        guard [1, 2, 4, 8].contains(size) else { throw .badSize(size) }
        let mask: UInt64 = size == 8 ? .max : (UInt64(1) << UInt64(size * 8)) - 1
        var little = (value & mask).littleEndian
        let written = withUnsafeBytes(of: &little) { raw in lwp_write_memory(pid, address, raw.baseAddress, size) }
        let readBack = try? readValue(pid: pid, address: address, size: size)
        guard written == size, readBack == value & mask else {
            throw .writeFailed(pid: pid, address: address, wrote: value & mask, readBack: readBack)
        }
    }

    // MARK: Release one thread

    /// Lets exactly one thread out of its `while (flag);` loop while every
    /// other thread stays parked: with the whole process stopped, learn the
    /// loop's instructions by stepping the thread with the flag still set,
    /// clear the flag, step the thread until it is outside the loop, put the
    /// flag back, and let everyone run.
    public func releaseThread(pid: Int32, tid: Int32, flagAddress: UInt64, flagSize: Int) throws(HoldError) -> ThreadRelease {
        guard session.processes[pid] != nil else { throw .engine(notAttachedError(pid)) }
        let original = try readValue(pid: pid, address: flagAddress, size: flagSize)
        defer { updateIdlePolling() }
        return try session.whileStopped(.process(pid)) { stop throws(HoldError) in
            guard stop.didStop(tid), let start = session.registers(of: tid)?.pc else {
                throw .threadNotStopped(tid: tid)
            }
            // Held at birth, it has not reached any loop yet, and stays held.
            guard !session.isHeld(tid) else { throw .notSpinning(tid: tid) }
            // The loop: every pc the thread visits until it comes back to the start.
            var loop: Set<UInt64> = [start]
            var pc = start
            for _ in 0..<64 {
                guard let next = session.singleStep(tid) else { throw .threadNotStopped(tid: tid) }
                pc = next
                if pc == start { break }
                loop.insert(pc)
            }
            guard pc == start else { throw .notSpinning(tid: tid) }

            try writeValue(pid: pid, address: flagAddress, size: flagSize, value: 0)
            var steps = 0
            while loop.contains(pc), steps < 256 {
                guard let next = session.singleStep(tid) else { break }
                pc = next
                steps += 1
            }
            try writeValue(pid: pid, address: flagAddress, size: flagSize, value: original)
            guard !loop.contains(pc) else { throw .stillInLoop(tid: tid, steps: steps) }
            return ThreadRelease(tid: tid, steps: steps, pc: pc, flagValueAfter: try readValue(pid: pid, address: flagAddress, size: flagSize))
        }
    }

    // MARK: Hold at birth

    /// With hold-new on, threads created and children forked after now are
    /// traced and kept stopped ("held at birth") until released; children are
    /// followed through exec.
    public func setHoldNew(_ pid: Int32, _ on: Bool) throws(EngineError) {
        try session.setHoldNew(pid, on)
        updateIdlePolling()
    }

    /// The rules for `pid` and the children it forks from now on: `births`
    /// holds new threads and children (hold-new); `execs` holds a traced
    /// process at an exec whose program's path or basename matches a glob,
    /// and children that can match none are let go at their first exec.
    public func setRules(_ pid: Int32, births: Bool, execs: [String]) throws(EngineError) {
        try session.setRules(pid, births: births, execs: execs)
        updateIdlePolling()
    }

    /// A traced thread about to die of SIGSEGV, SIGBUS, SIGILL, SIGFPE or
    /// SIGABRT (no handler) is held at the signal instead (`heldAtSignal`)
    /// until `passSignal`; a detach delivers it as it would have been.
    public func setHoldFatalSignals(_ on: Bool) {
        session.store.holdFatalSignals = on
    }

    /// Every thread held (at birth, an exec, the start, a fatal signal, a
    /// hold point), with when its hold began.
    public func heldTasks() -> [HeldTask] {
        session.heldTasks()
    }

    /// Delivers the fatal signal a thread is held at. False if it was not.
    @discardableResult
    public func passSignal(_ tid: Int32) -> Bool {
        defer { updateIdlePolling() }
        return session.passSignal(tid)
    }

    /// Stops every thread of `pid` and holds them (at start) until released.
    public func holdProcess(_ pid: Int32) throws(EngineError) {
        guard session.processes[pid] != nil else { throw notAttachedError(pid) }
        session.holdProcess(pid)
    }

    /// Before a hand-off to gdb: threads held at a fatal signal are let go
    /// with SIGSTOP instead (the process waits for gdb, and the fault comes
    /// again under it). Returns their tids.
    @discardableResult
    public func dropHeldSignals(_ pid: Int32) -> [Int32] {
        session.dropHeldSignals(pid)
    }

    /// After an exec, with the hold points set again: the new program runs.
    public func releaseAfterPoints(_ pid: Int32) {
        session.releaseAfterPoints(pid)
    }

    public func heldAtBirth() -> [(tid: Int32, pid: Int32)] {
        session.heldAtBirth()
    }

    /// The traced processes, each with the traced process it was forked from.
    public func tracedProcesses() -> [(pid: Int32, parent: Int32?, command: String)] {
        session.processes.values.map { ($0.pid, $0.parentID, $0.command) }.sorted { $0.pid < $1.pid }
    }

    /// Lets a thread or child held at birth, at an exec or at its start run.
    /// False if it was not held so.
    @discardableResult
    public func releaseHeld(_ tid: Int32) -> Bool {
        defer { updateIdlePolling() }
        return session.releaseHeld(tid)
    }

    /// Releases every held-at-birth task (of one process, or all).
    public func releaseAllHeld(pid: Int32? = nil) {
        for held in session.heldAtBirth() where pid == nil || held.pid == pid {
            _ = session.releaseHeld(held.tid)
        }
        updateIdlePolling()
    }
}
