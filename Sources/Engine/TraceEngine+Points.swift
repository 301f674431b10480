import Guardian

/// Hold points through the engine (see TraceSession+Points for the rules).
extension TraceEngine {
    /// How to start the guardian the first time a point is set. Without
    /// one, points are set unguarded (tests of the engine alone); every
    /// command of lwpscope sets one.
    public func setGuardianLauncher(_ launch: @escaping @Sendable () throws(GuardianError) -> GuardianLink) {
        guardianLauncher = launch
    }

    /// A process with hold points that execs is held at its exec stop, before
    /// the new program runs, until `releaseHeld(pid)`: the caller sets the
    /// points again in the new image first. Only for callers that release it.
    public func setHoldExecsWithPoints(_ on: Bool) {
        session.store.holdExecsWithPoints = on
    }

    /// Writes the point's copy and then its trap byte, without stopping
    /// anyone; forks are followed from now on.
    public func installPoint(_ pid: Int32, _ spec: HoldPointSpec) throws(EngineError) {
        if session.store.guardian == nil, let launch = guardianLauncher {
            do throws(GuardianError) {
                session.store.guardian = try launch()
            } catch {
                throw .holdPoint(pid: pid, reason: error.description)
            }
        }
        try session.installPoint(pid, spec)
        updateIdlePolling()
    }

    /// Takes the point out of every process that has it and releases the
    /// threads it parked.
    public func removePoint(id: Int) {
        session.removePoint(id: id)
    }

    /// Lets one parked thread run on; it parks again when it comes back.
    @discardableResult
    public func releaseFromPoint(_ tid: Int32) -> Bool {
        session.releaseFromPoint(tid)
    }

    public func parkedThreads() -> [ParkedThread] {
        session.parkedThreads()
    }

    public func points(in pid: Int32) -> [HoldPointSpec] {
        session.points(in: pid)
    }

    /// Bytes of the target's code as they are now (trap bytes included).
    public nonisolated static func readCode(_ pid: Int32, _ address: UInt64, count: Int) -> [UInt8]? {
        CodeMemory.read(pid, address, count: count)
    }
}
