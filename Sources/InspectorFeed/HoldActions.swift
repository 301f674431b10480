import Backtraces
import Engine
import Holds

/// What can be done to hold flags and the threads held on them: survey,
/// set or toggle a flag, release one thread. `lwpscope hold` and the
/// inspector both come here, so they act and fail alike.
public struct HoldActions: Sendable {
    public let engine: TraceEngine

    public init(engine: TraceEngine) {
        self.engine = engine
    }

    /// Every hold flag of the attached `pid`, from a fresh snapshot unwound in full.
    public func survey(_ pid: Int32, extraNames: [FlagName] = [], backtracer: Backtracer = Backtracer()) async
        throws(HoldActionError) -> HoldSurvey
    {
        let snapshot: ProcessSnapshot
        do { snapshot = try await engine.snapshot(pid, stackBytes: 8192) } catch { throw .engine(error) }
        let space = backtracer.addressSpace(of: pid)
        return try survey(backtracer.backtraces(of: snapshot, in: space), in: space, extraNames: extraNames)
    }

    /// Every hold flag of the process whose backtraces these are, with values read now.
    public func survey(_ backtraces: ProcessBacktraces, in space: AddressSpace, extraNames: [FlagName] = [])
        throws(HoldActionError) -> HoldSurvey
    {
        let pid = backtraces.pid
        do {
            return try HoldSurvey.take(backtraces: backtraces, space: space, extraNames: extraNames) { [engine] flag in
                try? engine.readValue(pid: pid, address: flag.address, size: flag.size)
            }
        } catch {
            throw .flag(error)
        }
    }

    /// Writes `value` into the flag (exactly its size) and reads it back.
    public func set(_ entry: HoldSurvey.Entry, to value: UInt64, pid: Int32) throws(HoldActionError) -> FlagChange {
        do {
            try engine.writeValue(pid: pid, address: entry.flag.address, size: entry.flag.size, value: value)
        } catch {
            throw .hold(error)
        }
        return FlagChange(flag: entry.flag, before: entry.value, after: value)
    }

    /// Sets the flag `name` names (as listed, as the variable, or as
    /// MODULE:NAME) in a fresh survey of `pid`.
    public func set(named name: String, to value: UInt64, pid: Int32, extraNames: [FlagName] = []) async
        throws(HoldActionError) -> FlagChange
    {
        let current = try await survey(pid, extraNames: extraNames)
        let entry: HoldSurvey.Entry
        do { entry = try current.entry(named: name) } catch { throw .flag(error) }
        return try set(entry, to: value, pid: pid)
    }

    /// Clears a set flag, sets a clear one (an unreadable one counts as clear).
    public func toggle(_ entry: HoldSurvey.Entry, pid: Int32) throws(HoldActionError) -> FlagChange {
        try set(entry, to: (entry.value ?? 0) == 0 ? 1 : 0, pid: pid)
    }

    /// Lets `tid` go: a thread held at birth runs, one parked at a hold point
    /// runs on through it (the point stays); one held on a flag (as
    /// `survey` says) steps out of its loop while the flag keeps its value
    /// and every other thread stays held.
    public func release(_ tid: Int32, pid: Int32, survey: HoldSurvey?) async throws(HoldActionError)
        -> ThreadReleaseOutcome
    {
        if await engine.releaseHeld(tid) { return .heldAtBirth(tid: tid) }
        if await engine.releaseFromPoint(tid) { return .fromPoint(tid: tid) }
        if await engine.passSignal(tid) { return .signalPassed(tid: tid) }
        guard let flag = survey?.heldBy[tid] else { throw .notHeld(tid: tid, pid: pid) }
        do {
            let release = try await engine.releaseThread(
                pid: pid, tid: tid, flagAddress: flag.address, flagSize: flag.size)
            return .fromFlag(flag, release)
        } catch {
            throw .hold(error)
        }
    }
}
