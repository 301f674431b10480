import ProcFS

/// The engine's state and every ptrace call it makes, in parts with one job
/// each over one shared `TraceeStore`: `ThreadAttacher` seizes,
/// `ThreadStopper` stops and lets go (always through `whileStopped`),
/// `TraceEventHandler` acts on what waitpid reports.
///
/// Confined to the engine thread: `TraceEngine` only calls it from jobs on its
/// `DedicatedThreadExecutor`, and the executor's idle handler runs there too.
/// That confinement is why it can be `@unchecked Sendable`.
final class TraceSession: @unchecked Sendable {
    let store: TraceeStore
    let events: TraceEventHandler
    let attacher: ThreadAttacher
    let stopper: ThreadStopper

    init(procfs: ProcFS, stopDeadlineMicroseconds: Int = 2_000_000) {
        store = TraceeStore(procfs: procfs)
        events = TraceEventHandler(store: store)
        attacher = ThreadAttacher(store: store, events: events)
        stopper = ThreadStopper(store: store, events: events, deadlineMicroseconds: stopDeadlineMicroseconds)
    }

    var processes: [Int32: TracedProcess] { store.processes }
    var exitedProcesses: [Int32: TerminationStatus] { store.exitedProcesses }
    var hasTracees: Bool { !store.tracees.isEmpty }
    /// How long a stop waits for every thread to reach a ptrace-stop.
    var stopDeadlineMicroseconds: Int { stopper.deadlineMicroseconds }

    var onEvent: (EngineEvent) -> Void {
        get { store.onEvent }
        set { store.onEvent = newValue }
    }

    func tids(of pid: Int32) -> [Int32] { store.tids(of: pid) }

    func isTraced(_ tid: Int32) -> Bool { store.tracees[tid] != nil }

    /// Stopped for the user by a stop signal (a snapshot shows it so).
    func isGroupStopped(_ tid: Int32) -> Bool { store.tracees[tid]?.state.isGroupStopped == true }

    func attach(_ pid: Int32) throws(EngineError) -> Int32 { try attacher.attach(pid) }

    /// Registers of a thread in a ptrace-stop; nil otherwise.
    func registers(of tid: Int32) -> ThreadRegisters? { stopper.registers(of: tid) }

    @discardableResult
    func collectEvents() -> Bool { events.collectEvents() }

    // MARK: Detach

    /// Stops every thread of `pid` and detaches it, passing on caught signals.
    /// A process the user had stopped stays stopped: the kernel puts a
    /// group-stopped thread back into its stop when we let go. Threads that
    /// could not be stopped (e.g. a vfork parent) are let go as soon as they
    /// stop; if we exit first, the kernel lets them go.
    func detach(_ pid: Int32) {
        guard store.processes[pid] != nil else { return }
        whileStopped(.process(pid), ending: .detach) { _ in restorePoints(pid) }
    }

    func detachAll() {
        for pid in store.processes.keys.sorted() { detach(pid) }
    }

    /// Drops a process whose threads have all been let go.
    func forgetProcess(_ pid: Int32) {
        store.processes[pid] = nil
    }

    /// Threads that could not be stopped when we detached are let go as they
    /// stop; wait a while for them before the engine thread ends (after which
    /// the kernel lets them go anyway).
    func finishDetaching(withinMicroseconds limit: Int) {
        let deadline = MonotonicClock.microseconds() + limit
        while !store.tracees.isEmpty, MonotonicClock.microseconds() < deadline {
            if events.collectOneEvent() == nil { MonotonicClock.sleep(microseconds: 200) }
        }
    }
}
