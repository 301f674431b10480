/// Which threads a stop covers.
enum StopScope: Equatable, Sendable {
    /// Every thread of the process, at once.
    case process(Int32)
    /// One thread; the others run on.
    case thread(Int32)
}

/// How a stop ends for the threads it stopped.
enum StopEnding: Equatable, Sendable {
    /// Resumed under trace.
    case resume
    /// Let go for good (a process: forgotten too): what one-shot commands
    /// want, and cheaper than stopping everything again to detach.
    case detach
}

/// A stop in progress, as the code run inside it sees it.
struct StopInProgress {
    let scope: StopScope
    /// Threads that did not stop before the deadline, in tid order.
    let stragglers: [Int32]
    private let straggling: Set<Int32>

    init(scope: StopScope, stragglers: [Int32]) {
        self.scope = scope
        self.stragglers = stragglers
        straggling = Set(stragglers)
    }

    func didStop(_ tid: Int32) -> Bool { !straggling.contains(tid) }
}

/// Monotonic microseconds: when a stop began (before the first interrupt),
/// when its threads were all stopped, and when the last was let go.
struct StopTiming: Equatable, Sendable {
    var started: Int
    var allStopped: Int
    var ended: Int
}

extension TraceSession {
    /// Stops the threads of `scope`, runs `body`, and always ends the stop
    /// as `ending` says, even when `body` throws: the one way anything here
    /// stops a thread, so no path forgets to let go. The engine thread runs
    /// real-time while it interrupts and while it lets go (and, with
    /// `realtimeWhileStopped`, from the last stop to the end), and never
    /// stays so after.
    /// - onStop: called for each thread as its stop is collected, while the
    ///   others are still on their way.
    func whileStopped<T, E: Error>(
        _ scope: StopScope, ending: StopEnding = .resume, realtimeWhileStopped: Bool = false,
        onStop: (Int32) -> Void = { _ in }, _ body: (StopInProgress) throws(E) -> T
    ) throws(E) -> T {
        try timedStop(scope, ending: ending, realtimeWhileStopped: realtimeWhileStopped, onStop: onStop, body).value
    }

    /// `whileStopped`, also saying how long the threads were stopped.
    func timedStop<T, E: Error>(
        _ scope: StopScope, ending: StopEnding = .resume, realtimeWhileStopped: Bool = false,
        onStop: (Int32) -> Void = { _ in }, _ body: (StopInProgress) throws(E) -> T
    ) throws(E) -> (value: T, timing: StopTiming) {
        let started = MonotonicClock.microseconds()
        let stragglers: [Int32]
        switch scope {
        case .process(let pid):
            stragglers = stopper.stopAll(pid, onStop: onStop)
        case .thread(let tid):
            if stopper.stopOne(tid) {
                onStop(tid)
                stragglers = []
            } else {
                stragglers = [tid]
            }
        }
        var raised = realtimeWhileStopped && RealtimePriority.raise()
        let allStopped = MonotonicClock.microseconds()
        let outcome: Result<T, E>
        do throws(E) {
            outcome = .success(try body(StopInProgress(scope: scope, stragglers: stragglers)))
        } catch {
            outcome = .failure(error)
        }
        if !raised { raised = RealtimePriority.raise() }
        stopper.end(scope, ending)
        let timing = StopTiming(started: started, allStopped: allStopped, ended: MonotonicClock.microseconds())
        RealtimePriority.lower(raised)
        return (try outcome.get(), timing)
    }
}
