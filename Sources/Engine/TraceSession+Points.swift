import Guardian
#if canImport(Glibc)
import Glibc
#endif

/// Hold points: trap bytes in a process's code that park the threads that
/// reach them, each released on its own, while every other thread runs on.
///
/// The rule that keeps a target alive whatever happens to us: a thread is
/// never left stopped on a trap with its pc after the trap byte. The moment
/// its trap stop is collected (which also consumes the SIGTRAP) its pc is
/// moved to the point's displaced copy, so whether we resume it or the
/// kernel does when we die, it runs the original instruction and goes on.
/// What is left to chance is a thread reaching a trap byte after we are
/// gone and before the guardian has written the original back.
extension TraceSession {
    func installPoint(_ pid: Int32, _ spec: HoldPointSpec) throws(EngineError) {
        guard store.processes[pid] != nil else { throw .notAttached(pid: pid) }
        if let table = store.points[pid], table.points[spec.id] != nil || table.point(trappingAt: spec.address) != nil {
            throw .holdPoint(pid: pid, reason: "a point is already set at 0x\(String(spec.address, radix: 16))")
        }
        guard let original = CodeMemory.read(pid, spec.address, count: 1)?.first,
              let scratch = CodeMemory.read(pid, spec.copyAddress, count: spec.copyCode.count)
        else { throw .holdPoint(pid: pid, reason: "cannot read its code at 0x\(String(spec.address, radix: 16))") }
        guard original != Self.trapByte else {
            throw .holdPoint(pid: pid, reason: "a trap byte is already at 0x\(String(spec.address, radix: 16)) (another debugger's breakpoint?)")
        }
        if store.points[pid] == nil {
            // A child forked while the trap bytes are in place carries them: follow it.
            followForks(pid)
            store.points[pid] = PointTable(startTime: store.procfs.stat(pid)?.startTicks ?? 0)
        }
        let startTime = store.points[pid]?.startTime ?? 0
        do throws(SystemError) {
            // The copy first: a thread may reach the trap the moment it is written.
            store.guardian?.send(.scratch(pid: pid, startTime: startTime, address: spec.copyAddress, original: scratch, patched: spec.copyCode))
            try CodeMemory.write(pid, spec.copyAddress, spec.copyCode)
            store.guardian?.send(.patch(pid: pid, startTime: startTime, address: spec.address, original: [original], patched: [Self.trapByte]))
            try CodeMemory.write(pid, spec.address, [Self.trapByte])
        } catch {
            throw .holdPoint(pid: pid, reason: "cannot write its code: \(error)")
        }
        store.points[pid]?.points[spec.id] = PointTable.Installed(spec: spec, originalByte: original, scratchOriginal: scratch)
        EngineLog.write("point \(spec.id) set in \(pid) at 0x\(String(spec.address, radix: 16)), copy at 0x\(String(spec.copyAddress, radix: 16))")
    }

    /// Takes point `id` out of every process that has it (a followed child
    /// carries its parent's) and releases the threads it parked. The copy
    /// stays until we leave the process: a thread may still be running it.
    func removePoint(id: Int) {
        for pid in store.points.keys.sorted() {
            guard var table = store.points[pid], var point = table.points[id], !point.removed else { continue }
            if !table.sharesParentMemory { restoreTrap(pid, point, startTime: table.startTime) }
            point.removed = true
            table.points[id] = point
            store.points[pid] = table
        }
        for tracee in store.tracees.values.sorted(by: { $0.tid < $1.tid }) where tracee.state.isHeld(for: .point(id)) {
            store.apply(.release, to: tracee.tid)
        }
    }

    /// Lets a parked thread run on from its point; it parks again if it
    /// comes back. False if it was not parked.
    func releaseFromPoint(_ tid: Int32) -> Bool {
        guard case .held(.point, _)? = store.tracees[tid]?.state else { return false }
        return store.apply(.release, to: tid)
    }

    func parkedThreads() -> [ParkedThread] {
        store.tracees.values.compactMap { tracee -> ParkedThread? in
            guard case .held(.point(let id), _) = tracee.state else { return nil }
            return ParkedThread(pid: tracee.processID, tid: tracee.tid, pointID: id)
        }.sorted { ($0.pid, $0.tid) < ($1.pid, $1.tid) }
    }

    /// The points set in `pid` (removed ones left out).
    func points(in pid: Int32) -> [HoldPointSpec] {
        (store.points[pid]?.points.values.filter { !$0.removed }.map(\.spec) ?? []).sorted { $0.id < $1.id }
    }

    /// Before we let go of `pid`, with all its threads stopped: every trap
    /// byte written back, every thread moved off the copies, then the copies'
    /// room written back. Nothing is written into a vfork child (its memory
    /// is its parent's) or after an exec (the memory is a new program's).
    func restorePoints(_ pid: Int32) {
        guard let table = store.points[pid] else { return }
        store.points[pid] = nil
        guard !table.sharesParentMemory else { return }
        for point in table.points.values where !point.removed {
            restoreTrap(pid, point, startTime: table.startTime)
        }
        for tid in store.tids(of: pid) { moveOffCopies(tid, table) }
        for point in table.points.values {
            let address = point.spec.copyAddress
            if CodeMemory.read(pid, address, count: point.spec.copyCode.count) == point.spec.copyCode {
                try? CodeMemory.write(pid, address, point.scratchOriginal)
            }
            store.guardian?.send(.restored(pid: pid, address: address))
        }
    }

    /// A thread on a copy's first byte has not run the displaced
    /// instruction yet: to its backtrace it is at the point itself.
    func registersAsAtPoints(_ pid: Int32, _ registers: [Int32: ThreadRegisters]) -> [Int32: ThreadRegisters] {
        guard let table = store.points[pid] else { return registers }
        return registers.mapValues { thread in
            guard let point = table.point(withCopyContaining: thread.pc), thread.pc == point.spec.copyAddress else { return thread }
            return thread.with(pc: point.spec.address)
        }
    }

    static let trapByte: UInt8 = 0xCC

    private func restoreTrap(_ pid: Int32, _ point: PointTable.Installed, startTime: UInt64) {
        if CodeMemory.read(pid, point.spec.address, count: 1) == [Self.trapByte] {
            try? CodeMemory.write(pid, point.spec.address, [point.originalByte])
        }
        store.guardian?.send(.restored(pid: pid, address: point.spec.address))
    }

    /// A thread at a copy's first byte goes back to the original (restored)
    /// instruction; one further in is stepped until it is out.
    private func moveOffCopies(_ tid: Int32, _ table: PointTable) {
        guard var pc = stopper.registers(of: tid)?.pc else { return }
        for _ in 0..<16 {
            guard let point = table.point(withCopyContaining: pc) else { return }
            if pc == point.spec.copyAddress, let registers = stopper.registers(of: tid) {
                try? Ptrace.setRegisters(tid, registers.with(pc: point.spec.address))
                return
            }
            guard let next = singleStep(tid) else { return }
            pc = next
        }
    }

    /// Follows forks (not holding them at birth unless hold-new is on).
    private func followForks(_ pid: Int32) {
        guard store.processes[pid]?.holdNew != true else { return }
        whileStopped(.process(pid)) { stop in
            for tid in store.tids(of: pid) where stop.didStop(tid) {
                try? Ptrace.setOptions(tid, PtraceOptions.threads | PtraceOptions.forks)
            }
        }
    }
}
